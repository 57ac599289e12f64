"""Engine and session set-up for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///calendar-svc.sqlite3"
URL_ENV = "CALENDAR_SVC_DATABASE_URL"
MMAP_ENV = "CALENDAR_SVC_SQLITE_MMAP_BYTES"


def database_url(explicit: str | None = None) -> str:
    """--db, else CALENDAR_SVC_DATABASE_URL, else a SQLite file in the working directory."""
    return explicit or os.environ.get(URL_ENV) or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    """An engine tuned for its back end: SQLite gets WAL, a busy timeout and foreign keys."""
    url = database_url(url)
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Optionally read through a memory map instead of a read() per page: feeds read thousands of stored
    # VEVENTs at random places in the file (3x faster), but mapped pages count in the worker's RSS.
    cursor.execute(f"PRAGMA mmap_size={sqlite_mmap_bytes()}")
    cursor.close()
    # SQLite's built-in lower() folds ASCII only ("RÉUNION" -> "rÉunion"); PostgreSQL's and Python's
    # fold all of Unicode. Case-insensitive search lowers both sides, so both must agree.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def sqlite_mmap_bytes() -> int:
    """How much of a SQLite file is read through a memory map ($CALENDAR_SVC_SQLITE_MMAP_BYTES)."""
    return int(os.environ.get(MMAP_ENV) or 0)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
