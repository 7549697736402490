"""LLM settings: read from RAG_LLM_* once, validated with messages that say what to fix."""

from __future__ import annotations

import pytest

from rag.settings import LLMSettings

ENDPOINT = {"RAG_LLM_BASE_URL": "http://127.0.0.1:8001/v1/", "RAG_LLM_MODEL": "Qwen2.5-7B-Instruct"}


def test_llm_mode_is_off_without_an_endpoint() -> None:
    settings = LLMSettings.from_env({})

    assert not settings.enabled
    assert (settings.timeout, settings.temperature, settings.max_passages) == (30.0, 0.0, 6)
    assert settings.api_key is None


def test_endpoint_settings_are_read_from_the_environment() -> None:
    env = {
        **ENDPOINT,
        "RAG_LLM_API_KEY": "sk-local",
        "RAG_LLM_TIMEOUT": "12.5",
        "RAG_LLM_TEMPERATURE": "0.2",
        "RAG_LLM_MAX_PASSAGES": "4",
    }

    settings = LLMSettings.from_env(env)

    assert settings.enabled
    assert settings.base_url == "http://127.0.0.1:8001/v1" and settings.model == "Qwen2.5-7B-Instruct"
    assert (settings.api_key, settings.timeout, settings.temperature, settings.max_passages) == (
        "sk-local",
        12.5,
        0.2,
        4,
    )


def test_overrides_win_over_the_environment() -> None:
    assert LLMSettings.from_env(ENDPOINT, timeout=3.0).timeout == 3.0


def test_key_is_not_in_repr() -> None:
    settings = LLMSettings.from_env({**ENDPOINT, "RAG_LLM_API_KEY": "sk-very-secret"})

    assert "sk-very-secret" not in repr(settings) and "Qwen2.5-7B-Instruct" in repr(settings)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RAG_LLM_BASE_URL": "http://127.0.0.1:8001/v1"}, "RAG_LLM_MODEL"),
        ({"RAG_LLM_MODEL": "qwen"}, "RAG_LLM_BASE_URL"),
        ({**ENDPOINT, "RAG_LLM_BASE_URL": "127.0.0.1:8001/v1"}, "http://"),
        ({**ENDPOINT, "RAG_LLM_TIMEOUT": "soon"}, "RAG_LLM_TIMEOUT"),
        ({**ENDPOINT, "RAG_LLM_TIMEOUT": "0"}, "RAG_LLM_TIMEOUT"),
        ({**ENDPOINT, "RAG_LLM_TEMPERATURE": "5"}, "RAG_LLM_TEMPERATURE"),
        ({**ENDPOINT, "RAG_LLM_MAX_PASSAGES": "2.5"}, "RAG_LLM_MAX_PASSAGES"),
        ({**ENDPOINT, "RAG_LLM_MAX_PASSAGES": "0"}, "RAG_LLM_MAX_PASSAGES"),
    ],
)
def test_bad_settings_fail_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LLMSettings.from_env(env)
