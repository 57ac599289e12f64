"""Title terms: the (title word, month) pairs an event is filed under for identity matching.

A mention can only match a stored event that shares a word of its canonical title and lies near its
dates (calendar_svc.identity.match_score). Filing every event under each word of its title and each
month its window covers (a window longer than LONG_MONTHS under ANY_MONTH: near every date) lets a
merge find those events with index lookups, in memory (calendar_svc.ingest._Pool) and in the store
(`event_terms`, kept in step with the events by calendar_svc.models), however large the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

LONG_MONTHS = 24
#: the month a window longer than LONG_MONTHS is filed under
ANY_MONTH = -1


def month(day: dt.date) -> int:
    """Months since year 0: consecutive months are consecutive numbers."""
    return day.year * 12 + day.month - 1


def months_filed(start: dt.date, end: dt.date) -> Iterable[int]:
    """The months an event with this window is filed under."""
    first, last = month(start), month(end)
    return (ANY_MONTH,) if last - first > LONG_MONTHS else range(first, last + 1)


def months_looked_up(low: dt.date, high: dt.date) -> Iterable[int]:
    """The months a mention searching [low, high] looks under: every month of it, and ANY_MONTH."""
    return (ANY_MONTH, *range(month(low), month(high) + 1))


def terms(key: str, start: dt.date, end: dt.date) -> set[tuple[str, int]]:
    """The (word, month) pairs an event with this canonical title and window is filed under."""
    months = list(months_filed(start, end))
    return {(word, filed) for word in set(key.split()) for filed in months}
