"""Questions about time, answered from each task's deadline.

- "X什么时候完成？", "完成时限是什么？", follow-up "那时限呢？": the best clause's deadline, cited;
- "厅运输处6月底前要报送什么？": the unit's tasks whose deadline is that time;
- "哪些任务没有写完成时限？" (optionally for a unit or a place's notice): tasks with no deadline.

A task's deadline is the clause's `deadline` metadata (read by index/units.py from 完成时限 labels,
table columns and duty brackets). When that is empty but the clause text states a time
("力争2024年底…", "在6月底和12月底前分别…报送"), the sentence is quoted instead. Every date in an
answer is quoted from the clause it cites (rag.verify checks that); only the count of a list is ours.

Times are compared as (year or None, month): "6月底前", "6月30日前", "6月底" → (None, 6);
"2024年底", "年底", "年末" → (2024 / None, 12); "第二季度" → (None, 6); "上半年" → (None, 6).
A year is compared only when both sides state one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rag import tasks as task_list
from rag.compose import quote as compose
from rag.compose.refuse import refusal_answer
from rag.intent import Question, asks_identity
from rag.ranking import best_supported
from rag.retrieve import Filters, IndexView
from rag.scope import implied_filters
from rag.types import Answer, Citation, Hit
from rag.units_lookup import UnitVocabulary

LIST_LIMIT = 10  # "哪些任务没有写完成时限": tasks listed at most; the count says how many there are

_WHEN = re.compile(
    r"什么时候|什么时间|何时|哪天|哪一?年|几月|多久|时限|期限|截止时间|截止日期|完成时间|时间节点|时间要求|时间安排"
)
_NO_DEADLINE = re.compile(
    r"(?:没有|没|未|无|不)(?:写|写明|写清|明确|规定|设定|设置|标明|注明|列明)?(?:完成)?"
    r"(?:时限|期限|截止时间|完成时间|时间节点|时间要求)"
)
_ASKS_WHICH = re.compile(r"什么|哪些|啥|哪几")
# The time is a due date ("6月底前", "年底", "6月30日到期"), not part of a notice's name ("5月1日创文巩卫督查通报")
_DUE = re.compile(r"前|到期|截止|为止|以内|[月年]底|[月年]末")
_TASK_WORDS = re.compile(r"哪些(?:任务|工作|事)|什么(?:任务|工作|事)")
# A follow-up with no topic of its own: "那时限呢？", "它的完成时间是什么时候？"
_NO_TOPIC = re.compile(
    r"那么|那|它的|它|其|该项|这项|这个|呢|吗|是|的|要|在|完成|什么时候|什么时间|何时|时限|期限|截止时间|完成时间|"
    r"时间节点|时间|多久|几月|哪天|[？?。！!，,\s]"
)
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# A point in time a deadline names (month, year-end, quarter, half-year), optionally with its year.
_POINT = re.compile(
    r"(?<!截至)(?<!\d)(?:(?P<year>(?:19|20)\d{2})\s*(?:年\s*(?=\d|第|上半|下半)|(?=年)))?"
    r"(?:(?P<month>\d{1,2})\s*月(?:\s*\d{1,2}\s*日|底|末|中旬|下旬|上旬)?"
    r"|(?P<end>年\s*(?:底|末|内))"
    r"|第?(?P<quarter>[一二三四1-4])季度(?:末|底)?"
    r"|(?P<half>上半年|下半年))"
)
# Times a clause text states that count as its deadline when quoted: the points above, or a
# target year ("到2030年", "2025年前"). "2024年以来" or "截至2023年底" are not deadlines.
_YEAR_TARGET = re.compile(r"(?:到|至|于)\s*(?:19|20)\d{2}\s*年|(?:19|20)\d{2}\s*年(?:前|以前|之前|内)")


def points(text: str) -> set[tuple[int | None, int]]:
    """The points in time a text names, as (year or None, month)."""
    out: set[tuple[int | None, int]] = set()
    for m in _POINT.finditer(text or ""):
        year = int(m.group("year")) if m.group("year") else None
        if m.group("month"):
            month = int(m.group("month"))
        elif m.group("quarter"):
            month = 3 * _CN_DIGIT[m.group("quarter")]
        elif m.group("half"):
            month = 6 if m.group("half") == "上半年" else 12
        else:
            month = 12
        if 1 <= month <= 12:
            out.add((year, month))
    return out


def same_time(asked: set[tuple[int | None, int]], stated: set[tuple[int | None, int]]) -> bool:
    """One asked point is one stated point: the same month, and the same year when both give one."""
    return any(am == sm and (ay is None or sy is None or ay == sy) for ay, am in asked for sy, sm in stated)


def _states_time(sentence: str) -> bool:
    return bool(points(sentence)) or bool(_YEAR_TARGET.search(sentence))


def asks_when(question: Question) -> bool:
    """"X什么时候完成？", "完成时限是什么？", "那时限呢？" (not "哪些任务没有写完成时限")."""
    return (question.intent != "who" and bool(_WHEN.search(question.text)) and not _NO_DEADLINE.search(question.text)
            and asks_identity(question.text) is None)  # (not "通知是哪天发的": the notice's own date)


def resolve_followup(q: Question, history: list[dict] | None) -> Question:
    """"那时限呢？" after a turn searches for the previous question's topic, like other follow-ups."""
    if not (q.followup and history and asks_when(q)) or _NO_TOPIC.sub("", q.text):
        return q
    previous = str(history[-1].get("question", "")).strip()
    return replace(q, search_text=f"{previous} {q.text}") if previous else q


def deadline_of(hit: Hit, question: str = "") -> tuple[str, str]:
    """What the clause says about when: ("metadata", deadline), ("text", its sentence) or ("", "")."""
    deadline = hit.metadata.get("deadline")
    if deadline:
        return "metadata", deadline
    timed = [s for s in compose.sentences(hit.text, hit.metadata.get("duty_text", "")) if _states_time(s)]
    if not timed:
        return "", ""
    best = compose.best_sentences("。".join(timed) + "。", question, k=1) if question else []
    return "text", (best or timed)[0]


# -- "X什么时候完成？" -------------------------------------------------------------------------------
# Words that ask for a task's due date; "会议纪要是哪天的？", "多久更新一次？" ask another time
_ASKS_DUE = re.compile(r"完成|时限|期限|截止|到期|办结|时间节点|时间要求|建成|投用|完工")


def when_answer(q: Question, hits: list[Hit]) -> Answer | None:
    """The deadline of the clause that best matches the task asked about, quoted and cited [1];
    None when that clause states no time and the question does not ask for a due date (the
    general answer then quotes what the clauses say)."""
    best = hits[0] if q.followup else best_supported(q.text, hits, want_numbers=True)
    kind, value = deadline_of(best, q.text)
    if not kind and not q.followup and not _ASKS_DUE.search(q.text):
        return None
    c = compose.citation(1, best, highlight=value if kind == "text" else "")
    where = f"《{c.doc_title}》“{compose.heading(best.metadata) or c.section}”"
    if kind == "metadata":
        text = f"{where}的完成时限：{value} [1]。"
    elif kind == "text":
        text = f"根据{where}：{compose.cited([value], 1)}"
    else:
        text = f"{where}未写明完成时限 [1]。"
    return Answer(question=q.original, answer=text, refused=False, intent="deadline", citations=[c],
                  units=list(best.metadata.get("units", [])))


# -- lists: "U 6月底前要报送什么？", "哪些任务没有写完成时限？" -----------------------------------------------
def list_answer(q: Question, view: IndexView, vocab: UnitVocabulary, unit: str | None,
                filters: Filters | None) -> Answer | None:
    """A task list selected by deadline, or None when the question is not one of these."""
    if q.followup or q.intent == "who":
        return None
    filters = implied_filters(q.text, view, filters)[0]
    if _NO_DEADLINE.search(q.text):
        hits = [view.hit(i) for i in _task_positions(view, vocab, unit, filters)]
        return _missing_answer(q, unit, [h for h in hits if not deadline_of(h)[0]])
    asked = points(q.text)
    if asked and _DUE.search(q.text) and _ASKS_WHICH.search(q.text) and (unit or _TASK_WORDS.search(q.text)):
        hits = [view.hit(i) for i in _task_positions(view, vocab, unit, filters)]
        return _due_answer(q, unit, asked, hits)
    return None


def _task_positions(view: IndexView, vocab: UnitVocabulary, unit: str | None, filters: Filters | None) -> list[int]:
    """The unit's tasks, or every task (a clause that names a unit) within the filters."""
    if unit:
        return task_list.task_positions(view, vocab, unit, filters)
    seen: set[tuple[str, str, str]] = set()
    out: list[int] = []
    for i, meta in enumerate(view.metas):
        key = (meta["doc_id"], meta.get("section", ""), meta.get("clause_no", ""))
        if meta["units"] and (filters is None or filters.matches(meta)) and key not in seen:
            seen.add(key)
            out.append(i)
    return out


def _due_answer(q: Question, unit: str | None, asked: set, hits: list[Hit]) -> Answer:
    who = unit or "文件中"
    due = []
    for hit in hits:
        deadline = hit.metadata.get("deadline")
        if deadline:  # the notice's 完成时限 decides, even when the text names other times
            if same_time(asked, points(deadline)):
                due.append((hit, "metadata", deadline))
            continue
        timed = [s for s in compose.sentences(hit.text, hit.metadata.get("duty_text", "")) if same_time(asked, points(s))]
        if timed:
            due.append((hit, "text", timed[0]))
    if not due:  # nothing the notices date to that time: said as a refusal, which cites nothing
        return refusal_answer(q, hits, f"no task of {who} is due at the time asked")
    lines = [f"{unit}的任务如下：" if unit else "任务如下："]  # each line states its deadline; no unquoted date here
    citations: list[Citation] = []
    for hit, kind, value in due:
        n = len(citations) + 1
        c = compose.citation(n, hit, highlight=value if kind == "text" else "")
        citations.append(c)
        task = compose.heading(hit.metadata) or c.section
        said = f"完成时限{value} [{n}]" if kind == "metadata" else compose.cited([value], n).rstrip("。")
        lines.append(f"- 《{c.doc_title}》“{task}”：{said}。")
    return Answer(question=q.original, answer="\n".join(lines), refused=False, intent="deadline",
                  units=[unit] if unit else [], citations=citations)


def _missing_answer(q: Question, unit: str | None, hits: list[Hit]) -> Answer:
    who = f"{unit}的任务中" if unit else "文件中"
    if not hits:
        return Answer(question=q.original, answer=f"{who}每项任务都写明了完成时限。", refused=False,
                      intent="deadline", units=[unit] if unit else [])
    shown = hits[:LIST_LIMIT]
    more = f"，列出前{len(shown)}项" if len(hits) > len(shown) else ""
    lines = [f"{who}共{len(hits)}项任务未写明完成时限{more}："]
    citations: list[Citation] = []
    for hit in shown:
        n = len(citations) + 1
        c = compose.citation(n, hit)
        citations.append(c)
        task = compose.heading(hit.metadata) or c.section
        lines.append(f"- 《{c.doc_title}》“{task}”（{'、'.join(c.units)}）未写明完成时限 [{n}]。")
    return Answer(question=q.original, answer="\n".join(lines), refused=False, intent="deadline",
                  units=[unit] if unit else [], citations=citations)
