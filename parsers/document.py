"""Document metadata: the document's own date and title, detected from its first lines and headings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from parsers.blocks import Document, Heading, TextLine, block_lines
from parsers.dates import find_dates
from parsers.formats.text import as_document
from parsers.text import squeeze

# Registry stamps and reference numbers carry dates that are not the document's date.
_NOT_DOCUMENT_DATE = re.compile(r"Ares\s*\(|Ref\.|COM\s*\(|SWD\s*\(|OJ\s+[LC]\b", re.I)
_DATE_LINE = re.compile(
    r"^(?:(?:Brussels|Luxembourg|Strasbourg)\s*,\s*|European Commission\s*,\s*"
    r"|Council of the European Union\s*,?\s*)?"
    r"(?P<date>(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[A-Za-z]+\s+\d{4})\s*\.?$",
    re.I,
)
_HEAD_LINES = 80


def _head(doc: Document) -> list[tuple[TextLine, bool]]:
    """The document's first 80 lines from its first line of text (an HTML page's text may start far down
    its source, and lines broken by <br> share a source line), on its first page; each with whether it
    is a heading."""
    head: list[tuple[TextLine, bool]] = []
    for block in doc.blocks:
        for line in block_lines(block):
            first = head[0][0].origin if head else line.origin
            beyond = line.origin.line >= first.line + _HEAD_LINES or len(head) >= _HEAD_LINES
            if beyond or line.origin.page != first.page:
                return head
            head.append((line, isinstance(block, Heading)))
    return head


def document_date(doc: Document | str) -> dt.date | None:
    """The date a document states for itself ("14 SEPTEMBER 2021", "Brussels, 22 July 2024")."""
    doc = as_document(doc)
    lines = [squeeze(line.text) for line, _ in _head(doc)]
    candidates: list[tuple[int, dt.date]] = []
    for index, line in enumerate(lines):
        if not line or _NOT_DOCUMENT_DATE.search(line) or len(line) > 60:
            continue
        match = _DATE_LINE.match(line.strip("*_#| "))
        if not match:
            continue
        found = find_dates(match.group("date"), dt.date(2000, 1, 1))
        if len(found) == 1 and found[0].parsed.precision in ("day", "month"):
            parsed = found[0].parsed
            rank = 0 if parsed.precision == "day" else 1
            candidates.append((rank * 1000 + index, parsed.start if rank == 0 else parsed.end))
    if not candidates:
        return _latest_reported_date(line.text for line in doc.lines())
    return min(candidates)[1]


# Sentences reporting something as done or as a status at a date: "took place on 11 December 2023".
_REPORTED = re.compile(
    r"\b(?:took\s+place|was\s+held|were\s+held|as\s+of|was\s+signed|were\s+signed|was\s+adopted|were\s+adopted|"
    r"was\s+chaired|was\s+launched|were\s+launched|hosted|discussed|met)\b",
    re.I,
)
_FUTURE = re.compile(r"\b(?:will|shall|to\s+be|planned|expected|scheduled|next|upcoming|tbc)\b", re.I)


def _latest_reported_date(lines: Iterable[str]) -> dt.date | None:
    """For documents without a dateline (a letter, a communication): the latest full date the text
    reports as past ("took place on 11 December 2023", "As of 4 March 2024") stands for the writing date."""
    latest: dt.date | None = None
    flat = squeeze(" ".join(line for line in lines if not _NOT_DOCUMENT_DATE.search(line)))
    for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z•>])", flat):
        if not _REPORTED.search(sentence) or _FUTURE.search(sentence):
            continue
        for match in find_dates(sentence, dt.date(2000, 1, 1)):
            parsed = match.parsed
            if parsed.year_inferred or parsed.precision not in ("day", "days") or parsed.end is None:
                continue
            if latest is None or parsed.end > latest:
                latest = parsed.end
    return latest


def document_title(doc: Document | str) -> str | None:
    """The first substantial upper-case line or heading, as a readable title."""
    doc = as_document(doc)
    for raw, heading in _head(doc):
        line = squeeze(raw.text).strip("#*_| ")
        if len(line) >= 12 and (line.isupper() or heading):
            return line.title() if line.isupper() else line
    return None
