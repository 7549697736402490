"""Web settings, read once from the environment (prefix RAG_)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from limits import parse_many


@dataclass(frozen=True)
class WebSettings:
    """How the HTTP API and the UI are served.

    Attributes:
        host: interface to bind (RAG_HOST); loopback by default.
        port: TCP port (RAG_PORT).
        allowed_origins: origins allowed to call the API from a browser (RAG_ALLOWED_ORIGINS,
            comma separated). Empty means same-origin only.
        api_key: when set (RAG_API_KEY), `/api/*` requires the header `X-API-Key`. Never defaulted.
        rate_limit: per-client limit on `/api/*` in slowapi/limits syntax (RAG_RATE_LIMIT).
        max_body_bytes: larger request bodies are refused with 413.
        max_question_chars: longer questions are refused with 422.
        max_history_turns: only the last turns of a conversation are passed on.
        admin_key: when set (RAG_ADMIN_KEY), staff with the header `X-Admin-Key` (or the 文件管理
            tab) may upload and delete notices; unset means uploads are off. Never defaulted.
    """

    host: str = "127.0.0.1"
    port: int = 7860
    allowed_origins: tuple[str, ...] = ()
    api_key: str = ""
    rate_limit: str = "30/minute"
    max_body_bytes: int = 16 * 1024
    max_question_chars: int = 2000
    max_history_turns: int = 6
    admin_key: str = ""

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ValueError(f"RAG_PORT must be between 1 and 65535, got {self.port}")
        try:
            parse_many(self.rate_limit)
        except ValueError as exc:
            raise ValueError(
                f"RAG_RATE_LIMIT {self.rate_limit!r} is not a rate limit such as '30/minute'"
            ) from exc
        for origin in self.allowed_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ValueError(
                    f"RAG_ALLOWED_ORIGINS entry {origin!r} must look like https://example.gov.cn"
                )

    @classmethod
    def from_env(cls, **overrides) -> WebSettings:
        """Read settings from RAG_* variables; keyword overrides that are not None win.

        Returns:
            The validated settings.
        """
        env = os.environ
        origins = tuple(
            o.strip().rstrip("/") for o in env.get("RAG_ALLOWED_ORIGINS", "").split(",") if o.strip()
        )
        try:
            port = int(env.get("RAG_PORT", "7860"))
        except ValueError as exc:
            raise ValueError(f"RAG_PORT must be a number, got {env.get('RAG_PORT')!r}") from exc
        values = {
            "host": env.get("RAG_HOST", "127.0.0.1"),
            "port": port,
            "allowed_origins": origins,
            "api_key": env.get("RAG_API_KEY", ""),
            "rate_limit": env.get("RAG_RATE_LIMIT", "30/minute"),
            "admin_key": env.get("RAG_ADMIN_KEY", ""),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values["allowed_origins"], str):
            values["allowed_origins"] = tuple(
                o.strip().rstrip("/") for o in values["allowed_origins"].split(",") if o.strip()
            )
        return cls(**values)
