"""Text reader: plain text and PDF text dumps, markdown and tab-separated exports as document blocks.

- a run of markdown `| … |` rows is a `Table` of real cells (inline `<i>`, `<b>`… dropped); a `|---|`
  rule marks the row above it as a header row, and a rule under a later row starts a new table there;
- a run of tab-separated rows (a line with two tabs, or a tab between two words) is a `Table`; the HTML
  inside its cells (`<p>`, `<ul><li>`, `<b>`, `<br>`) is read by `parsers.formats.html.fragment_blocks`,
  as HTML documents are;
- a markdown `# heading` is a `Heading` of its level;
- any other run of non-blank lines is a `Paragraph` that keeps every physical line with its spacing, so
  the line-oriented readers (interleaved table columns of PDF dumps, page-break indentation) still work.

Blank lines separate blocks and are the only lines not kept. `Origin.line` is the 1-based line number.
"""

from __future__ import annotations

import re

from parsers.blocks import Block, Cell, Document, Heading, Origin, Paragraph, Row, Table, TextLine
from parsers.formats.cells import make_cell
from parsers.formats.html import fragment_blocks
from parsers.text import squeeze

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|[\s:|-]*-{2,}[\s:|-]*\|\s*$")
_INLINE = re.compile(r"</?(?:i|u|b|em|strong|sup|sub)>", re.I)
_HEADING = re.compile(r"^ {0,3}(?P<marks>#{1,6})\s+(?P<text>.*?)[\s#]*$")
_TSV = re.compile(r"\t.*\t|\S\t+\S")


def read_text(name: str, text: str) -> Document:
    """Read a decoded text document into blocks."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif _PIPE_ROW.match(line):
            end = _run_end(lines, i, _PIPE_ROW)
            blocks.extend(_pipe_tables(lines, i, end))
            i = end
        elif _TSV.search(line):
            end = _run_end(lines, i, _TSV)
            blocks.append(_tsv_table(lines, i, end))
            i = end
        elif heading := _HEADING.match(line):
            blocks.append(Heading(squeeze(heading.group("text")), len(heading.group("marks")), Origin(i + 1)))
            i += 1
        else:
            end = i + 1
            while end < len(lines) and _in_paragraph(lines[end]):
                end += 1
            kept = [TextLine(lines[k], Origin(k + 1)) for k in range(i, end)]
            blocks.append(Paragraph(squeeze(" ".join(lines[i:end])), Origin(i + 1), kept))
            i = end
    return Document(name, "text", blocks)


def _in_paragraph(line: str) -> bool:
    return bool(line.strip()) and not (_PIPE_ROW.match(line) or _TSV.search(line) or _HEADING.match(line))


def _run_end(lines: list[str], start: int, pattern: re.Pattern[str]) -> int:
    end = start + 1
    while end < len(lines) and pattern.search(lines[end]):
        end += 1
    return end


def _pipe_tables(lines: list[str], start: int, end: int) -> list[Table]:
    """Markdown rows as tables; a rule makes the row above it a header, starting a table if need be."""
    tables: list[Table] = []
    rows: list[Row] = []
    for k in range(start, end):
        if not _PIPE_RULE.match(lines[k]):
            rows.append(_pipe_row(lines[k], Origin(k + 1)))
        elif rows and not rows[-1].header:
            header = rows.pop()
            header.header = True
            if rows:
                tables.append(Table(rows, rows[0].origin))
            rows = [header]
    if rows:
        tables.append(Table(rows, rows[0].origin))
    return tables


def _pipe_row(line: str, origin: Origin) -> Row:
    cells = []
    for raw in line.strip()[1:-1].split("|"):
        text = squeeze(_INLINE.sub("", raw))
        cells.append(Cell(text, origin, [Paragraph(text, origin)] if text else []))
    return Row(cells, origin)


def _tsv_table(lines: list[str], start: int, end: int) -> Table:
    """Tab-separated rows; each cell's HTML read into paragraphs and list items."""
    rows = []
    for k in range(start, end):
        origin = Origin(k + 1)
        cells = [make_cell(list(fragment_blocks(raw, origin)), origin) for raw in lines[k].split("\t")]
        rows.append(Row(cells, origin))
    if end - start > 1 and all(cell.text and "\n" not in cell.text for cell in rows[0].cells):
        rows[0].header = "<" not in lines[start]
    return Table(rows, rows[0].origin)


def as_document(source: Document | str, name: str = "document") -> Document:
    """The document itself, or a text dump read into the document model."""
    return source if isinstance(source, Document) else read_text(name, source)
