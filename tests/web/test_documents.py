"""Admin API for notices: POST/DELETE /api/documents with X-Admin-Key, and live updates of a running app.

Each test module works on its own copy of the session's real index ("use" embedder), so the
shared index is never changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import DATA, REPO, store_settings
from tests.web.conftest import LiveServer, settings

KEY = "test-admin-key"
NOTICE = DATA / "real_notices" / "b10-lingbi-weijian-lead-labels.txt"
QUESTION = "创建国家卫生县城由谁牵头？"
SCAN_QUESTION = "地区生产总值增长6.2%左右由谁牵头？"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    for name in ("RAG_UPLOADS", "RAG_MAX_FILE_MB", "RAG_CHROMA_URL", "RAG_ADMIN_KEY"):
        monkeypatch.delenv(name, raising=False)


def store_copy(built_store: Path, tmp_path: Path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    return store


def make_app(store: Path, **overrides):
    from app import create_app
    from rag.answer import Assistant

    assistant = Assistant.load(settings=store_settings(store))
    return create_app(assistant, settings(**overrides), ui=False)


@pytest.fixture
def admin(built_store: Path, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(store_copy(built_store, tmp_path), admin_key=KEY)) as client:
        yield client


def upload(client: TestClient, *files: tuple[str, bytes], key: str | None = KEY) -> httpx.Response:
    headers = {"X-Admin-Key": key} if key else {}
    return client.post("/api/documents", files=[("file", f) for f in files], headers=headers)


def cited_docs(client, question: str) -> set[str]:
    body = client.post("/api/ask", json={"question": question}).json()
    return {c["doc_id"] for c in body["citations"]}


def test_uploads_are_off_without_an_admin_key(built_store, tmp_path):
    client = TestClient(make_app(store_copy(built_store, tmp_path)))

    response = upload(client, (NOTICE.name, NOTICE.read_bytes()), key="anything")

    assert response.status_code == 403 and "RAG_ADMIN_KEY" in response.json()["detail"]
    assert client.delete("/api/documents/x", headers={"X-Admin-Key": "anything"}).status_code == 403


def test_a_missing_or_wrong_admin_key_is_refused(admin):
    assert upload(admin, (NOTICE.name, NOTICE.read_bytes()), key=None).status_code == 403
    wrong = upload(admin, (NOTICE.name, NOTICE.read_bytes()), key="wrong")
    assert wrong.status_code == 403 and "X-Admin-Key" in wrong.json()["detail"]
    assert admin.delete("/api/documents/x", headers={"X-Admin-Key": "wrong"}).status_code == 403


@pytest.mark.parametrize(
    "name,content,status,words",
    [
        ("random.pdf", os.urandom(2048), 400, "不是真正的 PDF"),
        ("empty.txt", b"", 400, "文件为空"),
        ("setup.exe", b"MZ\x90\x00", 415, "不支持的文件类型"),
        ("big.txt", "通知".encode() * 5000, 413, "上限"),
    ],
)
def test_a_bad_file_gets_a_clear_4xx_and_the_index_is_unchanged(
    built_store, tmp_path, monkeypatch, name, content, status, words
):
    monkeypatch.setenv("RAG_MAX_FILE_MB", "0.02")
    with TestClient(make_app(store_copy(built_store, tmp_path), admin_key=KEY)) as client:
        before = client.get("/api/documents").json()

        response = upload(client, (name, content))

        assert response.status_code == status
        body = response.json()
        assert words in body["detail"] and body["errors"][0]["file"] == name
        assert client.get("/api/documents").json() == before


@pytest.mark.slow
def test_an_uploaded_notice_is_answered_from_and_a_deleted_one_is_no_longer_cited(admin):
    assert NOTICE.stem not in cited_docs(admin, QUESTION)

    response = upload(admin, (NOTICE.name, NOTICE.read_bytes()))

    assert response.status_code == 201, response.text
    [added] = response.json()
    assert added["doc_id"] == NOTICE.stem and added["title"] == "县卫健委2021年政府工作报告任务分解"
    assert added["clauses"] > 5 and added["units"] > 3 and added["ocr"] is False and "doc_number" in added
    listed = {d["doc_id"]: d for d in admin.get("/api/documents").json()}
    assert listed[NOTICE.stem]["clauses"] == added["clauses"]
    answer = admin.post("/api/ask", json={"question": QUESTION}).json()
    assert answer["citations"][0]["doc_id"] == NOTICE.stem and "县卫健委" in answer["units"]

    deleted = admin.delete(f"/api/documents/{NOTICE.stem}", headers={"X-Admin-Key": KEY})

    assert deleted.status_code == 200 and deleted.json()["removed"] is True
    assert NOTICE.stem not in cited_docs(admin, QUESTION)
    assert NOTICE.stem not in {d["doc_id"] for d in admin.get("/api/documents").json()}
    again = admin.delete(f"/api/documents/{NOTICE.stem}", headers={"X-Admin-Key": KEY})
    assert again.status_code == 404 and "没有这些文件" in again.json()["detail"]


@pytest.mark.slow
def test_a_scanned_pdf_is_ocred_and_cited_with_its_page(admin, scanned_notice):
    response = upload(admin, (scanned_notice.name, scanned_notice.read_bytes()))

    assert response.status_code == 201, response.text
    [added] = response.json()
    assert added["ocr"] is True and added["doc_id"] == "lishan-scan" and added["clauses"] >= 10
    answer = admin.post("/api/ask", json={"question": SCAN_QUESTION}).json()
    cite = answer["citations"][0]
    assert cite["doc_id"] == "lishan-scan" and cite["page"] == 1
    assert answer["units"][:1] == ["区发改局"]


def wait_for(predicate, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"not within {seconds} s")


@pytest.mark.slow
def test_a_running_app_follows_index_add_and_remove_from_another_process(built_store, tmp_path):
    store = store_copy(built_store, tmp_path)
    server = LiveServer(make_app(store, admin_key=KEY)).start()
    try:

        def cites() -> bool:
            body = httpx.post(f"{server.url}/api/ask", json={"question": QUESTION}, timeout=30).json()
            return any(c["doc_id"] == NOTICE.stem for c in body["citations"])

        assert not cites()
        env = {**os.environ, "RAG_EMBEDDER": "use", "RAG_CORPUS": str(REPO / "docs_corpus")}
        cli = [sys.executable, "-m", "index"]
        subprocess.run(
            [*cli, "add", str(NOTICE), "--store", str(store), "--quiet"], env=env, check=True, cwd=REPO
        )
        wait_for(cites, 10)
        subprocess.run(
            [*cli, "remove", NOTICE.stem, "--store", str(store), "--quiet"], env=env, check=True, cwd=REPO
        )
        wait_for(lambda: not cites(), 10)
    finally:
        server.stop()


class _NoIndex:
    """An assistant object with no index settings behind it (what a broken deployment hands the app)."""

    def health(self) -> dict:
        return {"ok": False, "clauses": 0, "embedder": "", "error": "no index"}


def test_uploads_to_an_app_without_an_index_say_the_index_is_unavailable():
    from app import create_app

    client = TestClient(create_app(_NoIndex(), settings(admin_key=KEY), ui=False))

    response = upload(client, (NOTICE.name, NOTICE.read_bytes()))

    assert response.status_code == 503 and "索引不可用" in response.json()["detail"]
