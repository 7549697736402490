"""Answering settings, read once from the environment (prefix RAG_LLM_).

The LLM answer mode is off unless both RAG_LLM_BASE_URL and RAG_LLM_MODEL are set.
Any OpenAI-compatible endpoint works (vLLM, Ollama, DeepSeek, Qwen/DashScope, OpenAI).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _number(env: Mapping[str, str], name: str, default: str, kind: type) -> float | int:
    raw = env.get(name, "").strip() or default
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(
            f"{name} must be a{'n integer' if kind is int else ' number'}, got {raw!r}"
        ) from None


@dataclass(frozen=True)
class LLMSettings:
    """How to reach the OpenAI-compatible chat endpoint that writes LLM-mode answers.

    Attributes:
        base_url: endpoint root including the API prefix, e.g. http://127.0.0.1:8001/v1.
        model: model name the endpoint serves, e.g. Qwen2.5-7B-Instruct.
        api_key: bearer key; only ever from RAG_LLM_API_KEY, never defaulted, never in repr.
        timeout: seconds to wait for the endpoint (per request; per chunk when streaming).
        temperature: sampling temperature; 0 keeps answers close to the passages.
        max_passages: at most this many cited clauses are sent to the model.
        max_passage_chars: each clause text is cut to about this many characters.
    """

    base_url: str = ""
    model: str = ""
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    temperature: float = 0.0
    max_passages: int = 6
    max_passage_chars: int = 1200

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", (self.base_url or "").strip().rstrip("/"))
        object.__setattr__(self, "model", (self.model or "").strip())
        object.__setattr__(self, "api_key", (self.api_key or "").strip() or None)
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            raise ValueError(
                f"RAG_LLM_BASE_URL must start with http:// or https://, got {self.base_url!r} "
                "(e.g. http://127.0.0.1:8001/v1)"
            )
        if bool(self.base_url) != bool(self.model):
            missing = "RAG_LLM_MODEL" if self.base_url else "RAG_LLM_BASE_URL"
            raise ValueError(
                f"LLM mode needs both RAG_LLM_BASE_URL and RAG_LLM_MODEL; {missing} is not set "
                "(unset both to use extractive answers only)"
            )
        if not (math.isfinite(self.timeout) and self.timeout > 0):
            raise ValueError(f"RAG_LLM_TIMEOUT must be a positive number of seconds, got {self.timeout!r}")
        if not (math.isfinite(self.temperature) and 0 <= self.temperature <= 2):
            raise ValueError(f"RAG_LLM_TEMPERATURE must be between 0 and 2, got {self.temperature!r}")
        if self.max_passages < 1:
            raise ValueError(f"RAG_LLM_MAX_PASSAGES must be at least 1, got {self.max_passages!r}")
        if self.max_passage_chars < 100:
            raise ValueError(
                f"RAG_LLM_MAX_PASSAGE_CHARS must be at least 100, got {self.max_passage_chars!r}"
            )

    @property
    def enabled(self) -> bool:
        """True when an endpoint and a model are configured."""
        return bool(self.base_url and self.model)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> LLMSettings:
        """Read settings from environment variables; keyword overrides win when not None.

        Args:
            env: mapping to read instead of os.environ (tests).
            **overrides: field values that replace the environment's.

        Returns:
            Validated settings.

        Raises:
            ValueError: a variable is malformed or out of range, or only one of
                RAG_LLM_BASE_URL / RAG_LLM_MODEL is set.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {
            "base_url": env.get("RAG_LLM_BASE_URL", ""),
            "model": env.get("RAG_LLM_MODEL", ""),
            "api_key": env.get("RAG_LLM_API_KEY") or None,
            "timeout": _number(env, "RAG_LLM_TIMEOUT", "30", float),
            "temperature": _number(env, "RAG_LLM_TEMPERATURE", "0", float),
            "max_passages": _number(env, "RAG_LLM_MAX_PASSAGES", "6", int),
            "max_passage_chars": _number(env, "RAG_LLM_MAX_PASSAGE_CHARS", "1200", int),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
