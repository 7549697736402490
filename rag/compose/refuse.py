"""The refused answer: the fixed refusal sentence, the closest clauses listed only as related."""

from __future__ import annotations

from rag.compose.quote import citation
from rag.intent import Question
from rag.types import REFUSAL, Answer, Hit

RELATED = 3  # clauses shown as "related" under a refusal


def refusal_answer(q: Question, hits: list[Hit], reason: str) -> Answer:
    """The refusal of `q`; `reason` (from rag.refusal or a composer) is kept in `verification`."""
    related = [citation(i + 1, h) for i, h in enumerate(hits[:RELATED])]
    return Answer(
        question=q.original,
        answer=REFUSAL,
        refused=True,
        intent=q.intent,
        related=related,
        verification={"refusal_reason": reason},
    )
