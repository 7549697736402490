"""Run the eval set through our assistant and the baseline; score, gate and report.

Usage: ``python -m eval run [--set FILE] [--json] [--store DIR] [--limit N] [--out DIR]``.

How each metric is computed: :data:`eval.gates.METHOD`.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from eval import metrics as m
from eval.gates import GATES, LOWER_IS_BETTER, METRICS, TYPES, check_gates  # noqa: F401 (re-exported)
from rag.types import Answer
from rag.verify import Verification, verify_answer

DEFAULT_SET = Path(__file__).resolve().parent / "questions.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parent / "reports"


@dataclass
class QuestionResult:
    """What one system did with one question."""

    system: str
    question: dict
    answer: Answer
    ranked: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, text) of retrieve(k=10)
    verification: Verification | None = None
    latency_ms: float = 0.0

    @property
    def cited(self) -> list[tuple[str, str]]:
        return [(c.doc_id, c.text) for c in self.answer.citations]


def load_questions(path: Path, limit: int | None = None) -> list[dict]:
    """Questions of a JSONL eval set (blank lines skipped), the first ``limit`` if given."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def verify(answer: Answer) -> Verification:
    """Grounding check of an answer against the clauses it cites (``Citation.passage``: title,
    section, units, inherited-unit rule and ledger units, then the full clause text)."""
    return verify_answer(answer.answer, {c.n: c.passage for c in answer.citations})


def gold_units(q: dict) -> list[str]:
    """The units a ``who`` answer must name: the lead units when the question asks who leads."""
    if q.get("subtype") == "lead_only" and q.get("gold_lead_units"):
        return list(q["gold_lead_units"])
    return list(q.get("gold_units", []))


def _ranks_retrieval(q: dict) -> bool:
    return bool(q.get("answerable", True) and q.get("gold_clauses") and q.get("type") != "followup")


def run_system(name: str, system, questions: list[dict], progress: bool = True) -> list[QuestionResult]:
    """Ask every question (after one untimed warm-up) and retrieve for the ranked ones."""
    from tqdm import tqdm

    if questions:
        system.ask(questions[0]["question"])
    results = []
    for q in tqdm(questions, desc=name, unit="q", file=sys.stderr, disable=not progress):
        start = time.perf_counter()
        answer = system.ask(q["question"], history=q.get("history") or None)
        latency = (time.perf_counter() - start) * 1000
        ranked = []
        if _ranks_retrieval(q):
            optional = q.get("optional_clauses") or []
            ranked = [(h.metadata.get("doc_id", ""), h.text) for h in system.retrieve(q["question"], k=10)]
            ranked = [(d, t) for d, t in ranked if not any(m.clause_matches(d, t, g) for g in optional)]
        result = QuestionResult(name, q, answer, ranked, None if answer.refused else verify(answer), latency)
        results.append(result)
    return results


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def score(results: list[QuestionResult]) -> dict[str, float | None]:
    """Every metric of :data:`METRICS` over ``results`` (None when no question applies)."""
    ranking = [r for r in results if _ranks_retrieval(r.question)]
    ids = [m.relevance_ids(r.ranked, r.question["gold_clauses"]) for r in ranking]
    who = [r for r in results if r.question.get("type") == "who" and r.question.get("answerable", True)]
    prf = [m.unit_prf(r.answer.units, gold_units(r.question)) for r in who]
    tasks = [r for r in results if r.question.get("type") == "tasks"]
    gold = [r for r in results if r.question.get("answerable", True) and r.question.get("gold_clauses")]
    checked = [r.verification for r in results if r.verification is not None]
    refused = [r.answer.refused for r in results]
    answerable = [bool(r.question.get("answerable", True)) for r in results]
    latency = [r.latency_ms for r in results]
    out: dict[str, float | None] = {}
    for k in (1, 3, 5):
        out[f"hit@{k}"] = _mean([m.hit_at_k(a, b, k) for a, b in ids])
    out["mrr@10"] = _mean([m.mrr_at_k(a, b, 10) for a, b in ids])
    out["ndcg@10"] = _mean([m.ndcg_at_k(a, b, 10) for a, b in ids])
    for i, key in enumerate(("unit_p", "unit_r", "unit_f1")):
        out[key] = _mean([t[i] for t in prf])
    out["tasks_completeness"] = _mean(
        [m.task_list_completeness(r.cited, r.question.get("gold_clauses", [])) for r in tasks]
    )
    out["gold_cited"] = _mean([m.task_list_completeness(r.cited, r.question["gold_clauses"]) for r in gold])
    out["citation_validity"] = m.citation_validity(checked)
    out["sentence_support"] = m.sentence_support_rate(checked)
    out["number_fidelity"] = m.number_fidelity(checked)
    out["refusal_recall"] = m.refusal_recall(refused, answerable)
    out["false_refusal_rate"] = m.false_refusal_rate(refused, answerable)
    out["latency_p50_ms"] = m.percentile(latency, 50)
    out["latency_p95_ms"] = m.percentile(latency, 95)
    return out


def _snippet(text: str, n: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def failures(results: list[QuestionResult]) -> list[dict]:
    """What went wrong, question by question: (check, expected, got)."""
    rows = []
    for r in results:
        q, a = r.question, r.answer

        def add(check: str, expected, got) -> None:
            rows.append({"id": q.get("id"), "type": q.get("type"), "question": q["question"],
                         "check": check, "expected": expected, "got": got})

        if not q.get("answerable", True):
            if not a.refused:
                add("refusal", "refusal", _snippet(a.answer, 80))
            continue
        if a.refused:
            add("false_refusal", q.get("gold_units") or [g["contains"] for g in q.get("gold_clauses", [])], "refused")
            continue
        if _ranks_retrieval(q):
            ranked, gold = m.relevance_ids(r.ranked, q["gold_clauses"])
            if not m.hit_at_k(ranked, gold, 5):
                add("retrieval@5", [g["contains"] for g in q["gold_clauses"]],
                    [f"{d}: {_snippet(t, 30)}" for d, t in r.ranked[:5]])
        if q.get("type") == "who" and m.unit_prf(a.units, gold_units(q))[2] < 1.0:
            add("units", gold_units(q), a.units)
        if q.get("type") == "tasks":
            missing = [g["contains"] for g in q.get("gold_clauses", []) if not m.task_list_completeness(r.cited, [g])]
            if missing:
                add("tasks", missing, f"{len(a.citations)} clauses cited, {len(missing)} gold missing")
        v = r.verification
        if v is not None and not v.ok:
            got = {k: val for k, val in v.to_dict().items()
                   if k in ("unknown_citations", "uncited_sentences", "unsupported_sentences", "missing_numbers") and val}
            add("grounding", "every sentence cited and supported, every number in its clause", got)
    return rows


def evaluate(questions: list[dict], systems: dict[str, object], progress: bool = True) -> dict:
    """Run ``systems`` (name -> object with ask/retrieve) over ``questions``; the summary dict."""
    summary: dict = {"n_questions": len(questions), "systems": {}, "counts": {}}
    counts: dict[str, int] = defaultdict(int)
    for q in questions:
        counts[q.get("type", "?")] += 1
    summary["counts"] = dict(counts)
    all_results: dict[str, list[QuestionResult]] = {}
    for name, system in systems.items():
        results = run_system(name, system, questions, progress)
        all_results[name] = results
        by_type = {t: score([r for r in results if r.question.get("type") == t])
                   for t in [*TYPES, *sorted(set(counts) - set(TYPES))] if counts.get(t)}
        summary["systems"][name] = {"overall": score(results), "by_type": by_type}
    first = next(iter(systems), None)
    if first is not None:
        summary["primary"] = first
        summary["gates"] = check_gates(summary["systems"][first]["overall"])
        summary["passed"] = all(g["status"] != "FAIL" for g in summary["gates"])
        summary["failures"] = failures(all_results[first])
    return summary


def load_assistant(store: Path | None):
    """``Assistant.load(store)``, after building the index when it is missing or stale (the notices,
    the parser code or the settings changed since it was built; an up-to-date index costs nothing)."""
    from index.settings import IndexSettings
    from index.store import build_index
    from rag.answer import Assistant

    settings = IndexSettings.from_env(store=store)
    if not settings.chroma_url:
        build_index(settings, progress=sys.stderr.isatty())
    return Assistant.load(store=settings.store)


def build_baseline(assistant, store: Path | None):
    """The baseline over the same corpus with the same embedder, knowing the assistant's unit names."""
    from eval.baseline import Baseline
    from index.embed import get_embedder
    from index.settings import IndexSettings

    settings = IndexSettings.from_env(store=store)
    names = [u["name"] for u in assistant.units()]
    return Baseline.build(settings.corpus, get_embedder(settings.embedder), names)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point of ``python -m eval run``; returns the exit code (1 when a gate fails)."""
    import argparse

    from eval.report import format_table, write_reports

    parser = argparse.ArgumentParser(prog="python -m eval run", description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="eval set (JSONL)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--store", type=Path, default=None, help="index directory (default RAG_STORE or .store)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report directory")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    args = parser.parse_args(argv)

    questions = load_questions(args.set, args.limit)
    assistant = load_assistant(args.store)
    systems: dict[str, object] = {"ours": assistant}
    if not args.no_baseline:
        systems["baseline"] = build_baseline(assistant, args.store)
    summary = evaluate(questions, systems, progress=not args.json)
    summary["set"] = str(args.set)
    write_reports(summary, args.out)
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else format_table(summary))
    return 0 if summary.get("passed", True) else 1
