"""`python app.py`: the first start builds the index, a restart reuses it, both serve the UI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_until_healthy(store: Path, log: Path, timeout: float = 240.0) -> str:
    """Start app.py, wait for /healthz 200 and the UI, stop it; return what it printed."""
    port = _free_port()
    env = {**os.environ, "RAG_PORT": str(port), "RAG_HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
    env.pop("RAG_CHROMA_URL", None)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--store", str(store)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=5) as client:
                while True:
                    assert proc.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "app.py did not become healthy:\n" + log.read_text()
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.5)
                assert client.get("/ui/").status_code == 200
                assert client.get("/", follow_redirects=False).headers["location"] == "/ui/"
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return log.read_text()


def test_first_start_builds_the_index_and_a_restart_reuses_it(tmp_path: Path):
    store = tmp_path / "store"
    first = _serve_until_healthy(store, tmp_path / "first.log")
    assert "建立索引" in first and "clauses:" in first  # progress and the build summary are printed
    assert (store / "manifest.json").is_file()
    second = _serve_until_healthy(store, tmp_path / "second.log")
    assert "建立索引" not in second
