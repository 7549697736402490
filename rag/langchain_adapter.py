"""LangChain at the edge: our clauses as `Document`s, our retriever as a `BaseRetriever`,
and the answering pipeline as a runnable chain.

Core code never imports LangChain; only this module (and rag/llm.py for chat models) does.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from rag.types import Hit


def to_document(hit: Hit) -> Document:
    """A retrieved clause as a LangChain Document (metadata keeps units, section, doc identity)."""
    meta: dict[str, Any] = dict(hit.metadata)
    meta["clause_id"] = hit.clause_id
    meta["score"] = hit.score
    return Document(page_content=hit.text, metadata=meta, id=hit.clause_id)


class ClauseRetriever(BaseRetriever):
    """Hybrid clause retrieval (BM25 + dense, fused) with metadata filters, for LangChain chains."""

    assistant: Any
    k: int = 8
    filters: Any = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(h) for h in self.assistant.retrieve(query, k=self.k, filters=self.filters)]


def answer_chain(assistant, k: int = 8) -> Runnable:
    """`{"question", "history"?}` → the same dict plus `context` (Documents) and `answer` (Answer).

    The answer is built by `Assistant.ask` (extractive, or a verified LLM answer when configured);
    `context` shows which clauses retrieval offered for it.
    """
    retriever = ClauseRetriever(assistant=assistant, k=k)
    return RunnablePassthrough.assign(
        context=RunnableLambda(lambda x: x["question"]) | retriever,
    ) | RunnablePassthrough.assign(
        answer=RunnableLambda(lambda x: assistant.ask(x["question"], x.get("history"))),
    )
