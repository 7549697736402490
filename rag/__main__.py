"""`python -m rag ask|tasks`: answer questions from the command line (extractive by default)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _load(store: str | None):
    from rag.answer import Assistant

    return Assistant.load(store=Path(store) if store else None)


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return
    print(answer.answer)
    if answer.citations:
        print()
    for c in answer.citations:
        units = "、".join(c.units)
        print(f"[{c.n}] 《{c.doc_title}》{('（' + c.doc_number + '）') if c.doc_number else ''} {c.section}")
        if units:
            print(f"     责任单位：{units}" + (f"（牵头：{'、'.join(c.lead_units)}）" if c.lead_units else ""))
    if answer.refused and answer.related:
        print("\n相关条款（仅供参考，不作为答案）：")
        for c in answer.related:
            print(f"  - 《{c.doc_title}》 {c.section}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rag", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question (or JSON lines from stdin with --jsonl)")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--store", help="index directory (default .store/, env RAG_STORE)")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--jsonl", action="store_true", help='read {"question", "history"?} lines from stdin')
    tasks = sub.add_parser("tasks", help="the complete task list of a unit")
    tasks.add_argument("--unit", required=True)
    tasks.add_argument("--store")
    tasks.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from index.store import IndexError_

    try:
        assistant = _load(args.store)
    except IndexError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if args.command == "tasks":
        items = assistant.tasks(args.unit)
        if args.json:
            print(json.dumps([c.__dict__ for c in items], ensure_ascii=False, indent=1))
        else:
            if not items:
                print(f"没有找到“{args.unit}”负责的任务。")
            for c in items:
                print(f"[{c.n}] 《{c.doc_title}》 {c.section}  完成时限：{c.deadline or '未写明'}")
        return 0

    if args.jsonl:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                req = json.loads(line)
                answer = assistant.ask(str(req.get("question", "")), req.get("history") or None)
                print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
            except (json.JSONDecodeError, AttributeError) as exc:
                print(json.dumps({"error": f"bad input line: {exc}"}, ensure_ascii=False), flush=True)
        return 0
    if args.question is None:
        parser.error("ask needs a question (or --jsonl)")
    _print_answer(assistant.ask(args.question), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
