"""build_index: bad files reported and skipped, incremental rebuilds, mismatched or missing indexes,
and a real Chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from index.embed import HashEmbedder
from index.settings import IndexSettings
from index.store import IndexMismatch, IndexMissing, build_index
from rag.answer import Assistant
from tests.conftest import CORPUS, DATA, REPO, store_settings

YC = "yangcheng-2024-transport-eco-workplan"
BZ = "bazhou-2025-eco-duty-report"


def hash_settings(store: Path, corpus: Path) -> IndexSettings:
    return IndexSettings.from_env(store=store, corpus=corpus, embedder="hash", chroma_url="")


# ---- bad input (fast: the hashing embedder, a real embedded Chroma) -------------------------


@pytest.fixture
def messy_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("RAG_MAX_FILE_MB", raising=False)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{YC}.txt", corpus)
    (corpus / "gbk_notice.txt").write_bytes(
        (DATA / "nested_numbering.txt").read_text(encoding="utf-8").encode("gbk")
    )
    shutil.copy(DATA / "no_numbering.txt", corpus / "no_numbering.txt")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    line = "持续做好公路工程日常施工和养护扬尘管控，加强施工扬尘监管力度。\n".encode()
    (corpus / "huge.txt").write_bytes(line * (20 * 1024 * 1024 // len(line) + 1))
    return corpus


def test_each_bad_file_is_reported_by_name_and_the_rest_still_indexes(
    messy_corpus: Path, tmp_path: Path
) -> None:
    assert (messy_corpus / "huge.txt").stat().st_size > 20 * 1024 * 1024
    settings = hash_settings(tmp_path / "store", messy_corpus)
    report = build_index(settings, progress=False, embedder=HashEmbedder())

    failed = dict(report.failed)
    assert sorted(failed) == ["binary.txt", "empty.txt", "huge.txt"]
    assert "empty" in failed["empty.txt"]
    assert "does not look like text" in failed["binary.txt"]
    assert "MB" in failed["huge.txt"] and "limit" in failed["huge.txt"]
    assert report.documents == 3
    for name in failed:
        assert f"{name}:" in report.summary()

    assistant = Assistant.load(settings=settings, embedder=HashEmbedder())
    assert sorted(d["doc_id"] for d in assistant.documents()) == ["gbk_notice", "no_numbering", YC]
    gbk = assistant.clauses("gbk_notice")
    task = [c for c in gbk if "开展危险货物运输专项整治" in c.text]
    assert len(task) == 1 and task[0].units == ["执法大队"]  # decoded from GBK, units read
    assert [c.doc_number for c in gbk][:1] == ["某交字〔2024〕12号"]
    assert len(assistant.clauses("no_numbering")) == 4  # one clause per paragraph


def test_a_corpus_of_only_bad_files_indexes_nothing_and_says_why(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "notes.xlsx").write_bytes(b"PK\x03\x04")
    report = build_index(hash_settings(tmp_path / "store", corpus), progress=False, embedder=HashEmbedder())
    assert report.documents == 0 and report.clauses == 0
    assert sorted(dict(report.failed)) == ["empty.txt", "notes.xlsx"]
    assert "unsupported" in dict(report.failed)["notes.xlsx"]


def test_a_missing_corpus_directory_is_an_error_not_an_empty_index(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="Corpus directory not found"):
        build_index(
            hash_settings(tmp_path / "store", tmp_path / "nope"), progress=False, embedder=HashEmbedder()
        )


# ---- opening an index that does not fit -------------------------------------------------------


def test_a_missing_store_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="python -m index build"):
        Assistant.load(settings=store_settings(tmp_path / "no-store"))


def test_an_index_built_with_another_embedder_is_refused_with_the_rebuild_command(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{YC}.txt", corpus)
    store = tmp_path / "store"
    build_index(hash_settings(store, corpus), progress=False, embedder=HashEmbedder())
    with pytest.raises(IndexMismatch) as caught:
        Assistant.load(settings=store_settings(store, corpus=corpus))
    message = str(caught.value)
    assert "'hash'" in message and "'use'" in message
    assert "RAG_EMBEDDER=use python -m index build" in message
    assert str(store) in message


# ---- incremental rebuilds on the real index (slow) ------------------------------------------


@pytest.fixture
def store_copy(built_store: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the session's index and of the corpus it was built from."""
    store, corpus = tmp_path / "store", tmp_path / "corpus"
    shutil.copytree(built_store, store)
    shutil.copytree(CORPUS, corpus)
    return store, corpus


@pytest.mark.slow
def test_the_session_index_holds_every_parsed_clause(built_store: Path) -> None:
    from index.parse import parse_document

    expected = sum(len(parse_document(p).clauses) for p in CORPUS.glob("*.txt"))
    assistant = Assistant.load(settings=store_settings(built_store))
    health = assistant.health()
    assert health["ok"] and health["clauses"] == expected and health["embedder"] == "use"
    assert sorted(d["doc_id"] for d in assistant.documents()) == sorted(p.stem for p in CORPUS.glob("*.txt"))


@pytest.mark.slow
def test_rebuilding_an_unchanged_corpus_embeds_nothing(store_copy: tuple[Path, Path]) -> None:
    store, corpus = store_copy
    before = Assistant.load(settings=store_settings(store, corpus=corpus)).health()["generation"]
    report = build_index(store_settings(store, corpus=corpus), progress=False)
    assert report.unchanged
    assert report.embedded == 0 and report.reused == report.clauses
    assert report.changed_files == []
    assert report.collection == before


@pytest.mark.slow
def test_editing_one_notice_re_embeds_only_its_changed_clause(store_copy: tuple[Path, Path]) -> None:
    store, corpus = store_copy
    path = corpus / f"{YC}.txt"
    text = path.read_text(encoding="utf-8")
    old, new = "每季度至少学习一次。（责任单位：党办）", "每月至少学习一次。（责任单位：党办）"
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")

    report = build_index(store_settings(store, corpus=corpus), progress=False)
    assert not report.unchanged
    assert report.changed_files == [f"{YC}.txt"]
    assert report.embedded == 1
    assert report.reused == report.clauses - 1
    assert report.removed == 1

    assistant = Assistant.load(settings=store_settings(store, corpus=corpus))
    texts = [c.text for c in assistant.clauses(YC)]
    assert sum("每月至少学习一次" in t for t in texts) == 1
    assert not any("每季度至少学习一次" in t for t in texts)


@pytest.mark.slow
def test_removing_a_notice_removes_its_clauses(store_copy: tuple[Path, Path]) -> None:
    store, corpus = store_copy
    had = len(Assistant.load(settings=store_settings(store, corpus=corpus)).clauses(BZ))
    assert had > 0
    (corpus / f"{BZ}.txt").unlink()

    report = build_index(store_settings(store, corpus=corpus), progress=False)
    assert report.documents == 4
    assert report.removed == had and report.embedded == 0
    assert report.changed_files == [f"{BZ}.txt"]

    assistant = Assistant.load(settings=store_settings(store, corpus=corpus))
    assert assistant.clauses(BZ) == []
    assert BZ not in {d["doc_id"] for d in assistant.documents()}
    assert "巴州交通运输局" not in {u["name"] for u in assistant.units()}
    assert assistant.tasks("巴州交通运输局") == []


# ---- a real Chroma server (slow) ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_heartbeat(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma exited with {proc.returncode}")
        try:
            with opener.open(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("chroma did not answer its heartbeat")


@pytest.fixture
def chroma_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "chroma.log", "wb")
    proc = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "chroma"),
            "run",
            "--path",
            str(tmp_path / "chroma-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        _wait_for_heartbeat(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.mark.slow
def test_build_and_answer_through_a_chroma_server(
    chroma_server: str, tmp_path: Path, extractive: None
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{YC}.txt", corpus)
    settings = IndexSettings.from_env(
        chroma_url=chroma_server, corpus=corpus, embedder="use", store=tmp_path / "unused"
    )

    report = build_index(settings, progress=False)
    assert report.documents == 1 and report.embedded == report.clauses > 0
    assert not (tmp_path / "unused" / "chroma.sqlite3").exists()  # nothing went to an embedded store

    assistant = Assistant.load(settings=settings)
    answer = assistant.ask("公路沿线充电设施建设由谁负责？")
    assert not answer.refused
    first = answer.citations[0]
    assert first.section.endswith("5. 加快公路新能源充（换）电设施建设")
    assert first.units == ["发展中心", "农管股", "太行一号项目部"]

    again = build_index(settings, progress=False)
    assert again.unchanged and again.embedded == 0
