"""iCalendar content lines written directly, character for character as ``icalendar`` 7 writes them.

A VEVENT's properties are few and of few types (TEXT, DATE, UTC DATE-TIME, INTEGER, URI, a CATEGORIES
list), so its lines are formatted here rather than through icalendar's per-property objects, which cost
most of a rendering. tests/test_render_fast.py compares every line with icalendar's on arbitrary values.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime


def escape_text(value: str) -> str:
    r"""TEXT escaping (RFC 5545 3.3.11) as icalendar does it, in its order: ``\N`` is read as a line
    break first, then backslashes, semicolons and commas are escaped and line breaks written as ``\n``."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def text_line(name: str, value: str) -> str:
    """A TEXT property: ``SUMMARY:a\\, b``. ``value`` must not start with U+FEFF (icalendar would drop it;
    ``feeds.text.clean_text`` drops every one)."""
    return f"{name}:{escape_text(value)}"


def categories_line(values: Iterable[str]) -> str:
    """CATEGORIES with each value escaped as TEXT, comma-separated."""
    return "CATEGORIES:" + ",".join(escape_text(value) for value in values)


def date_line(name: str, day: date) -> str:
    """A DATE property: ``DTSTART;VALUE=DATE:20250401``."""
    return f"{name};VALUE=DATE:{day.year:04}{day.month:02}{day.day:02}"


def utc_line(name: str, moment: datetime) -> str:
    """A DATE-TIME property in UTC (``moment`` must be in UTC): ``DTSTAMP:20250102T100000Z``."""
    return (
        f"{name}:{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"
    )
