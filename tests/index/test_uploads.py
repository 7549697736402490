"""Adding, replacing, removing and listing notices one at a time (index/uploads.py, index/files.py).

Plumbing tests: the hashing embedder and a real embedded Chroma over a one-notice corpus.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from index.embed import HashEmbedder
from index.files import index_files, uploads_dir
from index.settings import IndexSettings
from index.store import build_index, client_for, read_manifest
from index.uploads import (
    DocumentNotFound,
    UploadRejected,
    add_files,
    list_documents,
    remove_documents,
    safe_name,
)
from tests.conftest import CORPUS, DATA

NOTICE = DATA / "real_notices" / "b10-lingbi-weijian-lead-labels.txt"
CORPUS_NOTICE = "yangcheng-2024-transport-eco-workplan"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    for name in ("RAG_UPLOADS", "RAG_MAX_FILE_MB", "RAG_CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{CORPUS_NOTICE}.txt", corpus)
    s = IndexSettings.from_env(store=tmp_path / "store", corpus=corpus, embedder="hash", chroma_url="")
    build_index(s, progress=False, embedder=HashEmbedder())
    return s


def generation(settings: IndexSettings) -> str:
    return read_manifest(client_for(settings))["collection"]


def ids(settings: IndexSettings) -> list[str]:
    return sorted(d["doc_id"] for d in list_documents(settings))


def test_an_added_notice_is_listed_with_its_counts_and_kept_next_to_the_store(settings, tmp_path):
    report = add_files([NOTICE], settings, embedder=HashEmbedder())

    added = report.added[0]
    assert added.doc_id == NOTICE.stem and added.clauses > 3 and added.units > 3 and not added.ocr
    assert report.build.documents == 2 and report.build.reused > 0  # the corpus notice was not re-embedded
    assert (tmp_path / "store-uploads" / NOTICE.name).is_file()
    row = next(d for d in list_documents(settings) if d["doc_id"] == NOTICE.stem)
    assert row["clauses"] == added.clauses and row["units"] == added.units
    assert row["source_file"] == NOTICE.name and row["ocr"] is False and row["uploaded"] is True


def test_adding_a_notice_with_the_same_doc_id_replaces_it(settings, tmp_path):
    add_files([NOTICE], settings, embedder=HashEmbedder())
    edited = tmp_path / NOTICE.name
    edited.write_text(NOTICE.read_text(encoding="utf-8").replace("卫健委", "卫生健康委"), encoding="utf-8")

    add_files([edited], settings, embedder=HashEmbedder())

    assert ids(settings) == sorted([CORPUS_NOTICE, NOTICE.stem])
    assert len([p for p in index_files(settings) if p.stem == NOTICE.stem]) == 1


def test_an_upload_named_like_a_corpus_notice_replaces_the_corpus_copy(settings, tmp_path):
    copy = tmp_path / f"{CORPUS_NOTICE}.txt"
    copy.write_text(NOTICE.read_text(encoding="utf-8"), encoding="utf-8")

    add_files([copy], settings, embedder=HashEmbedder())

    docs = list_documents(settings)
    assert [d["doc_id"] for d in docs] == [CORPUS_NOTICE]
    assert docs[0]["title"] != "2024年交通运输生态环境保护工作要点"


@pytest.mark.parametrize(
    "name,content,status,words",
    [
        ("random.pdf", os.urandom(4096), 400, "不是真正的 PDF"),
        ("empty.txt", b"", 400, "文件为空"),
        ("tool.exe", b"MZ\x90\x00binary", 415, "不支持的文件类型"),
        ("big.txt", "通知".encode() * 2000, 413, "超过"),
        ("letter.txt", "你好，周末一起吃饭吧".encode(), 400, "没有从文件中识别出任何条款"),
    ],
)
def test_a_bad_file_is_refused_with_a_chinese_reason_and_nothing_changes(
    settings, tmp_path, monkeypatch, name, content, status, words
):
    monkeypatch.setenv("RAG_MAX_FILE_MB", "0.005")
    bad = tmp_path / name
    bad.write_bytes(content)
    before = generation(settings)

    with pytest.raises(UploadRejected) as caught:
        add_files([bad], settings, embedder=HashEmbedder())

    assert caught.value.status == status and words in caught.value.errors[0][2]
    assert generation(settings) == before
    assert not [p for p in uploads_dir(settings).glob("*") if not p.name.startswith(".")]


def test_one_bad_file_in_a_batch_keeps_the_good_one_out_too(settings, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")

    with pytest.raises(UploadRejected) as caught:
        add_files([NOTICE, bad], settings, embedder=HashEmbedder())

    assert [name for name, _, _ in caught.value.errors] == ["empty.txt"]
    assert ids(settings) == [CORPUS_NOTICE]


def test_a_failing_build_puts_the_uploads_folder_back_and_keeps_the_old_index(settings):
    class Broken(HashEmbedder):
        def embed_documents(self, texts):
            raise RuntimeError("embedder crashed")

    before = generation(settings)
    with pytest.raises(RuntimeError):
        add_files([NOTICE], settings, embedder=Broken())

    assert generation(settings) == before
    assert not (uploads_dir(settings) / NOTICE.name).exists()
    assert ids(settings) == [CORPUS_NOTICE]


def test_removing_an_upload_deletes_its_copy_and_its_clauses(settings):
    add_files([NOTICE], settings, embedder=HashEmbedder())

    remove_documents([NOTICE.stem], settings, embedder=HashEmbedder())

    assert ids(settings) == [CORPUS_NOTICE]
    assert not (uploads_dir(settings) / NOTICE.name).exists()


def test_a_removed_corpus_notice_stays_removed_and_uploads_stay_after_a_full_build(settings):
    add_files([NOTICE], settings, embedder=HashEmbedder())
    remove_documents([CORPUS_NOTICE], settings, embedder=HashEmbedder())
    assert (settings.corpus / f"{CORPUS_NOTICE}.txt").exists()  # the corpus folder is never touched
    assert json.loads((uploads_dir(settings) / ".removed.json").read_text()) == [CORPUS_NOTICE]

    report = build_index(settings, progress=False, embedder=HashEmbedder())

    assert report.documents == 1
    assert ids(settings) == [NOTICE.stem]
    # adding the notice again brings it back
    add_files([settings.corpus / f"{CORPUS_NOTICE}.txt"], settings, embedder=HashEmbedder())
    assert ids(settings) == sorted([CORPUS_NOTICE, NOTICE.stem])


def test_removing_an_unknown_doc_id_changes_nothing(settings):
    before = generation(settings)

    with pytest.raises(DocumentNotFound, match="没有这些文件"):
        remove_documents(["no-such-notice"], settings, embedder=HashEmbedder())

    assert generation(settings) == before


def test_upload_names_cannot_leave_the_uploads_folder():
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\docs\\通知 2024.PDF") == "通知 2024.pdf"
    assert safe_name(".hidden.txt") == "hidden.txt"
    assert safe_name("a:b*c?.txt") == "a_b_c.txt"


def test_rag_uploads_moves_the_uploads_folder(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_UPLOADS", str(tmp_path / "elsewhere"))

    add_files([NOTICE], settings, embedder=HashEmbedder())

    assert (tmp_path / "elsewhere" / NOTICE.name).is_file()
