"""Ledger tables (台账): rows with a 责任单位 column, linked to the clause they restate.

A table is a header line of tab-separated cells naming 工作任务/工作内容/责任单位, followed by
tab-separated rows. An empty 工作任务 cell was a merged cell: it inherits the row above.
"""

from __future__ import annotations

import re

from index.types import TableRecord
from index.units import split_units

_HEADER_WORDS = ("责任单位", "责任部门", "牵头单位")


def is_table_header(line: str) -> bool:
    return "\t" in line and any(w in line for w in _HEADER_WORDS)


def parse_table(header: str, rows: list[str]) -> list[TableRecord]:
    """Turn a header and its rows into records.

    Args:
        header: the header line, e.g. "序号\\t工作任务\\t工作内容\\t责任单位\\t进展情况\\t备注".
        rows: the row lines under it.
    """
    names = [c.strip() for c in header.split("\t")]
    col = {name: i for i, name in enumerate(names)}

    def cell(cells: list[str], *keys: str) -> str:
        for key in keys:
            i = col.get(key)
            if i is not None and i < len(cells):
                return cells[i].strip()
        return ""

    records: list[TableRecord] = []
    last_task = ""
    for row in rows:
        cells = row.split("\t")
        task = cell(cells, "工作任务", "任务", "重点任务") or last_task
        last_task = task
        units = cell(cells, "责任单位", "责任部门", "牵头单位")
        records.append(
            TableRecord(
                row_no=cell(cells, "序号", "编号"),
                task=task,
                content=cell(cells, "工作内容", "具体内容", "工作措施"),
                units=tuple(split_units(units)),
            )
        )
    return records


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def link_rows(records: list[TableRecord], clause_texts: list[str], min_score: float = 0.35) -> list[int | None]:
    """Index of the clause each record restates (bigram overlap), or None when none is close."""
    clause_grams = [_bigrams(t) for t in clause_texts]
    links: list[int | None] = []
    for rec in records:
        grams = _bigrams(rec.content or rec.task)
        best, best_score = None, 0.0
        for i, cg in enumerate(clause_grams):
            if not grams or not cg:
                continue
            score = len(grams & cg) / len(grams)
            if score > best_score:
                best, best_score = i, score
        links.append(best if best_score >= min_score else None)
    return links
