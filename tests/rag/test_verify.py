"""Grounding checks: a wrong number, unit or citation must be caught; faithful answers pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag import verify
from rag.types import REFUSAL
from rag.verify import (
    SUPPORT_THRESHOLD,
    best_threshold,
    citation_markers,
    extract_numbers,
    sentence_support,
    split_sentences,
    verify_answer,
)

CALIBRATION = Path(__file__).resolve().parents[2] / "eval" / "calibration.jsonl"
CORPUS = Path(__file__).resolve().parents[2] / "docs_corpus"

# Header + clause 11 of the Jilin work plan, as the answerer is shown it.
JILIN_11 = (
    "《2024年吉林省交通运输行业生态环境保护工作要点》 二、重点任务 > （三）强化交通建设绿色环保 "
    "责任单位：厅公路处、省公路局、吉高集团\n"
    "11.深入实施绿色出行“续航工程”，通过招商、合作或自建等模式加快推动高速公路服务区快速充换电设施建设，"
    "力争2024年底高速公路快充覆盖率达60%以上；持续提升公路沿线充电基础设施综合服务指数。"
    "（厅公路处、省公路局、吉高集团按职责分工负责）"
)
YANGCHENG_5 = (
    "《2024年交通运输生态环境保护工作要点》 责任单位：发展中心、农管股、太行一号项目部\n"
    "5. 加快公路新能源充（换）电设施建设。推动我县公路沿线充电基础设施建设。"
    "（责任单位：发展中心、农管股、太行一号项目部）"
)


def test_split_keeps_markers_with_their_sentence():
    text = "责任单位是发展中心 [1]。其中农管股负责扬尘。[2]\n每月2日前报送；逾期通报[3]！"
    assert split_sentences(text) == [
        "责任单位是发展中心 [1]。",
        "其中农管股负责扬尘。[2]",
        "每月2日前报送；",
        "逾期通报[3]！",
    ]


def test_split_keeps_closing_quote_and_marker_after_the_full_stop():
    assert split_sentences("“持续推进。” [2]下一句。") == ["“持续推进。” [2]", "下一句。"]


def test_split_does_not_break_decimals_or_drop_empty_lines():
    assert split_sentences("补植乔木120.64万株。\n\n  \n完成。") == ["补植乔木120.64万株。", "完成。"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("见[1]与[3]", [1, 3]),
        ("全角［2］", [2]),
        ("合并[1,2]和[3，4]、[5、6]", [1, 2, 3, 4, 5, 6]),
        ("连写[2][1]", [2, 1]),
        ("文号〔2024〕138号，无引用", []),
    ],
)
def test_citation_markers(text, expected):
    assert citation_markers(text) == expected


def test_extract_numbers_keeps_meaningful_suffixes_only():
    text = "力争2024年底快充覆盖率达60%以上，绿化3087公里，补植乔木120.64万株，培育2-3户，6月底前报送。"
    assert extract_numbers(text) == ["2024年底", "60%", "3087", "120.64万", "2-3", "6月底"]


def test_extract_numbers_ignores_headings_markers_and_chinese_numerals():
    text = "一、总体目标\n（一）十四五期间 [3]\n1. 第一项任务\n（2）第二项"
    assert extract_numbers(text) == []


def test_numbers_on_both_sides_of_a_marker_stay_apart():
    assert extract_numbers("时间为21:37:24[1]2024年4月28日") == ["21", "37", "24", "2024年4月28日"]


def test_extract_numbers_normalises_full_width_and_full_dates():
    assert extract_numbers("占比９８．８％，2024年9月4日印发") == ["98.8%", "2024年9月4日"]


def test_support_is_full_for_an_extract_with_framing():
    sentence = "根据《2024年交通运输生态环境保护工作要点》，该任务的责任单位是：发展中心、农管股 [1]。"
    assert sentence_support(sentence, [YANGCHENG_5]) == 1.0


def test_support_is_low_for_an_invented_claim():
    sentence = "阳城县将在年底前建成五十座加氢站，并发放购车补贴 [1]。"
    assert sentence_support(sentence, [YANGCHENG_5]) < SUPPORT_THRESHOLD


def test_support_without_sources_is_zero():
    assert sentence_support("加快充电设施建设", []) == 0.0


def test_faithful_answer_passes():
    answer = "力争2024年底高速公路快充覆盖率达60%以上 [1]。该任务由厅公路处、省公路局、吉高集团按职责分工负责 [1]。"
    result = verify_answer(answer, {1: JILIN_11})
    assert result.ok, result
    assert result.support_rate == 1.0


def test_wrong_number_is_reported():
    answer = "力争2024年底高速公路快充覆盖率达70%以上 [1]。"
    result = verify_answer(answer, {1: JILIN_11})
    assert not result.ok
    assert result.missing_numbers == ["70%"]


def test_number_inside_a_longer_number_does_not_count():
    result = verify_answer("快充覆盖率达6%以上 [1]。", {1: JILIN_11})
    assert result.missing_numbers == ["6%"]


def test_number_must_be_in_the_passage_the_sentence_cites():
    answer = "力争2024年底高速公路快充覆盖率达60%以上 [2]。"
    result = verify_answer(answer, {1: JILIN_11, 2: YANGCHENG_5})
    assert "60%" in result.missing_numbers


def test_unknown_citation_invalidates():
    result = verify_answer("力争2024年底高速公路快充覆盖率达60%以上 [4]。", {1: JILIN_11})
    assert not result.citation_valid
    assert result.unknown_citations == [4]
    assert not result.ok


def test_uncited_sentence_is_reported():
    answer = "力争2024年底高速公路快充覆盖率达60%以上 [1]。这项工作非常重要。"
    result = verify_answer(answer, {1: JILIN_11})
    assert result.uncited_sentences == ["这项工作非常重要。"]
    assert not result.ok


def test_lead_in_and_continuation_inherit_citations():
    answer = "吉林省的要求如下：\n力争2024年底高速公路快充覆盖率达60%以上；持续提升公路沿线充电基础设施综合服务指数 [1]。其中由吉高集团按职责分工负责。"
    result = verify_answer(answer, {1: JILIN_11})
    assert result.uncited_sentences == []
    assert result.ok, result


def test_refusal_needs_no_citation():
    result = verify_answer(REFUSAL, {})
    assert result.ok and result.citation_valid


def test_answer_without_any_citation_is_invalid():
    result = verify_answer("快充覆盖率达60%以上。", {1: JILIN_11})
    assert not result.citation_valid
    assert not result.ok


def test_best_threshold_separates_scores():
    threshold, accuracy = best_threshold([(0.2, False), (0.4, False), (0.7, True), (0.9, True)])
    assert 0.4 < threshold <= 0.7 and accuracy == 1.0


def _calibration() -> list[dict]:
    return [json.loads(line) for line in CALIBRATION.read_text(encoding="utf-8").splitlines() if line]


def test_calibration_set_is_large_balanced_and_from_the_corpus():
    rows = _calibration()
    assert len(rows) >= 60
    labels = [row["supported"] for row in rows]
    assert 0.4 <= sum(labels) / len(labels) <= 0.6
    stems = {p.stem.split("-")[0] for p in CORPUS.glob("*.txt")}
    assert {row["doc"] for row in rows} <= stems


def test_documented_threshold_is_the_calibrated_one():
    rows = _calibration()
    scored = [(sentence_support(r["sentence"], [r["passage"]]), r["supported"]) for r in rows]
    threshold, accuracy = best_threshold(scored)
    assert threshold == SUPPORT_THRESHOLD
    assert f"SUPPORT_THRESHOLD = {threshold}" in verify.__doc__
    assert f"accuracy at {threshold} is {accuracy:.3f}" in verify.__doc__


def test_quoted_clause_of_several_sentences_is_one_citation_unit():
    answer = (
        "- 《2024年吉林省交通运输行业生态环境保护工作要点》：“深入实施绿色出行“续航工程”。"
        "力争2024年底高速公路快充覆盖率达60%以上。” [1]\n这句没有引用。"
    )
    result = verify_answer(answer, {1: JILIN_11})
    assert result.uncited_sentences == ["这句没有引用。"]
    assert result.missing_numbers == []


def test_a_list_number_before_a_year_is_found_in_its_passage():
    from rag.verify import number_in

    assert number_in("1", ["附件:1. 2022年区政府工作报告经济社会发展预期目标任务分解表"])
    assert not number_in("1", ["增长1.2022%"])  # inside a decimal it is not the number 1


def test_a_document_number_in_square_brackets_is_quoted_as_no_citation_marker():
    from rag.compose.quote import sentences
    from rag.verify import citation_markers

    [quoted] = sentences("根据《国务院关于进一步加强企业安全生产工作的通知》(国发[2010]23号)要求,开展安全生产大检查。")
    assert "〔2010〕" in quoted and citation_markers(quoted) == []


def test_a_task_list_lead_in_for_a_short_unit_name_is_supported():
    from rag.verify import sentence_support

    assert sentence_support("各地的任务如下：", ["（牵头单位：省发展改革委；责任单位：各地、各部门）"]) == 1.0


def test_a_dotted_date_range_is_one_number():
    from rag.verify import extract_numbers, number_in

    assert extract_numbers("检查时间 2026.01.01-2026.12.31 [1]") == ["2026.01.01-2026.12.31"]
    assert number_in("2026.01.01-2026.12.31", ["| 日常 | 2026.01.01-2026.12.31 | 是 |"])


def test_a_quoted_sentence_ending_in_an_ascii_exclamation_mark_carries_its_own_citation():
    from rag.compose.quote import cited, sentences
    from rag.verify import verify_answer

    text = "全力推进项目建设!确保年底前完工。"
    answer = "根据《通知》：" + cited(sentences(text), 1)
    assert verify_answer(answer, {1: text}).ok


def test_a_lead_only_who_sentence_after_a_heading_with_semicolons_is_supported():
    source = ("《j01》 表格 > 一季度启动“青工文化驿站”选址工作;二季度确定建设点位;三季度实施建设;四季度建成。（牵头单位：市文化局）\n"
              "一季度启动“青工文化驿站”选址工作;二季度确定建设点位;三季度实施建设;四季度建成。 | 完成青工文化驿站建设任务。 | 市文化局 | 市文化局 | ||")
    answer = ("根据《j01》，“一季度启动“青工文化驿站”选址工作;二季度确定建设点位;三季度实施建设;四季度建成”"
              "的牵头单位是市文化局，未另列其他责任单位 [1]。")
    result = verify_answer(answer, {1: source})
    assert result.ok and not result.unsupported_sentences, result


def test_a_subject_stays_in_its_quoted_sentence_but_a_responsibility_bracket_does_not():
    from rag.compose.quote import sentences

    text = "火灾发生后,市气象部门要对火场气候进行监测,提供火场天气预报。"
    assert sentences(text, duty_text="市气象部门") == [text]
    assert sentences("建成充电站10座。（责任单位：市交通局）", duty_text="（责任单位：市交通局）") == ["建成充电站10座。"]
