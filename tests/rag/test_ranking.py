"""Choosing the clauses a who-answer quotes: the same task in other notices, and only that."""

from __future__ import annotations

from rag.ranking import best_supported, same_task_across_docs
from rag.types import Hit


def hit(doc: str, text: str, dense: float = 0.5) -> Hit:
    meta = {"doc_id": doc, "doc_title": "", "section": "", "section_path": [], "units": ["某局"]}
    return Hit(clause_id=doc + text[:4], text=text, metadata=meta, score=0.0, dense=dense)  # type: ignore[arg-type]


def test_another_notice_joins_only_with_the_questions_rarest_word() -> None:
    question = "标准化菜市场改建的实事项目由哪个部门牵头负责？"
    best = hit("a", "改建标准化菜市场4家，建设追溯系统。实事项目由区商务委牵头负责。", 0.7)
    same = hit("b", "改建标准化菜市场10家。实事项目牵头负责。", 0.6)
    other = hit("c", "开展妇幼健康守护行动，实事项目由部门牵头负责。", 0.6)
    df = {"标准化": 3, "菜市场": 2, "改建": 5, "实事": 20, "项目": 50}
    chosen = same_task_across_docs(question, [best, other, same], df=df)
    assert [h.metadata["doc_id"] for h in chosen] == ["a", "b"]


def test_the_words_naming_the_notice_count_for_every_clause_of_a_notice_that_has_them() -> None:
    # the notice shows no title: "粮食应急" and "预案" of its name are in the county clause's text,
    # not in the clause of the task the question asks about
    question = "清远市粮食应急预案中，建立全市粮食市场监测预警系统由哪个单位牵头？"
    asked = hit("zu08", "市发展和改革局(市粮食局)会同有关单位负责建立全市粮食市场监测预警系统。", 0.59)
    county = hit("zu08", "各县(市、区)人民政府成立粮食应急工作指挥机构。建立完善粮食市场监测预警系统,首先启动本级粮食应急预案。", 0.65)
    whole = {"zu08": "清远市粮食应急预案\n" + asked.text + county.text}
    assert best_supported(question, [asked, county], notice=whole.__getitem__) is asked


def test_a_notice_named_without_a_comma_and_another_notice_that_shares_a_word_of_its_name() -> None:
    # "…措施里提高…": the notice's name ends at its kind word; the other notice's title has 稳增长 and
    # 措施 but not 官渡区, and its clause is not the task
    question = "官渡区稳增长措施里提高土地审批效率这一条，由哪些部门负责？"
    asked = hit("a13", "2. 提高土地审批效率。辖区范围内的土地使用转让手续,区政府审查后办理土地登记。", 0.59)
    other = hit("f01", "抓住国家加快铁路建设机遇,今明两年投资530亿元。", 0.45)
    other.metadata["doc_title"] = "黑龙江省促进经济稳增长的若干措施"
    whole = {"a13": "为贯彻落实稳增长各项决策部署,结合官渡区实际,特制定如下政策措施。" + asked.text,
             "f01": "黑龙江省促进经济稳增长的若干措施" + other.text}
    assert best_supported(question, [other, asked], notice=whole.__getitem__) is asked

