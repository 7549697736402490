"""The UI's HTML views: what a reader sees in citation cards, refusals, trees and exports."""

from __future__ import annotations

import csv
import re

from rag.types import REFUSAL, Answer, Citation
from web import render


def cite(**overrides) -> Citation:
    values = dict(
        n=1,
        doc_id="yangcheng-2024-transport-eco-workplan",
        doc_title="关于印发《2024年工作要点》的通知",
        doc_number="阳交字〔2024〕138号",
        issuer="阳城县交通运输局",
        date="2024-09-04",
        section="二、重点任务 > （四）污染防治 > 5.",
        text="5. 推动公路沿线充电基础设施建设。（责任单位：发展中心、农管股）",
        units=["发展中心", "农管股"],
        lead_units=["发展中心"],
        inherited_units=[],
        highlight="",
    )
    values.update(overrides)
    return Citation(**values)


def visible_text(fragment: str) -> str:
    """Roughly what a browser shows: tags dropped, entities decoded."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_card_shows_notice_identity_section_units_and_text():
    html_card = render.citation_card(cite())
    shown = visible_text(html_card)
    for part in (
        "关于印发《2024年工作要点》的通知",
        "阳交字〔2024〕138号",
        "阳城县交通运输局",
        "2024-09-04",
        "二、重点任务 > （四）污染防治 > 5.",
        "推动公路沿线充电基础设施建设",
    ):
        assert part in shown


def test_lead_and_inherited_units_are_marked():
    card = render.citation_card(
        cite(
            units=["发展中心", "农管股", "各工程项目部"],
            lead_units=["发展中心"],
            inherited_units=["各工程项目部"],
        )
    )
    assert "发展中心牵头" in visible_text(card)
    assert "各工程项目部继承" in visible_text(card)
    assert "农管股牵头" not in visible_text(card) and "农管股继承" not in visible_text(card)


def test_markup_in_clause_question_or_title_is_shown_as_text():
    evil = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    card = render.citation_card(
        cite(text=f"扬尘{evil}治理", doc_title=evil, section=evil, units=[evil], highlight="扬尘")
    )
    assert "<img" not in card and "<script" not in card
    assert evil in visible_text(card)
    assert "&lt;img" in render.chat_text(evil)


def test_supporting_sentence_is_highlighted_once():
    card = render.citation_card(cite(highlight="推动公路沿线充电基础设施建设。"))
    assert card.count("<mark>") == 1
    assert "<mark>推动公路沿线充电基础设施建设。</mark>" in card


def test_refusal_is_a_grey_box_with_related_clauses_for_reference_only():
    refused = Answer(question="GDP是多少？", answer=REFUSAL, refused=True, intent="refuse", related=[cite()])
    panel = render.answer_panel(refused)
    assert 'class="refusal-box"' in panel
    assert REFUSAL in panel and "相关条款（仅供参考）" in panel
    answered = render.answer_panel(
        Answer(question="q", answer="a[1]", refused=False, intent="who", citations=[cite()])
    )
    assert "refusal-box" not in answered and "仅供参考" not in answered


def test_chat_text_keeps_markdown_characters_literal():
    shown = render.chat_text("第*1*项_任务_ [1]")
    assert "\\*1\\*" in shown and "\\_任务\\_" in shown and "\\[1\\]" in shown


def test_clause_tree_nests_by_section_path_in_document_order():
    clauses = [
        cite(section="一、总体目标", text="总体目标正文"),
        cite(section="二、重点任务 > （一）学习 > 1.", text="学习条款"),
        cite(section="二、重点任务 > （二）统筹 > 1.", text="统筹条款"),
    ]
    tree = render.clause_tree(clauses)
    shown = visible_text(tree)
    assert (
        shown.index("总体目标正文")
        < shown.index("二、重点任务")
        < shown.index("（一）学习")
        < shown.index("（二）统筹")
    )
    assert tree.count("<summary>二、重点任务</summary>") == 1


def test_task_rows_group_by_notice_and_name_the_role(tmp_path):
    tasks = [
        cite(doc_id="a", doc_title="甲", text="甲1", lead_units=["综运股"], units=["综运股"]),
        cite(doc_id="b", doc_title="乙", text="乙1", lead_units=["发展中心"], units=["发展中心", "综运股"]),
        cite(
            doc_id="a",
            doc_title="甲",
            text='=HYPERLINK("x")',
            lead_units=[],
            units=["综运股"],
            inherited_units=["综运股"],
        ),
    ]
    rows = render.task_rows("综运股", tasks)
    assert [r[0] for r in rows] == ["甲", "甲", "乙"]
    assert [r[4] for r in rows] == ["牵头", "继承（上级条款）", "配合"]
    assert [r[5] for r in rows] == ["未写明", "未写明", "未写明"]
    path = render.write_csv(tmp_path / "t.csv", rows)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        read = list(csv.reader(fh))
    assert read[0] == render.TASK_HEADERS
    assert read[2][3].startswith("'=")  # a spreadsheet must not run it as a formula
    assert "共 3 项任务，涉及 2 份文件" in render.task_summary("综运股", tasks)


def test_a_pdf_clause_card_shows_its_page_and_a_text_clause_card_shows_none():
    assert "阳交字〔2024〕138号 · 阳城县交通运输局 · 2024-09-04 · p. 3" in visible_text(render.citation_card(cite(page=3)))
    assert "p. " not in visible_text(render.citation_card(cite()))


def test_task_rows_and_csv_have_a_deadline_column(tmp_path):
    rows = render.task_rows("发展中心", [cite(deadline="2024年6月底前"), cite(n=2, text="6. 另一项", deadline=None)])
    assert render.TASK_HEADERS[-1] == "完成时限" and [r[-1] for r in rows] == ["2024年6月底前", "未写明"]
    with render.write_csv(tmp_path / "t.csv", rows).open(encoding="utf-8-sig", newline="") as fh:
        read = list(csv.reader(fh))
    assert read[0][-1] == "完成时限" and read[1][-1] == "2024年6月底前"
