"""The same real notices in the formats they also arrive in: .docx and PDF tables with merged
cells, an HTML page with a rowspan table, GB18030 text and traditional script. The gold of the
source notice (written from its web copy) must hold for every format."""

from __future__ import annotations

import json

import pytest

from eval.parse_eval import DATA, score_notice
from index.parse import parse_document

FORMATS = DATA / "formats"
CASES = {
    "b16-tasklist.docx": "b16-county-food-safety-pipe-masked.json",
    "b16-tasklist.html": "b16-county-food-safety-pipe-masked.json",
    "b16-tasklist.pdf": "b16-county-food-safety-pipe-masked.json",
    "b10-labels-gb18030.txt": "b10-lingbi-weijian-lead-labels.json",
    "b07-brackets-traditional.txt": "b07-gangcheng-fangguanfu-brackets.json",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_units_lead_and_deadlines_survive_the_format(name: str) -> None:
    gold = json.loads((DATA / "gold" / CASES[name]).read_text(encoding="utf-8"))
    parsed = parse_document(FORMATS / name)
    counts, _ = score_notice(gold, parsed)
    p, r, f1 = counts.prf()
    assert counts.found == counts.tasks, counts.misses
    assert f1 >= 0.95, counts.misses
    assert counts.lead_ok == counts.lead_n, counts.misses
    assert counts.deadline_ok == counts.tasks, counts.misses


def test_a_table_notice_keeps_its_title_in_every_format() -> None:
    for name in ("b16-tasklist.docx", "b16-tasklist.html", "b16-tasklist.pdf"):
        assert parse_document(FORMATS / name).identity.title == "2025年**县食品安全重点工作任务清单", name


def test_traditional_clauses_are_quoted_as_written_and_units_read_in_simplified() -> None:
    parsed = parse_document(FORMATS / "b07-brackets-traditional.txt")
    with_units = [c for c in parsed.clauses if c.units]
    assert with_units
    assert any("責任單位" in c.text for c in with_units)  # the quote stays traditional
    assert all("单位" not in c.text for c in with_units)
    assert any(u.startswith("区") for c in with_units for u in c.units)  # 區 → 区 for matching
