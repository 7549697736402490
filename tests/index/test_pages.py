"""Which PDF page a clause starts on."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.pages import clause_pages, document_records
from index.parse import parse_document


def test_each_clause_gets_the_page_its_opening_is_printed_on():
    pages = ["一、总体要求\n1.加强组织领导，明确\n责任分工。", "2.强化督查考核。\n3.营造良好氛围，广泛宣传。"]

    found = clause_pages(
        ["1.加强组织领导，明确责任分工。", "2.强化督查考核。", "3.营造良好氛围，广泛宣传。"], pages
    )

    assert found == [1, 2, 2]


def test_a_clause_that_cannot_be_found_takes_the_page_of_the_one_before():
    assert clause_pages(["甲乙丙丁戊己庚辛", "完全不在页面上的条款"], ["甲乙丙丁戊己庚辛", "其他"]) == [1, 1]


@pytest.mark.slow
def test_records_of_a_scanned_pdf_carry_page_and_ocr(scanned_notice: Path):
    records = document_records(parse_document(scanned_notice), scanned_notice)

    pages = {r["metadata"]["page"] for r in records}
    assert pages == {1, 2}
    assert all(r["metadata"].get("ocr") for r in records)
    gdp = next(r for r in records if "地区生产总值" in r["metadata"]["text"])
    assert gdp["metadata"]["page"] == 1


def test_text_notices_have_no_page(tmp_path: Path):
    path = tmp_path / "n.txt"
    path.write_text(
        "关于加强管理的通知\n一、工作任务\n1.加强组织领导，明确责任分工。（责任单位：办公室）\n",
        encoding="utf-8",
    )

    records = document_records(parse_document(path), path)

    assert records and all("page" not in r["metadata"] and "ocr" not in r["metadata"] for r in records)
