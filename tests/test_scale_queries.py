"""Queries shaped for large stores (bench/scale.py): /api/events pages built from plain rows, and the
date-window bound from the store's longest window, which must never hide an ongoing event."""

from __future__ import annotations

import datetime as dt

from calendar_svc.db import make_engine, session_factory
from calendar_svc.queries import EventFilter, find_events, longest_window, page_events, page_plain_events
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
