"""Tags a whole document gives its events: the plan it says it follows up."""

from __future__ import annotations

import re

from parsers.blocks import Document
from parsers.catalogue import processes_in
from parsers.model import ParsedEvent
from parsers.text import squeeze

_HEAD_LINES = 60
# "Action File to follow up on the EU action plan for the Eastern Mediterranean route",
# "follow-up to the Joint Valletta Action Plan", "following up the ..."
_FOLLOW_UP = re.compile(
    r"\bfollow(?:s|ing|ed)?[\s-]+up\s+(?:(?:on|to|of)\s+)?(?P<what>[^.;:\n]{5,160})", re.I
)


def followed_up(doc: Document) -> list[str]:
    """Processes the document says, in its first lines, that it follows up (its subject or title)."""
    found: list[str] = []
    for line in list(doc.lines())[:_HEAD_LINES]:
        for match in _FOLLOW_UP.finditer(squeeze(line.text)):
            for slug in processes_in(match.group("what")):
                if slug not in found:
                    found.append(slug)
    return found


def tag_with(events: list[ParsedEvent], slugs: list[str]) -> None:
    """Add the document's processes to every event (after the event's own)."""
    for event in events:
        event.processes += [slug for slug in slugs if slug not in event.processes]
