"""A build killed half-way leaves the previous index serving; the next build repairs everything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fault.conftest import (
    QUESTION,
    build_in_subprocess,
    collections,
    copy_corpus,
    edit_corpus,
    hash_embedder,
    hash_settings,
)

pytestmark = pytest.mark.slow


def cited_ids(answer) -> set[str]:
    return {c.clause_id for c in answer.citations + answer.related}


def test_sigkilled_build_keeps_the_previous_index_and_the_next_build_is_consistent(tmp_path: Path) -> None:
    from index.store import client_for, read_manifest
    from rag.answer import Assistant

    corpus, store = copy_corpus(tmp_path), tmp_path / "store"
    settings = hash_settings(store, corpus)
    first = build_in_subprocess(store, corpus)
    assert first.returncode == 0, first.stderr
    before = Assistant.load(settings=settings, embedder=hash_embedder())
    old_manifest = read_manifest(before._view.client)
    old_answer = before.ask(QUESTION)
    manifest_file = (store / "manifest.json").read_text(encoding="utf-8")

    edit_corpus(corpus)
    killed = build_in_subprocess(store, corpus, RAG_TEST_DIE_AFTER="40")
    assert killed.returncode == -9, f"the build was meant to die by SIGKILL: {killed.returncode} {killed.stderr[-500:]}"
    assert len([c for c in collections(settings) if c.startswith("clauses-")]) == 2, "the killed build left its half-made collection"

    after = Assistant.load(settings=settings, embedder=hash_embedder())
    assert after.health()["ok"]
    assert after._view.generation == old_manifest["collection"]
    assert after.health()["clauses"] == old_manifest["clauses"]
    assert (store / "manifest.json").read_text(encoding="utf-8") == manifest_file
    answer = after.ask(QUESTION)
    assert not answer.refused and answer.answer == old_answer.answer
    assert cited_ids(answer) <= set(old_manifest["ids"])

    rebuilt = build_in_subprocess(store, corpus)
    assert rebuilt.returncode == 0, rebuilt.stderr
    client = client_for(settings)
    manifest = read_manifest(client)
    assert manifest["collection"] != old_manifest["collection"]
    assert manifest["previous"] == old_manifest["collection"]
    ids = client.get_collection(manifest["collection"]).get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == manifest["clauses"], "duplicate or missing clause ids"
    assert sorted(ids) == manifest["ids"]
    assert json.loads((store / "manifest.json").read_text(encoding="utf-8"))["collection"] == manifest["collection"]
    ours = [c for c in collections(settings) if c.startswith("clauses-")]
    assert sorted(ours) == sorted([manifest["collection"], manifest["previous"]]), "orphaned collections left behind"
    fresh = Assistant.load(settings=settings, embedder=hash_embedder())
    assert fresh.health()["ok"] and fresh._view.generation == manifest["collection"]
    assert any("推动" in c.text or "强化" in c.text for c in fresh.clauses()), "the new build holds the edited text"
