"""What one index generation holds, for listing: its notices, its units and a notice's clauses."""

from __future__ import annotations

from typing import Any

from rag.compose.quote import citation
from rag.live import Generation
from rag.types import Citation

_IDENTITY = ("doc_id", "doc_title", "doc_number", "issuer", "date", "year", "kind", "region", "source_file")


def units(gen: Generation) -> list[dict[str, Any]]:
    """Every unit named in the notices, most often named first, with its clause count and notices."""
    vocab = gen.vocab
    return [{"name": u, "count": vocab.counts[u], "docs": vocab.docs[u]} for u in vocab.names]


def documents(gen: Generation) -> list[dict[str, Any]]:
    """The indexed notices in order, with their identity, clause and unit counts and OCR flag."""
    docs: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    unit_names: dict[str, set[str]] = {}
    ocr: set[str] = set()
    for m in gen.view.metas:
        counts[m["doc_id"]] = counts.get(m["doc_id"], 0) + 1
        unit_names.setdefault(m["doc_id"], set()).update(m.get("units") or [])
        if m.get("ocr"):
            ocr.add(m["doc_id"])
        docs.setdefault(m["doc_id"], {k: m.get(k) for k in _IDENTITY})
    for d in docs.values():
        d["title"] = d.pop("doc_title")
        d["clauses"] = counts[d["doc_id"]]
        d["units"] = len(unit_names[d["doc_id"]])
        d["ocr"] = d["doc_id"] in ocr
    return list(docs.values())


def clauses(gen: Generation, doc_id: str | None = None) -> list[Citation]:
    """Every clause (of one notice, or all), numbered 1..n in document order."""
    view = gen.view
    return [
        citation(i + 1, view.hit(j))
        for i, j in enumerate(j for j, m in enumerate(view.metas) if doc_id is None or m["doc_id"] == doc_id)
    ]
