"""Which files the index is built from: the corpus folder, plus uploaded notices, less removed ones.

Uploaded notices (``python -m index add``, ``POST /api/documents``) are kept in one folder next
to the store: ``<store>-uploads/`` (e.g. ``.store-uploads/`` beside ``.store/``), or
``RAG_UPLOADS`` when set. Its top-level files are notices; ``.removed.json`` lists the doc ids of
corpus notices removed with ``index remove`` (the corpus folder itself is never modified). A
notice's doc id is its file name without the extension, so an upload named like a corpus notice
replaces it, and every build (``index build`` included) sees each notice exactly once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from index.settings import IndexSettings

REMOVED = ".removed.json"


def uploads_dir(settings: IndexSettings) -> Path:
    """The folder of uploaded notices for this store (RAG_UPLOADS, else ``<store>-uploads``)."""
    configured = os.environ.get("RAG_UPLOADS", "").strip()
    if configured:
        return Path(configured)
    store = Path(settings.store)
    return store.parent / f"{store.name}-uploads"


def uploaded_files(settings: IndexSettings) -> list[Path]:
    """Uploaded notices; like the corpus, never a link that leads out of the uploads folder."""
    from index.corpus import inside

    folder = uploads_dir(settings)
    if not folder.is_dir():
        return []
    root = folder.resolve()
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and (not p.is_symlink() or inside(p, root))
    )


def removed_ids(settings: IndexSettings) -> set[str]:
    """Doc ids of corpus notices that were removed from the index."""
    try:
        return set(json.loads((uploads_dir(settings) / REMOVED).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def write_removed_ids(settings: IndexSettings, ids: set[str]) -> None:
    folder = uploads_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{REMOVED}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(sorted(ids), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / REMOVED)


def corpus_notices(settings: IndexSettings) -> list[Path]:
    from index.corpus import corpus_files  # index/corpus.py owns which corpus files count (no links out)

    return corpus_files(Path(settings.corpus))


def index_files(settings: IndexSettings) -> list[Path]:
    """Every notice file of the index, once per doc id: uploads win over corpus files of the same id."""
    uploads = uploaded_files(settings)
    removed = removed_ids(settings)
    uploaded = {p.stem for p in uploads}
    corpus = [p for p in corpus_notices(settings) if p.stem not in uploaded and p.stem not in removed]
    return corpus + [p for p in uploads if p.stem not in removed]
