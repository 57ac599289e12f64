"""Hypothesis: whatever the parameter values (random text, numbers, dates, valid values, repeated and
unknown parameters, hostile path segments), the API and the feeds answer 200/304/400/404 with a JSON
error body, never a 5xx; 200s conform to the OpenAPI schema; and pages never repeat or lose events."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

try:
    from test_api import all_pages, response_schema, seeded_app, seeded_url, spec_validator, stored
except ImportError:  # tests/ imported as a package
    from tests.test_api import all_pages, response_schema, seeded_app, seeded_url, spec_validator, stored

from calendar_svc.queries import EventFilter
from calendar_svc.web.params import EVENT_PARAMS, FEED_PARAMS

__all__ = ["seeded_app", "seeded_url"]

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

BOOL_SPELLINGS = ("true", "1", "yes", "false", "0", "no")


def any_case(word: str) -> st.SearchStrategy[str]:
    return st.tuples(*(st.sampled_from([c.lower(), c.upper()]) for c in word)).map("".join)


BOOLEANS = st.sampled_from(BOOL_SPELLINGS).flatmap(any_case)

VALID = {
    "country": st.sampled_from(["MA", "tn", "TR", "XK", "AQ", "fr"]),
    "process": st.sampled_from(["rabat-process", "prague-process", "gfmd"]),
    "from": st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 1, 1)).map(str),
    "to": st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 1, 1)).map(str),
    "upcoming": BOOLEANS,
    "now": st.one_of(
        st.dates().map(str),
        st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))])).map(
            lambda m: m.isoformat()
        ),
    ),
    "q": st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    "status": st.sampled_from(["scheduled", "cancelled", "postponed"]),
    "tentative": BOOLEANS,
    "limit": st.integers(1, 500).map(str),
    "cursor": st.sampled_from(["MjAyMS0wOS0xNXx4", "MjAxOS0wMS0wMXw"]),
    "fuzzy": st.sampled_from(["auto", "span", "start", "omit"]),
}

ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(str),
    st.datetimes().map(lambda m: m.isoformat()),
    st.sampled_from(["", " ", "null", "true", "FALSE", "-1", "0", "1e3", "%", "\x00", "..", "/", "\u2028"]),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
)


def value_for(name: str) -> st.SearchStrategy[str]:
    return st.one_of(VALID[name], ANY_TEXT) if name in VALID else ANY_TEXT


def params_strategy(names: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    known = st.sampled_from(names).flatmap(lambda n: st.tuples(st.just(n), value_for(n)))
    unknown = st.tuples(st.text(min_size=1, max_size=10), ANY_TEXT)
    return st.lists(st.one_of(known, known, known, unknown), max_size=6)


@pytest.fixture(scope="module")
def client(seeded_app):
    return seeded_app.test_client()


@pytest.fixture(scope="module")
def spec(client):
    return client.get("/openapi.json").json


def check_error(response, allowed_params: set[str] | None = None) -> None:
    assert response.status_code < 500, response.data[:500]
    if response.status_code >= 400:
        assert response.headers["Content-Type"].startswith("application/json")
        body = response.json
        assert body["status"] == response.status_code and body["message"]
        if response.status_code == 400 and allowed_params is not None:
            assert body["parameter"] in allowed_params


@SETTINGS
@given(params=params_strategy([p.name for p in EVENT_PARAMS]))
def test_events_never_5xx(client, spec, params):
    response = client.get("/api/events?" + urlencode(params))
    check_error(response, {name for name, _ in params})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        spec_validator(spec, response_schema(spec, "/api/events", 200)).validate(response.json)
    else:
        spec_validator(spec, response_schema(spec, "/api/events", 400)).validate(response.json)


@SETTINGS
@given(params=st.fixed_dictionaries({}, optional={n: VALID[n] for n in VALID if n not in ("cursor", "fuzzy")}))
def test_valid_values_are_accepted(client, params):
    """Values the schema allows give 200, except the documented cross-parameter rule (from > to)."""
    response = client.get("/api/events", query_string=params)
    if "from" in params and "to" in params and params["from"] > params["to"]:
        assert response.status_code == 400 and response.json["parameter"] == "from"
    else:
        assert response.status_code == 200, response.json


@SETTINGS
@given(name=st.sampled_from(["upcoming", "tentative"]), value=BOOLEANS, now=st.sampled_from(["", "2023-06-01"]))
def test_boolean_spellings_mean_what_true_and_false_mean(client, name, value, now):
    """Any case of true/1/yes answers as `true`, of false/0/no as `false`: in the API and in the feeds."""
    canonical = "true" if value.lower() in ("true", "1", "yes") else "false"
    extra = {"now": now} if now else {}
    api = ("/api/events", {"limit": "500", **extra}, lambda r: r.json["events"])
    feed = ("/feeds/countries/MA.ics", extra, lambda r: r.data)
    for url, args, body in (api, feed):
        spelled = client.get(url, query_string={**args, name: value})
        plain = client.get(url, query_string={**args, name: canonical})
        assert spelled.status_code == plain.status_code == 200, (url, value)
        assert body(spelled) == body(plain), (url, value)


@SETTINGS
@given(
    name=st.sampled_from(["upcoming", "tentative"]),
    value=ANY_TEXT.filter(lambda v: v.lower() not in BOOL_SPELLINGS),
    url=st.sampled_from(["/api/events", "/feeds/all.ics"]),
)
def test_other_boolean_values_are_400_naming_the_parameter(client, name, value, url):
    response = client.get(url, query_string={name: value})
    assert response.status_code == 400, (name, value)
    assert response.json["parameter"] == name and name in response.json["message"]


@SETTINGS
@given(params=params_strategy([p.name for p in FEED_PARAMS]))
def test_feeds_never_5xx(client, params):
    response = client.get("/feeds/countries/MA.ics?" + urlencode(params))
    check_error(response, {name for name, _ in params})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")


@SETTINGS
@given(segment=st.text(max_size=30), kind=st.sampled_from(["countries", "processes"]))
def test_feed_paths_never_5xx(client, segment, kind):
    from urllib.parse import quote

    response = client.get(f"/feeds/{kind}/{quote(segment, safe='')}.ics")
    check_error(response)
    assert response.status_code in (200, 404) or (response.status_code == 308 and "/" in segment)


@SETTINGS
@given(uid=st.text(max_size=80))
def test_event_paths_never_5xx(client, uid):
    from urllib.parse import quote

    response = client.get(f"/api/events/{quote(uid, safe='')}")
    check_error(response)
    # 308: werkzeug merges the double slash of an encoded "/"; 405: the empty uid routes to /api/events/
    assert response.status_code in (200, 404, 405) or (response.status_code == 308 and "/" in uid)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    limit=st.integers(1, 120),
    country=st.sampled_from([None, "MA", "TN", "BA"]),
    tentative=st.sampled_from([None, "true", "false"]),
)
def test_pages_cover_everything_exactly_once(client, seeded_url, limit, country, tentative):
    query = {"limit": str(limit)}
    if country:
        query["country"] = country
    if tentative:
        query["tentative"] = tentative
    events = all_pages(client, "/api/events?" + urlencode(query))
    uids = [e["uid"] for e in events]
    flag = None if tentative is None else tentative == "true"
    assert uids == stored(seeded_url, EventFilter(country=country, tentative=flag))
