"""Layout "markdown-tables": a PDF-to-markdown dump of `| key objective | actions and next steps |` tables.

The cells hold prose. The left column carries fragments of the key objective ("Implementation of the",
"Pact on Migration and Asylum") and the extraction sometimes splits a heading across the two cells
("Ти | nisia: key steps", "v | Vestern Balkans", "N | EXT STEPS"). Short cells without a full stop are
sub-headings: "X: key steps" names the country of what follows, "NEXT STEPS" marks it as planned, route
headings ("Eastern Mediterranean") reset the country. Rows continuing a sentence across a page break are
joined. Every dated mention in the prose becomes an event (see `parsers.sentences`).
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.headings import fuzzy_match
from parsers.model import ParsedEvent
from parsers.sentences import NEXT_STEPS, Block, read_blocks
from parsers.tagging import heading_countries, heading_process
from parsers.text import squeeze
from parsers.titles import ends_open

NAME = "markdown-tables"

_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE = re.compile(r"^\s*\|[\s:|-]*-{2,}[\s:|-]*\|\s*$")
_HTML = re.compile(r"</?(?:i|u|b|em|strong|sup|sub)>", re.I)
_MARKER = re.compile(r"^(?:[>»≻×۶•➢\]\-\d]|<i>></i>)$")
_KEY_STEPS = re.compile(r"^(?P<name>.{2,60}?):\s*key\s+steps\b\s*(?P<rest>.*)$", re.I)
_ROUTE = re.compile(
    r"^(?:central\s+mediterranean|eastern\s+mediterranean|western\s+mediterranean.*|migration\s+routes.*|"
    r"countries\s+of\s+origin|regional\s+actions|west\s+africa\s+regional\s+actions:?)$",
    re.I,
)
_LABEL_COUNTRY = re.compile(r"^[•>\s]*(?P<name>[A-Z][\w’' ]{2,30}):\s")


def matches(text: str) -> bool:
    """Markdown tables: many `| … |` rows and several `|---|` rules."""
    lines = text.splitlines()
    rows = sum(1 for line in lines if _ROW.match(line))
    rules = sum(1 for line in lines if _RULE.match(line))
    return rows >= 10 and rules >= 3 and rows >= len([x for x in lines if x.strip()]) // 2


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [squeeze(_HTML.sub("", cell)) for cell in inner.split("|")]


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


def parse(text: str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read every table cell of a markdown-table state of play."""
    blocks: list[Block] = []
    countries: list[str] = []
    section: str | None = None
    planned = False
    previous_rule = False
    current: Block | None = None
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        if _RULE.match(raw):
            previous_rule = True
            continue
        if not _ROW.match(raw):
            line = squeeze(raw)
            if len(line) > 80:  # a footnote or a paragraph outside the tables
                block = Block(section, list(countries), [], False)
                block.add(number, line)
                blocks.append(block)
            current = None if line else current
            continue
        cells = _cells(raw)
        content = _content(cells)
        is_header = previous_rule is False and _is_table_start(lines, number)
        previous_rule = False
        if is_header and cells and len(cells[0]) > 3 and not _MARKER.match(cells[0]) and len(cells) > 1:
            planned = False  # a new key-objective table
        if not content:
            continue
        content = re.sub(r"^[>»≻×۶]\s*", "", content)
        next_steps = NEXT_STEPS.match(content)
        if next_steps:
            planned = True
            content = content[next_steps.end() :].strip(" :")
            current = None
            if not content:
                continue
        key = _KEY_STEPS.match(content)
        if key:
            section, found = _heading(key.group("name"))
            if found or not _ROUTE.match(key.group("name")):
                countries = found or countries
            planned = False
            current = None
            content = key.group("rest").strip()
            if not content:
                continue
        elif _is_heading(content) and not (current and ends_open(current.text)):
            section, found = _heading(content.strip(" :"))
            if found:
                countries, planned = found, False
            elif _ROUTE.match(content.strip(" :")):
                countries, planned = [], False
            current = None
            continue
        label = _LABEL_COUNTRY.match(content)
        if label and heading_countries(label.group("name")):
            countries = heading_countries(label.group("name"))
        process = heading_process(section or "")
        if current is not None and _continues(current.text, content):
            current.add(number, content)
            continue
        current = Block(section, list(countries), [process] if process else [], planned)
        current.add(number, content)
        blocks.append(current)
    return read_blocks(blocks, document, today)


def _heading(text: str) -> tuple[str, list[str]]:
    """A heading's readable name and countries ("Тиnisia" -> ("Tunisia", ["TN"]))."""
    name = squeeze(text)
    found = heading_countries(name)
    if found:
        return name, found
    fuzzy = fuzzy_match(name)
    return (fuzzy[0], fuzzy[1]) if fuzzy else (name, [])


def _is_table_start(lines: list[str], number: int) -> bool:
    """True when the row at 1-based `number` is the first row of a table (followed by a rule)."""
    return number < len(lines) and bool(_RULE.match(lines[number])) and (
        number < 2 or not _ROW.match(lines[number - 2])
    )


def _continues(previous: str, content: str) -> bool:
    """A row that carries on the previous row's sentence (after a page break or a wrapped cell)."""
    if not previous or previous.endswith((".", "!", "?", ":")):
        return False
    return content[:1].islower() or ends_open(previous)
