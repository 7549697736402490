"""UnitVocabulary: unit names of an index, tolerated variants, and a unit found in a question."""

from __future__ import annotations

from rag.units_lookup import UnitVocabulary, norm


def meta(doc: str, text: str, units: list[str], table_units: list[str] | None = None, part: int = 0) -> dict:
    return {"doc_id": doc, "text": text, "units": units, "table_units": table_units or [], "part": part}


YANGCHENG = [
    meta("yc", "加强扬尘污染治理。", ["综合行政执法队", "农管股", "各工程项目部"]),
    meta("yc", "加强绿色交通科技创新与应用。", ["农管股", "各工程项目部"], ["局农管股", "各工程项目部"]),
    meta("yc", "持续推进“公转铁”。", ["综运股"]),
]


def test_counts_each_clause_once_and_ignores_continuation_pieces() -> None:
    vocab = UnitVocabulary(YANGCHENG + [meta("yc", "…续", ["综运股"], part=1)])
    assert vocab.counts["农管股"] == 2
    assert vocab.counts["综运股"] == 1
    assert vocab.names[:2] == ["农管股", "各工程项目部"]  # most tasks first
    assert vocab.docs["农管股"] == ["yc"]


def test_a_bureau_prefix_is_tolerated_both_ways() -> None:
    vocab = UnitVocabulary(YANGCHENG)
    assert set(vocab.variants("局农管股")) == {"局农管股", "农管股"}
    assert set(vocab.variants("农管股")) == {"农管股", "局农管股"}


def test_an_unknown_unit_has_no_variants() -> None:
    assert UnitVocabulary(YANGCHENG).variants("水运股") == []


def test_full_and_half_width_brackets_are_the_same_name() -> None:
    vocab = UnitVocabulary([meta("jl", "树立红线意识。", ["各市〔州〕交通运输局"])])
    assert vocab.variants("各市(州)交通运输局") == ["各市〔州〕交通运输局"]
    assert vocab.variants("各市（州）交通运输局") == ["各市〔州〕交通运输局"]
    assert norm("各市（州）") == norm("各市〔州〕")


def test_short_and_long_bureau_names_match_only_when_one_notice_uses_both() -> None:
    both = UnitVocabulary([meta("lyg", "市交通局、市交通运输局共同推进。", ["市交通局"])])
    assert both.variants("市交通运输局") == ["市交通局"]
    only_short = UnitVocabulary([meta("lyg", "由市交通局推进。", ["市交通局"])])
    assert only_short.variants("市交通运输局") == []


def test_the_longest_unit_named_in_a_question_wins() -> None:
    vocab = UnitVocabulary(
        [
            meta("jl", "a", ["厅运输处", "省运输局"]),
            meta("jl", "b", ["省公路局"]),
            meta("yc", "c", ["综合行政执法队"]),
        ]
    )
    assert vocab.find_in("厅运输处负责哪些工作？") == "厅运输处"
    assert vocab.find_in("综合行政执法队要做什么") == "综合行政执法队"
    assert vocab.find_in("公路沿线充电设施建设由谁负责？") is None


def test_a_question_naming_the_ledger_form_finds_the_unit() -> None:
    vocab = UnitVocabulary(YANGCHENG)
    assert vocab.find_in("局农管股负责哪些工作？") in {"局农管股", "农管股"}


def test_the_body_the_question_makes_the_subject_is_the_one_asked_about() -> None:
    vocab = UnitVocabulary([meta("ln", "全面优化政务服务办事流程。", ["审批处", "民服中心"]),
                            meta("ln", "做好政策解读。", ["省民政厅"])])
    assert vocab.find_in("辽宁省民政厅2020年政务公开工作要点中，审批处负责哪些工作？") == "审批处"
    assert vocab.find_in("省民政厅的政务公开要点里有哪些要求？") == "省民政厅"


def test_a_name_found_inside_a_longer_name_is_not_the_one_asked_about() -> None:
    vocab = UnitVocabulary([meta("v", "加强宣传。", ["管委", "各街道办事处"])])
    assert vocab.find_in("城区政府（管委会）要履行哪些职责？") is None  # 管委会 is not 管委
    assert vocab.find_in("管委负责哪些工作？") == "管委"


def test_a_stem_a_list_shares_is_no_body_in_a_question() -> None:
    vocab = UnitVocabulary([meta("b", "做好宣传。", ["卫生", "建设", "区粮食局"])])  # "卫生、建设等部门负责…"
    assert vocab.find_in("今冬明春农田水利基本建设中，对区粮食局有哪些工作要求？") == "区粮食局"
    assert vocab.find_in("农田水利基本建设有哪些要求？") is None


def test_a_body_in_the_scene_the_question_opens_with_is_not_the_one_asked_about() -> None:
    vocab = UnitVocabulary([meta("lj", "占道经营。", ["凤城镇"]), meta("lj", "通报如下。", ["县创建办"]),
                            meta("ly", "新建绿地。", ["市林业局"]), meta("ly", "水系连通。", ["市水利局"])])
    assert vocab.find_in("县创建办那次督查，凤城镇这块被点了哪些问题？") == "凤城镇"
    assert vocab.find_in("市林业局2021年政府工作报告任务落实表里，市水利局要协同哪些事？") == "市水利局"
    assert vocab.find_in("市林业局负责哪些任务？") == "市林业局"
