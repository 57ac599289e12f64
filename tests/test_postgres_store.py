"""The store behaves the same on SQLite and PostgreSQL: the samples ingest to identical events."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SAMPLE_NOW, SAMPLES
from sqlalchemy import select, text

from calendar_svc.clock import fixed_clock
from calendar_svc.db import make_engine, session_factory
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Event, EventChange, EventCountry, EventProcess
from calendar_svc.queries import EventFilter, decode_cursor, find_events, page_events, tag_counts
from calendar_svc.serialize import event_json


def _ingest_samples(url: str) -> tuple[list[dict], list[str]]:
    engine = make_engine(url)
    sessions = session_factory(engine)
    lines = []
    for path in sorted(SAMPLES.glob("*.txt")):
        summary = ingest_bytes(sessions, path.name, path.read_bytes(), clock=fixed_clock(SAMPLE_NOW))
        lines.append(summary.line())
    with sessions() as session:
        events = [event_json(e, history=True) for e in find_events(session, EventFilter())]
    engine.dispose()
    return events, lines


def test_samples_ingest_identically_on_both_backends(sqlite_url, postgres_url):
    lite_events, lite_lines = _ingest_samples(sqlite_url)
    pg_events, pg_lines = _ingest_samples(postgres_url)
    assert pg_lines == lite_lines
    assert len(pg_events) == len(lite_events) > 0
    for lite, pg in zip(lite_events, pg_events, strict=True):
        assert pg == lite


# -- the same queries give the same answers on both back ends ------------------------------------


NOW = dt.datetime(2021, 9, 15, 8, 0, tzinfo=dt.UTC)


def _event(uid: str, title: str, start: dt.date, *, days: int = 0, countries=(), processes=(), **kw) -> Event:
    event = Event(
        uid=uid,
        key=title.lower(),
        title=title,
        description=kw.pop("description", ""),
        date_text=start.isoformat(),
        start=start,
        end=start + dt.timedelta(days=days),
        precision="day",
        created_at=NOW,
        last_modified=NOW,
        **kw,
    )
    event.countries = [EventCountry(code=c) for c in countries]
    event.processes = [EventProcess(slug=p) for p in processes]
    return event


@pytest.fixture
def catalogue(sessions):
    with sessions.begin() as session:
        session.add_all(
            [
                _event("a1", "Réunion ministérielle UE-Maroc", dt.date(2021, 10, 4), countries=["MA"],
                       processes=["rabat-process"], location="Rabat"),
                _event("a2", "SENIOR OFFICIALS MEETING", dt.date(2021, 10, 4), days=1, countries=["MA", "TN"],
                       tentative=True),
                _event("a3", "Expert meeting on 100% return_rates", dt.date(2022, 1, 10), countries=["TN"],
                       status="cancelled"),
                _event("a4", "Khartoum Process thematic meeting", dt.date(2020, 3, 1),
                       processes=["khartoum-process"], description="ÉTUDE sur la migration"),
            ]
        )
    return sessions


def _uids(sessions, **kw) -> list[str]:
    with sessions() as session:
        return [e.uid for e in find_events(session, EventFilter(**kw))]


def test_filters(catalogue):
    assert _uids(catalogue) == ["a4", "a1", "a2", "a3"]
    assert _uids(catalogue, country="ma") == ["a1", "a2"]
    assert _uids(catalogue, process="rabat-process") == ["a1"]
    assert _uids(catalogue, date_from=dt.date(2021, 10, 5)) == ["a2", "a3"]
    assert _uids(catalogue, date_to=dt.date(2021, 10, 4)) == ["a4", "a1", "a2"]
    assert _uids(catalogue, tentative=True) == ["a2"]
    assert _uids(catalogue, tentative=False) == ["a4", "a1", "a3"]
    assert _uids(catalogue, status="cancelled") == ["a3"]


def test_text_search_is_case_insensitive_beyond_ascii(catalogue):
    assert _uids(catalogue, q="senior officials") == ["a2"]
    assert _uids(catalogue, q="RÉUNION") == ["a1"]  # SQLite's own lower() folds ASCII only
    assert _uids(catalogue, q="réunion maroc") == ["a1"]
    assert _uids(catalogue, q="étude") == ["a4"]
    assert _uids(catalogue, q="rabat") == ["a1"]  # location
    assert _uids(catalogue, q="100%") == ["a3"]  # LIKE wildcards are literal
    assert _uids(catalogue, q="return_rates") == ["a3"]
    assert _uids(catalogue, q="100_") == []


def test_paging_and_counts(catalogue):
    with catalogue() as session:
        first, cursor = page_events(session, EventFilter(), limit=3)
        assert [e.uid for e in first] == ["a4", "a1", "a2"]
        assert decode_cursor(cursor) == (dt.date(2021, 10, 4), "a2")
        rest, end = page_events(session, EventFilter(), limit=3, cursor=cursor)
        assert [e.uid for e in rest] == ["a3"] and end is None
        assert tag_counts(session, EventCountry.code) == {"MA": 2, "TN": 2}


def test_datetimes_come_back_aware_or_utc(catalogue, db_backend):
    from calendar_svc.serialize import aware

    with catalogue.begin() as session:
        event = session.scalar(select(Event).where(Event.uid == "a1"))
        session.add(EventChange(event_id=event.id, changed_at=NOW, document="d", kind="created", sequence=0,
                                fields={"start": ["2021-10-04", "2021-10-05"], "note": "é"}))
    with catalogue() as session:
        event = session.scalar(select(Event).where(Event.uid == "a1"))
        assert aware(event.last_modified) == NOW
        assert event.changes[0].fields == {"start": ["2021-10-04", "2021-10-05"], "note": "é"}


# -- module-scoped databases and clones (for seeded read-only test modules) -----------------------


@pytest.fixture(scope="module")
def seeded(module_db_url):
    engine = make_engine(module_db_url)
    with session_factory(engine).begin() as session:
        session.add(_event("m1", "Module seeded event", dt.date(2021, 5, 1), countries=["MA"]))
    engine.dispose()
    return module_db_url


def test_module_database_is_per_backend(seeded, module_db_backend):
    assert seeded.startswith("postgresql" if module_db_backend == "postgresql" else "sqlite")
    assert _uids(session_factory(make_engine(seeded))) == ["m1"]


def test_clone_is_private(seeded, clone_db):
    engine = make_engine(seeded)
    _uids(session_factory(engine))  # leaves a pooled connection open on the source
    copy = clone_db(seeded)
    copy_engine = make_engine(copy)
    with session_factory(copy_engine).begin() as session:
        session.add(_event("c1", "Only in the clone", dt.date(2021, 6, 1)))
    assert _uids(session_factory(copy_engine)) == ["m1", "c1"]
    assert _uids(session_factory(make_engine(seeded))) == ["m1"]
    copy_engine.dispose()
    engine.dispose()


# -- the catalogue counter (migrations 0012, 0013) -------------------------------------------------------


def test_catalog_version_moves_once_per_writing_transaction(catalogue, engine, db_backend):
    """Every committed write moves the feed cache's counter; on PostgreSQL by one per transaction however
    many statements it runs (it would otherwise stack a row version per statement; SQLite moves it per
    row), and a rolled-back savepoint takes its move back without hiding a later write of the
    transaction."""
    once = db_backend == "postgresql"

    def version(connection=None) -> int:
        if connection is not None:
            return connection.scalar(text("SELECT version FROM catalog_version WHERE id = 1"))
        with engine.connect() as fresh:
            return version(fresh)

    touch = text("UPDATE events SET title = title WHERE uid = 'a1'")
    before = version()
    with engine.begin() as connection:
        for _ in range(50):
            connection.execute(touch)
    after = version()
    assert after == before + 1 if once else after > before
    with engine.begin() as connection:
        savepoint = connection.begin_nested()
        connection.execute(touch)
        savepoint.rollback()
        assert version(connection) == after
        connection.execute(touch)
    later = version()
    assert later == after + 1 if once else later > after
    with engine.begin() as connection:
        connection.execute(text("SELECT count(*) FROM events"))  # reading moves nothing
    assert version() == later
