"""Every kind of feed the app serves, read by the four independent parsers of tests/test_feeds_checks.py
(icalendar, strict ical, vobject with validate(), Mozilla ical.js strict and lenient), on the seeded store
plus synthetic events with exact control over dates and statuses. Each feed must hold exactly the events
/api/events returns for the same filters, with unique UIDs, deterministic DTSTAMPs and the exclusive DTEND
the fuzzy-date policy plans."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest

from feeds import FeedOptions, plan_event

try:
    from test_api import BASE, SEED_NOW, add_event, all_pages, make_app, seed
    from test_feeds_checks import check_all_parsers, check_python_parsers, unfolded_lines
except ImportError:  # tests/ imported as a package
    from tests.test_api import BASE, SEED_NOW, add_event, all_pages, make_app, seed
    from tests.test_feeds_checks import (
        check_all_parsers,
        check_python_parsers,
        unfolded_lines,
    )


LATER = SEED_NOW + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def client(module_db_url):
    """The seeded store plus synthetic events covering every status, precision and boundary."""
    url = seed(module_db_url)
    synthetic = [
        ("syn-day", dict(start="2021-10-04")),
        ("syn-span", dict(start="2021-10-04", end="2021-10-08", precision="days")),
        ("syn-week", dict(start="2021-10-04", end="2021-10-10", precision="days")),
        ("syn-8days", dict(start="2021-10-04", end="2021-10-11", precision="days")),
        ("syn-quarter", dict(start="2022-04-01", end="2022-06-30", precision="quarter", tentative=True)),
        ("syn-year", dict(start="2022-01-01", end="2022-12-31", precision="year")),
        ("syn-cancelled", dict(start="2021-11-02", status="cancelled", sequence=2)),
        ("syn-postponed", dict(start="2021-12-01", end="2021-12-31", precision="month", status="postponed")),
        ("syn-new-year", dict(start="2021-12-30", end="2022-01-02", precision="days")),
        ("syn-leap", dict(start="2024-02-28", end="2024-03-01", precision="days")),
        ("syn-ended", dict(start="2021-09-01", end="2021-09-14", precision="days")),
        ("syn-today", dict(start="2021-09-15")),
        (
            "syn-unicode",
            dict(
                start="2021-10-20",
                title="Türkiye – Côte d'Ivoire; 日本, Ελλάδα 🇪🇺 " * 3,
                countries=("TR", "CI"),
            ),
        ),
        ("syn-kosovo", dict(start="2021-10-21", countries=("XK",), processes=("prague-process",))),
    ]
    for uid, fields in synthetic:
        fields.setdefault("countries", ("MA",))
        add_event(url, uid, changed=LATER, **fields)
    return make_app(url).test_client()


FEED_URLS = [
    "/feeds/all.ics",
    "/feeds/countries/MA.ics",
    "/feeds/countries/TN.ics",
    "/feeds/countries/TR.ics",
    "/feeds/countries/XK.ics",
    "/feeds/countries/AQ.ics",  # no events
    "/feeds/processes/rabat-process.ics",
    "/feeds/processes/prague-process.ics",
    "/feeds/processes/gfmd.ics",
    "/feeds/all.ics?fuzzy=span",
    "/feeds/all.ics?fuzzy=start",
    "/feeds/all.ics?fuzzy=omit",
    "/feeds/countries/MA.ics?upcoming=true",
    "/feeds/countries/MA.ics?upcoming=true&now=2022-01-01",
    "/feeds/all.ics?tentative=false",
    "/feeds/all.ics?tentative=true",
    "/feeds/all.ics?from=2021-01-01&to=2021-12-31",
    "/feeds/countries/MA.ics?from=2021-10-04&to=2021-10-04",
]

# what the feed leaves out by design: fuzzy=omit drops long windows, nothing else differs from the API
API_FOR = {"fuzzy"}


def api_equivalent(client, feed_url: str) -> tuple[list[dict], str]:
    parts = urlsplit(feed_url)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k not in API_FOR]
    fuzzy = dict(parse_qsl(parts.query)).get("fuzzy", "auto")
    path = parts.path
    if path.startswith("/feeds/countries/"):
        params.append(("country", path.rsplit("/", 1)[1].removesuffix(".ics")))
    elif path.startswith("/feeds/processes/"):
        params.append(("process", path.rsplit("/", 1)[1].removesuffix(".ics")))
    query = "&".join(f"{k}={v}" for k, v in params + [("limit", "500")])
    return all_pages(client, f"/api/events?{query}"), fuzzy


@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_parses_everywhere_and_matches_the_api(client, icaljs, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.data
    parsed = check_all_parsers(body, icaljs)  # also: unique UIDs, DTEND > DTSTART, DTSTAMP on each

    api_events, fuzzy = api_equivalent(client, url)
    options = FeedOptions(name="x", host="calendar.test", fuzzy=fuzzy)
    planned = {}
    for event in api_events:
        plan = plan_event(event, options)
        if plan is not None:
            planned[f"{event['uid']}@calendar.test"] = (event, plan)
    if fuzzy != "omit":
        assert len(planned) == len(api_events)
    assert {ev.uid for ev in parsed} == set(planned)

    for ev in parsed:
        event, plan = planned[ev.uid]
        assert ev.dtstart == plan.dtstart == dt.date.fromisoformat(event["start"])
        assert ev.dtend == plan.dtend  # exclusive
        days = (dt.date.fromisoformat(event["end"]) - ev.dtstart).days + 1
        if fuzzy == "span" or (fuzzy in ("auto", "omit") and days <= 7):
            assert ev.dtend == dt.date.fromisoformat(event["end"]) + dt.timedelta(days=1)
        else:
            assert ev.dtend == ev.dtstart + dt.timedelta(days=1)
        assert ev.sequence == event["sequence"]
        assert ev.summary == plan.summary
        assert ev.status == plan.status

    # DTSTAMP is the event's last change, never the request time
    stamps = {line for line in unfolded_lines(body) if line.startswith("DTSTAMP")}
    expected = {
        "DTSTAMP:"
        + dt.datetime.fromisoformat(e["last_modified"].replace("Z", "+00:00")).strftime("%Y%m%dT%H%M%SZ")
        for e, _ in planned.values()
    }
    assert stamps == expected


def test_synthetic_boundaries(client, icaljs):
    parsed = {
        ev.uid.split("@")[0]: ev
        for ev in check_all_parsers(client.get("/feeds/countries/MA.ics").data, icaljs)
    }
    d = dt.date
    assert (parsed["syn-day"].dtstart, parsed["syn-day"].dtend) == (d(2021, 10, 4), d(2021, 10, 5))
    assert parsed["syn-week"].dtend == d(2021, 10, 11)  # 7 days: spanned
    assert parsed["syn-8days"].dtend == d(2021, 10, 5)  # 8 days: a one-day marker
    assert parsed["syn-quarter"].dtend == d(2022, 4, 2) and parsed["syn-quarter"].status == "TENTATIVE"
    assert parsed["syn-quarter"].summary.endswith(", tbc)")
    assert parsed["syn-new-year"].dtend == d(2022, 1, 3)
    assert parsed["syn-leap"].dtend == d(2024, 3, 2)
    assert parsed["syn-cancelled"].status == "CANCELLED" and parsed["syn-cancelled"].sequence == 2
    assert parsed["syn-cancelled"].summary.startswith("[CANCELLED] ")
    assert parsed["syn-postponed"].summary.startswith("[POSTPONED] ")
    upcoming = {
        ev.uid.split("@")[0]
        for ev in check_all_parsers(client.get("/feeds/countries/MA.ics?upcoming=true").data, icaljs)
    }
    assert "syn-today" in upcoming and "syn-ended" not in upcoming


def test_every_listed_feed_parses(client, icaljs):
    """Every feed /api/countries and /api/processes advertise (checked in one ical.js batch)."""
    urls = ["/feeds/all.ics"]
    urls += [r["feed_url"][len(BASE) :] for r in client.get("/api/countries").json]
    urls += [r["feed_url"][len(BASE) :] for r in client.get("/api/processes").json]
    bodies = []
    seen: dict[str, str] = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        events = check_python_parsers(response.data)
        for ev in events:  # one event, one UID, in every feed
            assert seen.setdefault(ev.uid, ev.summary) == ev.summary
        bodies.append(response.data)
    results = icaljs.run_batch(bodies)
    assert all(r["ok"] for r in results), [r.get("error") for r in results if not r["ok"]]
    lenient = icaljs.run_batch(bodies, lenient=True)
    assert lenient == results
