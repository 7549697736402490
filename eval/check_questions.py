"""Check the grounding eval set `eval/questions.jsonl` against the notices.

The check is independent of the index code: it re-derives each notice's clauses
and responsible units from the raw text with the conventions documented in
`eval/README_questions.md`, then verifies every question:

* schema, unique ids and the minimum count per type;
* every `gold_clauses[].contains` is 8-25 characters, occurs exactly once in the
  document's body (Yangcheng: before the ledger table; Shanxi: before the page
  footer; Lianyungang: before "相关文章") and lies inside one clause;
* `gold_units` equals the union of the gold clauses' units (for `tasks`: the
  gold clauses are exactly the clauses listing that unit, in document order);
* `gold_lead_units` are lead units of the gold clauses;
* every `gold_facts` string occurs verbatim in a gold clause.

Usage: `.venv/bin/python eval/check_questions.py [questions.jsonl]`; exits 1 on
any problem.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "docs_corpus"
DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"

MIN_COUNTS = {
    "who": 45,
    "tasks": 16,
    "fact": 32,
    "requirements": 22,
    "across": 11,
    "followup": 11,
    "unanswerable": 22,
}
MIN_TOTAL, MIN_COLLOQUIAL, MIN_NEAR_MISS = 170, 35, 10
COLLOQUIAL_TYPES = ("who", "fact", "requirements")  # MIN_COLLOQUIAL counts these
FIELDS = {
    "id": str,
    "type": str,
    "question": str,
    "colloquial": bool,
    "history": list,
    "gold_clauses": list,
    "gold_units": list,
    "gold_lead_units": list,
    "gold_facts": list,
    "answerable": bool,
    "note": str,
}
OPTIONAL_FIELDS = {"unit": str, "subtype": str, "optional_clauses": list}
SUBTYPES = {
    "who": {"lead_only", "multi_doc"},
    "followup": {"lead_only"},
    "unanswerable": {"near_miss", "out_of_domain"},
}

# Where a document's notice text ends (page furniture after it is not the notice).
BODY_END = {
    "yangcheng-2024-transport-eco-workplan": "序号\t工作任务",
    "shanxi-2024-air-quality-news": "特别声明",
    "lianyungang-2024-green-lowcarbon-plan": "相关文章",
}
JILIN_INHERITED = "各市〔州〕交通运输局"
LYG_INHERITED = ["各县区人民政府", "功能板块管委会"]
SUFFIXES = ("等部门和单位按职责分工负责", "等部门按职责分工负责", "按职责分工负责")
MARKER = re.compile(r"^\s*(\d+\.|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")
END_PUNCT = "。）)：:；;"


@dataclass(frozen=True)
class Clause:
    """One clause of a notice: its span in the raw text and its responsible units."""

    doc: str
    index: int
    start: int
    end: int
    text: str
    units: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()


@dataclass
class Notice:
    doc: str
    raw: str
    body_end: int
    clauses: list[Clause] = field(default_factory=list)

    def clause_at(self, pos: int) -> Clause | None:
        for c in self.clauses:
            if c.start <= pos < c.end:
                return c
        return None


def split_units(listing: str) -> list[str]:
    """`A、B等部门按职责分工负责` -> ["A", "B"]."""
    listing = listing.strip()
    for suffix in SUFFIXES:
        if listing.endswith(suffix):
            listing = listing[: -len(suffix)]
            break
    return [u.strip() for u in re.split(r"[、，,]", listing) if u.strip()]


def _blocks(raw: str, end: int) -> list[tuple[int, int]]:
    """Non-empty lines before `end`; a line cut mid-sentence by a page break
    (no closing punctuation, next line not a new item) is joined to the next."""
    spans = [
        (m.start(), m.end()) for m in re.finditer(r"[^\n]+", raw[:end]) if raw[m.start() : m.end()].strip()
    ]
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged:
            ps, pe = merged[-1]
            prev = raw[ps:pe].rstrip()
            if prev[-1] not in END_PUNCT and not MARKER.match(raw[s:e]):
                merged[-1] = (ps, e)
                continue
        merged.append((s, e))
    return merged


def _units(doc: str, text: str, state: dict) -> tuple[list[str], list[str]]:
    """Responsible and lead units of one clause text (whitespace removed)."""
    if doc.startswith("yangcheng"):
        m = re.search(r"[（(]责任单位[:：]([^）)]+)[）)]", text)
        return (split_units(m.group(1)), []) if m else ([], [])
    if doc.startswith("jilin"):
        if "不再列入责任单位" in text:
            state["inherit"] = True
        m = re.match(r"(\d+)\.", text)
        tail = re.search(r"（([^（）]+)）$", text)
        if not (m and tail):
            return [], []
        listing, lead = tail.group(1), []
        lm = re.match(r"牵头单位[:：]([^，,]+)[，,]责任单位[:：](.+)", listing)
        if lm:
            lead = split_units(lm.group(1))
            units = lead + [u for u in split_units(lm.group(2)) if u not in lead]
        else:
            units = split_units(listing)
        if state.get("inherit") and JILIN_INHERITED not in units:
            units.append(JILIN_INHERITED)
        return units, lead
    if doc.startswith("lianyungang"):
        tail = re.search(r"\(([^()]+)\)$", text)
        if not (re.match(r"\([一二三四五六七八九十]+\)", text) and tail):
            return [], []
        listing = tail.group(1)
        if "以下均需" in listing:
            state["inherit"] = True
            listing = re.split(r"[,，]以下均需", listing)[0]
        units = split_units(listing)
        if state.get("inherit"):
            units += [u for u in LYG_INHERITED if u not in units]
        return units, []
    if doc.startswith("bazhou"):
        return ["巴州交通运输局"], []
    return [], []


def load_notice(doc: str) -> Notice:
    raw = (CORPUS / f"{doc}.txt").read_text(encoding="utf-8")
    marker = BODY_END.get(doc)
    end = raw.find(marker) if marker and marker in raw else len(raw)
    notice, state = Notice(doc, raw, end), {}
    for i, (s, e) in enumerate(_blocks(raw, end)):
        text = re.sub(r"\s*\n\s*", "", raw[s:e]).strip()
        units, lead = _units(doc, text, state)
        notice.clauses.append(Clause(doc, i, s, e, text, tuple(units), tuple(lead)))
    return notice


def load_corpus() -> dict[str, Notice]:
    return {p.stem: load_notice(p.stem) for p in sorted(CORPUS.glob("*.txt"))}


def locate(notices: dict[str, Notice], doc: str, contains: str) -> tuple[Clause | None, str | None]:
    """The one clause of `doc` holding `contains`, or an error message."""
    notice = notices.get(doc)
    if notice is None:
        return None, f"unknown doc {doc!r}"
    if not 8 <= len(contains) <= 25:
        return None, f"contains {contains!r} has {len(contains)} chars (want 8-25)"
    body = notice.raw[: notice.body_end]
    n = body.count(contains)
    if n != 1:
        return None, f"contains {contains!r} occurs {n} times in the body of {doc}"
    pos = body.find(contains)
    clause = notice.clause_at(pos)
    if clause is None or pos + len(contains) > clause.end:
        return None, f"contains {contains!r} does not lie inside one clause of {doc}"
    return clause, None


def clauses_of_unit(notices: dict[str, Notice], unit: str) -> list[Clause]:
    return [c for n in notices.values() for c in n.clauses if unit in c.units]


def check_schema(q: dict) -> list[str]:
    """Fields present with the right types, and a known type and subtype."""
    errs: list[str] = []
    for key, typ in FIELDS.items():
        if not isinstance(q.get(key), typ):
            errs.append(f"field {key!r} missing or not {typ.__name__}")
    for key, typ in OPTIONAL_FIELDS.items():
        if key in q and not isinstance(q[key], typ):
            errs.append(f"field {key!r} not {typ.__name__}")
    extra = set(q) - set(FIELDS) - set(OPTIONAL_FIELDS)
    if extra:
        errs.append(f"unknown fields {sorted(extra)}")
    if errs:
        return errs
    qtype = q["type"]
    if qtype not in MIN_COUNTS:
        return [f"unknown type {qtype!r}"]
    if "subtype" in q and q["subtype"] not in SUBTYPES.get(qtype, set()):
        errs.append(f"subtype {q['subtype']!r} not allowed for {qtype}")
    return errs


def check_question(q: dict, notices: dict[str, Notice]) -> list[str]:
    errs = check_schema(q)
    if errs:
        return errs
    qtype = q["type"]
    clauses: list[Clause] = []
    for g in q["gold_clauses"] + q.get("optional_clauses", []):
        clause, err = locate(notices, g.get("doc", ""), g.get("contains", ""))
        if err:
            errs.append(err)
        elif g in q["gold_clauses"]:
            clauses.append(clause)
    if errs:
        return errs
    if not q["answerable"]:
        if qtype != "unanswerable" or q["gold_clauses"] or q["gold_units"] or q["gold_facts"]:
            errs.append("unanswerable questions have type 'unanswerable' and no gold")
        if "subtype" not in q:
            errs.append("unanswerable questions need subtype near_miss|out_of_domain")
        return errs
    if qtype == "unanswerable":
        return ["type 'unanswerable' but answerable is true"]
    if not clauses:
        errs.append("answerable question without gold clauses")
    if len({id(c) for c in clauses}) != len(clauses):
        errs.append("two gold_clauses point at the same clause")
    union = {u for c in clauses for u in c.units}
    leads = {u for c in clauses for u in c.lead_units}
    if qtype == "tasks":
        unit = q.get("unit", "")
        expected = [(c.doc, c.index) for c in clauses_of_unit(notices, unit)]
        got = [(c.doc, c.index) for c in clauses]
        if not expected:
            errs.append(f"unit {unit!r} is responsible for no clause")
        elif got != expected:
            missing = [notices[d].clauses[i].text[:30] for d, i in expected if (d, i) not in got]
            wrong = [notices[d].clauses[i].text[:30] for d, i in got if (d, i) not in expected]
            errs.append(f"tasks of {unit!r} incomplete/wrong/out of order: missing {missing} extra {wrong}")
        if q["gold_units"] != [unit]:
            errs.append("tasks: gold_units must be [unit]")
    elif q["gold_units"] and set(q["gold_units"]) != union:
        errs.append(f"gold_units {q['gold_units']} != clause units {sorted(union)}")
    if qtype == "who" and not q["gold_units"]:
        errs.append("who question without gold_units")
    if len(set(q["gold_units"])) != len(q["gold_units"]):
        errs.append("duplicate gold_units")
    if not set(q["gold_lead_units"]) <= leads:
        errs.append(f"gold_lead_units {q['gold_lead_units']} not lead units of the clauses ({sorted(leads)})")
    if q.get("subtype") == "lead_only" and not q["gold_lead_units"] and leads:
        errs.append("lead_only question without gold_lead_units although the clause names a lead")
    if qtype == "fact" and not q["gold_facts"]:
        errs.append("fact question without gold_facts")
    for fact in q["gold_facts"]:
        if not any(fact in c.text for c in clauses):
            errs.append(f"fact {fact!r} not in any gold clause")
    return errs + check_shape(q, {c.doc for c in clauses})


def check_shape(q: dict, docs: set[str]) -> list[str]:
    """Rules every set shares: an across question spans notices, only a follow-up has history."""
    errs = []
    if q["type"] == "across" and len(docs) < 2:
        errs.append("across question needs gold clauses from >= 2 notices")
    if q["type"] == "followup":
        h = q["history"]
        if len(h) != 1 or not all(isinstance(t, dict) and t.get("question") and t.get("answer") for t in h):
            errs.append("followup needs exactly one history turn with question and answer")
    elif q["history"]:
        errs.append("only followup questions have history")
    return errs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--real", choices=("dev", "heldout"),
                        help="a real-notice set (eval/real/<split>.jsonl), checked against the gold of that split")
    args = parser.parse_args(argv)
    lines = args.path.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    problems: list[str] = []
    ids = Counter(q.get("id") for q in questions)
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    texts = Counter(q.get("question") for q in questions if not q.get("history"))
    problems += [f"duplicate question {t}" for t, n in texts.items() if n > 1]
    if args.real:
        from eval.check_real import check_real_set

        problems += check_real_set(questions, args.real, check_schema)
        for p in problems:
            print("FAIL", p)
        print("OK" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    notices = load_corpus()
    for q in questions:
        problems += [f"{q.get('id')}: {e}" for e in check_question(q, notices)]
    counts = Counter(q.get("type") for q in questions)
    colloquial = Counter(q.get("type") for q in questions if q.get("colloquial"))
    near = sum(q.get("subtype") == "near_miss" for q in questions)
    for qtype, minimum in MIN_COUNTS.items():
        print(f"{qtype:13s} {counts[qtype]:4d}  (min {minimum}, colloquial {colloquial[qtype]})")
        if counts[qtype] < minimum:
            problems.append(f"only {counts[qtype]} {qtype} questions (min {minimum})")
    spoken = sum(colloquial[t] for t in COLLOQUIAL_TYPES)
    print(
        f"{'total':13s} {len(questions):4d}  (colloquial {sum(colloquial.values())}, "
        f"of them who/fact/requirements {spoken}; near misses {near})"
    )
    if len(questions) < MIN_TOTAL:
        problems.append(f"only {len(questions)} questions (min {MIN_TOTAL})")
    if spoken < MIN_COLLOQUIAL:
        problems.append(f"only {spoken} colloquial who/fact/requirements questions (min {MIN_COLLOQUIAL})")
    if near < MIN_NEAR_MISS:
        problems.append(f"only {near} near-miss unanswerable questions (min {MIN_NEAR_MISS})")
    for p in problems:
        print("FAIL", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
