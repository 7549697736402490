"""Scanned-notice test data made on the spot: real notice text rendered onto A4 page images.

`render_pages` lays a notice's text out like a printed notice (CJK font, 2-character paragraph
indent, wrapped at the text width) at 150 dpi and returns the page images with the exact text
on each page; `scanned_pdf` wraps them into a PDF with no text layer, as a scanner would.
`char_accuracy` scores OCR output against that text.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
)
DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 150, 160, 160
FONT_PX = 30  # about 14.5 pt at 150 dpi (notices print body text at 16 pt)
LINE_PX = 54


@dataclass(frozen=True)
class ScannedPage:
    image: object  # PIL.Image.Image
    text: str  # the characters printed on the page, paragraphs joined by "\n"


def font_path() -> Path:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    found = sorted(Path("/usr/share/fonts").rglob("wqy-zenhei.tt*"))
    if found:
        return found[0]
    raise FileNotFoundError("no CJK font: apt-get install fonts-wqy-zenhei (make chromium does it)")


def render_pages(text: str, max_pages: int | None = None) -> list[ScannedPage]:
    """Lay out `text` (one paragraph per line) on A4 pages; blank lines are skipped."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(font_path()), FONT_PX)
    width = PAGE[0] - 2 * MARGIN_X
    lines: list[tuple[str, int]] = []  # (printed line, index of its paragraph)
    paragraphs = [p.strip() for p in text.replace("\t", "  ").split("\n") if p.strip()]
    for n, para in enumerate(paragraphs):
        current = "\u3000\u3000"
        for ch in para:
            if font.getlength(current + ch) > width:
                lines.append((current, n))
                current = ""
            current += ch
        lines.append((current, n))
    per_page = (PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM) // LINE_PX
    pages: list[ScannedPage] = []
    for start in range(0, len(lines), per_page):
        chunk = lines[start : start + per_page]
        image = Image.new("L", PAGE, 255)
        draw = ImageDraw.Draw(image)
        for row, (line, _) in enumerate(chunk):
            draw.text((MARGIN_X, MARGIN_TOP + row * LINE_PX), line, font=font, fill=0)
        printed: list[str] = []
        last = None
        for line, n in chunk:
            if n == last:
                printed[-1] += line
            else:
                printed.append(line.strip("\u3000"))
            last = n
        pages.append(ScannedPage(image=image, text="\n".join(printed)))
        if max_pages and len(pages) >= max_pages:
            break
    return pages


def scanned_pdf(pages: list[ScannedPage]) -> bytes:
    """A PDF of page images only (no text layer), like a scanner's output."""
    images = [p.image.convert("RGB") for p in pages]
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return buf.getvalue()


def _norm(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def char_accuracy(ocr: str, truth: str) -> float:
    """1 - edit distance / length of the truth, whitespace ignored, full/half-width forms unified (NFKC)."""
    a, b = _norm(ocr), _norm(truth)
    if not b:
        return 1.0 if not a else 0.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return max(0.0, 1.0 - previous[-1] / len(b))
