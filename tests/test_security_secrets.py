"""Notification URLs and the admin token are secrets (issue 10): end to end through the admin HTTP API,
the JSON request logs, a failing then succeeding `calendar-svc remind` subprocess at DEBUG level and the
CLI listings, nothing prints them. (The CLI-only path is in tests/test_reminders_cli.py.)
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import subprocess
import sys

import pytest
from test_reminders_targets import PASSWORD, TOKEN, add_event, webhook_fixture  # noqa: F401 - fixture

from calendar_svc.logging_setup import JsonFormatter, RequestIdFilter

ADMIN_TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "CALENDAR_SVC_LOG_LEVEL": "DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", *args, "--db", db_url],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )


@pytest.fixture
def json_logs():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_no_secret_in_api_logs_or_cli_output(app, client, db_url, webhook, json_logs, caplog):
    caplog.set_level(logging.DEBUG)
    url = webhook.url("admin") + f"?token={TOKEN}"
    mail = f"mailto://user:{PASSWORD}@127.0.0.1:9?to=desk@example.org&from=cal@example.org"  # refused: keeps failing
    created = client.post("/api/subscriptions", headers=ADMIN, json={"urls": [url, mail], "countries": ["MA"],
                                                                      "leads": ["2d"]})  # fmt: skip
    assert created.status_code == 201, created.get_json()
    sub_id = created.get_json()["id"]
    outputs = [created.get_data(as_text=True)]
    outputs.append(client.get("/api/subscriptions", headers=ADMIN).get_data(as_text=True))
    outputs.append(client.get(f"/api/subscriptions/{sub_id}", headers=ADMIN).get_data(as_text=True))
    # refused targets do not echo the URL either
    for bad in (f"file:///tmp/{TOKEN}", f"windows://{TOKEN}", f"gopherz://{TOKEN}@host/x"):
        refused = client.post("/api/subscriptions", headers=ADMIN, json={"url": bad})
        assert refused.status_code == 400, bad
        outputs.append(refused.get_data(as_text=True))

    sessions = app.extensions["calendar_svc.sessions"]
    with sessions.begin() as session:
        add_event(session, "sec1", dt.date(2025, 6, 20))
    webhook.status = 500  # the target fails first: errors are reported and logged, then retried
    failing = _cli(db_url, "remind", "--once", "--now", "2025-06-18T08:00:00Z")
    webhook.status = 200
    sent = _cli(db_url, "remind", "--once", "--now", "2025-06-18T09:00:00Z")
    listed = _cli(db_url, "subscriptions", "list")
    listed_json = _cli(db_url, "subscriptions", "list", "--json")
    for result in (failing, sent, listed, listed_json):
        assert result.returncode == 0, result.stdout + result.stderr
        outputs += [result.stdout, result.stderr]
    assert "failed 1" in failing.stdout, failing.stdout
    assert len(webhook.posts) == 1  # the webhook got it on the second pass (the mail target still fails)

    logs = json_logs.getvalue()
    assert '"logger": "calendar_svc.access"' in logs and "/api/subscriptions" in logs
    assert failing.stderr.strip() or caplog.text  # something was logged
    everything = "\n".join([*outputs, logs, caplog.text])
    assert TOKEN not in everything
    assert PASSWORD not in everything
    assert ADMIN_TOKEN not in everything


def test_apprise_allow_list_refuses_local_and_unexpected_schemes_by_default(client):
    for url in ("file:///etc/passwd", "files:///tmp/x", "attach://x", "windows://", "dbus://", "syslog://",
                "gopher://host/x", "javascript://alert(1)", "/tmp/x", "http://"):  # fmt: skip
        response = client.post("/api/subscriptions", headers=ADMIN, json={"url": url})
        assert response.status_code == 400, url
        assert response.is_json
