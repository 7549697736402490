"""OCR of scanned pages: line geometry (fast) and real RapidOCR on rendered notice pages (slow)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from eval.scans import char_accuracy, render_pages, scanned_pdf
from index.ocr import Box, paragraphs, visual_lines
from index.parse import parse_document
from index.read import read_text
from tests.conftest import DATA

NOTICES = DATA / "real_notices"


def box(left, top, right, text, height=30):
    return Box(left, top, right, top + height, text)


def test_boxes_on_one_printed_line_are_read_left_to_right():
    lines = visual_lines([box(600, 102, 900, "责任单位"), box(100, 100, 500, "牵头单位：区发改局")])

    assert [line.text for line in lines] == ["牵头单位：区发改局\t责任单位"]


def test_lines_that_fill_the_width_are_joined_and_headings_start_new_paragraphs():
    lines = [
        box(100, 100, 1100, "　　为全面贯彻落实党的二十大精神，深入贯彻中央、省市工作会议精神和市委十三"),
        box(100, 150, 600, "届五次全会精神，制定分工方案如下。"),
        box(100, 200, 700, "一、经济社会发展的主要预期目标"),
        box(100, 250, 1100, "1.努力实现地区生产总值增长6.2%左右，全面完成全年目标任务，确保经济运行"),
        box(100, 300, 400, "平稳。"),
        box(100, 350, 500, "牵头单位：区发改局"),
    ]

    out = paragraphs(lines)

    assert out == [
        "　　为全面贯彻落实党的二十大精神，深入贯彻中央、省市工作会议精神和市委十三届五次全会精神，制定分工方案如下。",
        "一、经济社会发展的主要预期目标",
        "1.努力实现地区生产总值增长6.2%左右，全面完成全年目标任务，确保经济运行平稳。",
        "牵头单位：区发改局",
    ]


def test_char_accuracy_counts_edits_and_ignores_spaces_and_width():
    assert char_accuracy("牵头单位：区发改局", "牵头单位:区发改局") == 1.0
    assert char_accuracy("牵头单位区发政局", "牵头单位:区发改局") == pytest.approx(1 - 2 / 9)


# ---- real OCR on rendered pages of real notices --------------------------------------------

PAGES = (  # (notice, page index): three notices of different layout
    ("a01-anshan-lishan-work-division.txt", 0),
    ("b10-lingbi-weijian-lead-labels.txt", 0),
    ("a07-yuncheng-emergency-plan-division.txt", 1),
)


@pytest.mark.slow
@pytest.mark.parametrize("notice,index", PAGES)
def test_a_scanned_notice_page_is_read_nearly_exactly(notice, index, tmp_path):
    page = render_pages((NOTICES / notice).read_text(encoding="utf-8"), max_pages=index + 1)[index]
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(scanned_pdf([page]))
    assert not pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text().strip()  # no text layer

    text = read_text(pdf)

    assert char_accuracy(text, page.text) >= 0.97


@pytest.mark.slow
def test_a_scanned_pdf_is_parsed_into_clauses_with_units_and_pages(scanned_notice: Path):
    doc = parse_document(scanned_notice)

    assert doc.identity.title == "立山区政府2023年重点工作任务分解和责任分工方案"
    first = next(c for c in doc.clauses if "地区生产总值" in c.text)
    assert first.lead_units == ("区发改局",)
    assert "立山经济开发区" in first.units
    # a sentence wrapped over two printed lines comes back as one line
    assert any("深入贯彻中央、省市工作会议精神和市委十三届五次全会精神" in c.text for c in doc.clauses) or (
        "深入贯彻中央、省市工作会议精神和市委十三届五次全会精神" in doc.text
    )
