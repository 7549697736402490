"""Questions keep being answered while the index is rebuilt and swapped, never from a mix."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pytest

from eval.bench_scale import load_questions
from tests.fault.conftest import copy_corpus, edit_corpus, hash_embedder, hash_settings

pytestmark = pytest.mark.slow
ASKERS = 4
AFTER_SWAP = 10  # answers each asker gives after the swap before stopping


def test_answers_during_a_reindex_cite_one_generation_and_the_swap_takes_effect(tmp_path: Path) -> None:
    from index.store import build_index, read_manifest
    from rag.answer import Assistant

    corpus, store = copy_corpus(tmp_path), tmp_path / "store"
    settings = hash_settings(store, corpus)
    build_index(settings, progress=False, embedder=hash_embedder())
    assistant = Assistant.load(settings=settings, embedder=hash_embedder())
    old = read_manifest(assistant._view.client)
    questions = [q["question"] for q in load_questions()]

    records: list[tuple[float, float, object]] = []  # (started, finished, Answer or exception)
    lock = threading.Lock()
    swapped_at: list[float] = []
    build_started: list[float] = []
    stop = threading.Event()

    def ask(offset: int) -> None:
        after_swap = 0
        for question in itertools.islice(itertools.cycle(questions), offset, None):
            if stop.is_set() or after_swap >= AFTER_SWAP:
                return
            started = time.perf_counter()
            try:
                result: object = assistant.ask(question)
            except Exception as exc:  # noqa: BLE001 - recorded and asserted on below
                result = exc
            finished = time.perf_counter()
            with lock:
                records.append((started, finished, result))
            if swapped_at and started > swapped_at[0]:
                after_swap += 1

    def reindex() -> None:
        time.sleep(0.5)  # let the askers get going
        edit_corpus(corpus)
        build_started.append(time.perf_counter())
        build_index(settings, progress=False, embedder=hash_embedder())
        assert assistant.refresh(), "refresh() did not switch to the new generation"
        swapped_at.append(time.perf_counter())

    askers = [threading.Thread(target=ask, args=(i * 37,)) for i in range(ASKERS)]
    builder = threading.Thread(target=reindex)
    for t in askers + [builder]:
        t.start()
    builder.join(timeout=600)
    for t in askers:
        t.join(timeout=600)
    stop.set()

    assert swapped_at, "the re-index thread failed"
    new = read_manifest(assistant._view.client)
    assert new["collection"] != old["collection"] and assistant._view.generation == new["collection"]
    old_ids, new_ids = set(old["ids"]), set(new["ids"])
    assert old_ids != new_ids
    errors = [r for _, _, r in records if isinstance(r, Exception)]
    assert not errors, f"{len(errors)} of {len(records)} questions failed, e.g. {errors[0]!r}"
    during = [r for s, f, r in records if s >= build_started[0] and f <= swapped_at[0]]
    assert during, "no question was answered while the index was being rebuilt"
    for started, _, answer in records:
        ids = {c.clause_id for c in answer.citations + answer.related}
        assert ids <= old_ids or ids <= new_ids, f"an answer mixed generations or cited unknown clauses: {answer.question}"
        if started > swapped_at[0]:
            assert ids <= new_ids, f"an answer started after the swap cited the old generation: {answer.question}"
    print(f"\n{len(records)} answers, {len(during)} while re-indexing; old {len(old_ids)} / new {len(new_ids)} clauses")
