"""Document identity: title, 文号, issuer, date, kind and region, read from the text.

Only what the text states is recorded; a field the notice does not give stays None.
"""

from __future__ import annotations

import re

from index.types import DocIdentity

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,10}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号")
_PRINTED_TITLE = re.compile(r"关于印发\s*《(.+?)》\s*的通知")
_DATE_LINE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fa5（）()]{2,30}(?:局|厅|委员会|委|政府|办公室|办|部|院|中心|集团|公司)$")
_HEADER_ISSUER = re.compile(r"^(.{2,30}?)(?:文件)$")
_KINDS = ("工作要点", "实施方案", "行动方案", "履职报告", "工作报告", "行动计划", "管理办法", "通知")
_NEWS_SOURCE = re.compile(r"(晚报|日报|时报|新闻|网易|新华社|电视台|融媒体)")
_REGION = re.compile(
    r"([\u4e00-\u9fa5]{2,7}?(?:自治区|自治州|省|市|县|区|州|盟))(?=交通|人民|生态|20\d\d|的|落实|空气|“|\"|好|$)"
)


def read_identity(doc_id: str, source_file: str, text: str, source: str | None = None) -> DocIdentity:
    """Read a notice's identity from its cleaned text.

    Args:
        doc_id: stable id of the document (its file stem).
        source_file: file name the text came from.
        text: cleaned text of the notice.
        source: the web page's "来源:" attribution, if the page had one.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = lines[:12]
    title = _title(head)
    number = _first(_DOC_NUMBER, "\n".join(head))
    issuer = _issuer(lines, source)
    date = _date(lines)
    kind = _kind(title, source)
    region = _region(issuer or "") or _region(title) or _region("\n".join(lines[:6]))
    return DocIdentity(
        doc_id=doc_id,
        title=title,
        source_file=source_file,
        doc_number=re.sub(r"\s+", "", number) if number else None,
        issuer=issuer,
        date=date,
        kind=kind,
        region=region,
    )


def _first(pattern: re.Pattern, text: str) -> str | None:
    m = pattern.search(text)
    return m.group(0) if m else None


def _title(head: list[str]) -> str:
    joined = "\n".join(head)
    m = _PRINTED_TITLE.search(joined.replace("\n", ""))
    if m:
        return re.sub(r"\s+", "", m.group(1))
    candidates = [line for line in head if not _DOC_NUMBER.fullmatch(line) and not line.endswith("文件")]
    if not candidates:
        return ""
    first = candidates[0]
    # A title printed over two lines: "2024年吉林省交通运输行业" / "生态环境保护工作要点".
    if len(candidates) > 1 and not re.search(r"[，。；]", first + candidates[1]):
        both = first + candidates[1]
        if len(both) <= 40 and any(both.endswith(k) for k in _KINDS + ("报告", "方案", "要点")):
            return both
    if len(first) > 60:  # no title line: the text starts with a paragraph
        return first[:30] + "…"
    return re.split(r"(?<=[报告要点方案])(?=\d{4}年)", first)[0]


def _issuer(lines: list[str], source: str | None) -> str | None:
    for line in lines[:3]:
        m = _HEADER_ISSUER.match(line)
        if m and _ORG_LINE.match(m.group(1)):
            return m.group(1)
    # A signature: an organisation on its own line right above a date line.
    for i in range(len(lines) - 1):
        if _DATE_LINE.match(lines[i + 1]) and _ORG_LINE.match(lines[i]):
            return lines[i]
    return source


def _date(lines: list[str]) -> str | None:
    for line in lines:
        m = _DATE_LINE.match(line)
        if m:
            y, mo, d = m.groups()
            return f"{y}-{int(mo):02d}-{int(d):02d}"
    return None


def _kind(title: str, source: str | None) -> str | None:
    if source and _NEWS_SOURCE.search(source):
        return "新闻"
    for kind in _KINDS:
        if kind in title:
            return kind
    if title.endswith("报告"):
        return "报告"
    return None


def _region(text: str) -> str | None:
    m = _REGION.search(re.sub(r"^\d{4}年", "", text))
    if m:
        return m.group(1)
    m = re.search(r"([\u4e00-\u9fa5]{1,3}州)交通", text)  # 巴州交通运输局
    return m.group(1) if m else None
