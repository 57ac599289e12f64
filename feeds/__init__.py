"""iCalendar rendering: event objects in, feed bytes out (no HTTP, no database)."""

from .render import (
    FUZZY_POLICIES,
    PRODID,
    SPAN_MAX_DAYS,
    FeedOptions,
    PlannedEvent,
    drop_expired_cancellations,
    plan_event,
    render_calendar,
    render_event,
)

__all__ = [
    "FUZZY_POLICIES",
    "PRODID",
    "SPAN_MAX_DAYS",
    "FeedOptions",
    "PlannedEvent",
    "drop_expired_cancellations",
    "plan_event",
    "render_calendar",
    "render_event",
]
