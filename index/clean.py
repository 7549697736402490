"""Strip what is not the notice (web chrome, news lists) and repair page-break damage.

The notices arrive as copies of web pages or of printed documents. This module works on
lines of text and keeps the notice's own wording untouched: it only drops whole lines that
belong to the page around the notice, and rejoins lines that a page break cut in two.
"""

from __future__ import annotations

import logging
import re

from index.units import DECIMAL_SECTION, LABEL, QUANTITY_CHARS, is_unit_name, names_line, to_simplified

# Everything from one of these lines to the end of the text is page furniture
# (disclaimers, "related articles", trending news lists).
_CUT_FROM = re.compile(r"^(特别声明[:：]|相关推荐$|热点推荐$|相关文章$|相关阅读$|往期回顾|Notice: The content above)")
# Whole lines that are web chrome wherever they stand.
_DROP_LINE = re.compile(
    r"^(当前位置[:：]|您现在的位置|网易首页|首页\s*[>›]|来源[:：]|责任编辑[:：]|编辑[:：]|分享至$|分享到|"
    r"打印本页|关闭窗口|【字体|字号[:：]|浏览次数|阅读次数|扫一扫|无障碍浏览|相关$|\d{1,6}$|"
    r"[↑▲^]?\s*(?:回到|返回)?(?:顶部|页首|顶端)$|[↑▲]?\s*回顶部$)"
)
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")  # "![]()" left by a page saved as markdown
# "發(fā)改委", "響應(yīng)": a mirror site's pinyin after a character, not the notice's text
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
_INLINE_TAG = re.compile(r"</?(?:p|br|span|div|strong|b|i|em|font|td|tr)(?:\s[^<>]*)?/?>", re.I)
_HEADING_START = re.compile(
    rf"^(?:{DECIMAL_SECTION}|"  # "2.4 县(市、区)…职责", not "2.5万辆"
    r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,3}\s*(?:、|[.．](?!\d))|[（(]\d{1,3}[）)]|[①-⑳]|第\s*[一二三四五六七八九十百零〇\d]+\s*[条章节條節])"
)
_DATE_ALONE = re.compile(r"^(?:民国|民國|公元)?\s*(?:\d{2,4}|[○〇零一二三四五六七八九]{2,4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$")
_SENTENCE_END = "。！？；：:;!?）)」』”\"》"
_NAME_LINE = re.compile(r"^[*＊★]?(?:[省市县区镇乡]|各)[\u4e00-\u9fa5()（）]{1,20}$")
_KEY_LINE = re.compile(r"^[\u4e00-\u9fa5]{2,8}\s*[:：]")
# "??1.加强…": indentation (U+3000) lost to "?" when a page was saved in a narrower encoding.
_LOST_INDENT = re.compile(r"^\?{1,4}(?=[\u4e00-\u9fa5\d(（【])")
_SOURCE = re.compile(r"^来源[:：]\s*(\S+)")


def strip_glosses(text: str) -> str:
    """The text without the pinyin a mirror site writes after some characters ("發(fā)改委" → "發改委")."""
    return _PINYIN_GLOSS.sub("", text)


def page_source(text: str) -> str | None:
    """The '来源:' attribution of a web page, read before the line is dropped."""
    for line in text.splitlines():
        m = _SOURCE.match(line.strip())
        if m:
            return m.group(1)
    return None


def clean_text(text: str) -> str:
    """Return the notice's text without web chrome and with page-break damage repaired.

    Args:
        text: raw text as read from the file.

    Returns:
        Cleaned text, one paragraph per line, blank lines between paragraphs removed.
    """
    lines: list[str] = []
    raws = unbox(_join_shared_pages(strip_glosses(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    row_numbers = _row_numbers(raws)
    for i, raw in enumerate(raws):
        line = _INLINE_TAG.sub(" ", _MARKDOWN_IMAGE.sub(" ", raw)).strip() if "\t" not in raw else _clean_row(raw)
        if i in row_numbers:
            lines.append(line)
            continue
        line = _BULLET.sub("", _LOST_INDENT.sub("", line))
        if not line:
            continue
        if _CUT_FROM.match(line):
            break
        if _DROP_LINE.match(line) or line in ("申请入驻", "网易号"):
            continue
        if line.endswith("申请入驻") and len(line) < 30:
            continue
        if lines and line == lines[-1] and not is_unit_name(line):  # the same title printed twice by the page
            continue  # (but a body's name twice is two table cells: 责任单位 and 牵头单位)
        if _CONTINUED.match(line):
            line = _CONTINUED.sub("", line).strip()
        for piece in _split_inline_items(line):
            lines.extend(_lost_paragraphs(piece))
    return "\n".join(_rejoin_broken_lines(lines))


# "- 一、企划处。", "• 市交通局负责…": a web page's list bullet, no part of the text
_BULLET = re.compile(r"^[-•·▪●◆■□※]\s+(?=\S)")
# "[接上页] 山西农业大学:…": a law database's page marker, no part of the text
_CONTINUED = re.compile(r"^[\[【（(〔]\s*(?:接上页|续上页|接上頁|續上頁)\s*[\]】）)〕]")
# A page whose paragraphs were run onto one line, a space left where each broke: "…工作。 2.2市、县应急
# 组织领导机构及职责 按照属地管理…。 2.3…"
_LOST_BREAK = re.compile(r"(?<=[。；;！？!?])\s+(?=\S)|\s+(?=\d{1,2}(?:\.\d{1,2}){1,3}\s*[\u4e00-\u9fa5])")
# where such a page's next paragraph starts: a decimal heading, or a body's name and a colon ("新华社山西分社:配合…")
_NEW_PARAGRAPH = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,3}\s*[\u4e00-\u9fa5]|([^\s，,。；;：:]{2,20})[:：]")
_SPACED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3}\s*[^\s，,。；;：:]{2,24})\s+(?=\S)")
LOST_BREAKS_MIN = 2  # this many sentence ends followed by a space make a run-on page


def _lost_paragraphs(line: str) -> list[str]:
    """A run-on page's paragraphs, one per line; a decimal heading ("2.3.1 现场组") apart from the text after it."""
    if len(line) < 60 or "\t" in line or "|" in line or len(_LOST_BREAK.findall(line)) < LOST_BREAKS_MIN:
        return [line]
    out: list[str] = [""]
    for part in _LOST_BREAK.split(line):
        start = _NEW_PARAGRAPH.match(part)
        if not start or start.group(1) and not names_line(start.group(1)):
            out[-1] += " " + part  # a break inside a paragraph: keep the page's space
            continue
        heading = _SPACED_HEADING.match(part)
        out += [heading.group(1), part[heading.end():]] if heading else [part]
    return [p.strip() for p in out if p.strip()]


# A document-sharing site's preview ("《X》由会员分享,可在线阅读…") prints each page of the document as one
# paragraph numbered "1、", "2、", …, and a page starts wherever the last one stopped, mid-word even
# ("…市商务局,市" / "2、住建局、市城管委…").
_SHARED_DOC = re.compile(r"由会员分享")
_PAGE_NO = re.compile(r"^\s*(\d{1,3})、")


def _join_shared_pages(raws: list[str]) -> list[str]:
    """The pages of a document-sharing site's preview joined back into one text, page numbers dropped."""
    start = next((i for i, raw in enumerate(raws) if _SHARED_DOC.search(raw)), None)
    if start is None:
        return raws
    out = raws[: start + 1]
    expected = 1
    for raw in raws[start + 1:]:
        m = _PAGE_NO.match(raw)
        if m and int(m.group(1)) == expected:
            text = raw[m.end():]
            last = next((j for j in range(len(out) - 1, start, -1) if out[j].strip()), None)
            if expected > 1 and last is not None:
                out[last] = out[last].rstrip() + text.strip()
            else:
                out.append(text)
            expected += 1
        else:
            out.append(raw)
    return out


_BOX_BAR = re.compile(r"[│┃║]")
_BOX_BORDER = re.compile(r"^[\s┌┐└┘├┤┬┴┼─━═│┃║╔╗╚╝╠╣╦╩╬╟╢╤╧╪┠┨┯┷┿]+$")
_SPACED_OUT = re.compile(r"^(?:[\u4e00-\u9fa5]\s+)+[\u4e00-\u9fa5]$")


def unbox(raws: list[str]) -> list[str]:
    """A table drawn with box characters (┌─┬─┐ │…│ ├─┼─┤), as text pages print .doc tables, becomes
    tab-separated rows: a row is the text lines between two border lines, each cell's wrapped
    lines joined ("│各县(市、区)政│" + "│府,市财政局│"); a merged cell stays empty (read as the
    cell above). Without inner borders every text line is a row."""
    out: list[str] = []
    block: list[list[str] | None] = []  # text lines as cells; None for a border line

    def flush() -> None:
        texts = [i for i, b in enumerate(block) if b is not None]
        bordered = any(b is None for b in block[texts[0]: texts[-1]]) if texts else False
        row: list[str] | None = None
        for cells in block + [None]:
            if cells is not None and row is not None and len(cells) < len(row):
                cells = cells + [""] * (len(row) - len(cells))  # a line that stops before its last cells
            if cells is None or not bordered or (row is not None and len(cells) != len(row)):
                if row is not None:
                    out.append("\t".join(_SPACED_OUT.sub(lambda m: re.sub(r"\s+", "", m.group(0)), c.strip()) for c in row))
                row = None
                if cells is None:
                    continue
            row = list(cells) if row is None else [a + b.strip() for a, b in zip(row, cells)]
        block.clear()

    for raw in raws:
        line = raw.strip()
        if line and _BOX_BORDER.match(line) and re.search("[─━═]", line):
            block.append(None)
        elif _BOX_BAR.match(line):
            inner = line[1:-1] if _BOX_BAR.match(line[-1]) else line[1:]
            block.append([c.strip() for c in _BOX_BAR.split(inner)])
        else:
            if block:
                flush()
            out.append(raw)
    if block:
        flush()
    return out


ROW_NUMBER_GAP = 40  # lines between two row numbers of one table printed one cell per line


def _row_numbers(raws: list[str]) -> set[int]:
    """Lines that are only a number counting 1, 2, 3 … (each within ROW_NUMBER_GAP lines of the one
    before): the row numbers of a table printed one cell per line, not page furniture."""
    keep: set[int] = set()
    chain: list[int] = []
    for i, raw in enumerate(raws):
        number = raw.strip()
        if not re.fullmatch(r"[0-9]{1,3}", number):  # (not str.isdigit: "①" is a digit to it)
            continue
        if chain and int(number) == len(chain) + 1 and i - chain[-1] <= ROW_NUMBER_GAP:
            chain.append(i)
        else:
            if len(chain) >= 2:
                keep.update(chain)
            chain = [i] if number == "1" else []
    if len(chain) >= 2:
        keep.update(chain)
    return keep


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}


def numeral_value(text: str) -> int:
    """1-99 from "12" or a Chinese numeral ("一", "十", "十二", "二十三"); 0 when it is neither."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    tens, _, ones = text.rpartition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + _CN_DIGITS.get(ones, 0)


# Numbered items run together on one line, one pattern per numbering style (group 1: the number),
# and whether an item other than the first must follow a space or a sentence end.
_BOUNDARY = re.compile(r"[\s。；;）)]")
_INLINE_STYLES: tuple[tuple[re.Pattern, bool], ...] = (
    (re.compile(r"(\d{1,2})\s*(?:、|[.．](?!\d))"), True),
    (re.compile(r"[（(](\d{1,2})[）)]"), False),
    (re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]"), False),
    (re.compile(r"(?<![第统唯单之万])([一二三四五六七八九十]{1,3})、"), True),
    (re.compile(r"第([一二三四五六七八九十]{1,3})条"), True),
    (re.compile(r"(?:^|(?<=[，,。；;：:\s]))([一二三四五六七八九十]{1,2})是(?![否指非])"), False),  # "会议要求,一是…;二是…"
)
# A table printed with every separator lost: "…序号主要工作任务第一责任单位…1地区生产总值…。市发展改革委各县(市、区)
# 政府、嘉兴港区2服务业增加值…". A row number is a bare number after a body's name (or the header) and
# before text, counting 1, 2, 3 …: three in a row make a table.
_RUN_ON_ROW = re.compile(rf"(?<=[\u4e00-\u9fa5）)])(\d{{1,2}})(?=[\u4e00-\u9fa5])(?![{QUANTITY_CHARS}])")
_ROW_AFTER = re.compile(r"(?:[局委办厅院处室股队所站府会心司行区]|单位|部门)(?:[(（][\u4e00-\u9fa5]{1,6}[)）])?$")


_NAMED_HEADING = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．])[^，,。；;:：]{1,20}")
_TITLE_THEN_FIRST = re.compile(r"(?:方案|意见|通知|办法|要点|规划|细则|计划|预案|清单|决定)(?:[（(][^（()）]{1,4}[）)])?(?=一、)")
_COLON_THEN_FIRST = re.compile(r"[:：]\s*(?=[（(][一1][）)]|一、|1\s*[、.．](?!\d))")


def _split_inline_items(line: str) -> list[str]:
    """Split a line that holds several numbered items (1. … 2. …, (10)… (11)…, 一、…(一)…(二)…)
    into one line per item.

    Per numbering style, the items that count on from the first one: the first at the line's start,
    after a space or a sentence end, or anywhere when it is item 1; a later one anywhere for
    bracketed numbers, else only after a space or a sentence end. A style needs two items (three
    for a bracketed one that does not start at 1).
    """
    if "\t" in line or line.count("|") >= 2:
        return [line]  # a table row (one "|" is a site's chrome: "首页 | 正文")
    # "…如下:一、第一科:(一)施政方針…": a colon followed by a first item opens a list
    cuts: set[int] = set()
    for m in _COLON_THEN_FIRST.finditer(line):
        before = line[max(cuts, default=0): m.start()]
        if before.endswith("如下") or _NAMED_HEADING.fullmatch(before.strip()):
            cuts.add(m.end())  # not "资金来源:1.自治区财政…;2.…": a key's value that lists
    title = _TITLE_THEN_FIRST.search(line)
    if title:  # "…工作方案(一)一、治理畜牧业产品污染": a document's name run into its first heading
        cuts.add(title.end())
    if len(line) < 80:
        return _cut(line, cuts)
    rows = _run_on_rows(line)
    if rows:
        cuts.update(rows)
    for style, bounded in _INLINE_STYLES:
        runs: list[tuple[int, list[int]]] = []  # (first number, item offsets) of each counting run
        expected: int | None = None
        for m in style.finditer(line):
            number = numeral_value(m.group(1))
            at_boundary = m.start() == 0 or bool(_BOUNDARY.match(line[m.start() - 1]))
            after_stop = m.start() > 0 and line[m.start() - 1] in "，,。；;"
            if expected is not None and number == expected and (at_boundary or not bounded):
                runs[-1][1].append(m.start())
                expected = number + 1
            elif expected is not None and not bounded and expected < number <= expected + 3 and after_stop:
                runs[-1][1].append(m.start())  # a page of excerpts skips items: "(三)…,(五)…,(六)…"
                expected = number + 1
            elif number == 1 or (expected is None and at_boundary):  # a run starts (again: "二、…(一)")
                runs.append((number, [m.start()]))
                expected = number + 1
        for first, found in runs:
            if len(found) >= (2 if bounded or first == 1 else 3):
                cuts.update(found)
    return _cut(line, cuts)


def _run_on_rows(line: str) -> list[int]:
    """Offsets of the rows of a table run together on one line (see _RUN_ON_ROW): numbers counting
    from 1, each after the first one right after a body's name."""
    found: list[int] = []
    for m in _RUN_ON_ROW.finditer(line):
        number = int(m.group(1))
        if number == 1 and len(found) < 3:
            found = [m.start()]
        elif found and number == len(found) + 1 and _ROW_AFTER.search(line[max(0, m.start() - 10): m.start()]):
            found.append(m.start())
    return found if len(found) >= 3 else []


def _cut(line: str, cuts: set[int]) -> list[str]:
    cuts.discard(0)
    if not cuts:
        return [line]
    edges = sorted(cuts)
    parts = [line[a:b].strip() for a, b in zip([0, *edges], [*edges, len(line)]) if b > a]
    return [p for p in parts if p]


def _clean_row(raw: str) -> str:
    cells = [re.sub(r"\s+", " ", _INLINE_TAG.sub(" ", c)).strip() for c in raw.split("\t")]
    return "\t".join(cells).strip("\t ") and "\t".join(cells)


def _rejoin_broken_lines(lines: list[str]) -> list[str]:
    """Join a line cut by a page break with its continuation.

    A line is a broken one when it is long body text (not a heading, not a table row) that
    stops without closing punctuation, and the next line does not start a new numbered item.
    """
    out: list[str] = []
    for line in lines:
        if out and _is_cut(out[-1], line):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def _is_cut(line: str, nxt: str) -> bool:
    """True when `line` stops mid-sentence and `nxt` carries on the same sentence.

    Either a word spans the break ("责任单" + "位", "城市公" + "共转运": checked with jieba),
    or the line is body text already inside a sentence (it has a comma) with no closing mark.
    Short headings and titles ("（一）大力推广新能源汽车，优化运输装备结构") are never cut.
    """
    if line.endswith("《") or line.count("《") > line.count("》") and len(line) >= 4 and "|" not in line + nxt:
        return True  # "各级政府要根据《" / "传染病防治法》、《": a title's brackets never span paragraphs
    if "\t" in line or "\t" in nxt or len(line) < 12 or line[-1] in _SENTENCE_END or "|" in line + nxt:
        return False
    if line.endswith(".") and re.match(r"[\u4e00-\u9fa5]", line[-2]):
        return False  # "…公开曝光." : a full stop typed as "."
    if _DATE_ALONE.match(nxt):
        return False  # "法務部…辦事細則" / "民國 99 年 12 月 31 日": a title and its date
    if _HEADING_START.match(nxt) or LABEL.match(to_simplified(nxt)) or _KEY_LINE.match(nxt):
        return False  # a new item, "责任单位：…" on a line of its own, or a "key: value" line
    if names_line(nxt) or _NAME_LINE.match(nxt) and is_unit_name(nxt):
        return False  # a body's whole name on a line of its own: a table cell ("区住建局")
    if re.match(r"\d{1,2}[\u4e00-\u9fa5]", nxt) and (_ROW_AFTER.search(line) or re.match(r"1\D", nxt) and re.search(r"序号|责任单位", line)):
        return False  # the next row of a table whose separators were lost (_run_on_rows)
    heading = bool(_HEADING_START.match(line))
    if heading and len(line) <= 30:
        return False
    if not heading and len(line) >= 18 and re.search(r"[，,、]", line):
        return True
    return _word_spans(line[-4:], nxt[:4])


def _word_spans(left: str, right: str) -> bool:
    import jieba

    jieba.setLogLevel(logging.WARNING)

    pos = 0
    for token in jieba.lcut(left + right):
        if pos < len(left) < pos + len(token):
            return True
        pos += len(token)
    return False
