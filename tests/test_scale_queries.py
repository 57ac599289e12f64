"""Queries shaped for large stores (bench/scale.py): /api/events pages built from plain rows, the
date-window bound from the store's longest window, which must never hide an ongoing event, and merge
decisions that do not depend on what else the store holds."""

from __future__ import annotations

import datetime as dt
import hashlib

from conftest import SAMPLE_NOW, SAMPLES
from sqlalchemy import delete, func, insert, select

from calendar_svc.clock import fixed_clock
from calendar_svc.db import make_engine, session_factory
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Event, EventCountry, EventSource
from calendar_svc.queries import (
    EventFilter,
    find_events,
    longest_window,
    page_events,
    page_plain_events,
    plain_events,
)
from calendar_svc.serialize import event_json

try:
    from test_api import BASE, SEED_NOW, add_event, fresh_url, make_app, seeded_url
except ImportError:  # tests/ imported as a package
    from tests.test_api import BASE, SEED_NOW, add_event, fresh_url, make_app, seeded_url

__all__ = ["fresh_url", "seeded_url"]  # fixtures used below


def test_plain_pages_serialise_like_orm_pages(seeded_url):
    engine = make_engine(seeded_url)
    try:
        with session_factory(engine)() as session:
            for flt in (EventFilter(), EventFilter(country="MA"), EventFilter(date_from=dt.date(2021, 1, 1))):
                cursor = None
                while True:
                    orm, orm_next = page_events(session, flt, limit=37, cursor=cursor)
                    plain, plain_next = page_plain_events(session.connection(), flt, limit=37, cursor=cursor)
                    assert [event_json(e, base_url=BASE) for e in plain] == [
                        event_json(e, base_url=BASE) for e in orm
                    ]
                    assert plain_next == orm_next
                    if orm_next is None:
                        break
                    cursor = orm_next
    finally:
        engine.dispose()


def test_plain_events_without_tags_or_sources_and_in_the_order_asked(fresh_url):
    """An event with no countries, processes or sources gets empty lists (not None, not another event's
    rows); events come in the order of the ids asked, unknown ids left out."""
    add_event(fresh_url, "bare", start="2026-05-01", countries=())
    add_event(fresh_url, "tagged", start="2026-05-02", countries=("MA", "TN"), processes=("rabat-process",))
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                delete(EventSource).where(
                    EventSource.event_id == select(Event.id).where(Event.uid == "bare").scalar_subquery()
                )
            )
            ids = dict(
                connection.execute(select(Event.uid, Event.id).where(Event.uid.in_(["bare", "tagged"]))).all()
            )
        with engine.connect() as connection:
            tagged, bare = plain_events(connection, [ids["tagged"], -1, ids["bare"]])
            with session_factory(engine)() as session:
                orm = {e.uid: e for e in find_events(session, EventFilter(date_from=dt.date(2026, 5, 1)))}
        assert (bare.uid, bare.countries, bare.processes, bare.sources) == ("bare", [], [], [])
        assert [c.code for c in tagged.countries] == ["MA", "TN"] and len(tagged.sources) == 1
        for plain in (bare, tagged):
            assert event_json(plain, base_url=BASE) == event_json(orm[plain.uid], base_url=BASE)
    finally:
        engine.dispose()


def test_longest_window_bounds_date_queries_without_hiding_events(fresh_url):
    client = make_app(fresh_url).test_client()
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            before = longest_window(connection)
        add_event(fresh_url, "long-one", start="2010-01-01", end="2030-12-31", changed=SEED_NOW)
        with engine.connect() as connection:
            assert longest_window(connection) == (dt.date(2030, 12, 31) - dt.date(2010, 1, 1)).days > before
        uids = [e["uid"] for e in client.get("/api/events?from=2026-05-01&to=2026-05-31").get_json()["events"]]
        assert "long-one" in uids  # the cached bound moved with the catalogue stamp
        with session_factory(engine)() as session:
            flt = EventFilter(date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 5, 31))
            assert uids == [e.uid for e in find_events(session, flt)][: len(uids)]
    finally:
        engine.dispose()


# Sample 001 lists several events on one line (a table row naming two); 004 repeats events of 001.
DECISION_SAMPLES = ("001_", "004_")


def _ingest(url: str, suffix: str = "") -> None:
    engine = make_engine(url)
    sessions = session_factory(engine)
    for prefix in DECISION_SAMPLES:
        path = next(SAMPLES.glob(f"{prefix}*.txt"))
        summary = ingest_bytes(sessions, path.name + suffix, path.read_bytes(), clock=fixed_clock(SAMPLE_NOW))
        assert summary.status == "ok", summary.line()
    engine.dispose()


def _add_rivals(url: str) -> int:
    """Store, for every event, two unrelated ones sharing its first title word, on the same and on
    nearby days, tagged with a country no sample has (what bench/scale.py's synthetic corpus is)."""
    engine = make_engine(url)
    with engine.begin() as connection:
        stored = connection.execute(select(Event.key, Event.title, Event.start, Event.end, Event.precision)).all()
        next_id = connection.scalar(select(func.max(Event.id))) + 1
        rows, tags = [], []
        for n, (key, title, start, end, precision) in enumerate(stored * 2):
            shift = dt.timedelta(days=n % 5)
            rows.append(
                {"id": next_id + n, "uid": hashlib.sha256(f"rival|{n}".encode()).hexdigest()[:20],
                 "key": f"{(key.split() or ['event'])[0]} rival{n} copy", "title": f"{title} #{n}",
                 "description": "", "date_text": "", "start": start + shift, "end": end + shift,
                 "precision": precision, "sequence": 0, "created_at": SAMPLE_NOW, "last_modified": SAMPLE_NOW}
            )  # fmt: skip
            tags.append({"event_id": next_id + n, "code": "AQ"})
        connection.execute(insert(Event.__table__), rows)
        connection.execute(insert(EventCountry.__table__), tags)
    engine.dispose()
    return len(rows)


def _decisions(url: str, suffix: str) -> set[tuple[str, int, int, str]]:
    """(document, page, line, uid) of every mention of the documents named *suffix."""
    engine = make_engine(url)
    statement = (
        select(EventSource.document, EventSource.page, EventSource.line, Event.uid)
        .join(Event, Event.id == EventSource.event_id)
        .where(EventSource.document.endswith(suffix))
    )
    with engine.connect() as connection:
        found = {tuple(row) for row in connection.execute(statement)}
    engine.dispose()
    return found


def test_merge_decisions_do_not_depend_on_unrelated_stored_events(db_url, clone_db):
    _ingest(db_url)
    crowded = clone_db(db_url)
    assert _add_rivals(crowded) > 0
    for url in (db_url, crowded):
        _ingest(url, ".v2")
    alone, among_rivals = _decisions(db_url, ".v2"), _decisions(crowded, ".v2")
    assert among_rivals == alone
    # a line whose mentions went to different events: a mention is not identified by its line alone
    by_line: dict[tuple[str, int, int], set[str]] = {}
    for document, page, line, uid in alone:
        by_line.setdefault((document, page, line), set()).add(uid)
    assert any(len(uids) > 1 for uids in by_line.values())
