"""Page geometry to reading order: lines, ruled and unruled tables, columns.

A page's words are first claimed by ruled tables (grids of ruling lines, merged cells from missing
rulings). The rest is cut recursively (XY-cut): a vertical gutter that runs through every line of a group
splits it into columns, read left then right, unless the two sides start their blocks at the same heights
(rows of a borderless table); otherwise horizontal gaps split it into bands read top to bottom.
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field

from parsers.formats.pdfpage import Edge, Word

_MARKER = re.compile(r"^(?:[•·▪▫◦‣○●■□➢►▶✓–—\-*>o\uf020-\uf0ff]|\(?(?:\d{1,2}|[ivx]{1,4}|[a-z])[.)])$")
_JOIN = 2.0  # points: ruling lines this close are one line
_MAX_DEPTH = 40


@dataclass
class Line:
    words: list[Word]
    page: int = 0
    number: int = 0  # line on the page, in reading order, set once the page is ordered

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Cell:
    lines: list[Line] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1
    column: int = 0


@dataclass
class Table:
    """Rows of cells; `starts` are the left edges of the columns, for joining tables."""

    rows: list[list[Cell]]
    starts: list[float]
    top: float
    bottom: float
    ruled: bool
    page: int = 0
    open_top: bool = False
    open_bottom: bool = False


@dataclass
class TextRegion:
    lines: list[Line]


Item = TextRegion | Table


def make_lines(words: list[Word]) -> list[Line]:
    """Words grouped into lines (by vertical overlap), top to bottom, each left to right."""
    lines: list[Line] = []
    middle = size = 0.0
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if lines and abs(word.middle - middle) < 0.35 * min(size, word.size):
            lines[-1].words.append(word)
            continue
        lines.append(Line([word]))
        middle, size = word.middle, word.size
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda line: (line.top, line.x0))
    return lines


def is_marker(text: str) -> bool:
    """A bullet or enumerator that starts a list item ("•", "-", "1.", "(a)")."""
    return bool(_MARKER.match(text))


def order_page(words: list[Word], edges: list[Edge], size: float) -> list[Item]:
    """The page's text regions and tables in reading order; `size` is the body line height."""
    tables, free = _ruled_tables(words, edges)
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


# -- ruled tables ---------------------------------------------------------------------------------


@dataclass
class _Grid:
    horizontal: list[tuple[float, float, float]]  # (y, x0, x1)
    vertical: list[tuple[float, float, float]]  # (x, y0, y1)
    xs: list[float]
    ys: list[float]

    def holds(self, word: Word) -> bool:
        inside_x = self.xs[0] - 1 <= word.centre <= self.xs[-1] + 1
        return inside_x and self.ys[0] - 1 <= word.middle <= self.ys[-1] + 1


def grids(edges: list[Edge]) -> list[_Grid]:
    """Grids of crossing rulings with at least two cells (a frame around a paragraph is not a table)."""
    horizontal = _merge([(e.y0, e.x0, e.x1) for e in edges if e.horizontal])
    vertical = _merge([(e.x0, e.y0, e.y1) for e in edges if not e.horizontal])
    out = []
    for hs, vs in _components(horizontal, vertical):
        ys = _positions([h[0] for h in hs] + [min(v[1] for v in vs), max(v[2] for v in vs)])
        xs = _positions([v[0] for v in vs] + [min(h[1] for h in hs), max(h[2] for h in hs)])
        if len(ys) >= 2 and len(xs) >= 2 and len(ys) * len(xs) > 4:
            out.append(_Grid(hs, vs, xs, ys))
    return out


def _ruled_tables(words: list[Word], edges: list[Edge]) -> tuple[list[Table], list[Word]]:
    """Tables drawn with ruling lines, and the words outside them."""
    tables: list[Table] = []
    free = list(words)
    for grid in grids(edges):
        inside = [w for w in free if grid.holds(w)]
        if not inside:
            continue
        claimed = {id(w) for w in inside}
        free = [w for w in free if id(w) not in claimed]
        table = _grid_table(inside, grid)
        # side rulings that run on above the first rule or below the last one: a row broken by the page
        table.open_top = min(v[1] for v in grid.vertical) < min(h[0] for h in grid.horizontal) - 2 * _JOIN
        table.open_bottom = max(v[2] for v in grid.vertical) > max(h[0] for h in grid.horizontal) + 2 * _JOIN
        if table.rows:
            tables.append(table)
    return tables, free


def _merge(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear ruling segments (position, start, end) joined where they touch or overlap."""
    merged: list[tuple[float, float, float]] = []
    for pos, start, end in sorted(segments):
        if merged:
            p, s, e = merged[-1]
            if abs(pos - p) <= _JOIN and start <= e + _JOIN:
                merged[-1] = (p, s, max(e, end))
                continue
        merged.append((pos, start, end))
    return merged


def _components(horizontal, vertical):
    """Groups of crossing horizontal and vertical rulings (each group one grid)."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_x = sorted(range(len(vertical)), key=lambda j: vertical[j][0])
    vx = [vertical[j][0] for j in by_x]
    for i, (y, hx0, hx1) in enumerate(horizontal):
        lo, hi = bisect.bisect_left(vx, hx0 - _JOIN), bisect.bisect_right(vx, hx1 + _JOIN)
        for j in by_x[lo:hi]:
            _, vy0, vy1 = vertical[j]
            if vy0 - _JOIN <= y <= vy1 + _JOIN:
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


def _positions(values) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= _JOIN * 1.5:
            continue
        out.append(value)
    return out


def _covered(segments, pos: float, at: float) -> bool:
    """Whether a ruling at `pos` runs through the point `at` along it."""
    return any(abs(p - pos) <= _JOIN * 1.5 and s - _JOIN <= at <= e + _JOIN for p, s, e in segments)


def _grid_table(words: list[Word], grid: _Grid) -> Table:
    xs, ys, hs, vs = grid.xs, grid.ys, grid.horizontal, grid.vertical
    rows, cols = len(ys) - 1, len(xs) - 1
    owner = list(range(rows * cols))  # grid cell -> first grid cell of its merged cell

    def find(i: int) -> int:
        while owner[i] != i:
            i = owner[i]
        return i

    for r in range(rows):
        mid_y = (ys[r] + ys[r + 1]) / 2
        for c in range(cols):
            mid_x = (xs[c] + xs[c + 1]) / 2
            if c + 1 < cols and not _covered(vs, xs[c + 1], mid_y):
                a, b = find(r * cols + c), find(r * cols + c + 1)
                owner[max(a, b)] = min(a, b)
            if r + 1 < rows and not _covered(hs, ys[r + 1], mid_x):
                a, b = find(r * cols + c), find((r + 1) * cols + c)
                owner[max(a, b)] = min(a, b)
    spans: dict[int, list[int]] = {}
    for i in range(rows * cols):
        root = find(i)
        r, c = divmod(i, cols)
        box = spans.setdefault(root, [r, c, r, c])
        box[:] = [min(box[0], r), min(box[1], c), max(box[2], r), max(box[3], c)]
    content: dict[int, list[Word]] = {}
    for word in words:
        r = min(max(bisect.bisect_right(ys, word.middle) - 1, 0), rows - 1)
        c = min(max(bisect.bisect_right(xs, word.centre) - 1, 0), cols - 1)
        content.setdefault(find(r * cols + c), []).append(word)
    grid: list[list[Cell]] = [[] for _ in range(rows)]
    for root, (r0, c0, r1, c1) in sorted(spans.items(), key=lambda kv: (kv[1][0], kv[1][1])):
        grid[r0].append(Cell(make_lines(content.get(root, [])), r1 - r0 + 1, c1 - c0 + 1, c0))
    kept = [row for row in grid if any(cell.lines for cell in row)]
    return Table(kept, xs[:-1], ys[0], ys[-1], True)


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
    if len(a) == 1 and len(b) == 1:
        return best == 1
    return best >= 2 and best >= 0.5 * min(len(a), len(b))


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


def join_continued_rows(table: Table) -> Table:
    """Rows whose first cell is empty continue the row above (wrapped or page-broken cells)."""
    rows: list[list[Cell]] = []
    for row in table.rows:
        if rows and row and not any(cell.lines for cell in row if cell.column == 0):
            merge_row(rows[-1], row)
        else:
            rows.append(row)
    table.rows = rows
    return table


def settle(table: Table) -> None:
    """Put every word of a borderless table in the column whose left edge it starts at or after, and
    give each row a cell per column: a row read alone may have missed a narrow gutter that other rows
    show."""
    if table.ruled:
        return
    starts = table.starts
    for index, row in enumerate(table.rows):
        cells = [Cell([], column=column) for column in range(len(starts))]
        for cell in sorted(row, key=lambda c: c.column):
            for line in cell.lines:
                parts: dict[int, list[Word]] = {}
                for word in line.words:
                    column = max(bisect.bisect_right(starts, word.x0 + 3) - 1, 0)
                    parts.setdefault(column, []).append(word)
                for column, words in parts.items():
                    cells[column].lines.append(Line(words, line.page, line.number))
        table.rows[index] = cells


def merge_row(target: list[Cell], extra: list[Cell]) -> None:
    """Append the lines of `extra`'s cells to the cells of `target` in the same columns."""
    by_column = {cell.column: cell for cell in target}
    for cell in extra:
        home = by_column.get(cell.column) or max(
            (c for c in target if c.column <= cell.column), key=lambda c: c.column, default=target[-1]
        )
        home.lines.extend(cell.lines)


# -- continuations on one page ----------------------------------------------------------------------


def _mapping(starts: list[float], onto: list[float], tolerance: float) -> list[int] | None:
    """For each column start, the column of `onto` it lines up with; None when one does not."""
    mapping: list[int] = []
    for start in starts:
        best = min(range(len(onto)), key=lambda i: abs(onto[i] - start))
        if abs(onto[best] - start) > tolerance:
            return None
        mapping.append(best)
    return mapping if len(set(mapping)) == len(mapping) else None


def unify(table: Table, other: Table, tolerance: float = 8.0) -> bool:
    """Put two tables on the same columns when the columns of one are among those of the other.

    A borderless table read row by row sees only the columns a row fills; the wider set wins and the
    cells of the narrower table are renumbered. False when the columns do not line up.
    """
    narrow, wide = (other, table) if len(other.starts) <= len(table.starts) else (table, other)
    mapping = _mapping(narrow.starts, wide.starts, tolerance)
    if mapping is None:
        return False
    for row in narrow.rows:
        for cell in row:
            cell.column = mapping[min(cell.column, len(mapping) - 1)]
    narrow.starts = list(wide.starts)
    return True


def _attach_continuations(items: list[Item]) -> list[Item]:
    """Join consecutive tables with the same columns, and text that only fills a non-first column."""
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
            if isinstance(item, TextRegion) and continue_cell(previous, item, next_page=False):
                continue
        out.append(item)
    return out


def continue_cell(table: Table, region: TextRegion, *, next_page: bool) -> bool:
    """Append a text region that lies in one non-first column of a borderless table, right below it
    (or at the top of the next page), to the table's last row; True when it did."""
    if table.ruled or not region.lines or not table.rows:
        return False
    if all(w.bold for cell in table.rows[-1] for line in cell.lines for w in line.words):
        return False  # a header row: what follows is not its continuation
    if not next_page and region.lines[0].top - table.bottom > 1.5 * region.lines[0].size:
        return False
    x0 = min(line.x0 for line in region.lines)
    x1 = max(line.x1 for line in region.lines)
    for index in range(1, len(table.starts)):
        end = table.starts[index + 1] if index + 1 < len(table.starts) else float("inf")
        if table.starts[index] - 4 <= x0 and x1 <= end:
            merge_row(table.rows[-1], [Cell(region.lines, column=index)])
            table.bottom = max(line.bottom for line in region.lines)
            return True
    return False
