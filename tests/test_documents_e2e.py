"""Issue 16's "done when", against a running server (`calendar-svc serve`: gunicorn, two workers) on
127.0.0.1, on SQLite and PostgreSQL: a newer edition uploaded through the API changes the feeds (new ETags)
and sends change notices (`calendar-svc remind` to a real webhook); the next weekly digest lists the
change; retracting it brings the events back to their earlier dates with the same uids, and that change is
notified too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from editions import ADDED, NEWER_NAME, SAMPLE, first_edition, newer_edition
from test_reminders_targets import TOKEN, free_port, webhook_fixture  # noqa: F401 - fixture

ADMIN_TOKEN = "e2e-" + uuid.uuid4().hex
REMIND_NOW = "2021-10-01T08:00:00Z"  # before the re-dated November meeting


def request(base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def upload(base: str, name: str, content: bytes, token: str = ADMIN_TOKEN):
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    return request(base, "POST", "/api/documents", body, headers)


def feed_etags(base: str) -> dict[str, str]:
    etags = {}
    for path in ("/feeds/all.ics", "/feeds/countries/TN.ics"):
        status, headers, _body = request(base, "GET", path)
        assert status == 200
        etags[path] = headers["ETag"]
    return etags


def tunisia_events(base: str) -> dict[str, dict]:
    status, _headers, body = request(base, "GET", "/api/events?country=TN&limit=500")
    assert status == 200
    return {e["uid"]: e for e in json.loads(body)["events"]}


def by_title(events: dict[str, dict], prefix: str, year: str) -> dict:
    (found,) = [e for e in events.values() if e["title"].startswith(prefix) and e["start"].startswith(year)]
    return found


@pytest.fixture
def running_server(db_url, tmp_path):
    env = {**os.environ, "CALENDAR_SVC_ADMIN_TOKEN": ADMIN_TOKEN, "CALENDAR_SVC_DATABASE_URL": db_url,
           "CALENDAR_SVC_BASE_URL": "https://calendar.example.org", "CALENDAR_SVC_RATE_LIMIT_ADMIN": "off"}  # fmt: skip
    port = free_port()
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "calendar_svc.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if request(base, "GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.1)
        yield base, env
    finally:
        server.terminate()
        server.wait(30)
        log.close()
        assert ADMIN_TOKEN not in (tmp_path / "server.log").read_text()  # never logged


def remind(env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", "remind", "--once", "--now", REMIND_NOW],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_newer_edition_then_retraction_through_a_running_server(running_server, webhook):
    base, env = running_server
    status, _headers, body = upload(base, SAMPLE.name, first_edition())
    assert status == 201, body
    before = tunisia_events(base)
    committee = by_title(before, "EU-Tunisia Association Committee", "2021")
    subscribed = subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", "subscriptions", "add", "--url", webhook.url(),
         "--country", "TN", "--lead", "1d", "--name", "Tunis desk"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert subscribed.returncode == 0, subscribed.stderr
    # a weekly digest, Fridays 09:00 Brussels: REMIND_NOW (Friday 1 October 2021, 10:00 there) is in its period
    digest = subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", "subscriptions", "add", "--url", webhook.url("digest"),
         "--country", "TN", "--digest", "weekly", "--digest-day", "fri", "--digest-hour", "9",
         "--digest-timezone", "Europe/Brussels", "--digest-weeks", "12", "--now", "2021-09-20T00:00:00Z"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert digest.returncode == 0, digest.stderr
    etags_before = feed_etags(base)

    # without the token: 401 and nothing changes
    assert upload(base, NEWER_NAME, newer_edition(), token="wrong")[0] == 401
    assert feed_etags(base) == etags_before

    status, _headers, body = upload(base, NEWER_NAME, newer_edition())
    assert status == 201, body
    uploaded = json.loads(body)
    assert uploaded["summary"]["changes"][0]["uid"] == committee["uid"]
    during = tunisia_events(base)
    assert during[committee["uid"]]["start"] == "2021-11-18"
    added = by_title(during, ADDED.split(" ", 3)[3], "2022")
    etags_during = feed_etags(base)
    assert all(etags_during[path] != etags_before[path] for path in etags_before)
    _status, _headers, feed = request(base, "GET", "/feeds/countries/TN.ics")
    assert b"DTSTART;VALUE=DATE:20211118" in feed

    remind(env)
    notices = [
        p for p in webhook.posts
        if p.path != "digest" and p.uid == committee["uid"] and not p.title.startswith("Reminder")
    ]  # fmt: skip
    assert len(notices) == 1 and "18" in notices[0].message
    [digest_post] = [p for p in webhook.posts if p.path == "digest"]
    changes = digest_post.message.split("\n\nComing up")[0]
    assert "Confirmed: EU-Tunisia Association Committee, 18 November 2021" in changes
    assert f"/events/{committee['uid']}" in changes
    assert all(TOKEN not in p.message for p in webhook.posts)

    webhook.clear()
    status, _headers, body = request(
        base, "DELETE", f"/api/documents/{uploaded['document']['id']}",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )  # fmt: skip
    assert status == 200, body
    after = tunisia_events(base)
    assert set(after) == set(during)  # same uids, nothing new
    for name in ("start", "end", "date_text", "precision", "tentative", "status"):
        assert after[committee["uid"]][name] == before[committee["uid"]][name]
    assert after[added["uid"]]["status"] == "cancelled"
    etags_after = feed_etags(base)
    assert all(etags_after[path] != etags_during[path] for path in etags_before)
    _status, _headers, feed = request(base, "GET", "/feeds/countries/TN.ics")
    assert b"DTSTART;VALUE=DATE:20211118" not in feed
    assert b"STATUS:CANCELLED" in feed  # the retracted edition's own meeting, cancelled for the grace period

    remind(env)
    moved_back = [
        p for p in webhook.posts
        if p.path != "digest" and p.uid == committee["uid"] and not p.title.startswith("Reminder")
    ]  # fmt: skip
    assert len(moved_back) == 1
    status, _headers, body = request(base, "GET", "/api/documents")
    states = {d["name"]: d["state"] for d in json.loads(body)["documents"]}
    assert states == {SAMPLE.name: "active", NEWER_NAME: "retracted"}
