"""What a question is about beyond its words: the filters it implies and the notices a follow-up stays in."""

from __future__ import annotations

from rag.retrieve import Filters, IndexView
from rag.text import places_in
from rag.types import Hit


def _regions_of(view: IndexView, place: str) -> list[str]:
    """The notice regions a place names (吉林 ~ 吉林省), memoised per index generation."""
    cache: dict[str, list[str]] = view.__dict__.setdefault("_regions_of_place", {})
    if place not in cache:
        cache[place] = [r for r in view.regions if r.startswith(place) or place.startswith(r)]
    return cache[place]


def implied_filters(question: str, view: IndexView, filters: Filters | None, previous_answer: str = "") -> Filters | None:
    """A place that is one notice's region narrows retrieval to that notice's region; a
    follow-up stays within the notices the previous answer cited (by their 《title》)."""
    if filters is not None and not filters.empty:
        return filters
    if previous_answer:
        cited = [d for d, t in view.doc_titles.items() if t and f"《{t}》" in previous_answer]
        if len(cited) == 1:
            return Filters(doc_id=cited[0])
    matched = {r for place in places_in(question) for r in _regions_of(view, place)}
    if len(matched) == 1:  # one place, one notice's region; "连云港和阳城…" searches everything
        return Filters(region=matched.pop())
    return filters


def prefer_cited(hits: list[Hit], previous_answer: str) -> list[Hit]:
    """For a follow-up, the clauses of notices the previous answer cited come first."""
    cited = [h for h in hits if f"《{h.metadata.get('doc_title', '')}》" in previous_answer]
    rest = [h for h in hits if h not in cited]
    return cited + rest if cited else hits
