"""One index build per store at a time.

Embedded store: an OS file lock (``flock``) on ``<store>/.build.lock``; the kernel releases it when
the holder exits, even on SIGKILL. Chroma server: a lock record in the collection ``rag-build-lock``
with an expiry, renewed by nobody (a build that dies leaves a record that expires after
`SERVER_LEASE_S`). A second build waits up to `wait` seconds, then gives up with `IndexLocked`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
import uuid
from collections.abc import Iterator

from index.settings import IndexSettings

LOCK_FILE = ".build.lock"
LOCK_COLLECTION = "rag-build-lock"
SERVER_LEASE_S = 3600.0  # a server-mode build longer than an hour may be overtaken
POLL_S = 0.2


class LockError(RuntimeError):
    """Base of the lock errors (index.store turns them into IndexError_ subclasses)."""


class LockHeld(LockError):
    pass


class LockDenied(LockError):
    """The lock file cannot be created: the store folder is not writable."""


def held_message(where: str, wait: float) -> str:
    return (
        f"另一个索引构建正在进行 (another build holds the lock on {where}); waited {wait:g} s. "
        "Run the build again when it has finished, or raise RAG_LOCK_WAIT."
    )


@contextlib.contextmanager
def build_lock(settings: IndexSettings, wait: float) -> Iterator[None]:
    """Hold the store's build lock for the duration of the block.

    Args:
        settings: which store (embedded folder or Chroma server).
        wait: seconds to wait for another build to finish; 0 gives up at once.

    Raises:
        LockHeld: another build still holds the lock after `wait` seconds.
        LockDenied: the lock file cannot be created (the store folder is not writable).
    """
    if settings.chroma_url:
        with _server_lock(settings, wait):
            yield
        return
    try:
        settings.store.mkdir(parents=True, exist_ok=True)
        fd = os.open(settings.store / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError as exc:
        raise LockDenied(str(exc)) from exc
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockHeld(held_message(str(settings.store), wait)) from None
                time.sleep(POLL_S)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _server_lock(settings: IndexSettings, wait: float) -> Iterator[None]:
    from index.store import client_for

    col = client_for(settings).get_or_create_collection(LOCK_COLLECTION, embedding_function=None)
    me: dict[str, str | float] = {"owner": f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"}
    deadline = time.monotonic() + wait
    while True:
        got = col.get(ids=[settings.collection_prefix], include=["documents"])
        holder = json.loads(got["documents"][0]) if got["ids"] else None
        if holder is None or holder.get("expires", 0) < time.time():
            me["expires"] = time.time() + SERVER_LEASE_S
            col.upsert(ids=[settings.collection_prefix], documents=[json.dumps(me)], embeddings=[[0.0]])
            time.sleep(POLL_S)  # two writers racing: the last write wins, the other sees it and waits
            got = col.get(ids=[settings.collection_prefix], include=["documents"])
            if got["ids"] and json.loads(got["documents"][0]).get("owner") == me["owner"]:
                break
        if time.monotonic() >= deadline:
            raise LockHeld(held_message(settings.chroma_url, wait))
        time.sleep(POLL_S)
    try:
        yield
    finally:
        got = col.get(ids=[settings.collection_prefix], include=["documents"])
        if got["ids"] and json.loads(got["documents"][0]).get("owner") == me["owner"]:
            col.delete(ids=[settings.collection_prefix])
