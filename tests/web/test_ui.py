"""The Gradio handlers on the real index: filters reach chat and lookup; the matrix agrees with lookup."""

from __future__ import annotations

import csv
import re

import pytest

from web import ui

pytestmark = pytest.mark.slow

JILIN = "jilin-2024-transport-eco-workplan"


@pytest.fixture(scope="module")
def state(assistant):
    return ui.UIState(assistant)


def test_chat_streams_and_the_notice_filter_limits_citations(state):
    steps = list(ui._chat(state)("公路沿线充电设施建设由谁负责？", [], [], JILIN, "", ""))
    textbox, chat, turns, panel = steps[-1]
    assert textbox == "" and chat[-2]["role"] == "user" and chat[-1]["role"] == "assistant"
    assert turns[-1]["question"] == "公路沿线充电设施建设由谁负责？"
    docs = set(re.findall(r'data-doc="([^"]+)"', panel))
    assert docs == {JILIN}
    unfiltered = list(ui._chat(state)("公路沿线充电设施建设由谁负责？", [], [], "", "", ""))[-1][3]
    assert "yangcheng-2024-transport-eco-workplan" in set(re.findall(r'data-doc="([^"]+)"', unfiltered))


def test_lookup_table_and_csv_follow_the_filters(state):
    summary, table, path = ui._lookup(state)("综运股", "", "", "")
    assert "综运股" in summary and len(table) >= 3
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == len(table) + 1 and rows[0][0] == "文件"
    summary, table, path = ui._lookup(state)("综运股", JILIN, "", "")
    assert len(table) == 0 and path is None and "没有找到" in summary


def test_matrix_counts_match_the_unit_lookup(state, assistant):
    frame, col_docs = state.matrix()
    for _, row in frame.head(5).iterrows():
        tasks = assistant.tasks(row["单位"])
        assert row["合计"] == len(tasks)
        for col, doc_id in enumerate(col_docs):
            if doc_id:
                assert row.iloc[col] == sum(1 for t in tasks if t.doc_id == doc_id)


def test_lookup_table_and_csv_show_each_tasks_deadline(deadline_assistant):
    summary, table, path = ui._lookup(ui.UIState(deadline_assistant))("运管股", "", "", "")
    assert list(table["完成时限"]) == ["6月底前", "9月底前", "未写明"]
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][-1] == "完成时限" and [r[-1] for r in rows[1:]] == ["6月底前", "9月底前", "未写明"]
