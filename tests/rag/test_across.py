"""Questions over two notices named side by side: split into one question per notice, answers merged."""

from __future__ import annotations

import pytest

from rag.across import merge, split_across
from rag.types import Answer, Citation
from rag.verify import verify_answer


@pytest.mark.parametrize(
    "question, halves",
    [
        ("节能工作分工中的市交通局和机动车区域限行方案中的市交通运输局，分别负责什么？",
         ["节能工作分工中的市交通局负责什么？", "机动车区域限行方案中的市交通运输局负责什么？"]),
        ("機動車區域限行實施方案和潍坊2017年政务公开实施方案中，市财政局分别负责什么？",  # the unit is said once
         ["機動車區域限行實施方案中，市财政局负责什么？", "潍坊2017年政务公开实施方案中，市财政局负责什么？"]),
        ("宁波2014年民生实事和深圳交通治理文件在公交线路调整上分别有什么安排？",
         ["宁波2014年民生实事在公交线路调整上有什么安排？", "深圳交通治理文件在公交线路调整上有什么安排？"]),
        ("山西抗旱预案和乌鲁木齐禽流感预案里，交通部门都得干啥？",
         ["山西抗旱预案里，交通部门得干啥？", "乌鲁木齐禽流感预案里，交通部门得干啥？"]),
        ("公安交通管理部门在城市道路安全设施和三轮车整治里各要干啥？",  # the body asked about first
         ["公安交通管理部门在城市道路安全设施里要干啥？", "公安交通管理部门在三轮车整治里要干啥？"]),
        ("西湖区新增停车位那个省实事和连云港50件实事里的市场主体培育，各是哪个单位负责的？",  # each half its own topic
         ["西湖区新增停车位那个省实事是哪个单位负责的？", "连云港50件实事里的市场主体培育是哪个单位负责的？"]),
    ],
)
def test_a_question_naming_two_notices_is_split_into_one_question_each(question: str, halves: list[str]) -> None:
    assert split_across(question) == halves


@pytest.mark.parametrize(
    "question",
    ["立山区和蔡甸区2023年的地区生产总值增长目标分别是多少？",  # two places: answered per place elsewhere
     "市住房和城乡建设局负责哪些工作？",  # 和 inside a name, no 分别
     "公路充电设施建设由谁负责？"],
)
def test_other_questions_are_not_split(question: str) -> None:
    assert split_across(question) is None


def _cite(n: int, doc: str, text: str) -> Citation:
    return Citation(n=n, doc_id=doc, doc_title=doc, doc_number=None, issuer=None, date=None, section="",
                    text=text, units=[], lead_units=[])


def test_the_merged_answer_renumbers_citations_and_says_which_half_has_no_answer() -> None:
    first = Answer(question="甲方案中市交通局负责什么？", answer="- 《甲》：负责公路节能 [1]；负责水路节能 [2]。",
                   refused=False, intent="tasks", units=["市交通局"],
                   citations=[_cite(1, "甲", "负责公路节能。"), _cite(2, "甲", "负责水路节能。")])
    second = Answer(question="乙方案中市交通运输局负责什么？", answer="- 《乙》：负责运营车辆管理 [1]。", refused=False,
                    intent="tasks", units=["市交通运输局"], citations=[_cite(1, "乙", "负责运营车辆管理。")])
    none = Answer(question="丙方案中市财政局负责什么？", answer="根据现有文件，无法回答这个问题。", refused=True, intent="tasks")
    merged = merge("…分别负责什么？", "tasks", [first, second, none])
    assert [c.n for c in merged.citations] == [1, 2, 3]
    assert "负责运营车辆管理 [3]" in merged.answer and "丙方案中市财政局负责什么" in merged.answer
    assert merged.units == ["市交通局", "市交通运输局"]
    assert verify_answer(merged.answer, {c.n: c.text for c in merged.citations}).ok
