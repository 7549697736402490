"""Task tables (任务分工表, 台账, 责任清单): every row becomes a task with its units, lead and deadline.

A table is found by its header: short cells that name columns, at least one of them a unit
column (责任单位, 牵头单位, 责任科室 …, as `index.units` reads labels) and one a task or number
column. Tables arrive in many shapes, all read the same way:

  tab       rows of tab-separated cells (.docx / HTML tables, by `index.read`)
  pipe      "| 序号 | 工作任务 | 责任单位 |" lines, also broken over lines
  space     "1 新增城镇就业 人社局 8950" (a table flattened by a web page)
  lines     one cell per line ("序号" / "工作任务" / "责任单位" / "1" / "…" / "县交通局")

Tab rows whose cell count matches the header are read by column. The other shapes are read as
a stream of cells: a row number opens a row; the last text cell before the unit cells is the
task; unit cells fill the header's unit columns in order; a time fills the deadline; a short
name fills the people column. A text cell after a row's units starts a new task (a sub-row
without a number) only when unit cells follow it; otherwise it is a remark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.types import TableRecord
from index.units import (
    JOINT_OFFICE,
    TIME_VALUE,
    is_unit_name,
    label_role,
    parse_duty,
    read_duty,
    split_units,
    time_lead,
    to_simplified,
)

_KIND = r"单位|部门|处室|科室|股室|处|科|股|机构|站所|主体|街镇|乡镇|镇街|街道"
_NUMBER = re.compile(r"^\d{1,3}[.、．]?$")
_PERSON = re.compile(r"^[\u4e00-\u9fa5](?:\s*[\u4e00-\u9fa5]){1,2}(?:[、，,\s]+[\u4e00-\u9fa5](?:\s*[\u4e00-\u9fa5]){1,2})*$")
_PLACE_PREFIXED = re.compile(r"^(?:省|市|县|区|州|镇|乡)[\u4e00-\u9fa5]{2,7}$")
_QUANTITY = re.compile(r"^[\d.,，%％]+\s*[\u4e00-\u9fa5/%]{0,3}$")


def header_roles(cells: list[str]) -> list[str | None]:
    """Each header cell's role; beside a 协办 column, the 承办 column leads (as 主办 does)."""
    roles = [column_role(c) for c in cells]
    if any(r == "support" and "协办" in c for c, r in zip(cells, roles)):
        roles = ["lead" if r == "units" and "承办" in c else r for c, r in zip(cells, roles)]
    return roles


def column_role(name: str) -> str | None:
    """What a header cell names: no / lead / units / support / people / deadline / note / text, or None."""
    s = re.sub(r"\s+", "", to_simplified(name)).strip("|")
    s = re.sub(r"[（(][^（）()]*[）)]$", "", s) or s  # "责任部门（加*号为牵头部门）": the note is not the name
    if not s or len(s) > 14 or re.search(r"[：:。；，,]", s):
        return None
    role = label_role(s)
    if role:
        return role
    if re.fullmatch(r"责任(?:清单|分工)?", s):
        return "units"  # "任务清单 | 责任清单 | 时限清单": the bodies responsible
    if re.search(r"领导|责任人|负责人|联系人|填报人", s):
        return "people" if not s.startswith("填报") else None
    if re.search(_KIND, s):
        if re.search(r"牵头|主办|主责", s):
            return "lead"
        if re.search(r"配合|协助|协同|参与|协办|协作|相关|联合", s):
            return "support"
        rest = re.sub(_KIND, "", re.sub(r"[（(][^（）()]*[）)]", "", s))
        if re.fullmatch(_COLUMN_VERBS, rest):
            return "units"  # 实施主体, 执行股室, 发起部门, 监考单位, 业主单位, 处(科)室 — not a name like 各科室
    if re.search(r"时限|时间|期限|节点|日期", s):
        return "deadline"
    if re.fullmatch(r"序号?|编号|序|.{0,4}编号", s):
        return "no"
    if re.search(r"备注|说明|情况|成效|完成率|进度|进展|电话|附注", s):
        return "note"
    if re.search(r"任务|内容|措施|事项|项目|问题|工作|要求|目标|指标|名称|标准|实事|类别|分类|领域|板块|要点|举措|方面|环节", s):
        return "text"
    return None


_UNIT_ROLES = ("lead", "units", "support")
# What stands before a kind word in the name of a unit column (and not in the name of a unit).
_COLUMN_VERBS = r"(?:[省市县区乡镇]级?)?(?:执行|实施|发起|监考|考核|检查|承办|业主|主管|归口|对口|办理|经办|责任|负责|落实|所属|具体)?"


def _header_ok(roles: list[str | None]) -> bool:
    known = [r for r in roles if r]
    return (
        len(roles) >= 3
        and any(r in _UNIT_ROLES for r in known)
        and any(r in ("no", "text") for r in known)
        and len(known) >= max(2, (len(roles) + 2) // 3)
    )


def _two_columns(roles: list[str | None]) -> bool:
    """A two-column header: what is to be done, then who does it."""
    return len(roles) == 2 and roles[0] in ("no", "text") and roles[1] in _UNIT_ROLES


@dataclass
class Table:
    """Where a table sits in the notice's lines and how its cells are delimited."""

    start: int  # first header line
    body: int  # first line after the header
    end: int  # first line after the table
    shape: str  # tab | pipe | space | lines
    header: list[str]
    title: str = ""
    roles: list[str | None] = field(default_factory=list)
    rest: str = ""  # cells after a header that ran into the text of its own line


def _cells(line: str, shape: str) -> list[str]:
    if shape == "tab":
        return [c.strip() for c in line.split("\t")]
    if shape == "pipe":
        return [c.strip() for c in line.strip().strip("|").split("|")]
    if shape == "space":
        return _rejoin_names([c for c in re.split(r"\s+", line.strip()) if c])
    return [line.strip()]


def _rejoin_names(cells: list[str]) -> list[str]:
    """A name a space broke into two cells: "县交通 运输局" (its first part names no body), "县委县政府 督查室"
    (the office of both)."""
    out: list[str] = []
    for cell in cells:
        if out and len(out[-1]) <= 6 and is_unit_name(out[-1] + cell) and is_unit_name(cell) and not (column_role(out[-1]) or column_role(cell)) and (
                not is_unit_name(out[-1]) and not _NUMBER.match(out[-1]) or JOINT_OFFICE.fullmatch(out[-1] + cell)):
            out[-1] += cell
        else:
            out.append(cell)
    return out



def is_table_header(line: str) -> bool:
    """A single-line table header (tab, pipe or space separated) with a unit column."""
    return _line_header(line) is not None


def _line_header(line: str) -> tuple[str, list[str]] | None:
    stripped = line.strip()
    if not stripped or re.search(r"[：:。；;]", stripped.replace("|", "")):
        return None
    for shape in ("tab", "pipe", "space"):
        if shape == "tab" and "\t" not in line:
            continue
        if shape == "pipe" and line.count("|") < 2:
            continue
        cells = [c for c in _cells(line, shape) if c]
        if len(cells) >= 3 and _header_ok([column_role(c) for c in cells]):
            return shape, cells
        if shape == "pipe" and _two_columns([column_role(c) for c in cells]):
            return shape, cells  # "具 体 要 求 | 责任科室 | ||": the pipes say it is a table
    return None


def find_tables(lines: list[str]) -> list[Table]:
    """Tables among a notice's lines, in order."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        table = _table_at(lines, i)
        if table is None:
            i += 1
            continue
        tables.append(table)
        i = max(table.end, i + 1)
    return tables


def _table_at(lines: list[str], i: int) -> Table | None:
    found, body = _line_header(lines[i]), i + 1
    if (not found and lines[i].count("|") >= 2 and i + 1 < len(lines) and lines[i + 1].count("|") >= 2
            and any(column_role(c) for c in _cells(lines[i], "pipe") if c)):
        # a pipe header broken over two lines, neither a header alone (a title line above a
        # header, "岳阳楼区2019年…完成情况 | |||", names no column and is not part of it)
        found, body = _line_header(lines[i].rstrip(" |") + " | " + lines[i + 1].lstrip(" |")), i + 2
    if found:
        shape, cells = found
        # a pipe header broken over two lines: "序号 | … | 1-8月 实际完成情况 |" / "任务完成率 | 备注 | |"
        while shape == "pipe" and body < len(lines) and _is_header_tail(lines[body]):
            cells += [c for c in _cells(lines[body], shape) if c]
            body += 1
        end = body
        if shape == "tab":
            while end < len(lines) and "\t" in lines[end]:
                end += 1
        else:
            end = _next_table_start(lines, body)
        return _table(lines, i, body, end, shape, cells)
    run = _header_run(lines, i)
    if run:
        shape, body, cells = run
        return _table(lines, i, body, _next_table_start(lines, body), shape, cells)
    inline = _inline_header(lines[i])
    if inline:
        cells, rest = inline
        table = _table(lines, i, i + 1, _next_table_start(lines, i + 1), "space", cells)
        table.rest = rest
        return table
    return None


def _is_header_tail(line: str) -> bool:
    cells = [c for c in _cells(line, "pipe") if c]
    return bool(cells) and all(column_role(c) or len(c) <= 6 for c in cells) and not any(_NUMBER.match(c) for c in cells)


def _table(lines: list[str], start: int, body: int, end: int, shape: str, cells: list[str]) -> Table:
    title = lines[start - 1].strip() if start > 0 and len(lines[start - 1].strip()) <= 40 else ""
    if title and (_line_header(lines[start - 1]) or re.search(r"[。；，,]$", title)):
        title = ""
    return Table(start, body, end, shape, cells, title.strip("| "), header_roles(cells))


_ROW_START = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]+|[（(][一二三四五六七八九十\d]+[）)])[.、．]?")


def _stream_cells(text: str) -> list[str]:
    """Cells of a table printed with '|' after (or between) cells, a cell's own line breaks joined."""
    return [_join_lines(c) for c in text.split("|")]


def _join_lines(cell: str) -> str:
    """A cell's lines as one text: a word wrapped across lines is rejoined, and bodies' names printed one
    per line ("丹阳市政府\n句容市政府") are listed with 、."""
    parts = [p.strip() for p in cell.split("\n") if p.strip()]
    glue = "" if all(re.search(r"[\u4e00-\u9fff“”（）()*]$", p) for p in parts[:-1]) else " "
    text = parts[0] if parts else ""
    for before, part in zip(parts, parts[1:]):
        text += ("、" if is_unit_name(before) and is_unit_name(part) else glue) + part
    return text


def _header_cells(cells: list[str]) -> list[str]:
    """The leading cells that name columns: short, no sentence, not a row number; ends at its last
    recognised column name."""
    out = _leading_cells(cells)
    while out and column_role(out[-1]) is None:
        out.pop()
    return out


def _leading_cells(cells: list[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        if not cell:
            continue
        bare = re.sub(r"[（(][^（）()]*[）)]$", "", re.sub(r"\s+", "", cell))
        if _ROW_START.match(bare) and (len(bare) <= 4 or not column_role(bare)) or len(bare) > 14:
            break
        if re.search(r"[。；;，,]", bare):
            break
        out.append(cell)
    return out


def _header_run(lines: list[str], i: int) -> tuple[str, int, list[str]] | None:
    """A header printed one cell per line, or with '|' between cells across lines."""
    window = lines[i: i + 40]
    piped = [ln for ln in window[:12] if ln.strip().endswith("|") or ln.strip().startswith("|")]
    if len(piped) >= 3 and sum(ln.count("|") <= 2 for ln in piped) >= len(piped) * 0.7:
        cells = _stream_cells("\n".join(window))
        header = _header_cells(cells)
        if not _header_ok([column_role(c) for c in header]):
            return None
        # the body starts after the header's last cell: count the '|' that close header cells
        closed = 0
        seen = 0
        for n, line in enumerate(window):
            closed += line.count("|")
            seen = n + 1
            if closed >= _pipes_before(cells, header):
                break
        return "pipestream", i + seen, header
    header = _header_cells([ln.strip() for ln in window[:20] if ln.strip()])
    if header and _header_ok([column_role(c) for c in header]) and header[0] == lines[i].strip():
        return "lines", i + len(header), header
    return None


def _pipes_before(cells: list[str], header: list[str]) -> int:
    """How many '|' separators close the header cells (empty cells between them included)."""
    count, found = 0, 0
    for cell in cells:
        count += 1
        if cell:
            found += 1
        if found == len(header):
            return count
    return count


def _inline_header(line: str) -> tuple[list[str], str] | None:
    """A header run into the text of its line: "…职责清单 工作任务和内容 责任单位 配合单位 完成时间 负责…"."""
    tokens = line.split()
    if len(tokens) < 4:
        return None
    for a in range(len(tokens)):
        b = a
        while b < len(tokens) and column_role(tokens[b]):
            b += 1
        if b - a >= 3 and _header_ok([column_role(t) for t in tokens[a:b]]) and b < len(tokens):
            return tokens[a:b], " ".join(tokens[b:])
    return None


def _next_table_start(lines: list[str], body: int) -> int:
    for k in range(body, len(lines)):
        if _line_header(lines[k]) or _header_run(lines, k):
            return k
    return len(lines)


# ---------------------------------------------------------------------------- rows


def read_table(table: Table, lines: list[str], known: frozenset[str] = frozenset()) -> list[TableRecord]:
    """The task rows of a table.

    Args:
        table: a table found by :func:`find_tables`.
        lines: the notice's lines the table was found in.
        known: unit names the notice labels elsewhere.
    """
    rows = [ln for ln in lines[table.body: table.end] if ln.strip() and ln.strip() != "|"]
    if table.shape == "tab":
        return _by_column(table, rows, known)
    if table.shape == "pipestream":
        cells = [(c, 0) for c in _stream_cells("\n".join(lines[table.body: table.end])) if c]
        names = _table_names([c for c, _ in cells], known)
        positional = _by_numbered_rows(table, [c for c, _ in cells], known | names)
        if positional is not None:
            return positional
        return _by_stream(table, cells, known | names, joiner=" | ")
    if table.rest:
        rows = [table.rest, *rows]
    if table.shape == "pipe":
        split = [_trim([c.strip() for c in ln.strip().strip("|").split("|")], len(table.header)) for ln in rows]
        split = [_merged_first(c, table.roles, known) for c in split]
        if sum(len(c) == len(table.header) for c in split) >= 0.6 * max(len(split), 1):
            # a well-formed pipe table: read by column, like a .docx table
            return _by_column(table, ["\t".join(c) for c in split], known, originals=rows)
    # one line, one row (or a row's continuation); not when a line runs several rows together
    # ("…公开曝光. 县委宣传部 持续开展 负责大气污染…督导和检查考核工作. 县委县政府 督查室 持续开展 …")
    breaks = table.shape == "pipe" or (table.shape == "space" and not any(_runs_rows_together(ln, table.shape) for ln in rows))
    if not breaks:
        positional = _by_numbered_rows(table, [c for ln in rows for c in _cells(ln, table.shape) if c and c != "|"], known | _table_names([c for ln in rows for c in _cells(ln, table.shape)], known))
        if positional is not None:
            return positional
    cells = []
    for n, ln in enumerate(rows):
        cells += [(c, n) for c in _cells(ln, table.shape) if c and c != "|"]
        if breaks:
            cells.append((ROW_BREAK, n))
    names = _table_names([c for c, _ in cells], known)
    return _by_stream(table, cells, known | names, rows if breaks else None)


def _runs_rows_together(line: str, shape: str) -> bool:
    """A line that holds more than one row's task: two or more long cells that end a sentence."""
    return sum(len(c) >= 15 and c.rstrip().endswith((".", "。")) for c in _cells(line, shape)) >= 2


def _by_numbered_rows(table: Table, cells: list[str], known: frozenset[str]) -> list[TableRecord] | None:
    """A table printed one cell per line, read by column (like a .docx table) when its numbered rows
    fit its columns (:func:`_numbered_rows`); None when they do not."""
    rows = _numbered_rows(cells, table.roles, known)
    return _by_column(table, ["\t".join(r) for r in rows], known) if rows else None


def _numbered_rows(cells: list[str], roles: list[str | None], known: frozenset[str] = frozenset()) -> list[list[str]] | None:
    """A stream of cells cut into rows at the row numbers 1, 2, 3 … of its number column, when every
    row (the last may be cut off) fits the columns (:func:`_fit_row`); else None.

    Columns before the number column are a merged category ("分类": 发展目标 … 主要任务): printed
    once before the rows it spans, so it is carried down; its first value may have been taken for
    one more header cell ("序号 事项 责任单位 牵头单位 发展目标").
    """
    if "no" not in roles:
        return None
    no = roles.index("no")
    widths = [len(roles) - no] + ([len(roles) - no - 1] if no > 0 else [])
    for width in widths:
        rows = _rows_at_numbers(cells, roles[no: no + width], known, category=no > 0)
        if rows is not None:
            category = [""] * no
            out = []
            for cat, row in rows:
                if cat is not None:
                    category = [cat] + [""] * (no - 1)
                out.append(category + row + [""] * (len(roles) - no - width))
            return out
    return None


def _rows_at_numbers(cells: list[str], roles: list[str | None], known: frozenset[str],
                     category: bool) -> list[tuple[str | None, list[str]]] | None:
    """(category printed before the row or None, row cells) for the rows starting at 1, 2, 3 …"""
    width = len(roles)
    if width < 3 or len(cells) < width:
        return None
    starts: list[int] = []
    for i, cell in enumerate(cells):
        if re.sub(r"\s+", "", cell).rstrip(".、．") == str(len(starts) + 1):
            starts.append(i)
    if len(starts) < 2 or starts[0] != 0:
        return None
    rows: list[tuple[str | None, list[str]]] = []
    pending: str | None = None
    for k, (a, b) in enumerate(zip(starts, starts[1:] + [len(cells)])):
        chunk = cells[a:b]
        following: str | None = None
        if category and len(chunk) == width + 1 and _is_category(chunk[-1]):
            chunk, following = chunk[:-1], chunk[-1]  # the next group's category cell
        row = _fit_row(chunk, roles, known)
        if row is None and k == len(starts) - 1 and len(chunk) < width:
            row = chunk + [""] * (width - len(chunk))  # a page cut mid-row
        if row is None:
            if k == len(starts) - 1:
                break
            return None
        rows.append((pending, row))
        pending = following
    return rows or None


def _is_category(cell: str) -> bool:
    """A short heading-like cell: no digits, no sentence punctuation."""
    return len(cell) <= 10 and not re.search(r"[\d，,。；;、]", cell)


def _fit_row(row: list[str], roles: list[str | None], known: frozenset[str]) -> list[str] | None:
    """A row's cells, one per column: as printed when they are as many as the columns; with the
    extra cells joined into the unit cell when they are the unit column's names, one per line
    ("*区城管局 / *区农业农村局(区水利局)"); None when they do not fit."""
    extra = len(row) - len(roles)
    if extra == 0:
        return row
    unit = next((i for i, r in enumerate(roles) if r in _UNIT_ROLES), None)
    if extra < 0 or unit is None:
        return None
    names = row[unit: unit + extra + 1]
    if not all(split_units(n, known, labelled=True) and len(split_units(n, known)) == 1 for n in names):
        return None
    return row[:unit] + ["、".join(names)] + row[unit + extra + 1:]


ROW_BREAK = "\n"


def _merged_first(cells: list[str], roles: list[str | None], known: frozenset[str]) -> list[str]:
    """A row printed without its first cell, merged from the row above ("2.紧扣民生领域… | 办公室、基教处 |
    持续推进 | |" under "工作任务 | 具体要求 | 责任单位 | 时限要求"): its cells moved one column right,
    when only then its units fall in the unit column."""
    unit = next((i for i, r in enumerate(roles) if r in _UNIT_ROLES), None)
    if unit is None or unit == 0 or len(cells) != len(roles) or cells[-1] or _cell_kind(cells[unit], known) == "units":
        return cells
    if _cell_kind(cells[unit - 1], known) != "units":
        return cells
    return [""] + cells[:-1]


def _trim(cells: list[str], width: int) -> list[str]:
    """A row's cells without the empty ones a page adds after its last column ("… | 32% | 备注 | |")."""
    while len(cells) > width and not cells[-1]:
        cells.pop()
    return cells


def _table_names(cells: list[str], known: frozenset[str]) -> frozenset[str]:
    """Cells that are one unit name each: names this table uses (to split '文化宣传股文化馆')."""
    names = set()
    for cell in cells:
        found = split_units(cell, known)
        if len(found) == 1 and len(found[0]) <= 12:
            names.add(found[0])
    return frozenset(names)


def parse_table(header: str, rows: list[str], known: frozenset[str] = frozenset()) -> list[TableRecord]:
    """Rows of a tab-separated table under a header line."""
    cells = [c.strip() for c in header.split("\t")]
    table = Table(0, 1, 1 + len(rows), "tab", cells, roles=header_roles(cells))
    return _by_column(table, rows, known)


def _by_column(
    table: Table, rows: list[str], known: frozenset[str], originals: list[str] | None = None
) -> list[TableRecord]:
    roles = table.roles
    text_cols = [i for i, r in enumerate(roles) if r == "text"]
    records: list[TableRecord] = []
    last: dict[int, str] = {}
    for n, row in enumerate(rows):
        original = originals[n] if originals else row
        cells = row.split("\t")
        if len(cells) != len(roles):
            records.extend(_by_stream(table, [(c.strip(), 0) for c in cells if c.strip()], known, [original]))
            continue
        cells = [c.strip() for c in cells]
        for i in text_cols[:1] + [i for i, r in enumerate(roles) if r in _UNIT_ROLES]:
            if not cells[i] and last.get(i):
                cells[i] = last[i]  # a merged cell: the text of the row above
        last = {i: c for i, c in enumerate(cells) if c}
        duty = _cells_duty([(roles[i], c) for i, c in enumerate(cells)], known)
        texts = [cells[i] for i in text_cols if cells[i]]
        no = next((c for r, c in zip(roles, cells) if r == "no"), "")
        records.append(
            TableRecord(
                row_no=no,
                task=texts[0] if texts else "",
                content=texts[-1] if len(texts) > 1 else (texts[0] if texts else ""),
                units=duty.units,
                lead_units=duty.lead_units,
                deadline=duty.deadline,
                people=duty.people,
                line=original,
            )
        )
    return records


@dataclass
class _Duty:
    units: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()
    deadline: str | None = None
    people: tuple[str, ...] = ()


def _cells_duty(cells: list[tuple[str | None, str]], known: frozenset[str]) -> _Duty:
    """Units, lead, deadline and people of one row from (column role, cell) pairs."""
    out = _Duty()
    for role, cell in cells:
        if not cell:
            continue
        if role in _UNIT_ROLES:
            units, lead = _unit_cell(cell, role, known)
            out.units += tuple(u for u in units if u not in out.units)
            out.lead_units += tuple(u for u in lead if u not in out.lead_units)
        elif role == "deadline" and not out.deadline:
            out.deadline = time_lead(cell)
        elif role == "people":
            out.people += tuple(p for p in re.split(r"[、，,；;]", cell) if p.strip())
        elif role == "text":
            inner = read_duty(cell, known)  # "(责任单位:…)" written inside the task cell
            if inner and inner.units and cell.strip() not in inner.units:  # a task cell is no unit name
                out.units += tuple(u for u in inner.units if u not in out.units)
                out.lead_units += tuple(u for u in inner.lead_units if u not in out.lead_units)
    out.units = tuple(dict.fromkeys(out.lead_units + out.units))
    return out


def _unit_cell(cell: str, role: str, known: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    duty = parse_duty(cell, known)
    if duty and duty.units:
        lead = duty.lead_units or (duty.units if role == "lead" else ())
        return duty.units, lead
    names = tuple(split_units(cell, known, labelled=True))
    return names, (names if role == "lead" else ())


_TIME_THEN_VERB = re.compile(r"^\d{1,2}月(?:底|末|中旬|上旬|下旬|\d{1,2}日)?前[\u4e00-\u9fa5]{1,6}$")


def _cell_kind(cell: str, known: frozenset[str]) -> str:
    simple = re.sub(r"\s+", "", to_simplified(cell))
    if _NUMBER.match(simple):
        return "no"
    if TIME_VALUE.match(simple) or (len(simple) <= 12 and _TIME_THEN_VERB.match(simple)):
        return "time"  # "7月底前制定": a deadline and what is due
    if len(simple) <= 20 and re.search(r"月.*(?:前|内)", lead := time_lead(simple)) and lead != simple:
        return "time"  # "2016年6月底前取得阶段性成果": a dated deadline and what is due by then
    if _QUANTITY.match(simple):
        return "quantity"
    duty = parse_duty(cell, known)
    if duty and duty.units and len(simple) <= 80:
        return "units"
    if _PERSON.match(cell.strip()):
        return "person"
    return "text"


def _by_stream(
    table: Table, cells: list[tuple[str, int]], known: frozenset[str], lines: list[str] | None = None,
    joiner: str = " ",
) -> list[TableRecord]:
    """Rows from a stream of (cell, line number) pairs (see the module docstring).

    Args:
        lines: the rows' lines when each line is a row (pipe, space): a row's text is then its
            lines as written; otherwise its cells joined by spaces.
    """
    unit_roles = [r for r in table.roles if r in _UNIT_ROLES] or ["units"]
    has_people = "people" in table.roles
    first_unit = next((i for i, r in enumerate(table.roles) if r in _UNIT_ROLES), 0)
    # a time or a name after a row's units is still that row's when its column comes after the units
    time_after = any(r == "deadline" and i > first_unit for i, r in enumerate(table.roles))
    people_after = any(r == "people" and i > first_unit for i, r in enumerate(table.roles))
    first_text = next((i for i, r in enumerate(table.roles) if r == "text"), len(table.roles))
    units_first = any(r in _UNIT_ROLES for r in table.roles[:first_text])
    records: list[TableRecord] = []
    row: dict = {}
    last_no = 0
    above: list = []  # the unit cells of the row above, for a sub-row whose unit cell was merged

    def close() -> None:
        nonlocal above
        if row["units"]:
            above = list(row["units"])
        elif (row.get("sub") or lines is None) and row.get("task") and above:
            row["units"] = list(above)  # a merged unit cell spans this row
        if row.get("task"):  # (a row with no unit, time or person is kept too: its text must stay findable)
            duty = _cells_duty([("text", row["task"])] + row["units"], known)
            if lines is not None:
                text = "\n".join(lines[n] for n in sorted({n for _, n in row["cells"]}))
            else:
                text = joiner.join(c for c, _ in row["cells"])
            records.append(
                TableRecord(
                    row_no=row.get("no", ""),
                    task=row["context"][0] if row["context"] else row["task"],
                    content=row["task"],
                    units=duty.units,
                    lead_units=duty.lead_units,
                    deadline=row.get("deadline"),
                    people=tuple(row.get("people", ())),
                    line=text,
                )
            )

    def start(no: str = "", context: list[str] | None = None, sub: bool = False) -> None:
        row.clear()
        row.update(no=no, context=context or [], task="", units=[], cells=[], pending=None, sub=sub)

    def sub_row() -> None:
        """Pending text cells are a sub-row (a row without its own number): its task is the first long one."""
        pending, context, no = row["pending"], row["context"], row["no"]
        close()
        start(no=no, context=context, sub=True)
        row["task"] = next((c for c, _ in reversed(pending) if len(c) >= 6), pending[-1][0])
        row["cells"].extend(pending)

    start()
    broken = False
    previous = ""
    for cell, line_no in cells:
        if cell == ROW_BREAK:
            broken = True
            continue
        kind = _cell_kind(cell, known)
        if kind in ("text", "person") and previous == "units" and _PLACE_PREFIXED.match(cell.strip()):
            kind = "units"  # "省人口计生" among the unit cells: an abbreviated name
        previous = kind
        if kind == "person" and not has_people:
            kind = "text"
        if broken and kind in ("text", "no"):
            broken = False
            if row["units"] or row.get("deadline") or row.get("people") or row["pending"] is not None:
                close()
                start()
        elif broken and kind == "units":
            broken = False
        if kind == "no":
            n = int(re.sub(r"\D", "", cell))
            if n == last_no + 1 or (n == 1 and last_no != 0) or (last_no == 0 and not records and not row["task"]):
                close()
                start(no=str(n))
                row["cells"].append((cell, line_no))
                last_no = n
                continue
            kind = "quantity"
        attributes = bool(row["units"] or row.get("deadline") or row.get("people"))
        if kind == "text":
            if attributes and row["task"]:
                row["pending"] = (row["pending"] or []) + [(cell, line_no)]  # a remark, or a sub-row's task
            else:
                if row["task"]:
                    row["context"].append(row["task"])
                row["task"] = cell
                row["cells"].append((cell, line_no))
            continue
        belongs = (kind == "time" and time_after and not row.get("deadline")) or (
            kind == "person" and people_after and not row.get("people")
        )
        if row["pending"] and (kind == "units" or (lines is None and kind in ("time", "person") and not belongs)):
            sub_row()
        elif row["pending"] and belongs:
            row["pending"] = None  # the text between was a remark column
        elif row["pending"] is not None and kind == "units":
            row["pending"] = None
        if row["pending"] or (not row["task"] and not (kind == "units" and units_first and row.get("no"))):
            continue  # (a unit cell may come before the task when its column does: "序号 | 责任单位 | 考核指标")
        if kind == "units":
            role = unit_roles[min(len(row["units"]), len(unit_roles) - 1)]
            row["units"].append((role, cell))
            row["cells"].append((cell, line_no))
        elif kind == "time":
            row["deadline"] = row.get("deadline") or time_lead(cell)
            row["cells"].append((cell, line_no))
        elif kind == "person" and has_people:
            row.setdefault("people", []).append(cell)
            row["cells"].append((cell, line_no))
        else:
            row["cells"].append((cell, line_no))
    close()
    return records


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", text)
    return {text[i: i + 2] for i in range(len(text) - 1)}


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
