"""Table rows laid out on the column grid, for layouts that read cells by column."""

from __future__ import annotations

from parsers.blocks import Cell, Table


def grid(table: Table) -> list[list[Cell | None]]:
    """Each row as one entry per grid column: a cell at its first column; columns covered by its colspan,
    or by the rowspan of a cell above, are None (DOCX and HTML leave merged cells out of later rows)."""
    out: list[list[Cell | None]] = []
    covered: dict[int, int] = {}  # column -> rows below still covered by a cell above
    for row in table.rows:
        line: list[Cell | None] = []
        queue = list(row.cells)
        column = 0
        while queue or any(rows > 0 for at, rows in covered.items() if at >= column):
            if covered.get(column, 0) > 0:
                covered[column] -= 1
                line.append(None)
                column += 1
                continue
            if not queue:
                line.append(None)
                column += 1
                continue
            cell = queue.pop(0)
            for k in range(cell.colspan):
                line.append(None if k else cell)
                if cell.rowspan > 1:
                    covered[column + k] = cell.rowspan - 1
            column += cell.colspan
        out.append(line)
    return out
