"""The JSON API: filters, cursor pagination, validation (400 naming the parameter), countries, processes,
event detail and the OpenAPI description (valid, and matching what the endpoints return).

The helpers at the top (a seeded database built once per process, synthetic events, schema validation)
are imported by tests/test_api_properties.py and tests/test_feed_http*.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from sqlalchemy import select

from calendar_svc.app import create_app
from calendar_svc.clock import fixed_clock
from calendar_svc.config import Settings
from calendar_svc.db import make_engine, session_factory
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import CatalogState, Event, EventCountry, EventProcess, EventSource
from calendar_svc.queries import EventFilter, find_events

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_NOW = dt.datetime(2021, 9, 15, 8, 0, tzinfo=dt.UTC)
BASE = "http://calendar.test"
SEED_DOCUMENTS = ("000", "001")  # the two state-of-play documents (several hundred events)

# ------------------------------------------------------------------------------------------- helpers

def seed(url: str) -> str:
    """Ingest the seed documents at SEED_NOW into the (migrated, empty) database at `url`."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    for prefix in SEED_DOCUMENTS:
        sample = next(SAMPLES.glob(f"{prefix}_*.txt"))
        summary = ingest_bytes(sessions, sample.name, sample.read_bytes(), clock=fixed_clock(SEED_NOW))
        assert summary.status == "ok", summary.line()
    engine.dispose()
    return url


def make_app(db_url: str, now: dt.datetime = SEED_NOW, **overrides):
    settings = Settings(database_url=db_url, base_url=BASE, admin_token="test-admin-token")
    return create_app(settings, clock=fixed_clock(now), **overrides)


@pytest.fixture(scope="module")
def seeded_url(module_db_url) -> str:
    """A seeded database per module and back end (read-only tests share it)."""
    return seed(module_db_url)


@pytest.fixture(scope="module")
def seeded_app(seeded_url):
    return make_app(seeded_url)


@pytest.fixture(scope="module")
def api(seeded_app):
    return seeded_app.test_client()


@pytest.fixture
def fresh_url(seeded_url, clone_db) -> str:
    """A private copy of the seeded database, for tests that change it."""
    return clone_db(seeded_url)


def add_event(
    db_url: str,
    uid: str,
    *,
    start: str,
    end: str | None = None,
    title: str | None = None,
    status: str = "scheduled",
    tentative: bool = False,
    precision: str = "day",
    countries: tuple[str, ...] = ("MA",),
    processes: tuple[str, ...] = (),
    changed: dt.datetime = SEED_NOW,
    bump: bool = True,
    sequence: int = 0,
) -> None:
    """Insert one event directly (exact control over dates, status and revision fields)."""
    engine = make_engine(db_url)
    try:
        with session_factory(engine).begin() as session:
            event = Event(
                uid=uid,
                key=uid,
                title=title or f"Synthetic event {uid}",
                description="",
                date_text=start,
                start=dt.date.fromisoformat(start),
                end=dt.date.fromisoformat(end or start),
                precision=precision,
                tentative=tentative,
                status=status,
                location=None,
                sequence=sequence,
                created_at=changed,
                last_modified=changed,
            )
            event.countries = [EventCountry(code=c) for c in countries]
            event.processes = [EventProcess(slug=p) for p in processes]
            event.sources = [EventSource(document="synthetic.txt", line=1, section=None, raw="", date_text=start)]
            session.add(event)
            if bump:
                state = session.get(CatalogState, 1)
                if state is None:
                    session.add(CatalogState(id=1, changed_at=changed))
                else:
                    state.changed_at = changed
    finally:
        engine.dispose()


def spec_validator(spec: dict, schema: dict) -> OAS30Validator:
    """A validator for `schema` (which may $ref the spec's components)."""
    return OAS30Validator({**schema, "components": spec["components"]})


def response_schema(spec: dict, path: str, status: int) -> dict:
    return spec["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]


def all_pages(client, url: str) -> list[dict]:
    """Follow `next` links; returns every event of every page."""
    events: list[dict] = []
    seen_urls = set()
    while url:
        assert url not in seen_urls, "pagination loops"
        seen_urls.add(url)
        response = client.get(url)
        assert response.status_code == 200, response.json
        events += response.json["events"]
        url = response.json["next"]
        if url:
            assert url.startswith(BASE + "/api/events?")
            url = url[len(BASE) :]
    return events


def stored(db_url: str, flt: EventFilter | None = None) -> list[str]:
    flt = flt or EventFilter()
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            return [e.uid for e in find_events(session, flt)]
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------------------- events


def test_default_page_and_next_url(api, seeded_url):
    response = api.get("/api/events")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json
    assert set(body) == {"events", "next"}
    assert len(body["events"]) == 100
    parts = urlsplit(body["next"])
    assert f"{parts.scheme}://{parts.netloc}" == BASE and parts.path == "/api/events"
    assert set(parse_qs(parts.query)) == {"cursor"}
    first = body["events"][0]
    for field in ("uid", "title", "summary", "description", "date_text", "start", "end", "precision", "tentative",
                  "status", "location", "countries", "processes", "sources"):
        assert field in first
    assert first["url"] == f"{BASE}/events/{first['uid']}"


def test_pagination_covers_every_event_exactly_once(api, seeded_url):
    events = all_pages(api, "/api/events?limit=37")
    uids = [e["uid"] for e in events]
    assert len(uids) == len(set(uids))
    assert uids == stored(seeded_url)  # (start, uid) order, all of them
    keys = [(e["start"], e["uid"]) for e in events]
    assert keys == sorted(keys)


@pytest.mark.parametrize("limit", [1, 2, 99, 500])
def test_pagination_with_filters(api, seeded_url, limit):
    query = "country=tn&from=2019-06-01&tentative=false"
    events = all_pages(api, f"/api/events?{query}&limit={limit}") if limit > 1 else []
    if limit == 1:  # one page per event; keep it short by filtering further
        events = all_pages(api, "/api/events?country=TN&from=2021-01-01&limit=1")
        expected = stored(seeded_url, EventFilter(country="TN", date_from=dt.date(2021, 1, 1)))
    else:
        expected = stored(seeded_url, EventFilter(country="TN", date_from=dt.date(2019, 6, 1), tentative=False))
    assert [e["uid"] for e in events] == expected
    assert expected


def test_last_page_has_null_next(api):
    response = api.get("/api/events?limit=500&country=MA")
    assert response.json["next"] is None
    assert 0 < len(response.json["events"]) < 500


def test_next_url_keeps_filters_and_pins_today(api):
    body = api.get("/api/events?upcoming=true&limit=2&country=TN").json
    query = parse_qs(urlsplit(body["next"]).query)
    assert query["upcoming"] == ["true"] and query["country"] == ["TN"] and query["limit"] == ["2"]
    assert query["now"] == ["2021-09-15"]


def test_filters(api, seeded_url):
    def uids(query: str) -> set[str]:
        return {e["uid"] for e in all_pages(api, f"/api/events?limit=500&{query}")}

    every = all_pages(api, "/api/events?limit=500")
    assert len(every) == len(stored(seeded_url))
    by_uid = {e["uid"]: e for e in every}

    ma = uids("country=MA")
    assert ma == uids("country=ma") and ma
    assert all("MA" in by_uid[u]["countries"] for u in ma)
    assert ma == {u for u, e in by_uid.items() if "MA" in e["countries"]}

    rabat = uids("process=rabat-process")
    assert rabat == {u for u, e in by_uid.items() if "rabat-process" in e["processes"]} and rabat

    window = uids("from=2020-01-01&to=2020-12-31")
    assert window == {u for u, e in by_uid.items() if e["end"] >= "2020-01-01" and e["start"] <= "2020-12-31"}

    upcoming = uids("upcoming=true")
    assert upcoming == {u for u, e in by_uid.items() if e["end"] >= "2021-09-15"}  # the app's clock
    assert uids("upcoming=true&now=2022-03-01") == {u for u, e in by_uid.items() if e["end"] >= "2022-03-01"}
    assert uids("upcoming=true&now=2022-03-01T23:30:00-05:00") == {  # 04:30 UTC, Brussels 05:30 on 2 March
        u for u, e in by_uid.items() if e["end"] >= "2022-03-02"
    }
    assert uids("upcoming=false") == set(by_uid)
    assert uids("upcoming=true&from=2023-01-01") == {u for u, e in by_uid.items() if e["end"] >= "2023-01-01"}

    tentative = uids("tentative=true")
    assert tentative == {u for u, e in by_uid.items() if e["tentative"]} and tentative
    assert uids("tentative=false") == set(by_uid) - tentative

    for status in ("scheduled", "cancelled", "postponed"):
        assert uids(f"status={status}") == {u for u, e in by_uid.items() if e["status"] == status}

    word = "readmission"
    hits = uids(f"q={word}")
    assert hits and hits == {
        u for u, e in by_uid.items()
        if word in (e["title"] + " " + e["description"] + " " + (e["location"] or "")).lower()
    }
    assert uids("q=READMISSION") == hits
    assert uids("q=%25") <= set(by_uid)  # LIKE metacharacters are literal
    assert uids("q=") == set(by_uid)
    assert uids("q=zzzz-no-such-word") == set()


BAD = [
    ("country", ["", "M", "MAR", "12", "ZZ", "Ma1", "M%C3%A9"]),
    ("process", ["", "Rabat-Process", "nope", "rabat_process", "../x"]),
    ("from", ["", "2021-13-01", "2021-02-30", "20210101", "2021-1-1", "yesterday", "0000-01-01"]),
    ("to", ["2021-09-15T00:00:00", "x"]),
    ("upcoming", ["", "on", "2", "y", " true", "truee", "yes!"]),
    ("now", ["", "tomorrow", "2021-02-30", "2021-09-15T25:00:00", "2021-09-15T10:00:00+24:00"]),
    ("q", ["x" * 201, "a%00b", "line%0Abreak"]),
    ("status", ["", "done", "CANCELLED"]),
    ("tentative", ["maybe", "off", "-1", "00", "nope"]),
    ("limit", ["", "0", "501", "-1", "1.5", "ten", "99999999999999999999"]),
    ("cursor", ["", "!!!", "bm90LWEtY3Vyc29y", "x" * 300, "MjAyMS0xMy0wMXxhYmM"]),
]


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, values in BAD for v in values])
def test_bad_parameters_give_400_naming_them(api, name, value):
    response = api.get(f"/api/events?{name}={value}")
    assert response.status_code == 400, (name, value, response.json)
    assert response.json["parameter"] == name
    assert response.json["status"] == 400 and response.json["error"] == "Bad Request"
    assert name in response.json["message"]


def test_booleans_take_the_usual_spellings_in_any_case(api):
    def uids(query: str) -> list[str]:
        return [e["uid"] for e in all_pages(api, f"/api/events?limit=500&{query}")]

    for name in ("upcoming", "tentative"):
        yes, no = uids(f"{name}=true"), uids(f"{name}=false")
        assert yes != no, name  # the samples make the two differ, so equal answers mean something
        for spelling in ("1", "yes", "TRUE", "Yes", "tRuE"):
            assert uids(f"{name}={spelling}") == yes, (name, spelling)
        for spelling in ("0", "no", "FALSE", "No", "fAlSe"):
            assert uids(f"{name}={spelling}") == no, (name, spelling)
    message = api.get("/api/events?upcoming=on").json["message"]
    assert "true/false/1/0/yes/no" in message and "'on'" in message


def test_other_400s(api):
    cases = {
        "/api/events?from=2022-01-01&to=2021-01-01": "from",
        "/api/events?country=MA&country=TN": "country",
        "/api/events?colour=blue": "colour",
        "/api/countries?x=1": "x",
        "/api/processes?limit=3": "limit",
    }
    for url, name in cases.items():
        response = api.get(url)
        assert response.status_code == 400, url
        assert response.json["parameter"] == name


def test_from_equal_to_is_fine(api):
    assert api.get("/api/events?from=2021-01-01&to=2021-01-01").status_code == 200


def test_leap_second_and_offsets_in_now(api):
    for now in ("2021-09-15T23:59:60Z", "2021-09-15t10:00:00.123456789z", "2021-09-15 10:00", "2021-09-15"):
        assert api.get("/api/events", query_string={"upcoming": "true", "now": now}).status_code == 200


# ------------------------------------------------------------------------------------------- detail


def test_event_detail_with_history(api):
    uid = api.get("/api/events?limit=1").json["events"][0]["uid"]
    response = api.get(f"/api/events/{uid}")
    assert response.status_code == 200
    body = response.json
    assert body["uid"] == uid
    assert body["history"] and body["history"][0]["kind"] == "created"


def test_summary_adds_the_context_and_title_stays_as_written(fresh_url):
    add_event(fresh_url, "bare", start="2021-10-05", title="Steering Committee", countries=("BF",),
              processes=("rabat-process",))
    add_event(fresh_url, "named", start="2021-10-06", title="EU-Morocco Association Council")
    client = make_app(fresh_url).test_client()
    bare = client.get("/api/events/bare").json
    assert (bare["title"], bare["summary"]) == ("Steering Committee", "Rabat Process – Steering Committee")
    named = client.get("/api/events/named").json
    assert named["summary"] == named["title"] == "EU-Morocco Association Council"


@pytest.mark.parametrize("uid", ["nope", "x" * 65, "a%20b", "%00", "..", "%2e%2e"])
def test_unknown_event_is_404_json(api, uid):
    response = api.get(f"/api/events/{uid}")
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_api_etag_and_304(api):
    first = api.get("/api/events?country=MA")
    etag = first.headers["ETag"]
    assert api.get("/api/events?country=MA", headers={"If-None-Match": etag}).status_code == 304
    assert api.get("/api/countries").headers["Access-Control-Allow-Origin"] == "*"


# ------------------------------------------------------------------------------------------- tags


def test_countries(api, seeded_url):
    rows = api.get("/api/countries").json
    codes = [r["code"] for r in rows]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    by_code = {r["code"]: r for r in rows}
    assert by_code["MA"]["name"] == "Morocco"
    assert by_code["MA"]["event_count"] == len(stored(seeded_url, EventFilter(country="MA")))
    assert by_code["MA"]["feed_url"] == f"{BASE}/feeds/countries/MA.ics"
    for row in rows:
        assert set(row) >= {"code", "name", "event_count", "feed_url"} and row["event_count"] > 0
        assert api.head(row["feed_url"][len(BASE) :]).status_code == 200


def test_processes(api, seeded_url):
    from parsers.tagging import PROCESSES

    rows = api.get("/api/processes").json
    assert sorted(r["slug"] for r in rows) == sorted(p.slug for p in PROCESSES)
    for row in rows:
        assert row["event_count"] == len(stored(seeded_url, EventFilter(process=row["slug"])))
        assert row["feed_url"] == f"{BASE}/feeds/processes/{row['slug']}.ics"
        assert api.head(row["feed_url"][len(BASE) :]).status_code == 200
    assert {r["slug"]: r["name"] for r in rows}["rabat-process"] == "Rabat Process"


def test_empty_database(app, client):
    assert client.get("/api/events").json == {"events": [], "next": None}
    assert client.get("/api/countries").json == []
    assert all(r["event_count"] == 0 for r in client.get("/api/processes").json)


# ------------------------------------------------------------------------------------------- OpenAPI


@pytest.fixture(scope="module")
def spec(api) -> dict:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    return response.json


def test_openapi_is_valid(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert {"/api/events", "/api/events/{uid}", "/api/countries", "/api/processes", "/openapi.json",
            "/feeds/all.ics", "/feeds/countries/{code}.ics", "/feeds/processes/{slug}.ics"} <= set(spec["paths"])


def test_openapi_parameters_match_the_view(spec):
    from calendar_svc.web.params import EVENT_PARAMS, FEED_PARAMS

    params = spec["paths"]["/api/events"]["get"]["parameters"]
    assert [p["name"] for p in params] == [p.name for p in EVENT_PARAMS]
    feed = spec["paths"]["/feeds/all.ics"]["get"]["parameters"]
    assert [p["name"] for p in feed] == [p.name for p in FEED_PARAMS]
    assert {p["name"]: p for p in params}["limit"]["schema"]["maximum"] == 500
    for name in ("upcoming", "tentative"):
        for where in (params, feed):
            param = {p["name"]: p for p in where}[name]
            assert param["schema"] == {"type": "string", "enum": ["true", "1", "yes", "false", "0", "no"]}
            assert "case-insensitive" in param["description"]


def test_responses_conform_to_the_schema(api, spec):
    page = api.get("/api/events?limit=500").json
    spec_validator(spec, response_schema(spec, "/api/events", 200)).validate(page)
    uid = page["events"][0]["uid"]
    spec_validator(spec, response_schema(spec, "/api/events/{uid}", 200)).validate(api.get(f"/api/events/{uid}").json)
    spec_validator(spec, response_schema(spec, "/api/events/{uid}", 404)).validate(api.get("/api/events/x").json)
    spec_validator(spec, response_schema(spec, "/api/countries", 200)).validate(api.get("/api/countries").json)
    spec_validator(spec, response_schema(spec, "/api/processes", 200)).validate(api.get("/api/processes").json)
    spec_validator(spec, response_schema(spec, "/api/events", 400)).validate(api.get("/api/events?limit=0").json)


def test_schema_rejects_what_the_api_rejects(spec):
    """The published parameter schemas refuse sample bad values the view refuses (and accept good ones)."""
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    good = {"country": "MA", "process": "rabat-process", "from": "2021-01-01", "status": "cancelled",
            "limit": 500, "q": "visa", "now": "2021-09-15T08:00:00Z", "upcoming": "1", "tentative": "no"}
    bad = {"country": "ZZ", "process": "nope", "from": "20210101", "status": "done", "limit": 501,
           "q": "a\x00b", "now": "tomorrow", "upcoming": "on", "tentative": "maybe"}
    for name, value in good.items():
        assert spec_validator(spec, params[name]).is_valid(value), name
    for name, value in bad.items():
        assert not spec_validator(spec, params[name]).is_valid(value), name


def test_stored_fixture_is_consistent(seeded_url):
    engine = make_engine(seeded_url)
    with session_factory(engine)() as session:
        assert session.scalar(select(CatalogState.changed_at)) is not None
    engine.dispose()


@pytest.mark.parametrize("url", ["/api/events", "/api/countries", "/openapi.json", "/feeds/all.ics"])
def test_405_has_allow_header(api, url):
    for method in ("POST", "DELETE", "TRACE"):
        response = api.open(url, method=method)
        assert response.status_code == 405
        assert response.json["status"] == 405
        assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
