"""Layout "action-file": a Council action file exported as tab-separated rows with HTML inside the cells.

Columns: Action | Lead actor(s) | Status | Way ahead incl. timeline | Comments. The header row repeats on
every page; a row broken by a page break continues on the next page in a row whose leading cells are
empty, often mid-sentence, so continuation rows are appended cell by cell to the row they continue.
Cells are HTML (`<ul><li>…</li></ul>`, `<p><b>…</b></p>`) read with the standard `html.parser`; every list
item or paragraph is one block. The action ("4. Continue cooperation with Türkiye …") is the section and
gives the countries; items of the "Way ahead" column are planned unless they report something done.
Dates such as `23/11/2023`, `8/7/2024`, `29/11`, `EUCO 17/4` are read by `parsers.dates`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from parsers.model import ParsedEvent
from parsers.sentences import Block, read_blocks
from parsers.tagging import countries_in, processes_in
from parsers.text import squeeze

NAME = "action-file"

_HEADER = re.compile(r"^\s*Action\tLead actor", re.I)
_WAY_AHEAD, _COMMENTS = 3, 4


def matches(text: str) -> bool:
    """A tab-separated table whose header row "Action / Lead actor(s) / Status / Way ahead" repeats."""
    return len(re.findall(r"^Action\tLead actor\(s\)\tStatus\tWay ahead", text, re.M)) >= 2


class _CellReader(HTMLParser):
    """Splits one HTML cell into its paragraphs and list items, as plain text."""

    _BREAKS = frozenset({"p", "li", "br", "ul", "ol", "div", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.items.append("")

    def handle_data(self, data: str) -> None:
        self.items[-1] += data


def cell_items(cell: str) -> list[str]:
    """The paragraphs / list items of an HTML cell ("- " list dashes and "[REDACTED]" removed)."""
    reader = _CellReader()
    reader.feed(cell)
    reader.close()
    items = [squeeze(item.replace("[REDACTED]", " ")) for item in reader.items]
    out: list[str] = []
    for item in items:
        # some cells hold several "- " items in one paragraph: "… April 2025. - CEPOL has …"
        for piece in re.split(r"(?:^|(?<=[.;]))\s*-\s+(?=[A-Z])", item):
            piece = piece.strip(" -")
            if piece:
                out.append(piece)
    return out


@dataclass
class _Cell:
    pieces: list[tuple[int, str]] = field(default_factory=list)  # (line, raw HTML)


@dataclass
class _Row:
    line: int
    cells: list[_Cell]


def _rows(text: str) -> tuple[list[_Row], list[tuple[int, str]]]:
    """The table rows (continuations merged) and the prose lines outside the table."""
    rows: list[_Row] = []
    prose: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if _HEADER.match(raw):
            continue
        if "\t" not in raw:
            if raw.strip():
                prose.append((number, raw))
            continue
        parts = raw.split("\t")
        parts += [""] * (5 - len(parts))
        filled = [i for i, part in enumerate(parts) if _plain(part)]
        if not filled:
            continue
        if rows and (filled[0] > 0 or _continues_action(rows[-1], parts)):
            row = rows[-1]
            for index, part in enumerate(parts[:5]):
                if _plain(part):
                    row.cells[index].pieces.append((number, part))
            continue
        rows.append(_Row(number, [_Cell([(number, part)] if _plain(part) else []) for part in parts[:5]]))
    return rows, prose


def _plain(html: str) -> str:
    return squeeze(" ".join(cell_items(html)))


def _continues_action(previous: _Row, parts: list[str]) -> bool:
    """A row whose first cell finishes the previous action's title ("infrastructure and equipment.")."""
    first = _plain(parts[0])
    if not first or re.match(r"^(?:[IVX]+\.|\d+\.)", first):
        return False
    if first[:1].islower():
        return True
    title = " ".join(_plain(html) for _, html in previous.cells[0].pieces)
    alone = not any(_plain(p) for p in parts[1:])
    return alone and bool(title) and not title.endswith((".", ":"))


def parse(text: str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read the cover note and every row of an action file."""
    rows, prose = _rows(text)
    blocks: list[Block] = []
    for number, line in prose:
        line = squeeze(re.sub(r"[*_#]+", " ", line))
        if len(line) > 60 and not re.match(r"^(?:This is a paper|\[)", line):
            block = Block(None, countries_in(line), [], False)
            block.add(number, line)
            blocks.append(block)
    heading: str | None = None
    for row in rows:
        action = squeeze(" ".join(" ".join(cell_items(html)) for _, html in row.cells[0].pieces))
        if action and not any(c.pieces for c in row.cells[1:]) and re.match(r"^[IVX]+\.", action):
            heading = action
            continue
        section = action or heading
        countries = countries_in(action) if action else []
        processes = processes_in(action) if action else []
        for column in (_WAY_AHEAD, _COMMENTS):
            blocks.extend(_cell_blocks(row.cells[column], section, countries, processes, column))
    return read_blocks(blocks, document, today)


def _cell_blocks(cell: _Cell, section: str | None, countries: list[str], processes: list[str],
                 column: int) -> list[Block]:
    """One block per list item or paragraph; an item cut by a page break continues in the next piece."""
    blocks: list[Block] = []
    for index, (line, html) in enumerate(cell.pieces):
        items = cell_items(html)
        for position, item in enumerate(items):
            if index > 0 and position == 0 and blocks and not re.search(r"[.!?]$", blocks[-1].text):
                blocks[-1].add(line, item)
                continue
            planned, reported = column == _WAY_AHEAD, column == _COMMENTS
            block = Block(section, list(countries), list(processes), planned, reported)
            block.add(line, item)
            blocks.append(block)
    return blocks
