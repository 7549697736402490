"""Offline OCR of PDF pages that have no text layer (scanned notices).

Entry point: :func:`ocr_page`. It takes the page's embedded image(s) and reads them with
RapidOCR (`rapidocr-onnxruntime`, whose Chinese PP-OCR models ship inside the PyPI wheel: no
download at run time). The boxes RapidOCR returns are put back into visual lines, and visual
lines that run to the right margin are joined with the next line (a paragraph wrapped by the
printer), so the parser sees one paragraph per line, as in a text notice. The cleaning stage
(`index.clean`) still runs afterwards and repairs what the geometry missed.

Results are cached by the page image's sha256 (memory, and on disk under RAG_OCR_CACHE,
default `.ocr-cache/` in the repository) so rebuilding the index does not OCR a page again.
Progress: set :data:`PROGRESS` (a context variable) to a callable `(done, total)`; it is
called after each page of the current PDF.
"""

from __future__ import annotations

import contextvars
import hashlib
import io
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# A line that ends within this share of the widest line's right edge was wrapped by the page, not
# ended by the writer. Calibrated on the rendered A4 test pages (tests/index/test_ocr.py): wrapped
# lines end at 0.97-1.00 of the text width, paragraph ends at most at 0.93 unless they fill the line.
WRAP_RIGHT = 0.95
MIN_SCORE = 0.5  # RapidOCR boxes below this recognition score are noise (stamps, specks)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}\s*[、.．]|第[一二三四五六七八九十百\d]+[条章节]|附件)"
)

PROGRESS: contextvars.ContextVar[Callable[[int, int], None] | None] = contextvars.ContextVar(
    "ocr_progress", default=None
)
_ENGINE = None
_ENGINE_LOCK = threading.Lock()
_MEMO: dict[str, str] = {}


class OCRUnavailable(RuntimeError):
    """rapidocr-onnxruntime is not installed (pip install rapidocr-onnxruntime)."""


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float
    text: str

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _engine():
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:  # pragma: no cover - it is a dependency
                raise OCRUnavailable(
                    "OCR needs rapidocr-onnxruntime: pip install rapidocr-onnxruntime"
                ) from exc
            threads = os.environ.get("RAG_OCR_THREADS", "").strip()
            kwargs = {"intra_op_num_threads": int(threads), "inter_op_num_threads": 1} if threads else {}
            _ENGINE = RapidOCR(**kwargs)
        return _ENGINE


def _cache_dir() -> Path:
    return Path(os.environ.get("RAG_OCR_CACHE") or REPO_ROOT / ".ocr-cache")


def ocr_image(data: bytes) -> str:
    """The text of one page image (PNG/JPEG/... bytes), one paragraph per line; cached by content."""
    key = hashlib.sha256(data).hexdigest()
    if key in _MEMO:
        return _MEMO[key]
    cached = _cache_dir() / f"{key}.json"
    try:
        text = json.loads(cached.read_text(encoding="utf-8"))["text"]
    except (OSError, ValueError, KeyError):
        text = _read_image(data)
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"text": text}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, cached)
        except OSError:
            pass  # a read-only cache only costs time
    _MEMO[key] = text
    return text


def _read_image(data: bytes) -> str:
    import numpy as np
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    result, _ = _engine()(np.asarray(image))
    boxes = []
    for points, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), str(text).strip()))
    return "\n".join(paragraphs(visual_lines(boxes)))


def visual_lines(boxes: list[Box]) -> list[Box]:
    """Merge boxes that sit on the same printed line (overlapping vertically), left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.middle, b.left)):
        if lines:
            last = lines[-1]
            ref = sum(b.middle for b in last) / len(last)
            if abs(box.middle - ref) < 0.5 * max(box.height, last[0].height):
                last.append(box)
                continue
        lines.append([box])
    out = []
    for parts in lines:
        parts.sort(key=lambda b: b.left)
        out.append(
            Box(
                min(b.left for b in parts),
                min(b.top for b in parts),
                max(b.right for b in parts),
                max(b.bottom for b in parts),
                _join_cells(parts),
            )
        )
    return out


def _join_cells(parts: list[Box]) -> str:
    """Boxes of one line: side by side words are joined; a wide gap (a table) becomes a tab."""
    text = parts[0].text
    for prev, box in zip(parts, parts[1:]):
        gap = box.left - prev.right
        text += ("\t" if gap > 2.5 * box.height else "") + box.text
    return text


def paragraphs(lines: list[Box]) -> list[str]:
    """Join printed lines into paragraphs: a line that fills the text width continues on the next."""
    if not lines:
        return []
    left = min(b.left for b in lines)
    right = max(b.right for b in lines)
    width = max(right - left, 1.0)
    out: list[str] = []
    joining = False
    for line in lines:
        text = line.text
        if joining and out and "\t" not in text and not _HEADING.match(text):
            out[-1] += text
        else:
            out.append(text)
        joining = (
            "\t" not in text
            and (line.right - left) / width >= WRAP_RIGHT
            and not text.endswith(("。", "：", ":"))
        )
    return out


def page_images(page) -> list[bytes]:
    """The images embedded in a pypdf page as PNG bytes, in page order; icons and stamps smaller than
    a tenth of the largest image are left out."""
    images = []
    for image in getattr(page, "images", []) or []:
        try:
            pil = image.image
            images.append((pil.width * pil.height, pil))
        except Exception:  # noqa: BLE001 - an unreadable image is skipped, not fatal
            continue
    biggest = max((area for area, _ in images), default=0)
    out = []
    for area, pil in images:
        if area * 10 < biggest:
            continue
        buf = io.BytesIO()
        pil.convert("RGB").save(buf, format="PNG")
        out.append(buf.getvalue())
    return out


def ocr_page(page) -> str:
    """OCR one pypdf page from its embedded images ("" when it has none)."""
    return "\n".join(t for t in (ocr_image(data) for data in page_images(page)) if t)


def report_progress(done: int, total: int) -> None:
    callback = PROGRESS.get()
    if callback is not None:
        callback(done, total)
