"""Disk clean-up of an embedded store: the vector-index folders of deleted collections.

Chroma (1.5) deletes a collection's rows but leaves its HNSW segment folder
(``<store>/<segment uuid>/``) on disk, so every build used to leave one more folder behind.
After a build has switched the manifest and dropped old generations, every folder named like a
segment id that no segment row references any more is removed. It runs under the build lock, so
no other build is creating segments meanwhile; a reader still holding a dropped generation keeps
its open files (Linux) and is switched to the current generation on its next request.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from pathlib import Path

log = logging.getLogger("index.segments")
_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def live_segments(store: Path) -> set[str]:
    """Ids of the segments the store's sqlite database still references (read-only connection)."""
    con = sqlite3.connect(f"file:{store / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        return {row[0] for row in con.execute("SELECT id FROM segments")}
    finally:
        con.close()


def remove_orphan_segments(store: Path) -> list[str]:
    """Delete segment folders no segment references. Returns the names removed.

    Nothing is removed when the database cannot be read: a folder is only deleted when it is
    known to be unreferenced.
    """
    try:
        live = live_segments(store)
    except sqlite3.Error as exc:
        log.warning("segment clean-up skipped, %s unreadable: %s", store, exc)
        return []
    removed = []
    for path in store.iterdir():
        if path.is_dir() and not path.is_symlink() and _SEGMENT_DIR.match(path.name) and path.name not in live:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed
