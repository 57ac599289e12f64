"""A document's paragraphs and lines for the prose layouts: headings, page furniture, wrapped lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from parsers.blocks import Document, Heading, Table, TextLine, block_lines
from parsers.dates import find_dates
from parsers.grid import grid
from parsers.headings import fuzzy_countries
from parsers.sentences import Block
from parsers.tagging import heading_countries
from parsers.text import is_furniture, squeeze

_TERMINAL = (".", "!", "?", ":", ";")
_NOISE_LINE = re.compile(
    r"^(?:https?://\S+|\d{1,3}|Ref\.\s*Ares.*|.*Ares\s*\(\d{4}\).*|Commission europ[ée]enne/.*|EUCO Letter|"
    r"Yours sincerely,?|Dear colleagues,?|Ursula von der Leyen|\*\s+This designation.*)$",
    re.I,
)


@dataclass
class Line:
    """A non-blank physical line of a document, where it came from, and whether it is a heading."""

    number: int
    text: str
    page: int | None = None
    heading: bool = False
    starts: bool = False  # the first line of its paragraph, list item or heading
    new_page: bool = False  # the first line after a page number (a page break, marked or not)


@dataclass
class Paragraph:
    lines: list[Line] = field(default_factory=list)
    column: str = ""  # in a table: the text atop the paragraph's column (its first row)

    @property
    def text(self) -> str:
        return squeeze(" ".join(line.text for line in self.lines))


def _units(document: Document) -> Iterator[tuple[list[TextLine], bool, str]]:
    """The document's paragraphs, headings and list items as (physical lines, is a heading, column); a
    table is read row by row, one unit per paragraph or list item of a cell, with its column's top text
    (a table of the previous one's width without a header row continues it, e.g. on the next page)."""
    tops: list[str] = []
    for block in document.blocks:
        if isinstance(block, Table):
            laid = grid(block)
            if laid and (block.rows[0].header or len(laid[0]) != len(tops)):
                tops = [squeeze(cell.text) if cell else "" for cell in laid[0]]
            for cells in laid:
                for k, cell in enumerate(cells):
                    for inner in cell.blocks if cell else []:
                        yield list(block_lines(inner)), False, tops[k] if k < len(tops) else ""
        else:
            yield list(block_lines(block)), isinstance(block, Heading), ""


def _kept(lines: list[TextLine], heading: bool) -> list[Line]:
    out = []
    for line in lines:
        text = line.text.rstrip()
        if text.strip() and not is_furniture(text) and not _NOISE_LINE.match(text.strip()):
            out.append(Line(line.origin.line, text, line.origin.page, heading, not out))
    return out


def text_lines(document: Document) -> list[Line]:
    """Non-blank lines in reading order, page furniture and links dropped; the line after a page number
    marks a new page."""
    out: list[Line] = []
    page_number = False
    for lines, heading, _ in _units(document):
        if len(lines) == 1 and _PAGE_NUMBER.match(lines[0].text):
            page_number = True
        for line in _kept(lines, heading):
            out.append(replace(line, new_page=page_number) if page_number else line)
            page_number = False
    return out


_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def paragraphs(document: Document, *, page_breaks: bool = True) -> list[Paragraph]:
    """The document's paragraphs (page furniture dropped); with `page_breaks`, a line indented by one
    space (where a text extraction resumes after a page break) also starts a paragraph."""
    out: list[Paragraph] = []
    for lines, heading, column in _units(document):
        current = Paragraph(column=column)
        for line in _kept(lines, heading):
            if page_breaks and current.lines and re.match(r"^ \S", line.text):
                out.append(current)
                current = Paragraph(column=column)
            current.lines.append(line)
        if current.lines:
            out.append(current)
    return out


def is_heading(text: str, *, max_len: int = 80) -> bool:
    """A short line without final punctuation that carries no day date (a section or country heading)."""
    text = squeeze(text)
    if not text or len(text) > max_len or text.endswith(_TERMINAL + (",",)) or text[:1].islower():
        return False
    if text.startswith(("•", ">", "➢", "-", "o ")):
        return False
    return not any(m.parsed.precision in ("day", "days") for m in find_dates(text))


def heading_country_codes(heading: str) -> list[str]:
    """The countries a heading names, tolerant of OCR damage; [] for a topic heading."""
    name = re.sub(r"^[\s\dIVX.()]+", "", squeeze(heading)).strip(" :")
    return heading_countries(name) or fuzzy_countries(name)


def block_of(lines: list[Line], section: str | None, countries: list[str], *, planned: bool = False,
             reported: bool = False) -> Block:
    """A block from physical lines, re-joining words hyphenated across lines."""
    block = Block(section, list(countries), [], planned, reported)
    for line in lines:
        block.add(line.number, line.text, line.page)
    return block


def ends_sentence(text: str) -> bool:
    return squeeze(text).endswith(_TERMINAL)
