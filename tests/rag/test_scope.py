"""Which notices a question naming a place is answered from (rag/scope.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from rag.retrieve import Filters
from rag.scope import implied_filters, leading_places, place_scopes, question_places


@pytest.mark.parametrize(
    "text, places",
    [
        ("鞍山市立山区人民政府", ["鞍山", "立山"]),
        ("怀远县农业农村局", ["怀远"]),
        ("【市政府重点工作及责任分解】滁州市人民政府关于2020年市政府重点工作", ["滁州"]),
        ("2024年吉林省交通运输行业生态环境保护工作要点", ["吉林"]),
        ("洋縣人民政府關于印發洋縣2024年十大民生實事項目的通知", ["洋县"]),  # traditional, one-character county
        ("各县（区）交通运输局：", []),  # an addressee line names no place of the notice
        ("区人民政府办公室", []),
    ],
)
def test_the_places_a_title_or_issuer_opens_with(text: str, places: list[str]) -> None:
    assert leading_places(text) == places


def _meta(doc: str, title: str, issuer: str | None, text: str) -> dict:
    return {"doc_id": doc, "doc_title": title, "issuer": issuer, "region": None, "text": text}


def _view() -> SimpleNamespace:
    metas = [
        _meta("anshan", "立山区政府2023年重点工作任务分解方案", "鞍山市立山区人民政府", "地区生产总值增长6.2%左右。"),
        _meta("jilin", "2024年吉林省交通运输工作要点", None, "推进长春国际陆港多式联运示范工程创建。"),
        _meta("untitled", "", None, "地区生产总值增长7%以上。"),  # a page saved without its header
        _meta("chuzhou", "滁州市人民政府关于2020年市政府重点工作及责任分解的通知", None, "财政收入增长8%左右。"),
    ]
    return SimpleNamespace(metas=metas, doc_titles={m["doc_id"]: m["doc_title"] for m in metas})


def test_a_place_scopes_to_the_notices_about_it_then_adds_those_naming_no_place() -> None:
    view = _view()
    assert place_scopes(question_places("立山区2023年地区生产总值增长目标是多少？", view), view) == (("anshan",), ("untitled",))
    scopes = implied_filters("立山区2023年地区生产总值增长目标是多少？", view, None)
    assert scopes == [Filters(doc_ids=("anshan",)), Filters(doc_ids=("anshan", "untitled"))]


def test_a_place_named_only_in_a_notices_text_keeps_that_notice() -> None:
    view = _view()
    about, _ = place_scopes(question_places("长春国际陆港多式联运示范工程由谁负责？", view), view)
    assert about == ("jilin",)


def test_a_question_naming_no_place_searches_everything() -> None:
    assert implied_filters("财政收入增长目标是多少？", _view(), None) == [None]


def test_a_title_that_opens_with_a_word_and_shi_names_no_place() -> None:
    from rag.scope import leading_places

    assert leading_places("生态市建设市直部门职责任务") == []  # 生态市: an eco-city, not a place
    assert leading_places("文明城市创建任务分解") == []
    assert leading_places("钢城区人民政府办公室") == ["钢城"]
    assert leading_places("监利县2018年环境空气质量综合整治方案") == ["监利"]  # 监利 is also a word; 监利县 a place
    assert leading_places("杨浦区民生实事项目") == ["杨浦"]


def test_a_place_named_with_its_suffix_keeps_a_notice_that_names_it_without() -> None:
    view = _view()
    view.metas.append(_meta("putian", "", None, "(二)市卫生局负责,莆田出入境检验检疫局配合,制定年度食品污染物监测计划。"))
    view.doc_titles["putian"] = ""
    about, _ = place_scopes(question_places("莆田市食品污染物监测计划由哪些单位负责？", view), view)
    assert about == ("putian",)


def test_a_word_that_only_ends_like_a_place_is_none_and_places_come_in_one_order() -> None:
    # "山西城市公交车": jieba tags 城市 as a place; taken as one, every notice was "about" it, and the order
    # of two equally long places changed from process to process (and with it the answer)
    view = _view()
    assert question_places("到2023年底山西城市公交车中新能源车占比多少？", view) == ["山西"]
    assert question_places("长春和滁州的财政收入目标分别是多少？", view) == ["滁州", "长春"] == sorted(["长春", "滁州"])
