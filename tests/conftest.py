"""Shared fixtures: a real database per test (SQLite and PostgreSQL), the sample documents, the app.

Database back ends: every test that uses `db_url` (or `engine`, `sessions`, `app`, `client`) runs once
per selected back end, with ids `[sqlite]` and `[postgresql]`. Select them with
`--db-backend=sqlite|postgresql|all` or `CALENDAR_SVC_TEST_DB=...` (default: all). PostgreSQL tests
run on a throwaway cluster (initdb + pg_ctl on a free port; one per pytest-xdist worker, as the
`postgres` system user under root) that is stopped and deleted at the end of the session; each test
gets a fresh database copied from a migrated template. Without PostgreSQL binaries the postgresql
tests are skipped, except in CI (`CI` set) where that is an error. `postgres_url` is a fresh,
migrated PostgreSQL database whatever the parametrisation (skipped when PostgreSQL is not selected).
Module-scoped seeded data: `module_db_url` (parametrised the same way, once per module and back end)
and `clone_db(url)` for a private per-test copy of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from calendar_svc.clock import fixed_clock
from calendar_svc.db import make_engine, session_factory
from calendar_svc.schema import upgrade

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# The sample documents date from 2021-2025; a clock inside that period makes "upcoming" meaningful.
SAMPLE_NOW = dt.datetime(2021, 9, 15, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def icaljs():
    """Mozilla ical.js under node (tests/js), shared by every feed interoperability test."""
    from test_feeds_checks import IcalJs, node_ready

    return IcalJs(node_ready())


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def sample_path():
    def find(prefix: str) -> Path:
        return next(SAMPLES.glob(f"{prefix}_*.txt"))

    return find


# -- database back ends -----------------------------------------------------------------------------

BACKENDS = ("sqlite", "postgresql")
BACKEND_ENV = "CALENDAR_SVC_TEST_DB"


def pytest_addoption(parser):
    parser.addoption(
        "--db-backend",
        choices=(*BACKENDS, "all"),
        default=None,
        help=f"database back end(s) for tests using db_url (default: ${BACKEND_ENV}, else all)",
    )


def selected_backends(config) -> tuple[str, ...]:
    choice = config.getoption("--db-backend") or os.environ.get(BACKEND_ENV) or "all"
    if choice not in (*BACKENDS, "all"):
        raise pytest.UsageError(f"{BACKEND_ENV}={choice!r}: expected sqlite, postgresql or all")
    return BACKENDS if choice == "all" else (choice,)


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql: the test needs a PostgreSQL server")
    # Property tests search hundreds of times from one client; rate limits are tested on their own
    # (tests/test_security_api.py builds limited apps explicitly).
    for name in ("CALENDAR_SVC_RATE_LIMIT_SEARCH", "CALENDAR_SVC_RATE_LIMIT_ADMIN"):
        os.environ.setdefault(name, "off")
    if "postgresql" in selected_backends(config) and os.environ.get("CI"):
        from pg_cluster import PostgresUnavailable, find_bindir

        try:
            find_bindir()
            import psycopg  # noqa: F401
        except (PostgresUnavailable, ImportError) as exc:
            raise pytest.UsageError(f"CI requires PostgreSQL for the test suite: {exc}") from exc


def pytest_generate_tests(metafunc):
    if "db_backend" in metafunc.fixturenames:
        metafunc.parametrize("db_backend", selected_backends(metafunc.config), indirect=True)
    if "module_db_backend" in metafunc.fixturenames:
        metafunc.parametrize(
            "module_db_backend", selected_backends(metafunc.config), indirect=True, scope="module"
        )


@pytest.fixture
def db_backend(request) -> str:
    """The back end of this test's database: "sqlite" or "postgresql"."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_cluster(request):
    """This worker's throwaway PostgreSQL cluster (started on first use, removed at session end)."""
    if "postgresql" not in selected_backends(request.config):
        pytest.skip("PostgreSQL not selected (--db-backend / $CALENDAR_SVC_TEST_DB)")
    from pg_cluster import PgCluster, PostgresUnavailable

    try:
        import psycopg  # noqa: F401

        cluster = PgCluster()
    except (PostgresUnavailable, ImportError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI requires PostgreSQL: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:
    """A database migrated to head once per session; test databases are copies of it."""
    name = "calsvc_template"
    url = pg_cluster.create_database(name)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return name


@pytest.fixture
def postgres_url(pg_cluster, pg_template):
    """A fresh PostgreSQL database migrated to head, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    url = pg_cluster.create_database(name, template=pg_template)
    yield url
    pg_cluster.drop_database(name)  # WITH (FORCE): connections a test leaked are closed


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, migrated SQLite file on disk."""
    url = f"sqlite:///{tmp_path / 'calendar.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def db_url(db_backend, request) -> str:
    """A fresh, migrated database for one test: a SQLite file or a PostgreSQL database, per param."""
    return request.getfixturevalue("postgres_url" if db_backend == "postgresql" else "sqlite_url")


@pytest.fixture(scope="module")
def module_db_backend(request) -> str:
    """Like db_backend, for module-scoped databases (read-only tests sharing seeded data)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="module")
def module_db_url(module_db_backend, request, tmp_path_factory):
    """A fresh, migrated database shared by one module's tests, once per selected back end."""
    if module_db_backend == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        name = f"m_{uuid.uuid4().hex[:16]}"
        url = cluster.create_database(name, template=request.getfixturevalue("pg_template"))
        yield url
        cluster.drop_database(name)
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('module-db') / 'calendar.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url


@pytest.fixture
def clone_db(request, tmp_path):
    """clone_db(url) -> url of a private copy of that database (same back end), dropped after the test.

    For tests that change a seeded module database: seed once, clone per test.
    """
    made: list[tuple[object, str]] = []

    def clone(url: str) -> str:
        if url.startswith("sqlite"):
            import sqlite3

            target = tmp_path / f"clone-{uuid.uuid4().hex[:8]}.sqlite3"
            source = sqlite3.connect(url.split("sqlite:///", 1)[1])
            dest = sqlite3.connect(target)
            source.backup(dest)  # consistent copy, WAL included
            source.close()
            dest.close()
            return f"sqlite:///{target}"
        cluster = request.getfixturevalue("pg_cluster")
        source_name = url.rsplit("/", 1)[1]
        # CREATE DATABASE ... TEMPLATE needs the source idle: close what the test's engines left open
        cluster.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{source_name}' AND pid <> pg_backend_pid()"
        )
        name = f"c_{uuid.uuid4().hex[:16]}"
        made.append((cluster, name))
        return cluster.create_database(name, template=source_name)

    yield clone
    for cluster, name in made:
        cluster.drop_database(name)


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

    app = create_app(
        Settings(database_url=db_url, base_url="http://calendar.test", admin_token="test-admin-token"),
        clock=clock,
    )
    yield app
    app.extensions["calendar_svc.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """A WSGI app on werkzeug's threaded server on 127.0.0.1 (a free port): yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        httpd.server_close()
