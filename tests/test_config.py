"""Configuration from the environment, its documentation, /healthz and /readyz, JSON logs with request ids."""

from __future__ import annotations

import io
import json
import logging
import re
import uuid
from pathlib import Path

import pytest

from calendar_svc.app import create_app
from calendar_svc.config import Settings
from calendar_svc.db import make_engine
from calendar_svc.logging_setup import JsonFormatter, RequestIdFilter, request_id_from
from calendar_svc.schema import head_revision, upgrade

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "configuration.md"


# -- settings and their documentation -------------------------------------------------------------


def test_every_environment_variable_is_documented_in_the_table():
    read = set()
    for path in (ROOT / "calendar_svc").rglob("*.py"):
        read |= set(re.findall(r"CALENDAR_SVC_[A-Z0-9_]+", path.read_text()))
    documented = set(re.findall(r"^\| `(CALENDAR_SVC_[A-Z0-9_]+)` \|", DOC.read_text(), re.M))
    assert read, "no environment variables found"
    assert read <= documented, f"undocumented in docs/configuration.md: {sorted(read - documented)}"


def test_settings_from_the_environment(monkeypatch):
    env = {
        "CALENDAR_SVC_DATABASE_URL": "postgresql://u@db/cal",
        "CALENDAR_SVC_BASE_URL": "https://calendar.example.org/",
        "CALENDAR_SVC_ADMIN_TOKEN": "s3cret",
        "CALENDAR_SVC_TIMEZONE": "UTC",
        "CALENDAR_SVC_APPRISE_SCHEMES": " JSON, mailtos ,",
        "CALENDAR_SVC_FEED_CAP": "250",
        "CALENDAR_SVC_FEED_PAST_DAYS": "365",
        "CALENDAR_SVC_CANCELLED_GRACE_DAYS": "7",
        "CALENDAR_SVC_LOG_LEVEL": "DEBUG",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.database_url == "postgresql://u@db/cal"
    assert settings.base_url == "https://calendar.example.org"
    assert settings.admin_token == "s3cret"
    assert settings.timezone == "UTC"
    assert settings.apprise_schemes == ("json", "mailtos")
    assert (settings.feed_cap, settings.feed_past_days, settings.cancelled_grace_days) == (250, 365, 7)
    assert settings.log_level == "DEBUG"


def test_settings_defaults(monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("CALENDAR_SVC_"):
            monkeypatch.delenv(name)
    settings = Settings()
    assert settings.database_url == "sqlite:///calendar-svc.sqlite3"
    assert settings.base_url == "" and settings.admin_token is None
    assert settings.timezone == "Europe/Brussels"
    assert settings.feed_cap == 1000 and settings.feed_past_days is None
    assert settings.cancelled_grace_days == 60 and settings.log_level == "INFO"
    assert settings.apprise_schemes


# -- health and readiness -------------------------------------------------------------------------


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ok", "schema": head_revision()}


def test_readyz_refuses_an_outdated_schema(db_url):
    from test_migrations import _revisions

    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            from alembic import command

            from calendar_svc.schema import _config

            command.downgrade(_config(connection), _revisions()[-2] if len(_revisions()) > 1 else "base")
    finally:
        engine.dispose()
    app = create_app(Settings(database_url=db_url))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert f"expected {head_revision()}" in response.get_json()["reason"]
    assert app.test_client().get("/healthz").status_code == 200
    app.extensions["calendar_svc.engine"].dispose()


def test_sqlite_down_at_start_then_recovering(tmp_path):
    folder = tmp_path / "not-yet"
    url = f"sqlite:///{folder / 'calendar.sqlite3'}"
    app = create_app(Settings(database_url=url))  # the app starts without its database
    client = app.test_client()
    down = client.get("/readyz")
    assert down.status_code == 503 and "database unreachable" in down.get_json()["reason"]
    assert client.get("/healthz").status_code == 200
    folder.mkdir()
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    assert client.get("/readyz").status_code == 200
    app.extensions["calendar_svc.engine"].dispose()


def test_postgresql_down_at_start_then_recovering(pg_cluster):
    """A server of its own, stopped and started under the running app."""
    from pg_cluster import PgCluster, free_port

    cluster = PgCluster()
    try:
        port = free_port()
        cluster.port = port
        url = cluster.url("calendar")
        app = create_app(Settings(database_url=url))
        client = app.test_client()
        down = client.get("/readyz")
        assert down.status_code == 503 and "database unreachable" in down.get_json()["reason"]
        assert client.get("/healthz").status_code == 200
        cluster.start(port)
        cluster.create_database("calendar")
        assert client.get("/readyz").status_code == 503  # reachable, but no schema yet
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        assert client.get("/readyz").status_code == 200
        cluster.stop("fast")  # the server goes away under pooled connections ...
        assert client.get("/readyz").status_code == 503
        cluster.start(port)  # ... and comes back
        back = client.get("/readyz")
        assert back.status_code == 200, back.get_json()
        app.extensions["calendar_svc.engine"].dispose()
    finally:
        cluster.destroy()


# -- structured logs ------------------------------------------------------------------------------


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_request_id_is_generated_and_echoed(client, log_lines):
    response = client.get("/healthz")
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    (line,) = [entry for entry in log_lines() if entry["logger"] == "calendar_svc.access"]
    assert line["message"] == "request" and line["request_id"] == request_id
    assert line["method"] == "GET" and line["path"] == "/healthz" and line["status"] == 200
    assert line["duration_ms"] >= 0 and line["level"] == "INFO"


def test_request_id_from_the_caller_is_honoured(client, log_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-4711.abc"})
    assert response.headers["X-Request-ID"] == "lb-4711.abc"
    assert [e["request_id"] for e in log_lines() if e["logger"] == "calendar_svc.access"] == ["lb-4711.abc"]


def test_an_insane_request_id_is_replaced():
    assert request_id_from("ok-123") == "ok-123"
    for bad in ("", "has space", "x" * 129, 'quote"', "new\nline"):
        assert request_id_from(bad) != bad


def test_logs_inside_a_request_carry_its_id(app, log_lines):
    @app.get("/_test/log")
    def _log():
        logging.getLogger("calendar_svc.test").warning("inside %s", "view", extra={"answer": 42})
        return "ok"

    response = app.test_client().get("/_test/log", headers={"X-Request-ID": "req-1"})
    assert response.status_code == 200
    (entry,) = [e for e in log_lines() if e["logger"] == "calendar_svc.test"]
    assert entry == {**entry, "message": "inside view", "request_id": "req-1", "answer": 42, "level": "WARNING"}


def test_query_strings_are_never_logged(client, log_lines):
    secret = uuid.uuid4().hex
    client.get(f"/api/events?token={secret}&country=MA")
    client.get(f"/feeds/all.ics?token={secret}")
    client.get(f"/readyz?admin_token={secret}")
    lines = log_lines()
    assert len([e for e in lines if e["logger"] == "calendar_svc.access"]) == 3
    assert all(secret not in json.dumps(entry) for entry in lines)
    assert "?" not in "".join(e["path"] for e in lines if e["logger"] == "calendar_svc.access")


def test_exceptions_are_logged_as_one_json_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("calendar_svc.test.exc")
    log.addHandler(handler)
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["message"] == "failed" and "ValueError: boom" in entry["exc_info"]
