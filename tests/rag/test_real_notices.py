"""Who-questions about real notices from other bureaus, indexed beside the seed notices.

The units come from forms the seed notices never use (a 〔牵头单位…〕 bracket, label lines, a task
table printed one cell per line); the answer must name that notice's units, not another notice's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPUS, store_settings

REAL = Path(__file__).resolve().parent.parent / "data" / "real_notices"
NOTICES = (
    "b07-gangcheng-fangguanfu-brackets.txt",
    "b10-lingbi-weijian-lead-labels.txt",
    "b05-lueyang-wenlv-table-leaders.txt",
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mixed_assistant(tmp_path_factory: pytest.TempPathFactory):
    from index.store import build_index
    from rag.answer import Assistant

    corpus = tmp_path_factory.mktemp("mixed-corpus")
    for path in CORPUS.iterdir():
        shutil.copy(path, corpus / path.name)
    for name in NOTICES:
        shutil.copy(REAL / name, corpus / name)
    store = tmp_path_factory.mktemp("mixed-store")
    settings = store_settings(store, corpus=corpus)
    report = build_index(settings, progress=False)
    assert report.documents == 8 and not report.failed, report.summary()
    return Assistant.load(settings=settings)


@pytest.mark.parametrize(
    ("question", "notice", "units", "lead"),
    [
        ("严格落实行政许可设定审查制度由哪些单位负责？", "b07", ("区政府办公室", "区司法局", "区行政审批服务局"), "区政府办公室"),
        ("毫不放松抓好新冠肺炎疫情常态化防控工作的牵头单位是谁？", "b10", ("县卫健委",), "县卫健委"),
        ("开展专项整治行动4次以上、查办案件不少于5件由谁负责？", "b05", ("执法大队",), None),
    ],
)
def test_who_answers_come_from_the_notice_that_states_the_task(
    mixed_assistant, extractive, question, notice, units, lead
) -> None:
    answer = mixed_assistant.ask(question)
    assert not answer.refused, answer.answer
    first = answer.citations[0]
    assert first.doc_id.startswith(notice), [c.doc_id for c in answer.citations]
    for unit in units:
        assert unit in first.units and unit in answer.answer
    if lead:
        assert lead in first.lead_units


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("毫不放松抓好新冠肺炎疫情常态化防控工作由哪个单位主办？", ("县卫健委",)),
        ("毫不放松抓好新冠肺炎疫情常态化防控工作谁牵头、哪些单位配合？", ("县卫健委", "各乡镇人民政府", "经济开发区管委会")),
    ],
)
def test_a_question_for_the_lead_alone_gets_the_lead_and_one_for_its_partners_gets_them_too(
    mixed_assistant, extractive, question, named
) -> None:
    answer = mixed_assistant.ask(question)
    assert not answer.refused, answer.answer
    assert answer.units == list(named) or (len(named) > 1 and all(u in answer.units for u in named)), answer.units


def test_a_units_tasks_keep_to_the_place_the_question_names(mixed_assistant, extractive) -> None:
    # 综运股 is a unit of the Yangcheng notice; the 钢城区 notice lists no task of it.
    assert mixed_assistant.ask("阳城县综运股负责哪些任务？").citations
    answer = mixed_assistant.ask("钢城区的综运股负责哪些任务？")
    assert answer.refused, answer.answer


def test_a_follow_up_about_the_lead_answers_from_the_previous_topic(mixed_assistant, extractive) -> None:
    history = [{"question": "钢城区严格落实行政许可设定审查制度有什么要求？", "answer": "…[1]"}]
    answer = mixed_assistant.ask("牵头的是哪个部门？", history=history)
    assert not answer.refused, answer.answer
    assert answer.citations[0].doc_id.startswith("b07")
    assert "区政府办公室" in answer.units


def test_a_unit_asked_in_traditional_script_gets_the_same_task_list(mixed_assistant, extractive) -> None:
    simplified = mixed_assistant.ask("阳城县综运股负责哪些任务？")
    traditional = mixed_assistant.ask("陽城縣綜運股負責哪些任務？")
    assert not traditional.refused, traditional.answer
    assert [c.clause_id for c in traditional.citations] == [c.clause_id for c in simplified.citations]


def test_a_tasks_question_retrieves_the_units_clauses_in_the_place_named(mixed_assistant) -> None:
    hits = mixed_assistant.retrieve("钢城区的区司法局负责哪些任务？", k=5)
    assert hits and all(h.metadata["doc_id"].startswith("b07") for h in hits), [h.metadata["doc_id"] for h in hits]



def test_a_units_tasks_keep_to_the_topic_the_question_names(mixed_assistant, extractive) -> None:
    # 综运股 is a unit of the Yangcheng transport notice; the notice about 行政许可 lists no task of it
    assert mixed_assistant.ask("综运股负责哪些任务？").citations
    answer = mixed_assistant.ask("行政许可设定审查制度中，综运股负责哪些任务？")
    assert answer.refused, answer.answer


def _one_notice_assistant(tmp_path_factory: pytest.TempPathFactory, notice: str):
    """An assistant over one real notice alone (saved under its short name, as a user's upload would be)."""
    from index.store import build_index
    from rag.answer import Assistant

    corpus = tmp_path_factory.mktemp("one-corpus")
    shutil.copy(REAL / notice, corpus / f"{notice.split('-')[0]}.txt")
    settings = store_settings(tmp_path_factory.mktemp("one-store"), corpus=corpus)
    build_index(settings, progress=False)
    return Assistant.load(settings=settings)


def test_a_who_question_naming_its_notice_is_answered_from_a_task_not_from_the_preamble(tmp_path_factory) -> None:
    assistant = _one_notice_assistant(tmp_path_factory, "zo05-hangzhou-wage-arrears-unit-heading-item-fuze.txt")
    answer = assistant.ask("杭州市加强欠薪问题处置化解工作的通知中，对本行政区域内保障农民工工资支付工作负主责的是谁？")
    assert not answer.refused, answer.answer
    assert answer.units == ["区、县(市)政府"]
    assert "“认真履行属地责任" in answer.answer  # the task, not its heading (which is the body's name)


def test_a_generic_department_gets_every_body_of_that_kind_the_notice_writes(tmp_path_factory) -> None:
    """"气象部门负责什么": the Shenyang forest-fire plan writes both 市气象部门 and 市气象局; both task lists."""
    assistant = _one_notice_assistant(tmp_path_factory, "w01-shenyang-forest-fire-unit-heading-fuze-lines.txt")
    answer = assistant.ask("沈阳市森林火灾应急预案中，气象部门负责什么？")
    assert not answer.refused, answer.answer
    assert {"市气象部门", "市气象局"} <= set(answer.units)
    assert "市气象局负责“定时向市森林防火指挥部提供气象" in answer.answer  # its task, not its heading (its own name)
    assert sorted(c.n for c in answer.citations) == list(range(1, len(answer.citations) + 1))  # one numbering
