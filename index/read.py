"""Read a notice file of any supported format and encoding into plain text.

Entry point: :func:`read_text`. Every problem with the input file surfaces as
:class:`UnreadableFile`, whose message names the file and says why in plain words.
The text is returned as the notice has it (numbering, brackets, blank lines kept);
only newlines are normalised to ``\\n``. Tables (``.docx``, ``.html``) come out one
row per line, cells joined by ``\\t``, one cell per grid column: a merged cell's
text appears once, in its first column, and the columns or rows it spans are empty.
"""

from __future__ import annotations

import codecs
import configparser
import functools
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import charset_normalizer
import docx
import lxml.html
import pypdf
import trafilatura
import trafilatura.settings
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.types import ProvidesStoryPart
from lxml import etree

MAX_FILE_BYTES = 10 * 1024 * 1024
SUPPORTED = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"})

_MB = 1024 * 1024
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Characters real text never has many of: control codes, replacement char,
# surrogates, private use.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff]")
_HAN = re.compile("[\u4e00-\u9fff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "gb_2312-80", "euc-cn"}
_HTML_BLOCKS = frozenset(
    "address article aside blockquote caption center dd div dl dt figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table "
    "tbody thead tfoot title tr ul".split()
)
_INVISIBLE = ("script", "style", "noscript", "template", "head", "iframe", "object", "embed")
_XML_BLOCKS = frozenset({"p", "head", "item", "list", "quote", "code", "table", "row", "cell"})
_KIND = {".pdf": "a PDF", ".docx": "a Word .docx file", ".html": "HTML", ".htm": "HTML"}


class UnreadableFile(Exception):
    """A notice file that cannot be turned into text.

    Attributes:
        path: the file.
        reason: why, in plain words (the message is ``f"{path} {reason}"``).
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path} {reason}")


def read_text(path: Path) -> str:
    """Return the text of a notice file, whatever its format and encoding.

    Args:
        path: a ``.txt``, ``.md``, ``.html``, ``.htm``, ``.docx`` or ``.pdf`` file.

    Returns:
        The document's text with newlines normalised to ``\\n``.

    Raises:
        UnreadableFile: the file is missing, empty, too large (see ``RAG_MAX_FILE_MB``),
            of an unsupported type, binary, damaged, or has no text.
        ValueError: ``RAG_MAX_FILE_MB`` is set to something other than a positive number.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableFile(path, "does not exist") from None
    except OSError as error:
        raise UnreadableFile(path, f"cannot be read ({error.strerror})") from None
    if path.is_dir():
        raise UnreadableFile(path, "is a directory, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        shown = f"'{path.suffix}'" if path.suffix else "no extension"
        raise UnreadableFile(
            path,
            f"has an unsupported file type ({shown}); supported: {', '.join(sorted(SUPPORTED))}",
        )
    limit = _max_file_mb()
    if size > limit * _MB:
        raise UnreadableFile(
            path,
            f"is {_megabytes(size)} MB, over the {limit:g} MB limit (set RAG_MAX_FILE_MB to raise it)",
        )
    if size == 0:
        raise UnreadableFile(path, "is empty")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(path, f"cannot be read ({error.strerror})") from None
    try:
        text = _READERS[suffix](data, path)
    except UnreadableFile:
        raise
    except Exception as error:  # library errors on bad input: say so in plain words
        raise UnreadableFile(
            path,
            f"could not be read: it is damaged or not really {_KIND.get(suffix, 'text')} "
            f"({type(error).__name__}: {error})",
        ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableFile(path, "is empty")
    return text


def _max_file_mb() -> float:
    raw = os.environ.get("RAG_MAX_FILE_MB", "").strip()
    if not raw:
        return MAX_FILE_BYTES / _MB
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0:
        raise ValueError(f"RAG_MAX_FILE_MB must be a positive number of megabytes, got {raw!r}")
    return megabytes


def _megabytes(size: int) -> str:
    megabytes = size / _MB
    return f"{megabytes:.1f}" if megabytes >= 0.1 else f"{megabytes:.2g}"


# ---- plain text -------------------------------------------------------------------


def _read_plain(data: bytes, path: Path, declared: str | None = None) -> str:
    text = _decode(data, declared)
    if text is None:
        raise UnreadableFile(path, f"does not look like text (is it a binary file renamed to {path.suffix}?)")
    return text


def _decode(data: bytes, declared: str | None) -> str | None:
    """Decode bytes of unknown encoding; None when they are not text.

    Order: BOM, strict UTF-8, then whichever of GB18030, BOM-less UTF-16 and UTF-8
    reads most like Chinese, allowing under 1% bad bytes for truncated or slightly
    damaged files (charset-normalizer guesses short Chinese wrong), then the charset an
    HTML page declares, then charset-normalizer.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decode_as(data[len(bom) :], encoding, "strict")
            return text if text is not None and _looks_like_text(text) else None
    text = _decode_as(data, "utf-8", "strict")
    if text is not None and _looks_like_text(text):
        return text
    text = _most_chinese(data, ("gb18030", "utf-16-le", "utf-16-be", "utf-8"))
    if text is None and declared:  # after the Chinese guess: old pages say iso-8859-1 over GBK
        text = _decode_as(data, declared, "strict")
    if text is not None and _looks_like_text(text):
        return text
    best = charset_normalizer.from_bytes(data).best()
    text = str(best) if best is not None else ""
    return text if text and _looks_like_text(text) else None


def _decode_as(data: bytes, encoding: str, errors: str) -> str | None:
    try:
        return data.decode(encoding, errors)
    except (UnicodeDecodeError, LookupError):
        return None


def _most_chinese(data: bytes, encodings: tuple[str, ...]) -> str | None:
    """The decoding that reads most like Chinese text, if one does (score >= 0.8).

    Bad bytes become U+FFFD, which lowers the score and counts against
    :func:`_looks_like_text`, so a clean decoding wins and a few bad bytes are tolerated.
    """
    decoded = (_decode_as(data, encoding, "replace") for encoding in encodings)
    scored = [(_chinese_score(text), text) for text in decoded if text is not None]
    score, text = max(scored, key=lambda pair: pair[0], default=(0.0, ""))
    return text if score >= 0.8 and _looks_like_text(text) else None


def _looks_like_text(text: str) -> bool:
    if "\x00" in text:
        return False
    return len(_NOT_TEXT.findall(text)) <= len(text) // 100


def _chinese_score(text: str) -> float:
    """Share of characters typical of Chinese text: common hanzi, ASCII, CJK punctuation.

    Real Chinese is >99% GB2312 level-1 hanzi; Big5, Shift-JIS or UTF-16 bytes decoded
    as GB18030, or GBK bytes decoded as UTF-16, are not. 0.0 when there is no hanzi.
    """
    sample = text[:20000]
    if not sample or not _HAN.search(sample):
        return 0.0
    typical = sum(1 for char in sample if _typical_of_chinese(char))
    return typical / len(sample)


def _typical_of_chinese(char: str) -> bool:
    if "\t" <= char <= "~" or "\u2000" <= char <= "\u206f" or "\u3000" <= char <= "\u303f":
        return True
    if "\uff00" <= char <= "\uffef":
        return True
    if "\u4e00" <= char <= "\u9fff":
        code = char.encode("gb18030")
        return 0xB0 <= code[0] <= 0xD7 and code[1] >= 0xA1  # GB2312 level 1
    return False


# ---- HTML -------------------------------------------------------------------------


def _read_html(data: bytes, path: Path) -> str:
    match = _META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii").lower() if match else None
    if declared in _GB_FAMILY:
        declared = "gb18030"  # pages say gb2312 but use GBK characters
    html = _read_plain(data, path, declared)
    lines = _main_text_lines(html) or _all_text_lines(html)
    title = _page_title(html)
    if title and not any(title in line for line in lines[:5]):
        lines = [title, *lines]  # the main-text extractor can drop the page's own heading
    return "\n".join(lines)


def _page_title(html: str) -> str | None:
    """The page's heading: its first <h1>, else <title> without the site name after a separator."""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for xpath in ("//h1", "//title"):
        for element in root.xpath(xpath):
            text = _one_line(element.text_content())
            text = re.split(r"\s*[_|｜—-]{1,2}\s*(?=[^_|｜—-]*$)", text)[0] if xpath == "//title" else text
            if 4 <= len(text) <= 80:
                return text
    return None


@functools.cache
def _trafilatura_config() -> configparser.ConfigParser:
    """trafilatura's defaults, but trusting shorter articles: its 250-character floor
    (below which it swaps in a whole-page dump) suits English, not dense Chinese."""
    config = trafilatura.settings.use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
    return config


def _main_text_lines(html: str) -> list[str]:
    """The article's lines as trafilatura finds them; [] when it finds nothing."""
    try:
        xml = trafilatura.extract(
            html,
            output_format="xml",
            favor_recall=True,
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
            config=_trafilatura_config(),
        )
        main = etree.fromstring(xml.encode("utf-8")).find("main") if xml else None
    except Exception:  # trafilatura failing on odd markup: fall back to plain lxml
        return []
    if main is None:
        return []
    lines: list[str] = []
    for block in main:
        if block.tag == "table":
            for row in block.findall("row"):
                lines.append("\t".join(_one_line(_xml_text(c, " ")) for c in row.findall("cell")))
            continue
        for line in _xml_text(block, "\n").split("\n"):
            line = re.sub(r"[ \t]+", " ", line).strip()
            if line:
                lines.append(line)
    return lines


def _xml_text(element: etree._Element, newline: str) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append(newline)
        elif child.tag in _XML_BLOCKS:
            parts.extend((newline, _xml_text(child, newline), newline))
        else:
            parts.append(_xml_text(child, newline))
        parts.append(child.tail or "")
    return "".join(parts)


def _all_text_lines(html: str) -> list[str]:
    """Every visible line of the page (scripts, styles and <head> dropped)."""
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):  # "Document is empty"
        return []
    etree.strip_elements(root, *_INVISIBLE, with_tail=False)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        text, tail = _spaced(element.text), _spaced(element.tail)
        if element.tag == "br":
            tail = "\n" + tail
        elif element.tag in ("td", "th") and element.getnext() is not None:
            tail = "\t" + tail
        elif element.tag in _HTML_BLOCKS:
            text, tail = "\n" + text, "\n" + tail
        element.text, element.tail = text, tail
    lines = (
        "\t".join(cell.strip() for cell in line.split("\t")) for line in str(root.text_content()).split("\n")
    )
    return [line for line in lines if line.strip()]


def _spaced(text: str | None) -> str:
    return re.sub(r"\s+", " ", text) if text else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---- Word -------------------------------------------------------------------------


def _read_docx(data: bytes, path: Path) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(_body_lines(document.element.body, document))


def _body_lines(container: etree._Element, parent: ProvidesStoryPart) -> Iterator[str]:
    """Paragraphs and table rows in the order they appear in the document body."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(child, parent)
        elif child.tag == qn("w:sdt"):  # content control wrapping body content
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_lines(content, parent)


def _table_lines(table: etree._Element, parent: ProvidesStoryPart) -> Iterator[str]:
    for row in table.iterchildren(qn("w:tr")):
        cells = [""] * row.grid_before
        for cell in row.tc_lst:
            continued = cell.vMerge == "continue"  # vertical merge: row above has the text
            cells.append("" if continued else _docx_cell_text(cell, parent))
            cells.extend([""] * (cell.grid_span - 1))  # horizontal merge: text once
        cells.extend([""] * row.grid_after)
        yield "\t".join(cells)


def _docx_cell_text(cell: etree._Element, parent: ProvidesStoryPart) -> str:
    texts = (_one_line(Paragraph(p, parent).text) for p in cell.iter(qn("w:p")))
    return " ".join(text for text in texts if text)


# ---- PDF --------------------------------------------------------------------------


def _read_pdf(data: bytes, path: Path) -> str:
    text = "\n".join(read_pdf_pages(data, path)[0])
    if not text.strip():
        raise UnreadableFile(path, "has no text layer (scanned?) and OCR found no text on its pages: is it blank?")
    return text


# A page with fewer characters than this in its text layer is treated as scanned and OCRed.
MIN_TEXT_LAYER_CHARS = 10


def read_pdf_pages(data: bytes, path: Path) -> tuple[list[str], list[int]]:
    """The text of each page of a PDF, and the 1-based numbers of the pages that were OCRed.

    Pages without a text layer (scans) are read with offline OCR (`index.ocr`); its progress
    callback (`index.ocr.PROGRESS`) hears about each page.
    """
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(path, "is password-protected")
        pages = _pdf_pages_with_tables(data) or [page.extract_text() or "" for page in reader.pages]
    except pypdf.errors.FileNotDecryptedError:
        raise UnreadableFile(path, "is password-protected") from None
    except pypdf.errors.DependencyError as error:
        raise UnreadableFile(path, f"is encrypted and cannot be opened here ({error})") from None
    if not pages:
        raise UnreadableFile(path, "has no pages (it may be damaged)")
    from index import ocr

    scanned = [i for i, text in enumerate(pages) if len(text.strip()) < MIN_TEXT_LAYER_CHARS]
    ocred: list[int] = []
    if scanned:
        ocr.report_progress(0, len(scanned))
    for done, i in enumerate(scanned, 1):
        text = ocr.ocr_page(reader.pages[i])
        if text.strip():
            pages[i] = text
            ocred.append(i + 1)
        ocr.report_progress(done, len(scanned))
    return pages, ocred


_WRAP = re.compile(r"(?<=[\u4e00-\u9fff，,、。；：（）()“”《》*])\n(?=[\u4e00-\u9fff，,、。；：（）()“”《》*])")


def _join_wrapped(cell: str) -> str:
    """A cell's lines wrapped by the table's width are one text: no space between Chinese characters."""
    return _WRAP.sub("", cell)


def _pdf_pages_with_tables(data: bytes) -> list[str] | None:
    """Page texts with ruled tables as rows of tab-separated cells (pdfplumber); None when no page
    has a table, so plain pages keep pypdf's text. A merged cell is empty in the rows it spans."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages: list[str] = []
            found = False
            for page in pdf.pages:
                tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
                if not tables:
                    pages.append(page.extract_text() or "")
                    continue
                found = True
                parts, top = [], 0.0
                for table in tables:
                    x0, t_top, x1, t_bottom = table.bbox
                    if t_top > top:
                        parts.append(page.crop((0, top, page.width, t_top)).extract_text() or "")
                    for row in table.extract():
                        parts.append("\t".join(_one_line(_join_wrapped(cell or "")) for cell in row))
                    top = t_bottom
                if top < page.height:
                    parts.append(page.crop((0, top, page.width, page.height)).extract_text() or "")
                pages.append("\n".join(p for p in parts if p))
            return pages if found else None
    except Exception:  # noqa: BLE001 - a PDF pdfplumber cannot lay out is still read by pypdf
        return None


_READERS: dict[str, Callable[[bytes, Path], str]] = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
}
