"""Values that flow through answering."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from index.types import ClauseMeta

REFUSAL = "根据现有文件，无法回答这个问题。"
NO_UNITS_NOTE = "文件中未写明该项工作的责任单位，相关条款如下："  # a who-answer whose clauses name no unit


Intent = Literal["who", "tasks", "fact", "requirements", "across", "general", "invalid"]
"""The kind of question (rag/intent.py); "invalid" is a question that cannot be asked (empty, too long)."""


@dataclass(frozen=True)
class Hit:
    """A retrieved clause with its scores. `metadata` is the clause's index metadata.

    `score` is the fused retrieval score; `dense` the cosine similarity of the dense leg and
    `lexical` the BM25 score relative to the best one of the search (0 when a leg missed it).
    """

    clause_id: str
    text: str
    metadata: ClauseMeta
    score: float
    dense: float = 0.0
    lexical: float = 0.0


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    doc_title: str
    doc_number: str | None
    issuer: str | None
    date: str | None
    section: str
    text: str
    units: list[str]
    lead_units: list[str]
    clause_id: str = ""
    unit_source: str = ""
    inherited_units: list[str] = field(default_factory=list)
    table_units: list[str] = field(default_factory=list)
    highlight: str = ""  # the sentence of `text` that supports the answer, if any
    inherited_note: str = ""  # the notice's sentence that assigns `inherited_units`
    page: int | None = None  # PDF notices: the page the clause starts on (1-based)
    deadline: str | None = None  # the task's 完成时限 as the notice states it (index metadata); None: not stated

    @property
    def passage(self) -> str:
        """The clause as the answer may use it: title, section, text and its units.

        Grounding checks (rag.verify) compare answers against this passage, so a title,
        section heading or unit name quoted from the clause's metadata counts as supported.
        """
        head = f"《{self.doc_title}》" + (f"（{self.doc_number}）" if self.doc_number else "") + (
            "（{}年{}月{}日）".format(*(int(x) for x in self.date.split("-"))) if self.date and self.date.count("-") == 2 else ""
        ) + f" {self.section}"
        lead = [u for u in self.lead_units]
        others = [u for u in self.units if u not in lead]
        roles = (["牵头单位：" + "、".join(lead)] if lead else []) + (["责任单位：" + "、".join(others)] if others else [])
        if roles:
            head += "（" + "；".join(roles) + "）"
        tail = ""
        if self.inherited_note:
            tail += f"\n（该通知规定：{self.inherited_note}）"
        if self.table_units:
            tail += f"\n（台账责任单位：{'、'.join(self.table_units)}）"
        if self.deadline and self.deadline not in self.text:  # e.g. read from a table column
            tail += f"\n（完成时限：{self.deadline}）"
        return f"{head}\n{self.text}{tail}"


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    intent: str  # who | tasks | fact | requirements | across | deadline | followup | refuse | smalltalk
    units: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)  # shown only as "related", never as the answer
    mode: str = "extractive"  # extractive | llm
    latency_ms: float = 0.0
    verification: dict | None = None  # LLM mode: what was checked and why a fallback happened

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TaskPage:
    """Part of a unit's task list: `tasks` are entries offset+1..offset+len(tasks) of `total`."""

    unit: str
    total: int
    offset: int
    limit: int
    per_notice: dict[str, int]  # doc_id -> tasks in that notice (whole list), in document order
    tasks: list[Citation]
    titles: dict[str, str] = field(default_factory=dict)  # doc_id -> notice title

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.tasks)
        return end if end < self.total else None

    def to_dict(self) -> dict:
        return {
            "unit": self.unit, "count": self.total, "offset": self.offset, "limit": self.limit,
            "next_offset": self.next_offset, "per_notice": dict(self.per_notice),
            "tasks": [asdict(c) for c in self.tasks],
        }
