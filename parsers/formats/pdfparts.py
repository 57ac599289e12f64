"""The pieces a PDF page is read into: lines of words, and tables of cells before they become blocks.

Also what tables need wherever they are built or joined: continued rows merged, cells put on the
table's columns, two tables brought onto the same columns.
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field

from parsers.formats.pdfpage import Word

_MARKER = re.compile(r"^(?:[•·▪▫◦‣○●■□➢►▶✓–—\-*>o\uf020-\uf0ff]|\(?(?:\d{1,2}|[ivx]{1,4}|[a-z])[.)])$")


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
