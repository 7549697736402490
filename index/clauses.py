"""Split a cleaned notice into clauses by its heading hierarchy.

Numbering levels have a fixed precedence, from the outside in:
    第X章 > 一、 > 第X条 > （一）/(一) > 1. / 1、 > （1） > ① > short unnumbered sub-heading
(an article's items are numbered （一）, as in regulations: 条 > 项; a law whose articles come before
any 一、 numbers its items inside them: 第X條 > 一、; decimal sections nest by depth, 2.3 > 2.3.1, and
hold （一） items)
A heading closes every open heading of the same or a deeper level. The precedence is fixed,
not voted from the text, so a notice with many "1." items still nests them under （一）.
Text without numbering (reports, news) is split into paragraphs under their nearest heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.units import DECIMAL_SECTION

_ARTICLE = r"第\s*[一二三四五六七八九十百零〇\d]+\s*[条條]"
_LEVELS: list[tuple[int, re.Pattern]] = [
    (0, re.compile(r"^第\s*[一二三四五六七八九十百零〇\d]+\s*[章编編]\s*")),
    (1, re.compile(r"^[一二三四五六七八九十]+、\s*|^[一二三四五六七八九十]{1,3}[ \u3000]+(?=[\u4e00-\u9fa5]{2})")),  # "一 人民團體科:"
    (2, re.compile(rf"^{_ARTICLE}\s*")),  # "第 4 條": a law site spaces its numbers
    (3, re.compile(rf"^[（(][一二三四五六七八九十]+[）)]\s*|^{DECIMAL_SECTION}")),  # "2.3 …", not "2.5万辆…"
    (4, re.compile(r"^\d{1,3}\s*(?:、|[.．](?!\d))\s*")),
    (5, re.compile(r"^[（(]\d{1,3}[）)]\s*")),
    (6, re.compile(r"^[①-⑳]\s*")),
]
SUBHEADING_LEVEL = 7
_SENTENCE = re.compile(r"[。；;！？!?]")
_INHERIT_LINE = re.compile(r"^以下.{0,12}需.+不再(?:列入责任单位|列出)[。.]?$")
_SCOPE_LINE = re.compile(r"^(?:以上|上述).{0,40}?(?:负责|牵头|落实|实施)[。.]?$")


@dataclass
class Block:
    """A run of text under one heading: the heading line (if numbered) and its paragraphs."""

    path: tuple[str, ...]
    clause_no: str
    heading_line: str | None  # the numbered line itself, None for preamble/sub-heading bodies
    heading_only: bool
    paragraphs: list[tuple[str, int]] = field(default_factory=list)  # (text, offset)
    offset: int = 0
    level: float = -1


@dataclass(frozen=True)
class RawClause:
    """A clause before units and identity are attached."""

    section_path: tuple[str, ...]
    clause_no: str
    text: str
    start: int
    end: int
    inherit_marker: bool = False  # the clause is a "以下…不再列出" sentence


def heading_level(line: str) -> tuple[int, str] | None:
    """(level, number as written) when the line starts a numbered heading."""
    for level, pattern in _LEVELS:
        m = pattern.match(line)
        if m:
            return level, m.group(0).strip()
    return None


def heading_title(line: str, limit: int = 30) -> str:
    """The heading as shown in a section path: the line up to its first sentence end,
    or up to its first comma when that sentence is long."""
    first = _SENTENCE.split(line, maxsplit=1)[0].strip()
    if len(first) <= limit:
        return first
    m = heading_level(first)
    start = len(m[1]) + 4 if m else 4
    comma = re.search(r"[，,]", first[start:])
    if comma and start + comma.start() <= limit:
        return first[: start + comma.start()]
    return first[:limit] + "…"


def is_duty_line(line: str) -> bool:
    """A line that only states who does the task above it: "责任单位：…", "牵头单位：…；完成时限：…"."""
    from index.units import LABEL, to_simplified

    return LABEL.match(to_simplified(line.strip())) is not None


def is_subheading(line: str, next_line: str | None) -> bool:
    """A short unnumbered line without sentence punctuation followed by a paragraph."""
    return (
        next_line is not None
        and len(line) <= 40
        and not _SENTENCE.search(line)
        and not re.search(r"[，,：:]$", line)
        and heading_level(next_line) is None
        and len(next_line) > len(line)
    )


def _body_then_duties(line: str, next_line: str | None) -> bool:
    """"市经贸委：" on its own line, then "负责…": the body heads the duties below it (an addressee
    line is followed by its letter, not by a duty)."""
    from index.units import names_line, subjectless_duty

    return bool(next_line and re.search(r"[:：]$", line) and names_line(line.rstrip(":："))
                and (subjectless_duty(next_line) or _STATES_A_DUTY.match(next_line) is not None))


# A line that states a duty without a subject in other words than 负责…: "打击食品安全犯罪。", "主管食品流通行业。"
# (not a letter's opening after its addressee: "为贯彻落实…", "现将…")
_STATES_A_DUTY = re.compile(r"^(?!为|根据|按照|现将|近日|日前|经|关于|你|贵)[\u4e00-\u9fa5]{2,6}[^：:\n]{2,80}[。；;]$")


_FIRST_ITEM = re.compile(r"^\s*(?:[（(][一1][）)]|一、|1\s*[、.．](?!\d)|①)")


def _names_head_duties(lines: list[tuple[str, int]]) -> bool:
    """The notice heads duties with bodies' names: a line that is only names (numbered or not) is
    followed by a duty with no subject ("负责…") or by a first item ("1.…"). Its name lines are then
    headings, never a table's unit cells."""
    from index.units import _ITEM_NO, names_line, subjectless_duty

    for (line, _), (nxt, _) in zip(lines, lines[1:]):
        bare = _ITEM_NO.sub("", line, count=1).strip().rstrip(":：。")
        if names_line(bare) and (subjectless_duty(nxt) or _FIRST_ITEM.match(nxt)):
            return True
    return False


def _cell_under_task(lines: list[tuple[str, int]], i: int) -> bool:
    """Unit names on lines of their own right after a task's text ("…提高合格率。" / "镇创卫办" /
    "各村(居、场)"): a flattened table's unit cells, which belong to that task. Not so when the
    names head the duties that follow them ("市气象局" / "负责…")."""
    from index.units import names_line, subjectless_duty

    if i == 0 or not names_line(lines[i][0]):
        return False
    k = i - 1
    while k >= 0 and names_line(lines[k][0]):
        k -= 1
    if k < 0 or heading_level(lines[k][0]) is None and not _SENTENCE.search(lines[k][0][-1:]) and len(lines[k][0]) < 20:
        return False  # the names follow a title or a short heading, not a task
    j = i + 1
    while j < len(lines) and names_line(lines[j][0]):
        j += 1
    return j == len(lines) or not subjectless_duty(lines[j][0])


def split_clauses(lines: list[tuple[str, int]]) -> list[RawClause]:
    """Split body lines into clauses.

    Args:
        lines: (line, offset in the cleaned text) for each non-empty, non-table line of the body.

    Returns:
        Clauses in document order with their section path and offsets.
    """
    lines = _join_bare_numbers([piece for line, offset in lines for piece in _split_after_duty(line, offset)])
    names_head = _names_head_duties(lines)
    stack: list[tuple[float, str]] = []  # (level, title) of open headings
    numbered = any(heading_level(line) for line, _ in lines)
    articles_first = _articles_first(lines)
    blocks: list[Block] = [Block(path=("引言",), clause_no="", heading_line=None, heading_only=True)]
    for i, (line, offset) in enumerate(lines):
        found = heading_level(line)
        nxt = lines[i + 1][0] if i + 1 < len(lines) else None
        if found is None and (is_duty_line(line) or (not names_head and _cell_under_task(lines, i))):
            block = blocks[-1]
            if block.paragraphs:  # "责任单位：…" on its own line belongs to the task above it
                text, off = block.paragraphs[-1]
                block.paragraphs[-1] = (text + "\n" + line, off)
            elif block.heading_line is not None:
                block.heading_line += "\n" + line
                block.heading_only = False
            else:
                block.paragraphs.append((line, offset))
            continue
        may_subhead = bool(stack) if numbered else i > 0
        if found is None and may_subhead and (is_subheading(line, nxt) or _body_then_duties(line, nxt)):
            found = (SUBHEADING_LEVEL, "")
        if found is None:
            blocks[-1].paragraphs.append((line, offset))
            continue
        level: float = found[0]
        number = found[1]
        decimal = _DECIMAL.match(number)
        if decimal:  # "2.3.2 专家组" inside "2.3 …", and its "(一)负责…" inside it
            level = 2.5 + 0.1 * number.count(".")
        if articles_first and level in (1, 2):
            level = 3 - level  # "第 4 條 行政課職掌如下: 一、…二、…": a law's items sit inside its articles
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading_title(line)))
        heading_only = not _SENTENCE.search(line) and len(line) <= 45
        blocks.append(
            Block(
                path=tuple(title for _, title in stack),
                clause_no=number,
                heading_line=line,
                heading_only=heading_only,
                offset=offset,
                level=level,
            )
        )
    out: list[RawClause] = []
    for i, block in enumerate(blocks):
        next_block = blocks[i + 1] if i + 1 < len(blocks) else None
        leaf = next_block is None or next_block.level <= block.level
        if block.heading_line is not None and block.heading_only and not block.paragraphs and leaf and block.level >= 1:
            # "1.开展绿色出行宣传月活动（责任单位：综运股）": a short task, not a heading
            line = block.heading_line
            out.append(RawClause(block.path, block.clause_no, line, block.offset, block.offset + len(line)))
            continue
        out.extend(_block_clauses(block))
    return [part for rc in out for part in _split_duty_list(rc)]


_DECIMAL = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}$")
_BARE_ARTICLE = re.compile(rf"^{_ARTICLE}$")


def _join_bare_numbers(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """"第 4 條" on a line of its own (a law site's layout) heads the text on the next line."""
    out: list[tuple[str, int]] = []
    for line, offset in lines:
        if out and _BARE_ARTICLE.match(out[-1][0].strip()) and heading_level(line) is None:
            out[-1] = (out[-1][0] + " " + line, out[-1][1])
        else:
            out.append((line, offset))
    return out


def _articles_first(lines: list[tuple[str, int]]) -> bool:
    """The text is a law's articles (第N条) before any "一、" heading: its 一、二、 are items of an article."""
    for line, _ in lines:
        found = heading_level(line)
        if found and found[0] in (1, 2):
            return found[0] == 2
    return False


def _split_duty_list(rc: RawClause) -> list[RawClause]:
    """A paragraph that lists duties body by body ("市发改委负责…；市经贸委负责…；市交通局负责…")
    is one task per body: split before every sentence that opens with its bodies and 负责/牵头."""
    from index.units import duty_list_starts

    from index.units import LABEL, to_simplified

    labelled = LABEL.search(to_simplified(rc.text)) is not None
    starts = duty_list_starts(rc.text)
    # (two bodies' sentences are a task each too, when no label may cover both)
    if len(starts) < DUTY_LIST_MIN and (len(starts) != 2 or labelled):
        starts = _own_duty_parts(rc.text)
    if len(starts) < DUTY_LIST_MIN and (len(starts) < 2 or labelled):
        return [rc]
    cuts = [0, *(p for p in starts if p > 0), len(rc.text)]
    parts: list[RawClause] = []
    for n, (a, b) in enumerate(zip(cuts, cuts[1:])):
        text = rc.text[a:b].strip()
        if text:
            parts.append(RawClause(rc.section_path, rc.clause_no if n == 0 else "", text, rc.start + a, rc.start + b))
    return parts


DUTY_LIST_MIN = 3  # at least this many body-by-body sentences make a duty list


def _own_duty_parts(text: str) -> list[int]:
    """Starts of the semicolon parts of a paragraph when each names who does it ("将A整合为…,由市商务局管理;
    将B整合为…,由市发改委、市商务局共同管理,发改委牵头;…"): every part is a task of its own."""
    from index.units import brackets, read_duty

    inside = {i for a, b in brackets(text) for i in range(a, b)}
    cuts = [m.end() for m in re.finditer(r"[；;]", text) if m.start() not in inside]
    bounds = [0, *cuts, len(text)]
    parts = [(a, text[a:b]) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]
    if len(parts) < DUTY_LIST_MIN or not all(len(p) >= 10 and (d := read_duty(p)) and d.units for _, p in parts):
        return []
    return [a for a, _ in parts]


def _split_after_duty(line: str, offset: int) -> list[tuple[str, int]]:
    """A line that runs on after a labelled duty bracket: "…〔主要责任单位:A、B〕加强户外广告…" is two tasks."""
    from index.units import LABEL, brackets, to_simplified

    simple = to_simplified(line)
    if not LABEL.search(simple):
        return [(line, offset)]
    cuts = [b for a, b in brackets(simple)
            if LABEL.search(simple[a + 1: b - 1]) and re.match(r"[。.；;]?\s*(?:\d{1,3}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)?[\u4e00-\u9fa5（(]{6}", simple[b:])]
    if not cuts:
        return [(line, offset)]
    out, start = [], 0
    for cut in cuts:
        cut += re.match(r"[。.；;]?\s*", line[cut:]).end()  # type: ignore[union-attr]  # always matches
        out.append((line[start:cut].rstrip(), offset + start))
        start = cut
    out.append((line[start:], offset + start))
    return [(t, o) for t, o in out if t.strip()]


def _ends_with_duty(text: str) -> bool:
    """The paragraph ends with a bracket that states who does it: "…。〔主要责任单位:A、B〕"."""
    from index.units import LABEL, brackets, parse_duty, to_simplified

    simple = to_simplified(text.rstrip(" 。.；;"))
    spans = brackets(simple)
    if not spans or spans[-1][1] != len(simple):
        return False
    inner = simple[spans[-1][0] + 1: spans[-1][1] - 1]
    duty = parse_duty(inner)
    return bool(duty and duty.units and LABEL.search(inner))


def _block_clauses(block: Block) -> list[RawClause]:
    paras = block.paragraphs
    if block.heading_line is None or block.heading_only:
        if not paras:
            return []
        if block.heading_line is not None and len(paras) == 1:
            text, off = paras[0]
            full = block.heading_line + "\n" + text
            return [RawClause(block.path, block.clause_no, full, block.offset, off + len(text))]
        return [
            RawClause(block.path, block.clause_no if block.heading_line else "", text, off, off + len(text),
                      inherit_marker=bool(_INHERIT_LINE.match(text)))
            for text, off in paras
            if block.heading_line is not None or len(text) >= 20 or text.rstrip()[-1:] in "。；;！？!?"
        ]  # a short unnumbered line before the first heading is a title or page chrome, unless it is a sentence
    own = [(t, o) for t, o in paras if not _INHERIT_LINE.match(t)]
    markers = [(t, o) for t, o in paras if _INHERIT_LINE.match(t)]
    # "上述项目由X牵头负责。" on its own line closes the task(s) above it; what follows is another task
    # so does a paragraph that ends with its own duty bracket ("…〔主要责任单位:A、B〕"), when the block
    # holds several such paragraphs
    closes = [i for i, (t, _) in enumerate(own) if _ends_with_duty(t)]
    cuts = [i + 1 for i, (t, _) in enumerate(own[:-1]) if _SCOPE_LINE.match(t) or (len(closes) > 1 and i in closes)]
    groups = [own[a:b] for a, b in zip([0, *cuts], [*cuts, len(own)])]
    out: list[RawClause] = []
    for n, group in enumerate(groups):
        lines = ([block.heading_line] if n == 0 else []) + [t for t, _ in group]
        start = block.offset if n == 0 else group[0][1]
        end = (group[-1][1] + len(group[-1][0])) if group else block.offset + len(block.heading_line)
        out.append(RawClause(block.path, block.clause_no if n == 0 else "", "\n".join(lines), start, end))
    parent = block.path[:-1] or block.path
    out.extend(RawClause(parent, "", t, o, o + len(t), inherit_marker=True) for t, o in markers)
    return out
