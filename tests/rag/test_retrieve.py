"""Filters, and hybrid retrieval / unit lookups on the real index."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.retrieve import Filters, IndexView
from tests.conftest import store_settings

JL = "jilin-2024-transport-eco-workplan"
YC = "yangcheng-2024-transport-eco-workplan"
META = {"doc_id": JL, "issuer": None, "region": "吉林省", "year": 2024, "units": ["厅公路处", "吉高集团"]}


@pytest.mark.parametrize(
    ("filters", "matches"),
    [
        (Filters(), True),
        (Filters(doc_id=JL), True),
        (Filters(doc_id=YC), False),
        (Filters(region="吉林"), True),
        (Filters(region="江苏"), False),
        (Filters(year=2024), True),
        (Filters(year=2023), False),
        (Filters(unit="吉高集团"), True),
        (Filters(unit="吉高"), False),  # a unit filter is an exact name, not a substring
        (Filters(issuer="阳城县交通运输局"), False),  # the notice states no issuer
    ],
)
def test_filters_match_clause_metadata(filters: Filters, matches: bool) -> None:
    assert filters.matches(META) is matches


@pytest.fixture(scope="module")
def view(built_store: Path) -> IndexView:
    return IndexView(store_settings(built_store))


@pytest.mark.slow
def test_the_best_hit_for_a_tasks_words_is_that_task(view: IndexView) -> None:
    hits = view.search("加快公路新能源充（换）电设施建设", k=5)
    assert hits[0].metadata["doc_id"] == YC
    assert hits[0].metadata["section_path"][-1] == "5. 加快公路新能源充（换）电设施建设"
    assert hits[0].metadata["units"] == ["发展中心", "农管股", "太行一号项目部"]


@pytest.mark.slow
def test_a_doc_filter_keeps_every_hit_in_that_notice(view: IndexView) -> None:
    hits = view.search("充电设施建设", k=8, filters=Filters(doc_id=JL))
    assert hits and {h.metadata["doc_id"] for h in hits} == {JL}
    assert any(h.metadata.get("clause_no") == "11." for h in hits)


@pytest.mark.slow
def test_a_filter_nothing_matches_returns_no_hits(view: IndexView) -> None:
    assert view.search("充电设施建设", k=8, filters=Filters(doc_id="no-such-notice")) == []


@pytest.mark.slow
def test_a_unit_lookup_returns_every_clause_of_that_unit_in_document_order(view: IndexView) -> None:
    hits = view.by_units(["综运股"])
    assert [h.metadata["section_path"][1:] for h in hits] == [
        ["(三) 持续优化调整交通运输结构", "1. 持续推进大宗货物和中长距离（运距 500 公里以上）货…"],
        ["(四) 深入推进交通运输污染防治", "1. 打好污染防治攻坚战"],
        ["(四) 深入推进交通运输污染防治", "4. 加快淘汰高污染、高耗能的营运车船"],
    ]


@pytest.mark.slow
def test_retrieval_metadata_round_trips_lists_and_identity(view: IndexView) -> None:
    hits = view.search("全面落实“双碳”战略部署", k=3)
    item3 = [h for h in hits if h.metadata["doc_id"] == JL and h.metadata["clause_no"] == "3."]
    assert item3
    meta = item3[0].metadata
    assert meta["lead_units"] == ["厅运输处"]
    assert meta["inherited_units"] == []
    assert meta["doc_number"] is None and meta["issuer"] is None
    assert meta["year"] == 2024


@pytest.mark.slow
@pytest.mark.parametrize("filters", [Filters(doc_id=JL), Filters(year=2024), Filters(region="吉林")])
def test_a_filtered_dense_search_ranks_the_allowed_clauses_as_chroma_does(view: IndexView, filters: Filters) -> None:
    """Filtered searches use exact cosine over the allowed clauses; Chroma's own filtered query agrees."""
    import numpy as np

    question = "公路沿线充电设施建设由谁负责？"
    allowed = np.array([filters.matches(m) for m in view.metas], dtype=bool)
    order, sims = view._dense(question, 5, filters, allowed)
    assert order and all(allowed[i] for i in order)
    ids = [view.ids[i] for i in np.flatnonzero(allowed)]
    res = view.collection.query(query_embeddings=[view.embedder.embed_query(question)], n_results=5,
                                ids=ids, include=["distances"])
    assert [view.ids[i] for i in order] == res["ids"][0]
    assert [round(sims[i], 4) for i in order] == [round(1 - d, 4) for d in res["distances"][0]]


def test_words_retrieval_learns_from_an_index_do_not_change_how_notices_parse() -> None:
    import jieba

    from rag.lexical import add_words, tokenize

    sentence = "各单位要做好防汛值守工作"
    before = jieba.lcut(sentence)
    add_words(["单位要做"])  # a made-up word: it would cut the parser's sentence differently
    assert "单位要做" in tokenize(sentence)  # retrieval keeps it as one token
    assert jieba.lcut(sentence) == before  # the parser's shared tokenizer does not know it


def test_a_clause_one_leg_ranks_first_and_the_other_misses_keeps_its_own_similarity(view: IndexView) -> None:
    """Fusion ranks each leg's candidates on the other leg too: the words' best clause that the dense
    leg's top n missed gets its real similarity, ranked after that top n, not nothing."""
    import numpy as np

    question = "公路沿线充电设施建设由谁负责？"
    lexical = view.lexical.scores(question)
    lex_order = [int(i) for i in np.argsort(-lexical)[:5] if lexical[i] > 0]
    dense_order, dense_sim = view._dense(question, 30, Filters(), view._all)
    dropped = [i for i in dense_order if i in lex_order][:1]  # as if the dense leg had missed it
    dense_order = [i for i in dense_order if i not in dropped]
    sims = {i: s for i, s in dense_sim.items() if i not in dropped}
    lex_filled, dense_filled = view._fill_legs(question, lexical, lex_order, dense_order, sims)
    assert dropped and dense_filled[: len(dense_order)] == dense_order and dropped[0] in dense_filled
    assert sims[dropped[0]] == pytest.approx(dense_sim[dropped[0]], abs=1e-4)
    fused = view._fuse(lex_filled, lexical, dense_filled, sims)
    assert fused[dropped[0]] > 1.0 / (60 + lex_order.index(dropped[0]) + 1)  # both legs count
