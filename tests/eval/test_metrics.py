"""Metric functions on hand-made cases whose values are worked out by hand."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    citation_validity,
    clause_matches,
    false_refusal_rate,
    hit_at_k,
    mrr_at_k,
    ndcg_at_k,
    normalise_unit,
    number_fidelity,
    percentile,
    refusal_recall,
    relevance_ids,
    sentence_support_rate,
    task_list_completeness,
    unit_prf,
)
from rag.verify import Verification

RANKED = ["a", "b", "c", "d", "e"]


def test_hit_at_k_counts_only_the_top_k():
    assert hit_at_k(RANKED, {"c"}, 3) == 1.0
    assert hit_at_k(RANKED, {"c"}, 2) == 0.0
    assert hit_at_k(RANKED, set(), 5) == 0.0


def test_mrr_is_reciprocal_rank_of_first_gold():
    assert mrr_at_k(RANKED, {"c", "e"}, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(RANKED, {"e"}, 4) == 0.0


def test_ndcg_binary_relevance():
    # gold at ranks 1 and 3 of two gold items: (1 + 1/log2(4)) / (1 + 1/log2(3))
    expected = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(RANKED, {"a", "c"}, 10) == pytest.approx(expected)
    assert ndcg_at_k(["a", "b"], {"a", "b"}, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "y"], {"a"}, 10) == 0.0


def test_ndcg_does_not_reward_a_repeated_gold_item():
    once = ndcg_at_k(["g", "x", "y"], {"g", "h"}, 3)
    twice = ndcg_at_k(["g", "g", "y"], {"g", "h"}, 3)
    assert twice == pytest.approx(once)


def test_clause_match_ignores_whitespace_and_width_but_not_doc():
    text = "力争2024年底高速公路快充覆盖率达６０％以上；\n持续提升"
    gold = {"doc": "jilin", "contains": "快充覆盖率达 60%以上"}
    assert clause_matches("jilin", text, gold)
    assert not clause_matches("yangcheng", text, gold)
    assert not clause_matches("jilin", "快充覆盖率达50%以上", gold)


def test_relevance_ids_merge_parts_of_one_gold_clause():
    retrieved = [("d1", "无关条款"), ("d1", "第一部分 甲乙丙"), ("d1", "第二部分 甲乙丙"), ("d2", "丁戊")]
    gold = [{"doc": "d1", "contains": "甲乙丙"}, {"doc": "d2", "contains": "丁戊"}]
    ranked, gold_ids = relevance_ids(retrieved, gold)
    assert ranked[1] == ranked[2] == ("gold", 0)
    assert ranked[3] == ("gold", 1)
    assert hit_at_k(ranked, gold_ids, 1) == 0.0
    assert mrr_at_k(ranked, gold_ids, 10) == 0.5
    assert ndcg_at_k(ranked, gold_ids, 10) < 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [("局农管股", "农管股"), ("各市〔州〕交通运输局", "各市(州)交通运输局"), ("厅综规处", "厅综合规划处"), (" 党办 ", "党办")],
)
def test_unit_names_that_mean_the_same_unit_compare_equal(a, b):
    assert normalise_unit(a) == normalise_unit(b)


def test_normalisation_keeps_distinct_units_distinct():
    assert normalise_unit("局") == "局"
    assert normalise_unit("省运输局") != normalise_unit("厅运输处")


def test_unit_prf():
    p, r, f = unit_prf(["发展中心", "局农管股", "水运股"], ["发展中心", "农管股", "太行一号项目部", "综运股"])
    assert (p, r) == pytest.approx((2 / 3, 2 / 4))
    assert f == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert unit_prf([], []) == (1.0, 1.0, 1.0)
    assert unit_prf([], ["党办"]) == (0.0, 0.0, 0.0)
    assert unit_prf(["党办", "党办"], ["党办"]) == (1.0, 1.0, 1.0)


def test_task_list_completeness():
    gold = [{"doc": "y", "contains": "扬尘污染治理"}, {"doc": "y", "contains": "噪声污染防治"}]
    predicted = [("y", "2. 加强扬尘污染治理。持续做好"), ("j", "噪声污染防治")]
    assert task_list_completeness(predicted, gold) == 0.5
    assert task_list_completeness([], []) == 1.0


def _v(valid=True, missing=(), rate=1.0) -> Verification:
    return Verification(ok=valid and not missing, citation_valid=valid, missing_numbers=list(missing), support_rate=rate)


def test_answer_level_rates():
    vs = [_v(), _v(valid=False, rate=0.5), _v(missing=["70%"], rate=0.0)]
    assert citation_validity(vs) == pytest.approx(2 / 3)
    assert number_fidelity(vs) == pytest.approx(2 / 3)
    assert sentence_support_rate(vs) == pytest.approx(0.5)
    assert citation_validity([]) is None


def test_refusal_rates():
    refused = [True, False, True, False, False]
    answerable = [False, False, True, True, True]
    assert refusal_recall(refused, answerable) == 0.5
    assert false_refusal_rate(refused, answerable) == pytest.approx(1 / 3)
    assert refusal_recall([False], [True]) is None
    with pytest.raises(ValueError):
        refusal_recall([True], [True, False])


def test_percentile_interpolates():
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 101)
