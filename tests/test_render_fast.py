"""VEVENT lines written directly (feeds/lines.py, feeds/render.py) are byte for byte what icalendar writes
when it builds the same VEVENT property by property, on arbitrary events and on every sample event."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from icalendar import Event, vCategory, vText
from sqlalchemy import select

from calendar_svc.db import make_engine
from calendar_svc.feed_texts import uid_host
from calendar_svc.models import Event as StoredEvent
from calendar_svc.queries import plain_events
from calendar_svc.serialize import event_json
from feeds import (
    FUZZY_POLICIES,
    FeedOptions,
    PlannedEvent,
    feed_header,
    plan_event,
    render,
    render_calendar,
    render_event,
    text,
    vevent_forms,
)
from feeds.lines import categories_line, date_line, escape_text, text_line, utc_line
from feeds.text import clean_text

try:
    from test_api import BASE, seeded_url
except ImportError:  # tests/ imported as a package
    from tests.test_api import BASE, seeded_url

__all__ = ["seeded_url"]  # fixture used below


# ------------------------------------------------------------------------------------- the reference


def reference_vevent(event: Mapping, plan: PlannedEvent, host: str) -> Event:
    """The VEVENT as icalendar builds it, one ``add`` per property (how feeds/render.py wrote it before it
    wrote the lines itself)."""
    stamp = render._as_utc(event.get("last_modified"))
    vevent = Event()
    vevent.add("uid", f"{plan.uid}@{host}")
    vevent.add("dtstamp", stamp or render.FALLBACK_STAMP)
    if stamp is not None:
        vevent.add("last-modified", stamp)
    vevent.add("sequence", render._sequence(event))
    vevent.add("dtstart", plan.dtstart)
    vevent.add("dtend", plan.dtend)
    vevent.add("summary", plan.summary)
    vevent.add("description", plan.description)
    location = clean_text(event.get("location"))
    if location:
        vevent.add("location", location)
    categories = render._unique(event.get("countries")) + render._unique(event.get("processes"))
    if categories:
        vevent.add("categories", categories)
    url = render._url(event)
    if url:
        vevent.add("url", url)
    vevent.add("status", plan.status)
    vevent.add("transp", "TRANSPARENT")
    vevent.add("x-microsoft-cdo-busystatus", "FREE")
    return vevent


def reference_forms(event: Mapping, host: str) -> tuple[bytes, bytes | None] | None:
    """``vevent_forms`` by icalendar's ``to_ical`` (its own folding too)."""
    forms = []
    for fuzzy in ("span", "start"):
        options = FeedOptions(name="-", host=host, fuzzy=fuzzy)
        plan = plan_event(event, options)
        if plan is None:
            return None
        forms.append(reference_vevent(event, plan, host).to_ical())
        if plan.start == plan.end:
            return forms[0], None
    return forms[0], forms[1]


# ------------------------------------------------------------------------------------- arbitrary input

_ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
# the characters escaping and folding care about, long runs and multi-byte characters among them
_PIECES = st.sampled_from(
    [",", ";", ":", "\\", "\\N", "\\n", "\n", "\r\n", "\r", "\t", '"', "é", "😀", "“x”", "\u2028", "\x00",
     "\ufeff", "^", " ", "a" * 37, "Rabat Process", "[CANCELLED]"]
)  # fmt: skip
TEXT = st.one_of(_ANY, st.lists(st.one_of(_PIECES, _ANY), max_size=24).map("".join))
_DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
_DAY = st.one_of(st.none(), _DAYS, _DAYS.map(date.isoformat), TEXT)
_ZONES = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=11))]
)
_MOMENTS = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=_ZONES)
_STAMP = st.one_of(st.none(), _MOMENTS, _MOMENTS.map(datetime.isoformat), _DAYS, TEXT)
_URL = st.from_regex(r"[a-z][a-z0-9+.-]{0,8}://[a-z0-9.-]{1,20}(/[A-Za-z0-9;,:@&=+$%._~!*'()/?#-]{0,90})?",
                     fullmatch=True)  # fmt: skip
_SOURCE = st.fixed_dictionaries(
    {"document": TEXT}, optional={"section": TEXT, "page": st.one_of(st.integers(0, 999), TEXT),
                                  "line": st.one_of(st.integers(0, 99999), TEXT)}
)  # fmt: skip
_NAMES = st.one_of(st.none(), TEXT, st.lists(st.one_of(TEXT, st.sampled_from(["MA", "SN", "rabat-process"]))))


def _window(start: date, days: int) -> dict:
    end = start + timedelta(days=days) if days < (date.max - start).days else date.max
    return {"start": start.isoformat(), "end": end.isoformat()}


# mostly a window of up to 400 days, sometimes any two values (missing, reversed, not dates)
_WINDOWS = st.one_of(
    st.builds(_window, _DAYS, st.integers(0, 400)),
    st.builds(_window, _DAYS, st.integers(0, 10)),
    st.fixed_dictionaries({"start": _DAY, "end": _DAY}),
)
_FIELDS = st.fixed_dictionaries(
    {"uid": st.one_of(st.just("3f2a9c"), TEXT)},
    optional={
        "title": TEXT,
        "summary": TEXT,
        "description": TEXT,
        "date_text": st.one_of(TEXT, st.sampled_from(["Q2 2025 (tbc)", "16-17 Jan. 2019", "June 2025 tbc"])),
        "precision": st.sampled_from(["day", "days", "month", "quarter", "", "DAY"]),
        "tentative": st.one_of(st.booleans(), st.none(), st.integers(0, 1)),
        "status": st.one_of(
            st.sampled_from(["scheduled", "cancelled", "postponed", " Cancelled ", ""]), TEXT
        ),
        "location": st.one_of(st.none(), TEXT),
        "countries": _NAMES,
        "processes": _NAMES,
        "sources": st.lists(_SOURCE, max_size=3),
        "sequence": st.one_of(st.none(), st.integers(-3, 10**9), TEXT),
        "last_modified": _STAMP,
        "url": st.one_of(st.none(), _URL, _URL, TEXT),
    },
)
EVENTS = st.builds(lambda window, fields: window | fields, _WINDOWS, _FIELDS)
HOSTS = st.one_of(st.sampled_from(["calendar.test", "calendar-svc.local", "例え.jp"]), TEXT)


# ------------------------------------------------------------------------------------- the lines


@given(TEXT)
def test_escaping_is_icalendars(value):
    assert escape_text(value) == vText(value).to_ical().decode()
    assume(not value.startswith("\ufeff"))  # read as a byte order mark by icalendar; clean_text drops it
    event = Event()
    event.add("summary", value)
    assert text_line("SUMMARY", value) == event.content_line("SUMMARY", event["SUMMARY"])


@given(st.lists(TEXT, max_size=6))
def test_categories_are_icalendars(values):
    assume(not "".join(values).startswith("\ufeff"))
    assert categories_line(values) == Event().content_line("CATEGORIES", vCategory(values))


@given(_DAYS, st.datetimes(min_value=datetime(1, 1, 1), timezones=st.just(UTC)))
def test_dates_and_moments_are_icalendars(day, moment):
    event = Event()
    event.add("dtstart", day)
    event.add("dtstamp", moment)
    assert date_line("DTSTART", day) == event.content_line("DTSTART", event["DTSTART"])
    assert utc_line("DTSTAMP", moment) == event.content_line("DTSTAMP", event["DTSTAMP"])


def test_printable_text_needs_no_cleaning():
    """``clean_text`` skips its replacements for printable text: not one character of it would change."""
    printable = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isprintable())
    for pattern in (text._CONTROL, text._DROP, text._SURROGATE, re.compile("[\r\n\t]")):
        assert pattern.search(printable) is None, pattern


# ------------------------------------------------------------------------------------- whole events


@settings(max_examples=400, deadline=None)
@given(EVENTS, HOSTS)
def test_forms_are_icalendars_vevents(event, host):
    assert vevent_forms(event, host) == reference_forms(event, host)


@settings(max_examples=100, deadline=None)
@given(EVENTS, st.sampled_from(FUZZY_POLICIES), HOSTS)
def test_single_event_downloads_and_feeds_are_icalendars(event, policy, host):
    """``render_event`` is icalendar's whole calendar; a one-event feed is the header and that VEVENT."""
    options = FeedOptions(name="N, with; escapes\\", description="D\nE", host=host, fuzzy=policy)
    plan = plan_event(event, FeedOptions(name="-", host=host, fuzzy="auto" if policy == "omit" else policy))
    if plan is None:
        return
    calendar = render._calendar(options, clean_text(options.description, multiline=True), subscription=False)
    calendar.add_component(reference_vevent(event, plan, host))
    assert render_event(event, options) == calendar.to_ical()
    if policy != "omit" or plan_event(event, options) is not None:
        vevent = reference_vevent(event, plan, host).to_ical()
        assert (
            render_calendar([event], options) == feed_header(options, total=1) + vevent + b"END:VCALENDAR\r\n"
        )


# ------------------------------------------------------------------------------------- the samples


def test_every_sample_event_is_icalendars(seeded_url):
    """Every event of the five sample documents, as ingest renders it (the store's rows through
    ``event_json``), for the configured base URL and another host."""
    engine = make_engine(seeded_url)
    try:
        with engine.connect() as connection:
            ids = list(connection.scalars(select(StoredEvent.id)))
            events = plain_events(connection, ids)
    finally:
        engine.dispose()
    assert events
    for stored in events:
        data = event_json(stored, base_url=BASE)  # type: ignore[arg-type]
        for host in (uid_host(BASE), "other.example"):
            assert vevent_forms(data, host) == reference_forms(data, host), stored.uid
