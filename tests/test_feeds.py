"""Behaviour of the feeds renderer: header, per-event fields, fuzzy-date policies, status mapping, cap,
determinism and escaping. Every rendered feed also goes through the Python parser cross-check
(icalendar, strict ical, vobject); tests/test_feeds_interop.py adds Mozilla ical.js."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from icalendar import Calendar

from feeds import (
    FUZZY_POLICIES,
    PRODID,
    FeedOptions,
    drop_expired_cancellations,
    plan_event,
    render_calendar,
    render_event,
)
from feeds.text import clean_text, window_label

try:
    from test_feeds_checks import check_python_parsers, make_event, unfolded_lines
except ImportError:  # tests/ imported as a package
    from tests.test_feeds_checks import check_python_parsers, make_event, unfolded_lines

OPTIONS = FeedOptions(name="EU migration dialogues – Morocco", description="Events of the Rabat Process")


def render(events, **options) -> tuple[bytes, list]:
    data = render_calendar(events, FeedOptions(**{"name": "Test feed", **options}))
    return data, check_python_parsers(data)


def vevents(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def calprop(data: bytes, name: str) -> str:
    """A calendar-level TEXT property, unescaped per RFC 5545 3.3.11 (icalendar parses NAME and X- properties
    as vUnknown and leaves them escaped)."""
    (line,) = [line for line in unfolded_lines(data) if line.startswith(name + ":")]
    raw = line[len(name) + 1 :]
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def only_event(data: bytes):
    (event,) = vevents(data)
    return event


# ------------------------------------------------------------------------------------------- header


def test_header_fields_exact_syntax():
    data = render_calendar([make_event()], OPTIONS)
    lines = unfolded_lines(data)
    header = lines[: lines.index("BEGIN:VEVENT")]
    assert header[0] == "BEGIN:VCALENDAR"
    for expected in (
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:EU migration dialogues – Morocco",
        "X-WR-CALNAME:EU migration dialogues – Morocco",
        "X-WR-CALDESC:Events of the Rabat Process",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ):
        assert expected in header
    assert PRODID.startswith("-//calendar-svc//") and PRODID.endswith("//EN")


def test_refresh_option_and_empty_description():
    data, _ = render([make_event()], refresh="PT6H")
    lines = unfolded_lines(data)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines and "X-PUBLISHED-TTL:PT6H" in lines
    assert "X-WR-CALDESC:Test feed" in lines  # falls back to the name


@pytest.mark.parametrize(
    "bad",
    [{"fuzzy": "guess"}, {"cap": 0}, {"refresh": "12h"}, {"refresh": "-PT1H"}, {"cancelled_grace_days": -1}],
)
def test_invalid_options_rejected(bad):
    with pytest.raises(ValueError):
        FeedOptions(name="x", **bad)


def test_hostile_feed_name_and_description_are_escaped():
    name = "Morocco; Türkiye, Côte d'Ivoire\nBEGIN:VEVENT"
    data = render_calendar([make_event()], FeedOptions(name=name, description="a;b,c\nEND:VCALENDAR"))
    check_python_parsers(data)
    expected = "Morocco; Türkiye, Côte d'Ivoire BEGIN:VEVENT"
    assert calprop(data, "X-WR-CALNAME") == calprop(data, "NAME") == expected
    assert calprop(data, "X-WR-CALDESC") == "a;b,c\nEND:VCALENDAR"
    assert unfolded_lines(data).count("BEGIN:VEVENT") == 1


def test_fuzzy_policies_constant():
    assert set(FUZZY_POLICIES) == {"auto", "span", "start", "omit"}
    assert FeedOptions(name="x").fuzzy == "auto"


def test_empty_feed_is_still_a_calendar():
    data, events = render([])
    assert events == [] and "METHOD:PUBLISH" in unfolded_lines(data)


# ------------------------------------------------------------------------------------------- event fields


def test_uid_revision_fields_and_deterministic_dtstamp():
    event = make_event("abc", sequence=3, last_modified="2025-03-01T12:30:45.123456+02:00")
    data, _ = render([event], host="feeds.example.org")
    lines = unfolded_lines(data)
    assert "UID:abc@feeds.example.org" in lines
    assert "SEQUENCE:3" in lines
    assert "DTSTAMP:20250301T103045Z" in lines  # = last_modified in UTC, not the request time
    assert "LAST-MODIFIED:20250301T103045Z" in lines


def test_missing_last_modified_gives_fixed_dtstamp():
    data, _ = render([make_event(last_modified=None, sequence=None)])
    lines = unfolded_lines(data)
    assert "DTSTAMP:19700101T000000Z" in lines and "SEQUENCE:0" in lines
    assert not any(line.startswith("LAST-MODIFIED") for line in lines)


def test_informational_flags_on_every_event():
    events = [make_event(str(i), status=s) for i, s in enumerate(["scheduled", "cancelled", "postponed"])]
    data, _ = render(events)
    lines = unfolded_lines(data)
    assert lines.count("TRANSP:TRANSPARENT") == 3
    assert lines.count("X-MICROSOFT-CDO-BUSYSTATUS:FREE") == 3


def test_single_day_is_all_day_with_exclusive_end():
    data, (parsed,) = render([make_event()])
    lines = unfolded_lines(data)
    assert "DTSTART;VALUE=DATE:20250514" in lines and "DTEND;VALUE=DATE:20250515" in lines
    assert parsed.summary == "4th EU-Cabo Verde Joint Visa Facilitation Committee meeting"
    assert parsed.status == "CONFIRMED"


def test_content_fields():
    event = make_event(
        location="Rabat",
        countries=["MA", "CV", "MA"],
        processes=["rabat-process", "khartoum-process"],
    )
    ev = only_event(render([event])[0])
    assert str(ev["LOCATION"]) == "Rabat"
    assert ev["CATEGORIES"].cats == ["CV", "MA", "khartoum-process", "rabat-process"]
    assert str(ev["URL"]) == "https://calendar.example.org/events/3f2a9c"


def test_optional_fields_left_out():
    event = make_event(location=None, countries=[], processes=[], url=None, description="", sources=[])
    data, _ = render([event])
    ev = only_event(data)
    for name in ("LOCATION", "CATEGORIES", "URL"):
        assert name not in ev
    assert str(ev["DESCRIPTION"]) == "Date: 14 May 2025"  # the one day is not written twice


def test_url_with_line_break_is_not_emitted():
    data, _ = render([make_event(url="https://x.example/a\r\nBEGIN:VEVENT")])
    assert "URL" not in only_event(data)


def test_description_states_window_comments_sources_and_page():
    event = make_event(
        date_text="Q2 2025 (tbc)",
        start="2025-04-01",
        end="2025-06-30",
        precision="quarter",
        tentative=True,
        description="Comments column,\nsecond line",
        sources=[
            {"document": "000_9b0abeb886ecccb6.txt", "line": 44, "section": "Cabo Verde"},
            {"document": "003_37bf006c1f223163.txt", "line": 7, "section": "Morocco"},
        ],
    )
    text = str(only_event(render([event])[0])["DESCRIPTION"])
    lines = text.split("\n")
    # the document's own words first, then the date as written with the window it stands for
    assert lines[:4] == [
        "Comments column,",
        "second line",
        "",
        "Date: Q2 2025 (tbc) — window 1 April 2025 to 30 June 2025, to be confirmed",
    ]
    assert "- 000_9b0abeb886ecccb6.txt, section “Cabo Verde”, line 44" in lines
    assert "- 003_37bf006c1f223163.txt, section “Morocco”, line 7" in lines
    assert "Event page: https://calendar.example.org/events/3f2a9c" in lines
    assert "one-day marker on 1 April 2025" in text


@pytest.mark.parametrize(
    ("window", "line"),
    [
        ({"date_text": "16 January 2019", "start": "2019-01-16", "end": "2019-01-16", "precision": "day"},
         "Date: 16 January 2019"),
        ({"date_text": "16-17 Jan. 2019", "start": "2019-01-16", "end": "2019-01-17", "precision": "days"},
         "Date: 16-17 Jan. 2019"),
        ({"date_text": "30 June - 2 July 2025", "start": "2025-06-30", "end": "2025-07-02", "precision": "days"},
         "Date: 30 June - 2 July 2025"),
        # the window adds to the text: a numeric date, a missing year, a month, a quarter, no text at all
        ({"date_text": "16/01/2019", "start": "2019-01-16", "end": "2019-01-16", "precision": "day"},
         "Date: 16/01/2019 — 16 January 2019"),
        ({"date_text": "16 January", "start": "2019-01-16", "end": "2019-01-16", "precision": "day"},
         "Date: 16 January — 16 January 2019"),
        ({"date_text": "January 2019", "start": "2019-01-01", "end": "2019-01-31", "precision": "month"},
         "Date: January 2019 — window 1 January 2019 to 31 January 2019"),
        ({"date_text": "16-20 January 2019", "start": "2019-01-16", "end": "2019-01-21", "precision": "days"},
         "Date: 16-20 January 2019 — 16 January 2019 to 21 January 2019"),
        ({"date_text": "", "start": "2019-01-16", "end": "2019-01-16", "precision": "day"},
         "Date: 16 January 2019"),
    ],
)  # fmt: skip
def test_date_line_writes_the_window_only_when_it_adds_to_the_text(window, line):
    event = make_event(**window, description="")
    (first, *_) = str(only_event(render([event])[0])["DESCRIPTION"]).split("\n")
    assert first == line


def test_summary_is_the_feed_summary_with_status_and_window_label():
    summary = "Rabat Process – Senior Officials Meeting, Rabat"
    event = make_event(title="Senior Officials Meeting", summary=summary, **QUARTER, tentative=True)
    _, (parsed,) = render([event])
    assert parsed.summary == f"{summary} (Q2 2025, tbc)"
    _, (parsed,) = render([make_event(title="Senior Officials Meeting", summary=summary, status="cancelled")])
    assert parsed.summary == f"[CANCELLED] {summary}"
    _, (parsed,) = render([make_event(title="Senior Officials Meeting", summary="  ")])
    assert parsed.summary == "Senior Officials Meeting"  # a mapping without a summary: its title


# ------------------------------------------------------------------------------------------- fuzzy policies

QUARTER = {"date_text": "Q2 2025 (tbc)", "start": "2025-04-01", "end": "2025-06-30", "precision": "quarter"}
WEEK = {"date_text": "1-7 April 2025", "start": "2025-04-01", "end": "2025-04-07", "precision": "days"}
EIGHT = {"date_text": "1-8 April 2025", "start": "2025-04-01", "end": "2025-04-08", "precision": "days"}
THREE = {"date_text": "14-16 May 2025", "start": "2025-05-14", "end": "2025-05-16", "precision": "days"}
DAY = {"date_text": "14 May 2025", "start": "2025-05-14", "end": "2025-05-14", "precision": "day"}
TITLE = "4th EU-Cabo Verde Joint Visa Facilitation Committee meeting"


@pytest.mark.parametrize(
    ("policy", "window", "tentative", "dtstart", "dtend", "summary"),
    [
        ("auto", DAY, False, date(2025, 5, 14), date(2025, 5, 15), TITLE),
        ("auto", THREE, False, date(2025, 5, 14), date(2025, 5, 17), TITLE),
        ("auto", WEEK, False, date(2025, 4, 1), date(2025, 4, 8), TITLE),
        ("auto", EIGHT, False, date(2025, 4, 1), date(2025, 4, 2), f"{TITLE} (1-8 April 2025)"),
        ("auto", QUARTER, True, date(2025, 4, 1), date(2025, 4, 2), f"{TITLE} (Q2 2025, tbc)"),
        ("auto", THREE, True, date(2025, 5, 14), date(2025, 5, 17), f"{TITLE} (tbc)"),
        ("span", QUARTER, True, date(2025, 4, 1), date(2025, 7, 1), f"{TITLE} (tbc)"),
        ("span", EIGHT, False, date(2025, 4, 1), date(2025, 4, 9), TITLE),
        ("start", THREE, False, date(2025, 5, 14), date(2025, 5, 15), f"{TITLE} (14-16 May 2025)"),
        ("start", DAY, True, date(2025, 5, 14), date(2025, 5, 15), f"{TITLE} (tbc)"),
        ("start", QUARTER, True, date(2025, 4, 1), date(2025, 4, 2), f"{TITLE} (Q2 2025, tbc)"),
        ("omit", WEEK, False, date(2025, 4, 1), date(2025, 4, 8), TITLE),
    ],
)
def test_fuzzy_policy(policy, window, tentative, dtstart, dtend, summary):
    _, (parsed,) = render([make_event(**window, tentative=tentative)], fuzzy=policy)
    assert (parsed.dtstart, parsed.dtend, parsed.summary) == (dtstart, dtend, summary)
    assert parsed.status == ("TENTATIVE" if tentative else "CONFIRMED")


def test_omit_policy_drops_long_windows_and_says_so():
    events = [make_event("a", **QUARTER), make_event("b", **EIGHT), make_event("c", **WEEK), make_event("d")]
    data, parsed = render(events, fuzzy="omit")
    assert [p.uid.split("@")[0] for p in parsed] == ["c", "d"]
    assert "more than 7 days are not listed" in calprop(data, "X-WR-CALDESC")
    data, parsed = render(events[2:], fuzzy="omit")
    assert "not listed" not in calprop(data, "X-WR-CALDESC")


def test_marker_label_falls_back_to_formatted_window():
    long_text = "at some point during the second half of the year, subject to the agenda of the Council"
    event = make_event(date_text=long_text, start="2025-07-01", end="2025-12-31", precision="half")
    plan = plan_event(event, FeedOptions(name="x"))
    assert plan.form == "marker" and plan.summary == f"{TITLE} (1 July – 31 December 2025)"
    assert window_label(None, date(2024, 12, 20), date(2025, 1, 10)) == "20 December 2024 – 10 January 2025"
    assert window_label("Spring 2025 (TBC)", date(2025, 3, 1), date(2025, 5, 31)) == "Spring 2025"
    assert window_label("tbc", date(2025, 3, 1), date(2025, 3, 31)) == "1–31 March 2025"


# ------------------------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("status", "tentative", "ical_status", "prefix"),
    [
        ("scheduled", False, "CONFIRMED", ""),
        ("scheduled", True, "TENTATIVE", ""),
        ("cancelled", False, "CANCELLED", "[CANCELLED] "),
        ("cancelled", True, "CANCELLED", "[CANCELLED] "),
        ("postponed", False, "TENTATIVE", "[POSTPONED] "),
        ("postponed", True, "TENTATIVE", "[POSTPONED] "),
    ],
)
def test_status_mapping(status, tentative, ical_status, prefix):
    _, (parsed,) = render([make_event(status=status, tentative=tentative, sequence=4)])
    assert parsed.status == ical_status
    assert parsed.summary.startswith(prefix + TITLE)
    assert parsed.sequence == 4  # the store bumps SEQUENCE; the renderer emits it unchanged


# ------------------------------------------------------------------------------------------- determinism


def _many(n: int = 40) -> list[dict]:
    rng = random.Random(7)
    events = []
    for i in range(n):
        start = date(2025, rng.randint(1, 12), rng.randint(1, 28))
        end = date.fromordinal(start.toordinal() + rng.choice([0, 0, 2, 6, 30, 90]))
        events.append(
            make_event(
                f"uid-{i:03d}",
                start=start.isoformat(),
                end=end.isoformat(),
                tentative=bool(i % 3),
                status=["scheduled", "cancelled", "postponed"][i % 3],
            )
        )
    events.append(make_event("uid-same-day-a", start="2025-06-01", end="2025-06-01"))
    events.append(make_event("uid-same-day-b", start="2025-06-01", end="2025-06-01"))
    return events


def test_byte_identical_and_independent_of_input_order():
    events = _many()
    first = render_calendar(events, OPTIONS)
    assert render_calendar(events, OPTIONS) == first
    for seed in range(5):
        shuffled = list(events)
        random.Random(seed).shuffle(shuffled)
        assert render_calendar(shuffled, OPTIONS) == first
        assert render_calendar(iter(shuffled), OPTIONS) == first  # any iterable


def test_events_sorted_by_start_then_uid():
    _, parsed = render(_many())
    keys = [(p.dtstart, p.uid) for p in parsed]
    assert keys == sorted(keys)
    assert len(parsed) == len(_many())


def test_duplicate_uids_collapse_to_latest_revision():
    old = make_event("dup", title="Old title", sequence=1)
    new = make_event("dup", title="New title", sequence=2, last_modified="2025-02-01T00:00:00Z")
    for order in ([old, new], [new, old]):
        _, (parsed,) = render(order)
        assert parsed.summary == "New title" and parsed.sequence == 2


def test_events_without_date_or_uid_are_skipped():
    _, parsed = render([make_event("ok"), make_event("nodate", start=None, end=None), make_event("")])
    assert [p.uid for p in parsed] == ["ok@calendar-svc.local"]


def test_end_before_start_is_treated_as_one_day():
    _, (parsed,) = render([make_event(start="2025-05-14", end="2025-05-10")])
    assert (parsed.dtstart, parsed.dtend) == (date(2025, 5, 14), date(2025, 5, 15))


# ------------------------------------------------------------------------------------------- cap


def test_cap_keeps_latest_by_end_date_and_says_so():
    events = [make_event(f"e{i}", start=f"2025-0{i}-01", end=f"2025-0{i}-02") for i in range(1, 6)]
    data, parsed = render(events, cap=3, description="Morocco feed")
    assert [p.uid.split("@")[0] for p in parsed] == ["e3", "e4", "e5"]
    caldesc = calprop(data, "X-WR-CALDESC")
    assert caldesc.startswith("Morocco feed This feed is limited")
    assert "limited to 3 events" in caldesc and "out of 5" in caldesc


def test_cap_not_reached_or_disabled():
    events = [make_event(f"e{i}", start=f"2025-0{i}-01", end=f"2025-0{i}-01") for i in range(1, 6)]
    for cap in (5, None):
        data, parsed = render(events, cap=cap)
        assert len(parsed) == 5 and "limited" not in calprop(data, "X-WR-CALDESC")


def test_cap_uses_end_date_not_start_date():
    long_running = make_event("long", start="2024-01-01", end="2025-12-31", precision="multi")
    recent = [make_event(f"r{i}", start=f"2025-0{i}-01", end=f"2025-0{i}-01") for i in range(1, 4)]
    _, parsed = render([long_running, *recent], cap=2)
    assert sorted(p.uid.split("@")[0] for p in parsed) == ["long", "r3"]


# ------------------------------------------------------------------------------------------- escaping

HOSTILE = "Line one\nBEGIN:VEVENT\r\nEND:VCALENDAR; a, b \\ c\\N\ttab\x0bvt\x85nel\u2028ls\x00nul"


def test_hostile_title_and_text_keep_the_structure():
    events = [
        make_event("h1", title=HOSTILE, description=HOSTILE, location=HOSTILE, date_text=HOSTILE),
        make_event("h2", title="BEGIN:VEVENT", countries=["MA,ES", "X;Y"], processes=["a\nb"]),
        make_event("h3", sources=[{"document": HOSTILE, "line": HOSTILE, "section": HOSTILE}]),
    ]
    data, parsed = render(events)
    lines = unfolded_lines(data)
    assert lines.count("BEGIN:VEVENT") == 3 and lines.count("END:VEVENT") == 3
    assert [p.uid for p in parsed] == [
        "h1@calendar-svc.local",
        "h2@calendar-svc.local",
        "h3@calendar-svc.local",
    ]
    # newlines and control characters become spaces in the one-line SUMMARY; the literal two characters
    # backslash + capital N are turned into a newline by icalendar's escaping (known quirk, docs/feeds.md)
    assert parsed[0].summary == "Line one BEGIN:VEVENT END:VCALENDAR; a, b \\ c\n tab vt nel ls nul"
    assert only_event(render([events[1]])[0])["CATEGORIES"].cats == ["MA,ES", "X;Y", "a b"]


def test_non_ascii_long_text_folds_on_character_boundaries():
    title = "Réunion Türkiye – Côte d'Ivoire – Ελλάδα – Україна – 日本語 – 🇪🇺 " * 6
    data, (parsed,) = render([make_event(title=title, countries=["TR", "CI"], location="Côte d'Ivoire")])
    assert parsed.summary == clean_text(title)
    assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_clean_text():
    assert clean_text("a\r\nb\rc\nd") == "a b c d"
    assert clean_text("a\r\nb\rc\n\n\n\nd", multiline=True) == "a\nb\nc\n\nd"
    assert clean_text("x\x00y\x0bz\x85w\u2028v\u2029u\x7ft\tq") == "x y z w v u t q"
    assert clean_text("bad \ud800 surrogate") == "bad \ufffd surrogate"
    assert clean_text(None) == ""


# ------------------------------------------------------------------------------------------- render_event


def test_render_event_single_calendar_without_refresh_hints():
    data = render_event(
        make_event(**QUARTER, tentative=True), FeedOptions(name="Add to calendar", fuzzy="omit")
    )
    (parsed,) = check_python_parsers(data)
    lines = unfolded_lines(data)
    assert "METHOD:PUBLISH" in lines and lines.count("BEGIN:VEVENT") == 1
    assert not any(line.startswith(("REFRESH-INTERVAL", "X-PUBLISHED-TTL")) for line in lines)
    assert parsed.summary == f"{TITLE} (Q2 2025, tbc)"  # "omit" read as "auto" for an explicit download
    assert render_event(make_event(), OPTIONS) == render_event(make_event(), OPTIONS)


def test_render_event_rejects_undated_event():
    with pytest.raises(ValueError):
        render_event(make_event(start=None, end=None), OPTIONS)


# ------------------------------------------------------------------------------------------- helpers


def test_drop_expired_cancellations():
    events = [
        make_event("old-cancel", status="cancelled", last_modified="2025-01-01T00:00:00Z"),
        make_event("new-cancel", status="cancelled", last_modified="2025-01-25T00:00:00Z"),
        make_event("old-scheduled", last_modified="2024-01-01T00:00:00Z"),
    ]
    kept = drop_expired_cancellations(events, today=date(2025, 2, 1), grace_days=14)
    assert [e["uid"] for e in kept] == ["new-cancel", "old-scheduled"]
    assert drop_expired_cancellations(events, today=date(2025, 2, 1), grace_days=None) == events


# ------------------------------------------------------------------------------------------- golden

GOLDEN = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//calendar-svc//EU migration dialogue feeds//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "METHOD:PUBLISH\r\n"
    "DESCRIPTION:Events of the Rabat Process\r\n"
    "X-WR-CALDESC:Events of the Rabat Process\r\n"
    "NAME:EU migration dialogues – Morocco\r\n"
    "X-WR-CALNAME:EU migration dialogues – Morocco\r\n"
    "REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n"
    "X-PUBLISHED-TTL:PT12H\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY:[CANCELLED] Rabat Process – Senior Officials Meeting\\, Rabat (Q2\r\n"
    "  2025\\, tbc)\r\n"
    "DTSTART;VALUE=DATE:20250401\r\n"
    "DTEND;VALUE=DATE:20250402\r\n"
    "DTSTAMP:20250102T100000Z\r\n"
    "UID:3f2a@calendar-svc.local\r\n"
    "SEQUENCE:1\r\n"
    "CATEGORIES:MA,rabat-process\r\n"
    "DESCRIPTION:Second meeting of the year.\\n\\nDate: Q2 2025 (tbc) — window \r\n"
    " 1 April 2025 to 30 June 2025\\, to be confirmed\\nShown here as a one-day ma\r\n"
    " rker on 1 April 2025\\; the exact date within the window is not known yet.\r\n"
    " \\nStatus: cancelled.\\nLocation: Rabat\\n\\nCountries: MA\\nProcesses: rabat-p\r\n"
    " rocess\\nSources:\\n- 000_9b0abeb886ecccb6.txt\\, section “Morocco”\\, lin\r\n"
    " e 44\\nEvent page: https://h/events/3f2a\r\n"
    "LAST-MODIFIED:20250102T100000Z\r\n"
    "LOCATION:Rabat\r\n"
    "STATUS:CANCELLED\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "URL:https://h/events/3f2a\r\n"
    "X-MICROSOFT-CDO-BUSYSTATUS:FREE\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_golden_cancelled_fuzzy_event():
    event = make_event(
        "3f2a",
        title="Senior Officials Meeting",
        summary="Rabat Process – Senior Officials Meeting, Rabat",
        description="Second meeting of the year.",
        **QUARTER,
        tentative=True,
        status="cancelled",
        sequence=1,
        location="Rabat",
        countries=["MA"],
        sources=[{"document": "000_9b0abeb886ecccb6.txt", "line": 44, "section": "Morocco"}],
        url="https://h/events/3f2a",
    )
    assert render_calendar([event], OPTIONS).decode("utf-8") == GOLDEN
