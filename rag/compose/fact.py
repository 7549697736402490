"""Fact questions (numbers, targets, deadlines): the best sentences of the one clause that states it."""

from __future__ import annotations

from rag.compose.quote import asks_time, best_sentences, citation, cited, has_date, heading, who_sentences
from rag.intent import Question
from rag.ranking import best_supported
from rag.retrieve import IndexView
from rag.scope import whole_notice
from rag.text import years_in
from rag.types import Answer, Hit

LOOK_AT = 4  # a clause about the asked year, or with a date, is looked for among the top this many


class FactComposer:
    """Quotes the figure or date from one clause; says so when the clause states no deadline."""

    def compose(self, q: Question, hits: list[Hit], view: IndexView) -> Answer:
        best = best_supported(q.text if not q.followup else q.search_text, hits, want_numbers=True, notice=whole_notice(view))
        years = years_in(q.text)

        def about(hit: Hit) -> bool:  # the clause states the year, or its notice is that year's
            return all(y + "年" in hit.text or hit.metadata.get("year") == int(y) for y in years)

        if years and not about(best):
            best = next((h for h in hits[:LOOK_AT] if about(h)), best)
        if asks_time(q.text):
            dated = [h for h in hits[:LOOK_AT] if has_date(h.text)]
            if q.followup:
                dated = [h for h in dated if h in hits[:2]]
            if not dated:
                c = citation(1, best)
                text = f"《{c.doc_title}》“{heading(best.metadata) or c.section}”中没有写明完成时限 [1]。"
                return Answer(question=q.original, answer=text, refused=False, intent=q.intent, citations=[c])
            best = dated[0]
        sents = best_sentences(best.text, q.text, k=2, want_numbers=True, duty_text=best.metadata.get("duty_text", ""))
        c = citation(1, best, highlight=sents[0] if sents else "")
        text = f"根据《{c.doc_title}》“{heading(best.metadata) or c.section}”：{cited(sents, 1)}"
        if q.followup and best.metadata.get("units") and "谁" in q.text:
            text += "\n" + "".join(who_sentences(1, best.metadata))
        return Answer(question=q.original, answer=text, refused=False, intent=q.intent, citations=[c], units=[])
