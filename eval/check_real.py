"""Check a real-notice question set (`eval/real/<split>.jsonl`) against its notices and their gold.

The real notices are web pages saved as found (`tests/data/real_notices/`), too varied for the
rule-based re-derivation the seed checker uses. Here the reference is the hand-written gold
(`gold/<stem>.json`, see `GOLD.md`): a who/tasks question's gold clause is a gold task, located
by its anchor. The check:

* every `doc` belongs to the split (`SPLIT.tsv`); every `contains` is 8-30 characters and occurs
  exactly once in the notice (compared after NFKC and with whitespace removed, as the metrics do);
* `who`: each gold clause is a gold task; `gold_units` equals the union of those tasks' units and
  `gold_lead_units` are among their leads;
* `tasks`: the gold clauses are exactly the tasks of that notice listing `unit`, in order;
* every `gold_facts` string occurs in the notice within 300 characters of a gold clause;
* minimum counts per type, near misses and a colloquial share of one third.

Informational only (never a failure): how many `contains` do not lie inside one clause as the
index parses the notice -- a gold clause the parser splits is the system's failure, not the set's.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "tests" / "data" / "real_notices"
MIN_COUNTS = {
    "heldout": {"who": 35, "tasks": 12, "fact": 20, "requirements": 15, "across": 8, "followup": 12, "unanswerable": 26},
    "dev": {"who": 35, "tasks": 12, "fact": 20, "requirements": 15, "across": 8, "followup": 12, "unanswerable": 26},
}
MIN_TOTAL, MIN_COLLOQUIAL_SHARE = 120, 1 / 3
MIN_NEAR_MISS = {"heldout": 25, "dev": 23}
FACT_WINDOW = 300


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class GoldTask:
    start: int
    end: int
    units: list[str]
    lead: list[str]


@dataclass
class RealNotice:
    doc: str
    flat: str  # squashed raw text
    tasks: list[GoldTask]

    def task_at(self, start: int, end: int) -> GoldTask | None:
        return next((t for t in self.tasks if t.start < end and start < t.end), None)


def split_docs(split: str) -> list[str]:
    with (NOTICES / "SPLIT.tsv").open(encoding="utf-8") as f:
        return [Path(r["file"]).stem for r in csv.DictReader(f, delimiter="\t") if r["split"] == split]


def load_notices(docs: list[str]) -> dict[str, RealNotice]:
    notices = {}
    for doc in docs:
        flat = squash((NOTICES / f"{doc}.txt").read_text(encoding="utf-8"))
        gold = json.loads((NOTICES / "gold" / f"{doc}.json").read_text(encoding="utf-8"))
        tasks = []
        for t in gold.get("tasks", []):
            anchor = squash(t["anchor"])
            pos = flat.find(anchor)
            if pos >= 0:
                tasks.append(GoldTask(pos, pos + len(anchor), list(t["units"]), list(t.get("lead") or [])))
        notices[doc] = RealNotice(doc, flat, sorted(tasks, key=lambda t: t.start))
    return notices


def _locate(notices: dict[str, RealNotice], g: dict) -> tuple[tuple[RealNotice, int, int] | None, str | None]:
    doc, contains = g.get("doc", ""), g.get("contains", "")
    notice = notices.get(doc)
    if notice is None:
        return None, f"doc {doc!r} is not a notice of this split"
    if not 8 <= len(contains) <= 30:
        return None, f"contains {contains!r} has {len(contains)} chars (want 8-30)"
    key = squash(contains)
    n = notice.flat.count(key)
    if n != 1:
        return None, f"contains {contains!r} occurs {n} times in {doc}"
    pos = notice.flat.find(key)
    return (notice, pos, pos + len(key)), None


def check_real_question(q: dict, notices: dict[str, RealNotice]) -> list[str]:
    """Problems of one question (schema is checked by the caller)."""
    errs: list[str] = []
    spans = []
    for g in q["gold_clauses"] + q.get("optional_clauses", []):
        span, err = _locate(notices, g)
        if err:
            errs.append(err)
        elif g in q["gold_clauses"]:
            spans.append(span)
    if errs:
        return errs
    qtype = q["type"]
    if not q["answerable"]:
        if qtype != "unanswerable" or q["gold_clauses"] or q["gold_units"] or q["gold_facts"]:
            errs.append("unanswerable questions have type 'unanswerable' and no gold")
        if q.get("subtype") not in ("near_miss", "out_of_domain"):
            errs.append("unanswerable questions need subtype near_miss|out_of_domain")
        return errs
    if qtype == "unanswerable":
        return ["type 'unanswerable' but answerable is true"]
    if not spans:
        return ["answerable question without gold clauses"]
    tasks = [notice.task_at(s, e) for notice, s, e in spans]
    if qtype in ("who", "tasks") or (qtype == "followup" and q["gold_units"]):
        if any(t is None for t in tasks):
            errs.append("a gold clause of a who/tasks question is not a gold task (use the task's anchor)")
            return errs
        union = {u for t in tasks for u in t.units}
        leads = {u for t in tasks for u in t.lead}
        if qtype == "tasks":
            unit = q.get("unit", "")
            notice = spans[0][0]
            expected = [t for t in notice.tasks if unit in t.units]
            if any(sp[0] is not notice for sp in spans):
                errs.append("tasks: gold clauses from more than one notice")
            elif not expected:
                errs.append(f"unit {unit!r} is responsible for no gold task of {notice.doc}")
            elif [id(t) for t in tasks] != [id(t) for t in expected]:
                errs.append(f"tasks of {unit!r}: {len(tasks)} gold clauses, the gold lists {len(expected)} tasks "
                            "(every task listing the unit, in document order)")
            if q["gold_units"] != [unit]:
                errs.append("tasks: gold_units must be [unit]")
        else:
            if set(q["gold_units"]) != union:
                errs.append(f"gold_units {q['gold_units']} != gold task units {sorted(union)}")
            if not set(q["gold_lead_units"]) <= leads:
                errs.append(f"gold_lead_units {q['gold_lead_units']} not leads of the task ({sorted(leads)})")
            if q.get("subtype") == "lead_only" and not q["gold_lead_units"]:
                errs.append("lead_only question without gold_lead_units")
    if qtype == "who" and not q["gold_units"]:
        errs.append("who question without gold_units")
    if qtype == "fact" and not q["gold_facts"]:
        errs.append("fact question without gold_facts")
    for fact in q["gold_facts"]:
        key = squash(fact)
        if not any(key in n.flat[max(0, s - FACT_WINDOW): e + FACT_WINDOW] for n, s, e in spans):
            errs.append(f"fact {fact!r} not within {FACT_WINDOW} characters of a gold clause")
    from eval.check_questions import check_shape

    return errs + check_shape(q, {n.doc for n, _, _ in spans})


def split_clause_count(questions: list[dict]) -> tuple[int, int]:
    """(gold clauses, of them not inside one clause as the index parses the notice)."""
    from index.parse import parse_document

    parsed: dict[str, list[str]] = {}
    total = outside = 0
    for q in questions:
        for g in q["gold_clauses"]:
            if g["doc"] not in parsed:
                doc = parse_document(NOTICES / f"{g['doc']}.txt")
                parsed[g["doc"]] = [squash(c.text) for c in doc.clauses]
            total += 1
            outside += not any(squash(g["contains"]) in text for text in parsed[g["doc"]])
    return total, outside


def check_real_set(questions: list[dict], split: str, check_schema) -> list[str]:
    """Every problem of a real-notice set; prints the counts."""
    notices = load_notices(split_docs(split))
    problems: list[str] = []
    for q in questions:
        errs = check_schema(q) or check_real_question(q, notices)
        problems += [f"{q.get('id')}: {e}" for e in errs]
    counts = Counter(q.get("type") for q in questions)
    colloquial = sum(bool(q.get("colloquial")) for q in questions)
    near = sum(q.get("subtype") == "near_miss" for q in questions)
    for qtype, minimum in MIN_COUNTS[split].items():
        print(f"{qtype:13s} {counts[qtype]:4d}  (min {minimum})")
        if counts[qtype] < minimum:
            problems.append(f"only {counts[qtype]} {qtype} questions (min {minimum})")
    covered = {g["doc"] for q in questions for g in q["gold_clauses"]}
    print(f"{'total':13s} {len(questions):4d}  (colloquial {colloquial}, near misses {near}, "
          f"notices covered {len(covered)} of {len(notices)})")
    if len(questions) < MIN_TOTAL:
        problems.append(f"only {len(questions)} questions (min {MIN_TOTAL})")
    if near < MIN_NEAR_MISS[split]:
        problems.append(f"only {near} near-miss questions (min {MIN_NEAR_MISS[split]})")
    if questions and colloquial < MIN_COLLOQUIAL_SHARE * len(questions):
        problems.append(f"only {colloquial} colloquial questions (min a third of {len(questions)})")
    if not problems:
        total, outside = split_clause_count(questions)
        print(f"info: {outside} of {total} gold clauses do not lie inside one parsed clause")
    return problems
