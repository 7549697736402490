"""`python -m index inspect|build`, called through main([...])."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from index.__main__ import main
from tests.conftest import CORPUS, DATA

DOCUMENTED_KEYS = {
    "doc_id",
    "doc_title",
    "doc_number",
    "issuer",
    "date",
    "kind",
    "section_path",
    "clause_no",
    "text",
    "units",
    "lead_units",
    "unit_source",
}


@pytest.fixture(autouse=True)
def _no_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "RAG_CORPUS",
        "RAG_STORE",
        "RAG_EMBEDDER",
        "RAG_CHROMA_URL",
        "RAG_MAX_TOKENS",
        "RAG_MAX_FILE_MB",
    ):
        monkeypatch.delenv(name, raising=False)


def test_inspect_json_prints_every_clause_with_the_documented_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["inspect", "--json", "--corpus", str(CORPUS)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert isinstance(rows, list) and rows
    for row in rows:
        assert DOCUMENTED_KEYS <= set(row)
        assert isinstance(row["section_path"], list)
        assert isinstance(row["units"], list) and isinstance(row["lead_units"], list)
    assert {r["doc_id"] for r in rows} == {p.stem for p in CORPUS.glob("*.txt")}

    charging = [r for r in rows if r["section_path"][-1:] == ["5. 加快公路新能源充（换）电设施建设"]]
    assert len(charging) == 1
    assert charging[0]["units"] == ["发展中心", "农管股", "太行一号项目部"]
    assert charging[0]["doc_number"] == "阳交字〔2024〕138号"
    assert charging[0]["issuer"] == "阳城县交通运输局"
    assert charging[0]["date"] == "2024-09-04"
    assert charging[0]["kind"] == "工作要点"
    assert charging[0]["unit_source"] == "clause"

    lead = [r for r in rows if r["doc_id"].startswith("jilin") and r["clause_no"] == "3."]
    assert len(lead) == 1 and lead[0]["lead_units"] == ["厅运输处"]
    assert lead[0]["doc_number"] is None and lead[0]["issuer"] is None  # not in the text: null, not guessed


def test_inspect_without_json_prints_one_line_per_clause(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "nested_numbering.txt", corpus)
    (corpus / "empty.txt").write_bytes(b"")
    assert main(["inspect", "--corpus", str(corpus)]) == 0
    out, err = capsys.readouterr()
    assert (
        "nested_numbering | 一、重点任务 > （二）加强货运安全管理 > 2.严厉打击货车超限超载行为 | 执法大队、路政股"
        in out
    )
    assert "skipped empty.txt" in err and "empty" in err


def test_build_prints_a_summary_with_skipped_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # The small notice without its signature: 1 preamble paragraph + 7 tasks + 2 measures, 6 units.
    text = (DATA / "nested_numbering.txt").read_text(encoding="utf-8")
    (corpus / "nested_numbering.txt").write_text(text.split("\n某县交通运输局\n")[0], encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    code = main(
        [
            "build",
            "--corpus",
            str(corpus),
            "--store",
            str(tmp_path / "store"),
            "--embedder",
            "hash",
            "--quiet",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert re.search(r"documents: 1\s+clauses: 10\s+units found: 7", out)
    assert "skipped/failed files: 1" in out
    assert "empty.txt:" in out


def test_build_of_a_missing_corpus_exits_with_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["build", "--corpus", str(tmp_path / "nope"), "--store", str(tmp_path / "store"), "--quiet"])
    assert code == 2
    assert "Corpus directory not found" in capsys.readouterr().err


@pytest.mark.slow
def test_build_on_the_default_corpus_prints_the_summary(
    built_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.parse import parse_document

    docs = [parse_document(p) for p in sorted(CORPUS.glob("*.txt"))]
    clauses = sum(len(d.clauses) for d in docs)
    units = len({u for d in docs for c in d.clauses for u in c.units})
    store = tmp_path / "store"
    shutil.copytree(built_store, store)  # the session's index: nothing to embed again

    assert main(["build", "--store", str(store), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"documents: 5   clauses: {clauses}   units found: {units}" in out
    assert "skipped/failed files: 0" in out
    assert "embedded: 0" in out and "corpus unchanged" in out
