"""What kind of question this is, and the question cleaned for answering.

Intents: who (who is responsible), tasks (what does unit U do), fact (numbers, targets,
deadlines), requirements, across (the same topic in several notices), general.
Follow-ups ("那它的完成时限呢？") are resolved against the previous turn.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from index.units import DEADLINE_LABELS, ROLE_WORDS, UNIT_SUFFIXES, to_simplified
from rag.text import content_words, notice_named, places_in, without_years, year_mentions
from rag.types import Intent
from rag.wordlists import words

MAX_QUESTION_CHARS = 500

_WHO = re.compile(
    r"(由谁|谁来|谁负责|谁管|谁牵头|谁落实|谁承担|找谁|归谁|归哪|哪个(?:部门|单位|股室|处室|科室|机构|处|股|科|局|课|部会|机关)|哪些(?:部门|单位|股室|处室|处|股)"
    r"|什么(?:部门|单位)|责任单位|牵头单位|牵头部门|责任部门|负责单位|主管部门|谁是|是谁|(?:部门|单位|处室|股室)是哪)"
)
# "哪个中队去查", "哪家公司负责", "哪个中心": a which-question about a kind of body (the unit suffix
# grammar of index/units.py, without place suffixes and the one-character ones that begin other
# words: 部分, 会议, 所有) asks who.
_BODY_KINDS = sorted(
    (k for k in UNIT_SUFFIXES
     if re.fullmatch(r"[\u4e00-\u9fa5]+", k) and not re.search(r"[县区市省镇乡街社园]", k)
     and (len(k) >= 2 or k in "局处厅室股队科委站院")),
    key=len, reverse=True,
)
_WHICH_BODY = re.compile(r"哪(?:个|些|家|一个|一家|几个|几家|几|一?类|一?种|一?级)[\u4e00-\u9fa5]{0,3}?(?:" + "|".join(_BODY_KINDS) + ")")
_TASKS = re.compile(
    r"(负责|承担|牵头|参与|配合|要做|需要做|干|做|办|管|整改|落实)(?:了)?(?:哪些|什么|啥|哪几)"
    r"|(?:哪些|什么|啥|哪几).{0,14}(?:任务|工作|职责|分工|事|项|问题)|(?:任务|工作|职责)(?:有哪些|是什么|清单|列表)"
)
_FACT = re.compile(
    r"(多少|几[个项台座条家辆万亿%]?|比例|占比|比重|目标|时限|期限|什么时候|何时|哪一?年|几月|截至|截止|达到|覆盖率|"
    r"数量|里程|金额|完成时间|多长|多大|百分之|率是|时间节点|之前|前完成|底前|文号|字号|哪天|日期)"
)
# A question about the notice itself: its 文号, or the day it was issued ("是哪天发的", "落款日期是哪天").
_ASKS_NUMBER = re.compile(r"文号|字号|文號")
_ASKS_ISSUED = re.compile(r"(?:哪天|哪一天|什么时候|何时|日期)(?:发|印发|发布|出台|签发|的)|(?:落款|成文|印发|发文|发布)日期|是哪天的")


def asks_identity(question: str) -> str | None:
    """"文号" or "日期" when the question asks for the notice's own 文号 or issue date, else None."""
    text = to_simplified(question)
    if _ASKS_NUMBER.search(text):
        return "文号"
    return "日期" if _ASKS_ISSUED.search(text) else None


_REQUIREMENTS = re.compile(r"(要求|怎么做|如何|怎样|哪些措施|什么措施|有何规定|规定|注意什么|需要做好|措施|做法|管控)")
_ACROSS = re.compile(r"(有什么不同|有何不同|区别|差异|对比|各自|各要|各是|各定|各地|各个(?:地方|通知|文件)|哪些地方|分别|不同地区|几个文件|各文件|各通知|哪些文件|所有通知|各地区|各省市)")
_FOLLOWUP = re.compile(r"^(那|那么|还有|另外|它|其|该|这|此|上述|上面|刚才|以上)|(它|其|该项|这项|这个|那个|上述|此项)")
_ANAPHORA = re.compile(r"(它|其|该|这项|这个|那个|这件|那件|这事|此事|上述|此项|这些|那些|以上|上面|刚才|这方面|这块)")
_INJECTION = re.compile(r"(忽略|无视|忘记).{0,10}(指令|提示|规则|以上|之前)|system prompt|系统提示|ignore (all|previous)", re.I)


@dataclass(frozen=True)
class Question:
    original: str
    text: str  # cleaned, simplified Chinese
    intent: Intent
    search_text: str  # what retrieval searches: the question plus the previous turn's topic for follow-ups
    followup: bool = False
    problem: str | None = None  # why the question cannot be answered at all (empty, too long, no content)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def clean_question(raw: str) -> tuple[str, str | None]:
    """Normalise a question; return (text, problem) where problem explains an unusable one."""
    if raw is None or not str(raw).strip():
        return "", "问题为空，请输入要查询的内容。"
    text = str(raw)
    if len(text) > MAX_QUESTION_CHARS:
        return text[:MAX_QUESTION_CHARS], f"问题过长（{len(text)} 字），请精简到 {MAX_QUESTION_CHARS} 字以内后再问。"
    text = html.unescape(text)
    text = re.sub(r"<[^>]{0,200}>", " ", text)  # markup is not part of a question
    text = re.sub(r"\s+", " ", text).strip()
    text = _t2s().convert(text)  # 縣、運輸 → 县、运输
    if not re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", text):
        return text, "没有识别到问题内容，请用文字描述要查询的事项。"
    return text, None


def classify(text: str, known_unit: bool = False) -> Intent:
    """The intent of a cleaned question."""
    if _INJECTION.search(text):
        return "general"
    if known_unit and _TASKS.search(text) and not _WHO.search(text):
        return "tasks"
    if _WHO.search(text) or _WHICH_BODY.search(text):
        return "who"
    if _ACROSS.search(text):
        return "across"
    if _FACT.search(text):
        return "fact"
    if _REQUIREMENTS.search(text):
        return "requirements"
    return "general"


def is_followup(text: str, history: list[dict] | None) -> bool:
    """With a previous turn: a question that points back, is very short, or has no topic of its own."""
    if not history:
        return False
    return (
        bool(_FOLLOWUP.search(text))
        or len(re.sub(r"[^\u4e00-\u9fa5]", "", text)) <= 6
        or all(is_aspect(w) for w in content_words(text))
    )


def parse_question(raw: str, history: list[dict] | None, unit_in_question: bool) -> Question:
    text, problem = clean_question(raw)
    if problem:
        return Question(raw, text, "invalid", text, problem=problem)
    followup = is_followup(text, history)
    intent = classify(text, unit_in_question)
    search = text
    if followup:
        previous = str((history or [])[-1].get("question", ""))
        prev_text, _ = clean_question(previous)
        search = _followup_search(text, prev_text)
        if intent == "general":
            intent = classify(prev_text, unit_in_question)
    return Question(raw, text, intent, search, followup=followup)


# "那扬尘呢？": a new topic asked the previous way. Its words are a topic unless they only name an
# aspect of the previous one (时限, 牵头, 配合, 进展 …: "那时限呢？" keeps the previous topic).
_NEW_TOPIC = re.compile(r"^(?:那么|那|还有|另外)(?P<topic>[^，,。？?]{1,12}?)(?:呢|吗)?[？?。]*$")
_ASPECTS = frozenset([*DEADLINE_LABELS, *ROLE_WORDS, *words("aspects")])
_ASKS = re.compile(r"什么|多少|多久|几|谁|哪|怎么|如何|是否|啥|咋|何时|多会")  # (啥时候, 咋办: spoken forms)


def is_aspect(word: str) -> bool:
    """An aspect of a topic (时限, 牵头, 效果 …), not a topic: rag/data/aspects.txt and the labels of index/units.py."""
    return word in _ASPECTS or any(a in word for a in _ASPECTS if len(a) >= 2)


def _new_topic(text: str) -> bool:
    m = _NEW_TOPIC.match(text)
    if not m or _ANAPHORA.search(m.group("topic")) or _ASKS.search(m.group("topic")):
        return False  # "那得在什么时候之前改完？" asks something of the previous topic; "那扬尘呢？" names a new one
    return any(not is_aspect(w) for w in content_words(m.group("topic")))


def _followup_search(text: str, prev_text: str) -> str:
    """What a follow-up searches for.

    - "那吉林省呢？", "那2030年呢？": the previous topic in another place or year → the previous
      question with its place/year swapped, plus this one;
    - "那扬尘呢？": a new topic asked the previous way → this question alone (the intent is
      taken from the previous question by the caller);
    - anything else ("那它的完成时限呢？", "牵头的是哪个部门？", "到8月完成了多少？"): about the previous
      topic → previous question + this one.
    """
    new_places = places_in(text)
    new_years = year_mentions(text)
    if new_places or new_years:
        base = prev_text
        for old in places_in(base):
            if new_places:
                base = base.replace(old, new_places[0])
        if new_years:
            base = without_years(base, new_years[0])
        return f"{base} {text}"
    if _new_topic(text):  # (in the notice the previous question named, when it named one)
        topic = re.sub(r"^(那么|那|还有|另外)|(呢|吗)?[？?。]*$", "", text).strip() or text
        return f"{_notice_part(prev_text)} {topic}".strip()
    notice = _notice_part(prev_text) if _other_topic(text, prev_text) else ""
    if notice:
        # "那首都食品安全监管那项呢，归谁？": another task of the same notice → the notice as the
        # previous question named it, and this question
        return f"{notice} {re.sub(r'^(那么|那|还有|另外)', '', text)}"
    return f"{prev_text} {text}"


def _other_topic(text: str, prev_text: str) -> bool:
    """"那X(那项/这块)呢，谁牵头？", "那X归谁？": words of its own that name no aspect and are not the
    previous question's, after a 那 that turns to them."""
    if not re.match(r"^(?:那么|那|还有|另外)", text) or _ANAPHORA.search(text[1:4]) or _WHEN.search(text):
        return False  # "那最晚啥时候得录完？" asks when the previous task is due
    own = [w for w in content_words(text)
           if len(w) >= 2 and not is_aspect(w) and not _ASKS.search(w) and w not in prev_text]
    return len(own) >= OTHER_TOPIC_MIN


_WHEN = re.compile(r"时候|多久|何时|几月|几号|哪天|期限|时限|之前|以前")
OTHER_TOPIC_MIN = 2
"""Own content words a 那-follow-up needs to be about another task (not "那时限呢"). Chosen on the dev split."""

def _notice_part(prev_text: str) -> str:
    """The notice the previous question named: what comes before its "…中，", else its places and years."""
    if named := notice_named(prev_text):
        return named
    return " ".join([*places_in(prev_text), *(f"{y}年" for y in year_mentions(prev_text))])
