"""Fixtures for the fault-tolerance tests: corpus copies, index builds, a live API server.

Builds that only exercise the store's plumbing (killed builds, concurrent re-indexing,
corruption) use the cheap "hash" embedder; the API fuzz and load tests serve a real
Assistant over an index built with the default "use" embedder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "docs_corpus"
QUESTION = "阳城县公路沿线充电设施建设由谁负责？"
# A wording edit that changes 100 of the 146 clauses: enough for a build to be killed mid-way.
EDITS = (("推进", "推动"), ("加强", "强化"))


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests must never go through a proxy from the environment."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("RAG_LLM_BASE_URL", "RAG_LLM_MODEL", "RAG_TEST_DIE_AFTER", "RAG_CHROMA_URL", "RAG_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def copy_corpus(directory: Path) -> Path:
    corpus = directory / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus


def edit_corpus(corpus: Path) -> None:
    """Reword every notice (推进 -> 推动, 加强 -> 强化)."""
    for path in corpus.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        for old, new in EDITS:
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")


def hash_settings(store: Path, corpus: Path):
    from index.settings import IndexSettings

    return IndexSettings.from_env(store=store, corpus=corpus, embedder="hash", chroma_url="")


def hash_embedder():
    from index.embed import get_embedder

    return get_embedder("hash")


def build_in_subprocess(store: Path, corpus: Path, **env: str) -> subprocess.CompletedProcess:
    """`python -m index build` with the hash embedder, as an operator would run it.

    Not --quiet: RAG_TEST_DIE_AFTER counts the progress bar, which --quiet disables (reported).
    """
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")} | {"RAG_EMBEDDER": "hash"} | env
    return subprocess.run(
        [sys.executable, "-m", "index", "build", "--store", str(store), "--corpus", str(corpus)],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=600,
    )


def collections(settings) -> list[str]:
    from index.store import client_for

    return sorted(c if isinstance(c, str) else c.name for c in client_for(settings).list_collections())


@pytest.fixture(scope="session")
def use_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real notices indexed with the default "use" embedder, built once."""
    from index.settings import IndexSettings
    from index.store import build_index

    store = tmp_path_factory.mktemp("fault-use-store")
    build_index(IndexSettings.from_env(store=store, corpus=CORPUS, embedder="use", chroma_url=""), progress=False)
    return store


@pytest.fixture(scope="session")
def use_assistant(use_store: Path) -> Any:
    from index.settings import IndexSettings
    from rag.answer import Assistant

    return Assistant.load(settings=IndexSettings.from_env(store=use_store, embedder="use", chroma_url=""))


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1 at an ephemeral port, in a daemon thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture(scope="module")
def live_api(use_assistant: Any) -> Iterator[LiveServer]:
    """The JSON API over the real assistant, rate limit lifted through RAG_RATE_LIMIT."""
    from app import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAG_RATE_LIMIT", "100000/minute")
        mp.delenv("RAG_API_KEY", raising=False)
        app = create_app(use_assistant, ui=False)
    with LiveServer(app) as server:
        yield server
