"""Responsible units: read from the bracket that ends a task, and from sentences that assign
units to every later task of a notice.

Forms handled (full- and half-width brackets and colons):
  （责任单位：A、B） · （A、B按职责分工负责） · （A、B等部门和单位按职责分工负责）
  （牵头单位：A，责任单位：B、C） · bare （A、B） when every part is a unit name
  "以下各具体工作任务需X配合或具体落实，不再列入责任单位" / "以下均需X、Y落实,不再列出" (inherited)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The last bracket of a clause, allowing one level of nested brackets inside it.
_TRAILING = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]*[）)])+)[）)]\s*[。.；;]?\s*$")
_LEAD = re.compile(r"牵头单位\s*[:：]\s*([^，,；;]+)")
_RESP = re.compile(r"(?:责任单位|配合单位|责任部门)\s*[:：]\s*(.+)$")
_INHERIT = re.compile(
    r"以下(?:各具体工作任务|各项任务|均)?(?:均)?需(.+?)(?:配合或具体落实|具体落实|配合落实|落实|配合)[，,]?\s*不再(?:列入责任单位|列出)"
)
_DUTY_TAIL = re.compile(r"(?:等(?:相关)?(?:部门|单位)(?:和单位)?)?(?:按职责分工)?(?:负责|牵头|配合)?$")
UNIT_SUFFIX = re.compile(
    r"(局|处|厅|室|股|队|部|中心|集团|公司|办|委|会|所|站|院|单位|政府|管委会|支行|项目部|小组|科|组|大队)$"
)


@dataclass(frozen=True)
class UnitMention:
    units: tuple[str, ...]
    lead_units: tuple[str, ...]
    start: int  # offset of the bracket in the clause text


def split_units(text: str) -> list[str]:
    """Split a list of units ("A、B等部门按职责分工负责") into clean names."""
    text = _DUTY_TAIL.sub("", text.strip())
    parts = re.split(r"[、，,；;]|\s+", text)
    out: list[str] = []
    for part in parts:
        name = _DUTY_TAIL.sub("", part.strip(" ：:。."))
        name = re.sub(r"^(?:责任单位|牵头单位|配合单位)[:：]", "", name)
        if name and name not in out:
            out.append(name)
    return out


def is_unit_name(name: str) -> bool:
    return 2 <= len(name) <= 24 and bool(UNIT_SUFFIX.search(name)) and not re.search(r"\d{3,}|[。；]", name)


def extract_units(clause_text: str) -> UnitMention | None:
    """Units named by the bracket that ends a clause, or None when the clause names none.

    Args:
        clause_text: text of one clause.

    Returns:
        The units (lead units included) and the lead units, or None.
    """
    m = _TRAILING.search(clause_text.strip())
    if not m:
        return None
    body = m.group(1)
    body = _INHERIT.sub("", body).strip(" ，,")  # "以下均需…不再列出" is handled by inherited_units
    lead: list[str] = []
    lm = _LEAD.search(body)
    if lm:
        lead = split_units(lm.group(1))
        body = body[: lm.start()] + body[lm.end() :]
    rm = _RESP.search(body)
    if rm:
        units = split_units(rm.group(1))
    elif "按职责分工" in body or "负责" in body:
        units = split_units(body)
    else:
        units = split_units(body)
        if not units or not all(is_unit_name(u) for u in units):
            units = []
    units = [u for u in lead if u not in units] + units
    if not units:
        return None
    if not all(is_unit_name(u) for u in units):
        return None
    return UnitMention(units=tuple(units), lead_units=tuple(lead), start=m.start())


def inherited_note(text: str) -> str:
    """The sentence (as written) that assigns units to every later task, or ""."""
    m = _INHERIT.search(text)
    return m.group(0) if m else ""


def inherited_units(text: str) -> tuple[str, ...]:
    """Units a sentence assigns to every later task ("以下均需X、Y落实,不再列出")."""
    m = _INHERIT.search(text)
    if not m:
        return ()
    return tuple(u for u in split_units(m.group(1)) if is_unit_name(u))
