"""Index settings, read once from the environment (prefix RAG_)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STORE = REPO_ROOT / ".store"
DEFAULT_CORPUS = REPO_ROOT / "docs_corpus"


@dataclass(frozen=True)
class IndexSettings:
    """Where the index lives and how clauses are embedded.

    Attributes:
        store: directory of the embedded Chroma store (ignored when chroma_url is set).
        chroma_url: URL of a Chroma server, e.g. http://127.0.0.1:8000; empty for embedded.
        embedder: "use" (offline default), or "st:<model name or local dir>" for sentence-transformers.
        corpus: directory of notices to index.
        max_tokens: token budget of one embedded piece (tiktoken cl100k).
        collection_prefix: prefix of the Chroma collections this project owns.
        lock_wait: seconds a build waits for another build of the same store (RAG_LOCK_WAIT).
    """

    store: Path = DEFAULT_STORE
    chroma_url: str = ""
    embedder: str = "use"
    corpus: Path = DEFAULT_CORPUS
    max_tokens: int = 512
    collection_prefix: str = "clauses"
    lock_wait: float = 120.0

    @classmethod
    def from_env(cls, **overrides) -> IndexSettings:
        env = os.environ
        values: dict[str, Any] = {
            "store": Path(env.get("RAG_STORE", DEFAULT_STORE)),
            "chroma_url": env.get("RAG_CHROMA_URL", ""),
            "embedder": env.get("RAG_EMBEDDER", "use"),
            "corpus": Path(env.get("RAG_CORPUS", DEFAULT_CORPUS)),
            "max_tokens": int(env.get("RAG_MAX_TOKENS", "512")),
            "collection_prefix": env.get("RAG_COLLECTION_PREFIX", "clauses"),
            "lock_wait": env.get("RAG_LOCK_WAIT", "120"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values["store"], str):
            values["store"] = Path(values["store"])
        if isinstance(values["corpus"], str):
            values["corpus"] = Path(values["corpus"])
        try:
            values["lock_wait"] = float(values["lock_wait"])
        except ValueError:
            raise ValueError(f"RAG_LOCK_WAIT must be a number of seconds, got {values['lock_wait']!r}") from None
        if not 0 <= values["lock_wait"] <= 86400:
            raise ValueError(f"RAG_LOCK_WAIT must be between 0 and 86400 seconds, got {values['lock_wait']}")
        if values["max_tokens"] < 32:
            raise ValueError("RAG_MAX_TOKENS must be at least 32")
        return cls(**values)
