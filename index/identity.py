"""Document identity: title, 文号, issuer, date, kind and region, read from the text.

Only what the text states is recorded; a field the notice does not give stays None.
"""

from __future__ import annotations

import re

from index.clean import numeral_value
from index.types import DocIdentity
from index.units import is_unit_name, to_simplified

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,10}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*[号號]")
_PRINTED_TITLE = re.compile(r"关于印发\s*《(.+?)》\s*的通知")
_DATE_LINE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ROC_DATE_LINE = re.compile(r"^(?:民国|民國)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fa5（）()]{2,30}(?:局|厅|委员会|委|政府|办公室|办|部|院|中心|集团|公司)$")
_HEADER_ISSUER = re.compile(r"^(.{2,30}?)(?:文件)$")
_KINDS = ("工作要点", "实施方案", "行动方案", "履职报告", "工作报告", "行动计划", "管理办法", "通知")
_NEWS_SOURCE = re.compile(r"(晚报|日报|时报|新闻|网易|新华社|电视台|融媒体)")
_REGION = re.compile(
    r"([\u4e00-\u9fa5]{2,7}?(?:自治区|自治州|省|市|县|区|州|盟))(?=交通|人民|生态|20\d\d|的|落实|空气|“|\"|好|$)"
)


_META_KEY = re.compile(r"([\u4e00-\u9fa5/ ]{2,12}?)\s*[:：]\s*")
_TITLE_KEYS = ("标题", "名称", "文件名称", "公文标题", "题名", "信息名称", "法规名称", "法规标题", "文件标题")
_ISSUER_KEYS = ("发文机关", "发布机构", "发文单位", "发布单位", "制发机关", "成文单位", "发文机构", "填表单位", "填报单位")
_SOURCE_KEYS = ("文章来源", "信息来源", "来源")
_NUMBER_KEYS = ("文号", "发文字号", "发文文号", "备注/文号", "文件编号")
_MADE_KEYS = ("成文日期", "公文生成日期", "发文日期", "印发日期", "生成日期")
_PUBLISHED_KEYS = ("发布日期", "发布时间", "发表时间", "日期", "时间", "公开日期", "更新时间", "填报时间", "填表时间")
_ANY_DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|([-/.])(\d{1,2})\4(\d{1,2}))(?![\d前底])"
)
_PRINTED_ANY = re.compile(r"(?:关于|办公厅|办公室|政府|局|委|厅)(?:印发|转发|下发|发布)\s*《?([^。，,；！？]+?)》?\s*的通知")
_QUOTED_PRINTED = re.compile(r"《([^《》]{4,60})》[^。《》]{0,15}?(?:印发|发给|下发)")
_COVER = re.compile(r"印发给你们|请认真|请结合|遵照执行|特此通知|贯彻执行|抓好落实")
_CHROME = re.compile(r"^(?:今天是|您当前|当前位置|首页|网站|加入收藏|浏览|点击|字号|【字体|政府信息公开$|信息公开$)")
_TITLE_END = re.compile(
    r"(?:要点|方案|意见|通知|办法|规划|计划|清单|报告|细则|决定|通报|公告|通告|分解|分工|任务|情况|情况表|表|责任书|任务书|分解书|措施|规定|纲要|制度|安排|公示|事项|项目|汇总|汇总表|"
    r"纪要|决议|命令|公报|请示|批复|议案|函|预案|条例|事宜|纪录|记录|注意事项|"  # and the kinds of 公文 (GB/T 9704)
    r"总结|讲话|指南|指引|章程|台账|名单|简报|守则|准则|标准|公约|倡议书|承诺书|问答|解读|目录)$"  # other genres of public pages
)
# A news story's lead: "1月22日,…召开", "近日,", "日前,", "本报讯": the line over it is the headline
_NEWS_LEAD = re.compile(r"^(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚)?[,，]|近日[,，]|日前[,，]|本报讯|[（(]?记者)")


_FILE_EXT = re.compile(r"\.(?:docx?|pdf|xlsx?|wps|txt)$", re.I)  # an attachment's file name: not part of the title
_TABLE_HEADER = re.compile(r"序号|工作任务|责任单位|牵头单位|责任部门|牵头部门|完成时[间限]")
_DOC_TYPE_END = re.compile(r"(?:通知|通告|公告|通报|意见|决定|报告|函|批复|办法|方案|规定|要点|规划|计划|纪要|决议|请示)$")
# "文档介绍:龙府发〔2009〕23号成都市龙泉驿区人民政府关于…的通知各街道办事处、…": a page printed on one line
_RUN_ON_TITLE = re.compile(
    r"(?:^|号|[:：\s])([\u4e00-\u9fa5（）()]{0,30}?关于[^\s。；;:：]{4,80}?的(?:通知|通告|公告|通报|意见|决定|方案|办法|规定|报告|批复|纪要|决议))"
)

# A title run into the body after it, on a page that lost its line breaks: "区利用消费热点促进居民消费意见针对一季度…",
# "…管理办法第一条为科学预防…", "—1—《…纲要》主要目标任务分解落实方案工作重点序号…"
_TITLE_THEN_BODY = re.compile(
    r"(?:^|(?<=[)）日—\s]))([A-Za-z\u4e00-\u9fa5“”《》（）()、]{6,60}?(?:办法|意见|方案|分解|规定|细则|要点|规划|计划|预案|清单|条例|决定))"
    r"(?=第一条|第1条|一、|针对|为了|为|根据|按照|序号|工作重点|\d{3}[\dXx]\s*[/年-])"
)


_KNOWN_KEYS = (
    _TITLE_KEYS + _ISSUER_KEYS + _SOURCE_KEYS + _NUMBER_KEYS + _MADE_KEYS + _PUBLISHED_KEYS
    + ("索引号", "分类", "有效性", "主题分类", "浏览量", "责任编辑", "访问次数", "点击数")
)
# "发布机构: X", and the colon-less metadata tables of government sites: "文    号 蔡政办〔2023〕1号"
_KEY = re.compile(
    r"(?:(?<![\u4e00-\u9fa5])(?P<key>[\u4e00-\u9fa5/]{2,8}|[\u4e00-\u9fa5](?:[ \u3000][\u4e00-\u9fa5]){1,5})\s*[:：])|"
    r"(?:(?:^|(?<=[\s|]))(?P<bare>"
    + "|".join(r"\s*".join(re.escape(ch) for ch in k) for k in sorted(set(_KNOWN_KEYS), key=len, reverse=True))
    + r")(?=[\s|]))"
)


def _meta(lines: list[str]) -> dict[str, str]:
    """'key: value' pairs of a web page's metadata lines ("发布机构: X", "- 索 引 号: …", "文  号 X")."""
    out: dict[str, str] = {}
    for line in lines:
        line = re.sub(r"^[-•·*|\s]+", "", line)
        keys = list(_KEY.finditer(line))
        for i, m in enumerate(keys):
            key = re.sub(r"\s+", "", m.group("key") or m.group("bare"))
            end = keys[i + 1].start() if i + 1 < len(keys) else len(line)
            value = line[m.end(): end].strip(" |\t\u3000")
            if value and key not in out:
                out[key] = value
    return out


def read_identity(
    doc_id: str, source_file: str, text: str, source: str | None = None, raw: str | None = None
) -> DocIdentity:
    """Read a notice's identity from its cleaned text.

    Title from metadata (标题), the 《X》 of "关于印发《X》的通知" or of a cover letter ("《X》…印发给你们"),
    or the first line that reads like a document title (never an addressee line, an index number,
    "全文", a lead-in sentence, a heading or page chrome). Issuer from metadata (发文机关 / 发布机构),
    "X关于…", the signature block or the page's 来源. Date from 成文日期 or the signature, failing
    those the page's 发布日期. A field the text does not give stays None.

    Args:
        doc_id: stable id of the document (its file stem).
        source_file: file name the text came from.
        text: cleaned text of the notice.
        source: the web page's "来源:" attribution, if the page had one.
        raw: the text before cleaning, whose metadata lines (来源, 发布日期) cleaning drops.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = lines[:25]
    raw_head = [ln.strip() for ln in (raw or "").splitlines() if ln.strip()][:25]
    meta = _meta(raw_head) | _meta(head)
    news = bool(source and _NEWS_SOURCE.search(source)) or any(_NEWS_LEAD.match(line) for line in head[1:6])
    title = _title(head, meta, news=news)
    title = _FILE_EXT.sub("", re.sub(r"^<([^<>]{2,30})>", r"《\1》", title))  # "<政府工作报告>任务分解表": 《》 typed as <>
    number = _number(head, meta)
    issuer = _issuer(lines, head, meta, title, source)
    date = _date(lines, head, meta)
    kind = _kind(title, source)
    region = _region(issuer or "") or _region(title) or _region("\n".join(lines[:6]))
    return DocIdentity(
        doc_id=doc_id,
        title=title,
        source_file=source_file,
        doc_number=number,
        issuer=issuer,
        date=date,
        kind=kind,
        region=region,
    )


def _from(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    simple = {to_simplified(k): v for k, v in meta.items()}  # "法規名稱:" on a traditional-script page
    return next((simple[k] for k in keys if simple.get(k)), None)


def _number(head: list[str], meta: dict[str, str]) -> str | None:
    """The notice's own 文号: from metadata or a line of its own, never one cited in a sentence."""
    value = _from(meta, _NUMBER_KEYS)
    m = _DOC_NUMBER.search(value or "")
    if m:
        return re.sub(r"\s+", "", m.group(0))
    for line in head:
        line = re.sub(r"^\s*(?:发文字号|發文字號|发文文号|文号|文號)\s*[:：]?\s*", "", line)  # a key without its colon
        m = _DOC_NUMBER.search(line)
        own_line = re.fullmatch(r"[（(]?\s*" + re.escape(m.group(0)) + r"\s*[）)]?", line) if m else None
        if m and (own_line or len(line) <= len(m.group(0)) + 24 and not re.search(r"[（(]\s*$", line[: m.start()])):
            if not re.search(r"[。，,；]", line):
                return re.sub(r"\s+", "", m.group(0))
    return None


def _bare(title: str) -> str:
    """A title without a closing bracketed note: "…推进情况(1-11月)" → "…推进情况"."""
    return re.sub(r"[（(][^（）()]*[）)]$", "", _FILE_EXT.sub("", _clean_title(title)))


def _single_cell(line: str) -> str:
    """'| 行政检查计划统计表 | ||||' (a table's title row) → '行政检查计划统计表'."""
    cells = [c.strip() for c in line.split("|") if c.strip()]
    return _clean_title(cells[0]) if len(cells) == 1 else _clean_title(line)


def _page_title(line: str) -> str:
    """A web page's title bar: "【落实情况】X落实情况-4188云顶集团" → "X落实情况" (its column tag
    and the site's name around the document's name)."""
    bare = re.sub(r"^【[^】]{1,8}】\s*", "", line)
    site = re.match(r"^(.{6,}?)\s*[-_－—|｜]\s*[^-_－—|｜《》]{2,20}$", bare)
    if site and _TITLE_END.search(to_simplified(_bare(site.group(1)))) and not _TITLE_END.search(to_simplified(_bare(bare))):
        bare = site.group(1)
    return bare if bare != line and _TITLE_END.search(to_simplified(_bare(bare))) else line


# A web site's name on a line of its own ("法搜网--中国法律信息搜索网", "XX市人民政府门户网站"): chrome,
# never the first line of a title
_SITE_NAME = re.compile(r"(?:[^\s。，,；;:：]{1,20}\s*[-_－—|｜]+\s*)*[^\s。，,；;:：]{1,24}(?:网|网站|门户|在线)")


def _clean_title(title: str) -> str:
    return re.sub(r"\s+", " ", title.strip(" |\t\u3000"))


def _title(head: list[str], meta: dict[str, str], news: bool = False) -> str:
    value = _from(meta, _TITLE_KEYS)
    if value:  # (not the date line a page break ran into it: "…注意事項民國 105 年 12 月 23 日")
        value = re.sub(r"(?:民国|民國)?\s*\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$", "", value).strip()
        m = _PRINTED_ANY.search(value)
        return re.sub(r"\s+", "", m.group(1)) if m else _clean_title(value)
    joined = "".join(head[:15])
    m = _PRINTED_ANY.search(joined)
    if m and _cited(joined, m.start()):
        m = None  # "《国务院办公厅转发…的通知》(国办发〔2013〕68号)": a document the text cites, not its own
    if m and len(m.group(1)) <= 80:
        # a title inside 《》 is one name: spaces are line-break damage; the document's own title line
        # may write it with a 的 the cover letter left out ("关于…管理体制意见的通知" over "关于…管理体制的意见")
        return _as_printed(re.sub(r"\s+", "", m.group(1)), head)
    for line in head[:15]:
        m = _QUOTED_PRINTED.search(line)
        if m and not re.search(r"(?:根据|按照|贯彻|落实|依据)[^《]{0,6}《" + re.escape(m.group(1)), line):
            return re.sub(r"\s+", "", m.group(1))
    candidates: list[tuple[str, int]] = []
    head = [_page_title(_single_cell(line)) for line in head]
    head = [line for line in head if not _SITE_NAME.fullmatch(to_simplified(line.strip()))]
    for i, line in enumerate(head):
        if not _title_like(line):  # a title run into the text after it: "附件 X职责清单 工作任务和内容 责任单位 …"
            first, _, rest = re.sub(r"^附件\s*\d*\s*[:：]?\s*", "", line).partition(" ")
            if rest and _TABLE_HEADER.search(rest[:40]) and _title_like(first) and _TITLE_END.search(to_simplified(_bare(first))):
                candidates.append((first, i))
            continue
        nxt = head[i + 1] if i + 1 < len(head) else ""
        both = _clean_title(line) + _clean_title(nxt)
        # a title printed over two lines: "2024年吉林省交通运输行业" / "生态环境保护工作要点"
        # "关于征集对…项目" / "实施情况…意见建议的通告": a 关于 title goes on to its document type
        unfinished = not _TITLE_END.search(_bare(line)) or (line.startswith("关于") and not _DOC_TYPE_END.search(line))
        if unfinished and _title_like(nxt) and len(both) <= 60 and _TITLE_END.search(both):
            candidates.append((both, i))
        else:
            candidates.append((line, i))
    run_on = _RUN_ON_TITLE.search(joined)
    run_on_title = run_on.group(1) if run_on else _run_into_body(head[:8])
    if not candidates:
        return run_on_title or ""
    # A line that does not end like a document's name ("公共文化服务", "主要参与部门", a unit cell) is
    # a heading or a table cell: a page that shows no title gets none (a news page keeps its headline).
    # "…裁示事项/连江县政府提供": a credit, not the title
    candidates = [(re.sub(r"[/／]\s*\S{2,20}?提供$", "", c), i) for c, i in candidates]
    candidates = [c for c in candidates if news or _TITLE_END.search(to_simplified(_bare(c[0])))]
    if not candidates:
        return run_on_title or ""
    first = sorted(candidates, key=lambda c: ("印发" in c[0], c[1]))[0][0]
    m = re.match(r"^[^:：]{2,20}[:：]\s*(关于.+)$", first)  # "栏目: 关于…的意见"
    if m:
        first = m.group(1)
    first = _FILE_EXT.sub("", first)
    # the same title in full further down ("V市…督查通报(2022年·第9期)" under the site's "市…督查通报")
    fuller = [line for line in head if _title_like(line) and _clean_title(line) != first
              and re.fullmatch(rf"[^\s:：/|]{{0,4}}{re.escape(first)}(?:\s*[（(][^（）()]{{2,20}}[）)])?", _clean_title(line))]
    if fuller:
        first = _clean_title(fuller[0])
    return _clean_title(re.split(r"(?<=[报告要点方案])(?=\d{4}年)", first)[0])


def _cited(text: str, at: int) -> bool:
    """`at` is inside a 《…》 of `text`."""
    before = text[:at]
    return before.rfind("《") > before.rfind("》")


def _run_into_body(lines: list[str]) -> str | None:
    """A title the first lines run into the text after it (`_TITLE_THEN_BODY`), without a note before it
    ("(此件主动公开)")."""
    for line in lines:
        m = _TITLE_THEN_BODY.search(to_simplified(line))
        if m and m.start(1) <= 30:
            return re.sub(r"^[（(][^（）()]{1,10}[）)]", "", line[m.start(1): m.end(1)])
    return None


def _as_printed(title: str, head: list[str]) -> str:
    """`title` as a line of its own further down writes it, when it differs only by 的/之."""
    bare = re.sub(r"[的之]", "", title)
    for line in head:
        clean = _clean_title(line)
        if clean != title and re.sub(r"[的之]", "", clean) == bare:
            return clean
    return title


def _title_like(line: str) -> bool:
    clean = _single_cell(line)
    if not 6 <= len(clean) <= 70 or _CHROME.match(clean) or clean in ("全文", "正文", "附件"):
        return False
    if re.search(r"[›»]|(?:^|\s)>", clean):
        return False  # a breadcrumb: "文档之家› …", "> 政务公开 > 重点工作落实情况"
    if re.search(r"[。；;!！?？]", clean) or re.search(r"[：:]$", clean) or re.search(r"索引号|发布机构", re.sub(r"\s", "", clean)):
        return False
    if _DOC_NUMBER.fullmatch(clean) or clean.endswith("文件") or _DATE_LINE.match(clean) or _ANY_DATE.match(clean):
        return False
    if re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第.{1,3}[章条])", clean):
        return False  # a heading
    if re.match(r"^(?:日前|近日|为|根据|按照|现将|各)", clean) or re.search(r"[:：]\s*\S", clean) and "关于" not in clean:
        return False  # a lead-in sentence, an addressee or a metadata line
    return not ("|" in line and line.count("|") > 1 and not line.rstrip(" |").count("|") == 0)


def _org(text: str | None) -> str | None:
    if not text:
        return None
    text = _clean_title(text)
    return text if _ORG_LINE.match(text) else None


def _issuer(lines: list[str], head: list[str], meta: dict[str, str], title: str, source: str | None) -> str | None:
    value = _from(meta, _ISSUER_KEYS)
    if value and (is_unit_name(value.split()[0]) or _ORG_LINE.match(value.split()[0])):
        return _clean_title(value.split()[0])  # a spam site's "发布机构: 365…" is not an issuer
    for line in lines[:3]:
        m = _HEADER_ISSUER.match(line)
        if m and _ORG_LINE.match(m.group(1)):
            return m.group(1)
    for line in head[:8]:
        m = re.match(r"^(.{2,30}?)关于", _clean_title(line))
        if m and _org(m.group(1)):
            return m.group(1)
    for i, line in enumerate(head[:10]):
        if i and line.startswith("关于") and _org(head[i - 1]):  # "永康市人民政府办公室" / "关于印发…的通知"
            return _clean_title(head[i - 1])
        m = re.match(r"^(.{2,30}?)(?:印发|转发|下发)", _clean_title(line))  # "重庆市人民政府办公厅转发…的通知"
        if m and _org(m.group(1)) and line.endswith("通知"):
            return m.group(1)
    # A signature: an organisation on its own line right above a date line, or closing a cover letter.
    for i in range(len(lines) - 1):
        if _DATE_LINE.match(lines[i + 1]) and _ORG_LINE.match(lines[i]):
            return lines[i]
    for i in range(1, min(len(lines), 30)):
        if _ORG_LINE.match(lines[i]) and _COVER.search(lines[i - 1]):
            return lines[i]
    for line in head[:12]:  # a news lead-in: "近日，省政府办公厅印发…"
        m = re.match(r"^(?:近日|日前|今天|今日|\d{1,2}月\d{1,2}日)[,，]?\s*(\S{2,20}?)(?:印发|发布|出台|下发)", line)
        if m and _org(m.group(1)):
            return m.group(1)
    for line in head[:6]:  # "第46次…裁示事项/连江县政府提供": a page credits its issuer
        m = re.search(r"[/／]\s*(\S{2,20}?)提供$", line)
        if m and _org(m.group(1)):
            return m.group(1)
    value = _from(meta, _SOURCE_KEYS)
    name = _clean_title(re.split(r"\s", value.strip())[0]) if value else source
    if name and is_unit_name(name):
        return name
    m = re.match(r"^(.{4,30}?)(?=(?:19|20)\d{2}\s*年)", title or "")  # "旺苍县农业农村局2021年度…计划"
    if m and _org(m.group(1)) and is_unit_name(m.group(1)):
        return m.group(1)
    return None


def _iso(m: re.Match) -> str:
    groups = m.groups()
    y = groups[0]
    mo, d = (groups[1], groups[2]) if groups[1] else (groups[4], groups[5])
    return f"{y}-{int(mo):02d}-{int(d):02d}"


_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "Ｏ": "0", "O": "0"}
_CN_DATE = re.compile(r"^([〇○零Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$")


def _cn_date(line: str) -> str | None:
    """A signature date written in Chinese numerals: "二○一一年五月三日" → 2011-05-03."""
    m = _CN_DATE.match(re.sub(r"\s+", "", line))
    if not m:
        return None
    year = "".join(_CN_DIGITS[c] for c in m.group(1))
    return f"{year}-{numeral_value(m.group(2)):02d}-{numeral_value(m.group(3)):02d}"


def _date(lines: list[str], head: list[str], meta: dict[str, str]) -> str | None:
    value = _from(meta, _MADE_KEYS)
    if value and (found := _ANY_DATE.search(value)):
        return _iso(found)
    for line in lines:
        m = _DATE_LINE.match(line)
        if m:
            return _iso(m)
        cn = _cn_date(line)
        if cn:
            return cn
        roc = _ROC_DATE_LINE.match(line)
        if roc:  # "民國 99 年 12 月 31 日": the Republic of China calendar counts from 1912
            return f"{int(roc.group(1)) + 1911:04d}-{int(roc.group(2)):02d}-{int(roc.group(3)):02d}"
    for key in _PUBLISHED_KEYS + _SOURCE_KEYS:
        value = meta.get(key)
        if value and (found := _ANY_DATE.search(value)):
            return _iso(found)
    for line in head[:6]:  # "来源:区实事办   2017-08-24 17:04", "• 2008-12-18"
        m = _ANY_DATE.search(line)
        if m and len(line) <= 40 and not re.search(r"[。，,；|]", line):
            return _iso(m)
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
