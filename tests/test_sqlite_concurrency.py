"""SQLite in production mode: WAL, busy timeout, foreign keys; ingest while feed and API traffic goes on."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from conftest import ROOT, SAMPLES
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from calendar_svc.db import make_engine
from calendar_svc.models import EventCountry


def test_pragmas_are_on(sqlite_url):
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            pragma = lambda name: connection.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("busy_timeout") == 30000
            assert pragma("foreign_keys") == 1
            assert pragma("synchronous") == 1  # NORMAL: safe with WAL, no fsync per commit
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(sqlite_url):
    from calendar_svc.db import session_factory

    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(IntegrityError), session_factory(engine).begin() as session:
            session.add(EventCountry(event_id=4711, code="MA"))
    finally:
        engine.dispose()


def test_ingest_during_heavy_feed_and_api_traffic(sqlite_url, clock):
    """`calendar-svc ingest` in another process while 8 threads read feeds, API and pages: no lock errors."""
    from calendar_svc.app import create_app
    from calendar_svc.config import Settings

    app = create_app(Settings(database_url=sqlite_url, base_url="http://calendar.test"), clock=clock)
    paths = ["/api/events", "/api/events?country=MA", "/api/events?from=2021-01-01&to=2021-12-31",
             "/feeds/all.ics", "/feeds/countries/MA.ics", "/api/countries", "/", "/readyz"]
    statuses: Counter = Counter()
    errors: list[str] = []
    stop = threading.Event()

    def hammer(offset: int) -> None:
        client = app.test_client()
        i = offset
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                response = client.get(path)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                errors.append(f"{path}: {response.status_code} {response.get_data(as_text=True)[:300]}")

    threads = [threading.Thread(target=hammer, args=(n,), daemon=True) for n in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # traffic first, then the writer
    try:
        ingest = subprocess.run(
            [sys.executable, "-m", "calendar_svc.cli", "ingest", "--db", sqlite_url, "--now",
             "2021-09-15T08:00:00Z", str(SAMPLES)],
            capture_output=True, text=True, cwd=ROOT, timeout=600,
        )
        time.sleep(0.3)  # and traffic on the freshly written data
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        app.extensions["calendar_svc.engine"].dispose()
    output = ingest.stdout + ingest.stderr
    assert "database is locked" not in output
    assert "could not store events" not in output, output
    assert not [e for e in errors if "locked" in e], errors[:5]
    assert not errors, errors[:5]
    assert sum(statuses.values()) > 100, statuses
    assert set(statuses) <= {200, 304, 404}, statuses
    assert "events (" in ingest.stdout, output
