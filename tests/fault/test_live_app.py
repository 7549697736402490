"""A running app follows its store by itself (issue 11), tested with `python app.py` and real builds in
other processes: a new build is served within 5 s without a restart or a /healthz call, rebuilds never
cause a 500, and a deleted store that is built again is served again (503 only in between).
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import serve_app
from tests.fault.conftest import QUESTION, build_in_subprocess, copy_corpus

pytestmark = pytest.mark.slow
NEW_NOTICE = "live-swap-new-notice"
SWITCH_WITHIN_S = 5.0


class App:
    def __init__(self, url: str, log: Path, store: Path, corpus: Path) -> None:
        self.url, self.log, self.store, self.corpus = url, log, store, corpus
        self.client = httpx.Client(base_url=url, timeout=60)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """`python app.py` over a hash-embedded store of a corpus copy; the tests build into that store."""
    work = tmp_path_factory.mktemp("live")
    corpus, store = copy_corpus(work), work / "store"
    assert build_in_subprocess(store, corpus).returncode == 0
    log = work / "app.log"
    # ready when the API answers (not /healthz: the swap test must not depend on it)
    with serve_app(store, log, ready="/api/documents", RAG_EMBEDDER="hash", RAG_CORPUS=str(corpus),
                   RAG_RATE_LIMIT="100000/minute") as url:
        yield App(url, log, store, corpus)


def _doc_ids(app: App) -> set[str]:
    r = app.client.get("/api/documents")
    assert r.status_code == 200, r.text
    return {d["doc_id"] for d in r.json()}


def test_a_new_build_is_served_within_5_s_without_a_restart_or_a_health_call(app: App) -> None:
    assert NEW_NOTICE not in _doc_ids(app)
    shutil.copy(app.corpus / "yangcheng-2024-transport-eco-workplan.txt", app.corpus / f"{NEW_NOTICE}.txt")
    proc = build_in_subprocess(app.store, app.corpus)
    assert proc.returncode == 0, proc.stderr
    built = time.monotonic()
    while NEW_NOTICE not in _doc_ids(app):
        assert time.monotonic() - built < SWITCH_WITHIN_S, "the app still serves the old generation"
        time.sleep(0.1)
    print(f"\nnew generation served {time.monotonic() - built:.2f} s after the build finished")
    assert "GET /healthz" not in app.log.read_text()


def test_rebuilds_while_questions_are_asked_never_give_a_server_error(app: App) -> None:
    statuses: list[int] = []
    stop = threading.Event()

    def ask() -> None:
        with httpx.Client(base_url=app.url, timeout=60) as client:
            while not stop.is_set():
                statuses.append(client.post("/api/ask", json={"question": QUESTION}).status_code)
                statuses.append(client.get("/api/tasks", params={"unit": "综运股"}).status_code)

    askers = [threading.Thread(target=ask) for _ in range(2)]
    for t in askers:
        t.start()
    notice = app.corpus / "jilin-2024-transport-eco-workplan.txt"
    try:
        for i in range(3):  # three generations: each build drops the one before the previous
            notice.write_text(notice.read_text(encoding="utf-8").replace("推进", f"推进{i}", 1), encoding="utf-8")
            assert build_in_subprocess(app.store, app.corpus).returncode == 0
            time.sleep(2.5)  # let the app switch and answer from the new generation
    finally:
        stop.set()
        for t in askers:
            t.join(timeout=120)
    assert statuses and set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}


def test_a_deleted_store_is_503_with_its_cause_and_served_again_once_rebuilt(app: App) -> None:
    shutil.rmtree(app.store)
    deadline = time.monotonic() + SWITCH_WITHIN_S
    while (health := app.client.get("/healthz")).status_code != 503:
        assert time.monotonic() < deadline, health.text
        time.sleep(0.2)
    error = health.json()["error"]
    assert str(app.store) in error and "python -m index build" in error
    assert "RustBindingsAPI" not in error and "bindings" not in error
    ask = app.client.post("/api/ask", json={"question": QUESTION})
    assert ask.status_code == 503 and set(ask.json()) == {"detail", "errors"}

    assert build_in_subprocess(app.store, app.corpus).returncode == 0
    built = time.monotonic()
    while app.client.post("/api/ask", json={"question": QUESTION}).status_code != 200:
        assert time.monotonic() - built < SWITCH_WITHIN_S, app.client.get("/healthz").text
        time.sleep(0.2)
    health = app.client.get("/healthz")
    assert health.status_code == 200 and health.json()["ok"], health.text
    assert NEW_NOTICE in _doc_ids(app)
