"""`python -m index build|inspect|add|remove|list`: build the Chroma index, print parsed clauses as JSON,
or add, remove and list notices one at a time (index/commands.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index.settings import IndexSettings


def _settings(args) -> IndexSettings:
    return IndexSettings.from_env(
        store=Path(args.store) if getattr(args, "store", None) else None,
        corpus=Path(args.corpus) if args.corpus else None,
        embedder=getattr(args, "embedder", None),
        chroma_url=getattr(args, "chroma_url", None),
    )


def inspect_corpus(corpus: Path, max_tokens: int = 512) -> tuple[list[dict], list[tuple[str, str]]]:
    """Parse every notice (no embedding): one dict per clause, and the files that failed."""
    from index.corpus import scan_corpus
    from index.parse import parse_document
    from index.read import SUPPORTED, UnreadableFile

    rows: list[dict] = []
    scan = scan_corpus(corpus)
    failed: list[tuple[str, str]] = list(scan.skipped)
    for path in scan.files:
        if path.suffix.lower() not in SUPPORTED:
            failed.append((path.name, f"unsupported file type {path.suffix or '(none)'}"))
            continue
        try:
            doc = parse_document(path, max_tokens=max_tokens)
        except UnreadableFile as exc:
            failed.append((path.name, str(exc)))
            continue
        for c in doc.clauses:
            rows.append(
                {
                    "doc_id": c.doc.doc_id,
                    "doc_title": c.doc.title,
                    "doc_number": c.doc.doc_number,
                    "issuer": c.doc.issuer,
                    "date": c.doc.date,
                    "kind": c.doc.kind,
                    "region": c.doc.region,
                    "section_path": list(c.section_path),
                    "clause_no": c.clause_no,
                    "text": c.text,
                    "units": list(c.units),
                    "lead_units": list(c.lead_units),
                    "inherited_units": list(c.inherited_units),
                    "inherited_note": c.inherited_note,
                    "table_units": list(c.table_units),
                    "unit_source": c.unit_source,
                    "people": list(c.people),
                    "deadline": c.deadline,
                    "duty_text": c.duty_text,
                    "table_rows": [
                        r.__dict__ | {"units": list(r.units), "lead_units": list(r.lead_units), "people": list(r.people)}
                        for r in c.table_rows
                    ],
                    "start": c.start,
                    "end": c.end,
                    "part": c.part,
                    "parts": c.parts,
                    "source_file": c.doc.source_file,
                }
            )
    return rows, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="parse the corpus and (re)build the index incrementally")
    build.add_argument("--corpus", help="directory of notices (default docs_corpus/, env RAG_CORPUS)")
    build.add_argument("--store", help="index directory (default .store/, env RAG_STORE)")
    build.add_argument("--embedder", help="use | st:<model or dir> | hash (env RAG_EMBEDDER)")
    build.add_argument("--chroma-url", help="Chroma server URL instead of the embedded store (env RAG_CHROMA_URL)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    insp = sub.add_parser("inspect", help="parse only and print the clauses")
    insp.add_argument("--corpus", help="directory of notices")
    insp.add_argument("--json", action="store_true", help="print a JSON array, one object per clause")
    from index.commands import add_subcommands, run

    add_subcommands(sub)
    args = parser.parse_args(argv)
    if args.command in ("add", "remove", "list"):
        return run(args)

    if args.command == "inspect":
        settings = _settings(args)
        rows, failed = inspect_corpus(settings.corpus, settings.max_tokens)
        for name, reason in failed:
            print(f"skipped {name}: {reason}", file=sys.stderr)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            for r in rows:
                units = "、".join(r["units"]) or "-"
                print(f"{r['doc_id']} | {' > '.join(r['section_path'])} | {units}")
        return 0

    from index.store import IndexError_, build_index

    settings = _settings(args)
    try:
        report = build_index(settings, progress=not args.quiet)
    except (FileNotFoundError, IndexError_) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0 if report.documents else 1


if __name__ == "__main__":
    sys.exit(main())
