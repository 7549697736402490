"""Answers on real notices: the dev and held-out question sets, ours beside the plain recipe.

Usage: ``python -m eval real [--split dev|heldout] [--json] [--store DIR] [--out DIR] [--no-baseline]``.

The questions (``eval/real/dev.jsonl``, ``eval/real/heldout.jsonl``) were written by hand from the
text of the real notices in ``tests/data/real_notices/`` (split by ``SPLIT.tsv``) before anything
was tuned against them, and are checked with ``eval/check_questions.py --real <split>``. Both
splits are asked against ONE index of every real notice plus the five seed notices
(``docs_corpus/``), so a question about one county competes with every other notice (258 of them on 2026-12-01: 253 real notices and the 5 seeds), as it would
for a bureau that loads notices from many places. Every threshold, weight and word list is fitted
on dev only; the CI gates (:data:`eval.gates.HELDOUT_GATES`) apply to held-out, and retrieval on
every split must be at least the plain recipe's (:func:`eval.gates.check_not_below`).

The console shows aggregates only; failures per question go to the report files.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from eval.gates import HELDOUT_GATES, METRICS, REAL_TARGETS, check_gates, check_not_below
from eval.run import evaluate, load_questions

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = Path(__file__).resolve().parent / "real"
NOTICES = ROOT / "tests" / "data" / "real_notices"
SEEDS = ROOT / "docs_corpus"
DEFAULT_STORE = ROOT / ".store-real"
DEFAULT_OUT = Path(__file__).resolve().parent / "reports" / "real"
SPLITS = ("dev", "heldout")


def corpus_files() -> list[Path]:
    """The notices of the real-notice eval: every real notice and every seed notice."""
    seeds = [p for p in sorted(SEEDS.iterdir()) if p.is_file() and not p.name.startswith(".")]
    return sorted(NOTICES.glob("*.txt")) + seeds


def prepare_corpus(corpus: Path) -> Path:
    """Copy the eval's notices into ``corpus`` (only changed files; stale ones removed)."""
    corpus.mkdir(parents=True, exist_ok=True)
    wanted = {p.name: p for p in corpus_files()}
    for old in corpus.iterdir():
        if old.name not in wanted:
            old.unlink()
    for name, src in wanted.items():
        dst = corpus / name
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dst)
    return corpus


def load_systems(store_root: Path, baseline: bool = True) -> dict[str, object]:
    """Our assistant over the real-notice index (built when missing or stale) and the baseline."""
    from index.settings import IndexSettings
    from index.store import build_index
    from rag.answer import Assistant

    corpus = prepare_corpus(store_root / "corpus")
    settings = IndexSettings.from_env(store=store_root / "index", corpus=corpus, chroma_url="")
    build_index(settings, progress=sys.stderr.isatty())
    systems: dict[str, object] = {"ours": Assistant.load(settings=settings)}
    if baseline:
        from eval.baseline import Baseline
        from index.embed import get_embedder

        names = [u["name"] for u in systems["ours"].units()]
        systems["baseline"] = Baseline.build(corpus, get_embedder(settings.embedder), names)
    return systems


def run_real(splits=SPLITS, store_root: Path = DEFAULT_STORE, baseline: bool = True,
             progress: bool = True) -> dict:
    """``{"splits": {split: summary}, "passed": bool}``; gates on held-out, baseline floor on each split."""
    systems = load_systems(Path(store_root), baseline)
    out: dict = {"splits": {}, "passed": True}
    for split in splits:
        questions = load_questions(QUESTIONS / f"{split}.jsonl")
        summary = evaluate(questions, systems, progress=progress)
        summary["set"] = f"eval/real/{split}.jsonl"
        ours = summary["systems"]["ours"]["overall"]
        summary["targets"] = check_gates(ours, REAL_TARGETS)
        gates = check_gates(ours, HELDOUT_GATES) if split == "heldout" else []
        if "baseline" in summary["systems"]:
            gates += check_not_below(ours, summary["systems"]["baseline"]["overall"])
        summary["gates"] = gates
        summary["passed"] = all(g["status"] != "FAIL" for g in gates)
        out["splits"][split] = summary
        out["passed"] = out["passed"] and summary["passed"]
    return out


def _fmt(value, metric: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if metric.endswith("_ms") else f"{value:.3f}"


def side_by_side(result: dict) -> list[list[str]]:
    """Rows ``metric, dev ours, dev baseline, held-out ours, held-out baseline``."""
    rows = []
    for metric in METRICS:
        row = [metric]
        for split in SPLITS:
            systems = result["splits"].get(split, {}).get("systems", {})
            for name in ("ours", "baseline"):
                row.append(_fmt(systems.get(name, {}).get("overall", {}).get(metric), metric))
        rows.append(row)
    return rows


HEADER = ["metric", "dev ours", "dev baseline", "held-out ours", "held-out baseline"]


def _gate_lines(result: dict) -> list[str]:
    lines = []
    for split, summary in result["splits"].items():
        for kind in ("gates", "targets"):
            for g in summary.get(kind, []):
                label = g.get("label") or f"{g['metric']} {g['op']} {g['threshold']}"
                status = g["status"] if kind == "gates" else {"PASS": "met", "FAIL": "not met"}.get(g["status"], "n/a")
                lines.append(f"{split:8s} {kind[:-1]:6s} {status:7s} {label} (got {_fmt(g['value'])})")
    return lines


def format_console(result: dict) -> str:
    rows = side_by_side(result)
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    counts = {s: r["n_questions"] for s, r in result["splits"].items()}
    text = [f"real notices: {counts}", line(HEADER), line(["-" * w for w in widths]), *map(line, rows), ""]
    text += _gate_lines(result)
    text.append("ALL GATES PASS" if result["passed"] else "GATES FAILED")
    return "\n".join(text)


def write_reports(result: dict, out: Path) -> None:
    """``report.md`` (side by side, per type per split, gates) and one folder of full reports per split."""
    from eval.report import _md_table
    from eval.report import write_reports as write_one

    out.mkdir(parents=True, exist_ok=True)
    parts = ["# Real notices: answers on dev and held-out", "",
             "One index of every real notice plus the seed notices; questions written before tuning.", "",
             _md_table(HEADER, side_by_side(result)), "", "## Gates and targets", "", "```",
             *_gate_lines(result), "```", ""]
    for split, summary in result["splits"].items():
        write_one(summary, out / split)
        parts.append(f"Per type and failures, {split}: [{split}/report.md]({split}/report.md)")
    (out / "report.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m eval real", description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=SPLITS, action="append", help="only this split (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE, help="folder for the eval's corpus and index")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report directory")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    args = parser.parse_args(argv)
    result = run_real(tuple(args.split or SPLITS), args.store, not args.no_baseline, progress=not args.json)
    write_reports(result, args.out)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_console(result))
    return 0 if result["passed"] else 1
