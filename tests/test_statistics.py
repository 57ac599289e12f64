"""Planner statistics of SQLite stores follow the store's growth (calendar_svc/statistics.py): a real
SQLite file, real ingests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from calendar_svc import statistics
from calendar_svc.db import make_engine, session_factory
from calendar_svc.ingest import ingest_bytes

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))


def _store(sqlite_url: str):
    """The migrated SQLite file `sqlite_url` names, with its engine and sessions."""
    engine = make_engine(sqlite_url)
    return engine, session_factory(engine)


def _counted(engine) -> dict[str, int]:
    """Rows per table as sqlite_stat1 says (empty when never analysed)."""
    with engine.connect() as connection:
        return statistics.gathered_rows(connection)


def test_no_ingest_leaves_the_statistics_off_by_the_drift(sqlite_url, clock, monkeypatch):
    monkeypatch.setattr(statistics, "FIRST_AT", 100)  # the samples' ~800 events stand for a large store
    engine, sessions = _store(sqlite_url)
    try:
        for path in SAMPLES:
            assert ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock).status == "ok"
            with engine.connect() as connection:
                assert statistics.stale_tables(connection) == [], path.name
        counted = _counted(engine)
        with engine.connect() as connection:
            sizes = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in statistics.TRACKED}
        large = {table for table, rows in sizes.items() if rows >= statistics.FIRST_AT}
        assert large and large <= set(counted)
        for table in large:
            assert sizes[table] / statistics.DRIFT < counted[table] < sizes[table] * statistics.DRIFT, table
    finally:
        engine.dispose()


def test_statistics_gathered_on_a_small_store_are_gathered_again_once_it_has_grown(sqlite_url, clock):
    engine, sessions = _store(sqlite_url)
    try:
        first, *rest = SAMPLES
        ingest_bytes(sessions, first.name, first.read_bytes(), clock=clock)
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
            # as if analysed when the store was a tenth of its size
            connection.execute(text("UPDATE sqlite_stat1 SET stat = '10' || substr(stat, instr(stat, ' '))"
                                    " WHERE tbl = 'events' AND instr(stat, ' ') > 0"))  # fmt: skip
            connection.execute(text("ANALYZE sqlite_master"))
            assert "events" in statistics.stale_tables(connection)
        assert statistics.refresh(engine) == ["events"]
        with engine.connect() as connection:
            assert "events" not in statistics.stale_tables(connection)
        assert statistics.refresh(engine) == [], "fresh statistics are left alone"
    finally:
        engine.dispose()


def test_a_size_within_the_drift_is_not_stale(sqlite_url, clock):
    engine, sessions = _store(sqlite_url)
    try:
        path = SAMPLES[0]
        ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
            events = connection.execute(text("SELECT count(*) FROM events")).scalar()
            within = int(events / (statistics.DRIFT * 0.9))
            connection.execute(text("UPDATE sqlite_stat1 SET stat = :n || substr(stat, instr(stat, ' '))"
                                    " WHERE tbl = 'events' AND instr(stat, ' ') > 0"), {"n": str(within)})  # fmt: skip
            assert "events" not in statistics.stale_tables(connection)
    finally:
        engine.dispose()


def test_postgresql_keeps_its_own_statistics(postgres_url):
    engine = make_engine(postgres_url)
    try:
        assert statistics.refresh(engine) == []
    finally:
        engine.dispose()
