"""The runner scores what a system did, gates on it and reports it, on a scripted system."""

from __future__ import annotations

import json
import sys
import types

import pytest

import eval.run as run
from eval import __main__ as cli
from eval.report import format_table, render_markdown, write_reports
from eval.run import GATES, evaluate, gold_units
from tests.eval.conftest import MINI, ScriptedSystem


def _summary(questions, mistake="", baseline_mistake="never_refuse", **kw):
    systems = {"ours": ScriptedSystem(questions, mistake, **kw),
               "baseline": ScriptedSystem(questions, baseline_mistake)}
    return evaluate(questions, systems, progress=False)


def test_faithful_system_scores_full_marks_and_passes(mini_questions):
    summary = _summary(mini_questions)
    ours = summary["systems"]["ours"]["overall"]
    for metric in ("hit@1", "hit@5", "mrr@10", "ndcg@10", "unit_f1", "tasks_completeness", "gold_cited",
                   "citation_validity", "number_fidelity", "refusal_recall"):
        assert ours[metric] == pytest.approx(1.0), metric
    assert ours["sentence_support"] >= GATES["sentence_support"][1]
    assert ours["false_refusal_rate"] == 0.0
    assert summary["passed"] and summary["failures"] == []
    assert {g["status"] for g in summary["gates"]} == {"PASS"}


def test_baseline_that_never_refuses_has_zero_refusal_recall(mini_questions):
    summary = _summary(mini_questions)
    assert summary["systems"]["baseline"]["overall"]["refusal_recall"] == 0.0
    assert summary["systems"]["baseline"]["by_type"]["unanswerable"]["refusal_recall"] == 0.0
    assert summary["systems"]["baseline"]["by_type"]["who"]["refusal_recall"] is None


def test_wrong_number_fails_number_fidelity_and_is_listed(mini_questions):
    summary = _summary(mini_questions, "wrong_number")
    assert summary["systems"]["ours"]["overall"]["number_fidelity"] < 1.0
    assert not summary["passed"]
    gate = next(g for g in summary["gates"] if g["metric"] == "number_fidelity")
    assert gate["status"] == "FAIL"
    grounding = [f for f in summary["failures"] if f["check"] == "grounding"]
    assert {f["id"] for f in grounding} == {"m-fact-1", "m-req-1"}
    assert "70%" in grounding[0]["got"]["missing_numbers"] + grounding[1]["got"]["missing_numbers"]


def test_extra_unit_lowers_precision_not_recall(mini_questions):
    summary = _summary(mini_questions, "extra_unit")
    who = summary["systems"]["ours"]["by_type"]["who"]
    assert who["unit_r"] == 1.0 and who["unit_p"] < 1.0
    assert any(f["check"] == "units" and "水运股" in f["got"] for f in summary["failures"])
    assert not summary["passed"]


def test_gold_ranked_below_five_distractors_is_a_retrieval_miss(mini_questions):
    summary = _summary(mini_questions, "miss_retrieval")
    ours = summary["systems"]["ours"]["overall"]
    assert ours["hit@5"] == 0.0 and 0.0 < ours["mrr@10"] <= 1 / 6
    missed = {f["id"] for f in summary["failures"] if f["check"] == "retrieval@5"}
    assert missed == {"m-who-1", "m-who-2", "m-fact-1", "m-tasks-1", "m-req-1"}  # not the follow-up


def test_optional_clause_neither_helps_nor_hurts_ranking(mini_questions):
    q = dict(next(q for q in mini_questions if q["id"] == "m-fact-1"))
    q["optional_clauses"] = [{"doc": "shanxi-2024-air-quality-news", "contains": "充电桩890台"}]
    system = ScriptedSystem([q], "miss_retrieval")  # five copies of the optional clause, then gold
    ours = evaluate([q], {"ours": system}, progress=False)["systems"]["ours"]["overall"]
    assert ours["hit@1"] == 1.0


def test_lead_only_question_is_scored_on_lead_units(mini_questions):
    q = next(q for q in mini_questions if q.get("subtype") == "lead_only")
    assert gold_units(q) == ["厅运输处"]
    assert gold_units({**q, "subtype": None}) == q["gold_units"]


def test_latency_is_measured_per_question(mini_questions):
    summary = _summary(mini_questions, delay_s=0.02)
    ours = summary["systems"]["ours"]["overall"]
    assert 20 <= ours["latency_p50_ms"] <= ours["latency_p95_ms"]


def test_reports_are_written(tmp_path, mini_questions):
    summary = _summary(mini_questions, "wrong_number")
    summary["set"] = str(MINI)
    paths = write_reports(summary, tmp_path)
    assert json.loads(paths["summary"].read_text(encoding="utf-8"))["n_questions"] == len(mini_questions)
    assert paths["chart"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = paths["report"].read_text(encoding="utf-8")
    assert "| number_fidelity |" in report and "| unanswerable |" in report
    assert "吉林省高速公路快充覆盖率的目标是多少？" in report  # the failing question is listed
    table = format_table(summary)
    assert "FAIL  number_fidelity" in table and "GATES FAILED" in table


def test_markdown_shows_ratio_against_baseline(mini_questions):
    summary = _summary(mini_questions)
    row = next(line for line in render_markdown(summary).splitlines() if line.startswith("| refusal_recall |"))
    assert "| 1.000 | 0.000 | - |" in row  # ratio undefined when the baseline scores 0


@pytest.fixture
def scripted_cli(monkeypatch, mini_questions):
    def install(mistake=""):
        monkeypatch.setattr(run, "load_assistant", lambda store: ScriptedSystem(mini_questions, mistake))
        monkeypatch.setattr(run, "build_baseline", lambda a, s: ScriptedSystem(mini_questions, "never_refuse"))
    return install


def test_cli_exit_code_follows_the_gates(scripted_cli, tmp_path, capsys):
    scripted_cli("")
    assert cli.main(["run", "--set", str(MINI), "--out", str(tmp_path)]) == 0
    assert "ALL GATES PASS" in capsys.readouterr().out
    scripted_cli("wrong_number")
    assert cli.main(["run", "--set", str(MINI), "--out", str(tmp_path)]) == 1


def test_cli_json_and_limit(scripted_cli, tmp_path, capsys):
    scripted_cli("")
    assert cli.main(["run", "--set", str(MINI), "--limit", "3", "--json", "--out", str(tmp_path)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["n_questions"] == 3
    assert set(summary["systems"]) == {"ours", "baseline"}
    assert (tmp_path / "report.md").exists()


def test_bench_is_dispatched(monkeypatch):
    fake = types.ModuleType("eval.bench")
    fake.main = lambda argv: 7 if argv == ["--quick"] else 0
    monkeypatch.setitem(sys.modules, "eval.bench", fake)
    assert cli.main(["bench", "--quick"]) == 7


def test_unknown_command_is_a_usage_error(capsys):
    assert cli.main(["frobnicate"]) == 2
    assert "usage" in capsys.readouterr().err


def test_calibrate_confirms_the_threshold(capsys):
    assert cli.main(["calibrate"]) == 0
    assert "best threshold" in capsys.readouterr().out
