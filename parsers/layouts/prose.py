"""Layout "prose": the fallback for any text no other layout recognises.

Paragraphs are the document's paragraphs (blank-line separated in text dumps; a double-spaced
extraction gives one-line paragraphs); headings, and one-line short paragraphs without final
punctuation, are section headings, and country headings give the countries. Every sentence is read
by the shared extractor (`parsers.sentences`). `parse_document` adds a warning when this layout is used.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.blocks import Document
from parsers.dates import find_dates
from parsers.formats.text import as_document
from parsers.model import ParsedEvent
from parsers.paragraphs import block_of, heading_country_codes, is_heading, paragraphs
from parsers.sentences import Block, read_blocks
from parsers.text import squeeze

NAME = "prose"


def matches(doc: Document | str) -> bool:
    """Any document with some text."""
    return any(line.text.strip() for line in as_document(doc).lines())


def _dateline(line: str) -> bool:
    """A line that only dates the document ("Brussels, 3 February 2025")."""
    rest = line
    for match in reversed(find_dates(line)):
        rest = rest[: match.start] + rest[match.end :]
    return rest != line and len(re.findall(r"[A-Za-z]{2,}", rest)) <= 2


def parse(doc: Document | str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read every paragraph's sentences."""
    blocks: list[Block] = []
    section: str | None = None
    countries: list[str] = []
    for paragraph in paragraphs(as_document(doc, document), page_breaks=False):
        joined = paragraph.text
        if len(paragraph.lines) == 1 and _dateline(joined):
            continue
        short = len(paragraph.lines) == 1 and is_heading(joined, max_len=70) and len(joined.split()) <= 10
        if paragraph.lines[0].heading or short:
            section = squeeze(joined).strip(" :#*")
            countries = heading_country_codes(section)
            continue
        if blocks and not blocks[-1].text.endswith((".", "!", "?", ":", ";")) and joined[:1].islower():
            for line in paragraph.lines:
                blocks[-1].add(line.number, line.text, line.page)
            continue
        blocks.append(block_of(paragraph.lines, section, countries))
    return read_blocks(blocks, document, today)
