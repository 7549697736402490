"""`python -m index add|remove|list`: change the index one notice at a time (see index/uploads.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from index.settings import IndexSettings


def add_subcommands(sub) -> None:
    """Register add, remove and list on the `python -m index` parser."""
    add = sub.add_parser("add", help="parse notices and add them to the index (same doc id: replaced)")
    add.add_argument(
        "files", nargs="+", help="notice files (.txt .md .html .htm .docx .pdf; scanned PDFs are OCRed)"
    )
    remove = sub.add_parser("remove", help="remove notices from the index by doc id")
    remove.add_argument("doc_ids", nargs="+", help="doc ids as shown by python -m index list")
    listing = sub.add_parser("list", help="list the indexed notices")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    for p in (add, remove, listing):
        p.add_argument("--store", help="index directory (default .store/, env RAG_STORE)")
        p.add_argument("--corpus", help="directory of notices (default docs_corpus/, env RAG_CORPUS)")
    for p in (add, remove):
        p.add_argument("--quiet", action="store_true", help="no progress bars")


def _settings(args) -> IndexSettings:
    return IndexSettings.from_env(
        store=Path(args.store) if args.store else None, corpus=Path(args.corpus) if args.corpus else None
    )


def run(args: argparse.Namespace) -> int:
    """Run add / remove / list; exit code 0 on success, 2 on a refused file or unknown doc id."""
    from index.store import IndexError_
    from index.uploads import DocumentNotFound, UploadRejected, add_files, list_documents, remove_documents

    settings = _settings(args)
    if args.command == "list":
        docs = list_documents(settings)
        if args.json:
            print(json.dumps(docs, ensure_ascii=False, indent=1))
            return 0
        if not docs:
            print(f"no index at {settings.store}: python -m index build", file=sys.stderr)
            return 1
        print("doc_id | title | 文号 | clauses | units | source file | OCR")
        for d in docs:
            print(
                f"{d['doc_id']} | {d['title']} | {d['doc_number'] or '-'} | {d['clauses']} | {d['units']} | "
                f"{d['source_file']} | {'yes' if d['ocr'] else 'no'}"
            )
        return 0
    try:
        if args.command == "add":
            missing = [f for f in args.files if not Path(f).is_file()]
            if missing:
                print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
                return 2
            with _ocr_bar(not args.quiet):
                report = add_files([Path(f) for f in args.files], settings, progress=not args.quiet)
            print(report.summary())
        else:
            print(remove_documents(args.doc_ids, settings, progress=not args.quiet).summary())
    except UploadRejected as exc:
        for name, _, reason in exc.errors:
            print(f"error: {name}: {reason}", file=sys.stderr)
        print("nothing was changed", file=sys.stderr)
        return 2
    except (DocumentNotFound, FileNotFoundError, IndexError_) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


class _ocr_bar:
    """A tqdm bar over OCRed pages while files are parsed (only shown when a page needs OCR)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None  # a tqdm bar once a page needs OCR
        self.token = None

    def __enter__(self):
        from index import ocr

        if self.enabled:
            self.token = ocr.PROGRESS.set(self._update)
        return self

    def _update(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None or self.bar.total != total or done == 0:
            if self.bar is not None:
                self.bar.close()
            self.bar = tqdm(total=total, desc="OCR pages", unit="page")
        self.bar.n = done
        self.bar.refresh()

    def __exit__(self, *exc) -> None:
        from index import ocr

        if self.bar is not None:
            self.bar.close()
        if self.token is not None:
            ocr.PROGRESS.reset(self.token)
