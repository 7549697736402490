"""``python -m eval parse``: extraction precision / recall / F1 on the real-notice gold, per split and form.

The gold (``tests/data/real_notices/gold/*.json``) was written by hand from the text of stored
government pages before the extractor was changed to read them; ``SPLIT.tsv`` holds the frozen
dev / held-out split. For each gold task the clause that contains its anchor is found and its
``units``, ``lead_units``, ``deadline`` and ``people`` are compared with the gold.

Unit names are compared after the same normalisation on both sides: simplified script, no
whitespace, one bracket style, and no "等…部门" tail ("区司法局等有关部门" names 区司法局).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "real_notices"
# Families of the free-form `forms` tags of the gold, for the per-form report.
FORM_FAMILIES: dict[str, tuple[str, ...]] = {
    "table": ("table", "column", "cell", "row", "pipe"),
    "bracket": ("bracket", "paren", "〔", "负责", "負責"),
    "label line": ("label", "inline-labels"),
    "verb form": ("牵头", "会", "按职责", "等负责"),
    "people": ("people", "leader", "领导", "person", "責任領導"),
    "deadline": ("deadline", "期限", "时限"),
    "traditional": ("traditional",),
    "scope": ("scope", "group"),
}


def norm_unit(name: str) -> str:
    from index.clean import strip_glosses
    from index.units import LIST_TAIL, to_simplified

    name = re.sub(r"\s+", "", to_simplified(strip_glosses(name)))  # gold "發(fā)改委" is 发改委
    name = name.translate(str.maketrans("()〔〕[]［］", "（）（）（）（）"))
    return LIST_TAIL.sub("", name)


def norm_text(text: str | None) -> str:
    from index.clean import strip_glosses
    from index.units import to_simplified

    if not text:
        return ""
    text = re.sub(r"[\s《》〈〉\"“”]", "", to_simplified(strip_glosses(text)))  # gold is as written: pinyin and all
    return text.translate(str.maketrans("()〔〕[]［］:", "（）（）（）（）："))


def deadline_ok(gold: str | None, got: str | None) -> bool:
    """Right when both are empty, or the gold time is inside the extracted one and little more."""
    g, p = norm_text(gold), norm_text(got)
    if not g or not p:
        return g == p
    return g in p and len(p) <= len(g) + 6


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    lead_ok: int = 0
    lead_n: int = 0
    deadline_ok: int = 0
    people_ok: int = 0
    tasks: int = 0
    found: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for key in ("tp", "fp", "fn", "lead_ok", "lead_n", "deadline_ok", "people_ok", "tasks", "found"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.misses += other.misses

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _clause_for(anchor: str, clauses) -> object | None:
    from index.clean import strip_glosses
    from index.units import to_simplified

    key = re.sub(r"\s+", "", to_simplified(strip_glosses(anchor)))  # the clause text is cleaned of pinyin
    hits = [c for c in clauses if key in re.sub(r"\s+", "", to_simplified(c.text))]
    if not hits:
        return None
    with_units = [c for c in hits if c.units or c.deadline]
    return min(with_units or hits, key=lambda c: len(c.text))


def score_notice(gold: dict, parsed) -> tuple[Counts, dict[str, bool]]:
    """Task-level counts and identity checks for one notice."""
    counts = Counts()
    for task in gold["tasks"]:
        counts.tasks += 1
        clause = _clause_for(task["anchor"], parsed.clauses)
        got_units = [norm_unit(u) for u in clause.units] if clause else []
        got_lead = {norm_unit(u) for u in clause.lead_units} if clause else set()
        want = [norm_unit(u) for u in task["units"]]
        if clause is not None:
            counts.found += 1
        tp = len(set(got_units) & set(want))
        counts.tp += tp
        counts.fp += len(set(got_units) - set(want))
        counts.fn += len(set(want) - set(got_units))
        want_lead = {norm_unit(u) for u in task["lead"]}
        if want:
            counts.lead_n += 1
            counts.lead_ok += got_lead == want_lead
        got_deadline = clause.deadline if clause else None
        counts.deadline_ok += deadline_ok(task.get("deadline"), got_deadline)
        got_people = {norm_text(p) for p in clause.people} if clause else set()
        counts.people_ok += got_people == {norm_text(p) for p in task.get("people", [])}
        if set(got_units) != set(want) or got_lead != want_lead or not deadline_ok(task.get("deadline"), got_deadline):
            counts.misses.append(
                f"{gold['file']}: {task['anchor']!r} units {got_units} (gold {want}) lead {sorted(got_lead)} "
                f"(gold {sorted(want_lead)}) deadline {got_deadline!r} (gold {task.get('deadline')!r})"
                + ("" if clause else " [anchor not in any clause]")
            )
    ident = parsed.identity
    checks = {
        "title": norm_text(ident.title) == norm_text(gold.get("title")) if gold.get("title") else None,
        "doc_number": norm_text(ident.doc_number) == norm_text(gold.get("doc_number")),
        "issuer": norm_text(ident.issuer) == norm_text(gold.get("issuer")),
        "date": (ident.date or None) == (gold.get("date") or None),
    }
    return counts, checks


def load_gold(split: str | None = None) -> list[tuple[dict, str]]:
    """(gold, split) of every annotated notice, or of one split."""
    return [(gold, which) for gold, which, _ in _gold_rows(split)]


def _gold_rows(split: str | None = None) -> list[tuple[dict, str, str]]:
    rows = [line.split("\t") for line in (DATA / "SPLIT.tsv").read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    splits = {r[0]: (r[1].strip(), r[2].strip() if len(r) > 2 else "1") for r in rows}
    out = []
    for path in sorted((DATA / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold["file"] not in splits:
            print(f"note: {gold['file']} is not in SPLIT.tsv yet; left out", file=sys.stderr)
            continue
        which, batch = splits[gold["file"]]
        if split is None or which == split:
            out.append((gold, which, batch))
    return out


def evaluate(split: str | None = None) -> dict:
    """Figures per split and per form family; misses listed for the dev split only."""
    from index.parse import parse_document

    per_split: dict[str, Counts] = defaultdict(Counts)
    per_form: dict[tuple[str, str], Counts] = defaultdict(Counts)
    ident: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    notices: dict[str, int] = defaultdict(int)
    for gold, which, batch in _gold_rows(split):
        parsed = parse_document(DATA / gold["file"])
        counts, checks = score_notice(gold, parsed)
        groups = [which] + ([f"{which} batch {batch}"] if which == "heldout" else [])
        for group in groups:
            per_split[group].add(counts)
            notices[group] += 1
            for key, ok in checks.items():
                if ok is not None:
                    ident[group][key].append(ok)
        tags = " ".join(gold.get("forms", []))
        for family, words in FORM_FAMILIES.items():
            if any(w in tags for w in words):
                per_form[(which, family)].add(counts)
    result: dict = {"splits": {}, "forms": {}}
    for which, c in sorted(per_split.items()):
        p, r, f = c.prf()
        result["splits"][which] = {
            "notices": notices[which],
            "tasks": c.tasks,
            "anchors found": c.found / c.tasks if c.tasks else 0.0,
            "unit P": p, "unit R": r, "unit F1": f,
            "lead accuracy": c.lead_ok / c.lead_n if c.lead_n else 1.0,
            "deadline accuracy": c.deadline_ok / c.tasks if c.tasks else 1.0,
            "people accuracy": c.people_ok / c.tasks if c.tasks else 1.0,
            **{f"{k} correct": sum(v) / len(v) for k, v in ident[which].items()},
            "misses": c.misses if which == "dev" else len(c.misses),
        }
    order = {"dev": 0, "heldout": 1}
    result["splits"] = dict(sorted(result["splits"].items(), key=lambda kv: (order.get(kv[0], 2), kv[0])))
    for (which, family), c in sorted(per_form.items()):
        p, r, f = c.prf()
        result["forms"].setdefault(family, {})[which] = {"tasks": c.tasks, "P": p, "R": r, "F1": f}
    return result


def print_report(result: dict, show_misses: bool) -> None:
    keys = [k for k in next(iter(result["splits"].values())) if k not in ("misses",)]
    splits = list(result["splits"])
    print("| measure | " + " | ".join(splits) + " |")
    print("|---|" + "---|" * len(splits))
    for key in keys:
        cells = []
        for s in splits:
            v = result["splits"][s].get(key, "")
            cells.append(f"{v:.3f}" if isinstance(v, float) else str(v))
        print(f"| {key} | " + " | ".join(cells) + " |")
    form_splits = [s for s in splits if " " not in s]
    print("\n| form | " + " | ".join(f"{s} tasks | {s} P / R / F1" for s in form_splits) + " |")
    print("|---|" + "---|---|" * len(form_splits))
    for family, by_split in result["forms"].items():
        cells = []
        for s in form_splits:
            v = by_split.get(s)
            cells += [str(v["tasks"]), f"{v['P']:.2f} / {v['R']:.2f} / {v['F1']:.2f}"] if v else ["0", "-"]
        print(f"| {family} | " + " | ".join(cells) + " |")
    if show_misses and "dev" in result["splits"]:
        print("\nDev misses:")
        for line in result["splits"]["dev"]["misses"]:
            print("  " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval parse", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout"), help="one split only (default: both)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--misses", action="store_true", help="list the dev split's misses")
    args = parser.parse_args(argv)
    result = evaluate(args.split)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print_report(result, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
