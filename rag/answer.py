"""The assistant: question in, cited answer out.

`Assistant.ask` cleans the question, works out what kind of question it is, retrieves clauses
(hybrid search, or a metadata query for "what does unit U do"), refuses when the corpus does
not support an answer (rag/refusal.py), and composes an extractive answer from the clauses with
the composer of the question's kind (rag/compose/). With an LLM configured, the LLM writes the
answer from the same clauses and it is shown only if it passes verification (rag/llm.py);
otherwise the extractive answer stands. The index generation a request answers from, and the
index's health, are `LiveIndex`'s (rag/live.py).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.settings import IndexSettings
from index.store import IndexError_
from rag import across, catalogue, deadlines
from rag import tasks as task_list
from rag.compose import compose, refusal_answer
from rag.compose.points import per_place_answer
from rag.intent import Question, parse_question
from rag.live import Generation, LiveIndex
from rag.llm import configured_answerer
from rag.refusal import refusal_reason
from rag.retrieve import Filters, IndexView
from rag.scope import implied_filters, notice_text, notices_about, prefer_cited, question_places
from rag.text import content_words, years_in
from rag.thesaurus import expand
from rag.types import Answer, Citation, Hit, TaskPage
from rag.units_lookup import UnitVocabulary

TOP_K = 8


class Assistant:
    """Answers questions over one store; each call answers from one index generation.

    The generation is switched by `refresh()`, which `watch()` calls every few seconds. A call
    whose generation is deleted under it (a rebuild's clean-up) is answered again from the new one.
    """

    def __init__(self, index: LiveIndex, settings: IndexSettings) -> None:
        self.settings = settings
        self.index = index

    @classmethod
    def load(cls, store: str | Path | None = None, settings: IndexSettings | None = None, embedder: Any = None) -> Assistant:
        """Open the index (embedded store dir, or RAG_CHROMA_URL). Raises IndexError_ subclasses."""
        settings = settings or IndexSettings.from_env(store=Path(store) if store else None)
        return cls(LiveIndex(settings, embedder=embedder), settings)

    @classmethod
    def follow(cls, settings: IndexSettings, embedder: Any = None) -> Assistant:
        """An assistant that may start without an index and picks one up when it is built (`watch`)."""
        return cls(LiveIndex(settings, embedder=embedder, required=False), settings)

    # -- index generations -------------------------------------------------------------------
    def refresh(self) -> bool:
        """Switch to the newest index generation if one was built. Returns True when switched."""
        return self.index.refresh()

    def watch(self, interval: float | None = None) -> None:
        """Follow the store by itself: refresh every `interval` s (RAG_RELOAD_SECONDS, default 2)."""
        self.index.watch(interval)

    def health(self) -> dict[str, Any]:
        """Index status: ok, clause count, embedder and generation; or the error and how to fix it."""
        return self.index.health()

    @property
    def _view(self) -> IndexView:
        return self.index.current().view

    # -- listing ------------------------------------------------------------------------------
    def units(self) -> list[dict[str, Any]]:
        return catalogue.units(self.index.current())

    def documents(self) -> list[dict[str, Any]]:
        return catalogue.documents(self.index.current())

    def clauses(self, doc_id: str | None = None) -> list[Citation]:
        return catalogue.clauses(self.index.current(), doc_id)

    def tasks(self, unit: str, filters: Filters | None = None) -> list[Citation]:
        """The complete task list of a unit, in document order (one entry per clause)."""
        return self.task_page(unit, filters).tasks

    def task_page(self, unit: str, filters: Filters | None = None, offset: int = 0, limit: int | None = None) -> TaskPage:
        """Tasks offset+1..offset+limit of a unit's list, with its length and counts per notice."""
        return self.index.run(lambda gen: task_list.task_page(gen.view, gen.vocab, unit, filters, offset, limit))

    # -- answering ------------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """Ranked clauses for a question: a unit's own clauses first when it asks what a unit does."""
        return self.index.run(lambda gen: _retrieve(gen, question, k, filters))

    def ask(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Answer:
        started = time.perf_counter()
        answer = self.index.run(lambda gen: _extractive(gen, question, history, filters))
        if not answer.refused and answer.intent != "invalid":
            answerer = configured_answerer()
            if answerer is not None:
                answer = answerer.answer_or_fallback(answer.question, answer.citations, history or [], answer)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def ask_stream(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Iterator[str | Answer]:
        """Yield the answer text in pieces, then the final Answer (which the UI should show)."""
        started = time.perf_counter()
        extractive = self.index.run(lambda gen: _extractive(gen, question, history, filters))
        answerer = configured_answerer()
        if answerer is None or extractive.refused or extractive.intent == "invalid":
            yield from extractive.answer.splitlines(keepends=True)
            extractive.latency_ms = round((time.perf_counter() - started) * 1000, 1)
            yield extractive
            return
        from rag.llm import LLMUnavailable, fallback

        pieces: list[str] = []
        try:
            for chunk in answerer.stream(extractive.question, extractive.citations, history or []):
                pieces.append(chunk)
                yield chunk
            final = answerer.verify_and_choose("".join(pieces), extractive.citations, extractive)
        except LLMUnavailable as exc:
            final = fallback(extractive, str(exc))
        final.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        yield final


def _retrieve(gen: Generation, question: str, k: int, filters: Filters | None) -> list[Hit]:
    view, vocab = gen
    unit = vocab.find_in(str(question or "")[:500])
    q = parse_question(question, None, unit_in_question=unit is not None)
    if q.problem:
        return []
    hits, _ = _scoped_search(view, q, filters, "", k)
    if q.intent == "tasks" and unit:
        own = view.by_units(vocab.variants(unit), _task_scope(view, q, filters, unit))
        ids = {h.clause_id for h in own}
        hits = (own + [h for h in hits if h.clause_id not in ids])[: max(k, len(own))]
    return hits


def _tasks(view: IndexView, vocab: UnitVocabulary, q: Question, unit: str, filters: Filters | None,
           previous: str = "") -> Answer:
    """A unit's task list, within the notices about the place and year the question names (a
    follow-up: within the notice the previous answer cited); a refusal when none of them lists a task
    of the unit ("常州…市住建局" is not answered from 滁州's)."""
    scope = _task_scope(view, q, filters, unit, previous)
    page = task_list.task_page(view, vocab, unit, scope, 0, task_list.ANSWER_TASKS)
    if not page.total:  # "住建局" asked, "县住建局" written in the notices of that place
        for longer in (u for u in vocab.names if u != unit and u.endswith(unit)):
            page = task_list.task_page(view, vocab, longer, scope, 0, task_list.ANSWER_TASKS)
            if page.total:
                break
    pages = [page] if page.total else []
    if unit.endswith("部门"):  # "气象部门" asked: "市气象局" written too (or only)
        for named in _same_kind_of_body(unit, vocab.names):
            if len(pages) >= SAME_KIND_MAX:
                break
            found = task_list.task_page(view, vocab, named, scope, 0, task_list.ANSWER_TASKS)
            if found.total and all(p.unit != named for p in pages):
                pages.append(found)
    if not pages:
        return refusal_answer(q, [], f"no notice about the place or year asked lists tasks of {unit}")
    if len(pages) == 1:
        return task_list.tasks_answer(q, pages[0])
    return across.merge(q.original, "tasks", [task_list.tasks_answer(q, p) for p in pages])


SAME_KIND_MAX = 3  # a generic "X部门": the task lists of at most this many bodies of that kind


def _same_kind_of_body(unit: str, names) -> list[str]:
    """The bodies a generic "X部门" may be written as: names with the same stem and a bureau's
    suffix ("气象部门" → 市气象局, 县气象局), shortest first."""
    stem = re.sub(r"^(?:省|市|县|区)", "", unit[:-2])
    if len(stem) < 2:
        return []
    return sorted((n for n in names if n != unit and re.fullmatch(rf"(?:[省市县区]|[\u4e00-\u9fa5]{{2,4}}[省市县区])?{re.escape(stem)}(?:局|委|厅|办|部门)", n)),
                  key=len)


TOPIC_SHARE = float(os.environ.get("RAG_TOPIC_SHARE", "1.0"))
TOPIC_MIN = int(os.environ.get("RAG_TOPIC_MIN", "2"))
"""A unit's task list keeps to the notices that have every one (TOPIC_SHARE) of the question's other
words ("车辆超限超载治理中…"), when the question has at least TOPIC_MIN of them and some notice has
them all. Fitted on the dev split of eval/real/."""


def _task_scope(view: IndexView, q: Question, filters: Filters | None, unit: str = "", previous: str = "") -> Filters | None:
    """The notices a unit's task list is taken from: those about the place, year and topic the question
    names; for a follow-up ("那市财政局呢？"), the notice the previous answer cited."""
    scope = implied_filters(q.search_text, view, filters, previous)[0]
    if scope is not None and (scope.issuer or scope.region or scope.year or scope.unit or scope.doc_id):
        return scope  # the caller's own filters
    docs = scope.doc_ids if scope is not None and scope.doc_ids else tuple(view.doc_titles)
    years = years_in(q.text)
    if years:
        docs = tuple(d for d in docs if all(y in notice_text(view, d) or _notice_year(view, d) == y for y in years))
        scope = Filters(doc_ids=docs or ("",))
    topic = [w for w in content_words(q.text) if unit and w not in unit and unit not in w]
    if len(topic) >= TOPIC_MIN:
        # "车辆超限超载治理中，市公安局负责哪些工作": the notices about that topic, when some are
        about = tuple(d for d in docs if sum(w in notice_text(view, d) for w in topic) >= TOPIC_SHARE * len(topic))
        if about:
            scope = Filters(doc_ids=about)
    return scope


def _notice_year(view: IndexView, doc_id: str) -> str:
    """The notice's year (its date or title), from a map built once per index generation."""
    years: dict[str, str] | None = getattr(view, "_notice_years", None)
    if years is None:
        years = {}
        for m in view.metas:
            years.setdefault(m["doc_id"], str(m.get("year") or ""))
        view._notice_years = years  # type: ignore[attr-defined]
    return years.get(doc_id, "")


def _scoped_search(view: IndexView, q: Question, filters: Filters | None, previous: str, k: int) -> tuple[list[Hit], str | None]:
    """The hits of the narrowest scope the question implies whose clauses support it (rag/scope.py),
    with the refusal reason of the broadest when none does."""
    hits: list[Hit] = []
    reason: str | None = None
    for scope in implied_filters(q.search_text, view, filters, previous):
        hits = view.search(expand(q.search_text), k=k, filters=scope)
        if q.followup and previous:
            hits = prefer_cited(hits, previous)
        reason = refusal_reason(q, hits, view)
        if not reason:
            break
    return hits, reason


def _search_place(view: IndexView, q: Question, place: str, places: list[str]) -> list[Hit]:
    """The clauses of the notices about one of the places a question names, searched for the
    question without its place names (they would only rank each notice's preamble first)."""
    docs = notices_about([place], view)
    if not docs:
        return []
    text = q.search_text
    for p in places:
        text = text.replace(p, " ")
    return view.search(expand(text), k=TOP_K, filters=Filters(doc_ids=docs))


def _extractive(gen: Generation, raw: str, history: list[dict] | None, filters: Filters | None) -> Answer:
    """The extractive answer (or refusal) to one question, from one index generation."""
    view, vocab = gen
    unit = vocab.find_in(str(raw or "")[:500])
    q = parse_question(raw, history, unit_in_question=unit is not None)
    if q.problem:
        return Answer(question=str(raw or ""), answer=q.problem, refused=True, intent="invalid")
    q = deadlines.resolve_followup(q, history)
    listed = deadlines.list_answer(q, view, vocab, unit, filters)
    if listed:
        return listed
    previous = str((history or [{}])[-1].get("answer", "")) if q.followup else ""
    halves = across.split_across(q.text) if not q.followup and (filters is None or filters.empty) else None
    if halves:  # "A中的X和B中的Y，分别负责什么？": each notice's half answered on its own
        subs = [_extractive(gen, half, None, filters) for half in halves]
        if any(not s.refused for s in subs):
            return across.merge(q.original, q.intent, subs)
    if q.intent == "tasks" and unit:
        return _tasks(view, vocab, q, unit, filters, previous)
    places = question_places(q.search_text, view)
    if q.intent in ("across", "fact", "requirements") and len(places) >= 2 and (filters is None or filters.empty):
        groups = [_search_place(view, q, place, places) for place in places]
        hits = [h for g in groups for h in g]
        reason = refusal_reason(q, hits, view) if all(groups) else "a place the question names has no clause"
        return refusal_answer(q, hits, reason) if reason else per_place_answer(q, groups, view)
    k = 2 * TOP_K if q.intent == "across" else TOP_K  # one clause per notice: look deeper
    hits, reason = _scoped_search(view, q, filters, previous, k)
    if reason:
        return refusal_answer(q, hits, reason)
    when = deadlines.when_answer(q, hits) if deadlines.asks_when(q) else None
    return when or compose(q, hits, view)


__all__ = ["TOP_K", "Assistant", "Filters", "IndexError_"]
