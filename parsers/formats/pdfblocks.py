"""PDF lines to blocks: headings from size or weight, list items from markers, paragraphs from gaps.

A heading is a short group of lines at least 1.12 times the body size (levels by size, largest first) or
all bold at body size (one level below). Lines go on in the same paragraph while the gap to the next is
within the usual line spacing and the style stays; a sentence left open goes on in the next column or on
the next page. Table cells hold paragraphs and list items.
"""

from __future__ import annotations

import re
import statistics

from parsers.blocks import Block, Cell, Heading, ListItem, Origin, Paragraph, Row, Table, TextLine
from parsers.formats import pdfparts as parts
from parsers.formats.pdfparts import Line, TextRegion, is_marker
from parsers.text import join_lines

# bullets, with those of the Symbol and Wingdings fonts (private use area: U+F0B7, U+F0A7, U+F0D8...)
_SYMBOL_MARKER = re.compile(r"^[•·▪▫◦‣○●■□➢►▶✓–—\-*o\uf020-\uf0ff]$")


def _origin(line: Line) -> Origin:
    return Origin(line.number, line.page)


def _text_line(line: Line) -> TextLine:
    return TextLine(line.text, _origin(line))


def _spacing(items: list[parts.Item], size: float) -> float:
    """The usual gap between consecutive lines of running text (0 for single spacing, ~1 line double)."""
    gaps = [
        b.top - a.bottom
        for item in items
        if isinstance(item, TextRegion)
        for a, b in zip(item.lines, item.lines[1:], strict=False)
        if -0.2 * size < b.top - a.bottom < 1.5 * size
    ]
    if not gaps:
        return 0.0
    # Gaps inside paragraphs are the smallest common ones; in a text of short paragraphs the gaps between
    # them may outnumber those, and their median would join every paragraph to the next.
    tight = [gap for gap in gaps if gap <= min(gaps) + 0.3 * size]
    usual = tight if len(tight) >= 0.2 * len(gaps) else gaps
    return max(statistics.median(usual), 0.0)


def _groups(lines: list[Line], size: float, spacing: float = 0.0) -> list[list[Line]]:
    """Lines grouped into paragraphs: a taller gap, a list marker or a change of size or weight breaks."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups:
            last = groups[-1][-1]
            gap = line.top - last.bottom
            same_style = line.bold == last.bold and abs(line.size - last.size) <= 0.1 * size
            if line.page != last.page or gap < -0.5 * size:
                # the next page or column: a sentence left open goes on there
                follows = same_style and not last.text.rstrip().endswith((".", "!", "?", ":", ";"))
            else:
                follows = same_style and gap <= spacing + 0.4 * size
            if follows and not is_marker(line.words[0].text):
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


def _indents(groups: list[list[Line]], size: float) -> list[float]:
    """The distinct indents of the list markers among groups of lines: list levels, outermost first."""
    indents: list[float] = []
    markers = [g[0].words[0] for g in groups if len(g[0].words) > 1 and is_marker(g[0].words[0].text)]
    for x in sorted(w.x0 for w in markers):
        if not indents or x - indents[-1] > 0.4 * size:
            indents.append(x)
    return indents


def _item(group: list[Line], indents: list[float]) -> Paragraph | ListItem:
    first = group[0]
    lines = [_text_line(line) for line in group]
    if len(first.words) > 1 and is_marker(first.words[0].text):
        marker = first.words[0]
        level = 1 + min(range(len(indents)), key=lambda i: abs(indents[i] - marker.x0)) if indents else 1
        texts = [line.text for line in group]
        if _SYMBOL_MARKER.match(marker.text):
            texts[0] = " ".join(w.text for w in first.words[1:])
        return ListItem(join_lines(texts), _origin(first), level, lines)
    return Paragraph(join_lines([line.text for line in group]), _origin(first), lines)


def _heading_sizes(items: list[parts.Item], size: float, spacing: float) -> list[float]:
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


def _regions_joined(items: list[parts.Item]) -> list[parts.Item]:
    """Consecutive text regions as one, so that a paragraph cut into bands by the XY-cut is one again."""
    out: list[parts.Item] = []
    for item in items:
        if isinstance(item, TextRegion) and out and isinstance(out[-1], TextRegion):
            out[-1] = TextRegion(out[-1].lines + item.lines)
        else:
            out.append(item)
    return out


def to_blocks(items: list[parts.Item], size: float) -> list[Block]:
    """The document's blocks from the pages' ordered items; `size` is the body font size."""
    items = _regions_joined(items)
    spacing = _spacing(items, size)
    levels = _heading_sizes(items, size, spacing)
    blocks: list[Block] = []
    for item in items:
        if isinstance(item, parts.Table):
            table = _table(item, size, spacing)
            if table.rows:
                blocks.append(table)
            continue
        if not item.lines:
            continue
        groups = _groups(item.lines, size, spacing)
        indents = _indents(groups, size)
        for group in groups:
            text = join_lines([line.text for line in group])
            rounded = round(group[0].size)
            if _short(group) and rounded in levels and group[0].size >= size * 1.12:
                blocks.append(Heading(text, levels.index(rounded) + 1, _origin(group[0])))
            elif _short(group) and all(line.bold for line in group) and not text.endswith((".", ";", ",")):
                blocks.append(Heading(text, len(levels) + 1, _origin(group[0])))
            else:
                blocks.append(_item(group, indents))
    return blocks


def _table(table: parts.Table, size: float, spacing: float) -> Table:
    rows: list[Row] = []
    for index, row in enumerate(table.rows):
        cells: list[Cell] = []
        for cell in row:
            lines = cell.lines
            origin = _origin(lines[0]) if lines else None
            groups = _groups(lines, size, spacing)
            indents = _indents(groups, size)
            inner = [_item(group, indents) for group in groups]
            cells.append(Cell("\n".join(b.text for b in inner), origin, inner, cell.rowspan, cell.colspan))
        filled = [c for c in cells if c.text]
        if not filled:
            continue
        for c in cells:
            c.origin = c.origin or filled[0].origin
        header = index == 0 and all(all(line.bold for line in c.lines) for c in row if c.lines)
        rows.append(Row(cells, filled[0].origin, header))
    return Table(rows, rows[0].origin if rows else Origin(0, table.page))
