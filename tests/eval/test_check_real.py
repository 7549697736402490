"""The real-notice question checker catches gold that disagrees with the hand-written task gold."""

from __future__ import annotations

import json

import pytest

from eval.check_questions import check_schema
from eval.check_real import NOTICES, check_real_question, load_notices, split_docs

DOC = "a02-huaiyuan-agri-key-work-status"


@pytest.fixture(scope="module")
def notices():
    return load_notices(split_docs("heldout"))


@pytest.fixture(scope="module")
def task():
    gold = json.loads((NOTICES / "gold" / f"{DOC}.json").read_text(encoding="utf-8"))
    return next(t for t in gold["tasks"] if len(t["units"]) >= 2)


def question(**over) -> dict:
    q = {"id": "t", "type": "who", "question": "谁负责？", "colloquial": False, "history": [],
         "gold_clauses": [], "gold_units": [], "gold_lead_units": [], "gold_facts": [],
         "answerable": True, "note": ""}
    q.update(over)
    return q


def test_who_question_matching_the_task_gold_passes(notices, task):
    q = question(gold_clauses=[{"doc": DOC, "contains": task["anchor"]}], gold_units=task["units"],
                 gold_lead_units=task["lead"])
    assert check_schema(q) == []
    assert check_real_question(q, notices) == []


def test_who_question_missing_a_unit_fails(notices, task):
    q = question(gold_clauses=[{"doc": DOC, "contains": task["anchor"]}], gold_units=task["units"][:1])
    assert any("gold_units" in e for e in check_real_question(q, notices))


def test_contains_must_be_unique_and_in_the_split(notices, task):
    q = question(gold_clauses=[{"doc": DOC, "contains": "农业农村局农业农村局不存在"}], gold_units=task["units"])
    assert any("occurs 0 times" in e for e in check_real_question(q, notices))
    dev_doc = split_docs("dev")[0]
    q = question(gold_clauses=[{"doc": dev_doc, "contains": task["anchor"]}], gold_units=task["units"])
    assert any("not a notice of this split" in e for e in check_real_question(q, notices))


def test_tasks_question_must_list_every_task_of_the_unit(notices):
    gold = json.loads((NOTICES / "gold" / f"{DOC}.json").read_text(encoding="utf-8"))
    unit = max({u for t in gold["tasks"] for u in t["units"]},
               key=lambda u: sum(u in t["units"] for t in gold["tasks"]))
    anchors = [t["anchor"] for t in gold["tasks"] if unit in t["units"]]
    assert len(anchors) >= 2
    full = question(type="tasks", unit=unit, gold_units=[unit],
                    gold_clauses=[{"doc": DOC, "contains": a} for a in anchors])
    assert check_real_question(full, notices) == []
    short = dict(full, gold_clauses=full["gold_clauses"][:-1])
    assert any("every task listing the unit" in e for e in check_real_question(short, notices))


def test_unanswerable_question_carries_no_gold(notices, task):
    q = question(type="unanswerable", answerable=False, subtype="near_miss",
                 gold_clauses=[{"doc": DOC, "contains": task["anchor"]}])
    assert check_real_question(q, notices)
