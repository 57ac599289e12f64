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
import statistics
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.blocks import Block, Cell, Document, Heading, ListItem, Origin, Paragraph, Row, Table, TextLine
from parsers.errors import DocumentError
from parsers.formats import pdflayout
from parsers.formats.pdflayout import Line, TextRegion, is_marker
from parsers.formats.pdfpage import Page, PageTooLarge, read_page
from parsers.text import is_furniture, join_lines, squeeze

MAX_PAGES = 2000
_MARGIN = 0.1  # top and bottom tenth of the page: where headers and footers live
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?(?:\s*[-–—])?$", re.I)
_SYMBOL_MARKER = re.compile(r"^[•·▪▫◦‣○●■□➢►▶✓–—\-*o]$")
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
    for index in range(count):
        try:
            pages.append(read_page(document, index))
        except PageTooLarge as exc:
            raise DocumentError(name, f"PDF refused: {exc}") from None
        except pdfium.PdfiumError:
            raise DocumentError(name, f"corrupt PDF (page {index + 1} cannot be read)") from None
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
    per_page: list[list[pdflayout.Item]] = []
    for page in pages:
        items = pdflayout.order_page(page.words, page.edges, size)
        _number(items, page.number)
        per_page.append(items)
    items = _join_pages(per_page)
    return Document(name, "pdf", _blocks(items, size), warnings)


def _body_size(words: list[pdflayout.Word]) -> float:
    """The line height of most of the text (weighted by characters)."""
    weights: Counter[float] = Counter()
    for word in words:
        weights[round(word.size * 2) / 2] += len(word.text)
    return weights.most_common(1)[0][0] or 10.0


# -- furniture ------------------------------------------------------------------------------------


def _drop_furniture(pages: list[Page]) -> None:
    """Remove margin lines repeated at the same place on several pages, document numbers, page numbers."""
    margin_lines: list[tuple[Page, Line, str]] = []
    seen: Counter[str] = Counter()
    for page in pages:
        top, bottom = page.height * _MARGIN, page.height * (1 - _MARGIN)
        grids = pdflayout.grids(page.edges)
        band = [w for w in page.words if not top <= w.middle <= bottom and not any(g.holds(w) for g in grids)]
        keys = set()
        for line in pdflayout.make_lines(band):
            key = f"{round((line.top + line.bottom) / 8)}:{_DIGITS.sub('#', squeeze(line.text).lower())}"
            margin_lines.append((page, line, key))
            keys.add(key)
        seen.update(keys)
    repeated = max(2, round(0.3 * len(pages)))
    drop: set[int] = set()
    for _page, line, key in margin_lines:
        text = squeeze(line.text)
        if (seen[key] >= repeated and len(text) <= 80) or is_furniture(text) or _PAGE_NUMBER.match(text):
            drop.update(id(w) for w in line.words)
    for page in pages:
        page.words = [w for w in page.words if id(w) not in drop]


# -- line numbers and page joins -------------------------------------------------------------------


def _item_lines(item: pdflayout.Item) -> list[Line]:
    if isinstance(item, TextRegion):
        return item.lines
    return [line for row in item.rows for cell in row for line in cell.lines]


def _number(items: list[pdflayout.Item], page: int) -> None:
    number = 0
    for item in items:
        if isinstance(item, pdflayout.Table):
            item.page = page
        for line in _item_lines(item):
            number += 1
            line.page, line.number = page, number


def _join_pages(per_page: list[list[pdflayout.Item]]) -> list[pdflayout.Item]:
    """All items in order, a table that continues at the top of the next page joined to its start."""
    out: list[pdflayout.Item] = []
    for items in per_page:
        previous = out[-1] if out else None
        first = items[0] if items else None
        table, following = previous, first
        if isinstance(table, pdflayout.Table) and isinstance(following, pdflayout.Table) and _continue_table(
            table, following
        ):
            items = items[1:]
        out.extend(items)
    return out


def _row_text(row: list[pdflayout.Cell]) -> list[str]:
    return [squeeze(" ".join(line.text for line in cell.lines)) for cell in row]


def _continue_table(table: pdflayout.Table, following: pdflayout.Table) -> bool:
    """Append `following` to `table` when it continues it (same columns); True when it did."""
    tolerance = 4.0 if table.ruled and following.ruled else 8.0
    mapping = pdflayout.compatible(table, following.starts, tolerance)
    if mapping is None or len(set(mapping)) != len(mapping):
        return False
    if len(following.starts) != len(table.starts) and table.ruled:
        return False
    rows = following.rows
    for row in rows:
        for cell in row:
            cell.column = mapping[cell.column] if cell.column < len(mapping) else cell.column
    if rows and table.rows and _row_text(rows[0]) == _row_text(table.rows[0]) and len(table.rows) > 1:
        rows = rows[1:]  # the header row repeated on the new page
    if rows and table.rows and (table.open_bottom or following.open_top or _continues(rows[0])):
        pdflayout.merge_row(table.rows[-1], rows[0])
        rows = rows[1:]
    table.rows.extend(rows)
    return True


def _continues(row: list[pdflayout.Cell]) -> bool:
    """A first row on a new page that finishes the last row of the previous page."""
    texts = [text for text in _row_text(row)]
    if not texts or not row or row[0].column != 0:
        return True
    if not texts[0]:
        return True
    filled = [t for t in texts if t]
    return all(t[:1].islower() for t in filled)


# -- blocks ---------------------------------------------------------------------------------------


def _origin(line: Line) -> Origin:
    return Origin(line.number, line.page)


def _text_line(line: Line) -> TextLine:
    return TextLine(line.text, _origin(line))


def _spacing(items: list[pdflayout.Item], size: float) -> float:
    """The usual gap between consecutive lines of running text (0 for single spacing, ~1 line double)."""
    gaps = [
        b.top - a.bottom
        for item in items
        if isinstance(item, TextRegion)
        for a, b in zip(item.lines, item.lines[1:], strict=False)
        if -0.2 * size < b.top - a.bottom < 1.5 * size
    ]
    return max(statistics.median(gaps), 0.0) if gaps else 0.0


def _groups(lines: list[Line], size: float, spacing: float = 0.0) -> list[list[Line]]:
    """Lines grouped into paragraphs: a taller gap, a list marker or a change of size or weight breaks."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups:
            last = groups[-1][-1]
            gap = line.top - last.bottom
            same_style = line.bold == last.bold and abs(line.size - last.size) <= 0.1 * size
            # a cell broken by a page break goes on at the top of the next page
            follows = same_style and (line.page != last.page or -0.5 * size < gap <= spacing + 0.4 * size)
            if follows and not is_marker(line.words[0].text):
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


def _item(group: list[Line], base: float, size: float) -> Paragraph | ListItem:
    first = group[0]
    lines = [_text_line(line) for line in group]
    if len(first.words) > 1 and is_marker(first.words[0].text):
        marker = first.words[0]
        level = 1 + min(max(int((marker.x0 - base) / (1.5 * size) + 0.3), 0), 5)
        texts = [line.text for line in group]
        if _SYMBOL_MARKER.match(marker.text):
            texts[0] = " ".join(w.text for w in first.words[1:])
        return ListItem(join_lines(texts), _origin(first), level, lines)
    return Paragraph(join_lines([line.text for line in group]), _origin(first), lines)


def _heading_sizes(items: list[pdflayout.Item], size: float, spacing: float) -> list[float]:
    """Line heights larger than the body's that short groups use: the heading levels, largest first."""
    sizes = set()
    for item in items:
        if isinstance(item, TextRegion):
            for group in _groups(item.lines, size, spacing):
                if _short(group) and group[0].size >= size * 1.12:
                    sizes.add(round(group[0].size))
    return sorted(sizes, reverse=True)


def _short(group: list[Line]) -> bool:
    text = " ".join(line.text for line in group)
    return len(group) <= 3 and len(text) <= 200 and not is_marker(group[0].words[0].text)


def _blocks(items: list[pdflayout.Item], size: float) -> list[Block]:
    spacing = _spacing(items, size)
    levels = _heading_sizes(items, size, spacing)
    blocks: list[Block] = []
    for item in items:
        if isinstance(item, pdflayout.Table):
            table = _table(item, size, spacing)
            if table.rows:
                blocks.append(table)
            continue
        if not item.lines:
            continue
        base = min(line.x0 for line in item.lines)
        for group in _groups(item.lines, size, spacing):
            text = join_lines([line.text for line in group])
            rounded = round(group[0].size)
            if _short(group) and rounded in levels and group[0].size >= size * 1.12:
                blocks.append(Heading(text, levels.index(rounded) + 1, _origin(group[0])))
            elif _short(group) and all(line.bold for line in group) and not text.endswith((".", ";", ",")):
                blocks.append(Heading(text, len(levels) + 1, _origin(group[0])))
            else:
                blocks.append(_item(group, base, size))
    return blocks


def _table(table: pdflayout.Table, size: float, spacing: float) -> Table:
    rows: list[Row] = []
    for index, row in enumerate(table.rows):
        cells: list[Cell] = []
        for cell in row:
            lines = cell.lines
            origin = _origin(lines[0]) if lines else None
            base = min((line.x0 for line in lines), default=0.0)
            inner = [_item(group, base, size) for group in _groups(lines, size, spacing)]
            cells.append(Cell("\n".join(b.text for b in inner), origin, inner, cell.rowspan, cell.colspan))
        filled = [c for c in cells if c.text]
        if not filled:
            continue
        for c in cells:
            c.origin = c.origin or filled[0].origin
        header = index == 0 and all(all(line.bold for line in c.lines) for c in row if c.lines)
        rows.append(Row(cells, filled[0].origin, header))
    return Table(rows, rows[0].origin if rows else Origin(0, table.page))
