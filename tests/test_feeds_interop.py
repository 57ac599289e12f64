"""Every kind of feed we publish, read by four independent parsers: icalendar, strict ical (Home Assistant),
vobject (validate) and Mozilla ical.js (Thunderbird; strict and lenient). Each parser must accept the
bytes and must see exactly the events, dates, statuses, titles and sequences the renderer planned."""

from __future__ import annotations

import pytest

from feeds import FeedOptions, plan_event, render_calendar, render_event

try:
    from test_feeds_checks import ParsedEvent, check_all_parsers, make_event
except ImportError:  # tests/ imported as a package
    from tests.test_feeds_checks import ParsedEvent, check_all_parsers, make_event


HOSTILE = "Meeting;\nBEGIN:VEVENT\r\nUID:evil\nEND:VEVENT, with \\ backslash\x0b\u2028and ; semicolons"

MIXED = [
    make_event("sched", title="EU-Morocco Migration Dialogue"),
    make_event("tent", tentative=True, date_text="14 May 2025 (tbc)"),
    make_event("cancel", status="cancelled", sequence=2),
    make_event("postp", status="postponed", sequence=1, tentative=True),
    make_event("multi", start="2025-06-02", end="2025-06-05", precision="days", date_text="2-5 June 2025"),
    make_event(
        "quarter",
        start="2025-04-01",
        end="2025-06-30",
        precision="quarter",
        date_text="Q2 2025 (tbc)",
        tentative=True,
    ),
    make_event("year", start="2026-01-01", end="2026-12-31", precision="year", date_text="2026"),
    make_event("month", start="2025-09-01", end="2025-09-30", precision="month", date_text="September 2025"),
    make_event(
        "tr",
        title="Türkiye – Côte d'Ivoire – Ελλάδα – Україна ministerial, 日本 observer 🇪🇺",
        location="Côte d'Ivoire",
        countries=["TR", "CI"],
        processes=["rabat-process", "budapest-process"],
        description="Réunion à Abidjan; ordre du jour à confirmer.\n\nDeuxième paragraphe, très long. " * 5,
    ),
    make_event("hostile", title=HOSTILE, description=HOSTILE, location=HOSTILE, date_text=HOSTILE),
    make_event(
        "year-boundary",
        start="2025-12-29",
        end="2026-01-02",
        precision="days",
        date_text="29 December 2025 – 2 January 2026",
    ),
    make_event("leap", start="2028-02-28", end="2028-03-01", precision="days", date_text="28 Feb-1 Mar 2028"),
]

FEEDS = {
    "combined": (MIXED, FeedOptions(name="EU migration dialogues – all", description="All events")),
    "country": (
        [e for e in MIXED if "CV" in e["countries"]],
        FeedOptions(name="EU migration dialogues – Cabo Verde"),
    ),
    "country-non-ascii": (
        [e for e in MIXED if "TR" in e["countries"]],
        FeedOptions(name="EU migration dialogues – Türkiye", description="Côte d'Ivoire, Türkiye"),
    ),
    "process": (MIXED, FeedOptions(name="Rabat Process", fuzzy="span")),
    "start-markers": (MIXED, FeedOptions(name="Markers", fuzzy="start")),
    "omit-fuzzy": (MIXED, FeedOptions(name="Confirmed windows only", fuzzy="omit")),
    "capped": (MIXED, FeedOptions(name="Capped", cap=4)),
    "empty": ([], FeedOptions(name="Nothing yet")),
    "hostile-header": (
        MIXED[:2],
        FeedOptions(
            name="Name;with,commas\nBEGIN:VEVENT", description="Desc\r\nEND:VCALENDAR;,", host="h.example"
        ),
    ),
    "many": (
        [make_event(f"e{i:04d}", title=f"Meeting {i} " + "long title " * 10) for i in range(300)],
        FeedOptions(name="Many", refresh="P1D"),
    ),
}


def expected_events(events, options: FeedOptions) -> list[ParsedEvent]:
    """What a parser should see, computed from plan_event (independently of the serialised bytes)."""
    plans = [p for p in (plan_event(e, options) for e in events) if p is not None]
    if options.cap is not None and len(plans) > options.cap:
        plans = sorted(plans, key=lambda p: (p.end, p.start, p.uid), reverse=True)[: options.cap]
    by_uid = {e["uid"]: e for e in events}
    return [
        ParsedEvent(
            uid=f"{p.uid}@{options.host}",
            # icalendar's escaping turns a literal backslash + "N" into a newline (docs/feeds.md)
            summary=p.summary.replace("\\N", "\n"),
            dtstart=p.dtstart,
            dtend=p.dtend,
            status=p.status,
            sequence=by_uid[p.uid]["sequence"],
        )
        for p in sorted(plans, key=lambda p: (p.dtstart, p.uid))
    ]


@pytest.mark.parametrize("kind", sorted(FEEDS))
def test_feed_parses_everywhere(kind, icaljs):
    events, options = FEEDS[kind]
    data = render_calendar(events, options)
    parsed = check_all_parsers(data, icaljs)
    assert parsed == expected_events(events, options)
    calendar, _ = icaljs.parse(data)
    assert calendar["method"] == "PUBLISH"
    assert calendar["refresh_interval"] == options.refresh and calendar["refresh_interval_type"] == "duration"
    assert calendar["published_ttl"] == options.refresh
    plain = " ".join(options.name.split())
    # ical.js (like the strict `ical` parser) does not unescape X- properties, so Thunderbird would show the
    # RFC 5545 TEXT escapes of a name containing ; , or \ (documented in docs/feeds.md)
    escaped = plain.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    assert calendar["name"] == escaped
    assert set(calendar["components"]) <= {"vevent"}


@pytest.mark.parametrize("uid", [e["uid"] for e in MIXED])
def test_single_event_download_parses_everywhere(uid, icaljs):
    event = next(e for e in MIXED if e["uid"] == uid)
    options = FeedOptions(name="Add to calendar")
    data = render_event(event, options)
    (parsed,) = check_all_parsers(data, icaljs)
    assert [parsed] == expected_events([event], options)
    calendar, _ = icaljs.parse(data)
    assert calendar["method"] == "PUBLISH" and calendar["refresh_interval"] is None


def test_icaljs_sees_the_fields_clients_display(icaljs):
    data = render_calendar(MIXED, FeedOptions(name="x"))
    _, events = icaljs.parse(data)
    result = icaljs.run(data)
    by_uid = {e["uid"]: e for e in result["events"]}
    quarter = by_uid["quarter@calendar-svc.local"]
    assert quarter["summary"].endswith("(Q2 2025, tbc)")
    assert quarter["description"].startswith(
        "Follow-up of the 2024 roadmap.\n\nDate: Q2 2025 (tbc) — window 1 April 2025 to 30 June 2025, "
        "to be confirmed\n"
    )
    assert quarter["transp"] == "TRANSPARENT"
    assert quarter["categories"] == ["CV", "rabat-process"]
    tr = by_uid["tr@calendar-svc.local"]
    assert tr["categories"] == ["CI", "TR", "budapest-process", "rabat-process"]
    assert tr["summary"].startswith("Türkiye – Côte d'Ivoire")
    assert by_uid["cancel@calendar-svc.local"]["summary"].startswith("[CANCELLED] ")
    assert by_uid["postp@calendar-svc.local"]["status"] == "TENTATIVE"
    assert all(e["dtstamp"] == "2025-01-02T10:00:00Z" for e in result["events"])
    assert len(events) == len(MIXED)
