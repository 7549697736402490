"""`python -m rag ask|tasks`, called through main([...]) on the real index."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rag.__main__ import main
from rag.types import REFUSAL

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("extractive")]

ANSWER_KEYS = {"question", "answer", "refused", "intent", "units", "citations", "mode", "latency_ms"}
CITATION_KEYS = {
    "n",
    "doc_id",
    "doc_title",
    "doc_number",
    "issuer",
    "date",
    "section",
    "text",
    "units",
    "lead_units",
}


@pytest.fixture(autouse=True)
def _no_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RAG_EMBEDDER", "RAG_CHROMA_URL", "RAG_STORE"):
        monkeypatch.delenv(name, raising=False)


def run_jsonl(monkeypatch, capsys, store: Path, lines: list[str]) -> list[dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["ask", "--jsonl", "--store", str(store)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_jsonl_answers_each_line_with_the_answer_object(built_store: Path, monkeypatch, capsys) -> None:
    first = "全面落实“双碳”战略部署由谁牵头？"
    out = run_jsonl(
        monkeypatch,
        capsys,
        built_store,
        [
            json.dumps({"question": first}, ensure_ascii=False),
            json.dumps(
                {"question": "那它的完成时限呢？", "history": [{"question": first, "answer": "……"}]},
                ensure_ascii=False,
            ),
        ],
    )
    assert len(out) == 2
    for obj in out:
        assert ANSWER_KEYS <= set(obj)
        assert obj["mode"] == "extractive" and obj["refused"] is False
        assert isinstance(obj["latency_ms"], (int, float)) and obj["latency_ms"] >= 0
        assert obj["citations"]
        for c in obj["citations"]:
            assert CITATION_KEYS <= set(c)
    who, followup = out
    assert who["question"] == first and who["intent"] == "who"
    assert who["units"] == ["厅运输处"]
    assert who["citations"][0]["lead_units"] == ["厅运输处"]
    assert who["citations"][0]["n"] == 1
    assert who["citations"][0]["section"].endswith("3.全面落实“双碳”战略部署")
    assert followup["question"] == "那它的完成时限呢？"
    assert "6月底和12月底前" in followup["answer"]
    assert followup["citations"][0]["section"] == who["citations"][0]["section"]


def test_jsonl_reports_a_bad_line_and_goes_on(built_store: Path, monkeypatch, capsys) -> None:
    out = run_jsonl(monkeypatch, capsys, built_store, ["not json", json.dumps({"question": "今天天气如何"})])
    assert len(out) == 2
    assert "error" in out[0] and "bad input line" in out[0]["error"]
    assert out[1]["refused"] is True and out[1]["answer"] == REFUSAL


def test_ask_json_prints_one_answer_object(built_store: Path, capsys) -> None:
    assert main(["ask", "综运股负责哪些工作？", "--json", "--store", str(built_store)]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["intent"] == "tasks" and obj["units"] == ["综运股"]
    assert [c["units"] for c in obj["citations"]] == [
        ["综运股"],
        ["发展中心", "综运股", "农管股", "各工程项目部"],
        ["综运股", "水运股"],
    ]
    assert {c["doc_number"] for c in obj["citations"]} == {"阳交字〔2024〕138号"}


def test_ask_plain_prints_the_answer_and_its_sources(built_store: Path, capsys) -> None:
    assert main(["ask", "公路沿线充电设施建设由谁负责？", "--store", str(built_store)]) == 0
    out = capsys.readouterr().out
    assert "[1] 《2024年交通运输生态环境保护工作要点》（阳交字〔2024〕138号）" in out
    assert "责任单位：发展中心、农管股、太行一号项目部" in out


def test_tasks_lists_a_units_clauses(built_store: Path, capsys) -> None:
    assert main(["tasks", "--unit", "水运股", "--store", str(built_store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("3. 加强塑料污染治理  完成时限：未写明") and lines[1].endswith(
        "4. 加快淘汰高污染、高耗能的营运车船  完成时限：未写明"
    )


def test_tasks_show_each_tasks_deadline(deadline_store: Path, capsys) -> None:
    assert main(["tasks", "--unit", "运管股", "--store", str(deadline_store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.rsplit("完成时限：", 1)[1] for line in lines] == ["6月底前", "9月底前", "未写明"]
    assert main(["tasks", "--unit", "运管股", "--store", str(deadline_store), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["deadline"] for r in rows] == ["6月底前", "9月底前", None]


def test_a_missing_index_exits_with_the_build_command(tmp_path: Path, capsys) -> None:
    assert main(["ask", "综运股负责哪些工作？", "--store", str(tmp_path / "none")]) == 2
    assert "python -m index build" in capsys.readouterr().err
