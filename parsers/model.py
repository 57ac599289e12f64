"""The normalised event a parser produces, independent of any layout."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.dates import ParsedDate


@dataclass(frozen=True)
class Source:
    """Where an event was read: document file name, 1-based line (of the page, for paged formats),
    section heading, the raw text and the 1-based page when the format has pages (PDF)."""

    document: str
    line: int
    section: str | None
    raw: str = ""
    page: int | None = None


@dataclass
class ParsedEvent:
    """One event as read from one place in one document."""

    title: str
    date: ParsedDate
    source: Source
    description: str = ""
    location: str | None = None
    countries: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    # why each country is tagged: "section", "venue", "participant" (parsers.reasons)
    country_reasons: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ParsedDocument:
    """A document's metadata and its events, as one parser read them."""

    name: str
    layout: str
    title: str | None
    document_date: str | None  # ISO date
    events: list[ParsedEvent]
    warnings: list[str] = field(default_factory=list)
