"""Build and open the Chroma index of clauses.

Every build writes a new collection generation and then switches the manifest to it in one
write, so a build that fails or is killed leaves the previous index serving, and a reader sees
either the old or the new generation, never a mix. Embeddings of unchanged clauses are copied
from the current generation (ids are content hashes), so an unchanged corpus re-embeds nothing
and an edited notice re-embeds only its own clauses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from shlex import quote
from urllib.parse import urlparse

from index.corpus import scan_corpus
from index.files import index_files
from index.lock import LockDenied, LockHeld, build_lock
from index.pages import document_records
from index.parse import parse_document
from index.read import SUPPORTED, UnreadableFile
from index.segments import remove_orphan_segments
from index.settings import IndexSettings

log = logging.getLogger("index.store")
MANIFEST_COLLECTION = "rag-manifest"
FORMAT_VERSION = 2
BATCH = 64


class IndexError_(RuntimeError):
    """Base of index errors; the message says how to fix it."""


class IndexMissing(IndexError_):
    pass


class IndexMismatch(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


class IndexLocked(IndexError_):
    """Another build holds the store's lock."""


class IndexNotWritable(IndexError_):
    """The store cannot be written by this user: a permissions problem, not damage."""


def rebuild_command(settings: IndexSettings) -> str:
    """The command that rebuilds this index, naming its store or server."""
    where = f"--chroma-url {quote(settings.chroma_url)}" if settings.chroma_url else f"--store {quote(str(settings.store))}"
    return f"python -m index build {where}"


def not_writable(settings: IndexSettings, cause: object) -> IndexNotWritable:
    return IndexNotWritable(
        f"索引目录不可写 (the index store {settings.store} is not writable by this user: {cause}). "
        f"Fix its permissions (e.g. chown -R $(id -u) {settings.store}) or choose another folder: "
        f"python -m index build --store DIR"
    )


def damaged(settings: IndexSettings, exc: BaseException) -> IndexCorrupt:
    """The error for a store that cannot be opened: move it aside (embedded) and rebuild."""
    path = quote(str(settings.store))
    aside = "" if settings.chroma_url else f"Move it aside (mv {path} {quote(str(settings.store) + '.broken')}) and "
    return IndexCorrupt(
        f"The index store {settings.chroma_url or settings.store} cannot be opened "
        f"({type(exc).__name__}: {exc}). {aside}rebuild: {rebuild_command(settings)}"
    )


@dataclass
class BuildReport:
    documents: int = 0
    clauses: int = 0
    units: int = 0
    embedded: int = 0
    reused: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: bool = False
    seconds: float = 0.0
    collection: str = ""
    changed_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"documents: {self.documents}   clauses: {self.clauses}   units found: {self.units}",
            f"embedded: {self.embedded}   reused: {self.reused}   removed: {self.removed}"
            + ("   (corpus unchanged: nothing to do)" if self.unchanged else ""),
            f"changed files: {', '.join(self.changed_files) or 'none'}",
            f"skipped/failed files: {len(self.failed)}",
        ]
        lines += [f"  - {name}: {reason}" for name, reason in self.failed]
        lines.append(f"time: {self.seconds:.2f} s   collection: {self.collection}")
        return "\n".join(lines)


def client_for(settings: IndexSettings):
    """A Chroma client: embedded PersistentClient, or HttpClient when chroma_url is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.store.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.store), settings=chroma_settings)


def read_manifest(client) -> dict | None:
    try:
        col = client.get_collection(MANIFEST_COLLECTION)
    except Exception:
        return None
    got = col.get(ids=["current"], include=["documents"])
    if not got["ids"]:
        return None
    return json.loads(got["documents"][0])


def _write_manifest(client, settings: IndexSettings, manifest: dict) -> None:
    col = client.get_or_create_collection(MANIFEST_COLLECTION, embedding_function=None)
    col.upsert(ids=["current"], documents=[json.dumps(manifest, ensure_ascii=False)], embeddings=[[0.0]])
    if not settings.chroma_url:  # a readable copy next to the embedded index
        path = settings.store / "manifest.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)


def build_index(settings: IndexSettings | None = None, progress: bool = True, embedder=None) -> BuildReport:
    """Parse every notice in the corpus and (re)build the index incrementally.

    Args:
        settings: where the corpus and the store are, and which embedder to use.
        progress: show a progress bar while embedding.
        embedder: an embedder object to use instead of settings.embedder (tests, benchmarks).

    Returns:
        What was parsed, embedded, reused, removed and which files failed and why.
    """
    settings = settings or IndexSettings.from_env()
    if not settings.corpus.is_dir():
        raise FileNotFoundError(f"Corpus directory not found: {settings.corpus}")
    if not settings.chroma_url and settings.store.is_dir() and not os.access(settings.store, os.W_OK | os.X_OK):
        raise not_writable(settings, "no write permission")
    try:
        with build_lock(settings, settings.lock_wait):
            return _build(settings, progress, embedder)
    except LockHeld as exc:
        raise IndexLocked(str(exc)) from None
    except LockDenied as exc:
        raise not_writable(settings, exc) from None


def _build(settings: IndexSettings, progress: bool, embedder) -> BuildReport:
    from index.embed import get_embedder

    started = time.perf_counter()
    report = BuildReport()
    try:
        client = client_for(settings)
        old = read_manifest(client)
    except PermissionError as exc:
        raise not_writable(settings, exc) from exc
    except Exception as exc:
        if "readonly" in str(exc).lower():
            raise not_writable(settings, exc) from exc
        raise damaged(settings, exc) from exc
    scan = scan_corpus(settings.corpus)  # links out of the corpus are skipped and reported
    paths = index_files(settings)  # the corpus, plus uploads, less removed notices (index/files.py)
    inputs = _inputs(settings, paths, embedder.name if embedder else settings.embedder)
    if old and old.get("inputs") == inputs and _collection_ok(client, old):
        # Same files, same parser and settings: nothing to parse or embed.
        report.unchanged = True
        report.documents, report.units = old.get("documents", 0), old.get("units", 0)
        report.clauses = report.reused = old["clauses"]
        report.failed = [tuple(f) for f in old.get("failed", [])]
        report.collection = old["collection"]
        report.seconds = time.perf_counter() - started
        return report
    records: dict[str, dict] = {}
    file_hashes: dict[str, str] = {}
    units: set[str] = set()
    report.failed += scan.skipped
    for path in paths:
        if path.suffix.lower() not in SUPPORTED:
            report.failed.append((path.name, f"unsupported file type {path.suffix or '(none)'}"))
            continue
        try:
            doc = parse_document(path, max_tokens=settings.max_tokens)
        except UnreadableFile as exc:
            report.failed.append((path.name, str(exc)))
            continue
        except Exception as exc:  # a parser bug must not stop the other notices
            log.exception("parsing %s failed", path)
            report.failed.append((path.name, f"could not be parsed: {exc}"))
            continue
        if not doc.clauses:
            report.failed.append((path.name, "no clauses found (is it a notice?)"))
            continue
        report.documents += 1
        file_hashes[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        for rec in document_records(doc, path):  # clause records, with the PDF page and OCR flag
            records.setdefault(rec["id"], rec)
        for clause in doc.clauses:
            units.update(clause.units)
    report.clauses = len(records)
    report.units = len(units)

    embedder = embedder or get_embedder(settings.embedder)
    corpus_hash = hashlib.sha256(
        json.dumps(sorted((k, r["metadata"]) for k, r in records.items()), ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()
    same_setup = old and old.get("embedder") == embedder.name and old.get("format") == FORMAT_VERSION
    old_files = (old or {}).get("files", {})
    report.changed_files = sorted(
        set(n for n, h in file_hashes.items() if old_files.get(n) != h) | (set(old_files) - set(file_hashes))
    )
    if old and same_setup and old.get("corpus_hash") == corpus_hash and _collection_ok(client, old):
        report.unchanged = True
        report.reused = len(records)
        report.collection = old["collection"]
        _write_manifest(client, settings, {**old, "inputs": inputs, "failed": report.failed})
        report.seconds = time.perf_counter() - started
        return report

    reuse = _old_embeddings(client, old, list(records)) if same_setup else {}
    name = f"{settings.collection_prefix}-{int(time.time() * 1000)}-{corpus_hash[:8]}"
    col = client.create_collection(name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
    try:
        _fill(col, records, reuse, embedder, report, progress)
    except BaseException:
        _drop(client, name)  # a failed build leaves the previous generation serving
        raise
    report.removed = len(set((old or {}).get("ids", [])) - set(records)) if old else 0
    manifest = {
        "format": FORMAT_VERSION,
        "collection": name,
        "embedder": embedder.name,
        "dim": embedder.dim,
        "max_tokens": settings.max_tokens,
        "corpus_hash": corpus_hash,
        "files": file_hashes,
        "ids": sorted(records),
        "clauses": len(records),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "previous": (old or {}).get("collection"),
        "inputs": inputs,
        "documents": report.documents,
        "units": report.units,
        "failed": report.failed,
    }
    _write_manifest(client, settings, manifest)
    _collect_garbage(client, settings.collection_prefix, keep={name, manifest["previous"]})
    if not settings.chroma_url:
        remove_orphan_segments(settings.store)
    report.collection = name
    report.seconds = time.perf_counter() - started
    return report


def _inputs(settings: IndexSettings, paths: list[Path], embedder_name: str) -> dict:
    """Everything a build depends on: file contents, parser code, settings. Equal inputs, equal index."""
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    code = hashlib.sha256()
    for src in sorted(Path(__file__).parent.glob("*.py")):
        code.update(src.read_bytes())
    return {
        "files": files,
        "parser": code.hexdigest()[:16],
        "embedder": embedder_name,
        "max_tokens": settings.max_tokens,
        "format": FORMAT_VERSION,
    }


def _collection_ok(client, manifest: dict) -> bool:
    try:
        return client.get_collection(manifest["collection"]).count() == manifest.get("clauses")
    except Exception:
        return False


def _old_embeddings(client, old: dict | None, ids: list[str]) -> dict[str, tuple[str, list[float]]]:
    if not old:
        return {}
    try:
        col = client.get_collection(old["collection"])
    except Exception:
        return {}
    out: dict[str, tuple[str, list[float]]] = {}
    for i in range(0, len(ids), 500):
        got = col.get(ids=ids[i : i + 500], include=["documents", "embeddings"])
        for cid, doc, emb in zip(got["ids"], got["documents"], got["embeddings"]):
            out[cid] = (doc, list(emb))
    return out


def _fill(col, records: dict[str, dict], reuse: dict, embedder, report: BuildReport, progress: bool) -> None:
    from tqdm import tqdm

    todo = [r for r in records.values() if r["id"] not in reuse or reuse[r["id"]][0] != r["document"]]
    done = {k: v[1] for k, v in reuse.items() if k in records and v[0] == records[k]["document"]}
    report.reused = len(done)
    report.embedded = len(todo)
    bar = tqdm(total=len(todo), desc="embedding clauses", unit="clause", disable=not progress or not todo)
    for i in range(0, len(todo), BATCH):
        batch = todo[i : i + BATCH]
        for rec, vec in zip(batch, embedder.embed_documents([r["document"] for r in batch])):
            done[rec["id"]] = vec
        bar.update(len(batch))
        embedded = i + len(batch)
        if os.environ.get("RAG_TEST_DIE_AFTER") and embedded >= int(os.environ["RAG_TEST_DIE_AFTER"]):
            os.kill(os.getpid(), 9)  # fault-tolerance tests: die like a SIGKILL halfway through
    bar.close()
    items = list(records.values())
    for i in range(0, len(items), 500):
        batch = items[i : i + 500]
        col.add(
            ids=[r["id"] for r in batch],
            documents=[r["document"] for r in batch],
            metadatas=[r["metadata"] for r in batch],
            embeddings=[done[r["id"]] for r in batch],
        )


def _drop(client, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:
        log.warning("could not drop collection %s", name)


def _collect_garbage(client, prefix: str, keep: set) -> None:
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name
        if name.startswith(prefix + "-") and name not in keep:
            _drop(client, name)
