"""HTML and table views of answers and clauses for the Gradio UI.

Every piece of text from the corpus or the user goes through `html.escape`; markup is only
ever built around escaped text.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from rag.types import REFUSAL, Answer, Citation

CSS = """
.cite-card{border:1px solid #d0d7de;border-left:4px solid #1f6feb;border-radius:8px;padding:10px 12px;margin:8px 0;background:#fff;color:#1f2328}
.cite-head{font-weight:600;margin-bottom:4px}
.cite-n{display:inline-block;min-width:1.6em;text-align:center;background:#1f6feb;color:#fff;border-radius:4px;margin-right:6px;font-size:.85em}
.cite-meta{font-size:.85em;color:#57606a;margin:2px 0}
.cite-section{font-size:.85em;color:#0b5394;margin:4px 0}
.cite-units{margin:6px 0}
.unit{display:inline-block;border:1px solid #d0d7de;border-radius:12px;padding:0 8px;margin:2px 4px 2px 0;font-size:.85em;background:#f6f8fa}
.unit.lead{border-color:#1f6feb;background:#ddf4ff}
.unit.inherited{border-style:dashed;color:#57606a}
.unit small{margin-left:3px;color:#0b5394}
.cite-text{white-space:pre-wrap;line-height:1.6;font-size:.92em}
.cite-text mark{background:#fff3b0;padding:0 1px}
.refusal-box{background:#eef0f2;border:1px solid #c5cad1;border-radius:8px;padding:12px;color:#424a53}
.refusal-box .refusal-text{font-weight:600}
.refusal-box .related-title{margin-top:10px;font-size:.9em;color:#57606a}
.refusal-box .cite-card{border-left-color:#8c959f;background:#f6f8fa}
.empty-note{color:#57606a;font-size:.92em}
.upload-row{margin:.15em 0}.upload-ok{color:#1a7f37}.upload-err{color:#cf222e}.upload-busy{color:#57606a}
.tree ul{list-style:none;padding-left:1.1em;margin:2px 0;border-left:1px dotted #c5cad1}
.tree summary{cursor:pointer;font-weight:600;color:#0b5394}
.tree .leaf{margin:4px 0;line-height:1.6}
"""

UNIT_MARKS = {"lead": "牵头", "inherited": "继承"}
MAX_TEXT_CHARS = 1200


def esc(value: object) -> str:
    """Escape any value for HTML text or attribute context ('' for None)."""
    return html.escape("" if value is None else str(value), quote=True)


def highlighted(text: str, highlight: str) -> str:
    """Escape `text` and wrap the first occurrence of `highlight` in <mark>."""
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS] + "……"
    if highlight and highlight.strip() and highlight in text:
        before, _, after = text.partition(highlight)
        return f"{esc(before)}<mark>{esc(highlight)}</mark>{esc(after)}"
    return esc(text)


def unit_chips(c: Citation) -> str:
    """Units of a clause as chips; lead units marked 牵头, inherited ones 继承."""
    lead, inherited = set(c.lead_units), set(c.inherited_units)
    chips = []
    for unit in c.units:
        kind = "lead" if unit in lead else "inherited" if unit in inherited else ""
        mark = f"<small>{UNIT_MARKS[kind]}</small>" if kind else ""
        chips.append(f'<span class="unit {kind}">{esc(unit)}{mark}</span>')
    return "".join(chips) or '<span class="empty-note">未写明责任单位</span>'


def citation_card(c: Citation, numbered: bool = True) -> str:
    """One citation card: notice, 文号, issuer, date, section path, units, clause text."""
    page = f"p. {c.page}" if getattr(c, "page", None) else None
    meta = " · ".join(esc(v) for v in (c.doc_number, c.issuer, c.date, page) if v)
    number = f'<span class="cite-n">{c.n}</span>' if numbered else ""
    return (
        f'<div class="cite-card" data-doc="{esc(c.doc_id)}">'
        f'<div class="cite-head">{number}{esc(c.doc_title)}</div>'
        + (f'<div class="cite-meta">{meta}</div>' if meta else "")
        + f'<div class="cite-section">{esc(c.section) or "（正文）"}</div>'
        f'<div class="cite-units">{unit_chips(c)}</div>'
        f'<div class="cite-text">{highlighted(c.text, c.highlight)}</div>'
        "</div>"
    )


def answer_panel(answer: Answer | None) -> str:
    """Citation cards for an answer; a grey refusal box (with related clauses) for a refusal."""
    if answer is None:
        return '<div class="empty-note">回答的依据条款会显示在这里。</div>'
    if answer.refused:
        related = "".join(citation_card(c, numbered=False) for c in answer.related)
        related_block = f'<div class="related-title">相关条款（仅供参考）</div>{related}' if related else ""
        return (
            f'<div class="refusal-box"><div class="refusal-text">{esc(answer.answer or REFUSAL)}</div>'
            f"{related_block}</div>"
        )
    cards = "".join(citation_card(c) for c in answer.citations)
    return cards or '<div class="empty-note">本回答没有引用条款。</div>'


def chat_text(text: str) -> str:
    """Answer or question text made safe for the Markdown chat bubble (shown literally)."""
    return re.sub(r"([\\`*_#|~\[\]])", r"\\\1", esc(text))


def unit_role(c: Citation, unit: str) -> str:
    if unit in c.lead_units:
        return "牵头"
    if unit in c.inherited_units:
        return "继承（上级条款）"
    return "配合" if c.lead_units else "负责"


TASK_HEADERS = ["文件", "文号", "条款位置", "任务内容", "责任方式", "完成时限"]
NO_DEADLINE = "未写明"


def task_rows(unit: str, tasks: Sequence[Citation]) -> list[list[str]]:
    """Rows of the task table, grouped by notice (kept in document order within each)."""
    order: dict[str, int] = {}
    for c in tasks:
        order.setdefault(c.doc_id, len(order))
    ordered = sorted(enumerate(tasks), key=lambda p: (order[p[1].doc_id], p[0]))
    return [
        [c.doc_title, c.doc_number or "", c.section, c.text, unit_role(c, unit), c.deadline or NO_DEADLINE]
        for _, c in ordered
    ]


def task_summary(unit: str, tasks: Sequence[Citation]) -> str:
    """One Markdown line: how many tasks, in how many notices."""
    if not tasks:
        return f"没有找到“{chat_text(unit)}”的任务。请从列表中选择单位名称。"
    per_doc: dict[str, int] = {}
    for c in tasks:
        per_doc[c.doc_title] = per_doc.get(c.doc_title, 0) + 1
    parts = "；".join(f"{chat_text(t)}：{n} 项" for t, n in per_doc.items())
    return f"**{chat_text(unit)}** 共 {len(tasks)} 项任务，涉及 {len(per_doc)} 份文件（{parts}）"


def write_csv(path: Path, rows: Iterable[Sequence[str]], headers: Sequence[str] = TASK_HEADERS) -> Path:
    """Write rows as UTF-8 CSV with a BOM so that Excel opens Chinese text correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_safe(v) for v in row])
    return path


def _csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # no formula injection in Excel


def clause_tree(clauses: Sequence[Citation]) -> str:
    """Nested <details> tree of a notice's clauses by section path, each clause with its units."""
    if not clauses:
        return '<div class="empty-note">请选择一份文件。</div>'
    root: dict = {"children": {}, "order": []}
    for c in clauses:
        node = root
        for part in [p for p in c.section.split(" > ") if p]:
            if part not in node["children"]:
                node["children"][part] = {"children": {}, "order": []}
                node["order"].append(("child", part))
            node = node["children"][part]
        node["order"].append(("leaf", c))
    return f'<div class="tree">{_tree_html(root)}</div>'


def _leaf(c: Citation, heading: str = "") -> str:
    text = c.text if len(c.text) <= 160 else c.text[:160] + "……"
    label = f"<b>{esc(heading)}</b> " if heading and not c.text.startswith(heading[:6]) else ""
    return f'<li class="leaf">{label}{esc(text)}<div>{unit_chips(c)}</div></li>'


def _tree_html(node: dict) -> str:
    items = []
    for kind, entry in node["order"]:
        if kind == "leaf":
            items.append(_leaf(entry))
            continue
        child = node["children"][entry]
        if len(child["order"]) == 1 and child["order"][0][0] == "leaf":
            items.append(_leaf(child["order"][0][1], heading=entry))
            continue
        items.append(f"<li><details open><summary>{esc(entry)}</summary>{_tree_html(child)}</details></li>")
    return f"<ul>{''.join(items)}</ul>"
