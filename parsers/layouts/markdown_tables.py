"""Layout "markdown-tables": a state of play in `| key objective | actions and next steps |` tables.

The seed is a PDF-to-markdown dump (its pipe tables are `Table` blocks of the text reader); the same
tables from PDF, DOCX or HTML are read the same way, from their cells. The cells hold prose. The left
column carries fragments of the key objective ("Implementation of the", "Pact on Migration and
Asylum") and the extraction sometimes splits a heading across the two cells
("Ти | nisia: key steps", "v | Vestern Balkans", "N | EXT STEPS"). Short cells without a full stop are
sub-headings: "X: key steps" names the country of what follows, "NEXT STEPS" marks it as planned, route
headings ("Eastern Mediterranean") reset the country. Rows continuing a sentence across a page break are
joined: a row starting in lower case, after a row ending on a connector, or after a row as wide as the
document's wrapped rows that stops without a full stop ("… Humanitarian Admission" + "Plan 2026-2027 to be
adopted …"), unless the new row opens a sentence, an item or a heading. Every dated mention in the prose
becomes an event (see `parsers.sentences`).
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
# a topic heading in sentence case run into its cell's text: "Visa facilitation In response to …"
_RUN_IN = re.compile(
    r"^(?P<head>[A-Z][\w'’/-]*(?:\s+[a-z][\w'’/-]*){0,4})\s+"
    r"(?=(?:In|On|The|A|An|As|At|Since|Following|After|During|Under)\s+\S)"
)
_FULL = 0.9  # a row at least this share of the wrap width filled its line
# what opens a sentence or an item, not the rest of a name or phrase cut by the wrap: a marker, a bracket,
# a label ("Union of Skills: …"), or a determiner, pronoun, preposition or sentence adverb
_OPENS = re.compile(
    r"^(?:[^\w]|[^:.]{2,60}:\s|(?:the|a|an|this|these|that|those|it|its|their|there|such|some|all|each|both|"
    r"in|on|at|as|by|for|from|of|to|with|under|over|after|before|during|since|following|between|among|until|"
    r"while|when|where|if|however|also|further|furthermore|moreover|meanwhile|overall|and|or|but)\b)",
    re.I,
)


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
    doc = as_document(doc, document)
    reader = _Reader(wrap_width(doc))
    for block in doc.blocks:
        if isinstance(block, Table):
            for row, cells in _rows(block):
                reader.row(row, cells)
        else:
            reader.outside(block)
    return read_blocks(reader.blocks, document, today)


def _rows(table: Table) -> list[tuple[Row, list[str]]]:
    """Each row with its cells' text on the column grid."""
    laid = grid(table)
    return [
        (row, [squeeze(cell.text) if cell else "" for cell in cells])
        for row, cells in zip(table.rows, laid, strict=True)
    ]


def _text(cells: list[str]) -> str:
    """A row's content without its leading marker."""
    return re.sub(r"^[>»≻×۶]\s*", "", _content(cells))


def wrap_width(doc: Document) -> int | None:
    """The width at which the document's table cells wrap: the lower quartile of the lengths of the rows
    that a row starting in lower case demonstrably continues (longer ones are whole paragraphs whose last
    line wrapped); None when no row does."""
    widths: list[int] = []
    for table in (block for block in doc.blocks if isinstance(block, Table)):
        texts = [_text(cells) for _, cells in _rows(table)]
        widths += [len(text) for text, after in zip(texts, texts[1:], strict=False) if after[:1].islower()]
    return sorted(widths)[len(widths) // 4] if widths else None


class _Reader:
    """Walks the rows, keeping the current heading, its countries and the "next steps" context."""

    def __init__(self, width: int | None = None) -> None:
        self.width = width  # the document's wrap width: a row this wide may stop mid-sentence
        self.wrapped = False  # the previous row of the running cell was as wide as a wrapped row
        self.blocks: list[Block] = []
        self.countries: list[str] = []
        self.scope: list[str] = []  # the heading's countries, which a label's ("Bangladesh: …") give way to
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
        content = _text(cells)
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
                self.countries = self.scope = found or self.scope
            self.planned = False
            self.current = None
            content = key.group("rest").strip()
            if not content:
                return
        elif _is_heading(content) and not (self.current and ends_open(self.current.text)):
            self._heading(content)
            return
        run_in = _RUN_IN.match(content)
        if run_in and not ends_open(run_in.group("head")):
            self._heading(run_in.group("head"))
            content = content[run_in.end() :]
        label = _LABEL_COUNTRY.match(content)
        if label and heading_countries(label.group("name")):
            self.countries = heading_countries(label.group("name"))
        origin = row.origin
        wrapped, self.wrapped = self.wrapped, self.width is not None and len(content) >= _FULL * self.width
        if self.current is not None and _continues(self.current.text, content, wrapped):
            self.current.add(origin.line, content, origin.page)
            return
        self.current = Block(self.section, list(self.countries), self._processes(), self.planned)
        self.current.add(origin.line, content, origin.page)
        self.blocks.append(self.current)
        self.under_objective.append(self.current)

    def _heading(self, text: str) -> None:
        """A sub-heading: the section of the rows under it, its countries; a route heading resets them, and
        any other ends the scope of a label ("Bangladesh: …") above it."""
        self.section, found = _heading(text.strip(" :"))
        if found or _ROUTE.match(text.strip(" :")):
            self.scope, self.planned = found, False
        self.countries = list(self.scope)
        self.route = whole_heading_process(self.section) or self.route
        self.current = None

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


def _continues(previous: str, content: str, wrapped: bool = False) -> bool:
    """A row that carries on the previous row's sentence (after a page break or a wrapped cell): it starts
    in lower case, the previous row ends on a connector, or the previous row was as wide as a wrapped row
    and the new one does not open a sentence or an item ("… its 10-Point" + "Plan for Lampedusa …")."""
    if not previous or previous.endswith((".", "!", "?", ":")):
        return False
    if content[:1].islower() or ends_open(previous):
        return True
    return wrapped and not previous.endswith(";") and not _OPENS.match(content)
