"""Everyday words → the notices' own terms, appended to the search query.

People ask "修路的灰尘谁管？"; the notice says "公路工程施工扬尘". BM25 cannot bridge that and
the offline dense model only partly can, so a small domain thesaurus (rag/data/thesaurus.txt)
expands the query. Only the query is expanded: answers still quote the clauses as written.
"""

from __future__ import annotations

import os

from rag.wordlists import mapping

# RAG_THESAURUS=0 turns the lexicon off (to measure what it adds: README "Answers on notices from other bureaus").
THESAURUS: dict[str, str] = mapping("thesaurus") if os.environ.get("RAG_THESAURUS", "1") != "0" else {}


def expand(question: str) -> str:
    """The question followed by the notices' terms for any everyday words in it."""
    extra = [terms for word, terms in THESAURUS.items() if word in question]
    return question if not extra else question + " " + " ".join(extra)
