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
from index.tables import Table, find_tables, link_rows, read_table
from index.types import Clause, DocIdentity, ParsedDocument, TableRecord
from index.units import (
    apply_marker,
    has_order_rule,
    heading_subject,
    heading_leads,
    heading_units,
    inherited_note,
    inherited_units,
    labelled_names,
    lead_marker,
    partners,
    subjectless_duty,
    read_duty,
    split_units,
)

logging.getLogger("jieba").setLevel(logging.WARNING)

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
    identity = read_identity(doc_id, source_file, text, page_source(raw), raw)
    lines = text.split("\n")
    tables = find_tables(lines)
    known = labelled_names(text) | _column_names(tables, lines)
    body = _body_lines(lines, tables)
    mark = lead_marker(text)
    clauses = _attach_units(split_clauses(body), identity, text, known, mark)
    offsets = _line_offsets(lines)
    records: list[tuple[TableRecord, Table]] = [
        (rec, table) for table in tables for rec in read_table(table, lines, known)
    ]
    clauses = _attach_table(clauses, records, offsets, identity, has_order_rule(text), mark)
    clauses = sorted(clauses + _unread_table_text(tables, lines, clauses, offsets, identity), key=lambda c: c.start)
    pieces = [piece for clause in clauses for piece in _split(clause, max_tokens)]
    return ParsedDocument(
        identity=identity, text=text, clauses=tuple(pieces), table_rows=tuple(rec for rec, _ in records)
    )


def _unread_table_text(
    tables: list[Table], lines: list[str], clauses: list[Clause], offsets: list[int], identity: DocIdentity
) -> list[Clause]:
    """The lines of a table that no row read took in (a nested or broken table: "(一)“打通断头路 畅通微
    循环”攻坚专项行动(6条路) |"), as plain clauses: a table's text is never lost from the index."""
    out: list[Clause] = []
    texts = {id(c): re.sub(r"\s+", "", c.text) for c in clauses}
    # a ledger row restating a body clause is read there: its task, content, units and time
    restated = [f for c in clauses for r in c.table_rows
                for f in (r.row_no, r.task, r.content, r.deadline or "", *r.units, *r.people)]
    everywhere = "\n".join([*texts.values(), *(re.sub(r"\s+", "", f) for f in restated)])
    for table in tables:
        first, last = offsets[table.start], offsets[min(table.end, len(offsets)) - 1]
        rows = "\n".join(texts[id(c)] for c in clauses if first <= c.start <= last)  # looked in first: small
        run: list[int] = []
        for n in [*range(table.body, table.end), -1]:
            words = re.split(r"[|\s]+", lines[n]) if n >= 0 else []  # cells, and names a space apart
            if n >= 0 and any(len(w) >= 2 and w not in rows and w not in everywhere for w in words):
                run.append(n)
                continue
            if run:
                text = "\n".join(lines[i] for i in run)
                start = offsets[run[0]]
                out.append(Clause(doc=identity, section_path=(table.title or "表格",), clause_no="", text=text,
                                  start=start, end=start + len(text)))
                run = []
    return out


def _line_offsets(lines: list[str]) -> list[int]:
    offsets, offset = [], 0
    for line in lines:
        offsets.append(offset)
        offset += len(line) + 1
    return offsets


def _column_names(tables: list[Table], lines: list[str]) -> frozenset[str]:
    """Names in a table's unit columns are the notice's own labelled unit names."""
    names: set[str] = set()
    for table in tables:
        if table.shape != "tab":
            continue
        for line in lines[table.body: table.end]:
            cells = line.split("\t")
            if len(cells) != len(table.roles):
                continue
            for role, cell in zip(table.roles, cells):
                if role in ("lead", "units", "support"):
                    names.update(n for n in split_units(cell, labelled=True) if len(n) <= 20)
    return frozenset(names)


def _body_lines(lines: list[str], tables: list[Table]) -> list[tuple[str, int]]:
    """Body lines with offsets: everything but tables, their title lines and signature blocks."""
    skip: set[int] = set()
    for table in tables:
        skip.update(range(table.start, table.end))
        if table.title:
            skip.add(table.start - 1)
    body: list[tuple[str, int]] = []
    offset = 0
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if i not in skip and line.strip() and not _is_signature(line, nxt):
            body.append((line, offset))
        offset += len(line) + 1
    return body


_DATE_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:印发|发布|制发)?$")  # "2024年3月1日印发": the footer
_ORG_ONLY = re.compile(r"^[\u4e00-\u9fa5（）()]{2,30}(?:局|厅|委员会|委|政府|办公室|办|部|院|中心|集团|公司)$")


def _is_signature(line: str, nxt: str) -> bool:
    """A signature block (issuer line + date line) is identity, not a clause."""
    line = line.strip()
    return bool(_DATE_ONLY.match(line) or (_ORG_ONLY.match(line) and _DATE_ONLY.match(nxt.strip())))


def _attach_units(
    raw: list[RawClause], identity: DocIdentity, text: str, known: frozenset[str], mark: str | None = None
) -> list[Clause]:
    """Each clause's own duty, then notice-wide forms: inherited (以下…), scope (以上…), order rule."""
    inherit: tuple[str, ...] = ()
    note = ""
    order_rule = has_order_rule(text)
    report_unit = _report_body(identity, text)
    out: list[Clause] = []
    headings: dict[str, str] = {}  # a section path's (shortened) heading title -> its whole line
    for rc in raw:
        if rc.section_path and rc.text.startswith(rc.section_path[-1].rstrip("…")):
            headings.setdefault(rc.section_path[-1], rc.text.split("\n")[0])
        duty = None if rc.inherit_marker else read_duty(rc.text, known)
        newly = inherited_units(rc.text, known)
        units: tuple[str, ...] = ()
        lead: tuple[str, ...] = ()
        inherited: tuple[str, ...] = ()
        sources: list[str] = []
        if duty and duty.units:
            units, lead = apply_marker(duty.units, duty.lead_units, mark)
            sources = ["scope"] if duty.scope == "before" else duty.source.split("+")
            if order_rule and not lead:
                lead = units[:1]
                sources.append("order-rule")
        if newly:
            inherit, note = newly, inherited_note(rc.text)
        if units and inherit:
            inherited = tuple(u for u in inherit if u not in units)
            units = units + inherited
            if inherited:
                sources.append("inherited")
        if not units and not newly:
            # the clause's own heading when it is only a body's name and the duties follow it
            # ("(一)市公安局" / "负责…"), else the nearest such heading above it
            # ("(一)市委政法委。负责…" on one line too)
            own = rc.section_path[-1:] if rc.section_path and (_goes_on(rc.text, rc.section_path[-1]) or _under(rc)) else ()
            heads = [*own, *reversed(rc.section_path[:-1])]
            owner, head = next(((u, h) for h in heads if (u := heading_units(h, known))), ((), ""))
            lead = owner if owner and heading_leads(headings.get(head, head)) else ()
            if not owner and subjectless_duty(rc.text):
                # "(一)区民政局作为主管部门总体负责…" / "1.负责起草…": a duty with no subject is the
                # subject's of the nearest heading that has one
                owner = next((u for title in rc.section_path[-2::-1] if (u := heading_subject(headings.get(title, title), known))), ())
            if owner:  # "一、市发展和改革委员会" heads the tasks of that body
                units, sources = owner, ["scope"]
                with_ = tuple(u for u in partners(rc.text, known) if u not in owner)
                if with_:  # "会同市农委、财政局…": the heading's body leads
                    units, lead = owner + with_, owner
        if not units and report_unit and rc.section_path != ("引言",) and not newly:
            units, sources = (report_unit,), ["issuer"]
        clause = Clause(
            doc=identity,
            section_path=rc.section_path,
            clause_no=rc.clause_no,
            text=rc.text,
            units=units,
            lead_units=lead,
            unit_source="+".join(dict.fromkeys(sources)),
            inherited_units=inherited,
            inherited_note=note if inherited else "",
            people=duty.people if duty else (),
            deadline=duty.deadline if duty else None,
            duty_text=rc.text[duty.start: duty.end].strip() if duty and duty.start >= 0 else "",
            start=rc.start,
            end=rc.end,
        )
        if duty and duty.scope == "before" and duty.units:
            _apply_scope(out, clause, duty.units, lead)
            if _SCOPE_ONLY.match(rc.text.strip()):  # "上述项目由X牵头负责。" alone is no task of X's
                clause = replace(clause, units=(), lead_units=(), unit_source="")
        out.append(clause)
    return out


def _under(rc: RawClause) -> bool:
    """A paragraph of its own under its heading ("农业部:" / "负责农产品生产环节的监管。"), not the heading's clause."""
    title = rc.section_path[-1].rstrip("…")
    return title != "引言" and not rc.text.strip().startswith(title[:12])


def _goes_on(text: str, title: str) -> bool:
    """The clause holds more than its heading: lines under it, or sentences after it on its line."""
    text = text.strip()
    return "\n" in text or (text.startswith(title) and text[len(title): len(title) + 1] in ("。", ".", "：", ":") and len(text) > len(title) + 1)


_SCOPE_ONLY = re.compile(r"^(?:以上|上述)[^。；;\n]{0,40}(?:负责|牵头|落实|实施|办理)[。.；;]?$")


def _apply_scope(done: list[Clause], clause: Clause, units: tuple[str, ...], lead: tuple[str, ...]) -> None:
    """"（以上…责任单位：X）" gives X to the preceding items of its section that name no unit."""
    parent = clause.section_path[:-1] if clause.clause_no else clause.section_path
    for i in range(len(done) - 1, -1, -1):
        prev = done[i]
        if prev.section_path[: len(parent)] != parent or prev.section_path == ("引言",):
            break
        if not prev.units:
            done[i] = replace(prev, units=units, lead_units=lead, unit_source="scope")
def _report_body(identity: DocIdentity, text: str) -> str | None:
    """A body's report on its own duties (履职报告, 述职报告, 工作总结) makes it responsible for what it
    reports, when the text speaks for it ("我局…"). A plan that breaks down a 政府工作报告 does not."""
    if not identity.issuer or not re.search(r"履职|述职|工作总结|工作情况", identity.title or ""):
        return None
    says_so = re.search(r"我(?:局|委|办|厅|院|单位|部门|中心|区|县|市)", text)
    return identity.issuer if says_so else None


def _norm(unit: str) -> str:
    return re.sub(r"^局", "", unit)


def _attach_table(
    clauses: list[Clause],
    records: list[tuple[TableRecord, Table]],
    offsets: list[int],
    identity: DocIdentity,
    order_rule: bool,
    mark: str | None = None,
) -> list[Clause]:
    """A row that restates a body clause is attached to it (a ledger 台账); any other row is a clause
    of its own (a task when it has a unit, deadline or person; a row read without any is still kept,
    so that its text can be found)."""
    if not records:
        return clauses
    links = link_rows([rec for rec, _ in records], [c.text for c in clauses]) if clauses else [None] * len(records)
    rows_of: dict[int, list[TableRecord]] = {}
    own: list[Clause] = []
    for (rec, table), idx in zip(records, links):
        if idx is not None:
            rows_of.setdefault(idx, []).append(rec)
        elif (rec.line or rec.content).strip():
            units, lead = apply_marker(rec.units, rec.lead_units, mark)
            lead = lead or (units[:1] if order_rule else ())
            start = offsets[table.start] if table.start < len(offsets) else 0
            path = tuple(p for p in (table.title or "表格", rec.task if rec.task != rec.content else "") if p)
            text = rec.line or rec.content
            own.append(
                Clause(
                    doc=identity,
                    section_path=path,
                    clause_no=rec.row_no,
                    text=text,
                    units=units,
                    lead_units=lead,
                    unit_source="table" + ("+order-rule" if order_rule and lead and not rec.lead_units else ""),
                    people=rec.people,
                    deadline=rec.deadline,
                    table_rows=(rec,),
                    start=start,
                    end=start + len(text),
                )
            )
    out = list(clauses)
    for idx, recs in rows_of.items():
        clause = out[idx]
        table_units = tuple(dict.fromkeys(u for r in recs for u in r.units))
        changes: dict = {"table_rows": tuple(recs)}
        if not clause.deadline and any(r.deadline for r in recs):
            changes["deadline"] = next(r.deadline for r in recs if r.deadline)
        if not clause.units and table_units:
            lead = tuple(dict.fromkeys(u for r in recs for u in r.lead_units))
            changes.update(units=table_units, lead_units=lead, unit_source="table")
        elif {_norm(u) for u in table_units} != {_norm(u) for u in clause.units if u not in clause.inherited_units}:
            changes["table_units"] = table_units  # table and body disagree: keep both visible
        elif table_units != tuple(u for u in clause.units if u not in clause.inherited_units):
            changes["table_units"] = table_units  # same units, different names (局农管股 / 农管股)
        out[idx] = replace(clause, **changes)
    return sorted(out + own, key=lambda c: c.start)


def _split(clause: Clause, max_tokens: int) -> list[Clause]:
    spans = split_to_budget(clause.text, max_tokens)
    if len(spans) == 1:
        return [clause]
    return [
        replace(clause, text=clause.text[a:b].strip(), start=clause.start + a, end=clause.start + b, part=i, parts=len(spans))
        for i, (a, b) in enumerate(spans)
    ]
