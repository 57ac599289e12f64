"""Stored VEVENT text (calendar_svc/feed_texts.py): feeds are a header plus stored text, byte-identical to
rendering the event objects; the text is written with the events, kept per revision (database triggers)
and base URL, back-filled lazily, and no ORM object is built to serve a feed."""

from __future__ import annotations

import datetime as dt
import gzip
import random

import pytest
from sqlalchemy import delete, event, func, insert, select, update

from calendar_svc import feed_cache, renderer
from calendar_svc.db import make_engine, session_factory
from calendar_svc.feed_cache import FeedCache, FeedQuery, FeedSpec, RenderedFeed, feed_filter, local_today
from calendar_svc.feed_texts import MAX_BASES, Text, store_texts
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Event, EventCountry, EventSource, EventSummary, EventText, RenderState
from calendar_svc.queries import find_events
from calendar_svc.serialize import event_json
from feeds import (
    FEED_FOOTER,
    FUZZY_POLICIES,
    FeedOptions,
    feed_header,
    fuzzy_form,
    render_calendar,
    vevent_forms,
)

try:
    from test_api import BASE, SAMPLES, SEED_NOW, fresh_url, make_app, seeded_url
except ImportError:  # tests/ imported as a package
    from tests.test_api import BASE, SAMPLES, SEED_NOW, fresh_url, make_app, seeded_url

__all__ = ["fresh_url", "seeded_url"]  # fixtures used below


def _texts(url: str, base: str = BASE) -> dict[int, tuple[int, int]]:
    """event id -> (stored revision, current revision) for one base URL."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(EventText.event_id, EventText.revision, Event.revision)
                .join(Event, Event.id == EventText.event_id)
                .where(EventText.base == base)
            )
            return {event_id: (stored, current) for event_id, stored, current in rows}
    finally:
        engine.dispose()


def _revision(url: str, uid: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(Event.revision).where(Event.uid == uid))
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------------- the renderer


def _events(seed: int) -> list[dict]:
    rng = random.Random(seed)
    events = []
    for n in range(40):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
        days = rng.choice([0, 0, 1, 3, 6, 7, 8, 30, 90, 400])
        events.append(
            {
                "uid": f"e{n:03d}",
                "title": f"Meeting {n} " + "é" * rng.randrange(40),
                "description": "Comments, with; punctuation\nand lines" * rng.randrange(3),
                "date_text": "Q2 2025 (tbc)" if days > 30 else "",
                "start": start.isoformat(),
                "end": (start + dt.timedelta(days=days)).isoformat(),
                "precision": "day" if days < 7 else "quarter",
                "tentative": rng.random() < 0.3,
                "status": rng.choice(["scheduled", "cancelled", "postponed"]),
                "location": rng.choice([None, "Rabat"]),
                "countries": ["MA"],
                "processes": ["rabat-process"] if n % 2 else [],
                "sources": [{"document": "a.txt", "line": n + 1, "section": "S"}],
                "sequence": n % 3,
                "last_modified": "2025-01-02T03:04:05Z",
                "url": f"{BASE}/events/e{n:03d}",
            }
        )
    return events


@pytest.mark.parametrize("policy", FUZZY_POLICIES)
@pytest.mark.parametrize("cap", [None, 7])
def test_feed_is_header_plus_stored_forms(policy, cap):
    """What build_feed assembles from stored text is exactly render_calendar's output."""
    events = _events(3)
    options = FeedOptions(name="F", description="D", host="calendar.test", fuzzy=policy, cap=cap)
    shown, omitted = [], 0
    for data in events:
        start, end = dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"])
        form = fuzzy_form(start, end, policy)
        if form is None:
            omitted += 1
            continue
        span, marker = vevent_forms(data, "calendar.test")
        shown.append((start, end, data["uid"], marker if form == "marker" and marker else span))
    total = len(shown)
    if cap is not None and total > cap:
        shown = sorted(shown, key=lambda s: (s[1], s[0], s[2]), reverse=True)[:cap]
    body = b"".join(s[3] for s in sorted(shown, key=lambda s: (s[0], s[2])))
    assembled = feed_header(options, total=total, omitted=omitted) + body + FEED_FOOTER
    assert assembled == render_calendar(events, options)


def test_one_day_events_have_one_form():
    data = _events(1)[0] | {"start": "2025-03-04", "end": "2025-03-04"}
    assert vevent_forms(data, "h")[1] is None
    assert vevent_forms(data | {"uid": ""}, "h") is None


# ------------------------------------------------------------------------------------- the store


def _reference(url: str, spec: FeedSpec, query: FeedQuery, **overrides) -> bytes:
    """The feed as the renderer makes it from ORM event objects (the path feeds took before)."""
    app = make_app(url, **overrides)
    settings = app.config["SETTINGS"]
    app.extensions["calendar_svc.engine"].dispose()
    engine = make_engine(url)
    today = local_today(query.now or SEED_NOW, settings)
    try:
        with session_factory(engine)() as session:
            events = []
            for stored in find_events(session, feed_filter(spec, query)):
                data = event_json(stored, base_url=BASE)
                grace = settings.cancelled_grace_days
                changed = dt.datetime.fromisoformat(data["last_modified"].replace("Z", "+00:00")).date()
                if data["status"] == "cancelled" and changed + dt.timedelta(days=grace) < today:
                    continue
                events.append(data)
    finally:
        engine.dispose()
    from calendar_svc.feed_cache import _description

    name = "EU migration dialogues" if spec.kind == "all" else f"{spec.label()} – EU migration dialogues"
    cap = settings.feed_cap if settings.feed_cap > 0 else None
    options = FeedOptions(name=name, description=_description(spec, query, BASE), host="calendar.test",
                          fuzzy=query.fuzzy, cap=cap)  # fmt: skip
    return render_calendar(events, options)


@pytest.mark.parametrize("policy", FUZZY_POLICIES)
def test_served_bytes_equal_rendering_the_event_objects(fresh_url, policy):
    for spec, path, cap in [
        (FeedSpec("all"), "/feeds/all.ics", 0),
        (FeedSpec("all"), "/feeds/all.ics", 40),
        (FeedSpec("country", "MA"), "/feeds/countries/MA.ics", 1000),
    ]:
        client = make_app(fresh_url, feed_cap=cap).test_client()
        served = client.get(f"{path}?fuzzy={policy}").data
        assert served == _reference(fresh_url, spec, FeedQuery(fuzzy=policy), feed_cap=cap)


def test_ingest_stores_text_for_the_configured_base(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("CALENDAR_SVC_BASE_URL", BASE + "/")
    engine = make_engine(url)
    from calendar_svc.schema import upgrade

    upgrade(engine)
    sessions = session_factory(engine)
    for path in sorted(SAMPLES.glob("00[01]_*.txt")):
        ingest_bytes(sessions, path.name, path.read_bytes(), clock=lambda: SEED_NOW)
    with engine.connect() as connection:
        events = connection.scalar(select(func.count()).select_from(Event))
    engine.dispose()
    texts = _texts(url)
    assert len(texts) == events > 100
    assert all(stored == current for stored, current in texts.values())

    # served without rendering anything, and without building a single ORM object
    app = make_app(url)
    loads: list[object] = []

    def loaded(target, _context) -> None:
        loads.append(target)

    event.listen(Event, "load", loaded)
    try:
        body = app.test_client().get("/feeds/all.ics").data
    finally:
        event.remove(Event, "load", loaded)
    assert loads == [] and body.count(b"BEGIN:VEVENT") > 100
    assert _texts(url) == texts


def test_triggers_bump_the_revision_on_any_change(fresh_url):
    client = make_app(fresh_url).test_client()
    client.get("/feeds/all.ics")  # stores text for BASE
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            event_id, uid = connection.execute(select(Event.id, Event.uid).order_by(Event.id).limit(1)).one()
        revision = _revision(fresh_url, uid)
        changes = [
            update(Event).where(Event.id == event_id).values(title="Renamed by hand"),
            insert(EventCountry).values(event_id=event_id, code="ZZ"),
            delete(EventCountry).where(EventCountry.event_id == event_id, EventCountry.code == "ZZ"),
            insert(EventSource).values(event_id=event_id, document="x.txt", line=9, raw="", date_text=""),
            update(EventSource).where(EventSource.document == "x.txt").values(section="Moved"),
        ]
        for change in changes:
            with engine.begin() as connection:
                connection.execute(change)
            assert _revision(fresh_url, uid) == revision + 1
            revision += 1
    finally:
        engine.dispose()
    # the stale text is not served: the feed shows the change, and stores the new text
    body = make_app(fresh_url).test_client().get("/feeds/all.ics").data
    assert b"Renamed by hand" in body and "section “Moved”".encode() in body
    assert all(stored == current for stored, current in _texts(fresh_url).values())


def test_existing_stores_are_back_filled_lazily_with_the_same_bytes(fresh_url):
    client = make_app(fresh_url).test_client()
    paths = ["/feeds/all.ics", "/feeds/countries/MA.ics?fuzzy=start", "/feeds/all.ics?fuzzy=omit"]
    before = [client.get(path) for path in paths]
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:
            connection.execute(delete(EventText))
    finally:
        engine.dispose()
    after = [make_app(fresh_url).test_client().get(path) for path in paths]
    assert [r.data for r in after] == [r.data for r in before]
    assert [r.headers["ETag"] for r in after] == [r.headers["ETag"] for r in before]
    assert _texts(fresh_url)


def test_request_hosts_are_stored_for_a_bounded_number_of_bases(fresh_url):
    app = make_app(fresh_url, base_url="")
    client = app.test_client()
    bodies = {}
    for n in range(MAX_BASES + 2):
        host = f"h{n}.example"
        bodies[host] = client.get("/feeds/countries/MA.ics", base_url=f"http://{host}").data
        assert f"@{host}".encode() in bodies[host]
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            bases = set(connection.scalars(select(EventText.base).distinct()))
    finally:
        engine.dispose()
    assert len(bases) == MAX_BASES and bases <= {f"http://h{n}.example" for n in range(MAX_BASES + 2)}
    # a host beyond the bound is still served, rendered on the spot
    again = make_app(fresh_url, base_url="").test_client()
    last = f"h{MAX_BASES + 1}.example"
    assert again.get("/feeds/countries/MA.ics", base_url=f"http://{last}").data == bodies[last]


def test_cache_is_bounded_in_bytes():
    cache = FeedCache(max_bytes=1000)

    def feed(size: int) -> RenderedFeed:
        return RenderedFeed((b"x" * size,), '"e"', None, 1)

    cache.get(("a",), (1,), lambda: feed(600))
    cache.get(("b",), (1,), lambda: feed(300))
    assert cache.held() == 900
    cache.get(("c",), (1,), lambda: feed(300))  # evicts "a", the least recently used
    assert cache.held() == 600
    big = cache.get(("d",), (1,), lambda: feed(5000))  # served, not kept
    assert len(big.body) == 5000 and cache.held() == 600
    renders = cache.renders
    cache.get(("c",), (1,), lambda: feed(300))
    assert cache.renders == renders


def test_text_of_an_older_revision_never_replaces_a_newer_one(fresh_url):
    """A feed that rendered an event just before an ingest changed it stores text for the old revision:
    it does not overwrite what the ingest stored, and it is never served for the new revision."""
    make_app(fresh_url).test_client().get("/feeds/all.ics")
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:
            event_id, revision, span = connection.execute(
                select(EventText.event_id, EventText.revision, EventText.span).where(EventText.base == BASE)
            ).first()
            store_texts(connection, {event_id: Text(revision - 1, "OLD", None)}, BASE)
            assert connection.scalar(select(EventText.span).where(EventText.event_id == event_id)) == span
    finally:
        engine.dispose()


def test_large_feeds_are_held_and_sent_in_parts(fresh_url, monkeypatch):
    client = make_app(fresh_url, feed_cap=0).test_client()
    joined = client.get("/feeds/all.ics")
    gzipped = client.get("/feeds/all.ics", headers={"Accept-Encoding": "gzip"})
    monkeypatch.setattr(feed_cache, "JOIN_MAX_BYTES", 10_000)
    app = make_app(fresh_url, feed_cap=0)
    parted = app.test_client().get("/feeds/all.ics")
    held = next(iter(app.extensions["calendar_svc.feed_cache"]._items.values()))[1]
    assert len(held.parts) > 2 and held.body == joined.data
    assert parted.data == joined.data and parted.headers["ETag"] == joined.headers["ETag"]
    assert int(parted.headers["Content-Length"]) == len(joined.data)
    assert held.gzip_body == gzip.compress(joined.data, compresslevel=6, mtime=0)
    again = app.test_client().get("/feeds/all.ics", headers={"Accept-Encoding": "gzip"})
    assert again.data == gzipped.data and again.headers["ETag"] == gzipped.headers["ETag"]


# ------------------------------------------------------------------------------ the rendering code


def _plant(url: str, span: str, fingerprint: str | None) -> None:
    """Overwrite every stored text (same revisions) and, when given, the stored renderer fingerprint."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(update(EventText).values(span=span, marker=None))
            if fingerprint is not None:
                connection.execute(update(RenderState).values(fingerprint=fingerprint))
    finally:
        engine.dispose()
    renderer._checked.clear()  # a new process


PLANTED = "BEGIN:VEVENT\r\nUID:planted\r\nSUMMARY:planted\r\nEND:VEVENT\r\n"


def test_text_another_version_of_the_code_rendered_is_rendered_again(fresh_url):
    before = make_app(fresh_url).test_client().get("/feeds/countries/MA.ics")
    _plant(fresh_url, PLANTED, "an-older-release")
    after = make_app(fresh_url).test_client().get("/feeds/countries/MA.ics")
    assert b"planted" not in after.data
    assert after.data == before.data and after.headers["ETag"] == before.headers["ETag"]
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(RenderState.fingerprint)) == renderer.fingerprint()
    finally:
        engine.dispose()


def test_text_this_code_rendered_is_served_as_stored(fresh_url):
    make_app(fresh_url).test_client().get("/feeds/countries/MA.ics")
    _plant(fresh_url, PLANTED, None)
    assert b"SUMMARY:planted" in make_app(fresh_url).test_client().get("/feeds/countries/MA.ics").data



_CLAIM = """
import sys, time
from calendar_svc import renderer
from calendar_svc.db import make_engine
engine = make_engine(sys.argv[1])
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
with engine.begin() as connection:
    print(renderer.ensure_current(connection))
"""


def test_processes_starting_together_on_a_new_store_claim_the_fingerprint_once(db_url, tmp_path):
    """A web worker and an ingest starting at once on a store without a fingerprint: no unique-key error,
    and exactly one of them drops the stored text."""
    import subprocess
    import sys
    import time

    from conftest import ROOT

    script = tmp_path / "claim.py"
    script.write_text(_CLAIM)
    start = f"{time.time() + 2.0:.3f}"
    runs = [
        subprocess.Popen([sys.executable, str(script), db_url, start], cwd=ROOT, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, [err for _, err in results]
    assert sorted(out.strip() for out, _ in results) == ["False", "False", "False", "True"]
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(select(RenderState.id, RenderState.fingerprint)).all() == [
                (1, renderer.fingerprint())
            ]
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------------ stored summaries


def _summaries(url: str) -> dict[str, str]:
    """uid -> the summary an /api/events page gives (every event, pages of 500)."""
    client = make_app(url).test_client()
    found: dict[str, str] = {}
    path: str | None = "/api/events?limit=500"
    while path:
        body = client.get(path).json
        found.update((item["uid"], item["summary"]) for item in body["events"])
        path = body["next"] and body["next"].removeprefix(BASE)
    return found


def _store_summary(url: str, summary: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(update(EventSummary).values(summary=summary))
    finally:
        engine.dispose()


def test_api_pages_read_the_summary_stored_with_the_text_for_the_current_revision(fresh_url):
    make_app(fresh_url).test_client().get("/feeds/all.ics")  # stores text and summaries (lazy back-fill)
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            events = connection.scalar(select(func.count()).select_from(Event))
            stored = connection.scalar(
                select(func.count())
                .select_from(EventSummary)
                .join(Event, (Event.id == EventSummary.event_id) & (Event.revision == EventSummary.revision))
            )
    finally:
        engine.dispose()
    assert stored == events > 100
    computed = {uid: make_app(fresh_url).test_client().get(f"/api/events/{uid}").json["summary"]
                for uid in list(_summaries(fresh_url))[:40]}  # the event endpoint computes it
    assert {uid: summary for uid, summary in _summaries(fresh_url).items() if uid in computed} == computed

    _store_summary(fresh_url, "planted")
    assert set(_summaries(fresh_url).values()) == {"planted"}
    uid = next(iter(computed))
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:  # a new revision: its stored summary no longer counts
            connection.execute(update(Event).where(Event.uid == uid).values(sequence=Event.sequence + 1))
    finally:
        engine.dispose()
    assert _summaries(fresh_url)[uid] == computed[uid]

    _plant(fresh_url, PLANTED, "an-older-release")  # other code's summaries are dropped with its text
    assert {uid: summary for uid, summary in _summaries(fresh_url).items() if uid in computed} == computed
