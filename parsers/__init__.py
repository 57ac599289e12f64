"""Pure document parsers: documents in, normalised events out (no database, no web).

`parse_document` reads a document of any supported format into the document model
(`parsers.formats`, `parsers.blocks`), detects its layout, reads its events and returns a `ParsedDocument`.
"""

from __future__ import annotations

import datetime as dt

from parsers.errors import DocumentError
from parsers.model import ParsedDocument, ParsedEvent, Source

__all__ = ["DocumentError", "ParsedDocument", "ParsedEvent", "Source", "parse_document"]


def parse_document(name: str, content: bytes | str, *, today: dt.date | None = None) -> ParsedDocument:
    """Read one document. `today` is the fallback reference date when the document states none."""
    # Imported here, not at the top: `import parsers.dates` (calendar-svc parse-date) stays fast.
    from parsers.context import (
        followed_up,
        part_processes,
        process_parts,
        route_plans,
        section_processes,
        tag_with,
    )
    from parsers.document import document_date, document_title
    from parsers.formats import read_document
    from parsers.layouts import LAYOUTS
    from parsers.reasons import tag_countries
    from parsers.text import hygiene

    doc = read_document(name, content)
    if not any(line.text.strip() for line in doc.lines()):
        raise DocumentError(name, "empty document")
    doc_date = document_date(doc)
    reference = doc_date or today or dt.date.today()
    warnings = list(doc.warnings)
    if doc_date is None:
        warnings.append(f"no document date found; dates resolved against {reference.isoformat()}")
    for layout in LAYOUTS:
        if layout.matches(doc):
            events = layout.parse(doc, name, reference)
            break
    else:
        raise DocumentError(name, "unrecognised layout")
    tag_with(events, followed_up(doc))
    parts = process_parts(doc)
    for event in events:
        event.title, event.description = hygiene(event.title), hygiene(event.description)
        event.location = hygiene(event.location or "") or None
        tag_countries(event)
        tag_with([event], section_processes(event.source.section) or part_processes(parts, event.source))
    route_plans(events)
    if layout.NAME == "prose":
        warnings.append("unrecognised layout, read as prose")
    if not events:
        raise DocumentError(name, f"no recognisable events (layout {layout.NAME})")
    return ParsedDocument(
        name=name,
        layout=layout.NAME,
        title=document_title(doc),
        document_date=doc_date.isoformat() if doc_date else None,
        events=events,
        warnings=warnings,
    )
