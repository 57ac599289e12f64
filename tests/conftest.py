"""Shared fixtures: a real SQLite file per test, the sample documents, the app and its client."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calendar_svc.clock import fixed_clock
from calendar_svc.db import make_engine, session_factory
from calendar_svc.schema import upgrade

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# The sample documents date from 2021-2025; a clock inside that period makes "upcoming" meaningful.
SAMPLE_NOW = dt.datetime(2021, 9, 15, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def sample_path():
    def find(prefix: str) -> Path:
        return next(SAMPLES.glob(f"{prefix}_*.txt"))

    return find


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh, migrated database (a SQLite file on disk) for one test."""
    url = f"sqlite:///{tmp_path / 'calendar.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def clock():
    return fixed_clock(SAMPLE_NOW)


@pytest.fixture
def app(db_url, clock):
    from calendar_svc.app import create_app
    from calendar_svc.config import Settings

    return create_app(Settings(database_url=db_url, base_url="http://calendar.test", admin_token="test-admin-token"), clock=clock)


@pytest.fixture
def client(app):
    return app.test_client()
