"""The document model: what every format reader produces and every layout reader consumes.

A `Document` is a list of blocks in reading order: headings with levels, paragraphs, list items and
tables of rows and cells. Every block carries its `Origin` (page, when the format has pages, and line).
Format readers (`parsers.formats`) know nothing of events; layout readers (`parsers.layouts`) know
nothing of file formats.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    """Where a piece of a document came from: 1-based line (of the page, when there are pages)."""

    line: int
    page: int | None = None


@dataclass
class TextLine:
    """One physical line of text, as the format gives it (spacing kept), and where it came from."""

    text: str
    origin: Origin


@dataclass
class Heading:
    """A section heading; level 1 is the outermost."""

    text: str
    level: int
    origin: Origin
    kind: str = "heading"


@dataclass
class Paragraph:
    """A run of text; `lines` keeps its physical lines when the format has them (text, PDF)."""

    text: str
    origin: Origin
    lines: list[TextLine] = field(default_factory=list)
    kind: str = "paragraph"


@dataclass
class ListItem:
    """One item of a bulleted or numbered list; level 1 is the outermost."""

    text: str
    origin: Origin
    level: int = 1
    lines: list[TextLine] = field(default_factory=list)
    kind: str = "list_item"


@dataclass
class Cell:
    """One table cell: its plain text, its inner blocks (paragraphs, list items) and its span."""

    text: str
    origin: Origin
    blocks: list[Paragraph | ListItem] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    cells: list[Cell]
    origin: Origin
    header: bool = False


@dataclass
class Table:
    """A table as rows of cells; rows continued across a page break are already joined."""

    rows: list[Row]
    origin: Origin
    kind: str = "table"


Block = Heading | Paragraph | ListItem | Table


@dataclass
class Document:
    """A document in the one model, with the format it was read from ("text", "pdf", "docx", "html")."""

    name: str
    format: str
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> Iterator[TextLine]:
        """Every line of text in reading order (table cells row by row), for line-oriented readers."""
        for block in self.blocks:
            yield from block_lines(block)

    def text(self) -> str:
        """The document as plain text, one physical line per line."""
        return "\n".join(line.text for line in self.lines())


def block_lines(block: Block) -> Iterator[TextLine]:
    """The physical lines of one block (its text as one line when the format gave none)."""
    if isinstance(block, Table):
        for row in block.rows:
            for cell in row.cells:
                for inner in cell.blocks or [Paragraph(cell.text, cell.origin)]:
                    yield from block_lines(inner)
        return
    if isinstance(block, Heading):
        yield TextLine(block.text, block.origin)
        return
    if block.lines:
        yield from block.lines
    else:
        yield TextLine(block.text, block.origin)
