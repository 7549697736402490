"""`python -m index add|remove|list`, called through main([...]) (hash embedder, one-notice corpus)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.__main__ import main
from tests.conftest import CORPUS, DATA

NOTICE = DATA / "real_notices" / "b10-lingbi-weijian-lead-labels.txt"
CORPUS_NOTICE = "yangcheng-2024-transport-eco-workplan"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("RAG_STORE", "RAG_CHROMA_URL", "RAG_UPLOADS", "RAG_MAX_FILE_MB"):
        monkeypatch.delenv(name, raising=False)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{CORPUS_NOTICE}.txt", corpus)
    monkeypatch.setenv("RAG_CORPUS", str(corpus))
    monkeypatch.setenv("RAG_EMBEDDER", "hash")
    assert main(["build", "--store", str(tmp_path / "store"), "--quiet"]) == 0
    return tmp_path / "store"


def listed(store: Path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["list", "--json", "--store", str(store)]) == 0
    return json.loads(capsys.readouterr().out)


def test_add_prints_the_build_summary_and_list_shows_the_notice(store, capsys):
    assert main(["add", str(NOTICE), "--store", str(store), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"added {NOTICE.stem}:" in out and "OCR: no" in out
    assert "documents: 2" in out and "changed files: " + NOTICE.name in out  # the build's summary

    rows = {r["doc_id"]: r for r in listed(store, capsys)}
    assert set(rows) == {CORPUS_NOTICE, NOTICE.stem}
    row = rows[NOTICE.stem]
    assert {"title", "doc_number", "clauses", "units", "source_file", "ocr"} <= set(row)
    assert row["ocr"] is False and row["clauses"] > 0

    assert main(["list", "--store", str(store)]) == 0
    table = capsys.readouterr().out
    assert "doc_id | title | 文号 | clauses | units | source file | OCR" in table
    assert f"{CORPUS_NOTICE} | 2024年交通运输生态环境保护工作要点 | 阳交字〔2024〕138号 |" in table


def test_remove_takes_the_notice_out(store, capsys):
    main(["add", str(NOTICE), "--store", str(store), "--quiet"])

    assert main(["remove", NOTICE.stem, "--store", str(store), "--quiet"]) == 0

    assert "documents: 1" in capsys.readouterr().out
    assert [r["doc_id"] for r in listed(store, capsys)] == [CORPUS_NOTICE]


def test_a_bad_file_exits_2_and_leaves_the_index_as_it_was(store, capsys, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf \x00\x01\x02")

    assert main(["add", str(bad), str(NOTICE), "--store", str(store), "--quiet"]) == 2

    err = capsys.readouterr().err
    assert "error: scan.pdf: 文件已损坏，或不是真正的 PDF 文件" in err and "nothing was changed" in err
    assert [r["doc_id"] for r in listed(store, capsys)] == [CORPUS_NOTICE]


def test_removing_an_unknown_notice_exits_2(store, capsys):
    assert main(["remove", "nope", "--store", str(store)]) == 2
    assert "nope" in capsys.readouterr().err


def test_adding_a_missing_file_exits_2(store, capsys, tmp_path):
    assert main(["add", str(tmp_path / "missing.txt"), "--store", str(store)]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_adding_a_scanned_pdf_reports_ocr_and_shows_an_ocr_progress_bar(store, capsys, scanned_notice):
    assert main(["add", str(scanned_notice), "--store", str(store)]) == 0

    out, err = capsys.readouterr()
    assert "added lishan-scan: 《立山区政府2023年重点工作任务分解和责任分工方案》" in out
    assert "OCR: yes, pages 1,2" in out
    assert "OCR pages" in err  # tqdm progress bar
    row = next(r for r in listed(store, capsys) if r["doc_id"] == "lishan-scan")
    assert row["ocr"] is True and row["pages"] == 2
