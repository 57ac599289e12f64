"""DOCX reader (python-docx): paragraphs with their heading and list styles, tables with merged cells.

Body order is kept (paragraphs and tables interleaved). A DOCX has no pages; `Origin.line` is the
1-based number of the paragraph in the document (cell paragraphs included). The archive is checked for
zip bombs (member count, sizes, compression ratio) before python-docx opens it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
import docx.types as t
import lxml.etree
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from parsers.blocks import Cell, Document, Heading, ListItem, Origin, Paragraph, Row, Table, TextLine
from parsers.errors import DocumentError
from parsers.formats.cells import make_cell
from parsers.text import squeeze

MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
_HEADING = re.compile(r"^(?:heading|[üu]berschrift|titre|titolo|t[íi]tulo)\s*([1-9])$", re.I)
_LIST_STYLE = re.compile(r"^list(?:\s+(?:bullet|number|paragraph|continue))?(?:\s+([1-9]))?$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_archive(name: str, data: bytes) -> None:
    """Refuse archives that are not zips, or whose members would inflate beyond the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError, EOFError):
        raise DocumentError(name, "corrupt or truncated DOCX (not a readable zip archive)") from None
    if len(members) > MAX_MEMBERS:
        raise DocumentError(name, f"DOCX refused: {len(members)} archive members (zip bomb?)")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES or (member.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise DocumentError(
                name, f"DOCX refused: {member.filename} inflates to {member.file_size} bytes (zip bomb?)"
            )
    if total > MAX_TOTAL_BYTES:
        raise DocumentError(name, f"DOCX refused: inflates to {total} bytes (zip bomb?)")


def read_docx(name: str, data: bytes) -> Document:
    """Read DOCX bytes into the document model."""
    check_archive(name, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and zip errors on bad parts
        raise DocumentError(name, f"corrupt DOCX ({type(exc).__name__})") from None
    reader = _Reader()
    try:
        blocks = reader.container(document.element.body, document._body)
    except (KeyError, ValueError, AttributeError, TypeError, IndexError, lxml.etree.LxmlError) as exc:
        raise DocumentError(name, f"corrupt DOCX content ({type(exc).__name__})") from None
    if not blocks:
        raise DocumentError(name, "no text in the DOCX document")
    return Document(name, "docx", blocks)


class _Reader:
    """Numbers paragraphs in document order while turning them into blocks."""

    def __init__(self) -> None:
        self.line = 0

    def container(
        self, element: BaseOxmlElement, parent: t.ProvidesStoryPart
    ) -> list[Heading | Paragraph | ListItem | Table]:
        """The blocks of the body or of a cell: its XML element and python-docx's object for it."""
        blocks: list[Heading | Paragraph | ListItem | Table] = []
        for item in _content(element, parent):
            if isinstance(item, DocxTable):
                table = self.table(item)
                if table.rows:
                    blocks.append(table)
            else:
                block = self.paragraph(item)
                if block is not None:
                    blocks.append(block)
        return blocks

    def paragraph(self, paragraph: DocxParagraph) -> Heading | Paragraph | ListItem | None:
        self.line += 1
        parts = [squeeze(part) for part in paragraph.text.split("\n")]
        parts = [part for part in parts if part]
        if not parts:
            return None
        text, origin = " ".join(parts), Origin(self.line)
        # a paragraph with line breaks (w:br) keeps its lines
        lines = [TextLine(part, origin) for part in parts] if len(parts) > 1 else []
        level = _heading_level(paragraph)
        if level:
            return Heading(text, level, origin)
        list_level = _list_level(paragraph)
        if list_level:
            return ListItem(text, origin, list_level, lines)
        return Paragraph(text, origin, lines)

    def table(self, table: DocxTable) -> Table:
        rows: list[Row] = []
        # grid column -> the cell that a vertical merge ("continue") extends
        open_merges: dict[int, Cell] = {}
        origin = Origin(self.line + 1)
        for tr in table._tbl.tr_lst:
            cells: list[Cell] = []
            column = tr.grid_before
            row_origin = Origin(self.line + 1)
            for tc in tr.tc_lst:
                span = max(tc.grid_span, 1)
                merge = tc.vMerge
                if merge == "continue" and column in open_merges:
                    open_merges[column].rowspan += 1
                    self.line += len(tc.p_lst)
                    column += span
                    continue
                cell = self.cell(_Cell(tc, table), span)
                cells.append(cell)
                if merge == "restart":
                    open_merges[column] = cell
                else:
                    open_merges.pop(column, None)
                column += span
            if cells:
                trPr = tr.trPr
                header = trPr is not None and trPr.find(f"{_W}tblHeader") is not None
                rows.append(Row(cells, row_origin, header))
        return Table(rows, origin)

    def cell(self, cell: _Cell, colspan: int) -> Cell:
        origin = Origin(self.line + 1)
        return make_cell(self.container(cell._tc, cell), origin, 1, colspan)


def _content(element: BaseOxmlElement, parent: t.ProvidesStoryPart) -> Iterator[DocxParagraph | DocxTable]:
    """Paragraphs and tables in order, including those inside content controls (`w:sdt`) and custom XML."""
    for child in element.iterchildren():
        if child.tag == f"{_W}p":
            yield DocxParagraph(child, parent)
        elif child.tag == f"{_W}tbl":
            yield DocxTable(child, parent)
        elif child.tag == f"{_W}sdt":
            inner = child.find(f"{_W}sdtContent")
            if inner is not None:
                yield from _content(inner, parent)
        elif child.tag == f"{_W}customXml":
            yield from _content(child, parent)


def _styles(paragraph: DocxParagraph):
    style = paragraph.style
    for _ in range(8):  # the style and its bases
        if style is None:
            return
        yield style
        style = style.base_style


def _heading_level(paragraph: DocxParagraph) -> int:
    outline = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None:
        value = outline.get(f"{_W}val", "")
        if value.isdigit() and int(value) < 9:
            return int(value) + 1
    for style in _styles(paragraph):
        name = style.name or ""
        if name.lower() == "title":
            return 1
        match = _HEADING.match(name)
        if match:
            return int(match.group(1))
    return 0


def _list_level(paragraph: DocxParagraph) -> int:
    num_pr = paragraph._p.find(f"{_W}pPr/{_W}numPr")
    if num_pr is not None:
        ilvl = num_pr.find(f"{_W}ilvl")
        value = ilvl.get(f"{_W}val", "0") if ilvl is not None else "0"
        return int(value) + 1 if value.isdigit() and int(value) < 9 else 1
    for style in _styles(paragraph):
        match = _LIST_STYLE.match(style.name or "")
        if match:
            return int(match.group(1) or 1)
    return 0
