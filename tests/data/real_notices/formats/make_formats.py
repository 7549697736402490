"""Re-save three dev notices in the formats notices also arrive in (run once; outputs are committed).

    .venv/bin/python tests/data/real_notices/formats/make_formats.py

- b16 (a task table) as a .docx table with merged cells, an HTML page with a rowspan table and
  site chrome, and a PDF with a ruled table (reportlab, WenQuanYi Zen Hei);
- b10 (label lines) as GB18030 text;
- b07 (trailing 〔…〕 brackets) converted to traditional script (OpenCC s2t).

The gold of the source notice applies unchanged (FORMATS below maps each file to it).
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FORMATS = {
    "b16-tasklist.docx": "b16-county-food-safety-pipe-masked.json",
    "b16-tasklist.html": "b16-county-food-safety-pipe-masked.json",
    "b16-tasklist.pdf": "b16-county-food-safety-pipe-masked.json",
    "b10-labels-gb18030.txt": "b10-lingbi-weijian-lead-labels.json",
    "b07-brackets-traditional.txt": "b07-gangcheng-fangguanfu-brackets.json",
}
TITLE = "2025年**县食品安全重点工作任务清单"
HEADER = ["工作目标", "工作内容", "工作措施", "责任单位", "完成时限"]
DEADLINE = "2025年11月底前,并长期坚持"


def b16_rows() -> list[list[str | None]]:
    """The table of b16, with None where a cell is merged with the one above."""
    lines = (SOURCE / "b16-county-food-safety-pipe-masked.txt").read_text(encoding="utf-8").splitlines()
    cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines if line.startswith("|")]
    body = cells[1:6]
    goal, content = body[0][0], body[0][1]
    return [
        [goal, content, body[0][2], body[0][3], DEADLINE],
        [None, None, body[1][0], body[1][1], DEADLINE],
        [None, body[2][0], body[2][1], body[2][2], DEADLINE],
        [None, body[3][0], body[3][1], body[3][2], DEADLINE],
        [None, None, body[4][0], body[4][1], DEADLINE],
    ]


def spans(rows) -> dict[tuple[int, int], int]:
    """(row, column) of every written cell → how many rows it covers (itself and the merged ones below)."""
    out: dict[tuple[int, int], int] = {}
    for j in range(len(HEADER)):
        for i, row in enumerate(rows):
            if row[j] is not None:
                n = 1
                while i + n < len(rows) and rows[i + n][j] is None:
                    n += 1
                out[(i, j)] = n
    return out


def make_docx(rows) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
    for j, name in enumerate(HEADER):
        table.cell(0, j).text = name
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value is not None:
                table.cell(i, j).text = value
    for j in range(len(HEADER)):  # merge each None with the cell above
        top = None
        for i, row in enumerate(rows, start=1):
            if row[j] is None and top is not None:
                table.cell(top, j).merge(table.cell(i, j))
            elif row[j] is not None:
                top = i
    document.save(HERE / "b16-tasklist.docx")


def make_html(rows) -> None:
    span = spans(rows)
    body = []
    for i, row in enumerate(rows):
        tds = "".join(
            f'<td rowspan="{span[(i, j)]}">{html.escape(v)}</td>' if span[(i, j)] > 1 else f"<td>{html.escape(v)}</td>"
            for j, v in enumerate(row)
            if v is not None
        )
        body.append(f"<tr>{tds}</tr>")
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{TITLE}_**县人民政府</title></head>
<body><div class="nav">首页 &gt; 政务公开 &gt; 通知公告</div>
<h1>{TITLE}</h1><p class="meta">发布时间 :2025-07-16 浏览次数: 120</p>
<table border="1"><tr>{"".join(f"<th>{h}</th>" for h in HEADER)}</tr>{"".join(body)}</table>
<div class="footer">主办单位：**县人民政府办公室 网站标识码 1234567890 ICP备案号</div></body></html>"""
    (HERE / "b16-tasklist.html").write_text(page, encoding="utf-8")


def make_pdf(rows) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
    style = ParagraphStyle("cjk", fontName="WQY", fontSize=9, leading=12, wordWrap="CJK")
    data = [[Paragraph(h, style) for h in HEADER]]
    data += [[Paragraph(v, style) if v is not None else "" for v in row] for row in rows]
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for (i, j), n in spans(rows).items():
        if n > 1:
            commands.append(("SPAN", (j, i + 1), (j, i + n)))
    table = Table(data, colWidths=[110, 110, 330, 140, 90], style=TableStyle(commands))
    doc = SimpleDocTemplate(str(HERE / "b16-tasklist.pdf"), pagesize=landscape(A4))
    doc.build([Paragraph(TITLE, ParagraphStyle("t", fontName="WQY", fontSize=14, leading=20)), table])


def make_text_variants() -> None:
    import opencc

    b10 = (SOURCE / "b10-lingbi-weijian-lead-labels.txt").read_text(encoding="utf-8")
    (HERE / "b10-labels-gb18030.txt").write_bytes(b10.encode("gb18030"))
    b07 = (SOURCE / "b07-gangcheng-fangguanfu-brackets.txt").read_text(encoding="utf-8")
    (HERE / "b07-brackets-traditional.txt").write_text(opencc.OpenCC("s2t").convert(b07), encoding="utf-8")


if __name__ == "__main__":
    rows = b16_rows()
    make_docx(rows)
    make_html(rows)
    make_pdf(rows)
    make_text_variants()
    print("written:", ", ".join(FORMATS))
