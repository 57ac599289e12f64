"""Render event mappings as iCalendar (RFC 5545) bytes.

Pure functions: no HTTP, no database, no clock. The same input always gives the same bytes, whatever the
order of the input events. The calendar header is written by the ``icalendar`` library; each VEVENT's
lines are written directly as icalendar writes them (feeds/lines.py), and folded at 75 octets exactly as it
folds (feeds/fold.py).
See docs/feeds.md for the policy decisions (fuzzy dates, status mapping, header fields).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, vDuration, vText

from .fold import component_bytes, lines_bytes
from .lines import categories_line, date_line, text_line, utc_line
from .text import clean_text, format_date, format_window, names_window, window_label

PRODID = "-//calendar-svc//EU migration dialogue feeds//EN"

#: Accepted values of ``FeedOptions.fuzzy``.
FUZZY_POLICIES: tuple[str, ...] = ("auto", "span", "start", "omit")

#: Windows up to this many days (inclusive) are shown as spans by the "auto" and "omit" policies.
SPAN_MAX_DAYS = 7

#: DTSTAMP for an event without ``last_modified`` (deterministic on purpose; never the request time).
FALLBACK_STAMP = datetime(1970, 1, 1, tzinfo=UTC)

_URL_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f-\x9f\"<>\\^`{|}]+$")


@dataclass(frozen=True)
class FeedOptions:
    """How to render a feed. See docs/feeds.md."""

    name: str  # X-WR-CALNAME and NAME
    description: str = ""  # X-WR-CALDESC (and RFC 7986 DESCRIPTION); defaults to ``name`` when empty
    host: str = "calendar-svc.local"  # UID = f"{uid}@{host}"
    fuzzy: str = "auto"  # one of FUZZY_POLICIES
    cap: int | None = 1000  # max events (None: no cap); keeps the latest by end date when exceeded
    refresh: str = "PT12H"  # REFRESH-INTERVAL;VALUE=DURATION and X-PUBLISHED-TTL (RFC 5545 duration)
    # Not applied by the renderer (it has no clock); callers can use drop_expired_cancellations().
    cancelled_grace_days: int | None = None

    def __post_init__(self) -> None:
        if self.fuzzy not in FUZZY_POLICIES:
            raise ValueError(f"fuzzy must be one of {FUZZY_POLICIES}, not {self.fuzzy!r}")
        if self.cap is not None and self.cap < 1:
            raise ValueError("cap must be a positive number of events or None")
        try:
            refresh = vDuration.from_ical(self.refresh)
        except (ValueError, TypeError) as exc:
            message = f"refresh must be an iCalendar duration such as PT12H, not {self.refresh!r}"
            raise ValueError(message) from exc
        if not isinstance(refresh, timedelta) or refresh <= timedelta(0):
            raise ValueError(f"refresh must be a positive duration, not {self.refresh!r}")
        if self.cancelled_grace_days is not None and self.cancelled_grace_days < 0:
            raise ValueError("cancelled_grace_days must be >= 0")


@dataclass(frozen=True)
class PlannedEvent:
    """What one input event becomes in a feed (exposed for pages that want to show the same thing)."""

    uid: str  # the store's uid (without @host)
    start: date  # inclusive window from the input
    end: date
    dtstart: date  # what the feed says
    dtend: date  # exclusive
    form: str  # "span" (covers the window) or "marker" (one day at the window start)
    summary: str
    status: str  # TENTATIVE | CONFIRMED | CANCELLED
    description: str


# ---------------------------------------------------------------------------------------------- parsing


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _as_utc(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _window(event: Mapping) -> tuple[date, date] | None:
    start = _as_date(event.get("start"))
    end = _as_date(event.get("end"))
    if start is None:
        start = end
    if start is None:
        return None
    if end is None or end < start:
        end = start
    return start, end


def _sequence(event: Mapping) -> int:
    try:
        return max(0, int(event.get("sequence") or 0))
    except (TypeError, ValueError):
        return 0


def _unique(values: Any) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    cleaned = {clean_text(v) for v in values}
    return sorted(v for v in cleaned if v)


# ---------------------------------------------------------------------------------------------- policy


def fuzzy_form(start: date, end: date, policy: str) -> str | None:
    """How a fuzzy-date policy shows the window [start, end]: as a "span", as a one-day "marker" at its
    start, or not at all (None: "omit" with a window longer than SPAN_MAX_DAYS)."""
    if (end - start).days + 1 <= SPAN_MAX_DAYS:
        return "marker" if policy == "start" else "span"
    if policy == "omit":
        return None
    return "span" if policy == "span" else "marker"  # "start", or "auto" with a long window


def plan_event(event: Mapping, options: FeedOptions) -> PlannedEvent | None:
    """Apply the fuzzy-date policy and status mapping to one event.

    Returns None when the event is left out: no uid or no date, or a window longer than
    SPAN_MAX_DAYS under the "omit" policy.
    """
    shared = _shared(event)
    if shared is None:
        return None
    form = fuzzy_form(shared.start, shared.end, options.fuzzy)
    return None if form is None else _plan(shared, form)


@dataclass(frozen=True)
class _Shared:
    """What an event's two forms have in common: all but DTEND, the marker's window label in the summary and
    its line in the description, which goes between ``before`` and ``after``."""

    uid: str
    start: date
    end: date
    tentative: bool
    status: str
    prefix: str
    title: str
    date_text: object
    before: list[str]
    after: list[str]


def _shared(event: Mapping) -> _Shared | None:
    """None when the event cannot be shown: no uid or no date."""
    uid = clean_text(event.get("uid"))
    window = _window(event)
    if not uid or window is None or window[1] >= date.max:
        return None  # date.max: no day after it for the exclusive DTEND
    start, end = window
    tentative = bool(event.get("tentative"))
    state = clean_text(event.get("status")).lower() or "scheduled"
    if state == "cancelled":
        status, prefix = "CANCELLED", "[CANCELLED] "
    elif state == "postponed":
        status, prefix = "TENTATIVE", "[POSTPONED] "
    else:
        status, prefix = ("TENTATIVE" if tentative else "CONFIRMED"), ""
    title = clean_text(event.get("summary")) or clean_text(event.get("title")) or "Untitled event"
    before, after = _description(event, start, end, tentative=tentative, state=state)
    return _Shared(uid, start, end, tentative, status, prefix, title, event.get("date_text"), before, after)


def _plan(shared: _Shared, form: str) -> PlannedEvent:
    """The event in one form: "span" or "marker"."""
    start, end = shared.start, shared.end
    title, marker = shared.title, []
    if form == "marker" and start != end:
        label = window_label(shared.date_text, start, end)
        title = f"{title} ({label}, tbc)" if shared.tentative else f"{title} ({label})"
        marker = [
            f"Shown here as a one-day marker on {format_date(start)}; "
            "the exact date within the window is not known yet."
        ]
    elif shared.tentative:
        title = f"{title} (tbc)"
    return PlannedEvent(
        uid=shared.uid,
        start=start,
        end=end,
        dtstart=start,
        dtend=end + timedelta(days=1) if form == "span" else start + timedelta(days=1),
        form=form,
        summary=shared.prefix + title,
        status=shared.status,
        description="\n".join([*shared.before, *marker, *shared.after]),
    )


def _description(
    event: Mapping, start: date, end: date, *, tentative: bool, state: str
) -> tuple[list[str], list[str]]:
    """The description's lines before and after a marker's line: the document's own words, the date as
    written (with the window when that adds to it), then status and location, and the facts: countries,
    processes, sources and the event page (docs/feeds.md)."""
    before: list[str] = []
    body = clean_text(event.get("description"), multiline=True)
    if body:
        before += [body, ""]
    before.append(_date_line(event, start, end, tentative=tentative))
    after: list[str] = []
    if state == "cancelled":
        after.append("Status: cancelled.")
    elif state == "postponed":
        after.append("Status: postponed; a new date has not been set.")
    location = clean_text(event.get("location"))
    if location:
        after.append(f"Location: {location}")

    facts: list[str] = []
    countries = _unique(event.get("countries"))
    processes = _unique(event.get("processes"))
    if countries:
        facts.append("Countries: " + ", ".join(countries))
    if processes:
        facts.append("Processes: " + ", ".join(processes))
    sources = [s for s in (event.get("sources") or []) if isinstance(s, Mapping)]
    if sources:
        facts.append("Sources:")
        for source in sources:
            parts = [clean_text(source.get("document")) or "unknown document"]
            section = clean_text(source.get("section"))
            if section:
                parts.append(f"section “{section}”")
            if source.get("page") not in (None, ""):
                parts.append(f"page {clean_text(source.get('page'))}")
            if source.get("line") not in (None, ""):
                parts.append(f"line {clean_text(source.get('line'))}")
            facts.append("- " + ", ".join(parts))
    url = _url(event)
    if url:
        facts.append(f"Event page: {url}")
    if facts:
        after += ["", *facts]
    return before, after


def _date_line(event: Mapping, start: date, end: date, *, tentative: bool) -> str:
    """The date line: the date as written, and the normalised window after it only when the text does not
    say the same already ("Q2 2025 (tbc) — window 1 April 2025 to 30 June 2025", but "16 January 2019")."""
    date_text = clean_text(event.get("date_text"))
    when = format_window(start, end)
    if start != end and clean_text(event.get("precision")).lower() not in ("day", "days"):
        when = f"window {when}"
    if not date_text:
        line = f"Date: {when}"
    elif names_window(date_text, start, end):
        line = f"Date: {date_text}"
    else:
        line = f"Date: {date_text} — {when}"
    return line + ", to be confirmed" if tentative else line


def _url(event: Mapping) -> str | None:
    url = event.get("url")
    if isinstance(url, str) and _URL_OK.match(url):
        return url
    return None


# ---------------------------------------------------------------------------------------------- output


def _fixed_bytes(event: Mapping, plan: PlannedEvent, host: str) -> tuple[bytes, bytes]:
    """The folded VEVENT lines that are the same in both forms, in icalendar's order (Event.canonical_order,
    then by name): those between DTEND and DESCRIPTION, and those after DESCRIPTION."""
    stamp = _as_utc(event.get("last_modified"))
    middle = [
        utc_line("DTSTAMP", stamp or FALLBACK_STAMP),
        text_line("UID", f"{plan.uid}@{host}"),
        f"SEQUENCE:{_sequence(event)}",
    ]
    categories = _unique(event.get("countries")) + _unique(event.get("processes"))
    if categories:
        middle.append(categories_line(categories))
    tail = [] if stamp is None else [utc_line("LAST-MODIFIED", stamp)]
    location = clean_text(event.get("location"))
    if location:
        tail.append(text_line("LOCATION", location))
    tail += [text_line("STATUS", plan.status), "TRANSP:TRANSPARENT"]
    url = _url(event)
    if url:
        tail.append(f"URL:{url}")  # a URI, written as it is (``_URL_OK``), as icalendar writes one
    tail += ["X-MICROSOFT-CDO-BUSYSTATUS:FREE", "END:VEVENT"]
    return lines_bytes(middle), lines_bytes(tail)


def _form_bytes(plan: PlannedEvent, fixed: tuple[bytes, bytes]) -> bytes:
    """The VEVENT of ``plan``'s form: its own SUMMARY, DTSTART, DTEND and DESCRIPTION around ``fixed``."""
    middle, tail = fixed
    head = lines_bytes(
        (
            "BEGIN:VEVENT",
            text_line("SUMMARY", plan.summary),
            date_line("DTSTART", plan.dtstart),
            date_line("DTEND", plan.dtend),
        )
    )
    description = lines_bytes((text_line("DESCRIPTION", plan.description),))
    return b"".join((head, middle, description, tail))


def _vevent_bytes(event: Mapping, plan: PlannedEvent, host: str) -> bytes:
    """One VEVENT of a feed or a download, folded."""
    return _form_bytes(plan, _fixed_bytes(event, plan, host))


def _calendar(options: FeedOptions, description: str, *, subscription: bool) -> Calendar:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = clean_text(options.name) or "Events"
    # icalendar 7 types NAME and X- properties as vUnknown (written unescaped): force TEXT escaping.
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    cal.add("x-wr-caldesc", vText(description))
    cal.add("description", vText(description))
    if subscription:
        refresh = vDuration.from_ical(options.refresh)
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))
    return cal


def _dedupe(events: Iterable[Mapping]) -> list[Mapping]:
    """One event per uid: the highest sequence, then the newest last_modified, wins."""
    best: dict[str, tuple[tuple, Mapping]] = {}
    for event in events:
        uid = clean_text(event.get("uid"))
        stamp = _as_utc(event.get("last_modified")) or FALLBACK_STAMP
        key = (_sequence(event), stamp)
        if uid not in best or key > best[uid][0]:
            best[uid] = (key, event)
    return [event for _, event in best.values()]


def vevent_forms(event: Mapping, host: str) -> tuple[bytes, bytes | None] | None:
    """One event's VEVENT bytes as a span and as a one-day marker (None when the two are the same: a
    one-day window), exactly as a feed with ``host`` shows them; None when the event cannot be shown
    (no uid or no date). A feed under any fuzzy policy is made of these (see ``fuzzy_form``)."""
    shared = _shared(event)
    if shared is None:
        return None
    span_plan = _plan(shared, "span")
    fixed = _fixed_bytes(event, span_plan, host)
    span = _form_bytes(span_plan, fixed)
    if shared.start == shared.end:
        return span, None
    return span, _form_bytes(_plan(shared, "marker"), fixed)


#: The last line of every calendar.
FEED_FOOTER = b"END:VCALENDAR\r\n"


def feed_header(options: FeedOptions, *, total: int, omitted: int = 0) -> bytes:
    """A subscription feed's bytes before its first VEVENT. ``total``: events shown before the cap;
    ``omitted``: events the "omit" policy left out (both are noted in the calendar description)."""
    notes: list[str] = []
    if options.cap is not None and total > options.cap:
        notes.append(
            f"This feed is limited to {options.cap} events: it lists the {options.cap} with the latest "
            f"end dates out of {total}."
        )
    if options.fuzzy == "omit" and omitted:
        notes.append(
            f"Events whose date is only known to within more than {SPAN_MAX_DAYS} days are not listed."
        )
    description = clean_text(options.description, multiline=True) or clean_text(options.name)
    if notes:
        # joined with spaces: clients differ on unescaping X-WR-CALDESC, so keep it free of \n escapes
        description = " ".join([description, *notes]) if description else " ".join(notes)
    return _head(_calendar(options, description, subscription=True))


def _head(calendar: Calendar) -> bytes:
    """A calendar's bytes without its last line (END:VCALENDAR)."""
    data = component_bytes(calendar)
    assert data.endswith(FEED_FOOTER)
    return data[: -len(FEED_FOOTER)]


def render_calendar(events: Iterable[Mapping], options: FeedOptions) -> bytes:
    """A subscription feed (METHOD:PUBLISH) of ``events`` as UTF-8 bytes with CRLF line endings.

    Only the events the feed keeps are serialised (after the cap), each on its own; the bytes are
    identical to serialising the whole calendar in one go.
    """
    planned: list[tuple[PlannedEvent, Mapping]] = []
    omitted = 0  # by the "omit" policy (events without uid or date are skipped silently)
    for event in _dedupe(events):
        plan = plan_event(event, options)
        if plan is not None:
            planned.append((plan, event))
        elif _window(event) is not None and clean_text(event.get("uid")):
            omitted += 1
    total = len(planned)
    if options.cap is not None and total > options.cap:
        planned.sort(key=lambda item: (item[0].end, item[0].start, item[0].uid), reverse=True)
        planned = planned[: options.cap]
    header = feed_header(options, total=total, omitted=omitted)
    planned.sort(key=lambda item: (item[0].dtstart, item[0].uid))
    vevents = (_vevent_bytes(event, plan, options.host) for plan, event in planned)
    return b"".join([header, *vevents, FEED_FOOTER])


def render_event(event: Mapping, options: FeedOptions) -> bytes:
    """A single-event VCALENDAR (METHOD:PUBLISH) for "add this event" downloads.

    No refresh hints (it is a one-off import). The "omit" policy is read as "auto" here, because the
    user explicitly asked for this event.
    """
    if options.fuzzy == "omit":
        options = replace(options, fuzzy="auto")
    plan = plan_event(event, options)
    if plan is None:
        raise ValueError("event has no uid or no date and cannot be rendered")
    description = clean_text(options.description, multiline=True) or plan.summary
    head = _head(_calendar(options, description, subscription=False))
    return head + _vevent_bytes(event, plan, options.host) + FEED_FOOTER


def drop_expired_cancellations(
    events: Iterable[Mapping], *, today: date, grace_days: int | None
) -> list[Mapping]:
    """Caller-side helper: drop cancelled events whose last change is more than ``grace_days`` before
    ``today`` (None keeps them all). Keeps a cancellation visible long enough for clients to see it."""
    kept: list[Mapping] = []
    for event in events:
        if grace_days is not None and clean_text(event.get("status")).lower() == "cancelled":
            changed = _as_utc(event.get("last_modified"))
            if changed is None or changed.date() + timedelta(days=grace_days) < today:
                continue
        kept.append(event)
    return kept


__all__: Sequence[str] = (
    "FEED_FOOTER",
    "FUZZY_POLICIES",
    "FeedOptions",
    "PlannedEvent",
    "drop_expired_cancellations",
    "feed_header",
    "fuzzy_form",
    "plan_event",
    "render_calendar",
    "render_event",
    "vevent_forms",
)
