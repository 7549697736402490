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
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from index.settings import IndexSettings
from index.store import IndexError_
from rag import compose, gate
from rag.intent import Question, parse_question
from rag.retrieve import Filters, IndexView
from rag.thesaurus import expand
from rag.types import REFUSAL, Answer, Citation, Hit
from rag.units_lookup import UnitVocabulary

log = logging.getLogger("rag.answer")
TOP_K = 8


class Assistant:
    """Answers questions over one index; swaps to a newer index generation on `refresh()`."""

    def __init__(self, view: IndexView, settings: IndexSettings) -> None:
        self.settings = settings
        self._view = view
        self._vocab = UnitVocabulary(view.metas)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, store: str | Path | None = None, settings: IndexSettings | None = None, embedder=None) -> Assistant:
        """Open the index (embedded store dir, or RAG_CHROMA_URL). Raises IndexError_ subclasses."""
        settings = settings or IndexSettings.from_env(store=Path(store) if store else None)
        return cls(IndexView(settings, embedder=embedder), settings)

    # -- index generations -------------------------------------------------------------------
    def refresh(self) -> bool:
        """Switch to the newest index generation if one was built. Returns True when switched."""
        from index.store import read_manifest

        manifest = read_manifest(self._view.client)
        if not manifest or manifest.get("collection") == self._view.generation:
            return False
        view = IndexView(self.settings, embedder=self._view.embedder)
        with self._lock:
            self._view, self._vocab = view, UnitVocabulary(view.metas)
        return True

    def _snapshot(self) -> tuple[IndexView, UnitVocabulary]:
        with self._lock:
            return self._view, self._vocab

    # -- public API ---------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """Ranked clauses for a question: a unit's own clauses first when it asks what a unit does."""
        view, vocab = self._snapshot()
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
        answer = self._extractive(question, history, filters)
        if not answer.refused and answer.intent != "invalid":
            answer = self._maybe_llm(answer, history)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def ask_stream(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Iterator[str | Answer]:
        """Yield the answer text in pieces, then the final Answer (which the UI should show)."""
        started = time.perf_counter()
        extractive = self._extractive(question, history, filters)
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
        view, vocab = self._snapshot()
        names = vocab.variants(unit)
        hits = view.by_units(names, filters)
        seen: set[tuple[str, str, str]] = set()
        out: list[Citation] = []
        for hit in hits:
            key = (hit.metadata["doc_id"], hit.metadata.get("section", ""), hit.metadata.get("clause_no", ""))
            if hit.metadata.get("part", 0) and key in seen:
                continue
            seen.add(key)
            out.append(compose.citation(len(out) + 1, hit))
        return out

    def units(self) -> list[dict]:
        _, vocab = self._snapshot()
        return [{"name": u, "count": vocab.counts[u], "docs": vocab.docs[u]} for u in vocab.names]

    def documents(self) -> list[dict]:
        view, _ = self._snapshot()
        docs: dict[str, dict] = {}
        for m in view.metas:
            docs.setdefault(
                m["doc_id"],
                {k: m.get(k) for k in ("doc_id", "doc_title", "doc_number", "issuer", "date", "year", "kind", "region", "source_file")},
            )
        out = []
        for d in docs.values():
            d["title"] = d.pop("doc_title")
            own = [m for m in view.metas if m["doc_id"] == d["doc_id"]]
            d["clauses"] = len(own)
            d["units"] = len({u for m in own for u in m.get("units") or []})
            d["ocr"] = any(m.get("ocr") for m in own)
            out.append(d)
        return out

    def clauses(self, doc_id: str | None = None) -> list[Citation]:
        view, _ = self._snapshot()
        return [
            compose.citation(i + 1, view.hit(j))
            for i, j in enumerate(j for j, m in enumerate(view.metas) if doc_id is None or m["doc_id"] == doc_id)
        ]

    def health(self) -> dict:
        """Index status; also switches to a newer index generation if one was built meanwhile."""
        try:
            if not self.settings.chroma_url and not (self.settings.store / "chroma.sqlite3").exists():
                raise FileNotFoundError(f"the index store {self.settings.store} is gone")
            self.refresh()
            view, _ = self._snapshot()
            count = view.collection.count()
            ok = count == view.manifest.get("clauses")
            return {
                "ok": ok,
                "clauses": count,
                "embedder": view.embedder.name,
                "generation": view.generation,
                "error": None if ok else "index and manifest disagree: rebuild with python -m index build",
            }
        except Exception as exc:  # the store was deleted or damaged under us
            name = getattr(getattr(self._view, "embedder", None), "name", self.settings.embedder)
            return {"ok": False, "clauses": 0, "embedder": name, "error": f"{str(exc).rstrip('.')}. Rebuild: python -m index build"}

    # -- answering ------------------------------------------------------------------------------
    def _extractive(self, raw: str, history: list[dict] | None, filters: Filters | None) -> Answer:
        view, vocab = self._snapshot()
        unit = vocab.find_in(str(raw or "")[:500])
        q = parse_question(raw, history, unit_in_question=unit is not None)
        if q.problem:
            return Answer(question=str(raw or ""), answer=q.problem, refused=True, intent="invalid")
        if q.intent == "tasks" and unit:
            return self._tasks_answer(q, unit, filters)
        previous = str((history or [{}])[-1].get("answer", "")) if q.followup else ""
        filters = gate.implied_filters(q.search_text, view, filters, previous)
        k = 2 * TOP_K if q.intent == "across" else TOP_K  # one clause per notice: look deeper
        hits = view.search(expand(q.search_text), k=k, filters=filters)
        if q.followup and previous:
            hits = gate.prefer_cited(hits, previous)
        reason = gate.unsupported(q, hits, view)
        if reason:
            return self._refuse(q, hits, reason)
        if q.intent == "who":
            return self._who_answer(q, hits)
        if q.intent == "fact":
            return self._fact_answer(q, hits)
        if q.intent == "across":
            return self._points_answer(q, hits, per_doc=True)
        return self._points_answer(q, hits, per_doc=False)

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

    def _who_answer(self, q: Question, hits: list[Hit]) -> Answer:
        with_units = [h for h in hits if h.metadata.get("units")]
        chosen = gate.same_task_across_docs(q.search_text, with_units) if with_units else []
        if not chosen:
            return self._points_answer(q, hits, per_doc=False, note="文件中未写明该项工作的责任单位，相关条款如下：")
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

    def _tasks_answer(self, q: Question, unit: str, filters: Filters | None) -> Answer:
        citations = self.tasks(unit, filters)
        if not citations:
            return Answer(question=q.original, answer=REFUSAL, refused=True, intent="tasks")
        lines = [f"{unit}的任务如下："]
        current = None
        headings = [compose.heading({"section_path": c.section.split(" > ")}) for c in citations]
        for c in citations:
            if c.doc_id != current:
                current = c.doc_id
                lines.append(f"《{c.doc_title}》：")
            role = "（牵头）" if unit in c.lead_units else ("（继承的配合单位）" if unit in c.inherited_units else "")
            title = headings[c.n - 1] or c.section
            if headings.count(title) > 1:  # several paragraphs under one heading: name each by its lead phrase
                title = f"{title}：{compose.lead_phrase(c.text)}"
            lines.append(f"- {unit}负责“{title}”{role} [{c.n}]")
        return Answer(question=q.original, answer="\n".join(lines), refused=False, intent="tasks", units=[unit], citations=citations)

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

    def _points_answer(self, q: Question, hits: list[Hit], per_doc: bool, note: str = "") -> Answer:
        view, _ = self._snapshot()
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
