"""Evaluation metrics (pure functions, no I/O).

Ranking metrics take a ranked list of ids and the set of gold ids; use
:func:`relevance_ids` to turn retrieved clauses and gold clause specs into ids,
so that two parts of one long clause count as the same gold item.

Gold clause match rule: a retrieved item ``(doc_id, text)`` matches a gold clause
``{"doc": doc_id, "contains": substring}`` when the doc ids are equal and the
substring occurs in the text after both are NFKC-normalised (full-width ->
half-width) and stripped of all whitespace.

Both rules first drop the pinyin a mirror site writes after some characters ("發(fā)改委" = "發改委"),
as the index's cleaning does.

Unit name rule (:func:`normalise_unit`): NFKC, traditional script read as simplified (工務局 = 工务局), whitespace and brackets removed
(``各市〔州〕交通运输局`` ~ ``各市(州)交通运输局`` ~ ``各市州交通运输局``), a leading
"局"/"本局" naming the issuing bureau dropped (``局农管股`` ~ ``农管股``), and the
abbreviations in :data:`UNIT_ALIASES` mapped to the full name.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence

from rag.verify import Verification

UNIT_ALIASES: dict[str, str] = {
    "厅综规处": "厅综合规划处",
}
_BRACKETS = re.compile(r"[\s()（）〔〕\[\]【】［］<>《》「」]")


def _squash(text: str) -> str:
    from index.clean import strip_glosses  # a gold string copied with a mirror site's pinyin ("發(fā)改委")

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", strip_glosses(text)))


def clause_matches(doc_id: str, text: str, gold: dict) -> bool:
    """Whether a retrieved clause (or part) is the gold clause ``{"doc", "contains"}``."""
    return doc_id == gold["doc"] and _squash(gold["contains"]) in _squash(text)


def relevance_ids(
    retrieved: Sequence[tuple[str, str]], gold: Sequence[dict]
) -> tuple[list[Hashable], set[Hashable]]:
    """Map retrieved ``(doc_id, text)`` items to ids for the ranking metrics.

    Returns:
        (ranked ids, gold ids): an item matching gold clause ``i`` gets id ``("gold", i)``
        (the first gold clause it matches), any other item a unique ``("other", rank)``.
    """
    ranked: list[Hashable] = []
    for rank, (doc_id, text) in enumerate(retrieved):
        match = next((i for i, g in enumerate(gold) if clause_matches(doc_id, text, g)), None)
        ranked.append(("gold", match) if match is not None else ("other", rank))
    return ranked, {("gold", i) for i in range(len(gold))}


def hit_at_k(ranked_ids: Sequence[Hashable], gold_ids: Iterable[Hashable], k: int) -> float:
    """1.0 when any of the top ``k`` ids is gold, else 0.0."""
    gold = set(gold_ids)
    return 1.0 if any(i in gold for i in ranked_ids[:k]) else 0.0


def mrr_at_k(ranked_ids: Sequence[Hashable], gold_ids: Iterable[Hashable], k: int) -> float:
    """Reciprocal rank of the first gold id within the top ``k`` (0.0 when none)."""
    gold = set(gold_ids)
    for rank, i in enumerate(ranked_ids[:k], start=1):
        if i in gold:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked_ids: Sequence[Hashable], gold_ids: Iterable[Hashable], k: int) -> float:
    """Binary-relevance nDCG@k; a gold id repeated lower in the list earns nothing again."""
    gold = set(gold_ids)
    if not gold:
        return 0.0
    seen: set[Hashable] = set()
    dcg = 0.0
    for pos, i in enumerate(ranked_ids[:k]):
        if i in gold and i not in seen:
            seen.add(i)
            dcg += 1.0 / math.log2(pos + 2)
    ideal = sum(1.0 / math.log2(pos + 2) for pos in range(min(k, len(gold))))
    return dcg / ideal


def normalise_unit(name: str) -> str:
    """Canonical form of a unit name for comparison (rule in the module docstring)."""
    from index.clean import strip_glosses
    from index.units import to_simplified  # one script: 工務局 (as written) is 工务局

    key = _BRACKETS.sub("", to_simplified(unicodedata.normalize("NFKC", strip_glosses(name))))
    key = UNIT_ALIASES.get(key, key)
    for prefix in ("本局", "局"):
        if key.startswith(prefix) and len(key) - len(prefix) >= 2:
            key = key[len(prefix):]
            break
    return UNIT_ALIASES.get(key, key)


def unit_prf(predicted: Iterable[str], gold: Iterable[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicted unit names against gold ones (normalised sets).

    Both empty counts as perfect; predicting nothing when there is gold scores 0.
    """
    pred = {normalise_unit(u) for u in predicted if u.strip()}
    true = {normalise_unit(u) for u in gold if u.strip()}
    if not pred and not true:
        return 1.0, 1.0, 1.0
    tp = len(pred & true)
    precision = tp / len(pred) if pred else 0.0
    recall = tp / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def task_list_completeness(
    predicted_clause_keys: Sequence[tuple[str, str]], gold_keys: Sequence[dict]
) -> float:
    """Share of gold clauses matched by at least one predicted ``(doc_id, text)`` (1.0 if no gold)."""
    if not gold_keys:
        return 1.0
    found = sum(
        1 for g in gold_keys if any(clause_matches(d, t, g) for d, t in predicted_clause_keys)
    )
    return found / len(gold_keys)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def citation_validity(verifications: Sequence[Verification]) -> float | None:
    """Share of answers whose every ``[n]`` names a passage they were given (and that cite)."""
    return _mean([1.0 if v.citation_valid else 0.0 for v in verifications])


def sentence_support_rate(verifications: Sequence[Verification]) -> float | None:
    """Mean over answers of the share of sentences supported by their cited passages."""
    return _mean([v.support_rate for v in verifications])


def number_fidelity(verifications: Sequence[Verification]) -> float | None:
    """Share of answers whose every number appears in the clauses they cite."""
    return _mean([0.0 if v.missing_numbers else 1.0 for v in verifications])


def refusal_recall(refused: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Share of unanswerable questions that were refused (None when there are none)."""
    return _mean([1.0 if r else 0.0 for r, a in zip(refused, answerable, strict=True) if not a])


def false_refusal_rate(refused: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Share of answerable questions that were refused (None when there are none)."""
    return _mean([1.0 if r else 0.0 for r, a in zip(refused, answerable, strict=True) if a])


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100) with linear interpolation; None for no values."""
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
