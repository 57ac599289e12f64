"""PDF reader: the text layer (pypdfium2) as headings, paragraphs, list items and tables.

Page furniture goes first: lines in the top and bottom margins that repeat at the same place on several
pages, Council document numbers ("11389/21 PR/ik 10"), "LIMITE EN" and page numbers. Each page is then
put in reading order (`pdflayout`), tables continued on the next page are joined (a repeated header row
dropped, a row broken by the page break glued back), and lines become blocks: headings from their size or
weight relative to the body text, list items from their markers, paragraphs from the vertical gaps.
Every line has `Origin(page, line on the page)`.
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.blocks import Document
from parsers.errors import DocumentError
from parsers.formats import pdfgrid, pdflayout
from parsers.formats import pdfparts as parts
from parsers.formats.pdfblocks import to_blocks
from parsers.formats.pdfpage import Page, PageTooLarge, read_page
from parsers.formats.pdfparts import Line, TextRegion
from parsers.text import is_furniture, squeeze

MAX_PAGES = 2000
MAX_TEXT = 3_000_000  # characters in all: some 900 dense pages; bounds the time a hostile file can take
_MARGIN = 0.12  # top and bottom eighth of the page: where headers and footers live
# "LIMITE EN", "JAI.1 LIMITE EN"
_MARKING = re.compile(r"^(?:[A-Z][A-Z0-9./ ]{0,30}\s)?LIMITE(?:\s+[A-Z]{2})?$")
# "12", "- 12 -", "Page 3 of 9", "3/9"; never four digits (a year)
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?(?:\s*[-–—])?$", re.I)
_DIGITS = re.compile(r"\d+")
OCR_HINT = "no text layer (scanned?); run OCR first, e.g. ocrmypdf"


def read_pdf(name: str, data: bytes) -> Document:
    """Read PDF bytes into the document model; bad files raise `DocumentError` with one line."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentError(name, "encrypted PDF (a password is needed to open it)") from None
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise DocumentError(name, "encrypted PDF (unsupported security handler)") from None
        raise DocumentError(name, "corrupt or truncated PDF (cannot be opened)") from None
    try:
        pages = _read_pages(name, document)
    finally:
        document.close()
    return _assemble(name, pages)


def _read_pages(name: str, document: pdfium.PdfDocument) -> list[Page]:
    count = len(document)
    if count == 0:
        raise DocumentError(name, "corrupt or truncated PDF (no pages)")
    if count > MAX_PAGES:
        raise DocumentError(name, f"PDF refused: {count} pages (limit {MAX_PAGES})")
    pages = []
    text = 0
    for index in range(count):
        try:
            page = read_page(document, index)
        except PageTooLarge as exc:
            raise DocumentError(name, f"PDF refused: {exc}") from None
        except pdfium.PdfiumError:
            raise DocumentError(name, f"corrupt PDF (page {index + 1} cannot be read)") from None
        text += sum(len(word.text) for word in page.words)
        if text > MAX_TEXT:
            raise DocumentError(name, f"PDF refused: more than {MAX_TEXT} characters of text")
        pages.append(page)
    return pages


def _assemble(name: str, pages: list[Page]) -> Document:
    words = [w for page in pages for w in page.words]
    if not words:
        if any(page.images for page in pages):
            raise DocumentError(name, OCR_HINT)
        raise DocumentError(name, "no text in the PDF")
    warnings = [f"page {page.number}: {OCR_HINT}" for page in pages if page.images and not page.words]
    size = _body_size(words)
    _drop_furniture(pages)
    per_page: list[list[parts.Item]] = []
    for page in pages:
        items = pdflayout.order_page(page.words, page.edges, size)
        _number(items, page.number)
        per_page.append(items)
    items = _join_pages(per_page, size)
    return Document(name, "pdf", to_blocks(items, size), warnings)


def _body_size(words: list[parts.Word]) -> float:
    """The line height of most of the text (weighted by characters)."""
    weights: Counter[float] = Counter()
    for word in words:
        weights[round(word.size * 2) / 2] += len(word.text)
    return weights.most_common(1)[0][0] or 10.0


# -- furniture ------------------------------------------------------------------------------------


def _drop_furniture(pages: list[Page]) -> None:
    """Remove what the margins repeat: pieces of margin lines found at the same place on most pages,
    document numbers, classification marks ("LIMITE EN"), and page numbers standing alone or beside
    other furniture. Words inside ruled tables are kept."""
    lines: list[list[tuple[list[parts.Word], str, str]]] = []
    seen: Counter[str] = Counter()
    for page in pages:
        top, bottom = page.height * _MARGIN, page.height * (1 - _MARGIN)
        grids = pdfgrid.grids(page.edges)
        band = [w for w in page.words if not top <= w.middle <= bottom and not any(g.holds(w) for g in grids)]
        keys = set()
        for line in parts.make_lines(band):
            pieces = []
            for words in _pieces(line):
                text = squeeze(" ".join(w.text for w in words))
                key = f"{round((words[0].top + words[0].bottom) / 8)}:{_DIGITS.sub('#', text.lower())}"
                pieces.append((words, text, key))
                keys.add(key)
            lines.append(pieces)
        seen.update(keys)
    repeated = len(pages) if len(pages) <= 3 else max(3, round(0.5 * len(pages)))
    drop: set[int] = set()
    for pieces in lines:
        furniture = [
            is_furniture(text) or bool(_MARKING.match(text)) or (len(pages) > 1 and seen[key] >= repeated)
            for _, text, key in pieces
        ]
        numbers = [bool(_PAGE_NUMBER.match(text)) for _, text, _ in pieces]
        alone = all(f or n for f, n in zip(furniture, numbers, strict=True))
        for (words, text, _), is_furniture_, is_number in zip(pieces, furniture, numbers, strict=True):
            if (is_furniture_ and len(text) <= 80) or (is_number and alone):
                drop.update(id(w) for w in words)
    for page in pages:
        page.words = [w for w in page.words if id(w) not in drop]


def _pieces(line: Line) -> list[list[parts.Word]]:
    """A margin line cut where its words are far apart ("11389/21 PR/ik 10" ... "LIMITE EN")."""
    pieces: list[list[parts.Word]] = [[line.words[0]]]
    for word in line.words[1:]:
        if word.x0 - pieces[-1][-1].x1 > 2 * word.size:
            pieces.append([word])
        else:
            pieces[-1].append(word)
    return pieces


# -- line numbers and page joins -------------------------------------------------------------------


def _item_lines(item: parts.Item) -> list[Line]:
    if isinstance(item, TextRegion):
        return item.lines
    return [line for row in item.rows for cell in row for line in cell.lines]


def _number(items: list[parts.Item], page: int) -> None:
    number = 0
    for item in items:
        if isinstance(item, parts.Table):
            item.page = page
        for line in _item_lines(item):
            number += 1
            line.page, line.number = page, number


def _join_pages(per_page: list[list[parts.Item]], size: float) -> list[parts.Item]:
    """All items in order; a table that goes on at the top of the next page is joined to its start
    (its repeated header row, a cell running on, then its next rows), footnotes under it on its page
    notwithstanding."""
    out: list[parts.Item] = []
    for items in per_page:
        table = _open_table(out, size)
        start = 0
        while table is not None and start < len(items):
            item = items[start]
            if isinstance(item, TextRegion):
                joined = pdflayout.continue_table(table, item, next_page=True)
            else:
                joined = _continue_table(table, item)
            if not joined:
                break
            start += 1
        out.extend(items[start:])
    return out


def _open_table(items: list[parts.Item], size: float) -> parts.Table | None:
    """The table that ends the page so far, with only footnotes (small print) after it, if any."""
    for item in reversed(items):
        if isinstance(item, parts.Table):
            return item
        if not item.lines or any(line.size >= 0.92 * size for line in item.lines):
            return None
    return None


def _row_text(row: list[parts.Cell]) -> list[str]:
    return [squeeze(" ".join(line.text for line in cell.lines)) for cell in row]


def _continue_table(table: parts.Table, following: parts.Table) -> bool:
    """Append `following`, a table at the top of the next page with the same columns, to `table`: its
    repeated header row dropped, a first row that finishes a row broken by the page break glued back.
    True when it was appended."""
    ruled = table.ruled and following.ruled
    if not table.rows or not following.rows or (ruled and len(following.starts) != len(table.starts)):
        return False
    if not parts.unify(table, following, 4.0 if ruled else 8.0):
        return False
    rows = following.rows
    if len(table.rows) > 1 and _row_text(rows[0]) == _row_text(table.rows[0]):
        rows = rows[1:]  # the header row repeated on the new page
    if rows and (table.open_bottom or following.open_top or _continues(rows[0])):
        parts.merge_row(table.rows[-1], rows[0])
        rows = rows[1:]
    table.open_bottom = following.open_bottom  # the joined table now ends where `following` does
    table.rows.extend(rows)
    parts.settle(table)
    return True


def _continues(row: list[parts.Cell]) -> bool:
    """A first row on a new page that finishes the last row of the previous page: its first cell is
    empty, or no cell starts with a capital and one goes on in lower case ("2019" | "nued the talks")."""
    texts = _row_text(row)
    if not texts or not row or row[0].column != 0 or not texts[0]:
        return True
    filled = [t for t in texts if t]
    return not any(t[:1].isupper() for t in filled) and any(t[:1].islower() for t in filled)
