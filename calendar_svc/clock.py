"""The injectable clock: every time-dependent decision asks a Clock, never the system directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The current time, timezone-aware UTC, truncated to whole seconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def fixed_clock(moment: dt.datetime) -> Clock:
    """A clock stopped at `moment` (naive values are taken as UTC), for --now and tests."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return lambda: moment


def parse_moment(text: str) -> dt.datetime:
    """Parse an ISO date or datetime given on the command line or in a query string."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
