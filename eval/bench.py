"""``python -m eval bench [--json] [--quick] [--out DIR]``: speed, scale and cold start, measured.

Every figure comes from one run on one machine:

* build -- the real notices (docs_corpus/, copied to a temporary directory) with the default
  "use" embedder into a fresh store: a full build, a re-build with nothing changed, and a
  re-build after one sentence is added to one clause of one notice; the baseline recipe
  (eval/baseline.py: character chunks embedded into an in-memory Chroma) beside the full build;
* query -- warm process, extractive mode, the questions of eval/questions.jsonl: p50/p95 of
  ``Assistant.ask`` (per question the fastest of three timed passes after a warm-up pass, the
  median pass beside it; eval.bench_scale.time_asks), and retrieval alone for ours and the baseline;
* scale -- synthetic corpora of 1x, 10x, 100x the real one (eval/synth.py) with "hash" vectors,
  one subprocess per size (eval/bench_scale.py);
* cold start -- ``python -m rag ask --store DIR "..."`` from process start to its answer;
* profile -- where a query's time goes, and the top functions by own time (eval/bench_profile.py).

Output: a markdown table with PASS/FAIL per target on stdout (``--json``: the raw JSON instead)
and the raw JSON in eval/bench_results/<timestamp>.json. ``--quick`` (CI) runs the 1x and 10x
sizes and every third question (about 1 minute on 2 idle cores); the full run takes about
4 minutes there, most of it the 100x corpus (~14,700 clauses). Exit status 1 when any target
is missed: a correctness check (a unit's task list incomplete, an edit re-embedding the wrong
clauses, the cold start not answering) or a speed or memory target (measured on this machine).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eval import bench_profile, bench_report
from eval.bench_scale import ROOT, clean_env, load_questions, run_size, time_asks
from eval.metrics import percentile

RESULTS = Path(__file__).resolve().parent / "bench_results"
SIZES, QUICK_SIZES = (1.0, 10.0, 100.0), (1.0, 10.0)
EDIT_FILE = "yangcheng-2024-transport-eco-workplan.txt"
EDIT_SENTENCE = "同时按月报送工作进展情况。"
COLD_QUESTION = "阳城县公路沿线充电设施建设由谁负责？"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _ids(path: Path) -> set[str]:
    from index.parse import parse_document
    from index.records import clause_record

    return {clause_record(c, i)["id"] for i, c in enumerate(parse_document(path).clauses)}


def edit_one_clause(corpus: Path) -> dict:
    """Add a sentence to the first numbered task of one notice; say how many clause ids change."""
    path = corpus / EDIT_FILE if (corpus / EDIT_FILE).exists() else sorted(corpus.glob("*.txt"))[0]
    before = _ids(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if re.match(r"^\s*\d{1,3}\s*[.、．](?!\d)", line))
    m = re.search(r"[（(][^（）()]*[）)]\s*[。；]?\s*$", lines[n])  # keep the units bracket last
    cut = m.start() if m else len(lines[n].rstrip())
    lines[n] = lines[n][:cut].rstrip("。；") + "。" + EDIT_SENTENCE + lines[n][cut:]
    path.write_text("\n".join(lines), encoding="utf-8")
    return {"file": path.name, "line": n + 1, "expected_reembedded": len(_ids(path) - before)}


def measure_build(work: Path, embedder) -> tuple[dict, object]:
    """Full build, unchanged re-build and one-edit re-build of a copy of the real corpus."""
    from eval.baseline import Baseline, split_corpus
    from index.settings import DEFAULT_CORPUS, IndexSettings
    from index.store import build_index

    corpus = work / "corpus"
    shutil.copytree(DEFAULT_CORPUS, corpus)
    settings = IndexSettings.from_env(store=work / "store", corpus=corpus, embedder=embedder.name, chroma_url="")
    log("full build of the real corpus (use embedder)")
    full = build_index(settings, progress=True, embedder=embedder)
    log("re-build with nothing changed")
    again = build_index(settings, progress=False, embedder=embedder)
    edit = edit_one_clause(corpus)
    log(f"re-build after editing one clause of {edit['file']}")
    edited = build_index(settings, progress=True, embedder=embedder)
    log("baseline build (RecursiveCharacterTextSplitter + Chroma, same embedder)")
    started = time.perf_counter()
    chunks = split_corpus(corpus)
    baseline = Baseline(chunks, embedder)
    baseline_s = time.perf_counter() - started
    return {
        "documents": full.documents,
        "clauses": full.clauses,
        "full_s": round(full.seconds, 2),
        "clauses_per_s": round(full.clauses / full.seconds, 1),
        "unchanged_s": round(again.seconds, 3),
        "unchanged_ratio": round(again.seconds / full.seconds, 4),
        "unchanged_embedded": again.embedded,
        "edit": edit | {"seconds": round(edited.seconds, 2), "reembedded": edited.embedded, "reused": edited.reused},
        "baseline_s": round(baseline_s, 2),
        "baseline_chunks": len(chunks),
        "baseline_chunks_per_s": round(len(chunks) / baseline_s, 1),
        "store": str(settings.store),
        "_settings": settings,
    }, baseline


def _time_calls(fn, questions: list[dict]) -> list[float]:
    fn(questions[0])
    times = []
    for q in questions:
        started = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure_queries(settings, embedder, baseline, questions: list[dict]) -> tuple[dict, object]:
    """Warm-process latency of ours (ask, retrieve) and the baseline (retrieve)."""
    from index.embed import _cached_query  # query vectors are memoised: clear between phases
    from rag.answer import TOP_K, Assistant

    started = time.perf_counter()
    assistant = Assistant.load(settings=settings, embedder=embedder)
    load_s = time.perf_counter() - started
    log(f"asking {len(questions)} eval questions (extractive)")
    _cached_query.cache_clear()
    asks, medians = time_asks(assistant, questions)
    log("retrieval only: ours, then the baseline")
    _cached_query.cache_clear()
    ours = _time_calls(lambda q: assistant.retrieve(q["question"], k=TOP_K), questions)
    _cached_query.cache_clear()
    base = _time_calls(lambda q: baseline.retrieve(q["question"]), questions)
    _cached_query.cache_clear()

    def stats(values: list[float]) -> dict:
        return {"p50_ms": round(percentile(values, 50), 1), "p95_ms": round(percentile(values, 95), 1)}

    return {
        "questions": len(questions),
        "load_s": round(load_s, 2),
        "ask": stats(asks),
        "ask_median_pass": stats(medians),
        "retrieve": stats(ours) | {"k": TOP_K},
        "baseline_retrieve": stats(base) | {"k": baseline.k},
    }, assistant


def measure_cold_start(store: Path) -> dict:
    """Seconds from starting ``python -m rag ask`` to its answer (process exit)."""
    log("cold start: python -m rag ask --store ...")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "rag", "ask", "--store", str(store), COLD_QUESTION],
        cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=900,
    )
    seconds = time.perf_counter() - started
    answered = proc.returncode == 0 and bool(proc.stdout.strip())
    return {"seconds": round(seconds, 2), "answered": answered, "question": COLD_QUESTION,
            "error": None if answered else (proc.stderr.strip().splitlines() or ["no output"])[-1]}


def run(quick: bool = False, sizes: tuple[float, ...] | None = None) -> dict:
    """Measure everything and return the raw results (see the module docstring)."""
    from index.embed import get_embedder

    sizes = sizes or (QUICK_SIZES if quick else SIZES)
    questions = load_questions()
    questions = questions[::3] if quick else questions
    results: dict = {"meta": bench_report.machine(), "quick": quick}
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        work = Path(tmp)
        log("loading the use embedder")
        started = time.perf_counter()
        embedder = get_embedder("use")
        embedder.embed_documents(["预热"])
        results["embedder_load_s"] = round(time.perf_counter() - started, 2)
        build, baseline = measure_build(work, embedder)
        settings = build.pop("_settings")
        results["build"] = build
        results["query"], assistant = measure_queries(settings, embedder, baseline, questions)
        log("profiling the query path")
        results["profile"] = bench_profile.profile(assistant, questions[:60])
        results["cold_start"] = measure_cold_start(settings.store)
        results["scale"] = []
        for i, scale in enumerate(sizes, 1):
            log(f"scale {scale:g}x ({i}/{len(sizes)}): synthetic corpus, hash vectors, own subprocess")
            results["scale"].append(run_size(scale, work))
    results["meta"]["load_average_end"] = bench_report.load_average()
    results["targets"] = bench_report.targets(results)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval bench", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the raw JSON instead of the table")
    parser.add_argument("--quick", action="store_true", help="1x and 10x only, every third question (CI)")
    parser.add_argument("--sizes", help="comma-separated scales, e.g. 1,10,100 (overrides --quick's)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory for the JSON (default eval/bench_results)")
    args = parser.parse_args(argv)
    for name in ("RAG_LLM_BASE_URL", "RAG_LLM_MODEL"):  # the benchmark measures extractive mode
        os.environ.pop(name, None)
    sizes = tuple(float(s) for s in args.sizes.split(",")) if args.sizes else None
    results = run(quick=args.quick, sizes=sizes)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print(bench_report.markdown(results))
    log(f"raw results: {path}")
    missed = [t["name"] for t in results["targets"] if not t["ok"]]
    if missed:
        log("missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
