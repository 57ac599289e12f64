"""iCalendar rendering: event objects in, feed bytes out (no HTTP, no database)."""

from .render import (
    FEED_FOOTER,
    FUZZY_POLICIES,
    PRODID,
    SPAN_MAX_DAYS,
    FeedOptions,
    PlannedEvent,
    drop_expired_cancellations,
    feed_header,
    fuzzy_form,
    plan_event,
    render_calendar,
    render_event,
    vevent_forms,
)

__all__ = [
    "FEED_FOOTER",
    "FUZZY_POLICIES",
    "PRODID",
    "SPAN_MAX_DAYS",
    "FeedOptions",
    "PlannedEvent",
    "drop_expired_cancellations",
    "feed_header",
    "fuzzy_form",
    "plan_event",
    "render_calendar",
    "render_event",
    "vevent_forms",
]
