"""Layout "prose": the fallback for any text no other layout recognises.

Paragraphs are separated by blank lines (double-spaced extractions are read as one stream); short lines
without final punctuation are headings and country headings give the countries. Every sentence is read
by the shared extractor (`parsers.sentences`). `parse_document` adds a warning when this layout is used.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.dates import find_dates
from parsers.model import ParsedEvent
from parsers.paragraphs import block_of, heading_country_codes, is_heading, paragraphs
from parsers.sentences import Block, read_blocks
from parsers.text import squeeze

NAME = "prose"


def matches(text: str) -> bool:
    """Any text with some content."""
    return bool(text.strip())


def _dateline(line: str) -> bool:
    """A line that only dates the document ("Brussels, 3 February 2025")."""
    rest = line
    for match in reversed(find_dates(line)):
        rest = rest[: match.start] + rest[match.end :]
    return rest != line and len(re.findall(r"[A-Za-z]{2,}", rest)) <= 2


def parse(text: str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read every paragraph's sentences."""
    blocks: list[Block] = []
    section: str | None = None
    countries: list[str] = []
    for paragraph in paragraphs(text, page_breaks=False):
        joined = paragraph.text
        if len(paragraph.lines) == 1 and _dateline(joined):
            continue
        if len(paragraph.lines) == 1 and is_heading(joined, max_len=70) and len(joined.split()) <= 10:
            section = squeeze(joined).strip(" :#*")
            countries = heading_country_codes(section)
            continue
        if blocks and not blocks[-1].text.endswith((".", "!", "?", ":", ";")) and joined[:1].islower():
            for line in paragraph.lines:
                blocks[-1].add(line.number, line.text)
            continue
        blocks.append(block_of(paragraph.lines, section, countries))
    return read_blocks(blocks, document, today)
