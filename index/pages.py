"""Clause records with where they came from: the PDF page (``page``) and whether OCR read it.

``document_records`` is what the index stores for one parsed notice: the clause records of
``index.records`` plus ``page`` (1-based, PDFs only) and ``ocr`` (True when the clause's page was
read by OCR). Pages are found by locating each clause's opening characters in the page texts,
whitespace ignored (cleaning rejoins lines and drops page furniture, so offsets do not carry over).
"""

from __future__ import annotations

import re
from pathlib import Path

from index.records import clause_record
from index.types import ParsedDocument

_SPACE = re.compile(r"\s+")
PROBE = 12  # characters of a clause looked up in the pages; shorter clauses use all they have


def pdf_pages(path: Path) -> tuple[list[str], list[int]]:
    """Page texts of a PDF and the pages that were OCRed (OCR results come from the cache)."""
    from index.read import read_pdf_pages

    return read_pdf_pages(Path(path).read_bytes(), Path(path))


def clause_pages(texts: list[str], pages: list[str]) -> list[int | None]:
    """The 1-based page on which each clause (in document order) starts; None when not found."""
    flat, starts = "", []
    for page in pages:
        starts.append(len(flat))
        flat += _SPACE.sub("", page)
    out: list[int | None] = []
    cursor = 0
    for text in texts:
        probe = _SPACE.sub("", text)[:PROBE]
        at = flat.find(probe, cursor) if probe else -1
        if at < 0 and probe:
            at = flat.find(probe)
        if at < 0:
            out.append(out[-1] if out else None)
            continue
        cursor = at
        out.append(max(i for i, s in enumerate(starts) if s <= at) + 1)
    return out


def document_records(doc: ParsedDocument, path: Path) -> list[dict]:
    """Chroma records of a notice's clauses, with ``page`` and ``ocr`` for PDFs."""
    records = [clause_record(clause, order) for order, clause in enumerate(doc.clauses)]
    if Path(path).suffix.lower() != ".pdf" or not records:
        return records
    pages, ocred = pdf_pages(path)
    found = clause_pages([c.text for c in doc.clauses], pages)
    for rec, page in zip(records, found):
        if page is not None:
            rec["metadata"]["page"] = page
            if page in ocred:
                rec["metadata"]["ocr"] = True
    return records
