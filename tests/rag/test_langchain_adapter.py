"""LangChain edge: the retriever and chain give LangChain users the same clauses and answers."""

from __future__ import annotations

import pytest

from rag.langchain_adapter import ClauseRetriever, answer_chain

pytestmark = pytest.mark.slow


def test_retriever_returns_the_charging_clause_with_its_units(assistant):
    docs = ClauseRetriever(assistant=assistant, k=5).invoke("公路沿线充电设施建设由谁负责？")
    top = [d for d in docs if d.metadata["doc_id"] == "yangcheng-2024-transport-eco-workplan"][0]
    assert "加快公路新能源充（换）电设施建设" in top.page_content
    assert top.metadata["units"] == ["发展中心", "农管股", "太行一号项目部"]


def test_chain_answers_with_context_and_cited_answer(assistant):
    out = answer_chain(assistant).invoke({"question": "综运股负责哪些工作？"})
    assert out["context"], "the chain passes retrieved clauses along"
    answer = out["answer"]
    assert not answer.refused
    assert {c.doc_id for c in answer.citations} == {"yangcheng-2024-transport-eco-workplan"}
    assert len(answer.citations) == 3
