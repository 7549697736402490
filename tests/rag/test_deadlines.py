"""Questions about deadlines (rag/deadlines.py): times compared, answers cited and verified.

The purpose-written notice tests/data/deadlines/ has tasks with 完成时限 labels (6月30日前, 6月底前,
6月底, 9月底前, 2024年12月底前) and two without; docs_corpus/ states its times only in the task text.
"""

from __future__ import annotations

import re

import pytest

from rag import deadlines
from rag.types import Answer
from rag.verify import verify_answer


def verified(answer: Answer, skip_first_line: bool = False) -> Answer:
    """The answer, after asserting that every sentence is supported and every number quoted."""
    text = answer.answer.split("\n", 1)[1] if skip_first_line else answer.answer
    check = verify_answer(text, {c.n: c.passage for c in answer.citations})
    assert check.ok, (answer.answer, check.to_dict())
    return answer


@pytest.mark.parametrize(
    ("asked", "stated", "same"),
    [
        ("6月底前", "6月底前", True),
        ("6月底前", "6月30日前", True),
        ("6月底前", "6月底", True),
        ("6月底前", "在6月底和12月底前分别报送", True),
        ("6月底前", "9月底前", False),
        ("年底前", "2024年12月底前", True),
        ("2023年底", "2024年底", False),
        ("第二季度", "6月30日前", True),
        ("年底前", "截至2023年底，全省已建成…", False),  # a status "as of", not a deadline
        ("6月底前", "长期坚持", False),
    ],
)
def test_times_are_compared_after_normalising(asked: str, stated: str, same: bool):
    assert deadlines.same_time(deadlines.points(asked), deadlines.points(stated)) is same



@pytest.mark.slow
@pytest.mark.usefixtures("extractive")
class TestOnAPurposeWrittenNotice:
    def test_when_question_states_the_cited_clauses_deadline_verbatim(self, deadline_assistant):
        answer = verified(deadline_assistant.ask("农村公路提质改造什么时候完成？"))
        (c,) = answer.citations
        assert "提质改造" in c.text and c.deadline == "2024年12月底前"
        assert "2024年12月底前 [1]" in answer.answer and not answer.refused

    def test_a_task_without_deadline_is_said_to_have_none_not_given_a_date(self, deadline_assistant):
        answer = verified(deadline_assistant.ask("出租汽车文明服务创建活动的完成时限是什么？"))
        (c,) = answer.citations
        assert "出租汽车" in c.text and c.deadline is None
        assert "未写明完成时限 [1]" in answer.answer and not answer.refused
        assert not re.search(r"\d+\s*[月日]|底前", answer.answer)

    def test_how_often_is_not_asked_as_a_deadline(self, deadline_assistant):
        # "多久…一次" asks a frequency: the answer quotes the task, it does not say "未写明完成时限"
        answer = verified(deadline_assistant.ask("出租汽车服务质量多久通报一次？"))
        assert "未写明完成时限" not in answer.answer and "定期通报服务质量" in answer.answer

    def test_unit_and_month_lists_only_the_units_tasks_due_then(self, deadline_assistant):
        answer = verified(deadline_assistant.ask("安全股6月底前要完成什么？"))
        assert sorted(c.deadline for c in answer.citations) == ["6月30日前", "6月底"]
        assert all(c.units == ["安全股"] for c in answer.citations)
        for c in answer.citations:
            assert f"完成时限{c.deadline} [{c.n}]" in answer.answer
        answer = verified(deadline_assistant.ask("运管股6月底前要报送什么？"))
        assert [c.deadline for c in answer.citations] == ["6月底前"]  # not its 9月底前 task, not the undated one
        assert "客运站" in answer.citations[0].text

    def test_a_unit_with_nothing_due_then_gets_no_task(self, deadline_assistant):
        # nothing of its is dated then: a refusal, which cites nothing (an uncited "没有写明…" sentence
        # broke the grounding invariant every answer is checked against)
        answer = deadline_assistant.ask("执法大队6月底前要完成什么？")
        assert answer.refused and not answer.citations

    def test_tasks_without_deadline_are_listed_with_their_count(self, deadline_assistant):
        answer = verified(deadline_assistant.ask("哪些任务没有写完成时限？"), skip_first_line=True)
        assert sorted(c.units[0] for c in answer.citations) == ["执法大队", "运管股"]
        assert all(c.deadline is None for c in answer.citations)
        assert "共2项" in answer.answer.splitlines()[0]
        scoped = deadline_assistant.ask("运管股哪些任务没有写完成时限？")
        assert [c.units for c in scoped.citations] == [["运管股"]] and "共1项" in scoped.answer

    def test_follow_up_asks_the_deadline_of_the_previous_answers_clause(self, deadline_assistant):
        first = deadline_assistant.ask("桥梁安全隐患排查由谁负责？")
        assert "安全股" in first.answer
        history = [{"question": "桥梁安全隐患排查由谁负责？", "answer": first.answer}]
        answer = verified(deadline_assistant.ask("那时限呢？", history))
        (c,) = answer.citations
        assert "桥梁" in c.text and "6月30日前 [1]" in answer.answer


@pytest.mark.slow
@pytest.mark.usefixtures("extractive")
class TestOnTheRealNotices:
    """docs_corpus/ has no 完成时限 labels: times are quoted from the task text."""

    def test_time_stated_in_the_text_is_quoted_from_its_sentence(self, assistant):
        answer = verified(assistant.ask("高速公路快充什么时候完成？"))
        (c,) = answer.citations
        assert c.deadline is None and "2024年底" in c.highlight and "2024年底" in answer.answer
        assert "快充" in c.highlight

    def test_unit_and_month_finds_the_report_due_at_the_end_of_june(self, assistant):
        answer = verified(assistant.ask("厅运输处6月底前要报送什么？"))
        assert [c.doc_id for c in answer.citations] == ["jilin-2024-transport-eco-workplan"]
        assert "6月底" in answer.answer and "报送" in answer.citations[0].highlight
        assert "厅运输处" in answer.citations[0].lead_units

    def test_follow_up_deadline_after_a_who_question(self, assistant):
        first = assistant.ask("吉林高速公路快充由谁负责？")
        history = [{"question": "吉林高速公路快充由谁负责？", "answer": first.answer}]
        answer = verified(assistant.ask("那时限呢？", history))
        assert answer.citations[0].clause_id == first.citations[0].clause_id
        assert "2024年底" in answer.answer

    def test_long_list_of_undated_tasks_is_capped_and_counted(self, assistant):
        answer = verified(assistant.ask("哪些任务没有写完成时限？"), skip_first_line=True)
        head = answer.answer.splitlines()[0]
        total = int(re.search(r"共(\d+)项", head).group(1))
        assert len(answer.citations) == deadlines.LIST_LIMIT < total
        assert f"列出前{deadlines.LIST_LIMIT}项" in head
        for c in answer.citations:
            assert c.units and c.deadline is None and not re.search(r"\d+月底|年底前", c.text)
