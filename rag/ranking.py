"""Ranking the retrieved clauses for an answer: features of a (question, clause) pair and their weights.

Retrieval (rag/retrieve.py) ranks clauses for the search; the composers then pick the clause(s)
to quote with the features here: how many of the question's content words the clause has
(coverage), the dense similarity, the clause's own heading, the kind of unit it names. Every
weight is a named field of `RankWeights`, with how it was set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from index.units import to_simplified
from rag.text import alt_in, content_words, notice_named
from rag.types import Hit


@dataclass(frozen=True)
class RankWeights:
    """Weights of the ranking features. All hand-set; none was calibrated on held-out data.

    They were set by hand when answering was written (commits 9c1c38b, d203577, 512e4db,
    2026-11-25) and are checked only through the eval set (eval/questions.jsonl), which they
    were tuned against: changing one means re-running `python -m eval run` and comparing.
    """

    dense: float = 0.3
    """Weight of the dense (cosine) similarity added to coverage, in both `best_supported` and
    `relevant`: coverage leads, similarity breaks ties. Hand-set; not calibrated."""
    rank_penalty: float = 0.03
    """Subtracted per retrieval rank in `best_supported`, so the fused retrieval order still counts
    among near-equal clauses. Hand-set; not calibrated."""
    heading: float = 0.3
    """Weight of heading coverage (content words in the clause's own task name) in `best_supported`.
    Hand-set (d203577); not calibrated."""
    unit_kind: float = 0.2
    """Bonus in `best_supported` when the question asks for a kind of unit (股室, 处) that the clause's
    units are. Hand-set (512e4db); not calibrated."""
    numbers: float = 0.15
    """Bonus in `best_supported` for a clause with a digit when the question asks for a figure.
    Hand-set; not calibrated."""
    same_task_share: float = 0.9
    """`same_task_across_docs`: another notice's clause counts as the same task when its coverage is
    at least this share of the best clause's (and at least `same_task_floor`). Was 0.75 (hand-set);
    0.9 chosen on the dev split of eval/real/ (unit F1 0.886 -> 0.897; 1.0 is no better) and the
    seed set (0.996 -> 0.999)."""
    same_task_floor: float = 0.5
    """`same_task_across_docs`: the least coverage of another notice's clause. Hand-set; not calibrated."""
    keep_share: float = 0.6
    """`relevant`: a clause is quoted when its support is at least this share of the best one's.
    Hand-set; not calibrated."""


WEIGHTS = RankWeights()

_UNIT_KIND = (("股室", ("股", "室")), ("哪个股", ("股",)), ("哪个处", ("处",)), ("处室", ("处", "室")))


NoticeText = Callable[[str], str]
"""doc_id -> the whole notice in simplified script (title, issuer and clauses): rag.scope.notice_text."""


def coverage_of(question: str, hit: Hit, notice: NoticeText | None = None) -> float:
    """Share of the question's content words found in the clause (or its title and section).

    Given `notice`, a word of the notice the question names ("官渡区稳增长措施里…") counts when the
    notice has it anywhere: it names the notice, not the clause's task (and a notice that shows no
    title names itself in its preamble).
    """
    words = content_words(question)
    if not words:
        return 0.0
    meta = hit.metadata
    body = to_simplified(f"{meta.get('doc_title', '')} {meta.get('section', '')} {hit.text}").lower()
    named = set(content_words(notice_named(question))) if notice else set()
    whole = notice(meta["doc_id"]).lower() if notice and named else ""
    return sum(1 for w in words if w in body or alt_in(w, body) or w in named and (w in whole or alt_in(w, whole))) / len(words)


def heading_coverage(question: str, hit: Hit) -> float:
    """Share of the question's content words in the clause's own heading (its task name); the words
    of the notice the question names do not count."""
    words = content_words(question)
    named = set(content_words(notice_named(question)))
    heading = to_simplified((hit.metadata.get("section_path") or [""])[-1]).lower()
    return sum(1 for w in words if w in heading and w not in named) / len(words) if words else 0.0


def unit_kind_match(question: str, hit: Hit) -> float:
    """1 when the question names a kind of unit (股室, 处) that the clause's units are."""
    for word, suffixes in _UNIT_KIND:
        if word in question:
            return float(any(u.endswith(suffixes) for u in hit.metadata.get("units", [])))
    return 0.0


def support(question: str, hit: Hit, w: RankWeights = WEIGHTS, notice: NoticeText | None = None) -> float:
    """How well a clause supports the question: coverage plus weighted dense similarity."""
    return coverage_of(question, hit, notice) + w.dense * hit.dense


def best_supported(question: str, hits: list[Hit], want_numbers: bool = False, w: RankWeights = WEIGHTS,
                   notice: NoticeText | None = None) -> Hit:
    """The one clause of the top five to answer from. Among clauses of one notice, the words that
    name the notice ("清远市粮食应急预案中，…") choose none of them: only the task's words do."""

    def score(rank_hit: tuple[int, Hit]) -> float:
        rank, hit = rank_hit
        s = support(question, hit, w, notice) - w.rank_penalty * rank
        s += w.heading * heading_coverage(question, hit)
        s += w.unit_kind * unit_kind_match(question, hit)
        if want_numbers and re.search(r"\d", hit.text):
            s += w.numbers
        return s

    return max(enumerate(hits[:5]), key=score)[1]


def same_task_across_docs(question: str, hits: list[Hit], max_docs: int = 3, w: RankWeights = WEIGHTS,
                          df: dict[str, int] | None = None, notice: NoticeText | None = None) -> list[Hit]:
    """The best clause, plus the best clause of other notices when they have the same task: nearly as
    much of the question, and (given `df`) the question's rarest word that the best clause has."""
    primary = best_supported(question, hits, w=w, notice=notice)
    base = coverage_of(question, primary)
    anchor = _anchor(question, primary, df) if df else None
    chosen = [primary]
    for hit in hits:
        if len(chosen) >= max_docs:
            break
        if hit.metadata["doc_id"] in {h.metadata["doc_id"] for h in chosen}:
            continue
        text = to_simplified(hit.text).lower()
        if anchor and not (anchor in text or alt_in(anchor, text)):
            continue  # "改建标准化菜市场…由哪个部门牵头": another notice's 妇幼 task is not the same task
        if coverage_of(question, hit) >= max(w.same_task_floor, w.same_task_share * base):
            chosen.append(hit)
    return chosen


def _anchor(question: str, hit: Hit, df: dict[str, int]) -> str | None:
    """The question's rarest word (in fewest clauses) that the clause's own text has."""
    text = to_simplified(hit.text).lower()
    known = [word for word in content_words(question) if df.get(word) and (word in text or alt_in(word, text))]
    return min(known, key=lambda word: df[word]) if known else None


def relevant(question: str, hits: list[Hit], per_doc: bool, limit: int, df: dict[str, int] | None = None,
             w: RankWeights = WEIGHTS, notice: NoticeText | None = None) -> list[Hit]:
    """Hits worth quoting: close to the best one's support; one per notice when per_doc.
    Among clauses of one notice, the words naming the notice count for none (as in `best_supported`).

    Across notices, clauses that contain the question's most specific word (the one in fewest
    clauses, e.g. 噪声 in "各地对噪声污染防治有什么要求？") are considered first.
    """
    if not hits:
        return []
    n_first = 0  # hits before this index contain the anchor word and are taken first
    if per_doc and df:
        known = [word for word in content_words(question) if df.get(word)]
        if known:
            anchor = min(known, key=lambda word: df[word])
            has = [h for h in hits if anchor in h.text or alt_in(anchor, h.text)]
            hits, n_first = has + [h for h in hits if h not in has], len(has)
    scored = [(support(question, h, w, notice), i, h) for i, h in enumerate(hits)]
    best = max(s for s, _, _ in scored)
    out: list[Hit] = []
    docs: set[str] = set()
    for s, i, h in sorted(scored, key=lambda t: (t[1] >= n_first, -t[0], t[1])):
        if s < w.keep_share * best and i > 0:
            continue
        if per_doc and h.metadata["doc_id"] in docs:
            continue
        docs.add(h.metadata["doc_id"])
        out.append(h)
        if len(out) >= limit:
            break
    return out
