"""Shared fixtures: the real index of docs_corpus/, built once per session, and the assistant on it.

`built_store` embeds every clause with the real default embedder ("use") into an embedded Chroma
store in a temporary directory; `assistant` opens it. Both are session-scoped: one index build
per test session, reused by the index, rag, web and eval tests.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests: CI derandomizes (the same examples on every run, so CI cannot pass or fail by
# chance); locally they explore new examples each run. Every failure found is kept as an explicit
# example test. HYPOTHESIS_PROFILE=ci|dev overrides; CI=true (the CI script) selects "ci".
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)
SCHEMATHESIS_SEED = 11  # the schemathesis CLI test's seed in CI (random locally)


def pytest_report_header() -> str:
    return f"hypothesis profile: {HYPOTHESIS_PROFILE}"

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "docs_corpus"
DATA = Path(__file__).resolve().parent / "data"

LLM_VARS = ("RAG_LLM_BASE_URL", "RAG_LLM_MODEL", "RAG_LLM_API_KEY")


def store_settings(store: Path, **overrides):
    """Settings for an embedded store in `store`, the real corpus and the real default embedder."""
    from index.settings import IndexSettings

    values = {"store": store, "corpus": CORPUS, "embedder": "use", "chroma_url": ""}
    values.update(overrides)
    return IndexSettings.from_env(**values)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the real index of docs_corpus/ (embedder "use"), built once."""
    from index.store import build_index

    store = tmp_path_factory.mktemp("built-store")
    report = build_index(store_settings(store), progress=False)
    assert report.documents == 5 and not report.failed, report.summary()
    return store


@pytest.fixture(scope="session")
def assistant(built_store: Path):
    """The real Assistant on the session's index.

    It answers extractively unless RAG_LLM_* is set: tests that pin extractive answers use the
    `extractive` fixture, which unsets those variables for the test.
    """
    from rag.answer import Assistant

    return Assistant.load(settings=store_settings(built_store))


DEADLINE_CORPUS = DATA / "deadlines"  # one purpose-written task division: deadlines, missing ones, shared months


@pytest.fixture(scope="session")
def deadline_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of tests/data/deadlines/ (embedder "use"): tasks with 完成时限 labels and without."""
    from index.store import build_index

    store = tmp_path_factory.mktemp("deadline-store")
    report = build_index(store_settings(store, corpus=DEADLINE_CORPUS), progress=False)
    assert report.documents == 1 and not report.failed, report.summary()
    return store


@pytest.fixture(scope="session")
def deadline_assistant(deadline_store: Path):
    from rag.answer import Assistant

    return Assistant.load(settings=store_settings(deadline_store, corpus=DEADLINE_CORPUS))


@pytest.fixture
def extractive(monkeypatch: pytest.MonkeyPatch) -> None:
    """No LLM endpoint for this test: an endpoint configured in the shell must not change answers."""
    for name in LLM_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session", autouse=True)
def _ocr_cache(tmp_path_factory: pytest.TempPathFactory):
    """OCR results are cached per test session, never read from a developer's .ocr-cache/."""
    import os

    old = os.environ.get("RAG_OCR_CACHE")
    os.environ["RAG_OCR_CACHE"] = str(tmp_path_factory.mktemp("ocr-cache"))
    yield
    if old is None:
        os.environ.pop("RAG_OCR_CACHE", None)
    else:
        os.environ["RAG_OCR_CACHE"] = old


SCANNED_SOURCE = DATA / "real_notices" / "a01-anshan-lishan-work-division.txt"


@pytest.fixture(scope="session")
def scanned_notice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first two pages of a real notice (立山区 2023 task division) rendered as a scanned PDF, no text layer."""
    from eval.scans import render_pages, scanned_pdf

    path = tmp_path_factory.mktemp("scans") / "lishan-scan.pdf"
    path.write_bytes(scanned_pdf(render_pages(SCANNED_SOURCE.read_text(encoding="utf-8"), max_pages=2)))
    return path
@contextlib.contextmanager
def serve_app(store: Path, log: Path, ready: str = "/healthz", **env: str) -> Iterator[str]:
    """Run `python app.py --store STORE` on a free loopback port until the block ends; yield its URL.

    Args:
        store: the index directory to serve.
        log: where the app's output goes (shown when it does not start).
        ready: the path that must answer 200 before the block starts.
        **env: RAG_* settings for the app (the shell's RAG_* and proxies are dropped).
    """
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RAG_") and "proxy" not in k.lower()}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "app.py", "--store", str(store), "--port", str(port)],
                                cwd=REPO, env=clean | {"NO_PROXY": "127.0.0.1"} | env,
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            try:
                if httpx.get(f"{url}{ready}", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
