"""Long clauses are split to the token budget at sentence ends, losing nothing and keeping their units."""

from __future__ import annotations

from index.chunk import count_tokens, split_to_budget
from index.parse import parse_text

SENTENCE = "推动公路沿线充电基础设施建设并依托旅游公路驿站和普通国省干线公路道班停车区建设新能源充换电设施第{:02d}项。"
UNITS = "（责任单位：发展中心、农管股、太行一号项目部）"


def long_clause() -> str:
    body = "".join(SENTENCE.format(i) for i in range(60))
    return "5. 加快公路新能源充（换）电设施建设。" + body + UNITS


def test_the_long_clause_is_about_three_thousand_characters() -> None:
    assert 2900 <= len(long_clause()) <= 3200
    assert count_tokens(long_clause()) > 512


def test_spans_fit_the_budget_end_at_sentences_and_cover_the_text() -> None:
    text = long_clause()
    spans = split_to_budget(text, 512)
    assert len(spans) >= 3
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end == start  # contiguous: nothing dropped, nothing repeated
    for a, b in spans:
        assert count_tokens(text[a:b]) <= 512
    for _, b in spans[:-1]:
        assert text[b - 1] == "。"


def test_a_short_clause_is_one_span() -> None:
    assert split_to_budget("7. 深入开展交通运输行业噪声污染防治工作。", 512) == [(0, 22)]


def test_one_sentence_longer_than_the_budget_is_cut_without_losing_characters() -> None:
    text = "加" * 2000 + "。"
    spans = split_to_budget(text, 64)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(count_tokens(text[a:b]) <= 64 for a, b in spans)


def test_every_piece_of_a_split_clause_keeps_the_clauses_units() -> None:
    notice = (
        "二、重点任务\n（四）深入推进交通运输污染防治\n"
        + long_clause()
        + "\n6. 持续深化在用车节能减排。（责任单位：发展中心）"
    )
    doc = parse_text(notice, doc_id="long", source_file="long.txt", max_tokens=512)
    pieces = [c for c in doc.clauses if c.clause_no == "5."]
    assert len(pieces) >= 3
    assert "".join(p.text for p in pieces) == long_clause()
    for i, piece in enumerate(pieces):
        assert piece.units == ("发展中心", "农管股", "太行一号项目部")
        assert (piece.part, piece.parts) == (i, len(pieces))
        assert piece.section_path[-1] == "5. 加快公路新能源充（换）电设施建设"
        assert count_tokens(piece.text) <= 512
        assert doc.text[piece.start : piece.end].strip() == piece.text
    following = [c for c in doc.clauses if c.clause_no == "6."]
    assert len(following) == 1 and following[0].units == ("发展中心",)
