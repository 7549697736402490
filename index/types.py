"""Values that flow through indexing: a parsed notice and its clauses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict


@dataclass(frozen=True)
class DocIdentity:
    """Who issued a notice, when, and under which number. Unknown fields are None."""

    doc_id: str
    title: str
    source_file: str
    doc_number: str | None = None  # 文号, e.g. 阳交字〔2024〕138号
    issuer: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd (or yyyy-mm / yyyy when that is all the text says)
    kind: str | None = None  # 工作要点 / 实施方案 / 履职报告 / 新闻
    region: str | None = None


@dataclass(frozen=True)
class TableRecord:
    """One row of a ledger table (台账), linked to the clause it describes."""

    row_no: str
    task: str  # 工作任务 (inherited from the row above when the cell was merged)
    content: str  # 工作内容
    units: tuple[str, ...]
    lead_units: tuple[str, ...] = ()
    deadline: str | None = None
    people: tuple[str, ...] = ()
    line: str = ""  # the row as written, cells joined by tabs


@dataclass(frozen=True)
class Clause:
    """One numbered task or paragraph of a notice, with where it sits and who must do it."""

    doc: DocIdentity
    section_path: tuple[str, ...]  # headings from the top, e.g. ("二、重点任务", "（四）…", "5. …")
    clause_no: str  # the clause's own number as written, e.g. "5." or "（四）"; "" for paragraphs
    text: str  # the clause text as written (cleaned of page-break damage)
    units: tuple[str, ...] = ()  # all responsible units (lead + co + inherited)
    lead_units: tuple[str, ...] = ()
    # where the units came from, "+"-joined: clause (a bracket or sentence of the clause), line (a label
    # line after it), table (a table row), scope (以上…), inherited (以下…), order-rule (lead by position), issuer
    unit_source: str = ""
    people: tuple[str, ...] = ()  # 责任领导 / 责任人: people, never units
    deadline: str | None = None  # 完成时限 as written, e.g. "2024年6月底前"
    duty_text: str = ""  # the statement of responsibility as written (not quoted as a requirement)
    inherited_units: tuple[str, ...] = ()
    inherited_note: str = ""  # the notice's sentence that assigns the inherited units to later tasks
    table_units: tuple[str, ...] = ()  # units the ledger table gives, when it differs from the body
    table_rows: tuple[TableRecord, ...] = ()
    start: int = 0  # character offsets into the cleaned document text
    end: int = 0
    part: int = 0  # index of the piece when a long clause was split to the token budget
    parts: int = 1

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)


@dataclass(frozen=True)
class ParsedDocument:
    identity: DocIdentity
    text: str  # cleaned full text
    clauses: tuple[Clause, ...] = field(default_factory=tuple)
    table_rows: tuple[TableRecord, ...] = field(default_factory=tuple)


class ClauseMeta(TypedDict, total=False):
    """A clause's metadata as the index stores it and `index.records.read_metadata` returns it.

    `read_metadata` always fills the list keys (possibly empty) and the optional identity keys
    (possibly None); `page` and `ocr` are present only for PDF notices.
    """

    doc_id: str
    doc_title: str
    doc_number: str | None
    issuer: str | None
    date: str | None
    year: int | None
    kind: str | None
    region: str | None
    source_file: str
    section: str
    section_path: list[str]
    clause_no: str
    text: str
    units: list[str]
    lead_units: list[str]
    inherited_units: list[str]
    table_units: list[str]
    inherited_note: str
    unit_source: str
    people: list[str]
    deadline: str | None
    duty_text: str
    table_rows: list[dict[str, Any]]
    start: int
    end: int
    part: int
    parts: int
    order: int
    page: int
    ocr: bool
