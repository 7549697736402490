"""Extractive answers: one composer per kind of question, behind one interface.

Every composer builds its answer from the clauses themselves, every sentence cited with [n]
(`rag/compose/quote.py` does the quoting). `compose` picks the composer of the question's
intent from `COMPOSERS`. A unit's task list ("what does unit U do") is not composed from
retrieved hits but from the unit's complete list: see `rag/tasks.py`.
"""

from __future__ import annotations

from typing import Protocol

from rag.compose.fact import FactComposer
from rag.compose.points import PointsComposer
from rag.compose.refuse import refusal_answer
from rag.compose.who import WhoComposer
from rag.intent import Question
from rag.retrieve import IndexView
from rag.types import Answer, Hit, Intent


class Composer(Protocol):
    """Writes the answer to a question the corpus supports, from its retrieved clauses."""

    def compose(self, q: Question, hits: list[Hit], view: IndexView) -> Answer:
        """The answer to `q` from `hits` (ranked, at least one); `view` gives corpus statistics."""
        ...


_POINTS = PointsComposer(per_doc=False)
COMPOSERS: dict[Intent, Composer] = {
    "who": WhoComposer(),
    "fact": FactComposer(),
    "across": PointsComposer(per_doc=True),
    "requirements": _POINTS,
    "general": _POINTS,
    "tasks": _POINTS,  # a tasks question that names no known unit: answered like a requirements one
}


def compose(q: Question, hits: list[Hit], view: IndexView) -> Answer:
    """The extractive answer to `q` by the composer of its intent."""
    return COMPOSERS.get(q.intent, _POINTS).compose(q, hits, view)


__all__ = ["COMPOSERS", "Composer", "compose", "refusal_answer"]
