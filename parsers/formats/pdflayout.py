"""Page geometry to reading order: text regions, borderless tables and columns around the ruled tables.

A page's words are first claimed by ruled tables (`pdfgrid`). The rest is cut recursively (XY-cut): a
vertical gutter that runs through every line of a group splits it into columns, read left then right,
unless the two sides start their blocks at the same heights (rows of a borderless table); otherwise
horizontal gaps split it into bands read top to bottom.
"""

from __future__ import annotations

import bisect
import statistics

from parsers.formats.pdfgrid import ruled_tables
from parsers.formats.pdfpage import Edge, Word
from parsers.formats.pdfparts import (
    Cell,
    Item,
    Line,
    Table,
    TextRegion,
    is_marker,
    join_continued_rows,
    make_lines,
    merge_row,
    settle,
    unify,
)

_MAX_DEPTH = 40


def order_page(words: list[Word], edges: list[Edge], size: float) -> list[Item]:
    """The page's text regions and tables in reading order; `size` is the body line height."""
    tables, free = ruled_tables(words, edges)
    for table in [t for t in tables if len(t.starts) == 1]:
        # a one-column grid whose text shows column gutters is a frame with rules between rows around a
        # table without column rulings: read it as borderless
        inside = [w for row in table.rows for cell in row for line in cell.lines for w in line.words]
        if _gutter(inside, size) is not None:
            tables.remove(table)
            free += inside
    placeholders = {id(t): t for t in tables}
    boxes = list(free) + [
        Word(f"\0{id(t)}", t_x0, t_x1, t.top, t.bottom, size, False)
        for t, (t_x0, t_x1) in ((t, _extent(t)) for t in tables)
    ]
    items: list[Item] = []
    for region in _cut(boxes, size, 0):
        if isinstance(region, Table):
            items.append(region)
            continue
        held = [placeholders[int(w.text[1:])] for w in region if w.text.startswith("\0")]
        plain = [w for w in region if not w.text.startswith("\0")]
        for table in sorted(held, key=lambda t: t.top):
            above = [w for w in plain if w.middle < table.top]
            plain = [w for w in plain if w.middle >= table.top]
            if above:
                items.append(TextRegion(make_lines(above)))
            items.append(table)
        if plain:
            items.append(TextRegion(make_lines(plain)))
    return _attach_continuations(items)


def _extent(table: Table) -> tuple[float, float]:
    xs = [w.x0 for row in table.rows for c in row for line in c.lines for w in line.words]
    xe = [w.x1 for row in table.rows for c in row for line in c.lines for w in line.words]
    return (min(xs + table.starts), max(xe + table.starts))


# -- reading order ----------------------------------------------------------------------------------


def _cut(words: list[Word], size: float, depth: int) -> list[list[Word] | Table]:
    """Recursive XY-cut: columns (or a borderless table) first, then bands."""
    if len(words) < 2 or depth > _MAX_DEPTH:
        return [words] if words else []
    gutter = _gutter(words, size)
    if gutter is not None:
        left = [w for w in words if w.centre < gutter]
        right = [w for w in words if w.centre >= gutter]
        if not any(w.text.startswith("\0") for w in words) and _table_like(left, right, size):
            peeled = _peel(words, size)
            if peeled:
                return _cut(peeled[0], size, depth + 1) + _cut(peeled[1], size, depth + 1)
            return [_borderless(words, size)]
        return _cut(left, size, depth + 1) + _cut(right, size, depth + 1)
    bands = _bands(words, 0.4 * size)
    if len(bands) == 1:  # text set close under a table: any gap at all between lines
        bands = _bands(words, 0.1 * size)
    if len(bands) == 1:
        return [words]
    out: list[list[Word] | Table] = []
    for band in bands:
        out += _cut(band, size, depth + 1)
    return out


def _peel(words: list[Word], size: float) -> tuple[list[Word], list[Word]] | None:
    """A first or last band of a borderless table that hides one of its column gutters (a heading set
    over the table, a line under it), split from the rest."""
    bands = _bands(words, 0.2 * size)
    if len(bands) < 3:
        return None
    count = len(_gutters(words, size))
    first, last = bands[0], bands[-1]
    rest = [w for band in bands[1:] for w in band]
    if len(_gutters(rest, size)) > count:
        return first, rest
    rest = [w for band in bands[:-1] for w in band]
    if len(_gutters(rest, size)) > count:
        return rest, last
    return None


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The empty stretches between overlapping intervals."""
    gaps: list[tuple[float, float]] = []
    ordered = sorted(intervals)
    end = ordered[0][1]
    for start, stop in ordered[1:]:
        if start > end:
            gaps.append((end, start))
        end = max(end, stop)
    return gaps


def _gutters(words: list[Word], size: float) -> list[tuple[float, float]]:
    """Vertical gutters through all the words, widest first, wide enough for the lines they part.

    A gutter needs a width of 2.5 line heights divided by the number of lines with text on both of its
    sides: one line needs a wide gap to be two columns, many lines a narrow one (never under 0.45 line
    heights); a chance alignment of word spaces over a few lines is not a column break.
    """
    lines = [(min(w.x0 for w in band), max(w.x1 for w in band)) for band in _bands(words, -0.2 * size)]
    out = []
    for start, end in _gaps([(w.x0, w.x1) for w in words]):
        parted = sum(1 for x0, x1 in lines if x0 < start and x1 > end)
        if end - start >= max(0.45 * size, 2.5 * size / max(parted, 1)):
            out.append((start, end))
    return sorted(out, key=lambda g: g[0] - g[1])


def _gutter(words: list[Word], size: float) -> float | None:
    """The middle of the widest gutter running through all the words; a gutter with only list markers
    on its left is the indent of a list, not a column break."""
    for start, end in _gutters(words, size):
        middle = (start + end) / 2
        if all(is_marker(w.text) for w in words if w.centre < middle):
            continue
        return middle
    return None


def _bands(words: list[Word], gap: float) -> list[list[Word]]:
    """Words split where a horizontal gap taller than `gap` runs across all of them."""
    ordered = sorted(words, key=lambda w: w.top)
    bands: list[list[Word]] = [[ordered[0]]]
    bottom = ordered[0].bottom
    for word in ordered[1:]:
        if word.top - bottom > gap:
            bands.append([word])
        else:
            bands[-1].append(word)
        bottom = max(bottom, word.bottom)
    return bands


def _blocks(words: list[Word], size: float) -> list[tuple[float, float, float]]:
    """(top, middle, bottom) of the blocks of lines on one side of a gutter: lines apart by more than
    their usual spacing plus half a line start a new block."""
    lines = _bands(words, -0.2 * size)
    gaps = [min(w.top for w in b) - max(w.bottom for w in a) for a, b in zip(lines, lines[1:], strict=False)]
    usual = statistics.median(gaps) if gaps else 0.0
    out = []
    for band in _bands(words, max(usual, 0.0) + 0.5 * size):
        top, bottom = min(w.top for w in band), max(w.bottom for w in band)
        out.append((top, (top + bottom) / 2, bottom))
    return out


def _table_like(left: list[Word], right: list[Word], size: float) -> bool:
    """Whether the blocks on both sides of a gutter line up as table rows (tops, middles or bottoms)."""
    a, b = _blocks(left, size), _blocks(right, size)
    tolerance = 0.3 * size
    best = 0
    for k in range(3):
        matched = sum(1 for x in a if any(abs(x[k] - y[k]) <= tolerance for y in b))
        best = max(best, matched)
    if min(len(a), len(b)) == 1:  # one row, or a row under a cell running on from the page before
        return best == 1
    # rows line up (nearly) all the blocks of the sparser side; paragraphs of two text columns only by chance
    return best >= 2 and best >= 0.75 * min(len(a), len(b))


def _borderless(words: list[Word], size: float) -> Table:
    """A table without rulings: columns from the gutters, rows from the gaps across all columns."""
    bounds = sorted((start + end) / 2 for start, end in _gutters(words, size))
    columns: list[list[Word]] = [[] for _ in range(len(bounds) + 1)]
    for word in words:
        columns[bisect.bisect_right(bounds, word.centre)].append(word)
    starts = [min(w.x0 for w in column) for column in columns]
    rows: list[list[Cell]] = []
    for band in _bands(words, 0.2 * size):
        cells = [Cell([], column=i) for i in range(len(bounds) + 1)]
        for word in band:
            cells[bisect.bisect_right(bounds, word.centre)].lines.append(Line([word]))
        for cell in cells:
            cell.lines = make_lines([w for line in cell.lines for w in line.words])
        rows.append(cells)
    table = Table(rows, starts, min(w.top for w in words), max(w.bottom for w in words), False)
    join_continued_rows(table)
    settle(table)
    return table


# -- continuations on one page ----------------------------------------------------------------------


def _attach_continuations(items: list[Item]) -> list[Item]:
    """Join consecutive tables with the same columns, and text under a table that fits its columns."""
    out: list[Item] = []
    for item in items:
        previous = out[-1] if out else None
        if isinstance(previous, Table) and not previous.ruled:
            if isinstance(item, Table) and not item.ruled and unify(previous, item):
                previous.rows.extend(item.rows)
                previous.bottom = item.bottom
                join_continued_rows(previous)
                settle(previous)
                continue
            if isinstance(item, TextRegion) and continue_table(previous, item, next_page=False):
                continue
        out.append(item)
    return out


def continue_table(table: Table, region: TextRegion, *, next_page: bool) -> bool:
    """Append a text region right below a borderless table (or at the top of the next page) to it when
    it fits the table's columns: within one non-first column it goes on in the last row; split over
    several columns, each line starting at a column's left edge, it is a row of its own (a row read
    alone when its gutters were too narrow to tell). True when it was appended."""
    if table.ruled or not region.lines or not table.rows:
        return False
    below = region.lines[0].top - table.bottom
    if not next_page and not -0.5 * region.lines[0].size <= below <= 2.5 * region.lines[0].size:
        return False
    cells = _fit(table.starts, region.lines)
    if cells is None:
        return False
    filled = [cell for cell in cells if cell.lines]
    header = all(w.bold for cell in table.rows[-1] for line in cell.lines for w in line.words)
    if len(filled) == 1 and filled[0].column > 0 and not header:
        merge_row(table.rows[-1], filled)
    elif len(filled) > 1:
        table.rows.append(cells)
        join_continued_rows(table)
    else:
        return False
    table.bottom = max(line.bottom for line in region.lines)
    return True


def _fit(starts: list[float], lines: list[Line]) -> list[Cell] | None:
    """Lines cut at the column edges into cells, or None when a word runs over an edge or a piece of a
    line does not start at its column's edge."""
    cells = [Cell([], column=column) for column in range(len(starts))]
    for line in lines:
        pieces: dict[int, list[Word]] = {}
        for word in line.words:
            column = max(bisect.bisect_right(starts, word.x0 + 3) - 1, 0)
            if column + 1 < len(starts) and word.x1 > starts[column + 1] - 1:
                return None
            pieces.setdefault(column, []).append(word)
        for column, words in pieces.items():
            if len(pieces) > 1 and abs(words[0].x0 - starts[column]) > 4:
                return None
            cells[column].lines.append(Line(words, line.page, line.number))
    return cells
