"""HTML pages through the Flask test client: status codes, path validation, links, escaping, headers.

One database with the sample documents ingested is shared by the module (ingest takes seconds); tests that
add hostile events use their own database.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from sqlalchemy import select

from calendar_svc.app import create_app
from calendar_svc.clock import fixed_clock
from calendar_svc.config import Settings
from calendar_svc.db import make_engine, session_factory
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Event, EventChange, EventCountry, EventProcess, EventSource
from calendar_svc.regions import OTHER, REGION_LABELS, REGIONS, group_by_region, region_of
from calendar_svc.schema import upgrade
from calendar_svc.web.pages import _week_column, timeline

BASE = "http://calendar.test"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_NOW = dt.datetime(2021, 9, 15, 8, 0, tzinfo=dt.UTC)  # as in conftest.py


# -- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_db(module_db_url) -> str:
    url = module_db_url
    engine = make_engine(url)
    sessions = session_factory(engine)
    clock = fixed_clock(SAMPLE_NOW)
    for path in sorted(SAMPLES.glob("*.txt")):
        ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def sample_app(sample_db):
    return create_app(Settings(database_url=sample_db, base_url=BASE), clock=fixed_clock(SAMPLE_NOW))


@pytest.fixture(scope="module")
def web(sample_app):
    return sample_app.test_client()


@pytest.fixture(scope="module")
def store(sample_db):
    engine = make_engine(sample_db)
    yield session_factory(engine)
    engine.dispose()


def one_event(store, *conditions) -> Event:
    with store() as session:
        event = session.scalar(select(Event).where(*conditions).order_by(Event.start, Event.uid).limit(1))
        assert event is not None, f"the samples have no event with {conditions}"
        return event


def first_country_with_events(store) -> str:
    with store() as session:
        return session.scalar(select(EventCountry.code).order_by(EventCountry.code).limit(1))


class Links(HTMLParser):
    """Collects hrefs, script tags and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts: list[dict] = []
        self.styled: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "script":
            self.scripts.append(attrs)
        if "style" in attrs or tag == "style":
            self.styled.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for name in attrs:
            assert not name.startswith("on"), f"inline event handler {name} on <{tag}>"


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


# -- regions and timeline units ------------------------------------------------------------------------


def test_regions_follow_the_documents_headings():
    assert region_of("CV") == "African countries"
    assert region_of("MA") == "Southern Mediterranean countries"
    assert region_of("xk") == "Western Balkans"
    assert region_of("TR") == "Turkey"
    assert region_of("BD") == "Asian countries"
    assert region_of("UA") == "Eastern Partnership countries"
    assert region_of("RU") == "Russia"
    assert region_of("US") == "United States of America"
    assert region_of("CH") == OTHER
    codes = [code for _, members in REGIONS for code in members]
    assert len(codes) == len(set(codes)), "a country is in two regions"
    assert REGION_LABELS[-1] == OTHER


def test_group_by_region_keeps_document_order_and_puts_other_last():
    groups = group_by_region(["NO", "UA", "MA", "CV", "TN"])
    assert [label for label, _ in groups] == [
        "African countries",
        "Southern Mediterranean countries",
        "Eastern Partnership countries",
        OTHER,
    ]
    assert dict(groups)["Southern Mediterranean countries"] == ["MA", "TN"]


def test_week_columns_cover_the_year():
    assert _week_column(dt.date(2021, 1, 1)) == 1
    assert _week_column(dt.date(2021, 1, 8)) == 2
    assert _week_column(dt.date(2021, 12, 31)) == 53
    assert _week_column(dt.date(2020, 12, 31)) == 53  # leap year, day 366


def test_timeline_clips_multi_year_windows():
    class FakeEvent:
        def __init__(self, start, end):
            self.start, self.end, self.precision, self.tentative, self.status = (
                start,
                end,
                "multi",
                False,
                "x",
            )

    from calendar_svc.web.pages import Item

    item = Item(FakeEvent(dt.date(2024, 11, 1), dt.date(2025, 2, 28)), dt.date(2025, 1, 15), "Fake event")
    tracks = timeline([item], dt.date(2025, 1, 15))
    assert [t.year for t in tracks] == [2024, 2025]
    first, second = tracks[0].bars[0], tracks[1].bars[0]
    assert (first.clipped_left, first.clipped_right, first.col_end) == (False, True, 54)
    assert (second.clipped_left, second.clipped_right, second.col_start) == (True, False, 1)
    assert tracks[0].today_col is None and tracks[1].today_col == 3


# -- index -------------------------------------------------------------------------------------------


def test_index_lists_regions_countries_processes_and_feeds(web, store):
    response = web.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    links = parse(html)
    for heading in ("African countries", "Southern Mediterranean countries", "Western Balkans"):
        assert f">{heading}</h3>" in html
    assert "/countries/MA" in links.hrefs
    assert "/processes/rabat-process" in links.hrefs
    assert "/feeds/countries/MA.ics" in links.hrefs
    assert "/feeds/processes/rabat-process.ics" in links.hrefs
    assert "/feeds/all.ics" in links.hrefs
    assert "webcal://calendar.test/feeds/all.ics" in links.hrefs
    assert 'action="/search"' in html and 'id="q"' in html and '<label for="q">' in html
    with store() as session:
        count = len(session.scalars(select(EventCountry).where(EventCountry.code == "MA")).all())
    assert re.search(rf'href="/countries/MA">Morocco</a>\s*<span class="count">{count} events', html)


def test_index_upcoming_follows_the_clock_and_now(web, store):
    html = web.get("/").get_data(as_text=True)
    upcoming = html.split('id="upcoming-heading"')[1].split('<ol class="events">')[1].split("</ol>")[0]
    starts = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})', upcoming)
    ends = [
        m[-1] for m in re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})(?:/(\d{4}-\d{2}-\d{2}))?', upcoming)
    ]
    assert starts, "the sample clock (2021-09-15) has upcoming events"
    assert starts == sorted(starts)
    assert all((end or start) >= "2021-09-15" for start, end in zip(starts, ends, strict=True))
    later = web.get("/?now=2025-01-01").get_data(as_text=True)
    assert "Showing the calendar as of" in later
    later_upcoming = later.split('id="upcoming-heading"')[1].split('<ol class="events">')[1].split("</ol>")[0]
    assert all(d >= "2024" for d in re.findall(r'<time datetime="(\d{4})', later_upcoming))
    # links keep the what-if date
    assert 'href="/countries/MA?now=2025-01-01"' in later


def test_index_far_future_says_there_is_nothing_upcoming(web):
    html = web.get("/?now=2099-01-01").get_data(as_text=True)
    assert "No upcoming events in the documents" in html


def _latest_past(store, today: dt.date, *conditions) -> list[Event]:
    """Events that ended before `today`, latest first (the index's order), straight from the store."""
    with store() as session:
        stmt = select(Event).where(Event.end < today, *conditions)
        return list(session.scalars(stmt.order_by(Event.end.desc(), Event.start.desc(), Event.uid)))


def _region_sections(html: str) -> dict[str, str]:
    """Region heading -> the HTML of its section on the index."""
    sections = html.split('<section class="region"')[1:]
    return {re.search(r">([^<]+)</h3>", part).group(1): part.split("</section>")[0] for part in sections}


def test_index_when_nothing_is_upcoming_says_so_once_and_shows_the_latest_events(sample_db, store):
    later = dt.datetime(2099, 1, 1, 9, 0, tzinfo=dt.UTC)
    app = create_app(Settings(database_url=sample_db, base_url=BASE), clock=fixed_clock(later))
    client = app.test_client()
    html = client.get("/").get_data(as_text=True)
    assert html.count("No upcoming events") == 1
    assert "No upcoming events in the documents as of" in html and "1 January 2099" in html
    assert "group-note" not in html  # the page says it once, not once per region
    # the events section lists the latest events, most recent first, with their dates
    section = html.split('id="upcoming-heading"')[1].split("</section>")[0]
    assert section.startswith(">Latest events</h2>")
    shown = re.findall(r'<time datetime="([\d-]+)(?:/([\d-]+))?">[^<]+</time>.*?href="/events/(\w+)"', section, re.S)
    latest = _latest_past(store, later.date())
    assert [uid for _, _, uid in shown] == [e.uid for e in latest[:12]]
    assert [(s, e or s) for s, e, _ in shown] == [(e.start.isoformat(), e.end.isoformat()) for e in latest[:12]]
    # each directory entry shows its latest event and its date instead of "No upcoming events"
    morocco = _latest_past(store, later.date(), Event.countries.any(EventCountry.code == "MA"))[0]
    row = html.split('href="/countries/MA">Morocco</a>')[1].split("</li>")[0]
    assert f'Latest: <a href="/events/{morocco.uid}">' in row
    assert f'<time datetime="{morocco.start.isoformat()}">' in row and str(morocco.start.year) in row
    rows = html.count('<li class="directory-item"')
    assert html.count('<span class="next latest">Latest: ') == rows and "Next: " not in html
    # the calendar as it stood when the latest event began has it upcoming
    back = re.search(r'href="(/\?now=[\d-]+)">as it stood on', html).group(1)
    assert back == f"/?now={latest[0].start.isoformat()}"
    earlier = client.get(back).get_data(as_text=True)
    assert ">Upcoming events</h2>" in earlier and f'href="/events/{latest[0].uid}?now=' in earlier
    # the JSON API keeps its meaning: nothing is upcoming
    assert client.get("/api/events?upcoming=true").get_json()["events"] == []


def test_index_region_without_upcoming_events_says_so_once(web, store):
    today_ = dt.date(2025, 3, 1)  # some regions still have upcoming events, others none
    html = web.get(f"/?now={today_}").get_data(as_text=True)
    assert ">Upcoming events</h2>" in html and "nothing-upcoming" not in html
    with store() as session:
        rows = session.execute(select(EventCountry.code, Event.end).join(Event)).all()
    has_upcoming = {code for code, end in rows if end >= today_}
    sections = _region_sections(html)
    assert {True, False} <= {"group-note" in part for part in sections.values()}, "the samples have both"
    for label, part in sections.items():
        codes = re.findall(r'href="/countries/([A-Z]{2})\?now=2025-03-01">', part)
        assert codes, label
        quiet = not set(codes) & has_upcoming
        assert ("No upcoming events in this region" in part) is quiet, label
        assert part.count("Next: ") == len(set(codes) & has_upcoming), label
        assert part.count("Latest: ") == len(set(codes) - has_upcoming), label
    assert "No upcoming events</span>" not in html


def test_index_entries_name_their_event_with_the_context_the_entry_does_not_give(web, store):
    """A directory entry's next/latest event reads as its summary: the title with the context it lacks,
    but never the entry's own country or process, which the entry's heading already names."""
    page = web.get("/?now=2019-06-01").get_data(as_text=True)
    entries = re.findall(
        r'href="/(countries|processes)/([\w-]+)\?now=2019-06-01">([^<]+)</a>.*?'
        r'(?:Next|Latest): <a href="/events/(\w+)\?now=2019-06-01">([^<]+)</a>',
        page, re.S,
    )  # fmt: skip
    assert len(entries) > 20
    with store() as session:
        titles = dict(session.execute(select(Event.uid, Event.title)).all())
    widened = 0
    for kind, _key, name, uid, label in entries:
        label, name, title = unescape(label), unescape(name), titles[uid]
        assert title in label, (name, label)
        if name.casefold() not in title.casefold():
            assert not label.startswith(name), (kind, name, label)
        widened += label != title
    assert widened, "some titles need context from another tag"


@pytest.mark.parametrize("value", ["yesterday", "2021-13-01", "<script>"])
def test_bad_now_is_a_400_page(web, value):
    response = web.get("/", query_string={"now": value})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "<script>" not in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_empty_database_index(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app(Settings(database_url=url, base_url=BASE), clock=fixed_clock(SAMPLE_NOW))
    html = app.test_client().get("/").get_data(as_text=True)
    assert "No events have been ingested yet" in html
    assert "No countries yet" in html


# -- search ------------------------------------------------------------------------------------------


def test_search_finds_events_and_links_to_them(web, store):
    response = web.get("/search?q=readmission")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    results = html.split('id="results-heading"')[1]
    titles = re.findall(r'class="event-title" href="/events/([^"]+)">([^<]*)</a>', results)
    assert titles
    with store() as session:
        for uid, _title in titles:
            event = session.scalar(select(Event).where(Event.uid == uid))
            text = f"{event.title} {event.description} {event.location or ''}".lower()
            assert "readmission" in text
    assert 'value="readmission"' in html


def test_search_without_terms_shows_only_the_form(web):
    html = web.get("/search").get_data(as_text=True)
    assert 'id="results-heading"' not in html
    assert '<form class="search-form" role="search"' in html


def test_search_filters_and_pages(web):
    html = web.get("/search?when=upcoming&status=scheduled").get_data(as_text=True)
    assert 'rel="next"' in html
    next_url = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    args = parse_qs(urlsplit(next_url).query)
    assert args["when"] == ["upcoming"] and args["status"] == ["scheduled"] and "after" in args
    second = web.get(next_url)
    assert second.status_code == 200
    first_uids = set(re.findall(r'class="event-title" href="/events/([^"]+)"', html))
    second_uids = set(
        re.findall(r'class="event-title" href="/events/([^"]+)"', second.get_data(as_text=True))
    )
    assert second_uids and not first_uids & second_uids
    cancelled = web.get("/search?status=cancelled").get_data(as_text=True)
    assert "badge-cancelled" in cancelled


@pytest.mark.parametrize(
    "query", ["q=" + "x" * 201, "status=maybe", "when=tomorrow", "q=visa&after=not-a-cursor"]
)
def test_bad_search_parameters_are_400(web, query):
    assert web.get(f"/search?{query}").status_code == 400


def test_search_text_is_treated_literally(web):
    response = web.get("/search", query_string={"q": "100% _ \\ <b>"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<b>" not in html and "&lt;b&gt;" in html


# -- country and process pages -------------------------------------------------------------------------


def test_country_page_has_timeline_list_and_subscribe_panel(web):
    response = web.get("/countries/MA")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    links = parse(html)
    assert "<h1>Morocco" in html
    assert "Southern Mediterranean countries" in html
    assert 'class="timeline"' in html and 'class="tl-bar gs-' in html
    assert "tl-now" in html  # 2021 track shows today
    assert "webcal://calendar.test/feeds/countries/MA.ics" in links.hrefs
    assert "/feeds/countries/MA.ics" in links.hrefs
    assert 'value="http://calendar.test/feeds/countries/MA.ics"' in html
    assert 'class="copy-button" data-copy-target="feed-url"' in html
    assert "From URL" in html and "Subscribe from web" in html and "about a day" in html
    assert "cid=" not in html
    assert 'id="upcoming-heading"' in html and 'id="past-heading"' in html


def test_timeline_marks_tentative_windows_and_cancellations(web, store):
    tentative = one_event(store, Event.tentative.is_(True), Event.precision == "quarter")
    with store() as session:
        code = session.scalar(select(EventCountry.code).where(EventCountry.event_id == tentative.id))
    if code:
        html = web.get(f"/countries/{code}").get_data(as_text=True)
    else:
        slug = session_slug(store, tentative.id)
        html = web.get(f"/processes/{slug}").get_data(as_text=True)
    bar = re.search(r'<span class="tl-bar [^"]*tentative[^"]*window[^"]*"', html)
    assert bar, "tentative windows get the tentative and window classes"
    assert ">tentative</span>" in html and ">window</span>" in html
    cancelled = one_event(store, Event.status == "cancelled")
    with store() as session:
        code = session.scalar(select(EventCountry.code).where(EventCountry.event_id == cancelled.id))
    if code:
        page = web.get(f"/countries/{code}").get_data(as_text=True)
        assert re.search(r'class="tl-bar [^"]*cancelled', page)
        assert ">cancelled</span>" in page


def session_slug(store, event_id: int) -> str:
    with store() as session:
        return session.scalar(select(EventProcess.slug).where(EventProcess.event_id == event_id))


def test_process_page(web):
    response = web.get("/processes/rabat-process")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Rabat Process</h1>" in html
    assert "webcal://calendar.test/feeds/processes/rabat-process.ics" in html
    assert 'class="tl-bar' in html


def test_lower_case_country_redirects_keeping_now(web):
    response = web.get("/countries/ma?now=2021-01-01")
    assert response.status_code == 308
    assert response.headers["Location"] == "/countries/MA?now=2021-01-01"


@pytest.mark.parametrize(
    "path", ["/countries/MAR", "/countries/M1", "/countries/QQ", "/countries/__", "/countries/"]
)
def test_unknown_or_malformed_countries_are_404(web, path):
    response = web.get(path)
    assert response.status_code == 404


def test_known_country_without_events_is_an_empty_page(web):
    response = web.get("/countries/FR")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "0 events" in html and "No events to draw yet" in html
    assert "/feeds/countries/FR.ics" in html


@pytest.mark.parametrize(
    "path",
    [
        "/processes/Rabat-Process",
        "/processes/rabat_process",
        "/processes/no-such-process",
        "/processes/-x",
        "/processes/" + "a" * 80,
        "/processes/x%3Cscript%3E",
    ],
)
def test_unknown_or_malformed_processes_are_404(web, path):
    response = web.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/countries/MA", "/processes/rabat-process"])
def test_subscribe_links_serve_calendars(web, path):
    links = parse(web.get(path).get_data(as_text=True))
    feeds = sorted({h for h in links.hrefs if h.startswith("/feeds/")})
    webcals = [h for h in links.hrefs if h.startswith("webcal://")]
    assert feeds and all(h.endswith(".ics") for h in feeds + webcals)
    for webcal in webcals:
        assert "/" + webcal.split("/", 3)[3] in feeds
    for href in feeds[:25]:
        response = web.get(href)
        assert response.status_code == 200, href
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.data.startswith(b"BEGIN:VCALENDAR")


# -- event page and .ics ---------------------------------------------------------------------------------


def test_event_page_shows_facts_provenance_and_history(web, store):
    event = one_event(store, Event.location.is_not(None))
    with store() as session:
        sources = session.scalars(select(EventSource).where(EventSource.event_id == event.id)).all()
        codes = session.scalars(select(EventCountry.code).where(EventCountry.event_id == event.id)).all()
        changes = session.scalars(select(EventChange).where(EventChange.event_id == event.id)).all()
    response = web.get(f"/events/{event.uid}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    links = parse(html)
    from markupsafe import escape

    assert re.search(f"<h1>[^<]*{re.escape(escape(event.title))}[^<]*</h1>", html)  # in its summary
    assert f'<q class="date-text">{escape(event.date_text)}</q>' in html
    assert f'<time datetime="{event.start.isoformat()}">' in html
    assert str(escape(event.location)) in html
    for source in sources:
        assert f'<span class="document-name">{source.document}</span>' in html
        assert f'<dd class="line">{source.line}</dd>' in html
        assert str(escape(source.raw)) in html
        if source.section:
            assert str(escape(source.section)) in html
    assert html.count('<pre class="raw"') == len(sources)
    for code in codes:
        assert f"/countries/{code}" in links.hrefs
    assert f"/events/{event.uid}.ics" in links.hrefs
    # every stored change, plus the creation (derived from created_at, not stored as a row)
    assert html.count("(revision ") == len(changes) + 1
    assert "<strong>created</strong> (revision 0)" in html


@pytest.fixture
def bare(sessions, clock):
    """An event whose title names neither its process nor its country (issue 18)."""
    with sessions.begin() as session:
        event = Event(
            uid="bare0001", key="steering committee", title="Steering Committee", description="",
            date_text="1 October 2021", start=dt.date(2021, 10, 1), end=dt.date(2021, 10, 1), precision="day",
            location="Ouagadougou", created_at=clock(), last_modified=clock(),
        )  # fmt: skip
        event.countries = [EventCountry(code="BF")]
        event.processes = [EventProcess(slug="rabat-process")]
        event.sources = [EventSource(document="doc.txt", line=7, section="Rabat Process", raw="row")]
        session.add(event)
    return "bare0001"


def test_pages_name_an_event_by_its_summary(client, bare):
    """The heading, the page title and the combined lists show the summary; a country's or process's list
    leaves out what its own heading says; the event page keeps the title as written among its facts."""
    full = "Rabat Process – Steering Committee, Ouagadougou"
    html = client.get("/events/bare0001").get_data(as_text=True)
    assert f"<h1>{full}</h1>" in html and f"<title>{full} · calendar-svc</title>" in html
    assert "<dt>Title as written</dt>\n  <dd><q>Steering Committee</q></dd>" in html
    for path, label in [
        ("/", full),
        ("/search?q=steering", full),
        ("/countries/BF", full),
        ("/processes/rabat-process", "Burkina Faso – Steering Committee, Ouagadougou"),
    ]:
        html = client.get(path).get_data(as_text=True)
        assert f'<a class="event-title" href="/events/bare0001">{label}</a>' in html, path


def test_event_ics_download(web, store):
    event = one_event(store, Event.precision == "day")
    response = web.get(f"/events/{event.uid}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    cal = icalendar.Calendar.from_ical(response.data)
    vevents = [c for c in cal.walk("VEVENT")]
    assert len(vevents) == 1
    assert str(vevents[0]["UID"]) == f"{event.uid}@calendar.test"
    assert vevents[0].decoded("DTSTART") == event.start
    assert str(vevents[0]["URL"]) == f"{BASE}/events/{event.uid}"


@pytest.mark.parametrize("uid", ["does-not-exist", "a.b", "x" * 65, "%3Cscript%3E"])
def test_unknown_events_are_404_pages(web, uid):
    response = web.get(f"/events/{uid}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Back to all calendars" in response.get_data(as_text=True)
    assert web.get(f"/events/{uid}.ics").status_code == 404


# -- every internal link resolves --------------------------------------------------------------------


def test_every_page_link_from_the_index_resolves(web):
    seen: set[str] = set()
    todo = ["/"]
    while todo and len(seen) < 400:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = web.get(path)
        assert response.status_code == 200, path
        if response.mimetype != "text/html":
            continue
        event_links = 0
        for href in parse(response.get_data(as_text=True)).hrefs:
            target = href.split("#")[0]
            if target.startswith("/events/"):
                event_links += 1
                if event_links > 2:  # a couple of events per page keeps the crawl short
                    continue
            if target.startswith(("/countries/", "/processes/", "/events/", "/search", "/static/")):
                todo.append(target)
    assert any(p.startswith("/events/") for p in seen)
    assert any(p.startswith("/processes/") for p in seen)


# -- escaping ------------------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile(db_url, sessions, clock):
    moment = clock()
    with sessions.begin() as session:
        event = Event(
            uid="hostile0001",
            key="hostile",
            title=f"Meeting {HOSTILE}",
            description=f"Notes {HOSTILE}",
            date_text=f"1 October 2021 {HOSTILE}",
            start=dt.date(2021, 10, 1),
            end=dt.date(2021, 10, 1),
            precision="day",
            location=f"Rabat {HOSTILE}",
            created_at=moment,
            last_modified=moment,
        )
        event.countries = [EventCountry(code="MA")]
        event.processes = [EventProcess(slug="rabat-process")]
        event.sources = [
            EventSource(
                document=f"doc{HOSTILE}.txt", line=7, section=f"Morocco {HOSTILE}", raw=f"row {HOSTILE}"
            )
        ]
        event.changes = [
            EventChange(
                changed_at=moment,
                document="doc.txt",
                kind="updated",
                sequence=1,
                fields={"title": [HOSTILE, "x"]},
            )
        ]
        session.add(event)
    return "hostile0001"


@pytest.mark.parametrize(
    "path", ["/", "/search?q=meeting", "/countries/MA", "/processes/rabat-process", "/events/hostile0001"]
)
def test_hostile_text_is_escaped(client, hostile, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    links = parse(html)  # also asserts there is no on* attribute
    assert all(s.get("src", "").startswith("/static/") for s in links.scripts)


def test_hostile_event_ics_is_valid(client, hostile):
    response = client.get("/events/hostile0001.ics")
    assert response.status_code == 200
    event = icalendar.Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert HOSTILE in str(event["SUMMARY"])


# -- headers and assets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=visa",
        "/countries/MA",
        "/processes/rabat-process",
        "/countries/QQ",
        "/events/nope",
        "/?now=x",
    ],
)
def test_security_headers_on_pages(web, path):
    response = web.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", ["/", "/countries/MA", "/search?q=visa"])
def test_pages_have_no_inline_script_or_style_and_no_external_assets(web, path):
    html = web.get(path).get_data(as_text=True)
    links = parse(html)
    assert links.scripts and all(set(s) <= {"src", "defer"} for s in links.scripts)
    assert links.styled == []
    assert not re.search(r'(src|href)="(https?:)?//', html.replace(f'value="{BASE}', ""))
    assert len(links.ids) == len(set(links.ids)), "duplicate ids"
    assert '<html lang="en">' in html and "<main" in html and 'name="viewport"' in html


def test_static_assets(web):
    css = web.get("/static/style.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    text = css.get_data(as_text=True)
    assert ".gs-53{grid-column-start:53}" in text and ".ge-54{grid-column-end:54}" in text
    assert ":focus-visible" in text
    assert "http" not in re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    js = web.get("/static/app.js")
    assert js.status_code == 200 and "clipboard" in js.get_data(as_text=True)
    assert web.get("/static/favicon.svg").status_code == 200


def test_templates_and_static_are_packaged():
    import tomllib

    root = Path(__file__).resolve().parent.parent
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "calendar_svc"
    ]
    package = root / "calendar_svc"
    shipped = {p for pattern in globs for p in package.glob(pattern) if p.is_file()}
    for folder in ("templates", "static"):
        for path in (package / folder).rglob("*"):
            if path.is_file():
                assert path in shipped, f"{path.relative_to(root)} is not in package-data"


@pytest.mark.parametrize("path", ["/upcoming", "/countries", "/no/such/page", "/events/"])
def test_addresses_no_route_knows_get_the_404_page(web, path):
    response = web.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "Back to all calendars" in body and "<main" in body
    assert "Content-Security-Policy" in response.headers
    api = web.get("/api/no-such-endpoint")
    assert api.status_code == 404 and api.is_json
