"""RFC 5545 line folding, byte for byte as ``icalendar`` folds, without its per-character loop.

icalendar 7 folds a content line before any character that would bring the line to 75 octets or more
(so a line is at most 74 octets, CRLF excluded), never inside a UTF-8 sequence, and moves a trailing
backslash or caret to the next line so that an escape is not split (tests/test_feeds_fold.py compares this
with icalendar's own folding on arbitrary text).
"""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Component

LIMIT = 74  # octets a folded line keeps, CRLF excluded
_ESCAPES = frozenset(b"\\^")


def fold_line(line: str) -> bytes:
    """One unfolded content line as folded UTF-8 bytes, without the final CRLF."""
    data = line.encode()
    if len(data) <= LIMIT:
        return data
    parts = []
    start = 0
    while len(data) - start > LIMIT:
        cut = start + LIMIT
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        if data[cut - 1] in _ESCAPES:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def lines_bytes(lines: Iterable[str]) -> bytes:
    """Unfolded content lines as folded UTF-8 bytes, each ending in CRLF (empty ones left out)."""
    return b"".join(fold_line(line) + b"\r\n" for line in lines if line)


def component_bytes(component: Component) -> bytes:
    """``component.to_ical()`` with the folding above."""
    return lines_bytes(component.content_lines())
