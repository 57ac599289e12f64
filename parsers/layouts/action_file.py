"""Layout "action-file": a Council action file, a table of Action | Lead actor(s) | Status | Way ahead
incl. timeline | Comments.

The seed is a tab-separated export with HTML inside the cells; the text reader turns it into `Table`
blocks whose cells hold paragraphs and list items, as a DOCX or HTML copy of the file gives them. The
header row repeats on every page; a row broken by a page break continues on the next page in a row whose
leading cells are empty, often mid-sentence, so continuation rows are appended cell by cell to the row
they continue. Every list item, paragraph or line of a cell is one block ("- " dashes and `[REDACTED]`
dropped). The action ("4. Continue cooperation with Türkiye …") is the section and gives the countries;
items of the "Way ahead" column are planned unless they report something done, "Comments" report.
A title that is a bare generic noun and its step ("Implementation started") takes its object from the
action ("5. Continue support for the establishment of the International Migration Cooperation Centre in
Istanbul" -> "Implementation of the International Migration Cooperation Centre in Istanbul started").
Dates such as `23/11/2023`, `8/7/2024`, `29/11`, `EUCO 17/4` are read by `parsers.dates`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from parsers.blocks import Cell, Document, Origin, Table, block_lines
from parsers.formats.text import as_document
from parsers.grid import grid
from parsers.model import ParsedEvent
from parsers.sentences import Block, read_blocks
from parsers.tagging import countries_in, processes_in
from parsers.text import squeeze

NAME = "action-file"

_COLUMNS = ("action", "lead actor", "status", "way ahead", "comments")
_REDACTED = re.compile(r"\[\s*RED\s*ACTED\s*\]")
# a generic noun and its step, naming nothing: "Implementation started", "Work continues"; or naming its
# object only by the action's word for it: "Implementation of the scheme"
_GENERIC = (
    r"(?P<noun>implementation|work|works|contracting|cooperation|engagement|support|funding|preparations?|"
    r"negotiations?|discussions?|deployment|construction|operations?)"
)
_STEP = (
    r"(?P<step>(?:has\s+|have\s+|is\s+|are\s+)?(?:started|begun|began|continues|continued|resumed|ongoing|"
    r"completed|finalised|finalized|launched|concluded|under\s+way|underway))"
)
_BARE = re.compile(rf"^{_GENERIC}\s+{_STEP}$", re.I)
_ANAPHORIC = re.compile(rf"^{_GENERIC}\s+(?:of|on|for)\s+the\s+(?P<head>[a-z]+)(?:\s+{_STEP})?$", re.I)
# what an action names: "the International Migration Cooperation Centre in Istanbul" (two or more
# capitalised words, with the place they are in)
_NAMED = re.compile(r"\bthe\s+(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+(?:\s+in\s+[A-Z][\w'’-]+)?)")
_OBJECT_PREPOSITION = {
    "work": "on", "works": "on", "cooperation": "on", "negotiation": "on", "negotiations": "on",
    "discussion": "on", "discussions": "on", "engagement": "on", "support": "for", "preparation": "for",
    "preparations": "for",
}
_ACTION_VERB = re.compile(r"^(?:[IVX]+\.|\d+\.)?\s*[A-Z][a-z]+(?:\s+(?:and|to)\s+[a-z]+)?\s+")


def _columns(cells: list[Cell | None]) -> dict[str, int] | None:
    """Column of each heading when the row is the action file's header row, else None."""
    names = [squeeze(cell.text).lower() if cell else "" for cell in cells]
    found = {key: next((k for k, name in enumerate(names) if name.startswith(key)), -1) for key in _COLUMNS}
    if found["action"] != 0 or min(found.values()) < 0 or names[0] != "action":
        return None
    return found


def matches(doc: Document | str) -> bool:
    """A table headed Action / Lead actor(s) / Status / Way ahead … / Comments, with rows under the header."""
    rows = [row for table in _tables(as_document(doc)) for row in _placed(table)]
    return any(_columns(row) is not None for row in rows) and any(_columns(row) is None for row in rows)


def _tables(doc: Document) -> list[Table]:
    """The action tables: from the first one headed by the action columns on."""
    tables = [block for block in doc.blocks if isinstance(block, Table)]
    start = next((k for k, t in enumerate(tables) if any(_columns(row) for row in grid(t))), len(tables))
    return tables[start:]


def _placed(table: Table) -> Iterator[list[Cell | None]]:
    """Each row's cells in the order of the columns: by position when the row has one cell per column
    (column edges found on a PDF page may give spans that do not line up), else on the grid under the
    table's header row (merged cells of DOCX and HTML)."""
    laid = grid(table)
    header = next((found for cells in laid if (found := _columns(cells))), None)
    columns = list(header.values()) if header else list(range(len(_COLUMNS)))
    for row, cells in zip(table.rows, laid, strict=True):
        if len(row.cells) == len(_COLUMNS):
            yield list(row.cells)
        else:
            yield [cells[k] if k < len(cells) else None for k in columns]


def cell_items(cell: Cell | None) -> list[str]:
    """The paragraphs and list items of a cell ("- " list dashes and "[REDACTED]" removed)."""
    out: list[str] = []
    for block in cell.blocks if cell else []:
        # some cells hold several "- " items in one paragraph: "… April 2025. - CEPOL has …"
        item = squeeze(_REDACTED.sub(" ", block.text))
        for piece in re.split(r"(?:^|(?<=[.;]))\s*-\s+(?=[A-Z])", item):
            piece = piece.strip(" -")
            if piece:
                out.append(piece)
    return out


@dataclass
class _Row:
    origin: Origin
    cells: list[list[tuple[Origin, list[str]]]]  # per column: the pieces (where, items) of the cell


def _rows(doc: Document) -> list[_Row]:
    """The table rows, continuations merged, in the column order of _COLUMNS."""
    rows: list[_Row] = []
    for table in _tables(doc):
        for cells in _placed(table):
            if _columns(cells) is not None:
                continue  # the header row, repeated on every page
            origin = next((cell.origin for cell in cells if cell), table.origin)
            parts = [cell_items(cell) for cell in cells]
            filled = [k for k, items in enumerate(parts) if items]
            if not filled:
                continue
            if rows and (filled[0] > 0 or _continues_action(rows[-1], parts)):
                row = rows[-1]
                for k, items in enumerate(parts):
                    if items:
                        row.cells[k].append((origin, items))
                continue
            rows.append(_Row(origin, [[(origin, items)] if items else [] for items in parts]))
    return rows


def _continues_action(previous: _Row, parts: list[list[str]]) -> bool:
    """A row whose first cell finishes the previous action's title ("infrastructure and equipment.")."""
    first = " ".join(parts[0])
    if not first or re.match(r"^(?:[IVX]+\.|\d+\.)", first):
        return False
    if first[:1].islower():
        return True
    title = " ".join(" ".join(items) for _, items in previous.cells[0])
    alone = not any(parts[1:])
    return alone and bool(title) and not title.endswith((".", ":"))


def parse(doc: Document | str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read the cover note and every row of an action file."""
    doc = as_document(doc, document)
    blocks: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            continue
        for line in block_lines(block):
            text = squeeze(re.sub(r"[*_#]+", " ", line.text))
            if len(text) > 60 and not re.match(r"^(?:This is a paper|\[)", text):
                prose = Block(None, countries_in(text), [], False)
                prose.add(line.origin.line, text, line.origin.page)
                blocks.append(prose)
    heading: str | None = None
    for row in _rows(doc):
        action = squeeze(" ".join(" ".join(items) for _, items in row.cells[0]))
        if action and not any(row.cells[1:]) and re.match(r"^[IVX]+\.", action):
            heading = action
            continue
        section = action or heading
        countries = countries_in(action) if action else []
        processes = processes_in(action) if action else []
        for column in (3, 4):
            blocks.extend(_cell_blocks(row.cells[column], section, countries, processes, column == 3))
    return [_with_object(event) for event in read_blocks(blocks, document, today)]


def _with_object(event: ParsedEvent) -> ParsedEvent:
    """A bare generic title names the thing its action is about: "Implementation started" -> "Implementation
    of the International … Centre in Istanbul started"; "Implementation of the scheme" -> "Implementation of
    the temporary scheme of short-stay tourist visits …" (the action's phrase for the scheme)."""
    action = event.source.section or ""
    bare = _BARE.match(event.title) or _ANAPHORIC.match(event.title)
    if not bare or not _ACTION_VERB.match(action):
        return event
    noun, step = bare.group("noun"), bare.group("step")
    head = bare.groupdict().get("head")
    thing = _action_phrase(action, head) if head else _action_object(action)
    if not thing:
        return event
    title = f"{noun} {_OBJECT_PREPOSITION.get(noun.lower(), 'of')} {thing}" + (f" {step}" if step else "")
    return dataclasses.replace(event, title=title)


def _action_phrase(action: str, head: str) -> str:
    """The action's noun phrase for `head` with its complement ("the temporary scheme of short-stay tourist
    visits from certain Turkish areas to Greece"), when the action says more than "the <head>"."""
    complement = r"(?:\s+(?:of|for|on|from|to|in|with)\s+[^,;]+)?"
    found = re.search(rf"\bthe\s+((?:[\w'’-]+\s+){{0,4}}?{re.escape(head)}\b{complement})", action)
    return f"the {found.group(1).rstrip(' .')}" if found and found.group(1) != head else ""


def _action_object(action: str) -> str:
    """What an action is about: the last name it gives ("the International Migration Cooperation Centre
    in Istanbul"), else its words after the verb ("border management capacities at Türkiye's borders")."""
    names = list(_NAMED.finditer(action))
    if names:
        return f"the {names[-1].group('name')}"
    return _ACTION_VERB.sub("", action).rstrip(" .")


def _cell_blocks(pieces: list[tuple[Origin, list[str]]], section: str | None, countries: list[str],
                 processes: list[str], way_ahead: bool) -> list[Block]:
    """One block per item; an item cut by a page break continues in the next piece."""
    blocks: list[Block] = []
    for index, (origin, items) in enumerate(pieces):
        for position, item in enumerate(items):
            if index > 0 and position == 0 and blocks and not re.search(r"[.!?]$", blocks[-1].text):
                blocks[-1].add(origin.line, item, origin.page)
                continue
            block = Block(section, list(countries), list(processes), way_ahead, not way_ahead)
            block.add(origin.line, item, origin.page)
            blocks.append(block)
    return blocks
