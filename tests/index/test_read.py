"""Reading notices of every format and encoding; bad files fail with a plain-words UnreadableFile."""

from __future__ import annotations

import io
import random
import tempfile
from pathlib import Path

import docx
import pypdf
import pytest
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.read import MAX_FILE_BYTES, SUPPORTED, UnreadableFile, read_text

NOTICE = (
    "阳城县交通运输局文件\n"
    "\n"
    "阳交字〔2024〕138号\n"
    "\n"
    "局属各相关股室、各工程项目部：\n"
    "现将《2024年交通运输生态环境保护工作要点》印发给你们，请结合工作实际，认真抓好落实。\n"
    "一、总体目标\n"
    "（一）协同推进降碳、减污、扩绿、增长，深入打好污染防治攻坚战。\n"
    "1.严格执行公路规划建设和环评工作有关政策，落实环境影响评价、水土保持相关制度。（规划股、公路股）\n"
    "2.持续推进大宗货物和中长距离(运距500公里以上)货物运输“公转铁”。\n"
    "\n"
    "阳城县交通运输局\n"
    "2024年9月4日\n"
)
SHORT_NOTICES = [
    "关于做好2024年秋冬季大气污染防治工作的通知\n各乡镇人民政府：\n请于9月30日前报送工作台账。",
    "阳城县交通运输局关于印发工作要点的通知",
    "（三）强化交通运输扬尘管控。（综合行政执法队、农管股）",
]
HEADER = "序号\t工作任务\t工作内容\t责任单位\t进展情况\t备注"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def unreadable(path: Path) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_text(path)
    assert str(path) in str(caught.value)
    return caught.value.reason


# ---- encodings ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_a_notice_reads_back_exactly_in_each_common_encoding(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "notice.txt", NOTICE.encode(encoding))

    assert read_text(path) == NOTICE


def test_characters_only_gb18030_has_are_decoded(tmp_path: Path) -> None:
    text = "关于表彰吴𠮷、张䶮同志的通知\n请各单位认真学习先进事迹。\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")  # these names need GB18030's four-byte sequences

    assert read_text(write(tmp_path, "notice.txt", text.encode("gb18030"))) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_utf16_reads_with_or_without_bom_and_windows_newlines(
    tmp_path: Path, encoding: str, bom: bool
) -> None:
    data = NOTICE.replace("\n", "\r\n").encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data

    text = read_text(write(tmp_path, "notice.txt", data))

    assert text == NOTICE  # no BOM character, no "\r"


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    text = read_text(write(tmp_path, "notice.md", ("\ufeff" + NOTICE).encode("utf-8")))

    assert text.startswith("阳城县交通运输局文件")


@pytest.mark.parametrize("notice", SHORT_NOTICES)
@pytest.mark.parametrize("encoding", ["gbk", "utf-16-le"])
def test_short_notices_in_legacy_encodings_are_not_mojibake(
    tmp_path: Path, notice: str, encoding: str
) -> None:
    path = write(tmp_path, "notice.txt", notice.encode(encoding))

    assert read_text(path) == notice


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.integers(0, len(NOTICE) - 1),
    length=st.integers(10, len(NOTICE)),
    encoding=st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"]),
)
def test_any_excerpt_of_ten_or_more_characters_round_trips(
    tmp_path: Path, start: int, length: int, encoding: str
) -> None:
    excerpt = NOTICE[start : start + length]
    if not excerpt.strip():
        return
    path = write(tmp_path, "excerpt.txt", excerpt.encode(encoding))

    assert read_text(path) == excerpt


def test_gbk_file_cut_mid_character_still_reads_with_one_replacement_mark(tmp_path: Path) -> None:
    data = NOTICE.encode("gbk") + "通".encode("gbk")[:1]

    assert read_text(write(tmp_path, "notice.txt", data)) == NOTICE + "\ufffd"


def test_gbk_file_with_a_damaged_byte_keeps_the_rest_of_its_text(tmp_path: Path) -> None:
    data = bytearray((NOTICE * 3).encode("gbk"))
    data[200] = 0xFF  # never valid in GB18030

    text = read_text(write(tmp_path, "notice.txt", bytes(data)))

    assert 1 <= text.count("\ufffd") <= 2 and text.endswith(NOTICE * 2)  # only the damaged spot is lost


def test_traditional_chinese_big5_is_not_read_as_gbk(tmp_path: Path) -> None:
    text = "臺灣省政府公告：本年度交通運輸環境保護工作要點如下，請各單位確實執行。"

    assert read_text(write(tmp_path, "notice.txt", text.encode("big5"))) == text


# ---- files that are not notices -------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n\t\n", "\u3000\u3000\n\n".encode()], ids=["empty", "spaces", "ideographic"]
)
def test_empty_or_blank_file_is_reported_as_empty(tmp_path: Path, data: bytes) -> None:
    assert unreadable(write(tmp_path, "notice.txt", data)) == "is empty"


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61")


@pytest.mark.parametrize(
    "data",
    [PNG + random.Random(1).randbytes(500), random.Random(2).randbytes(4096), b"\x00" * 64],
    ids=["png", "random", "nuls"],
)
def test_binary_file_renamed_txt_is_rejected(tmp_path: Path, data: bytes) -> None:
    reason = unreadable(write(tmp_path, "scan.txt", data))

    assert "does not look like text" in reason and ".txt" in reason


def test_file_over_the_size_limit_is_rejected_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # sparse: 20 MB on paper, nothing to read

    assert unreadable(path) == "is 20.0 MB, over the 10 MB limit (set RAG_MAX_FILE_MB to raise it)"


def test_size_limit_follows_rag_max_file_mb_at_call_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "notice.txt", NOTICE.encode() * 40)  # 0.024 MB
    assert read_text(path).startswith("阳城县")

    monkeypatch.setenv("RAG_MAX_FILE_MB", "0.01")
    assert unreadable(path) == "is 0.024 MB, over the 0.01 MB limit (set RAG_MAX_FILE_MB to raise it)"

    monkeypatch.setenv("RAG_MAX_FILE_MB", "lots")
    with pytest.raises(ValueError, match="RAG_MAX_FILE_MB"):
        read_text(path)


def test_default_limit_is_ten_megabytes() -> None:
    assert MAX_FILE_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize("name", ["ledger.xls", "notice.doc", "README"])
def test_unsupported_file_type_names_the_type_and_what_is_supported(tmp_path: Path, name: str) -> None:
    reason = unreadable(write(tmp_path, name, NOTICE.encode()))

    assert "unsupported file type" in reason
    assert all(suffix in reason for suffix in SUPPORTED)


def test_upper_case_extension_is_supported(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, "NOTICE.TXT", NOTICE.encode("gbk"))) == NOTICE


def test_missing_file_and_directory_are_reported(tmp_path: Path) -> None:
    assert unreadable(tmp_path / "gone.txt") == "does not exist"
    (tmp_path / "folder.txt").mkdir()
    assert unreadable(tmp_path / "folder.txt") == "is a directory, not a file"


# ---- HTML ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>关于印发工作要点的通知_阳城县人民政府</title><style>body {{ color: red }}</style>
<script>alert(1)</script></head><body onload="alert(3)">
<div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/hdjl">互动交流</a></div>
<div class="content"><h1>阳城县交通运输局关于印发《2024年交通运输生态环境保护工作要点》的通知</h1>
<p>阳交字〔2024〕138号</p><p>局属各相关股室、各工程项目部：</p>
<p>现将《2024年交通运输生态环境保护工作要点》印发给你们，请结合工作实际，认真抓好落实。</p>
<p>一、总体目标<br>协同推进降碳、减污、扩绿、增长。</p><img src="x" onerror="alert(2)">
<table><tr><td>序号</td><td>工作任务</td><td>工作内容</td><td>责任单位</td></tr>
<tr><td>2</td><td rowspan="2">统筹推进生态环境保护交通运输工作</td><td>统筹交通运输碳达峰碳中和工作。</td><td>办公室</td></tr>
<tr><td>3</td><td>严格执行公路规划建设和环评工作有关政策。</td><td>规划股 公路股</td></tr></table>
{extra}</div>
<div class="footer">版权所有：阳城县人民政府 网站标识码1405220001 晋ICP备05003561号</div>
<script>document.write("注入的文字")</script></body></html>"""


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [("gb2312", "gbk"), ("utf-8", "utf-8"), ("utf-8", "gbk"), ("gb2312", "utf-8"), ("iso-8859-1", "gbk")],
    ids=["gbk", "utf8", "gbk-labelled-utf8", "utf8-labelled-gb2312", "gbk-labelled-latin1"],
)
def test_html_page_gives_the_notice_without_scripts_or_site_chrome(
    tmp_path: Path, declared: str, encoding: str
) -> None:
    path = write(tmp_path, "notice.html", PAGE.format(charset=declared, extra="").encode(encoding))

    lines = read_text(path).split("\n")

    assert lines == [
        "阳城县交通运输局关于印发《2024年交通运输生态环境保护工作要点》的通知",
        "阳交字〔2024〕138号",
        "局属各相关股室、各工程项目部：",
        "现将《2024年交通运输生态环境保护工作要点》印发给你们，请结合工作实际，认真抓好落实。",
        "一、总体目标",
        "协同推进降碳、减污、扩绿、增长。",
        "序号\t工作任务\t工作内容\t责任单位",
        "2\t统筹推进生态环境保护交通运输工作\t统筹交通运输碳达峰碳中和工作。\t办公室",
        "3\t\t严格执行公路规划建设和环评工作有关政策。\t规划股 公路股",
    ]


def test_html_page_in_its_declared_big5_is_decoded(tmp_path: Path) -> None:
    html = '<html><head><meta charset="big5"></head><body><p>臺灣省政府公告：請各單位確實執行。</p></body></html>'

    assert (
        read_text(write(tmp_path, "notice.html", html.encode("big5"))) == "臺灣省政府公告：請各單位確實執行。"
    )


def test_html_fragment_without_an_article_falls_back_to_all_visible_text(tmp_path: Path) -> None:
    html = "<p>请各单位于9月30日前报送。</p><script>alert(1)</script><style>p{}</style><p>联系人：王伟</p>"

    assert (
        read_text(write(tmp_path, "notice.htm", html.encode())) == "请各单位于9月30日前报送。\n联系人：王伟"
    )


def nested_page(depth: int) -> bytes:
    return (
        "<html><body>"
        + "<div>" * depth
        + "<p>深层正文</p>"
        + "</div>" * depth
        + "<p>结尾段落</p></body></html>"
    ).encode()


def test_deeply_nested_html_keeps_its_text(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, "nested.html", nested_page(1000))) == "深层正文\n结尾段落"


def test_absurdly_nested_html_is_refused_without_crashing(tmp_path: Path) -> None:
    # the HTML parser stops at depth 2048: nothing is left, so the page reads as empty
    assert unreadable(write(tmp_path, "nested.html", nested_page(100_000))) == "is empty"


def test_html_with_only_scripts_is_empty(tmp_path: Path) -> None:
    html = "<html><head><script>alert(1)</script></head><body><script>x()</script></body></html>"

    assert unreadable(write(tmp_path, "notice.html", html.encode())) == "is empty"


# ---- Word ---------------------------------------------------------------------------


def ledger_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("2024年交通运输生态环境保护工作要点")
    document.add_paragraph("")
    document.add_paragraph("一、重点任务")
    rows = [
        HEADER.split("\t"),
        ["2", "统筹推进生态环境保护交通运输工作", "统筹交通运输碳达峰碳中和工作。", "办公室", "", ""],
        ["3", "", "严格执行公路规划建设和环评工作有关政策。", "规划股 公路股", "", ""],
        ["合计", "共2项", "", "", "", ""],
    ]
    table = document.add_table(rows=len(rows), cols=len(HEADER.split("\t")))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(2, 1))  # 工作任务 spans rows 2 and 3
    continued = table.rows[2]._tr.tc_lst[1]  # some exporters repeat the text in the hidden cell
    Paragraph(continued.p_lst[0], table).add_run("统筹推进生态环境保护交通运输工作")
    table.cell(3, 1).merge(table.cell(3, 5))  # "共2项" spans five columns
    units = table.cell(2, 3)
    units.text = "规划股"
    units.add_paragraph("公路股")  # two units, two paragraphs in one cell
    document.add_paragraph("二、保障措施")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_keeps_tables_in_place_one_row_per_line_with_merged_cells_empty(tmp_path: Path) -> None:
    text = read_text(write(tmp_path, "workplan.docx", ledger_docx()))

    assert text.split("\n") == [
        "2024年交通运输生态环境保护工作要点",
        "",
        "一、重点任务",
        HEADER,
        "2\t统筹推进生态环境保护交通运输工作\t统筹交通运输碳达峰碳中和工作。\t办公室\t\t",
        "3\t\t严格执行公路规划建设和环评工作有关政策。\t规划股 公路股\t\t",
        "合计\t共2项\t\t\t\t",
        "二、保障措施",
    ]


@pytest.mark.parametrize(
    "data", [b"PK\x03\x04 not really a zip", NOTICE.encode()], ids=["broken-zip", "text"]
)
def test_damaged_docx_is_reported_as_damaged(tmp_path: Path, data: bytes) -> None:
    reason = unreadable(write(tmp_path, "workplan.docx", data))

    assert "damaged or not really a Word .docx file" in reason


# ---- PDF ----------------------------------------------------------------------------


def text_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF whose pages carry the given ASCII lines in Helvetica."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        shown = " T* ".join(f"({line}) Tj" for line in lines)
        stream = f"BT /F1 12 Tf 14 TL 72 720 Td {shown} ET"
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_text_layer_of_every_page_is_read_in_order(tmp_path: Path) -> None:
    pdf = text_pdf([["Notice No. 138", "1. Reduce dust on roads."], ["2. Report by 30 September."]])

    text = read_text(write(tmp_path, "notice.pdf", pdf))

    assert text.split("\n") == ["Notice No. 138", "1. Reduce dust on roads.", "2. Report by 30 September."]


def test_scanned_pdf_without_text_layer_says_so(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    reason = unreadable(write(tmp_path, "scan.pdf", buffer.getvalue()))

    assert reason.startswith("has no text layer (scanned?)")


def encrypted(pdf: bytes, user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_locked_only_against_editing_is_read(tmp_path: Path) -> None:
    pdf = encrypted(text_pdf([["Notice No. 138"]]), user_password="")

    assert read_text(write(tmp_path, "notice.pdf", pdf)) == "Notice No. 138"


def test_pdf_that_needs_a_password_to_open_says_so(tmp_path: Path) -> None:
    pdf = encrypted(text_pdf([["Notice No. 138"]]), user_password="open-sesame")

    assert unreadable(write(tmp_path, "notice.pdf", pdf)) == "is password-protected"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n" + random.Random(3).randbytes(2000), NOTICE.encode(), b"%PDF-1.7\n%%EOF\n"],
    ids=["garbage", "text-renamed", "header-only"],
)
def test_corrupt_pdf_is_reported_not_crashed(tmp_path: Path, data: bytes) -> None:
    reason = unreadable(write(tmp_path, "notice.pdf", data))

    assert "damaged" in reason


# ---- whatever the bytes, only UnreadableFile ---------------------------------------


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(sorted(SUPPORTED)))
def test_arbitrary_bytes_give_text_or_unreadable_file_never_a_library_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            text = read_text(path)
        except UnreadableFile:
            return
    assert text.strip() and "\r" not in text
