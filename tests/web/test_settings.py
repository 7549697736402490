"""Web settings come from RAG_* variables and reject values that would misconfigure the server."""

from __future__ import annotations

import pytest

from web.settings import WebSettings


def test_defaults_are_loopback_same_origin_no_key(monkeypatch: pytest.MonkeyPatch):
    for name in ("RAG_HOST", "RAG_PORT", "RAG_ALLOWED_ORIGINS", "RAG_API_KEY", "RAG_RATE_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    s = WebSettings.from_env()
    assert (s.host, s.port, s.allowed_origins, s.api_key, s.rate_limit) == (
        "127.0.0.1",
        7860,
        (),
        "",
        "30/minute",
    )


def test_environment_and_flags(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RAG_ALLOWED_ORIGINS", " https://a.gov.cn/ , http://b.example:8080 ,")
    monkeypatch.setenv("RAG_API_KEY", "k")
    monkeypatch.setenv("RAG_PORT", "9000")
    s = WebSettings.from_env(port=9100)
    assert s.allowed_origins == ("https://a.gov.cn", "http://b.example:8080")
    assert s.api_key == "k" and s.port == 9100


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RAG_RATE_LIMIT", "lots", "RAG_RATE_LIMIT"),
        ("RAG_PORT", "http", "RAG_PORT"),
        ("RAG_PORT", "70000", "RAG_PORT"),
        ("RAG_ALLOWED_ORIGINS", "a.gov.cn", "RAG_ALLOWED_ORIGINS"),
    ],
)
def test_bad_values_fail_with_the_variable_name(monkeypatch: pytest.MonkeyPatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        WebSettings.from_env()
