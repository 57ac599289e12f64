"""Text clean-up and human-readable date formatting for feed content.

Everything here returns plain ``str``; escaping is left to feeds/lines.py (as the ``icalendar`` library
escapes), folding to feeds/fold.py.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Characters RFC 5545 forbids in TEXT values (CONTROL = %x00-08 / %x0A-1F / %x7F), plus C1 controls and the
# Unicode line/paragraph separators, which some parsers (anything using str.splitlines) treat as line breaks.
# Newlines are handled separately (they are escaped as \n).
# U+FEFF (byte order mark / zero-width no-break space) is dropped: parsers strip it at value edges.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_DROP = re.compile("\ufeff")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# "tbc" style markers inside a date phrase, with optional surrounding brackets
_TBC = re.compile(
    r"[\(\[]?\s*\b(?:tbc|tbd|tba|to\s+be\s+(?:confirmed|determined|announced)|tentative(?:ly)?)\b\.?\s*[\)\]]?",
    re.IGNORECASE,
)


def clean_text(value: object, *, multiline: bool = False) -> str:
    """Make ``value`` safe to write as TEXT.

    Normalises line endings, replaces control characters (including the ones ``str.splitlines`` would
    break on) with spaces and lone surrogates (not encodable as UTF-8) with U+FFFD. With
    ``multiline=False`` the result is a single line with runs of whitespace collapsed.
    """
    if value is None:
        return ""
    text = str(value)
    if not text.isprintable():  # printable text holds no line break, tab, control, U+FEFF or surrogate
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        text = _CONTROL.sub(" ", text)
        text = _DROP.sub("", text)
        text = _SURROGATE.sub("\ufffd", text)
    if not multiline:
        return " ".join(text.split())
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def format_date(day: date) -> str:
    """``1 April 2025``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_window(start: date, end: date) -> str:
    """``1 April 2025`` for one day, ``1 April 2025 to 30 June 2025`` for a window."""
    if start == end:
        return format_date(start)
    return f"{format_date(start)} to {format_date(end)}"


def names_window(date_text: str, start: date, end: date) -> bool:
    """Whether a date as written states the window's first and last day itself: their day numbers, month
    names (or three-letter abbreviations) and years ("16 January 2019", "16-17 Jan. 2019", "30 June - 2 July
    2025"); "Q2 2025", "January 2019" or "16/01/2019" do not."""
    words = set(re.findall(r"[a-z]+|\d+", date_text.lower()))
    for day in (start, end):
        month = MONTHS[day.month - 1].lower()
        if str(day.day) not in words or str(day.year) not in words or not {month, month[:3]} & words:
            return False
    return True


def short_window(start: date, end: date) -> str:
    """Compact window label for titles: ``1–3 April 2025``, ``1 April – 30 June 2025``."""
    if start == end:
        return format_date(start)
    if start.year != end.year:
        return f"{format_date(start)} – {format_date(end)}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]} – {format_date(end)}"
    return f"{start.day}–{format_date(end)}"


def window_label(date_text: object, start: date, end: date, *, max_length: int = 40) -> str:
    """Label for the window in a marker title: the document's own phrase without its "tbc" marker
    (``Q2 2025 (tbc)`` -> ``Q2 2025``), or a compact formatted window when the phrase is missing or long."""
    label = _TBC.sub(" ", clean_text(date_text))
    label = " ".join(label.split()).strip(" ,;:-–—()[]")
    if not label or len(label) > max_length:
        return short_window(start, end)
    return label
