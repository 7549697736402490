"""Grounding checks for answers with ``[n]`` citations (pure functions, no I/O).

An answer is grounded when every citation points at a passage that was given,
every sentence with content cites something, each sentence is lexically
supported by the passages it cites, and every number it states appears
verbatim in a cited passage.

Support measure (:func:`sentence_support`): the share of the sentence's
character bigrams (CJK ideographs, ASCII letters and digits; bigrams never
cross punctuation; text is NFKC-normalised, lower-cased, whitespace removed)
that occur anywhere in the sources. Citation markers are removed first (replaced
by a space), and so are a few content-free framing phrases (:data:`FRAMING_PATTERNS`, e.g. "根据",
"该任务的", "单位是：" -> "单位") that extractive and LLM answers put around
the cited facts. Titles in 《》 get no special treatment: callers pass passages
that already carry the clause's header (document title, section, units), so a
title or unit name quoted from that header is supported like any other text.

Calibration: ``SUPPORT_THRESHOLD = 0.58`` was chosen on ``eval/calibration.jsonl``
(72 hand-labelled (sentence, passage, supported) examples written from the five
notices in ``docs_corpus/``: 36 supported extracts and paraphrases with framing
text, 36 unsupported sentences -- 12 naming a wrong unit, 12 inventing a claim
or target, 12 quoting a different clause). Every midpoint between adjacent
distinct scores was tried as a cut-off and the lowest one with the best accuracy
kept (:func:`best_threshold`): supported sentences scored 0.69-1.00, unsupported
0.00-0.47 except one, so accuracy at 0.58 is 0.986 (71/72). The miss is a
wrong-unit sentence that repeats the task's long name ("学习贯彻习近平生态文明
思想的责任单位是规划股、公路股", 0.71): bigram support cannot catch a wrong unit
inside an otherwise quoted sentence, which is why units are checked separately
(eval unit P/R/F1; extractive answers take units from clause metadata).
Re-run with ``python -m eval calibrate``; ``tests/rag/test_verify.py`` fails if
the stated value drifts from the calibrated one.

Inheritance rule for uncited sentences: a piece that ends with "；" / ";" /
"：" / ":" (part of a longer sentence, or a list lead-in), or that ends inside a
“quotation” closed later on the same line (a quoted clause of several
sentences), takes the citations of the next piece that has any; a sentence that
opens with a continuation word (:data:`CONTINUATION_PREFIXES`, e.g. "其中",
"同时") takes the citations of the sentence before it. Everything else must
carry its own ``[n]``. The fixed refusal sentence needs no citation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rag.types import NO_UNITS_NOTE, REFUSAL

SUPPORT_THRESHOLD: float = 0.58

_MARKER_RE = re.compile(r"[\[［]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］]")
_SPLIT_CHARS = "。！？；!?;\n"
_CLOSERS = "”’」』）)》\"'"
_INHERIT_NEXT_ENDINGS = ("；", ";", "：", ":")
CONTINUATION_PREFIXES: tuple[str, ...] = (
    "其中", "同时", "此外", "另外", "并且", "而且", "上述", "该项", "该任务", "该条", "以上",
)
FRAMING_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"根据现有文件", " "),
    (r"根据|依据", " "),
    (r"该项任务的?|该任务的?|该条款的?|该条的?|上述任务的?", " "),
    (r"单位(?:是|为|包括|有)[:：]?", "单位 "),
    (r"的?(?:具体|主要)?(?:内容|要求|任务)?(?:如下|包括)[:：]?", " "),
    (r"未另列其他责任单位", " "),  # a who-answer for a task with a lead and no other unit
)
_CONTENT_RE = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]")
_RUN_RE = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
_LIST_MARKER_RE = re.compile(r"(?m)^[ \t\u3000]*[(（]?\d{1,2}[)）.、．](?!\d)")
_NUMBER_RE = re.compile(
    r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)*"  # 3087, 1,000, 120.64, 2026.01.01
    r"(?:[-–—~～至到]\d+(?:\.\d+)*)?"  # 2-3, 8-10, 1-11, 2026.01.01-2026.12.31
    r"(?:"
    r"[%‰]"
    r"|万亿|万|亿"
    r"|年(?:\d{1,2}月(?:\d{1,2}[日号])?)?(?:底|初|末)?"
    r"|月(?:\d{1,2}[日号])?(?:底|初|末)?"
    r"|[日号](?!\d)"
    r")?"
)


def _norm(text: str) -> str:
    """NFKC (full-width -> half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def strip_markers(text: str) -> str:
    """Replace every citation marker in ``text`` by a space (so ``24[1]2024`` stays two numbers)."""
    return _MARKER_RE.sub(" ", text)


def citation_markers(text: str) -> list[int]:
    """All citation numbers in ``text``, in order of appearance.

    Accepts ``[1]``, ``［1］``, ``[1,2]`` / ``[1，2]`` / ``[1、2]`` and ``[1][2]``.
    """
    numbers: list[int] = []
    for match in _MARKER_RE.finditer(text):
        numbers.extend(int(n) for n in re.split(r"\s*[,，、]\s*", match.group(1)))
    return numbers


def _pieces(text: str) -> list[tuple[str, str]]:
    """Split into (sentence, terminator) pairs; markers after a terminator stay with it."""
    pieces: list[tuple[str, str]] = []
    i, start, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in _SPLIT_CHARS:
            i += 1
            continue
        if ch == "\n":
            pieces.append((text[start:i], "\n"))
            i += 1
            start = i
            continue
        j = i
        while j < n and text[j] in _SPLIT_CHARS and text[j] != "\n":
            j += 1
        terminator = text[j - 1]
        while j < n and text[j] in _CLOSERS:  # 。” -- the closing quote ends this sentence too
            j += 1
        while True:  # markers right after the punctuation belong to this sentence
            k = j
            while k < n and text[k] in " \t\u3000":
                k += 1
            match = _MARKER_RE.match(text, k)
            if not match:
                break
            j = match.end()
        pieces.append((text[start:j], terminator))
        i = start = j
    if start < n:
        pieces.append((text[start:], ""))
    return [(p.strip(), t) for p, t in pieces if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Split Chinese text into sentences on 。！？；, their ASCII forms and newlines.

    The terminator stays at the end of its sentence, and so do closing quotes or
    brackets and citation markers written right after it (``……。”[1]``).
    """
    return [piece for piece, _ in _pieces(text)]


def has_content(text: str) -> bool:
    """True when ``text`` has any CJK/alphanumeric character besides citation markers."""
    return bool(_CONTENT_RE.search(_norm(strip_markers(text))))


def extract_numbers(text: str) -> list[str]:
    """Every number, date or percentage in ``text``, as written (after NFKC).

    Only Arabic digits count: Chinese numerals (一、（一）、十四五) are not numbers.
    Kept suffixes are the ones that change meaning -- %, ‰, 万, 亿 and date parts
    (``2024年底``, ``6月底``, ``2024年9月4日``); measure words are dropped
    (``3087公里`` -> ``3087``, ``2-3户`` -> ``2-3``). Citation markers and
    enumeration markers at the start of a line (``1.``, ``（2）``, ``3、``) are
    not numbers.
    """
    clean = _LIST_MARKER_RE.sub(" ", _norm(strip_markers(text)))
    clean = re.sub(r"(?<=\d)\s+(?=[%‰万亿年月日号])", "", clean)
    return [m.group(0) for m in _NUMBER_RE.finditer(clean)]


def _number_key(number: str) -> str:
    return re.sub(r"(?<=\d),(?=\d)", "", _norm(number))


def _squash(text: str) -> str:
    """Normalised text for number look-up: NFKC, no thousands commas, no whitespace
    except one space before a digit after a digit or a point (``2024-04-27 21:37`` keeps 27 and
    21 apart, ``1. 2022年`` keeps 1 and 2022 apart)."""
    text = re.sub(r"(?<=[\d.])\s+(?=\d)", " ", _norm(text))  # "附件:1. 2022年": 1 is no "1.2022"
    return re.sub(r"(?<=\d),(?=\d)", "", re.sub(r"(?!(?<=[\d.]) (?=\d))\s+", "", text))


def number_in(number: str, sources: list[str]) -> bool:
    """Whether ``number`` occurs verbatim in one of ``sources`` (not inside a longer number)."""
    key = _number_key(number)
    tail = r"(?!\d)(?!\.\d)" if key[-1:].isdigit() else ""
    pattern = re.compile(r"(?<![\d.])" + re.escape(key) + tail)
    return any(pattern.search(_squash(source)) for source in sources)


def _tokens(text: str, framing: bool) -> list[str]:
    clean = _norm(strip_markers(text))
    clean = re.sub(r"\s+", "", clean)
    if framing:
        for pattern, repl in FRAMING_PATTERNS:
            clean = re.sub(pattern, repl, clean)
    tokens: list[str] = []
    for run in _RUN_RE.findall(clean):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def sentence_support(sentence: str, sources: list[str]) -> float:
    """Share of the sentence's character bigrams that occur in ``sources``.

    See the module docstring for normalisation and framing phrases. A sentence
    with no content is fully supported (1.0); with no sources it scores 0.0.
    """
    tokens = _tokens(sentence, framing=True)
    if not tokens:
        return 1.0
    haystack = "\u0000".join(
        "\u0000".join(_RUN_RE.findall(re.sub(r"\s+", "", _norm(s)))) for s in sources
    )
    if not haystack:
        return 0.0
    return sum(1 for t in tokens if t in haystack) / len(tokens)


@dataclass(frozen=True)
class Verification:
    """What :func:`verify_answer` found. ``ok`` is True only when every check passed."""

    ok: bool
    citation_valid: bool
    unknown_citations: list[int] = field(default_factory=list)
    uncited_sentences: list[str] = field(default_factory=list)
    unsupported_sentences: list[str] = field(default_factory=list)
    missing_numbers: list[str] = field(default_factory=list)
    support_rate: float = 1.0

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "citation_valid": self.citation_valid,
            "unknown_citations": list(self.unknown_citations),
            "uncited_sentences": list(self.uncited_sentences),
            "unsupported_sentences": list(self.unsupported_sentences),
            "missing_numbers": list(self.missing_numbers),
            "support_rate": self.support_rate,
        }


def _is_exempt(sentence: str) -> bool:
    body = strip_markers(sentence).strip().rstrip("。！？；!?;")
    return not has_content(body) or body == REFUSAL.rstrip("。") or body == NO_UNITS_NOTE


LIST_NOTE = "【列表说明】"
"""Opens a line that is the answer's own note about the list it gives (how many tasks, in how many
notices: counted from the index, not a claim a notice makes); the checks skip that line."""
PART_NOTE = "【说明】"
"""Opens a line that says which part of a two-part question the notices do not answer; skipped too."""


def sentence_citations(text: str) -> list[tuple[str, list[int]]]:
    """Each content sentence with the citations it carries or inherits (rule in module doc)."""
    text = "\n".join(line for line in text.split("\n") if not line.startswith((LIST_NOTE, PART_NOTE)))
    pieces = [(s, t, citation_markers(s)) for s, t in _pieces(text) if not _is_exempt(s)]
    own = [m for _, _, m in pieces]
    cites = list(own)
    open_quote, depth = [], 0
    for sentence, terminator, _ in pieces:
        depth = max(0, depth + sentence.count("“") - sentence.count("”"))
        open_quote.append(depth > 0)
        if terminator == "\n":
            depth = 0
    for i in range(len(pieces) - 1, -1, -1):  # backwards: a lead-in inherits from what follows
        sentence, terminator, _ = pieces[i]
        ends = sentence.rstrip()
        lead_in = terminator in _INHERIT_NEXT_ENDINGS or ends.endswith(("：", ":"))
        if not cites[i] and (lead_in or open_quote[i]):
            if i + 1 < len(pieces):
                cites[i] = cites[i + 1]
    for i in range(1, len(pieces)):
        body = strip_markers(pieces[i][0]).lstrip()
        if not cites[i] and body.startswith(CONTINUATION_PREFIXES):
            cites[i] = cites[i - 1]
    return [(pieces[i][0], cites[i]) for i in range(len(pieces))]


def verify_answer(
    answer: str, passages: dict[int, str], threshold: float = SUPPORT_THRESHOLD
) -> Verification:
    """Check an answer against the numbered passages it was written from.

    Args:
        answer: answer text with ``[n]`` markers.
        passages: citation number -> passage text (header with title/section/units
            plus the clause text, exactly as shown to the answerer).
        threshold: minimum :func:`sentence_support` of a sentence against the
            passages it cites.

    Returns:
        A :class:`Verification`. ``support_rate`` is the share of content sentences
        whose support reaches ``threshold`` (uncited sentences count as unsupported;
        1.0 when there are none). Numbers in a cited sentence must occur in that
        sentence's cited passages; numbers in an uncited sentence in any passage.
    """
    markers = citation_markers(answer)
    unknown = list(dict.fromkeys(n for n in markers if n not in passages))
    sentences = sentence_citations(answer)
    uncited: list[str] = []
    unsupported: list[str] = []
    missing: list[str] = []
    supported = 0
    for sentence, cites in sentences:
        sources = [passages[n] for n in dict.fromkeys(cites) if n in passages]
        if not cites:
            uncited.append(sentence)
            sources = list(passages.values())
        elif sentence_support(sentence, sources) >= threshold:
            supported += 1
        else:
            unsupported.append(sentence)
        for number in extract_numbers(sentence):
            if not number_in(number, sources) and number not in missing:
                missing.append(number)
    citation_valid = not unknown and (bool(markers) or not sentences)
    rate = supported / len(sentences) if sentences else 1.0
    ok = citation_valid and not uncited and not unsupported and not missing
    return Verification(ok, citation_valid, unknown, uncited, unsupported, missing, rate)


def best_threshold(scored: list[tuple[float, bool]]) -> tuple[float, float]:
    """The support cut-off that best separates labelled scores, and its accuracy.

    Args:
        scored: (support score, supported?) pairs.

    Returns:
        (threshold, accuracy); the threshold is midway between the two adjacent
        distinct scores where accuracy peaks (the lowest such gap on ties), rounded
        to 2 decimals.
    """
    if not scored:
        raise ValueError("no labelled examples")
    values = sorted({s for s, _ in scored})
    cuts = [0.0] + [(a + b) / 2 for a, b in zip(values, values[1:])] + [values[-1] + 1e-9]
    best = (0.0, -1.0)
    for cut in (round(c, 2) for c in cuts):
        accuracy = sum((s >= cut) == label for s, label in scored) / len(scored)
        if accuracy > best[1]:
            best = (cut, accuracy)
    return best
