"""Text helpers shared by intent, ranking and refusal: years, places and content words.

One owner per concept: the year pattern, the place list (rag/data/places.txt) and the generic
words (rag/data/generic.txt) live here and nowhere else.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.clean import numeral_value
from rag.thesaurus import THESAURUS
from rag.wordlists import words

YEAR = re.compile(r"((?:19|20)\d{2})\s*年")  # group 1: the year's digits ("2024 年" → "2024")
PLACES: tuple[str, ...] = tuple(words("places"))
GENERIC: frozenset[str] = frozenset(words("generic"))

_QWORDS = re.compile(
    r"由谁负责|谁负责|由谁|谁来|谁管|归谁管|归哪个|哪个|哪些|什么|多少|是否|怎么样|怎么|如何|怎样|有何|请问|"
    r"在这几份文件里|这几份文件|几份文件|文件里|文件中|分别是|分别|各地|那么|这个|这项|这些|那个|找谁|现在|目前|"
    r"部门|单位|股室|处室|要求的|要求|规定|目标|情况|一下|吗|呢|吧|啊|啥|得|搞到|要做|做些|都"
)


# An ordinal stage, batch or step ("第三阶段", "首批", "第2期") and a five-year plan ("十二五").
_ORDINAL = re.compile(r"(?:第\s*([一二三四五六七八九十\d]{1,3})|首)\s*(批|阶段|步|期|轮|季度|届)")
_PLAN = re.compile(r"(十[一二三四五六七八九]|[二三四五六七八九]?十?[一二三四五六七八九])五(?=规划|期间|时期|末|计划|”|\"|’|')")
def ordinals_in(text: str) -> set[str]:
    """The ordinal stages a text names, in one spelling ("首批" and "第一批" → "第1批"), and its
    five-year plans ("十二五")."""
    found = {f"第{numeral_value(m.group(1)) if m.group(1) else 1}{m.group(2)}" for m in _ORDINAL.finditer(text)}
    return found | {f"{m.group(1)}五" for m in _PLAN.finditer(text)}


def is_ordinal(word: str) -> bool:
    """The word is an ordinal stage or batch ("第一批", "首批")."""
    return _ORDINAL.fullmatch(word) is not None


def years_in(text: str) -> list[str]:
    """The years a text names ("2024年", "2024 年"), as digit strings in order."""
    return YEAR.findall(text)


def year_mentions(text: str) -> list[str]:
    """The year mentions of a text as written ("2030年", "2030 年"), in order."""
    return [m.group(0) for m in YEAR.finditer(text)]


def without_years(text: str, replacement: str = "") -> str:
    """The text with every year mention ("2024年") replaced."""
    return YEAR.sub(replacement, text)


def places_in(text: str) -> list[str]:
    """The places of rag/data/places.txt a text names; a longer name wins ("吉林市" over "吉林")."""
    return list(_places_in(text))


@lru_cache(maxsize=8192)  # asked of the same question many times while it is answered
def _places_in(text: str) -> tuple[str, ...]:
    found = [p for p in PLACES if p in text]
    return tuple(p for p in found if not any(p != q and p in q for q in found))


# A question opening with the notice it asks about: "…中，" / "…里，", or a document's name (its kind
# word last) before 里/中 or a comma: "官渡区稳增长措施里提高土地审批效率…", "清远粮食应急那份预案，…"
_NOTICE_KIND = r"(?:方案|意见|通知|措施|办法|规定|要点|预案|清单|计划|规划|纪要|报告|分工|细则|制度|条例|通告|通报|表|责任书)"
_IN_NOTICE = re.compile(rf"^(.{{4,60}}?)(?:中|里|里面|当中)[，,]|^(.{{2,40}}?{_NOTICE_KIND})(?:中|里|里面|当中|[，,])")


def notice_named(question: str) -> str:
    """The notice a question names before its task ("清远市粮食应急预案中，建立…由哪个单位牵头" →
    "清远市粮食应急预案"), or ""."""
    m = _IN_NOTICE.match(question)
    return (m.group(1) or m.group(2)) if m else ""


def strip_question_words(question: str) -> str:
    """The question without question words (谁负责, 哪些, 多少 …) and generic nouns (部门, 要求 …)."""
    return _QWORDS.sub("", question)


def content_words(question: str) -> list[str]:
    """The question's content words: jieba tokens without question words, places and years."""
    from rag.lexical import tokenize

    q = without_years(question)
    for place in places_in(q):
        q = q.replace(place, " ")
    return [t for t in tokenize(strip_question_words(q)) if len(t) >= 2 and t not in GENERIC]


@lru_cache(maxsize=4096)
def _names_a_body(word: str) -> bool:
    """(asked for every question word against every clause: the suffix grammar runs once per word)"""
    from index.units import is_unit_name

    return is_unit_name(word)


def alt_in(word: str, body: str) -> bool:
    """The notices' term for an everyday word is in the text (灰尘 → 扬尘), or the full name of a body the
    word abbreviates (区卫健局 → 区卫生健康局)."""
    if any(term in body for term in THESAURUS.get(word, "").split()) or abbreviates(word, body):
        return True
    if "、" in body and len(word) >= 3 and word in body.replace("、", ""):
        return True  # "猪牛羊肉" written as a list: "猪、牛、羊肉"
    plan = _FIVE_YEAR.fullmatch(word)  # "十一五": the eleventh five-year plan, "第十一个五年规划"
    return plan is not None and f"第{plan.group(1)}个五年" in body


_FIVE_YEAR = re.compile(r"(十[一二三四五六七八九]?)五(?:规划|期间|时期)?")


def abbreviates(word: str, body: str) -> bool:
    """`word` is a body's short name ("区卫健局", "市发改委") and `body` writes it in full: its characters
    in order, a few apart, with the same first and last one (区卫生健康局, 市发展和改革委员会)."""
    if not 3 <= len(word) <= 8 or not _names_a_body(word):
        return False
    pattern = ".{0,4}?".join(re.escape(ch) for ch in word)
    return any(len(m.group(0)) > len(word) for m in re.finditer(pattern, body))
