"""Add, remove and list notices one by one, without editing the corpus folder.

Entry points: :func:`add_files`, :func:`remove_documents`, :func:`list_documents`.

``add_files`` checks and parses every file first (any bad file: :class:`UploadRejected`, nothing
changes), then copies them into the uploads folder (``index.files.uploads_dir``) and builds a new
index generation. ``remove_documents`` deletes uploaded copies and records removed corpus
notices in ``.removed.json``. Both rebuild incrementally (unchanged clauses are not re-embedded)
and generationally: when the build fails, the uploads folder is put back as it was and the
serving index was never touched. Writers in several processes are serialised by a file lock.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from index import ocr
from index.files import corpus_notices, removed_ids, uploaded_files, uploads_dir, write_removed_ids
from index.read import SUPPORTED, UnreadableFile, _max_file_mb
from index.settings import IndexSettings
from index.store import BuildReport, build_index, client_for, read_manifest

_MB = 1024 * 1024
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


class UploadRejected(ValueError):
    """Files that cannot be added; `errors` lists (file name, HTTP status, reason in Chinese)."""

    def __init__(self, errors: list[tuple[str, int, str]]) -> None:
        self.errors = errors
        super().__init__("；".join(f"{name}：{reason}" for name, _, reason in errors))

    @property
    def status(self) -> int:
        return self.errors[0][1] if len({s for _, s, _ in self.errors}) == 1 else 400


class DocumentNotFound(KeyError):
    def __init__(self, doc_ids: list[str]) -> None:
        self.doc_ids = doc_ids
        super().__init__(f"索引中没有这些文件：{'、'.join(doc_ids)}（可用 python -m index list 查看）")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class AddedFile:
    """What one added file became: its doc id, identity, counts and whether OCR read it."""

    doc_id: str
    title: str
    doc_number: str | None
    clauses: int
    units: int
    ocr: bool
    ocr_pages: tuple[int, ...] = ()
    source_file: str = ""

    def to_dict(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "doc_number": self.doc_number,
            "clauses": self.clauses,
            "units": self.units,
            "ocr": self.ocr,
            "ocr_pages": list(self.ocr_pages),
            "source_file": self.source_file,
        }


@dataclass
class AddReport:
    added: list[AddedFile] = field(default_factory=list)
    build: BuildReport | None = None

    def summary(self) -> str:
        lines = [
            f"added {a.doc_id}: 《{a.title}》 {a.doc_number or ''} clauses: {a.clauses} units: {a.units} "
            f"OCR: {'yes, pages ' + ','.join(map(str, a.ocr_pages)) if a.ocr else 'no'}"
            for a in self.added
        ]
        return "\n".join(lines + ([self.build.summary()] if self.build else []))


def safe_name(name: str) -> str:
    """A file name safe to keep in the uploads folder (no folders, no control characters)."""
    base = _BAD_NAME.sub("_", Path(str(name).replace("\\", "/")).name).strip(" .")
    stem, suffix = Path(base).stem[:100].strip(" ._"), Path(base).suffix.lower()
    return f"{stem or 'upload'}{suffix}"


def check_file(path: Path, max_tokens: int = 512, name: str | None = None) -> AddedFile:
    """Parse one notice the way the index will, or raise UploadRejected with a Chinese reason."""
    from index.parse import parse_document

    name = name or path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        shown = f"“{path.suffix}”" if path.suffix else "（无扩展名）"
        raise UploadRejected([(name, 415, f"不支持的文件类型{shown}；支持：{'、'.join(sorted(SUPPORTED))}")])
    size = path.stat().st_size
    if size == 0:
        raise UploadRejected([(name, 400, "文件为空")])
    limit = _max_file_mb()
    if size > limit * _MB:
        raise UploadRejected(
            [(name, 413, f"文件大小 {size / _MB:.1f} MB，超过 {limit:g} MB 的上限（可设置 RAG_MAX_FILE_MB）")]
        )
    ocred: list[int] = []
    previous = ocr.PROGRESS.get()
    try:
        doc = parse_document(path, max_tokens=max_tokens)
        if suffix == ".pdf":
            from index.pages import pdf_pages

            token = ocr.PROGRESS.set(None)  # the pages were OCRed (and cached) by the parse just now
            try:
                ocred = pdf_pages(path)[1]
            finally:
                ocr.PROGRESS.reset(token)
    except UnreadableFile as exc:
        raise UploadRejected([(name, 400, _chinese_reason(exc.reason, suffix))]) from exc
    except ocr.OCRUnavailable as exc:
        raise UploadRejected([(name, 400, f"无法识别扫描页：{exc}")]) from exc
    except Exception as exc:  # noqa: BLE001 - a parser failure is this file's problem
        raise UploadRejected([(name, 400, f"文件无法解析（{type(exc).__name__}: {exc}）")]) from exc
    finally:
        ocr.PROGRESS.set(previous)
    if not doc.clauses:
        raise UploadRejected([(name, 400, "没有从文件中识别出任何条款（这是一份通知文件吗？）")])
    units = {u for c in doc.clauses for u in c.units}
    return AddedFile(
        doc_id=doc.identity.doc_id,
        title=doc.identity.title,
        doc_number=doc.identity.doc_number,
        clauses=len(doc.clauses),
        units=len(units),
        ocr=bool(ocred),
        ocr_pages=tuple(ocred),
        source_file=path.name,
    )


def _chinese_reason(reason: str, suffix: str) -> str:
    kind = {".pdf": "PDF", ".docx": "Word (.docx)", ".html": "HTML", ".htm": "HTML"}.get(suffix, "文本")
    if "password" in reason:
        return f"文件有密码保护，无法读取（{reason}）"
    if "does not look like text" in reason:
        return f"文件不是文本，可能是改了扩展名的二进制文件（{reason}）"
    if "no text layer" in reason:
        return f"PDF 没有文字层，OCR 也没有识别出文字（{reason}）"
    if "is empty" in reason:
        return "文件为空，没有文字内容"
    if "over the" in reason:
        return f"文件过大（{reason}）"
    return f"文件已损坏，或不是真正的 {kind} 文件（{reason}）"


@contextmanager
def writer_lock(settings: IndexSettings) -> Iterator[None]:
    """One writer at a time across processes (the uploads folder and the index build)."""
    folder = uploads_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def add_files(
    paths: list[Path],
    settings: IndexSettings | None = None,
    names: list[str] | None = None,
    progress: bool = False,
    embedder=None,
    on_checked: Callable[[AddedFile], None] | None = None,
) -> AddReport:
    """Add notices to the index (replacing notices with the same doc id) in one new generation.

    Args:
        paths: the files to add.
        settings: store, corpus and embedder settings (default: from the environment).
        names: the names to keep them under (default: their own names); doc id = name without extension.
        progress: progress bars for OCR and embedding.
        embedder: an embedder object to use instead of settings.embedder (tests).
        on_checked: called after each file is parsed (progress reporting).

    Returns:
        What each file became and the build report.

    Raises:
        UploadRejected: at least one file is bad; nothing was changed.
    """
    settings = settings or IndexSettings.from_env()
    names = [safe_name(n) for n in (names or [p.name for p in paths])]
    errors: list[tuple[str, int, str]] = []
    added: list[AddedFile] = []
    with tempfile.TemporaryDirectory(prefix="policy-qa-add-") as tmp:
        staged: list[Path] = []
        for i, (path, name) in enumerate(zip(paths, names)):
            target = Path(tmp) / str(i) / name  # parsed under its final name: doc id = its stem
            target.parent.mkdir()
            try:
                shutil.copyfile(path, target)
                info = check_file(target, settings.max_tokens, name=name)
            except UploadRejected as exc:
                errors += exc.errors
                continue
            except OSError as exc:
                errors.append((name, 400, f"无法读取文件（{exc.strerror or exc}）"))
                continue
            if any(a.doc_id == info.doc_id for a in added):
                errors.append((name, 400, f"同一批中有两个文件的文档编号都是“{info.doc_id}”"))
                continue
            added.append(info)
            staged.append(target)
            if on_checked:
                on_checked(info)
        if errors:
            raise UploadRejected(errors)
        with writer_lock(settings):
            folder = uploads_dir(settings)
            backup = _Backup(settings)
            try:
                for target, info in zip(staged, added):
                    for old in uploaded_files(settings):
                        if old.stem == info.doc_id:
                            backup.remove(old)
                    backup.put(target, folder / target.name)
                removed = removed_ids(settings)
                if removed & {a.doc_id for a in added}:
                    write_removed_ids(settings, removed - {a.doc_id for a in added})
                token = ocr.PROGRESS.set(None)  # pages were OCRed by check_file: the build reads the cache
                try:
                    report = build_index(settings, progress=progress, embedder=embedder)
                finally:
                    ocr.PROGRESS.reset(token)
            except BaseException:
                backup.restore()
                raise
            backup.discard()
    return AddReport(added=added, build=report)


def remove_documents(
    doc_ids: list[str], settings: IndexSettings | None = None, progress: bool = False, embedder=None
) -> BuildReport:
    """Remove notices from the index (uploaded copies are deleted; corpus notices are marked removed).

    Raises:
        DocumentNotFound: a doc id is not in the index; nothing was changed.
    """
    settings = settings or IndexSettings.from_env()
    with writer_lock(settings):
        known = {d["doc_id"] for d in list_documents(settings)} | {p.stem for p in uploaded_files(settings)}
        missing = [d for d in doc_ids if d not in known]
        if missing:
            raise DocumentNotFound(missing)
        backup = _Backup(settings)
        try:
            for old in uploaded_files(settings):
                if old.stem in doc_ids:
                    backup.remove(old)
            in_corpus = {p.stem for p in corpus_notices(settings)} & set(doc_ids)
            if in_corpus:
                write_removed_ids(settings, removed_ids(settings) | in_corpus)
            report = build_index(settings, progress=progress, embedder=embedder)
        except BaseException:
            backup.restore()
            raise
        backup.discard()
    return report


def list_documents(settings: IndexSettings | None = None) -> list[dict]:
    """The notices of the serving index generation, with clause and unit counts and OCR use."""
    settings = settings or IndexSettings.from_env()
    if not settings.chroma_url and not (settings.store / "chroma.sqlite3").exists():
        return []
    client = client_for(settings)
    manifest = read_manifest(client)
    if not manifest:
        return []
    metas = client.get_collection(manifest["collection"]).get(include=["metadatas"])["metadatas"]
    return summarize(metas, uploads={p.name for p in uploaded_files(settings)})


def summarize(metas: list[dict], uploads: set[str] | None = None) -> list[dict]:
    """One row per notice from clause metadata: id, title, 文号, clauses, units, source file, OCR."""
    docs: dict[str, dict] = {}
    for m in sorted(metas, key=lambda m: (m.get("doc_id", ""), m.get("order", 0))):
        d = docs.setdefault(
            m["doc_id"],
            {
                "doc_id": m["doc_id"],
                "title": m.get("doc_title", ""),
                "doc_number": m.get("doc_number"),
                "clauses": 0,
                "units": set(),
                "source_file": m.get("source_file", ""),
                "ocr": False,
                "pages": 0,
            },
        )
        d["clauses"] += 1
        d["units"].update(m.get("units") or [])
        d["ocr"] = d["ocr"] or bool(m.get("ocr"))
        d["pages"] = max(d["pages"], int(m.get("page") or 0))
    out = []
    for d in docs.values():
        d["units"] = len(d["units"])
        if uploads is not None:
            d["uploaded"] = d["source_file"] in uploads
        out.append(d)
    return out


class _Backup:
    """Changes to the uploads folder that can be undone when the build fails."""

    def __init__(self, settings: IndexSettings) -> None:
        self.folder = uploads_dir(settings)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.removed_file = self.folder / ".removed.json"
        self.removed_before = self.removed_file.read_bytes() if self.removed_file.exists() else None
        self.trash = Path(tempfile.mkdtemp(prefix=".trash-", dir=self.folder))
        self.moved: list[tuple[Path, Path]] = []  # (original, where it is kept meanwhile)
        self.created: list[Path] = []

    def remove(self, path: Path) -> None:
        kept = self.trash / path.name
        path.replace(kept)
        self.moved.append((path, kept))

    def put(self, source: Path, target: Path) -> None:
        if target.exists():
            self.remove(target)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
        self.created.append(target)

    def restore(self) -> None:
        for path in self.created:
            path.unlink(missing_ok=True)
        for original, kept in reversed(self.moved):
            kept.replace(original)
        if self.removed_before is None:
            self.removed_file.unlink(missing_ok=True)
        else:
            self.removed_file.write_bytes(self.removed_before)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.trash, ignore_errors=True)
