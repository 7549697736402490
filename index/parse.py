"""Parse one notice file into its identity and clauses with responsible units."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

from index.chunk import split_to_budget
from index.clauses import RawClause, split_clauses
from index.clean import clean_text, page_source
from index.identity import read_identity
from index.read import read_text
from index.tables import is_table_header, link_rows, parse_table
from index.types import Clause, DocIdentity, ParsedDocument, TableRecord
from index.units import extract_units, inherited_note, inherited_units

logging.getLogger("jieba").setLevel(logging.WARNING)

_REPORT_KINDS = ("履职报告", "工作报告", "报告")


def parse_document(path: Path, max_tokens: int = 512) -> ParsedDocument:
    """Read, clean and split one notice.

    Args:
        path: the notice file (.txt, .md, .html, .docx, .pdf).
        max_tokens: token budget of one clause piece; longer clauses are split.

    Returns:
        The document's identity, cleaned text, clauses and ledger rows.

    Raises:
        index.read.UnreadableFile: the file cannot be read as a notice.
    """
    raw = read_text(path)
    return parse_text(raw, doc_id=path.stem, source_file=path.name, max_tokens=max_tokens)


def parse_text(raw: str, doc_id: str, source_file: str, max_tokens: int = 512) -> ParsedDocument:
    text = clean_text(raw)
    identity = read_identity(doc_id, source_file, text, page_source(raw))
    body, tables = _separate_tables(text)
    raw_clauses = split_clauses(body)
    clauses = _attach_units(raw_clauses, identity, text)
    records = [rec for header, rows in tables for rec in parse_table(header, rows)]
    clauses = _attach_table(clauses, records)
    pieces = [piece for clause in clauses for piece in _split(clause, max_tokens)]
    return ParsedDocument(identity=identity, text=text, clauses=tuple(pieces), table_rows=tuple(records))


def _separate_tables(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, list[str]]]]:
    """Body lines with offsets, and (header, rows) of each ledger table."""
    body: list[tuple[str, int]] = []
    tables: list[tuple[str, list[str]]] = []
    offset = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if is_table_header(line):
            tables.append((line, []))
        elif "\t" in line and tables:
            tables[-1][1].append(line)
        elif is_table_header(nxt) and len(line) <= 40:
            pass  # the table's title line
        elif line.strip() and not _is_signature(line, nxt):
            body.append((line, offset))
        offset += len(line) + 1
    return body, tables


_DATE_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_ORG_ONLY = re.compile(r"^[\u4e00-\u9fa5（）()]{2,30}(?:局|厅|委员会|委|政府|办公室|办|部|院|中心|集团|公司)$")


def _is_signature(line: str, nxt: str) -> bool:
    """A signature block (issuer line + date line) is identity, not a clause."""
    line = line.strip()
    return bool(_DATE_ONLY.match(line) or (_ORG_ONLY.match(line) and _DATE_ONLY.match(nxt.strip())))


def _attach_units(raw: list[RawClause], identity: DocIdentity, text: str) -> list[Clause]:
    inherit: tuple[str, ...] = ()
    note = ""
    report_unit = _report_body(identity, text)
    out: list[Clause] = []
    for rc in raw:
        mention = None if rc.inherit_marker else extract_units(rc.text)
        newly = inherited_units(rc.text)
        units: tuple[str, ...] = ()
        lead: tuple[str, ...] = ()
        inherited: tuple[str, ...] = ()
        source = ""
        if mention:
            units, lead, source = mention.units, mention.lead_units, "clause"
            if newly:
                inherit, note = newly, inherited_note(rc.text)
            if inherit:
                inherited = tuple(u for u in inherit if u not in units)
                units = units + inherited
                source = "clause+inherited" if inherited else source
        elif newly:
            inherit, note = newly, inherited_note(rc.text)
        elif report_unit and rc.section_path != ("引言",):
            units, source = (report_unit,), "issuer"
        out.append(
            Clause(
                doc=identity,
                section_path=rc.section_path,
                clause_no=rc.clause_no,
                text=rc.text,
                units=units,
                lead_units=lead,
                unit_source=source,
                inherited_units=inherited,
                inherited_note=note if inherited else "",
                start=rc.start,
                end=rc.end,
            )
        )
    return out


def _report_body(identity: DocIdentity, text: str) -> str | None:
    """A duty report's issuer is responsible for what it reports, when the text says it is."""
    if not identity.issuer or not identity.kind or not identity.kind.endswith("报告"):
        return None
    says_so = identity.issuer in text.replace(identity.issuer, "", 1) or re.search(r"我局", text)
    return identity.issuer if says_so else None


def _norm(unit: str) -> str:
    return re.sub(r"^局", "", unit)


def _attach_table(clauses: list[Clause], records: list[TableRecord]) -> list[Clause]:
    if not records:
        return clauses
    links = link_rows(records, [c.text for c in clauses])
    rows_of: dict[int, list[TableRecord]] = {}
    for rec, idx in zip(records, links):
        if idx is not None:
            rows_of.setdefault(idx, []).append(rec)
    out = list(clauses)
    for idx, recs in rows_of.items():
        clause = out[idx]
        table_units = tuple(dict.fromkeys(u for r in recs for u in r.units))
        changes: dict = {"table_rows": tuple(recs)}
        if not clause.units and table_units:
            changes.update(units=table_units, unit_source="table")
        elif {_norm(u) for u in table_units} != {_norm(u) for u in clause.units if u not in clause.inherited_units}:
            changes["table_units"] = table_units  # table and body disagree: keep both visible
        elif table_units != tuple(u for u in clause.units if u not in clause.inherited_units):
            changes["table_units"] = table_units  # same units, different names (局农管股 / 农管股)
        out[idx] = replace(clause, **changes)
    return out


def _split(clause: Clause, max_tokens: int) -> list[Clause]:
    spans = split_to_budget(clause.text, max_tokens)
    if len(spans) == 1:
        return [clause]
    return [
        replace(clause, text=clause.text[a:b].strip(), start=clause.start + a, end=clause.start + b, part=i, parts=len(spans))
        for i, (a, b) in enumerate(spans)
    ]
