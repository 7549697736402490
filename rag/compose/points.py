"""Requirements, general and across-notices questions: the relevant clauses' best sentences as points."""

from __future__ import annotations

from rag.compose.quote import best_sentences, citation, cited, heading
from rag.compose.refuse import refusal_answer
from rag.intent import Question
from rag.ranking import relevant
from rag.retrieve import IndexView
from rag.scope import whole_notice
from rag.types import Answer, Citation, Hit

PER_DOC_LIMIT = 5  # across notices: at most this many notices, one clause each
LIMIT = 4  # otherwise: at most this many clauses


class PointsComposer:
    """One point per relevant clause; `per_doc`: one clause per notice (questions across notices)."""

    def __init__(self, per_doc: bool) -> None:
        self.per_doc = per_doc

    def compose(self, q: Question, hits: list[Hit], view: IndexView, note: str = "") -> Answer:
        """Points from the relevant clauses, after `note` when given; a refusal when no sentence fits."""
        limit = PER_DOC_LIMIT if self.per_doc else LIMIT
        chosen = relevant(q.search_text, hits, per_doc=self.per_doc, limit=limit, df=view.lexical.df, notice=whole_notice(view))
        lines = [note] if note else []
        citations: list[Citation] = []
        for hit in chosen:
            n = len(citations) + 1
            sents = best_sentences(hit.text, q.text, k=2, duty_text=hit.metadata.get("duty_text", ""))
            if not sents:
                continue
            citations.append(citation(n, hit, highlight=sents[0]))
            title = heading(hit.metadata) or hit.metadata.get("section", "")
            lines.append(f"- 《{hit.metadata.get('doc_title', '')}》“{title}”：{cited(sents, n)}")
        if not citations:
            return refusal_answer(q, hits, "no sentence of the retrieved clauses answers the question")
        return Answer(question=q.original, answer="\n".join(lines), refused=False, intent=q.intent, citations=citations)


def per_place_answer(q: Question, groups: list[list[Hit]], view: IndexView) -> Answer:
    """A question across named places ("立山区和蔡甸区…分别…"): the most relevant clause of each
    place's notices, one point per place, so no place is crowded out by another's clauses."""
    lines: list[str] = []
    citations: list[Citation] = []
    notice = whole_notice(view)
    for hits in groups:
        for hit in relevant(q.search_text, hits, per_doc=False, limit=1, df=view.lexical.df, notice=notice):
            sents = best_sentences(hit.text, q.text, k=2, duty_text=hit.metadata.get("duty_text", ""))
            if not sents or any(c.clause_id == hit.clause_id for c in citations):
                continue
            n = len(citations) + 1
            citations.append(citation(n, hit, highlight=sents[0]))
            title = heading(hit.metadata) or hit.metadata.get("section", "")
            lines.append(f"- 《{hit.metadata.get('doc_title', '')}》“{title}”：{cited(sents, n)}")
    if not citations:
        return refusal_answer(q, [h for g in groups for h in g], "no sentence of the retrieved clauses answers the question")
    return Answer(question=q.original, answer="\n".join(lines), refused=False, intent=q.intent, citations=citations)
