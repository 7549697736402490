"""What the eval measures and what it must reach: metric names, question types and gates.

One module that both the runner (``eval/run.py``, ``eval/real.py``) and the report
(``eval/report.py``) import, so neither imports the other for definitions.
"""

from __future__ import annotations

METRICS: tuple[str, ...] = (
    "hit@1", "hit@3", "hit@5", "mrr@10", "ndcg@10", "unit_p", "unit_r", "unit_f1",
    "tasks_completeness", "gold_cited", "citation_validity", "sentence_support",
    "number_fidelity", "refusal_recall", "false_refusal_rate", "latency_p50_ms", "latency_p95_ms",
)
LOWER_IS_BETTER = frozenset({"false_refusal_rate", "latency_p50_ms", "latency_p95_ms"})
TYPES: tuple[str, ...] = ("who", "tasks", "fact", "requirements", "across", "followup", "unanswerable")

# Gates on the seed set (eval/questions.jsonl, the five notices of docs_corpus/).
GATES: dict[str, tuple[str, float]] = {
    "hit@5": (">=", 0.90),
    "unit_f1": (">=", 0.95),
    "citation_validity": ("==", 1.0),
    "number_fidelity": ("==", 1.0),
    "sentence_support": (">=", 0.90),
    "refusal_recall": (">=", 0.90),
    "false_refusal_rate": ("<=", 0.05),
}

# The real-notice sets (eval/real/): the targets, reported for both splits as met / not met.
REAL_TARGETS: dict[str, tuple[str, float]] = {
    "hit@5": (">=", 0.95),
    "refusal_recall": (">=", 0.95),
    "false_refusal_rate": ("<=", 0.05),
    "citation_validity": ("==", 1.0),
    "number_fidelity": ("==", 1.0),
}
# CI gates on the held-out real set: the targets where they are met (grounding: citation validity,
# sentence support, number fidelity), regression floors where they are not yet. The floors sit under
# the measurement of 2026-12-02 (fourth session) on the held-out set as it now stands: 739 questions --
# 190 over batches 1-4, 94 over batches 5-6, 183 over batches 7-9, 69 over batch 10, 46 over batch 11,
# 59 over batch 12, 44 over batch 13 and 54 over batch 14, each group written before any tuning --
# against one index of 294 real notices and the 5 seeds (hit@5 0.898, unit F1 0.576, refusal recall
# 0.471, false refusals 0.105; README "Answers on notices from other bureaus"). They are regression
# floors, not the targets, which REAL_TARGETS reports. The refusal floor was re-based from 0.48 to 0.46
# when the batch-11 questions joined (3 of their 10 near misses refused), and from 0.46 to 0.44 when
# batches 13 and 14 joined (2 of 9 and 5 of 11 of their near misses refused fresh, nothing fitted on
# them), not to pass a change; a fresh build's HNSW graph moves a figure by about one question (0.008
# of refusal recall).
HELDOUT_GATES: dict[str, tuple[str, float]] = {
    "citation_validity": ("==", 1.0),
    "sentence_support": ("==", 1.0),
    "number_fidelity": ("==", 1.0),
    "hit@5": (">=", 0.88),
    "unit_f1": (">=", 0.55),
    "refusal_recall": (">=", 0.44),
    "false_refusal_rate": ("<=", 0.14),
}
# Retrieval on every split must be at least the plain recipe's (hit@5, same questions).
NOT_BELOW_BASELINE: tuple[str, ...] = ("hit@5",)

# Which questions feed which metric (printed in every report).
METHOD = """\
* retrieval hit@1/3/5, MRR@10, nDCG@10 -- answerable questions with gold clauses,
  except ``followup`` (``retrieve()`` takes no history, so a follow-up's ranked list
  would measure the question without its context); ranked list = ``retrieve(q, k=10)``
  for both systems (the baseline answers from its top 4, but is ranked on 10);
* unit P/R/F1 -- ``who`` questions, ``answer.units`` vs ``gold_units`` (macro mean);
  a ``lead_only`` question asks who leads, so its gold is ``gold_lead_units``;
* ``optional_clauses`` (acceptable but not required) are dropped from ranked lists
  before scoring: they neither count as hits nor push gold clauses down;
* tasks completeness -- ``tasks`` questions, cited clauses vs ``gold_clauses``;
* gold cited -- every answerable question with gold clauses: share of them cited;
* citation validity, sentence support, number fidelity -- every answer that was not a
  refusal, checked by :func:`rag.verify.verify_answer` against the cited clauses
  (``Citation.passage``: header with title, section and units + clause text);
* refusal recall / false-refusal rate -- all questions; latency p50/p95 -- all
  questions, wall clock around ``ask()`` after one untimed warm-up question.
"""

_OPS = {
    ">=": lambda v, t: v >= t - 1e-9,
    "<=": lambda v, t: v <= t + 1e-9,
    "==": lambda v, t: abs(v - t) < 1e-9,
}


def check_gates(overall: dict[str, float | None], gates: dict[str, tuple[str, float]] = GATES) -> list[dict]:
    """Each gate with its value and PASS / FAIL / N/A (no applicable question)."""
    rows = []
    for metric, (op, threshold) in gates.items():
        value = overall.get(metric)
        status = "N/A" if value is None else ("PASS" if _OPS[op](value, threshold) else "FAIL")
        rows.append({"metric": metric, "op": op, "threshold": threshold, "value": value, "status": status})
    return rows


def check_not_below(ours: dict[str, float | None], baseline: dict[str, float | None]) -> list[dict]:
    """A gate per metric of :data:`NOT_BELOW_BASELINE`: ours >= the baseline's on the same questions."""
    rows = []
    for metric in NOT_BELOW_BASELINE:
        o, b = ours.get(metric), baseline.get(metric)
        status = "N/A" if o is None or b is None else ("PASS" if o >= b - 1e-9 else "FAIL")
        rows.append({"metric": metric, "op": ">=", "threshold": b, "value": o, "status": status,
                     "label": f"{metric} >= baseline"})
    return rows
