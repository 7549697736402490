"""A clause as a Chroma record (id, embedded text, flat metadata) and back."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import cast

from index.types import Clause, ClauseMeta
from index.units import to_simplified


def clause_id(clause: Clause) -> str:
    """Content hash: the same clause text at the same place always gets the same id."""
    key = "\x1f".join([clause.doc.doc_id, clause.section, clause.clause_no, str(clause.part), clause.text])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def embed_text(clause: Clause) -> str:
    """What is embedded: a header with the notice title and section path, then the clause.

    Traditional script is embedded (and so retrieved) in its simplified form; the clause text
    kept in the metadata stays as written.
    """
    return to_simplified(f"《{clause.doc.title}》 {clause.section}\n{clause.text}")


def _year(clause: Clause) -> int | None:
    for text in (clause.doc.date or "", clause.doc.doc_number or "", clause.doc.title):
        m = re.search(r"(19|20)\d{2}", text)
        if m:
            return int(m.group(0))
    return None


def clause_record(clause: Clause, order: int) -> dict:
    doc = clause.doc
    meta: dict = {
        "doc_id": doc.doc_id,
        "doc_title": doc.title or Path(doc.source_file).stem,  # answers cite 《title》: never 《》
        "doc_number": doc.doc_number,
        "issuer": doc.issuer,
        "date": doc.date,
        "year": _year(clause),
        "kind": doc.kind,
        "region": doc.region,
        "source_file": doc.source_file,
        "section": clause.section,
        "section_path": list(clause.section_path) or None,
        "clause_no": clause.clause_no,
        "text": clause.text,
        "units": list(clause.units) or None,
        "lead_units": list(clause.lead_units) or None,
        "inherited_units": list(clause.inherited_units) or None,
        "table_units": list(clause.table_units) or None,
        "inherited_note": clause.inherited_note or None,
        "unit_source": clause.unit_source,
        "people": list(clause.people) or None,
        "deadline": clause.deadline,
        "duty_text": clause.duty_text or None,
        "table_rows": json.dumps([r.__dict__ for r in clause.table_rows], ensure_ascii=False) if clause.table_rows else None,
        "start": clause.start,
        "end": clause.end,
        "part": clause.part,
        "parts": clause.parts,
        "order": order,
    }
    # Chroma keeps no None and no empty lists: leave the key out; readers use .get().
    meta = {k: v for k, v in meta.items() if v is not None}
    return {"id": clause_id(clause), "document": embed_text(clause), "metadata": meta}


LIST_KEYS = ("units", "lead_units", "inherited_units", "table_units", "section_path", "people")


def read_metadata(meta: dict) -> ClauseMeta:
    """Metadata as stored, with list keys always present and table rows decoded."""
    out = dict(meta)
    for key in LIST_KEYS:
        out[key] = list(out.get(key) or [])
    out["table_rows"] = json.loads(out["table_rows"]) if out.get("table_rows") else []
    out.setdefault("inherited_note", "")
    out.setdefault("duty_text", "")
    for key in ("doc_number", "issuer", "date", "kind", "region", "year", "deadline"):
        out.setdefault(key, None)
    return cast(ClauseMeta, out)
