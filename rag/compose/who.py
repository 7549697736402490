"""Who-is-responsible questions: the units of the best clause, and of the same task in other notices."""

from __future__ import annotations

import os
import re

from rag.compose.points import PointsComposer
from rag.compose.quote import citation, cited, heading, sentences, who_sentences
from rag.compose.refuse import refusal_answer
from rag.intent import Question
from rag.ranking import WEIGHTS, NoticeText, best_supported, coverage_of, same_task_across_docs, support
from rag.refusal import missing_specific
from rag.retrieve import IndexView
from rag.scope import whole_notice
from rag.types import NO_UNITS_NOTE, Answer, Citation, Hit

NO_UNITS_SPECIFIC = os.environ.get("RAG_NO_UNITS_SPECIFIC", "1") == "1"

# A sentence that assigns work in a form the index did not read as units ("由X负责", "X牵头").
_DUTY = re.compile(r"负责|牵头|配合|责任单位|责任部门|承办|主办|协办|落实单位")


def duty_sentences(hit: Hit) -> list[str]:
    """The clause's sentences that say who does the work, when its units were not extracted."""
    return [s for s in sentences(hit.text, hit.metadata.get("duty_text", "")) if _DUTY.search(s)][:2]


def _unit_clause_as_relevant(question: str, best: Hit, hits: list[Hit], notice: NoticeText) -> Hit:
    """A clause with units of the same notice that supports the question nearly as well as the best
    one (which names none) is answered from instead; unit metadata never outranks relevance."""
    floor = WEIGHTS.keep_share * support(question, best, notice=notice)
    # a preamble ("为深入贯彻…，现就…通知如下") repeats the notice's name that the question gives: it
    # is no task, so any nearly as relevant clause with units of that notice is answered from instead
    preamble = tuple(best.metadata.get("section_path") or ()) == ("引言",) and not best.metadata.get("clause_no")
    near = [h for h in hits if h.metadata.get("units") and h.metadata["doc_id"] == best.metadata["doc_id"]
            and support(question, h, notice=notice) >= floor
            and (preamble or coverage_of(question, h, notice) >= coverage_of(question, best, notice))]
    return near[0] if near else best


def _quote_duty(q: Question, hit: Hit, stated: list[str]) -> Answer:
    c = citation(1, hit, highlight=stated[0])
    text = f"根据《{c.doc_title}》“{heading(hit.metadata) or c.section}”：{cited(stated, 1)}"
    return Answer(question=q.original, answer=text, refused=False, intent=q.intent, citations=[c])


def asks_lead(question: str) -> bool:
    """The question asks only who leads ("由哪个单位牵头", "牵头部门是哪个", "由哪个科室主办"), not
    also who helps ("主办和协办分别是谁", "谁牵头、谁协同")."""
    return bool(re.search(r"牵头|主办|主责|承办", question)) and not re.search(r"协办|配合|协同|参与|协助|会同", question)


class WhoComposer:
    """Units from clause metadata: lead and co-units, inherited ones with the sentence assigning them."""

    def compose(self, q: Question, hits: list[Hit], view: IndexView) -> Answer:
        notice = whole_notice(view)
        best = best_supported(q.search_text, hits, notice=notice) if hits else None
        if best is not None and not best.metadata.get("units"):
            best = _unit_clause_as_relevant(q.search_text, best, hits, notice)
        if best is None or not best.metadata.get("units"):
            if best is not None and (stated := duty_sentences(best)):
                return _quote_duty(q, best, stated)
            # the note says no unit is written: quote only clauses that indeed name none, and only
            # when they are about the question's most specific word
            unnamed = [h for h in hits if not h.metadata.get("units")]
            missing = missing_specific(q, (unnamed or hits)[:5], view) if NO_UNITS_SPECIFIC else None
            if missing:
                return refusal_answer(q, hits, f"no clause without units has {missing}")
            return PointsComposer(per_doc=False).compose(q, unnamed or hits, view, note=NO_UNITS_NOTE)
        with_units = [best] + [h for h in hits if h.metadata.get("units") and h is not best]
        chosen = same_task_across_docs(q.search_text, with_units, df=view.lexical.df, notice=notice)
        lines: list[str] = []
        citations: list[Citation] = []
        units: list[str] = []
        for hit in chosen:
            n = len(citations) + 1
            citations.append(citation(n, hit, highlight=heading(hit.metadata)))
            lines.append("".join(who_sentences(n, hit.metadata)))
            named = hit.metadata.get("units", [])
            if asks_lead(q.text) and hit.metadata.get("lead_units"):
                named = hit.metadata["lead_units"]
            units += [u for u in named if u not in units]
        return Answer(question=q.original, answer="\n".join(lines), refused=False, intent=q.intent, units=units,
                      citations=citations)
