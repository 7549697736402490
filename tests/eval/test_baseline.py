"""The baseline follows the plain recipe: 500-char chunks, top 4, units by string match, no refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.baseline import CHUNK_SIZE, Baseline, split_corpus
from eval.run import verify
from index.embed import get_embedder

CORPUS = Path(__file__).resolve().parents[2] / "docs_corpus"
UNITS = ["发展中心", "农管股", "太行一号项目部", "厅公路处", "吉高集团", "市供电公司", "党办"]


@pytest.fixture(scope="module")
def baseline() -> Baseline:
    return Baseline.build(CORPUS, get_embedder("hash"), UNITS)


def test_chunks_cover_every_notice_within_the_size():
    chunks = split_corpus(CORPUS)
    assert {c.doc_id for c in chunks} == {p.stem for p in CORPUS.glob("*.txt")}
    assert all(0 < len(c.text) <= CHUNK_SIZE for c in chunks)
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert [c.chunk_id for c in split_corpus(CORPUS)] == [c.chunk_id for c in chunks]  # stable ids


def test_retrieve_ranks_chunks_with_doc_ids(baseline):
    hits = baseline.retrieve("太行一号旅游公路驿站 新能源充（换）电设施", k=10)
    assert len(hits) == 10
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].metadata["doc_id"] == "yangcheng-2024-transport-eco-workplan"
    assert "太行一号" in hits[0].text


def test_answer_is_top_four_chunks_with_markers_and_never_a_refusal(baseline):
    answer = baseline.ask("明天太原会下雨吗？")
    assert not answer.refused
    assert [c.n for c in answer.citations] == [1, 2, 3, 4]
    for c in answer.citations:
        assert f"[{c.n}]" in answer.answer
        assert set(c.units) == {u for u in UNITS if u in c.text}
    assert answer.units == list(dict.fromkeys(u for c in answer.citations for u in c.units))


def test_quoted_chunks_pass_the_grounding_checks(baseline):
    answer = baseline.ask("吉林省高速公路快充覆盖率的目标是多少？")
    result = verify(answer)
    assert result.citation_valid and not result.missing_numbers
    assert result.uncited_sentences == []


def test_k_must_be_positive():
    with pytest.raises(ValueError):
        Baseline([], get_embedder("hash"), k=0)
