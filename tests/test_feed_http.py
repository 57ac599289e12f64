"""Feeds over HTTP: headers, validators (strong ETag, Last-Modified that never moves backwards), conditional
GET with If-None-Match precedence, HEAD, gzip, 404s, render-once caching, time-dependent content
(cancellation grace, past window), the cap, and `calendar-svc export-feeds`."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import logging
import os

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from sqlalchemy import delete, text
from werkzeug.http import http_date, parse_date

from calendar_svc.app import create_app
from calendar_svc.config import Settings
from calendar_svc.db import make_engine, session_factory
from calendar_svc.feed_cache import catalog_stamp
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Event

try:
    from test_api import BASE, SAMPLES, SEED_NOW, add_event, fresh_url, make_app, seeded_app, seeded_url
except ImportError:  # tests/ imported as a package
    from tests.test_api import BASE, SAMPLES, SEED_NOW, add_event, fresh_url, make_app, seeded_app, seeded_url

__all__ = ["fresh_url", "seeded_app", "seeded_url"]  # fixtures used below

FEEDS = ["/feeds/all.ics", "/feeds/countries/MA.ics", "/feeds/processes/rabat-process.ics"]


@pytest.fixture(scope="module")
def feeds(seeded_app):
    return seeded_app.test_client()


def lm(response) -> dt.datetime:
    return parse_date(response.headers["Last-Modified"])


def cal_desc(body: bytes) -> str:
    return str(Calendar.from_ical(body)["X-WR-CALDESC"])


def uids(body: bytes) -> list[str]:
    return [str(ev["UID"]) for ev in Calendar.from_ical(body).walk("VEVENT")]


# ------------------------------------------------------------------------------------------- headers


@pytest.mark.parametrize("url", FEEDS)
def test_headers(feeds, url):
    response = feeds.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    etag = response.headers["ETag"]
    assert etag == '"' + hashlib.sha256(response.data).hexdigest()[:32] + '"'  # strong, over the bytes
    # catalog_state.changed_at: the seeding clock, moved a second forward per ingest that changed something
    assert SEED_NOW <= lm(response) <= SEED_NOW + dt.timedelta(minutes=1)
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "max-age" in response.headers["Cache-Control"]
    assert "Content-Encoding" not in response.headers
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")


def test_names_and_uid_host(feeds):
    ma = Calendar.from_ical(feeds.get("/feeds/countries/MA.ics").data)
    assert str(ma["X-WR-CALNAME"]) == "Morocco – EU migration dialogues" == str(ma["NAME"])
    assert "Morocco (MA)" in str(ma["X-WR-CALDESC"])
    rabat = Calendar.from_ical(feeds.get("/feeds/processes/rabat-process.ics").data)
    assert str(rabat["X-WR-CALNAME"]) == "Rabat Process – EU migration dialogues"
    everything = feeds.get("/feeds/all.ics").data
    assert str(Calendar.from_ical(everything)["X-WR-CALNAME"]) == "EU migration dialogues"
    assert all(u.endswith("@calendar.test") for u in uids(everything))
    assert b"\r\nURL:http://calendar.test/events/" in everything


def test_country_name_with_comma_is_put_straight(feeds):
    cal = Calendar.from_ical(feeds.get("/feeds/countries/FM.ics").data)  # "Micronesia, Federated States of"
    assert str(cal["X-WR-CALNAME"]) == "Federated States of Micronesia – EU migration dialogues"


def test_valid_country_without_events_is_an_empty_calendar(feeds):
    response = feeds.get("/feeds/countries/AQ.ics")  # Antarctica: a real ISO code, no dialogues
    assert response.status_code == 200
    assert uids(response.data) == []
    assert feeds.get("/feeds/countries/XK.ics").status_code == 200  # Kosovo


# ------------------------------------------------------------------------------------------- 404 / 400


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/countries/ZZ.ics",  # well-formed, not a country
        "/feeds/countries/EU.ics",
        "/feeds/countries/ma.ics",  # codes are upper case
        "/feeds/countries/MAR.ics",
        "/feeds/countries/M.ics",
        "/feeds/countries/MA.ICS",
        "/feeds/countries/MA",
        "/feeds/countries/.ics",
        "/feeds/countries/..%2F..%2Fetc%2Fpasswd.ics",
        "/feeds/countries/../all.ics",
        "/feeds/countries/%2e%2e.ics",
        "/feeds/countries/MA%00.ics",
        "/feeds/processes/nope.ics",
        "/feeds/processes/Rabat-Process.ics",
        "/feeds/processes/rabat_process.ics",
        "/feeds/processes/..%2Fall.ics",
        "/feeds/processes/.ics",
        "/feeds/all.ics/x",
        "/feeds/everything.ics",
        "/feeds/",
    ],
)
def test_unknown_feeds_are_404_json(feeds, url):
    response = feeds.get(url)
    assert response.status_code == 404, url
    assert response.json["status"] == 404
    assert feeds.head(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("fuzzy=wide", "fuzzy"),
        ("fuzzy=", "fuzzy"),
        ("from=2021-02-30", "from"),
        ("to=soon", "to"),
        ("from=2022-01-01&to=2021-01-01", "from"),
        ("upcoming=on", "upcoming"),
        ("tentative=maybe", "tentative"),
        ("now=later", "now"),
        ("fuzzy=span&fuzzy=start", "fuzzy"),
    ],
)
def test_bad_feed_parameters_are_400_json(feeds, query, name):
    response = feeds.get(f"/feeds/all.ics?{query}")
    assert response.status_code == 400
    assert response.json["parameter"] == name


def test_unknown_feed_parameters_are_ignored(feeds):
    plain = feeds.get("/feeds/countries/MA.ics")
    other = feeds.get("/feeds/countries/MA.ics?utm_source=x&client=outlook")
    assert other.status_code == 200 and other.data == plain.data and other.headers["ETag"] == plain.headers["ETag"]


# ------------------------------------------------------------------------------------------- conditional GET


def test_if_none_match(feeds):
    first = feeds.get("/feeds/all.ics")
    etag = first.headers["ETag"]
    for header in (etag, f'"nope", {etag}', f"W/{etag}", "*"):
        response = feeds.get("/feeds/all.ics", headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.data == b""
        assert response.headers["ETag"] == etag
        assert "Accept-Encoding" in response.headers["Vary"]
        assert "Cache-Control" in response.headers
    for header in ('"nope"', etag[:-2] + '"', "", "garbage"):
        response = feeds.get("/feeds/all.ics", headers={"If-None-Match": header})
        assert response.status_code == 200, header
        assert response.data == first.data


def test_if_modified_since(feeds):
    first = feeds.get("/feeds/all.ics")
    stamp = lm(first)
    for since in (stamp, stamp + dt.timedelta(seconds=1), stamp + dt.timedelta(days=400)):
        response = feeds.get("/feeds/all.ics", headers={"If-Modified-Since": http_date(since)})
        assert response.status_code == 304
        assert response.data == b""
    earlier = http_date(stamp - dt.timedelta(seconds=1))
    assert feeds.get("/feeds/all.ics", headers={"If-Modified-Since": earlier}).status_code == 200
    assert feeds.get("/feeds/all.ics", headers={"If-Modified-Since": "not a date"}).status_code == 200


def test_if_none_match_takes_precedence(feeds):
    first = feeds.get("/feeds/all.ics")
    etag, stamp = first.headers["ETag"], lm(first)
    future, past = http_date(stamp + dt.timedelta(days=1)), http_date(stamp - dt.timedelta(days=1))
    # a stale ETag with a fresh date: the ETag decides -> 200
    stale = feeds.get("/feeds/all.ics", headers={"If-None-Match": '"stale"', "If-Modified-Since": future})
    assert stale.status_code == 200 and stale.data == first.data
    # a matching ETag with an old date: the ETag decides -> 304
    fresh = feeds.get("/feeds/all.ics", headers={"If-None-Match": etag, "If-Modified-Since": past})
    assert fresh.status_code == 304


def test_head(feeds):
    get = feeds.get("/feeds/countries/MA.ics")
    head = feeds.head("/feeds/countries/MA.ics")
    assert head.status_code == 200
    assert head.data == b""
    for name in ("ETag", "Last-Modified", "Content-Type", "Content-Length", "Cache-Control", "Vary"):
        assert head.headers[name] == get.headers[name], name
    conditional = feeds.head("/feeds/countries/MA.ics", headers={"If-None-Match": get.headers["ETag"]})
    assert conditional.status_code == 304
    gz = feeds.head("/feeds/countries/MA.ics", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gz.data == b""


# ------------------------------------------------------------------------------------------- gzip


def test_gzip(feeds):
    plain = feeds.get("/feeds/all.ics")
    zipped = feeds.get("/feeds/all.ics", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data) / 3
    # a different representation gets a different strong ETag, over its own bytes
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert zipped.headers["ETag"] == '"' + hashlib.sha256(zipped.data).hexdigest()[:32] + '"'
    assert zipped.headers["Last-Modified"] == plain.headers["Last-Modified"]
    # byte-identical on repeat (gzip mtime is fixed)
    again = feeds.get("/feeds/all.ics", headers={"Accept-Encoding": "gzip"})
    assert again.data == zipped.data and again.headers["ETag"] == zipped.headers["ETag"]


def test_gzip_negotiation(feeds):
    def encoding(accept: str | None) -> str | None:
        headers = {"Accept-Encoding": accept} if accept is not None else {}
        return feeds.get("/feeds/countries/MA.ics", headers=headers).headers.get("Content-Encoding")

    assert encoding(None) is None
    assert encoding("identity") is None
    assert encoding("br") is None
    assert encoding("gzip;q=0") is None
    assert encoding("gzip;q=0, *") is None
    assert encoding("*") == "gzip"
    assert encoding("GZIP;q=0.5") == "gzip"


def test_conditional_requests_per_representation(feeds):
    plain = feeds.get("/feeds/all.ics")
    zipped = feeds.get("/feeds/all.ics", headers={"Accept-Encoding": "gzip"})
    gz_headers = {"Accept-Encoding": "gzip"}
    # the stored gzip representation revalidates; the identity ETag does not select the gzip one
    assert feeds.get("/feeds/all.ics", headers={**gz_headers, "If-None-Match": zipped.headers["ETag"]}).status_code == 304
    assert feeds.get("/feeds/all.ics", headers={**gz_headers, "If-None-Match": plain.headers["ETag"]}).status_code == 200
    assert feeds.get("/feeds/all.ics", headers={"If-None-Match": zipped.headers["ETag"]}).status_code == 200
    both = f'{plain.headers["ETag"]}, {zipped.headers["ETag"]}'
    assert feeds.get("/feeds/all.ics", headers={**gz_headers, "If-None-Match": both}).status_code == 304


# ------------------------------------------------------------------------------------------- render once, changes


def test_byte_identical_when_nothing_changed(seeded_url, feeds):
    other_worker = make_app(seeded_url).test_client()  # a separate cache, as in another gunicorn worker
    for url in FEEDS + ["/feeds/all.ics?fuzzy=span&tentative=false"]:
        first = feeds.get(url)
        assert feeds.get(url).data == first.data
        second = other_worker.get(url)
        assert second.data == first.data
        assert second.headers["ETag"] == first.headers["ETag"]
        assert second.headers["Last-Modified"] == first.headers["Last-Modified"]


def test_rendered_once_until_an_ingest(fresh_url):
    app = make_app(fresh_url)
    client = app.test_client()
    first = client.get("/feeds/all.ics")
    cache = app.extensions["calendar_svc.feed_cache"]
    renders = cache.renders
    for _ in range(5):
        assert client.get("/feeds/all.ics").data == first.data
        client.get("/feeds/all.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert cache.renders == renders

    later = SEED_NOW + dt.timedelta(days=3, hours=1)
    engine = make_engine(fresh_url)
    sessions = session_factory(engine)
    # the same document again: nothing changes, nothing is re-rendered
    seed = next(SAMPLES.glob("000_*.txt"))
    ingest_bytes(sessions, seed.name, seed.read_bytes(), clock=lambda: later)
    assert client.get("/feeds/all.ics").headers["ETag"] == first.headers["ETag"]
    assert cache.renders == renders

    # a change in the store invalidates the cached copy (any worker sees the new stamp)
    add_event(fresh_url, "new-one", start="2021-10-01", changed=later)
    engine.dispose()
    changed = client.get("/feeds/all.ics")
    assert cache.renders == renders + 1
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert lm(changed) == later > lm(first)
    assert "new-one@calendar.test" in uids(changed.data)
    assert client.get("/feeds/all.ics", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
    old_since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get("/feeds/all.ics", headers=old_since).status_code == 200


def test_real_ingest_changes_etag_and_moves_last_modified_forward(tmp_path):
    from calendar_svc.schema import upgrade

    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    seed = next(SAMPLES.glob("001_*.txt"))
    ingest_bytes(sessions, seed.name, seed.read_bytes(), clock=lambda: SEED_NOW)
    client = make_app(url).test_client()
    before = client.get("/feeds/all.ics")
    later = SEED_NOW + dt.timedelta(hours=5)
    other = next(SAMPLES.glob("000_*.txt"))
    assert ingest_bytes(sessions, other.name, other.read_bytes(), clock=lambda: later).status == "ok"
    after = client.get("/feeds/all.ics")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert lm(after) == later
    assert len(uids(after.data)) > len(uids(before.data))
    engine.dispose()


def test_deletion_changes_etag_and_last_modified_never_goes_back(fresh_url):
    newest = SEED_NOW + dt.timedelta(days=2)
    add_event(fresh_url, "to-delete", start="2021-11-01", changed=newest)
    client = make_app(fresh_url).test_client()
    before = client.get("/feeds/countries/MA.ics")
    assert lm(before) == newest
    engine = make_engine(fresh_url)
    with session_factory(engine).begin() as session:  # a removal that does not touch catalog_state
        session.execute(delete(Event).where(Event.uid == "to-delete"))
    engine.dispose()
    after = client.get("/feeds/countries/MA.ics")
    assert "to-delete@calendar.test" not in uids(after.data)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert lm(after) >= lm(before)  # not max(event.last_modified), which would go back to SEED_NOW


def test_catalog_stamp_moves_on_every_write_to_the_catalogue(fresh_url):
    """The stamp is two single-row reads (migration 0012's counter), yet no write to an event table slips
    past it, however it is made: even one that changes no value."""
    engine = make_engine(fresh_url)
    writes = [
        "UPDATE events SET title = title WHERE id = (SELECT min(id) FROM events)",
        "UPDATE event_sources SET line = line WHERE id = (SELECT min(id) FROM event_sources)",
        "DELETE FROM event_countries WHERE event_id = (SELECT min(event_id) FROM event_countries)",
        "UPDATE event_processes SET slug = slug WHERE event_id = (SELECT min(event_id) FROM event_processes)",
        "INSERT INTO event_changes (event_id, changed_at, document, kind, sequence, fields)"
        " SELECT min(id), CURRENT_TIMESTAMP, 'x.txt', 'updated', 1, '{}' FROM events",
        "DELETE FROM events WHERE id = (SELECT max(id) FROM events)",
    ]
    stamps = [catalog_stamp(engine)]
    try:
        for statement in writes:
            with engine.begin() as connection:
                assert connection.execute(text(statement)).rowcount > 0, statement
            stamps.append(catalog_stamp(engine))
    finally:
        engine.dispose()
    assert len(set(stamps)) == len(stamps)


def test_no_catalog_state_means_no_last_modified(app, client):
    response = client.get("/feeds/all.ics")
    assert response.status_code == 200 and "Last-Modified" not in response.headers
    assert client.get("/feeds/all.ics", headers={"If-Modified-Since": http_date(SEED_NOW)}).status_code == 200


# ------------------------------------------------------------------------------------------- answers replayed


def _without_request_id(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name != "X-Request-ID"}


def test_repeated_feed_requests_are_answered_before_the_app_while_nothing_changes(fresh_url, caplog):
    moment = [SEED_NOW]
    settings = Settings(database_url=fresh_url, base_url=BASE, admin_token="test-admin-token")
    app = create_app(settings, clock=lambda: moment[0])
    client = app.test_client()
    shortcut = app.wsgi_app
    url = "/feeds/countries/MA.ics"
    full = client.get(url)  # the app answers
    etag = full.headers["ETag"]
    conditional = {"If-None-Match": etag, "X-Request-ID": "poll-2"}
    first = client.get(url, headers={**conditional, "X-Request-ID": "poll-1"})
    assert first.status_code == 304 and shortcut.replayed == 0
    caplog.set_level(logging.INFO, logger="calendar_svc.access")
    caplog.clear()
    again = client.get(url, headers=conditional)
    assert again.status_code == 304 and again.data == b"" and shortcut.replayed == 1
    assert again.headers["X-Request-ID"] == "poll-2" and first.headers["X-Request-ID"] == "poll-1"
    assert _without_request_id(again) == _without_request_id(first)
    logged = [r for r in caplog.records if r.name == "calendar_svc.access"]
    assert [(r.path, r.status, r.request_id) for r in logged] == [(url, 304, "poll-2")]
    # the same 200, body from the feed cache, identity and gzip
    full_again = client.get(url)
    assert full_again.data == full.data and _without_request_id(full_again) == _without_request_id(full)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    zipped_again = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped_again.data == zipped.data and gzip.decompress(zipped.data) == full.data
    assert _without_request_id(zipped_again) == _without_request_id(zipped)
    head = client.head(url)
    head_again = client.head(url)
    assert head_again.data == b"" and _without_request_id(head_again) == _without_request_id(head)
    assert shortcut.replayed == 4
    # another validator is the app's to answer
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200 and shortcut.replayed == 4
    # a new day: the time rules may change the feed, so the app answers again (here: still 304)
    moment[0] = SEED_NOW + dt.timedelta(days=1)
    assert client.get(url, headers=conditional).status_code == 304 and shortcut.replayed == 4
    assert client.get(url, headers=conditional).status_code == 304 and shortcut.replayed == 5
    # a changed catalogue: the stale validator gets the new feed, from the app
    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        ma_event = "SELECT min(event_id) FROM event_countries WHERE code = 'MA'"
        connection.execute(text(f"UPDATE events SET title = 'Renamed meeting' WHERE id = ({ma_event})"))
    engine.dispose()
    changed = client.get(url, headers=conditional)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag and shortcut.replayed == 5
    assert client.get(url).data == changed.data and shortcut.replayed == 5  # filed under the new stamp
    assert client.get(url).data == changed.data and shortcut.replayed == 6


def test_a_feed_the_cache_does_not_hold_is_answered_by_the_app(fresh_url):
    app = make_app(fresh_url, feed_cache_bytes=1)  # no feed fits: nothing is held to send again
    client = app.test_client()
    bodies = [client.get("/feeds/countries/MA.ics").data for _ in range(2)]
    assert bodies[0] == bodies[1] and b"BEGIN:VEVENT" in bodies[0]
    assert app.wsgi_app.replayed == 0


# ------------------------------------------------------------------------------------------- time rules


def test_cancelled_events_stay_for_the_grace_period(fresh_url):
    changed = dt.datetime(2021, 9, 20, 10, tzinfo=dt.UTC)
    add_event(fresh_url, "called-off", start="2021-10-05", status="cancelled", sequence=1, changed=changed)
    app = make_app(fresh_url, now=changed, cancelled_grace_days=10)
    client = app.test_client()
    now_feed = client.get("/feeds/countries/MA.ics")
    assert "called-off@calendar.test" in uids(now_feed.data)
    # the summary: the title names no country of the event, so its country goes in front
    assert "SUMMARY:[CANCELLED] Morocco – Synthetic event called-off".encode() in now_feed.data
    assert b"STATUS:CANCELLED" in now_feed.data
    # last day of grace (changed.date() + 10), then gone from the next midnight (Brussels time)
    kept = client.get("/feeds/countries/MA.ics?now=2021-09-30T12:00:00Z")
    assert "called-off@calendar.test" in uids(kept.data)
    gone = client.get("/feeds/countries/MA.ics?now=2021-10-01T12:00:00Z")
    assert "called-off@calendar.test" not in uids(gone.data)
    assert gone.headers["ETag"] != kept.headers["ETag"]
    # Last-Modified moves to the moment the event left the feed: midnight in Brussels
    assert lm(gone) == dt.datetime(2021, 9, 30, 22, 0, tzinfo=dt.UTC) > lm(kept) == changed
    # the server clock, not only now=, drives it
    later_app = make_app(fresh_url, now=dt.datetime(2021, 10, 2, tzinfo=dt.UTC), cancelled_grace_days=10)
    assert "called-off@calendar.test" not in uids(later_app.test_client().get("/feeds/countries/MA.ics").data)
    # the API keeps listing it (the grace period is a feed rule)
    assert client.get("/api/events?status=cancelled&country=MA").json["events"]


def test_upcoming_and_past_window(fresh_url):
    client = make_app(fresh_url, feed_past_days=30).test_client()
    body = client.get("/feeds/all.ics").data
    api_uids = {e["uid"] for e in client.get("/api/events?from=2021-08-16&limit=500").json["events"]}
    assert {u.split("@")[0] for u in uids(body)} == api_uids
    upcoming = client.get("/feeds/all.ics?upcoming=true").data
    api_upcoming = {e["uid"] for e in client.get("/api/events?upcoming=true&limit=500").json["events"]}
    assert {u.split("@")[0] for u in uids(upcoming)} == api_upcoming


def test_cap(fresh_url):
    client = make_app(fresh_url, feed_cap=5).test_client()
    response = client.get("/feeds/all.ics")
    assert len(uids(response.data)) == 5
    assert "limited to 5 events" in cal_desc(response.data)
    assert response.headers["X-Feed-Events"] != "5"  # the count before the cap


def test_filters_are_described(feeds):
    desc = cal_desc(feeds.get("/feeds/countries/MA.ics?from=2020-01-01&upcoming=true&tentative=false").data)
    assert "from 2020-01-01" in desc and "upcoming only" in desc and "confirmed dates only" in desc
    assert "," not in desc and ";" not in desc


# ------------------------------------------------------------------------------------------- export-feeds


def test_export_feeds_writes_the_served_bytes(seeded_url, feeds, tmp_path):
    from calendar_svc.cli import main

    out = tmp_path / "static"
    result = CliRunner().invoke(
        main,
        ["export-feeds", str(out), "--db", seeded_url, "--base-url", BASE, "--now", SEED_NOW.isoformat(), "--gzip"],
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.ics"))
    countries = [r["code"] for r in feeds.get("/api/countries").json]
    processes = [r["slug"] for r in feeds.get("/api/processes").json]
    assert files == sorted(
        ["all.ics"] + [f"countries/{c}.ics" for c in countries] + [f"processes/{s}.ics" for s in processes]
    )
    for name in files:
        served = feeds.get(f"/feeds/{name}")
        data = (out / name).read_bytes()
        assert data == served.data, name
        assert gzip.decompress((out / (name + ".gz")).read_bytes()) == data
        assert dt.datetime.fromtimestamp(os.stat(out / name).st_mtime, dt.UTC) == lm(served)
    assert not list(out.rglob("*.tmp"))


def test_nginx_sends_exported_files_that_hold_the_served_bytes(fresh_url, tmp_path):
    from calendar_svc.cli import main

    out = tmp_path / "static"
    plain = make_app(fresh_url).test_client()
    settings = {"feed_export_dir": str(out), "feed_accel_redirect": "/_exported/"}
    url = "/feeds/countries/MA.ics"
    served = plain.get(url)
    assert make_app(fresh_url, **settings).test_client().get(url).data == served.data  # no files yet
    app = make_app(fresh_url, **settings)
    client = app.test_client()
    export = ["export-feeds", str(out), "--db", fresh_url, "--base-url", BASE, "--now", SEED_NOW.isoformat()]
    assert CliRunner().invoke(main, export).exit_code == 0
    redirected = client.get(url)
    assert redirected.status_code == 200 and redirected.data == b""
    assert redirected.headers["X-Accel-Redirect"] == "/_exported/countries/MA.ics"
    for name in ("ETag", "Last-Modified", "Content-Type", "Cache-Control", "Vary", "X-Feed-Events"):
        assert redirected.headers[name] == served.headers[name], name
    assert (out / "countries" / "MA.ics").read_bytes() == served.data
    again = client.get(url)  # answered again before Flask, like a 304
    assert again.data == b"" and again.headers["X-Accel-Redirect"] == "/_exported/countries/MA.ics"
    assert app.wsgi_app.replayed == 1
    # what the file cannot answer, the app does: a 304, gzip, query parameters
    conditional = client.get(url, headers={"If-None-Match": served.headers["ETag"]})
    assert conditional.status_code == 304 and "X-Accel-Redirect" not in conditional.headers
    for response in (client.get(url, headers={"Accept-Encoding": "gzip"}), client.get(url + "?fuzzy=span")):
        assert response.status_code == 200 and response.data and "X-Accel-Redirect" not in response.headers
    # the catalogue changed and the file was not exported again: the app sends the new bytes itself
    add_event(fresh_url, "newer", start="2021-11-01", changed=SEED_NOW + dt.timedelta(days=1))
    stale = client.get(url)
    assert "X-Accel-Redirect" not in stale.headers and stale.data == plain.get(url).data != served.data
    assert CliRunner().invoke(main, export).exit_code == 0
    assert client.get(url).headers["X-Accel-Redirect"] == "/_exported/countries/MA.ics"


def test_feeds_and_api_on_each_backend(app, client, sessions, clock, sample_path, db_backend):
    """The stamp query (raw DBAPI connection), caching, 304 and paging on SQLite and PostgreSQL."""
    path = sample_path("001")
    assert ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock).status == "ok"
    first = client.get("/feeds/countries/MA.ics")
    assert first.status_code == 200 and lm(first) == clock()
    assert client.get("/feeds/countries/MA.ics", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/feeds/countries/MA.ics").data == first.data
    events = []
    url = "/api/events?limit=50"
    while url:
        body = client.get(url).json
        events += body["events"]
        url = body["next"] and body["next"].removeprefix(BASE)
    assert len(events) == len({e["uid"] for e in events}) > 50
    later = clock() + dt.timedelta(hours=1)
    other = sample_path("000")
    assert ingest_bytes(sessions, other.name, other.read_bytes(), clock=lambda: later).status == "ok"
    changed = client.get("/feeds/countries/MA.ics")
    assert changed.headers["ETag"] != first.headers["ETag"] and lm(changed) == later
