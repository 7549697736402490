"""The refusal policy: why the corpus cannot answer a question, or None when it can.

A question is refused when
- it names a place the notices never mention (北京、上海…), or a year no retrieved clause is
  about (the notices cover 2024/2025: "2023年吉林…目标" is refused, not answered with 2024's);
- it asks for an amount per unit ("每辆") or a measure ("…是多少") that no top clause states
  ("农村公路新建里程");
- neither leg finds real support: the question's content words are mostly absent from the best
  clauses (lexical coverage) and the dense similarity is low.
"""

from __future__ import annotations

import os
import re

from index.units import is_unit_name, to_simplified
from rag.intent import Question
from rag.ranking import coverage_of
from rag.retrieve import IndexView
from rag.scope import notice_places, notice_text, place_stem, question_places
from rag.text import GENERIC, PLACES, alt_in, content_words, is_ordinal, notice_named, ordinals_in, places_in, without_years, years_in
from rag.types import Hit

COVERAGE_MIN = float(os.environ.get("RAG_COVERAGE_MIN", "0.34"))
"""Refuse when the best top-3 clause has less than this share of the question's content words
(and DENSE_MIN fails too). Calibrated on eval/questions.jsonl with DENSE_MIN by a grid search
maximising refusal recall minus twice the false-refusal rate (README "How answers are grounded")."""
DENSE_MIN = float(os.environ.get("RAG_DENSE_MIN", "0.42"))
"""Refuse when the best top-3 dense similarity is below this (and COVERAGE_MIN fails too).
Calibrated with COVERAGE_MIN by the same grid search."""
UNKNOWN_PLACE_UNLABELLED = os.environ.get("RAG_UNKNOWN_PLACE_UNLABELLED", "1") == "1"
"""A place no notice names may still be the place of a notice that names no place at all (a page saved
without its header, "我市…"): such a notice's clauses may answer, under the other rules."""
UNKNOWN_PLACE_COVERAGE = float(os.environ.get("RAG_UNKNOWN_PLACE_COVERAGE", "1.0"))
"""When the question names a place no notice names and the answer would come from a notice that names
no place, the clause must hold this share of the question's content words (or pass DENSE_MIN):
"今天武汉天气怎么样" is not answered from a forest-fire clause that says 天气预报. Chosen on the dev split."""
YEARLESS_TEXT = os.environ.get("RAG_YEARLESS_TEXT", "1") == "1"
"""A notice with no year of its own is about the years its text names. Chosen on the dev split."""
SUPPORT_IN_PLACE = os.environ.get("RAG_SUPPORT_IN_PLACE", "1") == "1"
"""A question that names one place is supported only by clauses of notices about that place. Chosen on
the dev split of eval/real/."""
TOP = 3  # the clauses an answer would be taken from: support is looked for among them

# A question for a person by title ("局长是谁", "联系人叫什么"): notices name units, seldom people.
_TITLE = r"(?:[局股处科厅部室县市区镇乡]长|(?:副|总)?组长|(?:副)?总指挥|指挥长|(?:总)?河长|主任|书记|负责人|联系人|责任人)"
_PERSON = re.compile(rf"({_TITLE})(?:是谁|叫什么|是哪位|由谁(?:来)?(?:担任|兼任|出任|当)|谁来当|谁当)|由谁(?:来)?(?:担任|兼任|任)({_TITLE})")
# A request to write something ("帮我写一段森林防火的宣传标语", "写一首诗"): the assistant answers from
# the notices, it does not compose.
_COMPOSE = re.compile(r"^(?:请|帮我|给我|替我|麻烦你?|能不能帮我|可以帮我)?(?:写|编写|拟写|起草|生成|翻译|创作|作)(?:一|个|段|首|篇|份|下|几|些)")
_PER_UNIT = re.compile(r"每(?:艘|辆|台|人|户|家|个|吨|公里|平方米|千瓦时|座|条)")
_MEASURE = re.compile(r"([\u4e00-\u9fa5A-Za-z0-9]{2,12}?)(?:是|有|为|达到|要达到|能达到|要到|要)?(?:多少|几)")


def refusal_reason(q: Question, hits: list[Hit], view: IndexView) -> str | None:
    """Why the corpus cannot answer this question (for logs and `Answer.verification`), or None."""
    if _COMPOSE.match(q.text.strip()):
        return "a request to write text, not a question the notices answer"
    if not hits:
        return "no clause matches"
    covered = places_covered(view)
    unlabelled = placeless_notices(view)
    unknown = [p for p in places_in(q.search_text) if p not in covered]
    for place in unknown:
        if not UNKNOWN_PLACE_UNLABELLED or not any(h.metadata["doc_id"] in unlabelled for h in hits[:TOP]):
            return f"the notices do not cover {place}"
    top = hits[:TOP]
    asked_places = question_places(q.text, view)
    for place in asked_places:
        if not any(_mentions(view, h, place) for h in hits):
            return f"no retrieved clause is about {place}"
    years = sorted(set(years_in(q.text)))
    # a question about two places' notices ("广东省2002年…和成都市…中") may date only one of them
    dated = hits if len(set(places_in(q.search_text))) >= 2 else top
    if len(years) == 1 and not any(_about_year(view, h, years[0]) for h in dated):
        return f"no retrieved clause is about {years[0]}"
    missing_years = [y for y in years if len(years) > 1 and not any(_about_year(view, h, y) for h in hits)]
    if missing_years:  # "2017年和2019年…": each year in some retrieved clause
        return f"no retrieved clause is about {'/'.join(missing_years)}"
    person = _PERSON.search(q.text)
    title = person and (person.group(1) or person.group(2))
    if title and not any(h.metadata.get("people") or title in to_simplified(h.text) for h in top):
        return f"no clause names the {title}"
    here = hits
    if SUPPORT_IN_PLACE and len(asked_places) == 1:
        # the words must be stated where the place is: "将乐县…森林覆盖率" is not answered because
        # another county's clause states 森林覆盖率 while 将乐县's notice does not
        # (a notice that names the place, when some top clause's does; else one that may be about it)
        named = [h for h in hits if asked_places[0] in notice_text(view, h.metadata["doc_id"])]
        if any(h in named for h in top):
            top, here = named[:TOP], named
    per = _PER_UNIT.search(q.text)
    if per and not any(per.group(0) in to_simplified(h.text) for h in top):  # ("每個鄉鎮")
        return f"no clause states an amount {per.group(0)}"
    quoted = _missing_quote(q, top)
    if quoted:
        return f"no top clause has “{quoted}”"
    ordinal = _missing_ordinal(q, top)
    if ordinal:
        return f"the clauses do not state {ordinal}"
    missing = _missing_measure(q, top, view)
    if missing:
        return f"the clauses do not state {missing}"
    number = _missing_number(q, here, view)
    if number:
        return f"no retrieved notice states {number}"
    rare = _missing_specific(q, top, view, everywhere=here)
    if rare:
        return f"no top clause has {rare}"
    cover = max(coverage_of(q.search_text, h) for h in top)
    dense = max(h.dense for h in top)
    if cover < COVERAGE_MIN and dense < DENSE_MIN:
        return f"weak support (coverage {cover:.2f}, dense {dense:.2f})"
    if unknown and cover < UNKNOWN_PLACE_COVERAGE and dense < DENSE_MIN:
        # a place no notice names, answered from a notice that names none: only on strong support
        return f"weak support for {unknown[0]} (coverage {cover:.2f}, dense {dense:.2f})"
    return None


# A count or amount the question states ("28台锅炉", "3号泡", "6座"): the notice it is asked about must state it
_COUNT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:万|亿)?(?:台|个|项|家|座|公里|千米|米|辆|户|所|处|条|吨|亩|件|元|平方米|号|批|次|天|%)")


def _missing_number(q: Question, hits: list[Hit], view: IndexView) -> str | None:
    """A count the question states that no notice of a retrieved clause states anywhere."""
    if not NUMBERS_IN_NOTICE or q.followup:
        return None
    texts = [re.sub(r"\s+", "", notice_text(view, d)) for d in dict.fromkeys(h.metadata["doc_id"] for h in hits)]
    for m in _COUNT.finditer(to_simplified(q.text)):
        number = re.sub(r"\s+", "", m.group(0))
        if not any(re.search(rf"(?<![\d.]){re.escape(number)}", t) for t in texts):
            return number
    return None


NUMBERS_IN_NOTICE = os.environ.get("RAG_NUMBERS_IN_NOTICE", "1") == "1"
"""A count or amount the question states must be in the notice of a retrieved clause. Chosen on the
dev split of eval/real/."""


def clause_body(hit: Hit) -> str:
    """What a clause says, as the refusal rules look for a word in it: its notice's title, its
    section, its text and its units (a table row's units need not be in its text), simplified and
    without spaces ("县交通 运输局")."""
    meta = hit.metadata
    units = "、".join(meta.get("units") or [])
    return re.sub(r"\s+", "", to_simplified(f"{meta.get('doc_title', '')}{meta.get('section', '')}{hit.text}{units}")).lower()


_PUNCT = re.compile(r"[\s、，,。.；;：:！!？?“”\"'‘’（）()]")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{4,30})[”\"」』]")


def _missing_quote(q: Question, top: list[Hit]) -> str | None:
    """A phrase the question quotes (“围绕提质增效抓好政策解读”: a task's or a project's name) that no
    top clause has: the question names something the notice does not."""
    for phrase in _QUOTED.findall(q.text):
        # its parts, in any punctuation: "深入推进河长制、落实长江十年禁渔" quotes "深入推进河长制,加大…,落实长江“十年禁渔”"
        parts = [_PUNCT.sub("", p) for p in re.split(r"[、，,；;]", to_simplified(phrase).lower())]
        parts = [p for p in parts if len(p) >= 2]
        bodies = [_PUNCT.sub("", clause_body(h)) for h in top]
        if bodies and parts and not any(all(p in body for p in parts) for body in bodies):
            return phrase
    return None


def _missing_ordinal(q: Question, top: list[Hit]) -> str | None:
    """An ordinal stage or five-year plan the question asks about ("第三阶段", "十二五") that no top
    clause states: the notice gives another stage, or none ("第一批" and "首批" are one)."""
    stated = set().union(*(ordinals_in(clause_body(h)) for h in top)) if top else set()
    missing = sorted(ordinals_in(to_simplified(q.search_text)) - stated)
    return "/".join(missing) if missing else None


def placeless_notices(view: IndexView) -> set[str]:
    """Notices that name no place at all, neither in their identity nor in their text ("我市…",
    "首都…"): computed once per index generation. A notice whose text names 山西 is about 山西."""
    cached: set[str] | None = getattr(view, "_placeless", None)
    if cached is None:
        cached = {d for d, names in notice_places(view).items() if not names and not places_in(notice_text(view, d))}
        view._placeless = cached  # type: ignore[attr-defined]
    return cached


def _mentions(view: IndexView, hit: Hit, place: str) -> bool:
    """The clause's notice may be about `place`: its identity or one of its clauses names it, or
    its identity names no place at all (a page saved without its header: "区人民政府办公室")."""
    doc = hit.metadata["doc_id"]
    return place in notice_text(view, doc) or not notice_places(view).get(doc)


def _about_year(view: IndexView, hit: Hit, year: str) -> bool:
    """The clause, its notice's title or section, or its notice's year or date is about `year`; or
    its notice has no year of its own (no date, number or title year) and its text names `year`
    (a page saved without its header: "2014年市政府民生实事项目共有42项任务…")."""
    meta = hit.metadata
    where = f"{meta.get('doc_title', '')}{meta.get('section', '')}{meta.get('date') or ''}{hit.text}"
    if meta.get("year") == int(year) or year in where:
        return True
    return YEARLESS_TEXT and meta.get("year") is None and f"{year}年" in notice_text(view, meta["doc_id"])


def _corpus_text(view: IndexView) -> str:
    """Every notice's title and region and every clause's text, computed once per index generation."""
    cached: str | None = getattr(view, "_corpus_text", None)
    if cached is None:
        titles = {m["doc_id"]: m.get("doc_title", "") + (m.get("region") or "") for m in view.metas}
        cached = to_simplified("\n".join(list(titles.values()) + [m["text"] for m in view.metas])).lower()
        view._corpus_text = cached  # type: ignore[attr-defined]
    return cached


def places_covered(view: IndexView) -> set[str]:
    """The places the notices mention anywhere, computed once per index generation."""
    cached: set[str] | None = getattr(view, "_places_covered", None)
    if cached is None:
        corpus = _corpus_text(view)
        cached = {p for p in PLACES if p in corpus}
        view._places_covered = cached  # type: ignore[attr-defined]
    return cached


SPECIFIC_DF = float(os.environ.get("RAG_SPECIFIC_DF", "0.01"))
"""A content word in at most this share of the clauses is specific (加氢站, 高层次人才): a question
with one is refused when no top clause has it. Fitted on the dev split of eval/real/."""


SPECIFIC_LEN = int(os.environ.get("RAG_SPECIFIC_LEN", "3"))
"""Only words of at least this many characters count as specific: two-character words are too
often phrasing (节点, 注意, 不同). Fitted on the dev split of eval/real/."""


SPECIFIC_SKIP = tuple(os.environ.get("RAG_SPECIFIC_SKIP", "tasks across").split())
"""Intents the specific-word rule does not apply to: a unit's task list is a lookup, and a question across
notices names a topic several clauses share. (Who-questions are checked at notice level: NOTICE_LEVEL.)
Chosen on the dev split of eval/real/."""


NOTICE_LEVEL = tuple(os.environ.get("RAG_SPECIFIC_NOTICE_LEVEL", "who").split())
"""Intents whose specific word is looked for in the whole notice of a top clause, not in the clause.
Chosen on the dev split of eval/real/."""


def _missing_specific(q: Question, top: list[Hit], view: IndexView, skip: tuple[str, ...] = SPECIFIC_SKIP,
                      notice_level: tuple[str, ...] = NOTICE_LEVEL, everywhere: list[Hit] | None = None) -> str | None:
    """The question's most specific word (rarest in the corpus, and rare) when no top clause has it."""
    if q.followup or q.intent in skip:
        return None
    df = view.lexical.df
    n = max(len(view.metas), 1)
    places = question_places(q.text, view)
    words = [w for w in content_words(q.search_text)  # (an ordinal is _missing_ordinal's: 第一批 = 首批)
             if len(w) >= SPECIFIC_LEN and 0 < df.get(w, 0) <= SPECIFIC_DF * n and not is_ordinal(w)
             and not any(w in p or p in w for p in places)]
    if q.intent in notice_level:
        # a who-question names its task in its own words: the clause need not repeat them, but the
        # notice must have the question's most specific word somewhere ("信鸽" in a bird-flu plan)
        named = notice_named(q.text)
        words = [w for w in words if w not in named and not _names_a_body_or_place(w)]
        if not words:
            return None
        rarest = min(words, key=lambda w: df[w])
        docs = dict.fromkeys(h.metadata["doc_id"] for h in (everywhere or top))
        texts = [notice_text(view, d).lower() for d in docs]
        pieces, near = _pieces(rarest), _near_pieces(rarest)  # "政协提案" written "政协委员提案"
        if any(rarest in t or alt_in(rarest, t) or (pieces and all(p in t for p in pieces)) or (near and near.search(t))
               for t in texts):
            return None
        return rarest
    if not words:
        return None
    rarest = min(words, key=lambda w: df[w])
    if NAMES_IN_NOTICE and _names_a_body_or_place(rarest):
        # "官渡区…", "自然资源局…": a name the question sets the task in; its notice must name it
        # (its identity or any clause), the clause itself need not
        stem = place_stem(rarest)
        if any(stem in notice_text(view, h.metadata["doc_id"]).lower() for h in top):  # already simplified
            return None
    pieces = _pieces(rarest)
    for hit in top:
        body = clause_body(hit)
        if rarest in body or alt_in(rarest, body):
            return None
        if SPECIFIC_PIECES and pieces and all(p in body for p in pieces):
            return None  # "县民生实事", "学校食堂": a compound the text writes apart ("县…民生实事")
    return rarest


SPECIFIC_PIECES = os.environ.get("RAG_SPECIFIC_PIECES", "1") == "1"
"""A specific word the clause does not have whole counts as present when its parts (jieba's plain cut,
two characters or more each) all are. Chosen on the dev split of eval/real/."""


def _near_pieces(word: str) -> re.Pattern | None:
    """The word's two halves (jieba's search cut) in order, a few characters apart at most, or None."""
    import jieba

    parts = [p for p in jieba.cut_for_search(word) if 2 <= len(p) < len(word)]
    for i, first in enumerate(parts):
        for second in parts[i + 1:]:
            if word == first + second:
                return re.compile(re.escape(first) + f".{{0,{PIECES_GAP}}}" + re.escape(second))
    return None


PIECES_GAP = int(os.environ.get("RAG_PIECES_GAP", "4"))
"""At most this many characters between the halves of a compound the notice writes apart. Chosen on
the dev split of eval/real/."""


def _pieces(word: str) -> list[str]:
    import jieba

    parts = [p for p in jieba.lcut(word, HMM=False) if len(p) >= 2]
    return parts if len(parts) >= 2 and sum(map(len, parts)) >= len(word) - 1 else []


NAMES_IN_NOTICE = os.environ.get("RAG_NAMES_IN_NOTICE", "1") == "1"
"""A body's or a place's name as the question's most specific word is looked for in the whole notice of a
top clause, not only in the clause. Chosen on the dev split of eval/real/."""


def _names_a_body_or_place(word: str) -> bool:
    return is_unit_name(word) or re.search(r"[省市县区州旗]$", word) is not None


def missing_specific(q: Question, hits: list[Hit], view: IndexView) -> str | None:
    """`_missing_specific` for any intent: a who-answer that would say no unit is written quotes
    clauses that must at least have the question's most specific word."""
    return _missing_specific(q, hits, view, skip=(), notice_level=())


MEASURE_UNKNOWN = os.environ.get("RAG_MEASURE_UNKNOWN", "1") == "1"
"""A measure word no notice uses at all (吞吐量, 专项资金) counts as missing too. Chosen on the dev
split of eval/real/ (refusal recall up, false refusals unchanged)."""


MEASURE_SHARE = float(os.environ.get("RAG_MEASURE_SHARE", "1.0"))
"""Share of the measure's words one top clause must have. Fitted on the dev split of eval/real/."""


def _missing_measure(q: Question, top: list[Hit], view: IndexView) -> str | None:
    """For "X是多少" questions: a word of X that the corpus knows but no top clause contains.

    "吉林省农村公路新建里程是多少" finds the 2024 greening clause (农村公路…公里) but no clause
    states a 新建 figure: answering with the greening number would be wrong, so refuse.
    """
    from rag.lexical import tokenize

    if q.intent != "fact" or q.followup:
        return None
    m = _MEASURE.search(without_years(q.text))
    if not m:
        return None
    known = view.lexical.vocabulary  # every token of the index (built at load: costs nothing)
    words = [t for t in tokenize(m.group(1)) if len(t) >= 2 and t not in GENERIC and not is_ordinal(t)
             and (t in known or (MEASURE_UNKNOWN and len(t) >= 3))]  # an ordinal: _missing_ordinal
    places = question_places(q.text, view)
    words = [w for w in words if not places_in(w) and not any(p in w or w in p for p in places)]
    if not words:
        return None
    for hit in top:
        body = clause_body(hit)
        if sum(w in body or alt_in(w, body) for w in words) >= MEASURE_SHARE * len(words):
            return None
    return "/".join(words)
