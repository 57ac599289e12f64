"""Layout "markdown-tables": a state of play in `| key objective | actions and next steps |` tables.

The seed is a PDF-to-markdown dump (its pipe tables are `Table` blocks of the text reader); the same
tables from PDF, DOCX or HTML are read the same way, from their cells. The cells hold prose. The left
column carries fragments of the key objective ("Implementation of the", "Pact on Migration and
Asylum") and the extraction sometimes splits a heading across the two cells
("Ти | nisia: key steps", "v | Vestern Balkans", "N | EXT STEPS"). Short cells without a full stop are
sub-headings: "X: key steps" names the country of what follows, "NEXT STEPS" marks it as planned, route
headings ("Eastern Mediterranean") reset the country. Rows continuing a sentence across a page break are
joined. Every dated mention in the prose becomes an event (see `parsers.sentences`).
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.blocks import Document, Heading, ListItem, Paragraph, Row, Table, block_lines
from parsers.catalogue import whole_heading_process
from parsers.formats.text import as_document
from parsers.grid import grid
from parsers.headings import fuzzy_match
from parsers.model import ParsedEvent
from parsers.sentences import NEXT_STEPS, Block, read_blocks
from parsers.tagging import heading_countries, heading_process, processes_in
from parsers.text import squeeze
from parsers.titles import ends_open

NAME = "markdown-tables"

_MARKER = re.compile(r"^[>»≻×۶•➢\]\-\d]$")
_KEY_STEPS = re.compile(r"^(?P<name>.{2,60}?):\s*key\s+steps\b\s*(?P<rest>.*)$", re.I)
_ROUTE = re.compile(
    r"^(?:central\s+mediterranean|eastern\s+mediterranean|western\s+mediterranean.*|migration\s+routes.*|"
    r"countries\s+of\s+origin|regional\s+actions|west\s+africa\s+regional\s+actions:?)$",
    re.I,
)
_LABEL_COUNTRY = re.compile(r"^[•>\s]*(?P<name>[A-Z][\w’' ]{2,30}):\s")


def matches(doc: Document | str) -> bool:
    """Several tables (>= 3, >= 10 rows) that hold at least half of the document's lines."""
    doc = as_document(doc)
    tables = [block for block in doc.blocks if isinstance(block, Table)]
    rows = sum(len(table.rows) for table in tables)
    other = sum(1 for block in doc.blocks if not isinstance(block, Table) for _ in block_lines(block))
    return len(tables) >= 3 and rows >= 10 and rows >= other


def _content(cells: list[str]) -> str:
    """The text of a row: the right-hand column, with headings split across cells re-joined."""
    cells = [c for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    if not cells:
        return ""
    if len(cells) == 1:
        return cells[0]
    first, rest = cells[0], " ".join(c for c in cells[1:] if c)
    if not rest:
        return first
    if _MARKER.match(first) or not first:
        return rest
    if len(first) <= 3 and rest[:1].islower():
        return first + rest  # "Ти" + "nisia: key steps", "N" + "EXT STEPS"
    if len(first) <= 3:
        return rest  # "v | Vestern Balkans": the stray letter is the heading's lost first letter
    return rest  # the left column holds the key objective, not the events


def _is_heading(text: str) -> bool:
    if not text or len(text) > 90 or text.endswith((".", ",", ";")) or text[:1].islower():
        return False
    if text.startswith(("•", "➢", "≻")):
        return False
    if re.search(r"\b(?:19|20)\d\d\b|\(\d", text):
        return False
    return len(text.split()) <= 12


def parse(doc: Document | str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read every table cell of a state of play in tables (and long paragraphs between the tables)."""
    reader = _Reader()
    for block in as_document(doc, document).blocks:
        if isinstance(block, Table):
            for row, cells in zip(block.rows, grid(block), strict=True):
                reader.row(row, [squeeze(cell.text) if cell else "" for cell in cells])
        else:
            reader.outside(block)
    return read_blocks(reader.blocks, document, today)


class _Reader:
    """Walks the rows, keeping the current heading, its countries and the "next steps" context."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.countries: list[str] = []
        self.section: str | None = None
        self.planned = False
        self.left = False  # the previous row had a key objective (fragment) in its left column
        self.objective = ""  # the key objective's text, from its fragments in the left column
        self.under_objective: list[Block] = []  # the blocks read since the key objective began
        self.route: str | None = None  # the process of the route heading the rows are under
        self.current: Block | None = None

    def outside(self, block: Heading | Paragraph | ListItem) -> None:
        """Text outside the tables: long lines (footnotes, paragraphs) are read, and end a running cell."""
        for line in block_lines(block):
            text = squeeze(line.text)
            if len(text) > 80:
                new = Block(self.section, list(self.countries), [], False)
                new.add(line.origin.line, text, line.origin.page)
                self.blocks.append(new)
        self.current = None

    def row(self, row: Row, cells: list[str]) -> None:
        """One row; a key objective starting in the left column (after rows without one) opens a new
        context, wherever the format put the table's boundaries (page breaks in a PDF)."""
        # a cell spanning the whole row (a one-column table a PDF joined to the table above) is content
        whole = len(row.cells) == 1 and row.cells[0].colspan >= len(cells)
        label = len(cells) > 1 and len(cells[0]) > 3 and not _MARKER.match(cells[0]) and not whole
        if label and not self.left:
            self.planned = False  # a new key objective: not "next steps" any more
            self.objective, self.route, self.under_objective = "", None, []
        if label:
            self.objective = squeeze(f"{self.objective} {cells[0]}")
            for block in self.under_objective:  # its first fragments came with rows already read
                block.processes += [p for p in processes_in(self.objective) if p not in block.processes]
        self.left = label
        content = re.sub(r"^[>»≻×۶]\s*", "", _content(cells))
        if not content:
            return
        next_steps = NEXT_STEPS.match(content)
        if next_steps:
            self.planned = True
            content = content[next_steps.end() :].strip(" :")
            self.current = None
            if not content:
                return
        key = _KEY_STEPS.match(content)
        if key:
            self.section, found = _heading(key.group("name"))
            if found or not _ROUTE.match(key.group("name")):
                self.countries = found or self.countries
            self.planned = False
            self.current = None
            content = key.group("rest").strip()
            if not content:
                return
        elif _is_heading(content) and not (self.current and ends_open(self.current.text)):
            self.section, found = _heading(content.strip(" :"))
            if found:
                self.countries, self.planned = found, False
            elif _ROUTE.match(content.strip(" :")):
                self.countries, self.planned = [], False
            self.route = whole_heading_process(self.section) or self.route
            self.current = None
            return
        label = _LABEL_COUNTRY.match(content)
        if label and heading_countries(label.group("name")):
            self.countries = heading_countries(label.group("name"))
        origin = row.origin
        if self.current is not None and _continues(self.current.text, content):
            self.current.add(origin.line, content, origin.page)
            return
        self.current = Block(self.section, list(self.countries), self._processes(), self.planned)
        self.current.add(origin.line, content, origin.page)
        self.blocks.append(self.current)
        self.under_objective.append(self.current)

    def _processes(self) -> list[str]:
        """The processes of the context: the key objective's ("Implementation of the Pact on Migration
        and Asylum"), the route heading's ("Central Mediterranean") and the section heading's."""
        found = processes_in(self.objective) + ([self.route] if self.route else [])
        section = heading_process(self.section or "")
        return list(dict.fromkeys(found + ([section] if section else [])))


def _heading(text: str) -> tuple[str, list[str]]:
    """A heading's readable name and countries ("Тиnisia" -> ("Tunisia", ["TN"]))."""
    name = squeeze(text)
    found = heading_countries(name)
    if found:
        return name, found
    fuzzy = fuzzy_match(name)
    return (fuzzy[0], fuzzy[1]) if fuzzy else (name, [])


def _continues(previous: str, content: str) -> bool:
    """A row that carries on the previous row's sentence (after a page break or a wrapped cell)."""
    if not previous or previous.endswith((".", "!", "?", ":")):
        return False
    return content[:1].islower() or ends_open(previous)
