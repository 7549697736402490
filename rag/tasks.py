"""A unit's tasks: the complete list, a page of it, and the answer to "what does unit U do".

The answer is bounded: a unit with more than `ANSWER_TASKS` tasks gets counts per notice and its
first `ANSWER_TASKS` tasks, with the rest one `GET /api/tasks?unit=…&offset=…` (or the UI's
单位任务 tab) away. So the answer's size and cost do not grow with the corpus.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rag.compose.quote import after_own_name, citation, heading, lead_phrase, quotable
from rag.intent import Question
from rag.retrieve import Filters, IndexView
from rag.types import REFUSAL, Answer, Citation, TaskPage
from rag.units_lookup import UnitVocabulary
from rag.verify import LIST_NOTE

# Calibrated on docs_corpus/: the longest real task list has 24 tasks (市交通运输局), so every
# unit of the real notices still gets its complete list in the answer; lists of the 100x
# synthetic corpus (~250 tasks) are summarised.
ANSWER_TASKS = 30
SUMMARY_NOTICES = 10  # the summary names the notices with the most tasks, at most this many


def task_positions(view: IndexView, vocab: UnitVocabulary, unit: str, filters: Filters | None) -> list[int]:
    """One clause position per task of `unit` in document order (a clause split into parts counts once)."""
    seen: set[tuple[str, str, str]] = set()
    out: list[int] = []
    for i in view.unit_positions_of(vocab.variants(unit), filters):
        meta = view.metas[i]
        key = (meta["doc_id"], meta.get("section", ""), meta.get("clause_no", ""))
        if meta.get("part", 0) and key in seen:
            continue
        seen.add(key)
        if _names_only(meta):
            continue
        out.append(i)
    return out


_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百\d]+[条條章节款项]|[（(]?[一二三四五六七八九十\d]+[)）、.．]?)\s*")


def _names_only(meta) -> bool:
    """A clause that only names its units ("秘书室", "(三)总务科", a heading "现场组") states no task."""
    from index.units import to_simplified

    text = to_simplified(_NUMBERING.sub("", meta.get("text") or ""))
    for name in sorted(meta.get("units") or [], key=len, reverse=True):
        text = text.replace(to_simplified(name), "")
    return len(re.findall(r"[\u4e00-\u9fa5]", text)) < TASK_MIN_CHARS


TASK_MIN_CHARS = 3  # fewer Chinese characters than this besides the units' names: no task


def task_page(view: IndexView, vocab: UnitVocabulary, unit: str, filters: Filters | None,
              offset: int = 0, limit: int | None = None) -> TaskPage:
    """Tasks offset+1..offset+limit of `unit` (all from `offset` when limit is None), numbered in the list."""
    positions = task_positions(view, vocab, unit, filters)
    end = len(positions) if limit is None else offset + limit
    per_notice: dict[str, int] = {}
    titles: dict[str, str] = {}
    for i in positions:
        doc = view.metas[i]["doc_id"]
        per_notice[doc] = per_notice.get(doc, 0) + 1
        titles.setdefault(doc, view.metas[i].get("doc_title", doc))
    tasks = [citation(offset + n + 1, view.hit(i)) for n, i in enumerate(positions[offset:end])]
    return TaskPage(unit=unit, total=len(positions), offset=offset, limit=limit or len(positions),
                    per_notice=per_notice, tasks=tasks, titles=titles)


def tasks_answer(q: Question, page: TaskPage) -> Answer:
    """The answer to "what does `page.unit` do", from the first page of its task list."""
    unit, citations = page.unit, page.tasks
    if not citations:
        return Answer(question=q.original, answer=REFUSAL, refused=True, intent="tasks")
    if page.total > len(citations):
        busiest = sorted(page.per_notice.items(), key=lambda kv: -kv[1])[:SUMMARY_NOTICES]
        counts = "；".join(f"《{page.titles.get(d, d)}》{n} 项" for d, n in busiest)
        more = f"等（另有 {len(page.per_notice) - len(busiest)} 份文件）" if len(page.per_notice) > len(busiest) else ""
        lines = [
            f"{LIST_NOTE}{unit}共有 {page.total} 项任务，分布在 {len(page.per_notice)} 份文件中：{counts}{more}。"
            f"以下是前 {len(citations)} 项；完整列表见“单位任务”页或 "
            f"GET /api/tasks?unit={quote(unit)}&offset={len(citations)}&limit=100 。"
        ]
    else:
        lines = [f"{unit}的任务如下："]
    lines += _task_lines(unit, citations)
    return Answer(question=q.original, answer="\n".join(lines), refused=False, intent="tasks", units=[unit],
                  citations=citations)


def _task_lines(unit: str, citations: list[Citation]) -> list[str]:
    lines: list[str] = []
    current = None
    headings = [heading({"section_path": c.section.split(" > ")}) for c in citations]
    for c, title in zip(citations, headings):
        if c.doc_id != current:
            current = c.doc_id
            lines.append(f"《{c.doc_title}》：")
        role = "（牵头）" if unit in c.lead_units else ("（继承的配合单位）" if unit in c.inherited_units else "")
        title = title or c.section
        rest = after_own_name(title, c.units, c.text)
        if rest is not None:  # "(5)市气象局。" / "负责定时向…": name the task by what follows the body
            title = quotable(lead_phrase(re.sub(r"^(?:主要)?负责", "", rest))) or title
        elif headings.count(title) > 1:  # several paragraphs under one heading: name each by its lead phrase
            title = f"{title}：{quotable(lead_phrase(c.text))}"
        lines.append(f"- {unit}负责“{title}”{role} [{c.n}]")
    return lines
