"""A unit's task list: complete, paged, and a bounded answer for a unit with many tasks (issue 11)."""

from __future__ import annotations

import pytest

from rag import tasks

pytestmark = pytest.mark.slow
UNIT = "发展中心"


def test_pages_put_together_are_the_complete_list(assistant) -> None:
    full = assistant.tasks(UNIT)
    assert len(full) >= 5
    pages, offset = [], 0
    while True:
        page = assistant.task_page(UNIT, offset=offset, limit=2)
        assert page.total == len(full) and len(page.tasks) <= 2
        pages += page.tasks
        if page.next_offset is None:
            break
        offset = page.next_offset
    assert [c.clause_id for c in pages] == [c.clause_id for c in full]
    assert [c.n for c in pages] == list(range(1, len(full) + 1))  # numbered in the whole list
    assert sum(page.per_notice.values()) == len(full)


def test_a_unit_with_more_tasks_than_the_answer_shows_gets_a_summary(assistant, monkeypatch) -> None:
    full = assistant.tasks(UNIT)
    monkeypatch.setattr(tasks, "ANSWER_TASKS", 2)
    answer = assistant.ask(f"{UNIT}负责哪些工作？")
    assert answer.intent == "tasks" and not answer.refused
    assert f"共有 {len(full)} 项任务" in answer.answer and "以下是前 2 项" in answer.answer
    assert "GET /api/tasks?unit=" in answer.answer and "offset=2" in answer.answer
    assert [c.clause_id for c in answer.citations] == [c.clause_id for c in full[:2]]
    assert "《2024年交通运输生态环境保护工作要点》" in answer.answer.splitlines()[0]  # counts per notice
    # the counts are the index's, not a notice's claim: the note is marked and the answer verifies
    from rag.verify import LIST_NOTE, verify_answer

    assert answer.answer.startswith(LIST_NOTE)
    assert verify_answer(answer.answer, {c.n: c.passage for c in answer.citations}).ok


def test_a_short_list_is_answered_in_full(assistant) -> None:
    full = assistant.tasks(UNIT)
    assert len(full) <= tasks.ANSWER_TASKS
    answer = assistant.ask(f"{UNIT}负责哪些工作？")
    assert answer.answer.startswith(f"{UNIT}的任务如下") and len(answer.citations) == len(full)


def test_every_real_units_list_fits_in_one_answer(assistant) -> None:
    """ANSWER_TASKS is calibrated so that no unit of the real notices gets a summary."""
    longest = max(len(assistant.tasks(u["name"])) for u in assistant.units())
    assert longest <= tasks.ANSWER_TASKS


def test_a_quoted_heading_never_carries_a_question_mark_that_would_end_the_answers_sentence() -> None:
    from rag.compose.quote import heading, quotable
    from rag.verify import split_sentences

    assert quotable("加快廣州空港、南沙、黃埔三大國際樞紐物流園區建設：?") == "加快廣州空港、南沙、黃埔三大國際樞紐物流園區建設"
    line = f"- 市经贸委负责“{heading({'section_path': ['(一)是否公开老年人补贴？(0.5分)']})}” [1]"
    assert len(split_sentences(line)) == 1


def test_a_generic_department_asked_is_looked_up_as_the_bureaus_written_in_the_notices() -> None:
    from rag.answer import _same_kind_of_body

    names = ["市气象局", "县气象局", "气象站", "市气象部门研究所", "市交通局", "山西省气象局"]
    assert _same_kind_of_body("气象部门", names) == ["市气象局", "县气象局", "山西省气象局"]
    assert _same_kind_of_body("部门", names) == []


@pytest.mark.parametrize("text, units, names_only", [
    ("秘书室", ["秘书室"], True),
    ("(三)總務科", ["总务科"], True),
    ("现场组", ["省水利厅"], False),  # a heading that is no name of its unit: kept (it says which group)
    ("第 3 條 秘书室:掌理文书、印信事项。", ["秘书室"], False),
    ("市财政局负责安排资金。", ["市财政局"], False),
])
def test_a_clause_that_only_names_its_unit_is_no_task(text: str, units: list[str], names_only: bool) -> None:
    assert tasks._names_only({"text": text, "units": units}) is names_only
