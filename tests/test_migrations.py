"""Alembic migrations: they agree with the models, bring any revision to head, and the CLI refuses stale schemas.

Runs on every selected back end (SQLite and PostgreSQL): see tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import insert, inspect, select

from calendar_svc.cli import main
from calendar_svc.db import make_engine
from calendar_svc.models import Base, Event, EventTerm
from calendar_svc.schema import _config, current_revision, ensure_current, head_revision, upgrade
from calendar_svc.terms import ANY_MONTH


def _revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


@pytest.fixture
def empty_db_url(db_backend, request, tmp_path):
    """A database with no tables at all, on this test's back end."""
    if db_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"e_{uuid.uuid4().hex[:16]}"
    url = cluster.create_database(name)
    yield url
    cluster.drop_database(name)


def _diff(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": engine.dialect.name == "sqlite"}
        )
        return compare_metadata(context, Base.metadata)


def test_models_and_migrations_agree(engine):
    """`alembic revision --autogenerate` on a migrated database would produce an empty migration."""
    assert current_revision(engine) == head_revision()
    assert _diff(engine) == []


def test_revision_history_is_linear():
    script = ScriptDirectory.from_config(_config())
    assert len(script.get_heads()) == 1, "several heads: a migration must be based on the current head"
    assert _revisions()[0] == "0001"


def test_db_upgrade_on_an_empty_database(empty_db_url):
    result = CliRunner().invoke(main, ["db", "upgrade", "--db", empty_db_url])
    assert result.exit_code == 0, result.output
    assert f"database at revision {head_revision()}" in result.output
    engine = make_engine(empty_db_url)
    try:
        assert {"events", "documents", "event_changes", "catalog_state"} <= set(inspect(engine).get_table_names())
        assert _diff(engine) == []
        status = CliRunner().invoke(main, ["db", "status", "--db", empty_db_url])
        assert status.output.strip() == f"database: {head_revision()}; code: {head_revision()}"
        # upgrading a database at head is a no-op
        again = CliRunner().invoke(main, ["db", "upgrade", "--db", empty_db_url])
        assert again.exit_code == 0 and current_revision(engine) == head_revision()
    finally:
        engine.dispose()


@pytest.mark.parametrize("old", _revisions()[:-1] or ["none"])
def test_db_upgrade_from_an_older_revision(empty_db_url, old):
    if old == "none":
        pytest.skip("only one revision so far")
    engine = make_engine(empty_db_url)
    try:
        upgrade(engine, old)
        assert current_revision(engine) == old
        result = CliRunner().invoke(main, ["db", "upgrade", "--db", empty_db_url])
        assert result.exit_code == 0, result.output
        assert current_revision(engine) == head_revision()
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_ingest_creates_the_schema_of_an_empty_database(empty_db_url, samples_dir):
    sample = next(samples_dir.glob("*.txt"))
    result = CliRunner().invoke(main, ["ingest", "--db", empty_db_url, str(sample)])
    assert "schema" not in result.output, result.output
    engine = make_engine(empty_db_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


@pytest.mark.parametrize("command_line", [["ingest", "samples"], ["serve", "--port", "1"], ["export"]])
def test_commands_refuse_an_outdated_schema(empty_db_url, command_line):
    engine = make_engine(empty_db_url)
    revisions = _revisions()
    try:
        if len(revisions) > 1:
            upgrade(engine, revisions[-2])
            at = revisions[-2]
        else:  # tables without a recorded revision: a schema this code does not know
            Base.metadata.create_all(engine)
            at = "none"
        result = CliRunner().invoke(main, [*command_line, "--db", empty_db_url])
        assert result.exit_code == 1
        assert (
            f"Error: database schema is at revision {at}, this version needs {head_revision()}: "
            "run `calendar-svc db upgrade` first"
        ) in result.output
        assert current_revision(engine) == (None if at == "none" else at)  # nothing was changed
    finally:
        engine.dispose()


def test_ensure_current_accepts_head(engine):
    ensure_current(engine, create_if_empty=False)


def _events_storage(engine) -> int:
    """What identifies the events table's storage: a table copied and renamed (Alembic's batch mode on
    SQLite) gets a new one."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return connection.exec_driver_sql("SELECT rootpage FROM sqlite_master WHERE name = 'events'").scalar()
        return connection.exec_driver_sql("SELECT relfilenode FROM pg_class WHERE relname = 'events'").scalar()


def _index_columns(engine, name: str) -> list[str] | None:
    found = [index for index in inspect(engine).get_indexes("events") if index["name"] == name]
    return found[0]["column_names"] if found else None


def test_0015_indexes_the_events_order_keys_in_place(empty_db_url):
    """0015 adds the (id, start, uid, end) index to the events table as it is, rows kept, and 0014 is
    reached again by dropping it."""
    engine = make_engine(empty_db_url)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    row = {
        "uid": "u1", "key": "k", "title": "Meeting", "description": "", "date_text": "2026", "precision": "day",
        "start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 2), "tentative": False, "status": "scheduled",
        "deadline": False, "sequence": 0, "created_at": now, "last_modified": now, "revision": 0,
    }  # fmt: skip
    try:
        upgrade(engine, "0014")
        with engine.begin() as connection:
            connection.execute(insert(Event.__table__), [row])
        storage = _events_storage(engine)
        assert _index_columns(engine, "ix_events_id_start_uid_end") is None
        upgrade(engine, "0015")
        assert _index_columns(engine, "ix_events_id_start_uid_end") == ["id", "start", "uid", "end"]
        assert _events_storage(engine) == storage  # not rebuilt
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0014")
        assert _index_columns(engine, "ix_events_id_start_uid_end") is None
        with engine.connect() as connection:
            assert connection.execute(select(Event.uid, Event.start)).all() == [("u1", dt.date(2026, 3, 1))]
    finally:
        engine.dispose()


def test_0016_files_the_stored_events_under_their_title_terms(empty_db_url):
    """0016 creates event_terms filled from the events already stored (their canonical titles and windows,
    calendar_svc.terms), and 0015 is reached again by dropping it, the events kept."""
    engine = make_engine(empty_db_url)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    base = {
        "title": "Meeting", "description": "", "date_text": "2026", "precision": "day", "tentative": False,
        "status": "scheduled", "deadline": False, "sequence": 0, "created_at": now, "last_modified": now,
        "revision": 0,
    }  # fmt: skip
    rows = [
        {**base, "uid": "u1", "key": "joint committee", "start": dt.date(2026, 3, 1), "end": dt.date(2026, 4, 2)},
        {**base, "uid": "u2", "key": "action plan", "start": dt.date(2021, 1, 1), "end": dt.date(2025, 12, 31)},
    ]
    try:
        upgrade(engine, "0015")
        with engine.begin() as connection:
            connection.execute(insert(Event.__table__), rows)
        upgrade(engine, "0016")
        with engine.connect() as connection:
            ids = dict(connection.execute(select(Event.uid, Event.id)).all())
            stored = set(connection.execute(select(EventTerm.word, EventTerm.month, EventTerm.event_id)).all())
        march = 2026 * 12 + 2
        assert stored == {
            ("joint", march, ids["u1"]), ("joint", march + 1, ids["u1"]),
            ("committee", march, ids["u1"]), ("committee", march + 1, ids["u1"]),
            ("action", ANY_MONTH, ids["u2"]), ("plan", ANY_MONTH, ids["u2"]),
        }  # fmt: skip
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0015")
        assert "event_terms" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            assert connection.execute(select(Event.uid).order_by(Event.uid)).scalars().all() == ["u1", "u2"]
    finally:
        engine.dispose()
