"""Who must do a task: responsible units, lead units, people and deadlines.

All knowledge of how notices state responsibility lives here, as data (the tables below)
plus one small matcher. Parser, table reader and answer composer all ask this module;
nothing else parses unit text. Adding a form is one table entry and one test.

Forms (any bracket （）()〔〕【】[]［］, full- or half-width colons):
  labels      （责任单位：A、B）  （牵头单位：A；配合单位：B；完成时限：2024年底前）
              a label line after the task: "责任单位：A、B" (continuing onto the next line)
  verbs       （A牵头，B、C配合）  （由A负责）  （A会同B负责）  "A、B牵头,C参与,各县区政府负责落实。"
  bare list   （A、B）, when every part is a unit name
  duty words  （A、B等部门按职责分工负责）
  scope       "（以上…责任单位：A）" → the preceding items of its section
              "以下…均需A落实，不再列出" → every later task (inherited)
  order rule  "列在第一位的为牵头单位" → the first unit of every list leads
  people      责任领导 / 责任人 / 分管领导: names of people, never units
  deadlines   完成时限 / 完成时间 / 时间节点 / 时限 …, or a time inside the duty bracket

Traditional script is read through a length-preserving simplified view, so every form
matches in either script; units come out in simplified script, clause text stays as written.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path

# ---------------------------------------------------------------------------- the forms, as data

# A label is a role word + a kind word: 牵头 + 单位, 责任 + 科室, 配合 + 部门 …
ROLE_WORDS: dict[str, str] = {
    "牵头": "lead", "主办": "lead", "主责": "lead", "主要责任": "units", "牵头责任": "lead",
    "责任": "units", "考核责任": "units", "承办": "units", "实施": "units", "落实": "units",
    "具体负责": "units", "负责": "units", "主体责任": "units", "责任主体": "units",
    "配合": "support", "参与": "support", "协办": "support", "协同": "support", "协助": "support",
    "协作": "support", "配合责任": "support", "参加": "support", "协调": "support", "支持": "support",
}
KIND_WORDS: tuple[str, ...] = ("单位", "部门", "处室", "科室", "股室", "站所", "机构", "主体", "处", "科", "股", "室")
PEOPLE_LABELS: tuple[str, ...] = (
    "责任领导", "牵头领导", "分管领导", "分管局领导", "包保领导", "责任人", "具体责任人", "联系人", "责任领导及责任人",
)
DEADLINE_LABELS: tuple[str, ...] = (
    "完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "办结时限", "整改时限", "整改期限",
    "完成节点", "进度安排", "时间安排", "时限", "期限",
)
# Verbs that state a duty after a list of units, longest first, with the role they give.
VERBS: tuple[tuple[str, str], ...] = (
    ("牵头负责", "lead"), ("牵头抓总", "lead"), ("牵头落实", "lead"), ("牵头", "lead"), ("主办", "lead"),
    ("按职责分工负责", "units"), ("按职责分工落实", "units"), ("按职责负责", "units"), ("分别负责", "units"),
    ("共同负责", "units"), ("具体负责", "units"), ("负责落实", "units"), ("负责实施", "units"),
    ("具体落实", "units"), ("组织实施", "units"), ("负责", "units"), ("落实", "units"), ("承办", "units"),
    ("组织", "units"), ("提供", "units"), ("共同组成", "units"), ("组成", "units"),
    ("按照职责分工负责", "units"), ("按照职责负责", "units"), ("按各自职责负责", "units"), ("按照职责分工落实", "units"),
    ("配合落实", "support"), ("配合", "support"), ("参与", "support"), ("协同", "support"),
    ("协助", "support"), ("协办", "support"),
)
# What may follow a unit list before its verb: "A、B等部门（单位）按职责分工负责".
LIST_TAIL = re.compile(r"(?:等(?:相关|有关)?(?:部门|单位|成员单位)(?:和单位|及单位)?|等)$")
# Last characters of a unit name (suffix grammar). A name must end in one of these unless
# the notice itself labels it as a unit.
UNIT_SUFFIXES: tuple[str, ...] = (
    "局", "处", "厅", "室", "股", "队", "部", "中心", "集团", "公司", "办", "委", "会", "所", "站", "院", "单位",
    "政府", "管委会", "支行", "分行", "银行", "项目部", "小组", "科", "组", "大队", "支队", "总队", "中队", "街道",
    "乡镇", "镇", "乡", "社区", "党委", "党组", "工委", "海关", "企业", "医院", "学校", "大学", "学院", "协会",
    "联合会", "联社", "社", "台", "馆", "机关", "部门", "各方", "法院", "检察院", "园区", "景区", "指挥部", "区县",
    "县区", "市县", "联", "开发区", "高新区", "经开区", "新区", "示范区", "警备区", "军分区", "保税区", "试验区", "合作区", "科协", "工会", "妇联", "团委", "集团公司", "县（市、区）", "县(市、区)", "区（县）", "市（州）", "市〔州〕", "（市、区）", "(市、区)", "组织", "机构",
    "农发行", "农行", "工行", "建行", "中行", "人行",  # banks by their short names ("市农发行负责落实…贷款")
)
BRACKETS: dict[str, str] = {"（": "）", "(": ")", "〔": "〕", "【": "】", "[": "]", "［": "］", "「": "」"}
# Whole-sentence scope forms.
SCOPE_BEFORE = re.compile(r"^\s*(?:以上|上述)(?:[^，,：:]{0,16}?(?:工作|任务|事项|内容|项目|条|项))?(?:的|均|均由|由|需)?")
INHERIT = re.compile(
    r"以下(?:各具体工作任务|各项任务|各项工作|任务|均)?(?:均)?需(.+?)(?:配合或具体落实|具体落实|配合落实|落实|配合)"
    r"[，,]?\s*不再(?:列入责任单位|列出|重复列出|一一列出)"
)
ORDER_RULE = re.compile(
    r"(?:列|排|位)(?:在|于|居)?(?:第一位|首位|第一|最前|前面|首)(?:的|位的)?(?:单位|部门|处室|科室)?(?:为|是)(?:牵头|主办|主责|主要责任)"
    r"|第一责任(?:单位|部门)(?:主要|其他|配合|协办)?责任(?:单位|部门)"  # a run-on table's header: its first column leads
)
# Time expressions: dates, periods and open-ended terms that a deadline states.
# What follows a number that counts something ("2.5万辆", "12个"): it is then no section or row number
QUANTITY_CHARS = "万亿千百元个吨米辆人家座台项条件倍公平亩户次天年月日期号版"
# A decimal section number before its title ("2.3 各县区粮食应急机构", "3.1市场监测"), not a quantity ("2.5万辆")
DECIMAL_SECTION = rf"\d{{1,2}}(?:\.\d{{1,2}}){{1,3}}\s*(?=[\u4e00-\u9fa5])(?![{QUANTITY_CHARS}])"
_DATE = (
    r"(?:(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|(?:19|20)\d{2}[./-]\d{1,2}(?:[./-]\d{1,2})?)"
    r"(?:底|末|初|中旬|上旬|下旬|上半年|下半年|前三季度|第[一二三四]季度|年底|年内|中)?"
)
_OPEN_TIME = (
    r"长期坚持|长期推进|长期|全年|全年度|常年|持续推进|持续开展|持续实施|持续|常态化推进|常态化|年内完成|年内|年底前|年底|每年|每季度|每月|每半年|"
    r"按时|按要求|立行立改|限期整改|整改到位|已完成|分阶段推进|逐年推进|\d{4}\s*[-—~～至到]\s*\d{4}\s*年"
)
TIME_VALUE = re.compile(
    rf"^(?:于|在|自|从)?(?:{_DATE}(?:\s*[-—~～至到]\s*{_DATE})?|{_OPEN_TIME})"
    r"(?:前|以前|之前|底前|内|起|开始)?"
    r"(?:完成|基本完成|全面完成|建成|建成投用|投入使用|投用|到位|见效|启动|动工|开工|完工|竣工|通车|上线|出台|印发)?"
    r"(?:[，,、]?并?(?:长期坚持|持续推进|持续开展|常态化推进))?$"
)

_COLON = r"\s*[:：]\s*"
_SEPARATORS = "，,；;。 \u3000\t"


def _alternatives(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MODIFIER = r"(?:考核|主要|重点|其他|其它|具体|相关)"
# A unit label is one or two role words and a kind word: 责任单位, 牵头责任单位, 协同配合单位, 牵头负责部门.
_UNIT_LABEL = rf"{_MODIFIER}?(?:{_alternatives(ROLE_WORDS)}){{1,2}}(?:{_alternatives(KIND_WORDS)})"
# A people label: 责任领导, 牵头负责领导, 分管省领导, 项目责任人 …
_PEOPLE_LABEL = (
    r"(?:(?:牵头|分管|主管|包保|协管|项目|具体|主要|联系|责任|负责|挂点|督办)[省市县区局]?){0,2}"
    r"(?:领导|责任人|负责人|联系人)"
)
# A deadline label: 完成时限, 计划完成时间, 时间节点, 整改期限 …
_DEADLINE_LABEL = r"(?:计划|预计|要求)?(?:完成|整改|办结|责任)?(?:时限|期限|时间节点|时间|节点|日期)(?:要求|安排)?"
LABEL = re.compile(
    rf"(?P<label>(?<![\u4e00-\u9fa5])(?:{_PEOPLE_LABEL}|{_DEADLINE_LABEL}|{_alternatives(PEOPLE_LABELS + DEADLINE_LABELS)})"
    rf"|{_UNIT_LABEL}){_COLON}"
)
# ("组织" in "组织部", "组织人事处" is a name, not the verb)
_VERB = re.compile(rf"^(?P<list>.+?)(?P<verb>{_alternatives(v for v, _ in VERBS)})(?!(?<=组织)[部人处科室])(?P<rest>.*)$")
_VERB_ROLE = dict(VERBS)
_MEET = re.compile(
    r"^(?P<lead>.+?)会同(?P<rest>.+?)(?:(?:共同|一起|一道)?(?:负责|落实|推进|实施|开展|组织实施)(?P<tail>.*))?$"
)
# A body's name never starts with a verb: "建成县残疾人综合服务中心" is a project, not a unit.
_STARTS_WITH_VERB = re.compile(
    r"^(?:明确|压实|新建|迁建|建成|建设|开工|启动|改造|改建|扩建|改扩建|完成|实施|打造|创建|争创|推进|推动|开展|加快|"
    r"组织(?![部人])|举办|提升|新增|培育|支持|引导|鼓励|实现|确保|完善|健全|制定|出台|编制|召开|举行|以上|以下|上述|由|"
    r"督导|监督|督促|指导|纳入|列入|融入|并|特别是|其余|[一二三四五六七八九十]是|第[一二三四五六七八九十百\d]+条|"
    r"告知|拟|及|的|与|或|时时|属(?!地)|发动|依靠|提倡|第[一二三四五六七八九十百\d]+[章节]|对(?![外台口]))"
)  # (组织部, 组织人事处 are names; "四是经发局", "第五条公安机关", "并监督客运企业" open sentences)
_NOT_A_NAME = re.compile(
    r"[。；;！？!?“”\"《》:：]|\d{3,}|每[年季月周旬]|[一二三四]季度|上一?年度|\d+[家个所座处]|辖区|(?:加强|推进|推动|开展|建立|成立|完善|落实|实施|组织(?![部人])|做好|确保|完成|提升|强化|"
    r"要求|应当|必须|进一步|积极|全面|深入|严格|按照|根据|通过|以及|其中|对于|关于|负责|牵头|配合|参与|协调|会同|协助|"
    r"(?:要|应|须)(?:与|对|在|把|按|向|同)|(?:部门|单位|局|委|办)对(?![外口])|.本(?:单位|部门|机关)$|(?<!所)在(?!地)|"
    r"^\d+\s*[-—~～]\s*\d|(?:社|机|大|晚|说明|座谈|推进|现场|调度|展销|交流|培训|动员|运动|博览|表彰|茶话|发布|汇报|"
    r"总结|部署|启动|观摩|洽谈|听证|论证|评审)会$|会议室$)"  # "1-3新生健康检查说明会", "公共管理和社会": an event, society; a room  # "有关部门对…收费站",
    # "摸清本单位": a sentence
)


def label_role(label: str) -> str | None:
    """The role a label gives: lead / units / support / people / deadline, or None."""
    label = re.sub(r"\s+", "", to_simplified(label)).rstrip(":：")
    if label in PEOPLE_LABELS or re.fullmatch(_PEOPLE_LABEL, label):
        return "people"
    if label in DEADLINE_LABELS or re.fullmatch(_DEADLINE_LABEL, label):
        return "deadline"
    if not re.fullmatch(_UNIT_LABEL, label):
        return None
    words = re.sub(f"^{_MODIFIER}", "", label)
    roles = [ROLE_WORDS[w] for w in sorted(ROLE_WORDS, key=len, reverse=True) if w in words]
    if "lead" in roles:
        return "lead"  # 牵头单位, 牵头责任单位, 牵头部门
    if "support" in roles:
        return "support"  # 配合单位, 协同责任单位, 主要协作单位
    return "units"


# ---------------------------------------------------------------------------- script


@functools.lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1 and target != parts[0]:
                table[ord(parts[0])] = target
    return table


def to_simplified(text: str) -> str:
    """Traditional characters mapped to simplified ones, one for one (same length, same offsets)."""
    return text.translate(_t2s_table())


# ---------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Duty:
    """What a piece of text says about who does a task and by when."""

    units: tuple[str, ...] = ()  # every responsible body, lead first
    lead_units: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    deadline: str | None = None
    start: int = -1  # span of the duty statement in the text it was read from
    end: int = -1
    scope: str = ""  # "" (this task) | "before" (以上…) | "after" (以下…, inherited)
    source: str = ""  # "clause" (a bracket or closing sentence) | "line" (a label line) | "+"-joined

    def __bool__(self) -> bool:
        return bool(self.units or self.people or self.deadline)

    def merge(self, other: Duty) -> Duty:
        units = tuple(dict.fromkeys(self.units + other.units))
        lead = tuple(dict.fromkeys(self.lead_units + other.lead_units))
        spans = [s for s in (self, other) if s.start >= 0]
        return Duty(
            units=tuple(dict.fromkeys(lead + units)),
            lead_units=lead,
            people=tuple(dict.fromkeys(self.people + other.people)),
            deadline=self.deadline or other.deadline,
            start=min((s.start for s in spans), default=-1),
            end=max((s.end for s in spans), default=-1),
            scope=self.scope or other.scope,
            source="+".join(dict.fromkeys(x for s in (self, other) for x in s.source.split("+") if x)),
        )


# ---------------------------------------------------------------------------- names


def _ends_like_unit(name: str) -> bool:
    name = name.rstrip("*＊★☆△▲#")
    return (name.endswith(UNIT_SUFFIXES) or (name.endswith("系") and len(name) >= 3 and not name.endswith(_NOT_A_FACULTY))
            or (name.endswith(("课", "課")) and len(name) >= 3 and not to_simplified(name).endswith(_NOT_A_SECTION)))


# 课 (課) ends a section of a Taiwan bureau ("行政課", "第一課") but these words too: a lesson, a class
_NOT_A_SECTION = ("上课", "讲课", "授课", "听课", "停课", "补课", "开课", "选课", "备课", "党课", "功课", "网课", "微课",
                  "公开课", "思政课", "体育课")
# 系 ends a college's faculty ("体育系", "中文系") but these words too: a system, a relation
_NOT_A_FACULTY = ("体系", "关系", "联系", "水系", "派系", "菜系", "直系", "星系", "谱系", "母系", "父系", "维系", "干系", "世系", "院系")


_WITH_ALIAS = re.compile(r"(.{2,24}?)[（(]([^（()）]{2,20})[）)]")  # ("各乡(镇、街道)人民政府(办事处)" too)


def is_unit_name(name: str, known: frozenset[str] = frozenset()) -> bool:
    """A body's name by the suffix grammar ("县交通运输局", "各乡镇（街道）"), or one the notice labels."""
    name = to_simplified(name).rstrip("*＊★☆△▲#").lstrip("*＊★☆△▲#")
    if name in known:
        return True
    alias = _WITH_ALIAS.fullmatch(name)  # "区农业农村局(区水利局)": a body and its other name
    if alias and is_unit_name(alias.group(1), known) and (is_unit_name(alias.group(2), known) or _bare_kind(alias.group(2)) and _ends_like_unit(alias.group(2))):
        return True  # (or the kind of body that stands for it elsewhere: "各区(市)县政府(管委会)")
    if _EVERY_VILLAGE.fullmatch(name) or _EVERY_PLACE.fullmatch(name):
        return True
    plain = re.sub(r"“[^“”]{2,10}”(?=[\u4e00-\u9fa5]{2})", "名", name)  # "“门前三包”整治组", "查禁公路“三乱”督察队": a quoted term names the group
    return (
        2 <= len(name) <= 30
        and _ends_like_unit(name)
        and not _bare_kind(name)
        and not _NOT_A_NAME.search(plain)
        and not _starts_with_verb(name)
        and not TIME_VALUE.match(name)
        and not _TIME_LEAD.match(name)
        and not re.search(r"(?<!自)由", name[1:])
        and len(re.findall(r"[（(]", name)) == len(re.findall(r"[）)]", name))  # not "疫区（以疫点为中心": cut off
    )


# "各区", "各县(市、区)", "各乡镇": every place of a level acts through its government
_EVERY_PLACE = re.compile(r"各(?:省|市|县|区|州|旗|乡|镇|乡镇|街道|县区|区县|县市区|市县)(?:[（(][\u4e00-\u9fa5、]{1,8}[）)])?")
# "各村", "各行政村", "各村(居、场)": every village of a township acts through its committee
_EVERY_VILLAGE = re.compile(r"各[\u4e00-\u9fa5]{0,3}村(?:[（(][\u4e00-\u9fa5、]{1,8}[）)])?")


# Suffixes that alone still name one body of the organisation a notice is about ("工会负责安排", "团委负责")
_ONE_BODY = ("工会", "团委", "妇联", "科协", "党委", "党组", "工委")


def _bare_kind(name: str) -> bool:
    """'企业', '政府', '部门' alone name no particular body ("各部门", "县政府" do)."""
    return name in UNIT_SUFFIXES and name not in _ONE_BODY or name in ("单位", "部门", "企业", "政府", "机关", "社区", "学校", "医院") or bool(
        re.fullmatch(r"(?:多|多个|诸多|众多|若干|部分|一些)(?:部门|单位)", name)
    )  # "多部门协同推进": how many, not which


def _starts_with_verb(name: str) -> bool:
    m = _STARTS_WITH_VERB.match(name)
    return m is not None and (len(name) - m.end() >= 3 or m.group(0) in ("以上", "以下", "上述", "由", "及", "的", "与", "或", "拟")
                              or m.group(0) in _NEVER_A_STEM and _bare_kind(name[m.end():]))  # "纳入政府", "发动社区": a verb and its object


# Verbs that never begin a body's name ("建设部门", "监督部门" do begin with verbs)
_NEVER_A_STEM = ("纳入", "列入", "融入", "发动", "依靠", "提倡", "告知", "督促", "引导", "鼓励", "支持")
    # (a name that opens with a time is a sentence too: "10月份市政府", "8月底前时时与…部门")
    # "建设局" is a bureau; "建成县残疾人综合服务中心" a project; "以上工作由X" a sentence


def _labelled_name(name: str) -> bool:
    """What a label's list may hold: any short phrase that is not a sentence or a time."""
    return 2 <= len(name) <= 30 and not _NOT_A_NAME.search(name) and not _starts_with_verb(name) and not TIME_VALUE.match(name)


def _split_top(text: str, separators: str) -> list[str]:
    """Split at separators that are outside brackets ("各县（市、区）人民政府" stays whole)."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch in BRACKETS or ch in "〈《":
            depth += 1
        elif ch in BRACKETS.values() or ch in "〉》":
            depth = max(0, depth - 1)
        if depth == 0 and ch in separators:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


_SHARED_KINDS = ("部门", "单位", "机关")
_SHARED_STEM = re.compile(r"[\u4e00-\u9fa5]{2,6}")


_ROLE_BEFORE_NAME = re.compile(r"^[\u4e00-\u9fa5]{1,10}(?:单位|部门)(?=[省市县区镇乡各].{2,})")


_SHORT_NAME_NOTE = re.compile(r"[（(]\s*(?:以下)?(?:简称|称)[“\"]?[^（）()]{1,12}?[”\"]?\s*[）)]")


def split_units(text: str, known: frozenset[str] = frozenset(), labelled: bool = False) -> list[str]:
    """Unit names in a list ("A、B等部门按职责分工负责", "县交通 运输局、县公安局").

    Spaces inside a name are removed; a space between two names splits them. 和/及/与 split
    only when both sides are names. Returns [] when a part is not a name (labelled lists accept
    any short phrase that is not a sentence).
    """
    text = to_simplified(text).strip(_SEPARATORS + "：:|")  # "| 办公室牵头": a table's cell mark is no part of a name
    text = _SHORT_NAME_NOTE.sub("", text)  # "市防汛防台抗旱指挥部(以下简称市防指)": the name it is called by later
    if text[:1] in "（(" and not re.search(r"[）)]", text):
        text = text[1:]  # "(A、B、C负责" cut from its bracket: the bracket is no part of the list
    topic = _TOPIC_BY.match(text)  # "仪仗队、花束队、引导员由市教育局": a topic, then who does it
    if topic and (after := split_units(text[topic.end():], known, labelled)):
        return after
    text = re.sub(rf"^(?:由|请|均由|即(?=[省市县区各])|{_UNIT_LABEL})\s*", "", text)  # (即: "即县水务局牵头", not 即墨)
    for verb, _ in VERBS:
        if text.endswith(verb):
            text = text[: -len(verb)]
            break
    text = re.sub(r"(?:按职责分工|按职责|分别|共同|具体)$", "", text)
    tail = LIST_TAIL.search(text.strip())
    text = LIST_TAIL.sub("", text.strip())
    parts = _join_levels([p.strip() for p in _split_top(text, "、，,；;/")])
    if tail and tail.group(0).endswith(_SHARED_KINDS):
        # "人保、财政、审计等部门": the list says what its stems are
        known = known | frozenset(p for p in parts if _SHARED_STEM.fullmatch(p) and not _starts_with_verb(p) and not _NOT_A_NAME.search(p))
    if parts and parts[0].startswith("各") and is_unit_name(parts[0], known):
        # "各乡镇、街道和各部门": a kind word listed after "各…" is every body of that kind
        known = known | frozenset(re.split(r"[和及与]", p)[0] for p in parts[1:] if _bare_kind(re.split(r"[和及与]", p)[0]))
    if any(is_unit_name(p, known) for p in parts):  # "相关市、县政府": a place acts through its government
        known = known | frozenset(p for p in parts if _REGION_ACTOR.fullmatch(p))
    if len(parts) > 1 and is_unit_name(parts[-1], known) and parts[-1].endswith(_SHARED_KINDS):
        # "文化、文物部门", "工商、交通运输、公安部门": stems that share the last name's kind word
        known = known | frozenset(p for p in parts[:-1] if _SHARED_STEM.fullmatch(p) and not _starts_with_verb(p) and not _NOT_A_NAME.search(p))
    ok = (lambda n: _labelled_name(n) or is_unit_name(n, known)) if labelled else (lambda n: is_unit_name(n, known))
    out: list[str] = []
    for part in parts:
        pieces = [p for p in re.split(r"\s+", part.strip()) if p]
        if labelled and len(pieces) > 1 and is_unit_name(pieces[0], known) and not all(is_unit_name(p, known) for p in pieces[1:]):
            # "各区政府 鄞州 海曙", "农村办 规划建设办 国土所 村(社区)": the list ends at its last name
            for piece in pieces:
                if not is_unit_name(piece, known):
                    break
                out += [piece] if piece not in out else []
            return out
        for name in _join_spaced(part.strip(), ok):
            for piece in (p for n in _split_conjunction(name, known) for p in _split_run_together(n, known)):
                piece = LIST_TAIL.sub("", piece.strip(" ：:。.|")).strip()
                if piece[:1] in "（(" and not re.search(r"[）)]", piece):
                    piece = piece[1:]  # "(县经贸局负责," cut by a page break: the bracket is no part of the name
                piece = re.sub(r"^(?:联合|会同|协调|督促|指导)(?=.{3,})", "", piece)  # "联合公安交管部门"
                piece = _without_glued_topic(piece, known)
                note = _NOTE_AFTER.fullmatch(piece)  # "本府秘书处(会议管理系统)": a body and what it runs
                if note and is_unit_name(note.group(1), known) and not is_unit_name(note.group(2), known) and not _bare_kind(note.group(2)):
                    piece = note.group(1)
                role = _ROLE_BEFORE_NAME.match(piece)  # "包片单位县气象局": the body's role, then its name
                if role and is_unit_name(piece[role.end():], known):
                    piece = piece[role.end():]
                if not piece:
                    continue
                if not ok(piece):
                    return []
                if piece not in out:
                    out.append(piece)
    return out


_NOTE_AFTER = re.compile(r"(.{2,20}?)[（(]([^（()）、省市县区镇乡村街]{2,20})[）)]")


@functools.lru_cache(maxsize=8192)
def _without_glued_topic(name: str, known: frozenset[str]) -> str:
    """'市场监测市发展和改革局' from "3.1市场监测市发展和改革局负责…": a section's topic (words with a
    verb, no place) run into the name of a city, county or province body. (Asked of every name a
    list holds: the part-of-speech cut runs only when a body's name could start 4 or more characters in.)"""
    if len(name) < 6 or not any(is_unit_name(name[m.start():], known) for m in re.finditer(r"(?<=....)[市县省]", name)):
        return name
    import jieba.posseg

    tokens = list(jieba.posseg.cut(name))
    pos = 0
    for i, token in enumerate(tokens):
        if i and token.word[0] in "市县省":
            prefix = tokens[:i]
            if (pos >= 4 and len(prefix) >= 2 and all(t.flag in ("n", "v", "vn") and len(t.word) > 1 for t in prefix)
                    and not any(t.word.endswith(UNIT_SUFFIXES) for t in prefix)
                    and any(t.flag in ("v", "vn") for t in prefix) and is_unit_name(name[pos:], known)):
                return name[pos:]
            break
        pos += len(token.word)
    return name


def _join_levels(parts: list[str]) -> list[str]:
    """'各市、县(市、区)教育局' is one collective name: the bureaus of every city and county."""
    out: list[str] = []
    for part in parts:
        if out and re.fullmatch(r"(?:各|全)?[省市县区乡镇]", out[-1]) and re.match(r"[省市县区乡镇]", part) and is_unit_name(part):
            out[-1] = f"{out[-1]}、{part}"
        else:
            out.append(part)
    return out


def _join_spaced(part: str, ok) -> list[str]:
    """'市交通局 市公安局' → two names; '县交通 运输局' → one name, rejoined."""
    pieces = [p for p in re.split(r"\s+", part) if p]
    if len(pieces) <= 1:
        return pieces
    if all(ok(p) and _ends_like_unit(p) for p in pieces) and not JOINT_OFFICE.fullmatch("".join(pieces)):
        return pieces
    return ["".join(pieces)]


_REGION_ACTOR = re.compile(r"(?:各|相关|有关)?[\u4e00-\u9fa5]{0,6}(?:市|县|区|州|盟|旗)")
_RUN_TOGETHER = re.compile(r"(?<=[局委办厅院处室股队所站])(?=[省市县区乡镇]|各(?!级|类|项|种|自))")


JOINT_OFFICE = re.compile(r"([省市县区])委\1(?:政府|人民政府)[\u4e00-\u9fa5]{1,8}(?:室|办|办公室|中心|局)")


def _split_run_together(name: str, known: frozenset[str]) -> list[str]:
    """'市国土资源局市农牧林业局' (two names a line break ran together) → both names."""
    for m in _RUN_TOGETHER.finditer(name):
        left, right = name[: m.start()], name[m.start():]
        if JOINT_OFFICE.fullmatch(name) and right.startswith(left[:-1]):
            continue  # "县委县政府督查室": the office of both the county's party committee and its government
        if is_unit_name(left, known) and is_unit_name(right, known) and len(right) >= 3:
            return [left, *_split_run_together(right, known)]
    for k in sorted(known, key=len, reverse=True):
        if name.startswith(k) and name != k and name[len(k):] in known:
            return [k, name[len(k):]]
    return [name]


def _split_conjunction(name: str, known: frozenset[str]) -> list[str]:
    for conj in ("和", "及", "与", "以及"):
        if conj in name:
            left, _, right = name.partition(conj)
            if is_unit_name(left, known) and is_unit_name(right, known):
                return [*_split_conjunction(left, known), *_split_conjunction(right, known)]
    return [name]


# ---------------------------------------------------------------------------- the matcher


_TIME_LEAD = re.compile(TIME_VALUE.pattern.rstrip("$"))


def time_lead(value: str) -> str:
    """A deadline value that goes on after its date keeps only the date:
    "2010年9月15日前完成制定《考核办法》" → "2010年9月15日前完成"."""
    m = _TIME_LEAD.match(value)
    return value[: m.end()] if m and re.search(r"\d", m.group(0)) and len(value) - m.end() >= 4 else value


def _time(value: str) -> str | None:
    value = to_simplified(value).strip(_SEPARATORS + "（）()")
    return value if value and TIME_VALUE.match(re.sub(r"\s+", "", value)) else None


def parse_duty(text: str, known: frozenset[str] = frozenset(), strict: bool = False) -> Duty | None:
    """Read one duty statement: a bracket's content, a label line or a duty sentence.

    Args:
        text: the statement, e.g. "牵头单位：A；配合单位：B" or "A牵头，B配合" or "A、B".
        known: names the notice itself labels as units (accepted without the suffix grammar).
        strict: every part must be a duty part (used for sentences outside brackets).

    Returns:
        The duty, or None when the text is not a duty statement.
    """
    simple = to_simplified(text)
    key = re.match(r"^\s*[\u4e00-\u9fa5]{2,8}[:：]", simple)
    if key and not LABEL.match(simple.strip()):
        simple = simple[key.end():]  # "部门分工：A牵头，B配合", "任务分工：由A负责"
    scope = ""
    m = SCOPE_BEFORE.match(simple)
    if m and m.end() > 0 and simple.lstrip().startswith(("以上", "上述")):
        scope, simple = "before", simple[m.end():]
    labels = list(LABEL.finditer(simple))
    if labels:
        return _labelled(simple, labels, known, scope)
    parts = [p for p in _split_top(simple, "，,；;。") if p.strip(_SEPARATORS)]
    if not parts:
        return None
    duty = Duty(scope=scope)
    for part in parts:
        found = _verb_part(part.strip(_SEPARATORS), known)
        if found is None:
            if strict or not duty:
                return None
            continue  # a remark after the duty ("…负责，并报市政府")
        duty = duty.merge(found)
    if not duty.units and not (duty.deadline and not strict and len(parts) <= 2):
        return None
    return duty


_OTHER_KEY = re.compile(r"(?:^|(?<=[\s，,；;。]))[\u4e00-\u9fa5]{2,8}[:：]")


def _labelled(simple: str, labels: list[re.Match], known: frozenset[str], scope: str) -> Duty | None:
    duty = Duty(scope=scope)
    keys = sorted({m.start() for m in _OTHER_KEY.finditer(simple)} | {m.start() for m in labels})
    for i, m in enumerate(labels):
        end = next((k for k in keys if k > m.start()), len(simple))
        value = simple[m.end():end].strip(_SEPARATORS)
        role = label_role(m.group("label"))
        if role == "deadline":
            duty = duty.merge(Duty(deadline=time_lead(value.strip("。；;")) or None))
        elif role == "people":
            names = tuple(n for n in (p.strip() for p in re.split(r"[、，,；;\s]+", value)) if n)
            duty = duty.merge(Duty(people=names))
        elif role:
            head = value
            tail_verb = _VERB.match(value)
            if tail_verb and _VERB_ROLE.get(tail_verb.group("verb")) and not tail_verb.group("rest").strip(_SEPARATORS):
                head = tail_verb.group("list")
            names = tuple(split_units(head, known, labelled=True))
            if not names:
                # "责任单位：A负责，B配合": a verb sentence behind the label
                inner = parse_duty(value, known)
                if inner:
                    duty = duty.merge(inner)
                continue
            lead = names if role == "lead" else ()
            duty = duty.merge(Duty(units=names, lead_units=lead))
    # text before the first label may itself be a verb form: "A牵头，责任单位：B"
    before = simple[: labels[0].start()].strip(_SEPARATORS)
    if before and not before.startswith("以"):
        found = parse_duty(before, known, strict=True)
        if found:
            duty = found.merge(duty)
    return duty if duty else None


_MANNER = re.compile(r"(?:按照?|依照?|依据)[^，,。；;由]{1,15}?(?=(?:负责|管理|实施|办理)$)")


def _verb_part(part: str, known: frozenset[str]) -> Duty | None:
    """One comma-separated part: a time, "A会同B负责", "由A负责", "A牵头", or a bare list."""
    if not part:
        return None
    when = _time(part)
    if when:
        return Duty(deadline=when)
    if part.startswith("由"):  # "由市公安局交通大队和市城建管理部门按三级马路管理": the manner is no name,
        part = re.sub(r"(?<=.{4})管理$", "负责", _MANNER.sub("", part))  # and what a body manages it is responsible for
    m = _MEET.match(part)
    if m:
        lead = split_units(m.group("lead"), known)
        rest = split_units(m.group("rest"), known)
        if lead and rest and len(m.group("tail") or "") <= 12:
            return Duty(units=tuple(lead + rest), lead_units=tuple(lead))
    m = _VERB.match(part)
    # ("…省工商局共同组成的山西省…协调机制": what they form may be named at length)
    rest_ok = m is not None and (len(m.group("rest")) <= 20 or m.group("rest").startswith("、")
                                 or (m.group("verb").endswith("组成") and m.group("rest").startswith("的")))
    if m and rest_ok:
        names = split_units(m.group("list"), known)
        if names:
            role = _VERB_ROLE[m.group("verb")]
            duty = Duty(units=tuple(names), lead_units=tuple(names) if role == "lead" else ())
            after = m.group("rest")
            more = _verb_part(after[1:].strip(), known) if after.startswith(("、", " ")) else None
            return duty.merge(more) if more and more.units else duty  # "X牵头、Y配合"
    names = split_units(part, known)
    if names and all(_ends_like_unit(n) or n in known for n in names):
        return Duty(units=tuple(names))
    return None


def brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level bracket pair in the text, end exclusive."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
        elif ch in BRACKETS:
            stack.append((i, ch))
        elif stack and (ch == BRACKETS[stack[-1][1]] or (ch in "）)" and stack[-1][1] in "（(")):
            start, _ = stack.pop()
            if not stack:
                spans.append((start, i + 1))
    return spans


def read_duty(text: str, known: frozenset[str] = frozenset()) -> Duty | None:
    """Everything a clause's own text says about who does it and by when.

    Looks at (1) brackets anywhere that hold labels or verb forms, and bare lists of unit
    names that end a sentence; (2) label lines ("责任单位：…") after the task, continuing
    onto the next line; (3) a closing sentence made only of duty parts ("A牵头，B配合。").

    Args:
        text: the clause text as written.
        known: unit names this notice labels somewhere (accepted without the suffix grammar).
    """
    simple = to_simplified(text)
    found: Duty | None = None
    for a, b in brackets(simple):
        inner = INHERIT.sub("", simple[a + 1: b - 1]).strip(_SEPARATORS)
        if not inner:
            continue
        ends = re.match(r"\s*(?:[。；;，,.]|$|\n)", simple[b:]) is not None
        if re.search(r"\d{5,}[-—]?\d*\s*$", simple[:a]):
            continue  # "举报电话4627132(市农牧局畜牧处)": whose telephone number, not who does the task
        duty = parse_duty(inner, known)
        if duty is None or (not duty.units and re.search(r"阶段\s*$", simple[:a])):
            continue  # "检查验收阶段(11月-12月)": a stage's period, not a task's deadline
        has_form = bool(LABEL.search(inner) or _VERB.match(inner) or "会同" in inner or duty.scope)
        if not has_form and not ends:
            continue  # a bare name in mid-sentence is an alias, not a duty
        before = re.split(r"[，,。；;、：:\s]", simple[:a])[-1]
        if not has_form and before and is_unit_name(_ITEM_NO.sub("", before), known):
            continue  # "各镇(街道)人民政府(办事处),": a name's other name, right after it
        own_line = a > 0 and simple[a - 1] == "\n" and (b == len(simple) or simple[b:].lstrip(" 。；;").startswith("\n") or not simple[b:].strip(" 。；;"))
        scope = duty.scope or ("before" if own_line else "")
        duty = Duty(duty.units, duty.lead_units, duty.people, duty.deadline, a, b, scope, "clause")
        found = duty if found is None else found.merge(duty)
    offset = 0
    lines = simple.split("\n")
    inside = [False] * len(simple)
    for a, b in brackets(simple):
        inside[a:b] = [True] * (b - a)
    for i, line in enumerate(lines):
        label = next((m for m in LABEL.finditer(line) if not inside[offset + m.start()]), None)
        if label:
            block, end = line[label.start():].strip(), offset + len(line)
            for nxt in lines[i + 1:]:
                if LABEL.match(nxt.strip()) or not _continues_list(block, nxt.strip(), known):
                    break
                block, end = block + nxt.strip(), end + 1 + len(nxt)
            duty = parse_duty(block, known)
            if duty:
                start = offset + label.start()
                duty = Duty(duty.units, duty.lead_units, duty.people, duty.deadline, start, end, duty.scope, "line")
                found = duty if found is None else found.merge(duty)
        offset += len(line) + 1
    if found is None or not found.units:
        sentence = (_trailing_names(simple, known) or _closing_sentence(simple, known) or _subject(simple, known) or _after_heading(simple, known)
                    or _inline_run(simple, known) or _subject(simple, known, by=True) or _later_subject(simple, known)
                    or _handed_over(simple, known) or _topic_to_body(simple, known))
        if sentence:
            found = sentence if found is None else found.merge(sentence)
    return _one_name_per_body(_undertaker_leads(found, simple, known)) if found else None


def _one_name_per_body(duty: Duty) -> Duty:
    """"由市发改委、市商务局共同管理,发改委牵头": a short name the duty also writes with its place level
    (市发改委) is that body."""
    full = {u: v for u in duty.units for v in duty.units if v != u and v.endswith(u) and v[: -len(u)] in _LEVELS}
    if not full:
        return duty
    units = tuple(dict.fromkeys(full.get(u, u) for u in duty.units))
    lead = tuple(dict.fromkeys(full.get(u, u) for u in duty.lead_units))
    return dataclasses.replace(duty, units=units, lead_units=lead)


_LEVELS = ("省", "市", "县", "区", "州", "镇", "乡", "省级", "市级", "县级", "区级")


_UNDERTAKER = re.compile(r"承办(?:单位|部门)?[:：]\s*([^；;。\n]+?)(?=\s*协办|[；;。\n]|$)|(?:由)?([^，,；;。:：\n]{2,60}?)承办(?![单部])")


def _undertaker_leads(duty: Duty, simple: str, known: frozenset[str]) -> Duty:
    """"由省经贸委承办，省农业厅…协办": beside bodies that assist (协办), the one that undertakes leads,
    as 主办 does."""
    if duty.lead_units or "协办" not in simple:
        return duty
    m = _UNDERTAKER.search(simple)
    names = split_units(m.group(1) or m.group(2), known) if m else []
    lead = tuple(n for n in names if n in duty.units)
    return dataclasses.replace(duty, lead_units=lead) if lead else duty


def _inline_run(simple: str, known: frozenset[str]) -> Duty | None:
    """'（四）公众聚集场所消防安全专项整治，由公安部门负责，有关部门配合。要…' — duty parts between commas."""
    parts = [(m.start(), m.group(0)) for m in re.finditer(r"[^，,；;。\n]+", simple)]
    for i, (start, part) in enumerate(parts):
        numbered = _ITEM_NO.match(part)  # "(一)由省经贸委负责,省农业厅…配合,加快…"
        if numbered:
            start, part = start + numbered.end(), part[numbered.end():]
            parts[i] = (start, part)
        topic = _TOPIC_BY.match(part)  # "④大型文体表演由市文化出版局和大型活动部组织，…配合"
        if topic:
            start, part = start + topic.end(), part[topic.end():]
            parts[i] = (start, part)
        if not part.lstrip().startswith("由"):
            continue
        duty, end = None, start
        for pos, piece in parts[i:]:
            piece = piece[m.end():] if (m := _TOPIC_BY.match(piece)) else piece  # "奖品由组委会宣传部提供"
            found = _verb_part(piece.strip(), known)
            if (not found or not found.units) and duty and piece.strip().startswith("会同"):
                with_ = partners(piece, known)  # "由X牵头,会同Y等部门对…组织验收": X leads, Y takes part
                found = Duty(units=with_, lead_units=duty.units if not duty.lead_units else ()) if with_ else None
            if not found or not found.units:
                break
            duty, end = (found if duty is None else duty.merge(found)), pos + len(piece)
        if duty:
            return Duty(duty.units, duty.lead_units, (), None, start, end, "", "clause")
    return None


# A duty handed to a body: "将城市客运管理职责移交市交通运输局承担", "划归区城管局管理"
_HANDED = re.compile(r"(?:移交给?|交由|交给|划归|划转给?|委托)(?P<list>[^，,。；;：:]{2,40}?)(?:承担|负责|管理|行使|实施|办理)")


def _handed_over(simple: str, known: frozenset[str]) -> Duty | None:
    """A duty the text hands to a body (移交/交由/划归 X 承担/负责): X does it; and a body the text sets up
    for it ("下设市高新区管委会办公室,…,负责高新区日常工作", "於福澳港設分駐(派出)所,負責執行…")."""
    m = _HANDED.search(simple) or _SET_UP_FOR.search(simple)
    names = split_units(m.group("list"), known) if m else []
    if not m or not _bodies(names, known):
        return None
    return Duty(units=tuple(names), start=m.start("list"), end=m.end("list"), source="clause")


# A numbered item that names its topic, a colon, and only the body in charge of it:
# "2. 水災、旱災:工務處。", "(三)户外广告整治:区城管局"
_TOPIC_TO_BODY = re.compile(r"^(?P<topic>[^:：\n]{2,60}?)[:：]\s*(?P<list>[^:：，,。；;\n]{2,40}?)\s*[。；;]?\s*$")


def _topic_to_body(simple: str, known: frozenset[str]) -> Duty | None:
    """A numbered item "topic: body" (the body alone after the colon) gives the topic to that body."""
    item = _ITEM_NO.match(simple)
    if not item:
        return None
    m = _TOPIC_TO_BODY.match(simple[item.end():].strip())
    names = split_units(m.group("list"), known) if m else []
    if not m or not names or not all(is_unit_name(n, known) for n in names) or LABEL.search(m.group(0)):
        return None
    start = item.end() + simple[item.end():].find(m.group("list"))
    return Duty(units=tuple(names), start=start, end=start + len(m.group("list")), source="clause")


_SET_UP_FOR = re.compile(r"(?:下设|设立|设置|增设|(?<![建假开预])设)(?P<list>[^，,。；;：:]{2,30}?)[，,](?:[^，,。；;]{0,12}[，,])?\s*(?:主要|具体)?负责")


# A part that names its topic, then who does it: "场地和所需设施、设备由大型活动部落实" (not 由于, 理由, 自由).
_TOPIC_BY = re.compile(r"^[^由，,。；;]{2,40}?(?<![自缘经])(?<![的有无]理)(?=由(?!于|此|衷))")
_SUBJECT = re.compile(r"^(?P<list>[^，,。；;：:]{2,60}?)(?P<verb>牵头负责|牵头|负责(?!人)|会同)")  # (负责人: a person)
_ITEM_NO = re.compile(
    rf"^\s*(?:{DECIMAL_SECTION}"
    r"|[①-⑳]|[一二三四五六七八九十]+、|[一二三四五六七八九十]{1,3}[ \u3000]+(?=[\u4e00-\u9fa5]{2})|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}\s*(?:、|[.．](?!\d)))\s*"
)
# A task whose subject is its units: "市经贸委：负责…", "8月31日前，市城管局完成…", "规划部门要加强…".
# The subject is a list of unit names (suffix grammar, or names the notice labels) that ends at a
# word boundary and is followed by a colon or by one of these (modal +) action verbs.
SUBJECT_VERBS: tuple[str, ...] = (
    "负责", "牵头", "会同", "完成", "协调", "组织", "开展", "做好", "抓好", "加强", "加快", "推进", "落实",
    "制定", "督促", "指导", "实施", "建立", "承担", "配合", "根据", "按照", "对", "加大", "继续", "严格", "依法",
    "强化", "深化", "规范", "健全", "完善", "协助", "依职责", "与", "向", "贯彻", "执行", "作为", "依据", "依照", "安排",
    "成立", "设立", "参与", "掌理", "分别掌理", "结合", "参照",
)
_SUBJECT_MODAL = r"(?:要|应|应当|须|必须|将|需|要求)?(?:切实|积极|认真|进一步|全面|主动|大力|着力|密切|共同|及时|深入|扎实|统筹|及早|尽快|提前|定期|适时)?"
_LEADING_TIME = re.compile(rf"^(?:{_DATE}(?:\s*[-—~～至到]\s*{_DATE})?|年内|年底)(?:前|以前|之前|底前|内)?\s*[，,]\s*")
# What may open a task before its subject: a time ("8月31日前，"), the task's topic as a short
# sentence of its own ("消毒灭源。"), or the principle it follows ("按属地管理原则，").
_LEAD_IN = re.compile(
    r"^(?:(?:第\s*[一二三四五六七八九十百\d]+\s*条\s*)?本(?:局|府|署|院|处|会|所|部|厅|中心)设(?:置|立)?(?:有)?"  # "(第 3 條)本局設行政課、…分別掌理…": the bodies an organisation sets up
    rf"|{_LEADING_TIME.pattern[1:]}|[\u4e00-\u9fa5、]{{2,12}}。\s*|[\u4e00-\u9fa5、]{{2,14}}(?<!单位|部门|处室|科室|股室)[:：]\s*(?=[省市县区各本])|(?:按|按照|根据|依据|依照|本着)[^，,。；;]{{2,20}}[，,]\s*"
    rf"|(?:[一二三四五六七八九十]是|第\s*[一二三四五六七八九十百\d]+\s*条|同时|另外|此外|首先|其次|最后|即(?=[省市县区各])|请(?=各|[省市县区])|{_DATE}份?(?:前|以前|底前|内)?)[，,]?\s*)"
)  # (and an enumerator, an article number or a time run into the subject: "四是经发局要…", "10月份市政府向…")
# "市工商局为城区菜市场监管工作的市级牵头部门", "…管委会作为属地内菜市场监管工作的责任主体"
_NAMED_ROLE = r"(?:作为|为|是)[^，,。；;：:]{0,24}?(?:牵头|主管|主责|责任|成员|实施|主办|协办|配合|协调|落实)(?:单位|部门|主体|机关|机构)"
_WHEN_CLAUSE = r"(?:(?:分别)?(?:在|于)[^，,。；;：:]{1,24}(?:前|后|期间|之前|之后|时|中)[，,]?\s*)"
_SUBJECT_NEXT = re.compile(
    rf"^\s*(?:[:：]|[，,]\s*(?=(?:要|应|应当|须|必须)[\u4e00-\u9fa5])|{_WHEN_CLAUSE}?{_SUBJECT_MODAL}(?:{_alternatives(SUBJECT_VERBS)})(?!人)|{_NAMED_ROLE}"
    rf"|{_WHEN_CLAUSE}?(?:每[年季月周旬]度?|定期)?(?:要|应|应当|须|必须|需要)(?:逐步|尽快|及时|切实|积极|认真)?[\u4e00-\u9fa5](?<!是)"
    rf"|{_WHEN_CLAUSE}\d{{1,3}}\s*(?:分钟|小时|个?工作日|日|天)内[\u4e00-\u9fa5])"
)  # ("各县区人民政府要成立…", "村级要逐步建立…": after a modal any action)  # "各乡镇、街道和各部门在节假日来临前,要及早安排…": a time between the subject and its verb


def _bodies(names: list[str], known: frozenset[str]) -> bool:
    """A sentence's subject is bodies: every name is one, and none is a phrase ("…提出的目标全部")."""
    every = names[0].startswith("各") if names else False  # "各乡镇、街道": every street office too
    return bool(names) and all((is_unit_name(n, known) or every and _bare_kind(n)) and "的" not in n and len(n) <= 20 for n in names)


SUBJECT_MAX = 120  # a subject may list a dozen bodies: "区劳动保障局、区卫生局、…区红十字会等部门根据…"


_OBJECT_VERB = re.compile(r"\s*(?:协调|督促|督导|监督|指导|要求|组织|动员|引导|帮助|支持)")


_ADDRESSEE = re.compile(r"\s*[:：]\s*(?:\n|$)")  # "各区、县(市)人力社保局、信访局:" alone: whom the notice is sent to


def _subject_names(head: str, known: frozenset[str]) -> tuple[list[str], int]:
    """(names, end) of the longest run of unit names opening `head` that a colon or an action verb follows."""
    span = re.split(r"[，,。；;：:\n]", head[:SUBJECT_MAX])[0]
    if _OBJECT_VERB.match(span):
        return [], 0  # "协调各单位做好…": a sentence whose subject was left out; the bodies are its object
    for end in sorted(_word_ends(span), reverse=True):
        if not _SUBJECT_NEXT.match(head[end:]) or _ADDRESSEE.match(head[end:]):
            continue
        names = split_units(span[:end], known)
        # "新闻宣传、广电部门要…": stems that share the last name's kind are bodies of that kind
        stems = frozenset(n for n in names[:-1] if names[-1].endswith(_SHARED_KINDS) and _SHARED_STEM.fullmatch(n)
                          and not _starts_with_verb(n) and not _NOT_A_NAME.search(n))
        if _bodies(names, known | stems):
            return names, end
    return [], 0


def duty_list_starts(text: str, known: frozenset[str] = frozenset()) -> list[int]:
    """Offsets of the sentences that open with a list of bodies and 负责/牵头 ("市教育局、市卫生局分别负责…")."""
    simple = to_simplified(text)
    starts = []
    for m in re.finditer(r"(?:^|(?<=[。；;\n]))[ \t]*", simple):
        subject = _SUBJECT.match(simple[m.end():])
        if subject and subject.group("verb") != "会同":
            names = split_units(subject.group("list"), known)
            if _bodies(names, known):
                starts.append(m.end())
                continue
        # a line that opens with bodies and a colon: "区委宣传部:制订宣传工作方案…" under "其职责分工为:"
        line_start = m.start() == 0 or simple[m.start() - 1] == "\n"
        colon = re.match(r"([^，,。；;：:\n]{2,30})[:：]\s*\S", simple[m.end():])
        if colon and line_start and _bodies(split_units(colon.group(1), known), known):
            starts.append(m.end())
        elif line_start and _subject_names(simple[m.end():], known)[0]:
            starts.append(m.end())  # a line of its own that opens with bodies and what they do: "财政部门要把…"
    return starts


def _subject(simple: str, known: frozenset[str], by: bool = False) -> Duty | None:
    """'（九）市园林局负责对…修枝。' — a task whose first words are its units and a duty verb; also
    a colon or an action verb after the units, after an opening time ("8月31日前，市城管局完成…").
    Bodies the task says the subject works with ("…会同市公安局完成…") are its partners; then
    the subject leads."""
    head = _ITEM_NO.sub("", simple, count=1)
    start = len(simple) - len(head)
    if head.startswith("由") and not by:
        return None  # "由X负责，Y配合，…": the duty parts between commas first (_inline_run)
    m = _SUBJECT.match(head)
    # (not "区民政局作为主管部门总体负责…": that subject is read below)
    if m and (split_units(m.group("list"), known) or re.search("协助|配合", m.group("list"))):
        names = _listed_subject(m.group("list"), known)
        if not names:
            return None
        following = _following_parts(head[m.end():], names, known)
        # "X负责…综合协调。会同市财政局组织申报…": a later sentence's 会同 partner; then the subject leads
        with_ = tuple(u for u in partners(re.sub(r"^[^。；;]*[。；;]", "", head[m.end():], count=1), known)
                      if u not in (*names, *following)) if re.search(r"[。；;]\s*(?:并)?会同", head[m.end():]) else ()
        # "X会同有关部门负责…", "X负责会同有关部门,…": the partner of the same sentence
        here = re.split(r"[。；;]", head[m.start("verb"):])[0]
        with_ += tuple(u for u in partners(here, known) if u not in (*names, *following, *with_))
        lead = tuple(names) if m.group("verb").startswith("牵头") or m.group("verb") == "会同" or with_ else ()
        return Duty(units=tuple(names) + following + with_, lead_units=lead,
                    start=start, end=start + m.end("list"), source="clause")
    lead_in = _LEAD_IN.match(head)
    if lead_in:
        head, start = head[lead_in.end():], start + lead_in.end()
    names, end = _subject_names(head, known)
    if not names:
        return None
    rest = head[end:]
    with_ = tuple(u for u in partners(rest, known) if u not in names)
    helped = tuple(u for u in partners(rest, known, ("配合", "协助", "协同")) if u not in (*names, *with_))
    # "…，市公安局完成牌证换发工作": another subject opening a later part of the sentence
    others: list[str] = []
    for part in re.split(r"[，,；;]", rest)[1:]:
        if re.match(r"\s*(?:联合|会同|配合|协助|请)", part):
            continue  # "…，配合市公安局做好…": the bodies are what the subject works with (and
            # _subject_names finds none after "协调/督促/指导…": "…，协调新闻单位做好宣传")
        more, _ = _subject_names(re.sub(r"^(?:分别|均|统一)?由", "", part.strip()), known)
        others += [u for u in more if u not in (*names, *with_, *helped, *others)]
    # "市水务部门作为牵头责任单位,负责…" leads too
    lead = tuple(names) if with_ or re.match(r"\s*(?:要|应)?(?:负责)?牵头|\s*(?:作为|为|是)[^，,。；;]{0,24}牵头", rest) else ()
    units = tuple(names) + with_ + helped + tuple(others)
    return Duty(units=units, lead_units=lead, start=start, end=start + end, source="clause")


_PART_START = re.compile(r"(?<=[。；;，,\n])[ \t\u3000]*")


_WITH_OBJECT = re.compile(r"\s*(?:联合|会同|配合|协助|协调|督促|指导|请|与|同|和|向|对|要求|组织|动员|引导|帮助|支持)")


# A later subject is charged with a task, not reported on ("2017年以来,省住建厅贯彻落实…,培育了25个": what it did)
_DONE = re.compile(r"了|已经|已(?!有)")


def _later_subject(simple: str, known: frozenset[str]) -> Duty | None:
    """'(一)考虑到…的实际情况,区交通建设局负责解决水改经费': the subject opens a later part of the
    task's text (after a reason, a topic sentence or "会议强调,要定期调度评估,")."""
    for m in _PART_START.finditer(simple):
        part = simple[m.end():]
        if re.match(r"[^，,。；;：:\n]{2,60}[:：]", part) or _WITH_OBJECT.match(part):
            continue  # "…人民政府,区政府有关部门:为全面…": whom a run-on page addresses, not a subject;
            # "…,联合公安部门开展…": whom the subject works with
        duty = _subject(part, known)
        if duty is not None and not _DONE.search(re.split(r"[。；;\n]", part)[0]) and not re.search(r"以来[，,]\s*$", simple[:m.end()]):
            return dataclasses.replace(duty, start=duty.start + m.end(), end=duty.end + m.end())
    return None


def _listed_subject(text: str, known: frozenset[str]) -> list[str]:
    """The bodies of a subject list; both sides of "X协助Y" ("民宗部门协助城市管理等有关部门负责…")."""
    names = split_units(text, known)
    parts = re.split(r"协助|配合", text, maxsplit=1)
    if not names and len(parts) == 2:
        helper, helped = split_units(parts[0], known), split_units(parts[1], known)
        names = helper + helped if helper and helped else []
    return names


def _following_parts(rest: str, names: list[str], known: frozenset[str]) -> tuple[str, ...]:
    """'X负责，Y、Z配合，加强…': the bodies of the comma parts right after the subject's verb that are
    only a list of bodies and a duty verb."""
    out: list[str] = []
    if rest.startswith("、"):  # "由X牵头、Y、Z共同组成的…协调机制"
        formed = _verb_part(re.split(r"[，,。；;]", rest[1:])[0], known)
        return tuple(u for u in formed.units if u not in names) if formed and _bodies(list(formed.units), known) else ()
    if not re.match(r"\s*[，,]", rest):
        return ()
    for part in re.split(r"[，,]", rest)[1:]:
        m = _VERB.match(part.strip())
        if not m or m.group("rest"):
            break
        more = split_units(m.group("list"), known)
        if not _bodies(more, known):
            break
        out += [u for u in more if u not in (*names, *out)]
    return tuple(out)


_KEY = re.compile(r"^[\u4e00-\u9fa5]{2,6}[:：]\s*")


def _after_heading(simple: str, known: frozenset[str]) -> Duty | None:
    """'3、检查验收阶段(11月-12月)\n市整治工作领导小组对…进行全面检查': a clause that opens with its
    heading line has its subject at the start of the next line."""
    first, newline, body = simple.partition("\n")
    key = _KEY.match(body)  # "2、…有牛皮癣。\n整改要求:由包片单位县气象局负责清除。": a problem, then its fix
    if not newline or len(first) > (80 if key else 40) or (re.search(r"[。；;]", first) and not key):
        return None
    duty = _subject(body[key.end():], known, by=True) if key else _subject(body, known)
    if duty is None:
        return None
    shift = len(first) + 1 + (key.end() if key else 0)
    return dataclasses.replace(duty, start=duty.start + shift, end=duty.end + shift)


_GLUED_TO_MODAL = re.compile(
    "(?:" + "|".join(sorted((re.escape(k) for k in UNIT_SUFFIXES), key=len, reverse=True)) + ")(?=要|应|须|需|将|负责|牵头|会同|配合)"
)


def _word_ends(text: str) -> set[int]:
    """Offsets where a jieba word ends: a name never stops inside a word ("…办上半年组|织")."""
    import jieba

    ends, pos = set(), 0
    for token in jieba.lcut(text):
        pos += len(token)
        ends.add(pos)
    # jieba may glue a name's last character to the modal after it ("督查|室要|根据"): a name ends there too
    ends.update(m.end() for m in _GLUED_TO_MODAL.finditer(text))
    return ends


def partners(text: str, known: frozenset[str] = frozenset(), verbs: tuple[str, ...] = ("会同",)) -> tuple[str, ...]:
    """Bodies a task's own text says its unit works with: "会同市农委、财政局，拟定…", "会同市太湖办上半年组织…"
    (with `verbs` 配合/协助 also the body it assists: "配合文化、文物部门开展…")."""
    out: list[str] = []
    simple = to_simplified(text)
    for m in re.finditer("|".join(verbs), simple):
        span = re.split(r"[，,。；;：:]", simple[m.end(): m.end() + 40])[0]
        for end in sorted(_word_ends(span), reverse=True):  # the longest run of names right after 会同
            names = split_units(span[:end], known)  # (stems sharing the last name's kind pass: "文化、文物部门")
            if names and all(_ends_like_unit(n) or n in known for n in names[-1:]):
                out += [n for n in names if n not in out]
                break
    return tuple(out)


_ARTICLE_NO = re.compile(r"^\s*第\s*[一二三四五六七八九十百零〇\d]+\s*条\s*")
# What a body's heading may add after its name: "区科委工作职责", "县人民政府的主要职责".
_HEADING_DUTY = re.compile(
    r"(?:的)?(?:工作|主要|具体)?(?:职责|责任)(?:任务|分工)?(?:如下|是|为)?$"
    r"|(?:牵头|负责|承担|主办)(?:的)?(?:工作|任务|事项)$"  # "一、县示范区管委会牵头工作(8项)"
    r"|(?:之)?(?:职掌|掌理事项|掌理(?:下列|左列|以下)(?:各)?事项|职掌事项)(?:如下)?$"  # "第 4 條 行政課職掌如下:"
    r"|(?:的)?(?:职责|管辖|工作)范围(?:内)?(?:的?问题)?$"  # "一、属住建局职责范围:" (with its 属 below)
)
_BELONGS = re.compile(r"^(?:属于|属|归)(?=\S{2})")  # "属住建局职责范围", "归凤城镇管辖范围内的问题"
_COUNT_TAIL = re.compile(r"[（(]\s*\d{1,3}\s*(?:项|个|条|件|处|类)\s*[）)]$")  # "(一)鹿城镇(14个)": how many items follow


def heading_units(title: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """A heading that is only the name of a body ("一、市发展和改革委员会", "(1)市林业局。", "第七条 区科委工作职责:"):
    the tasks under it are its."""
    name = _ITEM_NO.sub("", _ARTICLE_NO.sub("", to_simplified(title), count=1), count=1).strip(" ：:︰。")
    bare = _HEADING_DUTY.sub("", _COUNT_TAIL.sub("", name).strip()).strip(" ：:︰")
    name = _BELONGS.sub("", bare) if bare != name else bare
    names = split_units(name, known)
    return tuple(names) if names and all(_ends_like_unit(_ALIAS_TAIL.sub("", n)) or n in known for n in names) else ()


_SUBJECTLESS = re.compile(r"^(?:负责|牵头|配合|协助|协调|承担|组织|指导)")


def heading_leads(title: str) -> bool:
    """The heading names the body that leads the tasks under it ("一、县示范区管委会牵头工作(8项)")."""
    return re.search(r"(?:牵头|主办)(?:的)?(?:工作|任务|事项)$", _COUNT_TAIL.sub("", to_simplified(title)).strip()) is not None


def subjectless_duty(text: str) -> bool:
    """A task that opens with a duty verb and no subject ("1.负责起草…管理办法"): its body is named above."""
    return _SUBJECTLESS.match(_ITEM_NO.sub("", to_simplified(text).strip(), count=1)) is not None


def heading_subject(title: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The subject units of a heading that is a duty sentence ("(一)区民政局作为主管部门总体负责…")."""
    duty = _subject(to_simplified(title), known)
    return duty.units if duty else ()


@functools.lru_cache(maxsize=8192)  # asked of every line, and again of its neighbours
def names_line(line: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """A line that is nothing but unit names ("镇创卫办", "市发改委、市财政局"): a table's unit cell
    printed on a line of its own. () for anything else."""
    simple = to_simplified(line).strip()
    if not simple or len(simple) > 60 or re.search(r"[。；;：:！？!?]", simple) or re.search(_UNIT_LABEL, simple):
        return ()
    names = split_units(simple, known)
    return tuple(names) if names and all(_ends_like_unit(_ALIAS_TAIL.sub("", n)) or n in known or _EVERY_VILLAGE.fullmatch(n) for n in names) else ()


_ALIAS_TAIL = re.compile(r"[（(][^（()）]{2,20}[）)]$")  # "工业和信息化部(工信部)": the name before its other name


_PERSON_CELL = re.compile(r"[\u4e00-\u9fa5]{2,3}")


_RUN_ON_ROW_NO = re.compile(r"^\s*\d{1,2}(?=[\u4e00-\u9fa5])")


def _trailing_names(simple: str, known: frozenset[str]) -> Duty | None:
    """'<task>\n镇创卫办\n各村(居、场)': unit cells printed one per line under their task's cell; and
    a row of a table whose separators were lost, "2服务业增加值…达到40%。市发展改革委各县(市、区)政府、…"
    (index/clean.py splits its rows): the names after its last full stop are its unit cells."""
    if _RUN_ON_ROW_NO.match(simple) and "\n" not in simple.strip():
        cell = re.split(r"[。；;]", simple.rstrip("。；; "))[-1]
        cells = split_units(cell, known) if cell != simple.strip() else []
        if cells and all("的" not in n and len(n) <= 30 for n in cells):
            start = simple.rindex(cell)
            return Duty(tuple(cells), (), (), None, start, start + len(cell), "", "table")
    lines = simple.rstrip("\n").split("\n")
    found: list[str] = []
    k = len(lines)
    while k > 2 and _PERSON_CELL.fullmatch(lines[k - 1].strip()) and names_line(lines[k - 2], known):
        k -= 1  # "…\n镇创卫办\n林玉铭": a person column after the unit column
    end = len("\n".join(lines[:k]))
    while k > 1 and (names := names_line(lines[k - 1], known)):
        found[:0] = list(names)
        k -= 1
    if not found or k == len(lines):
        return None
    start = len("\n".join(lines[:k])) + 1
    return Duty(tuple(dict.fromkeys(found)), (), (), None, start, end, "", "line")


def _continues_list(block: str, nxt: str, known: frozenset[str]) -> bool:
    """A label block broken over lines: the block ends with a separator or the next line is names only."""
    if not nxt or re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])", nxt):
        return False
    if block.endswith(("、", "，", ",", "：", ":")):
        return True
    names = split_units(nxt, known)
    return bool(names) and all(_ends_like_unit(n) for n in names)


def _names_key(key: str, known: frozenset[str]) -> bool:
    """'市经贸委:' — the key before a colon is itself a body's name."""
    names = split_units(key.rstrip(":："), known)
    return bool(names) and all(is_unit_name(n, known) for n in names)


def _closing_sentence(simple: str, known: frozenset[str]) -> Duty | None:
    """'…。市交通运输局牵头，市公安局配合。' — the last sentence, when it is only duty parts."""
    body = simple.rstrip(_SEPARATORS + "\n")
    cut = max(body.rfind("。", 0, len(body) - 1), body.rfind("\n"), body.rfind("；", 0, len(body) - 1))
    sentence = body[cut + 1:]  # cut == -1: the text is one sentence ("以上工作由X负责。")
    if cut < 0:
        numbered = _ITEM_NO.match(sentence)
        cut = numbered.end() - 1 if numbered else cut
        sentence = sentence[numbered.end():] if numbered else sentence
    if not sentence.strip() or len(sentence) > 80 or _ADDRESSEE.search(sentence):
        return None  # "各区、县(市)人力社保局、信访局:": whom the notice is sent to
    if cut >= 0 and re.match(r"\s*(?:并)?(?:会同|协同|联合|配合|协助)", sentence):
        return None  # "…负责综合协调。会同市财政局组织申报…": the bodies the earlier subject works with
    key = _OTHER_KEY.match(sentence.strip())
    if (key and not LABEL.match(sentence.strip()) and not _names_key(key.group(0), known)
            and not _VERB.match(sentence.strip()[key.end():])):
        return None  # "抄送:市交通运输局": a distribution list, not who does the task ("部门分工:X牵头" is)
    duty = parse_duty(sentence, known, strict=True)
    if not duty or not duty.units:
        return None
    start = cut + 1 + (len(sentence) - len(sentence.lstrip()))
    return Duty(duty.units, duty.lead_units, duty.people, duty.deadline, start, len(body), duty.scope, "clause")


# ---------------------------------------------------------------------------- notice-wide forms


def inherited_note(text: str) -> str:
    """The sentence (as written) that assigns units to every later task, or ""."""
    m = INHERIT.search(to_simplified(text))
    return text[m.start(): m.end()] if m else ""


def inherited_units(text: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Units a sentence assigns to every later task ("以下均需X、Y落实,不再列出")."""
    m = INHERIT.search(to_simplified(text))
    return tuple(split_units(m.group(1), known, labelled=True)) if m else ()


LEAD_MARK = re.compile(r"[加标带有注]\s*([*＊★☆△▲#])\s*号?\s*(?:的|者)?(?:单位|部门)?\s*(?:为|是)\s*(?:牵头|主办|主责)")


def lead_marker(text: str) -> str | None:
    """The mark a notice puts on lead units ("加*号为牵头部门" → "*"), or None."""
    m = LEAD_MARK.search(to_simplified(text))
    return m.group(1) if m else None


_MARKS = "*＊★☆△▲#"
_ONE_MARK = re.compile(rf"^[{_MARKS}](?=[^{_MARKS}])|(?<=[^{_MARKS}])[{_MARKS}]$")


def _unmarked(name: str) -> str:
    """'*区城管局' → '区城管局'; a masked name ('****管理局') keeps its stars."""
    return _ONE_MARK.sub("", name)


def apply_marker(units: tuple[str, ...], lead: tuple[str, ...], mark: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names carrying the lead mark lead; the mark is dropped from the name. Without a mark the
    notice defines, a mark is only decoration ("*区城管局" with no rule saying what * means): dropped."""
    if not mark or not any(mark in u for u in units):
        return tuple(dict.fromkeys(map(_unmarked, units))), tuple(dict.fromkeys(map(_unmarked, lead)))
    clean = tuple(u.replace(mark, "").strip() for u in units)
    marked = tuple(u.replace(mark, "").strip() for u in units if mark in u)
    return clean, tuple(dict.fromkeys(marked + tuple(x.replace(mark, "") for x in lead)))


def has_order_rule(text: str) -> bool:
    """The notice says the first unit of every list leads ("列在第一位的为牵头单位")."""
    return ORDER_RULE.search(re.sub(r"\s+", "", to_simplified(text))) is not None


def labelled_names(text: str) -> frozenset[str]:
    """Unit names the notice itself puts after a unit label: accepted elsewhere in the notice."""
    names: set[str] = set()
    simple = to_simplified(text)
    for m in LABEL.finditer(simple):
        if label_role(m.group("label")) not in ("lead", "units", "support"):
            continue
        value = re.split(r"[）)】\]〕\n]|" + LABEL.pattern, simple[m.end(): m.end() + 120])[0]
        names.update(n for n in split_units(value, labelled=True) if len(n) <= 20)
    for m in _DEFINES_SHORT_NAME.finditer(simple):  # "市防汛防台抗旱指挥部(以下简称市防指)": 市防指 names it later
        if is_unit_name(_ARTICLE_NO.sub("", m.group("name"))) and 2 <= len(m.group("short")) <= 8:
            names.add(m.group("short"))
    for m in _SETS_UP.finditer(simple):  # "本局設行政課、經濟課…及分駐(派出)所分別掌理…": the bodies it sets up
        value = re.sub(r"\s+", "", re.split(r"[，,。；;：:]|分别|负责|掌理|承担", m.group(1))[0])
        value = re.sub(r"[及和](?=[^、]*$)", "、", value)  # "…、保安警察隊及分駐(派出)所"
        names.update(n for n in split_units(value, labelled=True) if len(n) <= 12)
    return frozenset(names)


_DEFINES_SHORT_NAME = re.compile(
    r"(?P<name>[\u4e00-\u9fa5]{3,24})[（(]\s*(?:以下)?简称[“\"]?(?P<short>[\u4e00-\u9fa5]{2,8})[”\"]?\s*[）)]"
)
# An organisation's rules name the bodies it is made of: "本局設行政課、經濟課…", "局机关内设办公室、…"
_SETS_UP = re.compile(r"(?:本(?:局|府|署|院|处|会|所|部|厅|中心)|内)设(?:置|立)?(?:有|下列)?([^。；;]{4,200})")


# ---------------------------------------------------------------------------- compatibility


@dataclass(frozen=True)
class UnitMention:
    units: tuple[str, ...]
    lead_units: tuple[str, ...]
    start: int


def extract_units(clause_text: str) -> UnitMention | None:
    """Units named in a clause (lead first) and where the statement starts, or None."""
    duty = read_duty(clause_text)
    if not duty or not duty.units:
        return None
    return UnitMention(units=duty.units, lead_units=duty.lead_units, start=duty.start)
