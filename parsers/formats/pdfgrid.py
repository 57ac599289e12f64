"""Ruled tables: crossing ruling lines form grids; a missing ruling between two grid cells merges them.

Side rulings that run on past the first or last horizontal rule mark a row broken by the page break.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from parsers.formats.pdfpage import Edge, Word
from parsers.formats.pdfparts import Cell, Table, make_lines

_JOIN = 2.0  # points: ruling lines this close are one line
Segment = tuple[float, float, float]  # a ruling: its position across, its start and end along


@dataclass
class Grid:
    """Rulings that cross one another, and the positions of their rows and columns."""

    horizontal: list[Segment]  # (y, x0, x1)
    vertical: list[Segment]  # (x, y0, y1)
    xs: list[float]
    ys: list[float]

    def holds(self, word: Word) -> bool:
        inside_x = self.xs[0] - 1 <= word.centre <= self.xs[-1] + 1
        return inside_x and self.ys[0] - 1 <= word.middle <= self.ys[-1] + 1


def grids(edges: list[Edge]) -> list[Grid]:
    """Grids of crossing rulings with at least two cells (a frame around a paragraph is not a table)."""
    horizontal = _merge([(e.y0, e.x0, e.x1) for e in edges if e.horizontal])
    vertical = _merge([(e.x0, e.y0, e.y1) for e in edges if not e.horizontal])
    out = []
    for hs, vs in _components(horizontal, vertical):
        ys = _positions([h[0] for h in hs] + [min(v[1] for v in vs), max(v[2] for v in vs)])
        xs = _positions([v[0] for v in vs] + [min(h[1] for h in hs), max(h[2] for h in hs)])
        if len(ys) >= 2 and len(xs) >= 2 and len(ys) * len(xs) > 4:
            out.append(Grid(hs, vs, xs, ys))
    return out


def ruled_tables(words: list[Word], edges: list[Edge]) -> tuple[list[Table], list[Word]]:
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


def _merge(segments: list[Segment]) -> list[Segment]:
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


def _components(
    horizontal: list[Segment], vertical: list[Segment]
) -> list[tuple[list[Segment], list[Segment]]]:
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
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= _JOIN * 1.5:
            continue
        out.append(value)
    return out


def _covered(segments: list[Segment], pos: float, at: float) -> bool:
    """Whether a ruling at `pos` runs through the point `at` along it."""
    return any(abs(p - pos) <= _JOIN * 1.5 and s - _JOIN <= at <= e + _JOIN for p, s, e in segments)


def _grid_table(words: list[Word], grid: Grid) -> Table:
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
