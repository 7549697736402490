"""The benchmark's synthetic corpus, its scale worker and its report."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from eval import bench, bench_report
from eval.synth import EXPECTED_FILE, REAL_CLAUSES, generate
from index.parse import parse_document

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "docs_corpus"


def parsed_tasks_per_unit(directory: Path) -> tuple[Counter, int]:
    """Units -> number of clauses naming them (long clauses' pieces counted once), and all clauses."""
    counts: Counter = Counter()
    clauses = 0
    for path in sorted(directory.glob("*.txt")):
        seen = set()
        for clause in parse_document(path).clauses:
            clauses += 1
            key = (clause.section, clause.clause_no)
            if clause.part and key in seen:
                continue
            seen.add(key)
            counts.update(clause.units)
    return counts, clauses


@pytest.fixture(scope="module")
def synth_1x(tmp_path_factory: pytest.TempPathFactory):
    return generate(tmp_path_factory.mktemp("synth") / "1x", scale=1)


def test_real_parser_reads_every_task_and_unit_the_generator_wrote(synth_1x) -> None:
    counts, clauses = parsed_tasks_per_unit(synth_1x.directory)
    assert dict(counts) == synth_1x.tasks_per_unit
    assert 0.85 * REAL_CLAUSES <= clauses <= 1.3 * REAL_CLAUSES
    assert all(parse_document(p).clauses for p in synth_1x.files)


def test_expected_counts_are_saved_where_the_index_build_skips_them(synth_1x) -> None:
    saved = json.loads((synth_1x.directory / EXPECTED_FILE).read_text(encoding="utf-8"))
    assert saved["tasks_per_unit"] == synth_1x.tasks_per_unit
    assert EXPECTED_FILE.startswith(".")  # index.store.corpus_files ignores dot files


def test_synthetic_text_varies_places_and_numbers_of_the_real_notices(synth_1x) -> None:
    real = re.sub(r"\s", "", "".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")))
    text = "".join(p.read_text(encoding="utf-8") for p in synth_1x.files)
    for place in ("阳城县", "连云港市", "吉林省", "山西省"):
        assert place not in text
    bodies = [re.sub(r"^\d+\.|（[^（）]*）$", "", line) for line in text.splitlines() if re.match(r"^\d+\.", line)]
    copied = [body for body in bodies if re.sub(r"\s", "", body) in real]
    assert len(copied) < 0.3 * len(bodies), "task texts should be recombined and varied, not copied"
    assert len(set(real) & set(text)) > 0.9 * len(set(text)), "the vocabulary comes from the real notices"


def test_same_seed_gives_the_same_corpus_and_scale_grows_it(tmp_path: Path, synth_1x) -> None:
    again = generate(tmp_path / "again", scale=1)
    assert [p.read_text(encoding="utf-8") for p in again.files] == [
        p.read_text(encoding="utf-8") for p in synth_1x.files
    ]
    bigger = generate(tmp_path / "3x", scale=3)
    assert 2.5 * synth_1x.task_clauses <= bigger.task_clauses <= 3.5 * synth_1x.task_clauses
    assert max(bigger.tasks_per_unit.values()) > max(synth_1x.tasks_per_unit.values())


def test_edit_changes_exactly_the_edited_clause(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    before = {c.text for c in parse_document(corpus / bench.EDIT_FILE).clauses}
    edit = bench.edit_one_clause(corpus)
    after = parse_document(corpus / bench.EDIT_FILE).clauses
    changed = [c for c in after if c.text not in before]
    assert edit["expected_reembedded"] == len(changed) >= 1
    assert all(bench.EDIT_SENTENCE in c.text for c in changed)
    assert all(c.units for c in changed), "the edit must not detach the clause's units"


def test_peak_memory_of_a_worker_is_its_own_not_its_parents() -> None:
    ballast = bytearray(300 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    out = subprocess.run(
        [sys.executable, "-c", "from eval.bench_scale import peak_rss_mb; print(peak_rss_mb()[0])"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert float(out.stdout) < 200, "a child inherits getrusage's ru_maxrss from its parent; VmHWM does not"
    del ballast


def fake_results(p50: float = 30.0, complete: bool = True, ratio: float = 0.02, big_p95: float = 11.0) -> dict:
    scale = {"scale": 1.0, "notices": 5, "clauses": 147, "build_s": 2.0, "load_s": 0.4, "query_p50_ms": 2.0,
             "query_p95_ms": 6.0, "peak_rss_mb": 250.0, "units": 109, "units_complete": 109 if complete else 108,
             "largest_unit_tasks": 7}
    big = scale | {"scale": 100.0, "query_p95_ms": big_p95, "peak_rss_mb": 900.0, "units_complete": 109,
                   "profile": {"stages_ms_per_question": {"BM25 (jieba + bm25s)": 9.0, "total": 12.0},
                               "top_functions": [{"function": "rag/units_lookup.py:63(find_in)", "calls": 60,
                                                  "own_ms_per_question": 4.0, "cum_ms_per_question": 6.0}]}}
    r = {
        "meta": bench_report.machine(), "embedder_load_s": 2.0,
        "build": {"documents": 5, "clauses": 146, "full_s": 10.0, "clauses_per_s": 14.6, "unchanged_s": 10 * ratio,
                  "unchanged_ratio": ratio, "baseline_s": 5.0, "baseline_chunks": 81,
                  "edit": {"file": "x.txt", "seconds": 1.0, "reembedded": 1, "reused": 145, "expected_reembedded": 1}},
        "query": {"questions": 240, "ask": {"p50_ms": p50, "p95_ms": 100.0},
                  "retrieve": {"p50_ms": 50.0, "p95_ms": 90.0, "k": 8},
                  "baseline_retrieve": {"p50_ms": 40.0, "p95_ms": 80.0, "k": 4}},
        "cold_start": {"seconds": 6.0, "answered": True, "error": None},
        "scale": [scale, big],
        "profile": {"questions": 60, "stages_ms_per_question": {"query embedding (use)": 40.0, "total": 50.0},
                    "slowest_stage": "query embedding (use)", "slowest_share": 0.8, "top_functions": [],
                    "cpu_count": 2, "use_embed_p50_ms_whatif": {"threads=1": 5.0}},
    }
    r["targets"] = bench_report.targets(r)
    return r


def _row(table: str, text: str) -> str:
    return next(line for line in table.splitlines() if text in line)


def test_report_marks_each_target_pass_or_fail() -> None:
    good = bench_report.markdown(fake_results())
    assert _row(good, "ask p50").endswith("PASS |")
    assert _row(good, "nothing changed").endswith("PASS |")
    assert _row(good, "p95 at 100x").endswith("PASS |") and "1.83×" in _row(good, "p95 at 100x")
    assert _row(bench_report.markdown(fake_results(big_p95=15.0)), "p95 at 100x").endswith("FAIL |")  # 2.5x > 2x
    assert "`rag/units_lookup.py:63(find_in)`" in _row(good, "find_in"), "what limits scaling is shown"
    slow = bench_report.markdown(fake_results(p50=120.0, ratio=0.08))
    assert _row(slow, "ask p50").endswith("FAIL |")
    assert _row(slow, "nothing changed").endswith("FAIL |")
    assert "FAIL" not in _row(slow, "ask p95")


def test_report_says_scale_runs_use_hash_vectors_and_flags_incomplete_task_lists() -> None:
    r = fake_results(complete=False)
    table = bench_report.markdown(r)
    assert "hash vectors" in table
    assert "108/109 ✗" in table and _row(table, "1x:").endswith("FAIL |")
    failed = [t["name"] for t in r["targets"] if not t["ok"]]
    assert failed == ["unit -> tasks complete at 1x"]


@pytest.mark.slow
def test_scale_worker_measures_a_small_synthetic_corpus(tmp_path: Path) -> None:
    from eval.bench_scale import run_size

    result = run_size(0.3, tmp_path)
    assert "error" not in result, result
    assert result["embedder"] == "hash"
    assert result["units_complete"] == result["units"] > 0
    assert result["questions"] == 240 and result["query_p50_ms"] <= result["query_p95_ms"]
    assert 50 < result["peak_rss_mb"] < 2048


@pytest.mark.slow
def test_quick_benchmark_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status = bench.main(["--quick", "--sizes", "1", "--out", str(tmp_path)])
    table = capsys.readouterr().out
    assert "| Area | Measure | Ours | Baseline | Target | Result |" in table
    assert "Slowest stage" in table
    saved = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    assert status == (0 if all(t["ok"] for t in saved["targets"]) else 1)
    assert all(t["ok"] for t in saved["targets"] if t["kind"] == "correctness")
    assert {"meta", "build", "query", "scale", "cold_start", "profile", "targets"} <= set(saved)
    assert saved["cold_start"]["answered"]
    assert saved["scale"][0]["units_complete"] == saved["scale"][0]["units"]


@pytest.mark.parametrize(("kind", "ok", "status"), [("speed", False, 1), ("memory", False, 1),
                                                    ("correctness", False, 1), ("speed", True, 0)])
def test_the_benchmark_exits_non_zero_when_any_target_is_missed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, ok: bool, status: int
) -> None:
    results = {"targets": [{"name": "correctness", "kind": "correctness", "value": 1, "target": "x", "ok": True},
                           {"name": "t", "kind": kind, "value": 1, "target": "x", "ok": ok}]}
    monkeypatch.setattr(bench, "run", lambda quick=False, sizes=None: results)
    monkeypatch.setattr(bench_report, "markdown", lambda r: "table")
    assert bench.main(["--out", str(tmp_path)]) == status
