"""Fixtures for the web tests: apps and loopback servers over the shared real index (tests/conftest.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from web.settings import WebSettings


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests must never go through a proxy from the environment."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def _extractive_answers(extractive: None) -> None:
    """Answers are compared across requests: no LLM endpoint from the shell may change them."""


def settings(**overrides: Any) -> WebSettings:
    """Test settings: loopback, a generous rate limit, no key, no origins unless given."""
    values: dict[str, Any] = {"rate_limit": "1000/minute", "allowed_origins": (), "api_key": ""}
    values.update(overrides)
    return WebSettings(**values)


@pytest.fixture
def make_client(assistant: Any) -> Callable[..., TestClient]:
    """Build a TestClient over the JSON API (no Gradio) with the given settings overrides."""
    from app import create_app

    def make(**overrides: Any) -> TestClient:
        return TestClient(create_app(assistant, settings(**overrides), ui=False))

    return make


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


class LiveServer:
    """A uvicorn server for `app` on 127.0.0.1 at an ephemeral port, in a daemon thread."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self, timeout: float = 60.0) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture(scope="module")
def live_server(assistant: Any) -> Iterator[LiveServer]:
    """The full app (API, widget and Gradio UI) served on loopback for this module."""
    from app import create_app

    server = LiveServer(create_app(assistant, settings())).start()
    yield server
    server.stop()
