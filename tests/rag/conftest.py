"""Fixtures for the LLM answer mode: a real loopback OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rag.settings import LLMSettings
from tests.fakes.openai_server import FakeOpenAIServer

TEST_API_KEY = "sk-test-3f9c2e7d41b8a6050d1e"


@pytest.fixture
def openai_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    """A fresh OpenAI-compatible server on 127.0.0.1 (ephemeral port), stopped after the test."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture
def llm_settings(openai_server: FakeOpenAIServer) -> LLMSettings:
    """Settings pointing at the loopback server, with a short timeout and a recognisable key."""
    return LLMSettings(
        base_url=openai_server.url, model=openai_server.model, api_key=TEST_API_KEY, timeout=2.0
    )
