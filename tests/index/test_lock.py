"""One build per store at a time: an OS file lock for an embedded store, a lock record on a Chroma server."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from index.embed import HashEmbedder
from index.lock import LockHeld, build_lock
from index.settings import IndexSettings
from index.store import IndexLocked, build_index
from tests.conftest import CORPUS
from tests.index.test_store import YC, chroma_server  # noqa: F401 - the fixture


def _settings(tmp_path: Path, **overrides) -> IndexSettings:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        corpus.mkdir()
        shutil.copy(CORPUS / f"{YC}.txt", corpus)
    values = {"store": tmp_path / "store", "corpus": corpus, "embedder": "hash", "chroma_url": ""} | overrides
    return IndexSettings.from_env(**values)


def test_a_second_holder_waits_for_the_first(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    order: list[str] = []
    def second() -> None:
        with build_lock(settings, wait=10):
            order.append("second")

    with build_lock(settings, wait=0):
        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.5)
        order.append("first done")
    waiter.join(timeout=10)
    assert order == ["first done", "second"]


def test_a_build_gives_up_after_its_wait(tmp_path: Path) -> None:
    settings = _settings(tmp_path, lock_wait=0.3)
    with build_lock(settings, wait=0):
        started = time.monotonic()
        with pytest.raises(IndexLocked, match="另一个索引构建正在进行"):
            build_index(settings, progress=False, embedder=HashEmbedder())
        assert 0.3 <= time.monotonic() - started < 5
    assert build_index(settings, progress=False, embedder=HashEmbedder()).documents == 1


@pytest.mark.parametrize(("raw", "ok"), [("0", True), ("2.5", True), ("-1", False), ("soon", False)])
def test_the_wait_setting_is_checked(monkeypatch: pytest.MonkeyPatch, raw: str, ok: bool) -> None:
    monkeypatch.setenv("RAG_LOCK_WAIT", raw)
    if ok:
        assert IndexSettings.from_env().lock_wait == float(raw)
    else:
        with pytest.raises(ValueError, match="RAG_LOCK_WAIT"):
            IndexSettings.from_env()


@pytest.mark.slow
def test_a_chroma_server_store_is_locked_by_a_record(chroma_server: str, tmp_path: Path) -> None:  # noqa: F811
    settings = _settings(tmp_path, chroma_url=chroma_server, lock_wait=0.5)
    with build_lock(settings, wait=0):
        with pytest.raises(LockHeld):
            with build_lock(settings, wait=0.5):
                pass
        with pytest.raises(IndexLocked):
            build_index(settings, progress=False, embedder=HashEmbedder())
    assert build_index(settings, progress=False, embedder=HashEmbedder()).documents == 1  # released
