"""The index a running process answers from: one generation at a time, switched by itself.

`LiveIndex` holds the current `Generation` (an `IndexView` and its unit vocabulary). A request
takes one generation and answers from it alone. `refresh()` switches to the generation the
store's manifest names when it differs, and recovers from a damaged, deleted or replaced store
as soon as a good index is there again: it then opens a fresh Chroma client, because Chroma keeps
one client state per store path and that state may belong to a store that no longer exists.
`watch()` calls `refresh()` every few seconds in a daemon thread, so a running app serves a new
build without a restart and without anyone calling /healthz.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from index.settings import IndexSettings
from index.store import IndexError_, read_manifest, rebuild_command
from rag.retrieve import IndexView
from rag.units_lookup import UnitVocabulary

log = logging.getLogger("rag.live")
T = TypeVar("T")
DEFAULT_INTERVAL_S = 2.0  # RAG_RELOAD_SECONDS: a new build is served within this (plus its load time)


class IndexUnavailable(IndexError_):
    """No usable index generation: the message says why and how to rebuild."""


class Generation(NamedTuple):
    view: IndexView
    vocab: UnitVocabulary


def reload_interval() -> float:
    raw = os.environ.get("RAG_RELOAD_SECONDS", "").strip() or str(DEFAULT_INTERVAL_S)
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"RAG_RELOAD_SECONDS must be a number of seconds, got {raw!r}") from None
    if not 0.1 <= value <= 3600:
        raise ValueError(f"RAG_RELOAD_SECONDS must be between 0.1 and 3600, got {value}")
    return value


def _store_identity(settings: IndexSettings) -> tuple[int, int] | None:
    """The sqlite file's (device, inode): it changes when the store is deleted and built again."""
    if settings.chroma_url:
        return None
    try:
        st = os.stat(settings.store / "chroma.sqlite3")
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _store_stamp(settings: IndexSettings) -> tuple | None:
    """The store's files and their last writes: unchanged means nothing was built or repaired since.

    A build always replaces manifest.json; sqlite's WAL file is included because writes may land
    there before the database file changes.
    """
    if settings.chroma_url:
        return None
    stamp: list[tuple[int, int, int] | None] = []
    for name in ("chroma.sqlite3", "chroma.sqlite3-wal", "manifest.json"):
        try:
            st = os.stat(settings.store / name)
            stamp.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append(None)
    return tuple(stamp)


def forget_client(settings: IndexSettings) -> None:
    """Make the next Chroma client of this store start afresh (embedded stores only)."""
    if settings.chroma_url:
        return
    from chromadb.api.shared_system_client import SharedSystemClient

    key = str(settings.store)
    with SharedSystemClient._refcount_lock:
        SharedSystemClient._identifier_to_system.pop(key, None)  # in-flight readers keep their own
        SharedSystemClient._identifier_to_refcount.pop(key, None)


class LiveIndex:
    """The current generation of one store, switched and recovered by `refresh()`."""

    def __init__(self, settings: IndexSettings, embedder=None, required: bool = True) -> None:
        """Open the store's current generation.

        Args:
            settings: the store (or Chroma server) and embedder.
            embedder: an embedder object instead of settings.embedder (tests, benchmarks).
            required: raise the IndexError_ when it cannot be opened (False: start without one;
                `error` says why and `refresh()` keeps trying).
        """
        self.settings = settings
        self._embedder = embedder
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()
        self._gen: Generation | None = None
        self._identity = _store_identity(settings)
        self.error: str | None = None
        self._failed_stamp: tuple | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        try:
            self._gen = self._open(fresh=False)
        except Exception as exc:
            if required:
                raise
            self.error = self._explain(exc)
            self._failed_stamp = _store_stamp(settings)

    def _open(self, fresh: bool) -> Generation:
        if fresh:
            forget_client(self.settings)
        view = IndexView(self.settings, embedder=self._embedder or (self._gen.view.embedder if self._gen else None))
        return Generation(view, UnitVocabulary(view.metas))

    def _explain(self, exc: BaseException) -> str:
        if isinstance(exc, IndexError_):
            return str(exc)
        if not self.settings.chroma_url and not (self.settings.store / "chroma.sqlite3").exists():
            return f"the index store {self.settings.store} is gone. Rebuild: {rebuild_command(self.settings)}"
        return (f"the index at {self.settings.chroma_url or self.settings.store} cannot be read "
                f"({type(exc).__name__}: {exc}). Rebuild: {rebuild_command(self.settings)}")

    @property
    def embedder(self):
        return self._gen.view.embedder if self._gen else self._embedder

    def current(self) -> Generation:
        """The generation to answer one request from. Raises IndexUnavailable when there is none."""
        with self._lock:
            gen, error = self._gen, self.error
        if gen is None or error:  # an error means the store changed under this generation: do not serve it
            raise IndexUnavailable(error or f"No index. Build it with: {rebuild_command(self.settings)}")
        return gen

    def run(self, fn: Callable[[Generation], T]) -> T:
        """Call `fn` with the current generation; once more with the next one if it vanished meanwhile.

        A request whose generation is deleted under it (a rebuild's clean-up) is answered again
        from the new one; IndexError_ (no usable index) is raised as it is.
        """
        gen = self.current()
        try:
            return fn(gen)
        except IndexError_:
            raise
        except Exception:
            self.refresh()  # (the watcher may have switched already)
            fresh = self.current()
            if fresh.view.generation == gen.view.generation:
                raise
            log.info("index generation %s went away during a request; answered from the new one", gen.view.generation)
            return fn(fresh)

    def health(self) -> dict[str, Any]:
        """Index status: ok, clause count, embedder and generation; or the error and how to fix it.

        Also switches to a newer generation (as `watch()` does by itself) and leaves the error
        state as soon as the store is good again.
        """
        self.refresh()
        name = getattr(self.embedder, "name", None) or self.settings.embedder
        try:
            view = self.current().view
            count = view.collection.count()
        except Exception as exc:  # noqa: BLE001 - the store changed under us
            if self.refresh():
                return self.health()
            return {"ok": False, "clauses": 0, "embedder": name, "error": self.error or self.fail(exc)}
        ok = count == view.manifest.get("clauses")
        return {
            "ok": ok,
            "clauses": count,
            "embedder": name,
            "generation": view.generation,
            "error": None if ok else f"index and manifest disagree: rebuild with {rebuild_command(self.settings)}",
        }

    def fail(self, exc: BaseException) -> str:
        """Record that the current generation cannot be read: requests get 503, `refresh()` retries."""
        with self._lock:
            self.error = self._explain(exc)
        return self.error

    def refresh(self) -> bool:
        """Switch to the generation the manifest names, or recover from a damaged store.

        Returns:
            True when a different generation is now current.
        """
        with self._refreshing:  # the watcher, /healthz and a retrying request never load a view twice
            return self._refresh()

    def _refresh(self) -> bool:
        identity = _store_identity(self.settings)
        if not self.settings.chroma_url and identity is None:
            with self._lock:
                self.error = f"No index at {self.settings.store}. Build it with: {rebuild_command(self.settings)}"
            return False
        replaced = identity != self._identity
        stamp = _store_stamp(self.settings)
        if self.error and stamp is not None and stamp == self._failed_stamp:
            return False  # a broken store that nobody has written since the last attempt: do not reopen it
        try:
            if self._gen is not None and not replaced and not self.error:
                manifest = read_manifest(self._gen.view.client)
                if manifest and manifest.get("collection") == self._gen.view.generation:
                    return False
            gen = self._open(fresh=replaced or self.error is not None or self._gen is None)
        except Exception as exc:  # noqa: BLE001 - recorded; health and requests report it
            with self._lock:
                self.error = self._explain(exc)
            self._failed_stamp = stamp
            log.warning("index not usable: %s", self.error)
            return False
        with self._lock:
            switched = self._gen is None or gen.view.generation != self._gen.view.generation
            self._gen, self._identity, self.error = gen, identity, None
        if switched:
            log.info("serving index generation %s", gen.view.generation)
        return switched

    def watch(self, interval: float | None = None) -> None:
        """Call `refresh()` every `interval` seconds (RAG_RELOAD_SECONDS) in a daemon thread."""
        if self._thread and self._thread.is_alive():
            return
        every = interval if interval is not None else reload_interval()
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(every):
                try:
                    self.refresh()
                except Exception:  # noqa: BLE001 - the watcher must outlive any one failure
                    log.exception("index refresh failed")

        self._thread = threading.Thread(target=loop, name="index-watch", daemon=True)
        self._thread.start()

    def stop_watching(self) -> None:
        self._stop.set()
