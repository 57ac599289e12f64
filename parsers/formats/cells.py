"""What a table cell holds, in the document model: paragraphs and list items only."""

from __future__ import annotations

from parsers.blocks import Block, Cell, ListItem, Origin, Paragraph, Table


def cell_blocks(blocks: list[Block]) -> list[Paragraph | ListItem]:
    """Cell content as paragraphs and list items: headings become paragraphs, nested tables one per row."""
    out: list[Paragraph | ListItem] = []
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                text = " | ".join(cell.text.replace("\n", " ") for cell in row.cells)
                out.append(Paragraph(text, row.origin))
        elif isinstance(block, Paragraph | ListItem):
            out.append(block)
        else:
            out.append(Paragraph(block.text, block.origin))
    return out


def make_cell(blocks: list[Block], origin: Origin, rowspan: int = 1, colspan: int = 1) -> Cell:
    """A cell from its inner blocks; its text has one line per paragraph or list item."""
    inner = cell_blocks(blocks)
    return Cell("\n".join(block.text for block in inner), origin, inner, rowspan, colspan)
