"""Answers about a notice's own identity (its 文号 and issue date)."""

from __future__ import annotations

from tests.rag.test_ranking import hit


def test_a_notice_date_that_is_not_a_full_day_gives_no_identity_answer() -> None:
    from types import SimpleNamespace

    from rag.compose.fact import _identity_answer
    from rag.intent import parse_question

    q = parse_question("这份通知是哪天发的？", None, False)
    notice = hit("x", "各单位要抓好落实。")
    notice.metadata["date"] = "2021-01"  # a month only: nothing to answer the day from
    view = SimpleNamespace(metas=[notice.metadata | {"text": notice.text}], hit=lambda i: notice)
    assert _identity_answer(q, notice, view) is None  # type: ignore[arg-type]
    notice.metadata["date"] = "2021-01-25"
    answer = _identity_answer(q, notice, view)  # type: ignore[arg-type]
    assert answer is not None and "2021年1月25日" in answer.answer
