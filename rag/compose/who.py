"""Who-is-responsible questions: the units of the best clause, and of the same task in other notices."""

from __future__ import annotations

from rag.compose.points import PointsComposer
from rag.compose.quote import citation, heading, who_sentences
from rag.intent import Question
from rag.ranking import same_task_across_docs
from rag.retrieve import IndexView
from rag.types import Answer, Citation, Hit

NO_UNITS_NOTE = "文件中未写明该项工作的责任单位，相关条款如下："


def asks_lead(question: str) -> bool:
    """The question asks only who leads ("由哪个单位牵头", "牵头部门是哪个")."""
    return "牵头" in question


class WhoComposer:
    """Units from clause metadata: lead and co-units, inherited ones with the sentence assigning them."""

    def compose(self, q: Question, hits: list[Hit], view: IndexView) -> Answer:
        with_units = [h for h in hits if h.metadata.get("units")]
        chosen = same_task_across_docs(q.search_text, with_units) if with_units else []
        if not chosen:
            return PointsComposer(per_doc=False).compose(q, hits, view, note=NO_UNITS_NOTE)
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
