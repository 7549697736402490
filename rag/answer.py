"""The assistant: question in, cited answer out.

`Assistant.ask` cleans the question, works out what kind of question it is, retrieves clauses
(hybrid search, or a metadata query for "what does unit U do"), refuses when the corpus does
not support an answer, and composes an extractive answer from the clauses. With an LLM
configured, the LLM writes the answer from the same clauses and it is shown only if it passes
verification (rag.llm); otherwise the extractive answer stands.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from index.settings import IndexSettings
from index.store import IndexError_, rebuild_command
from rag import compose, deadlines, gate
from rag import tasks as task_list
from rag.intent import Question, parse_question
from rag.live import Generation, LiveIndex
from rag.retrieve import Filters, IndexView
from rag.thesaurus import expand
from rag.types import REFUSAL, Answer, Citation, Hit, TaskPage

log = logging.getLogger("rag.answer")
TOP_K = 8
T = TypeVar("T")


class Assistant:
    """Answers questions over one store; each call answers from one index generation.

    The generation is switched by `refresh()`, which `watch()` calls every few seconds. A call
    whose generation is deleted under it (a rebuild's clean-up) is answered again from the new one.
    """

    def __init__(self, index: LiveIndex, settings: IndexSettings) -> None:
        self.settings = settings
        self.index = index

    @classmethod
    def load(cls, store: str | Path | None = None, settings: IndexSettings | None = None, embedder=None) -> Assistant:
        """Open the index (embedded store dir, or RAG_CHROMA_URL). Raises IndexError_ subclasses."""
        settings = settings or IndexSettings.from_env(store=Path(store) if store else None)
        return cls(LiveIndex(settings, embedder=embedder), settings)

    @classmethod
    def follow(cls, settings: IndexSettings, embedder=None) -> Assistant:
        """An assistant that may start without an index and picks one up when it is built (`watch`)."""
        return cls(LiveIndex(settings, embedder=embedder, required=False), settings)

    # -- index generations -------------------------------------------------------------------
    def refresh(self) -> bool:
        """Switch to the newest index generation if one was built. Returns True when switched."""
        return self.index.refresh()

    def watch(self, interval: float | None = None) -> None:
        """Follow the store by itself: refresh every `interval` s (RAG_RELOAD_SECONDS, default 2)."""
        self.index.watch(interval)

    @property
    def _view(self) -> IndexView:
        return self.index.current().view

    def _run(self, fn: Callable[[Generation], T]) -> T:
        """Call `fn` with the current generation; once more with the next one if it vanished meanwhile."""
        gen = self.index.current()
        try:
            return fn(gen)
        except IndexError_:
            raise
        except Exception:
            self.index.refresh()  # (the watcher may have switched already)
            fresh = self.index.current()
            if fresh.view.generation == gen.view.generation:
                raise
            log.info("index generation %s went away during a request; answered from the new one", gen.view.generation)
            return fn(fresh)

    # -- public API ---------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """Ranked clauses for a question: a unit's own clauses first when it asks what a unit does."""
        return self._run(lambda gen: self._retrieve(gen, question, k, filters))

    def _retrieve(self, gen: Generation, question: str, k: int, filters: Filters | None) -> list[Hit]:
        view, vocab = gen
        unit = vocab.find_in(str(question or "")[:500])
        q = parse_question(question, None, unit_in_question=unit is not None)
        if q.problem:
            return []
        hits = view.search(expand(q.search_text), k=k, filters=gate.implied_filters(q.search_text, view, filters))
        if q.intent == "tasks" and unit:
            own = view.by_units(vocab.variants(unit), filters)
            ids = {h.clause_id for h in own}
            hits = (own + [h for h in hits if h.clause_id not in ids])[: max(k, len(own))]
        return hits

    def ask(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Answer:
        started = time.perf_counter()
        answer = self._run(lambda gen: self._extractive(gen, question, history, filters))
        if not answer.refused and answer.intent != "invalid":
            answer = self._maybe_llm(answer, history)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def ask_stream(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Iterator[str | Answer]:
        """Yield the answer text in pieces, then the final Answer (which the UI should show)."""
        started = time.perf_counter()
        extractive = self._run(lambda gen: self._extractive(gen, question, history, filters))
        answerer = self._llm()
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

    def tasks(self, unit: str, filters: Filters | None = None) -> list[Citation]:
        """The complete task list of a unit, in document order (one entry per clause)."""
        return self.task_page(unit, filters).tasks

    def task_page(self, unit: str, filters: Filters | None = None, offset: int = 0, limit: int | None = None) -> TaskPage:
        """Tasks offset+1..offset+limit of a unit's list, with its length and counts per notice."""
        return self._run(lambda gen: task_list.task_page(gen.view, gen.vocab, unit, filters, offset, limit))

    def units(self) -> list[dict]:
        vocab = self.index.current().vocab
        return [{"name": u, "count": vocab.counts[u], "docs": vocab.docs[u]} for u in vocab.names]

    def documents(self) -> list[dict]:
        view = self.index.current().view
        docs: dict[str, dict] = {}
        counts: dict[str, int] = {}
        units: dict[str, set[str]] = {}
        ocr: set[str] = set()
        for m in view.metas:
            counts[m["doc_id"]] = counts.get(m["doc_id"], 0) + 1
            units.setdefault(m["doc_id"], set()).update(m.get("units") or [])
            if m.get("ocr"):
                ocr.add(m["doc_id"])
            docs.setdefault(
                m["doc_id"],
                {k: m.get(k) for k in ("doc_id", "doc_title", "doc_number", "issuer", "date", "year", "kind", "region", "source_file")},
            )
        for d in docs.values():
            d["title"] = d.pop("doc_title")
            d["clauses"] = counts[d["doc_id"]]
            d["units"] = len(units[d["doc_id"]])
            d["ocr"] = d["doc_id"] in ocr
        return list(docs.values())

    def clauses(self, doc_id: str | None = None) -> list[Citation]:
        view = self.index.current().view
        return [
            compose.citation(i + 1, view.hit(j))
            for i, j in enumerate(j for j, m in enumerate(view.metas) if doc_id is None or m["doc_id"] == doc_id)
        ]

    def health(self) -> dict:
        """Index status: ok, clause count, embedder and generation; or the error and how to fix it.

        Also switches to a newer generation (as `watch()` does by itself) and leaves the error
        state as soon as the store is good again.
        """
        self.refresh()
        name = getattr(self.index.embedder, "name", None) or self.settings.embedder
        try:
            view = self.index.current().view
            count = view.collection.count()
        except Exception as exc:  # noqa: BLE001 - the store changed under us
            if self.refresh():
                return self.health()
            return {"ok": False, "clauses": 0, "embedder": name, "error": self.index.error or self.index.fail(exc)}
        ok = count == view.manifest.get("clauses")
        return {
            "ok": ok,
            "clauses": count,
            "embedder": name,
            "generation": view.generation,
            "error": None if ok else f"index and manifest disagree: rebuild with {rebuild_command(self.settings)}",
        }

    # -- answering ------------------------------------------------------------------------------
    def _extractive(self, gen: Generation, raw: str, history: list[dict] | None, filters: Filters | None) -> Answer:
        view, vocab = gen
        unit = vocab.find_in(str(raw or "")[:500])
        q = parse_question(raw, history, unit_in_question=unit is not None)
        if q.problem:
            return Answer(question=str(raw or ""), answer=q.problem, refused=True, intent="invalid")
        q = deadlines.resolve_followup(q, history)
        listed = deadlines.list_answer(q, view, vocab, unit, filters)
        if listed:
            return listed
        if q.intent == "tasks" and unit:
            return task_list.tasks_answer(q, task_list.task_page(view, vocab, unit, filters, 0, task_list.ANSWER_TASKS))
        previous = str((history or [{}])[-1].get("answer", "")) if q.followup else ""
        filters = gate.implied_filters(q.search_text, view, filters, previous)
        k = 2 * TOP_K if q.intent == "across" else TOP_K  # one clause per notice: look deeper
        hits = view.search(expand(q.search_text), k=k, filters=filters)
        if q.followup and previous:
            hits = gate.prefer_cited(hits, previous)
        reason = gate.unsupported(q, hits, view)
        if reason:
            return self._refuse(q, hits, reason)
        if deadlines.asks_when(q):
            return deadlines.when_answer(q, hits)
        if q.intent == "who":
            return self._who_answer(view, q, hits)
        if q.intent == "fact":
            return self._fact_answer(q, hits)
        if q.intent == "across":
            return self._points_answer(view, q, hits, per_doc=True)
        return self._points_answer(view, q, hits, per_doc=False)

    def _refuse(self, q: Question, hits: list[Hit], reason: str) -> Answer:
        related = [compose.citation(i + 1, h) for i, h in enumerate(hits[:3])]
        return Answer(
            question=q.original,
            answer=REFUSAL,
            refused=True,
            intent=q.intent,
            related=related,
            verification={"refusal_reason": reason},
        )

    def _who_answer(self, view: IndexView, q: Question, hits: list[Hit]) -> Answer:
        with_units = [h for h in hits if h.metadata.get("units")]
        chosen = gate.same_task_across_docs(q.search_text, with_units) if with_units else []
        if not chosen:
            return self._points_answer(view, q, hits, per_doc=False, note="文件中未写明该项工作的责任单位，相关条款如下：")
        lines: list[str] = []
        citations: list[Citation] = []
        units: list[str] = []
        for hit in chosen:
            n = len(citations) + 1
            citations.append(compose.citation(n, hit, highlight=compose.heading(hit.metadata)))
            lines.append("".join(compose.who_sentences(n, hit.metadata)))
            named = hit.metadata.get("units", [])
            if gate.asks_lead(q.text) and hit.metadata.get("lead_units"):
                named = hit.metadata["lead_units"]
            units += [u for u in named if u not in units]
        return Answer(question=q.original, answer="\n".join(lines), refused=False, intent=q.intent, units=units, citations=citations)

    def _fact_answer(self, q: Question, hits: list[Hit]) -> Answer:
        best = gate.best_supported(q.text if not q.followup else q.search_text, hits, want_numbers=True)
        years = re.findall(r"((?:19|20)\d{2})年", q.text)

        def about(hit: Hit) -> bool:  # the clause states the year, or its notice is that year's
            return all(y + "年" in hit.text or hit.metadata.get("year") == int(y) for y in years)

        if years and not about(best):
            best = next((h for h in hits[:4] if about(h)), best)
        if compose.asks_time(q.text):
            dated = [h for h in hits[:4] if compose.has_date(h.text)]
            if q.followup:
                dated = [h for h in dated if h in hits[:2]]
            if not dated:
                c = compose.citation(1, best)
                text = f"《{c.doc_title}》“{compose.heading(best.metadata) or c.section}”中没有写明完成时限 [1]。"
                return Answer(question=q.original, answer=text, refused=False, intent=q.intent, citations=[c])
            best = dated[0]
        sents = compose.best_sentences(
            best.text, q.text, k=2, want_numbers=True, duty_text=best.metadata.get("duty_text", "")
        )
        c = compose.citation(1, best, highlight=sents[0] if sents else "")
        text = f"根据《{c.doc_title}》“{compose.heading(best.metadata) or c.section}”：{compose.cited(sents, 1)}"
        if q.followup and best.metadata.get("units") and "谁" in q.text:
            text += "\n" + "".join(compose.who_sentences(1, best.metadata))
        return Answer(question=q.original, answer=text, refused=False, intent=q.intent, citations=[c], units=[])

    def _points_answer(self, view: IndexView, q: Question, hits: list[Hit], per_doc: bool, note: str = "") -> Answer:
        chosen = gate.relevant(q.search_text, hits, per_doc=per_doc, limit=5 if per_doc else 4, df=view.lexical.df)
        lines = [note] if note else []
        citations: list[Citation] = []
        for hit in chosen:
            n = len(citations) + 1
            sents = compose.best_sentences(hit.text, q.text, k=2, duty_text=hit.metadata.get("duty_text", ""))
            if not sents:
                continue
            citations.append(compose.citation(n, hit, highlight=sents[0]))
            title = compose.heading(hit.metadata) or hit.metadata.get("section", "")
            lines.append(f"- 《{hit.metadata.get('doc_title', '')}》“{title}”：{compose.cited(sents, n)}")
        if not citations:
            return self._refuse(q, hits, "no sentence of the retrieved clauses answers the question")
        return Answer(question=q.original, answer="\n".join(lines), refused=False, intent=q.intent, citations=citations)

    # -- LLM mode -------------------------------------------------------------------------------
    def _llm(self):
        from rag.settings import LLMSettings

        try:
            settings = LLMSettings.from_env()
        except ValueError as exc:
            log.warning("LLM settings ignored: %s", exc)
            return None
        if not settings.enabled:
            return None
        from rag.llm import get_answerer

        return get_answerer(settings)

    def _maybe_llm(self, extractive: Answer, history: list[dict] | None) -> Answer:
        answerer = self._llm()
        if answerer is None:
            return extractive
        return answerer.answer_or_fallback(extractive.question, extractive.citations, history or [], extractive)


__all__ = ["Assistant", "Filters", "IndexError_"]
