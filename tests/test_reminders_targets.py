"""Real notification targets for the reminder tests: an HTTP server for Apprise json:// posts and an SMTP
server (aiosmtpd, with AUTH over plain TCP) for mailto://. Also the helpers that put events in the store.

Imported by tests/test_reminders*.py; the checks at the bottom test the targets themselves.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from calendar_svc.models import Event, EventChange, EventCountry, EventProcess

TOKEN = "S3cr3tT0kenXyZ987"  # appears in every test URL; must never appear in any output
PASSWORD = "Pa55wordQ7Lm"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Post:
    path: str
    headers: dict
    body: dict
    at: float

    @property
    def title(self) -> str:
        return self.body.get("title", "")

    @property
    def message(self) -> str:
        return self.body.get("message", "")

    @property
    def uid(self) -> str | None:
        match = re.search(r"/events/([A-Za-z0-9_-]+)", self.message)
        return match.group(1) if match else None

    @property
    def lead(self) -> str | None:
        match = re.search(r"Reminder: (\d+ \w+) ahead", self.message)
        return match.group(1) if match else None

    def key(self) -> tuple:
        kind = "reminder" if self.title.startswith("Reminder") else self.title.split(":")[0]
        return (self.path, self.uid, kind, self.lead)


class WebhookTarget:
    """A real HTTP server on 127.0.0.1. `status` answers every POST (500 = an outage); `delay` makes it
    slow (the post is recorded on arrival, before the delay: a client killed while waiting has still
    delivered); `stop()`/`start()` take it off the network and back on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.posts: list[Post] = []
        self.status = 200
        self.delay = 0.0
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def url(self, path: str = "hook", user: str = "reminders") -> str:
        return f"json://{user}:{TOKEN}@127.0.0.1:{self.port}/{path}/{TOKEN}"

    def start(self) -> WebhookTarget:
        target = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"raw": raw.decode("utf-8", "replace")}
                status = target.status
                if status < 400:
                    with target.lock:
                        target.posts.append(
                            Post(self.path.split("/")[1], dict(self.headers), body, time.monotonic())
                        )
                if target.delay:
                    time.sleep(target.delay)
                payload = b"ok" if status < 400 else b"unavailable"
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def counts(self) -> Counter:
        with self.lock:
            return Counter(p.key() for p in self.posts)

    def clear(self) -> None:
        with self.lock:
            self.posts.clear()


@pytest.fixture(name="webhook")
def webhook_fixture():
    target = WebhookTarget().start()
    yield target
    target.stop()


@dataclass
class SmtpTarget:
    port: int
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    envelopes: list = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def url(self, to: str = "team@example.org") -> str:
        return (
            f"mailto://calsvc:{PASSWORD}@127.0.0.1:{self.port}"
            f"?mode=insecure&from=reminders@example.org&to={to}"
        )


@pytest.fixture(name="smtp_server")
def smtp_server_fixture():
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    target = SmtpTarget(free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            target.envelopes.append(envelope)
            target.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 OK"

    def authenticator(_server, _session, _envelope, _mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            target.logins.append((user, password))
            return AuthResult(success=user == "calsvc" and password == PASSWORD)
        return AuthResult(success=False)

    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=target.port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    yield target
    controller.stop()


# -- events in the store ------------------------------------------------------------------------------


def add_event(
    session,
    uid: str,
    start: dt.date,
    end: dt.date | None = None,
    *,
    title: str | None = None,
    date_text: str | None = None,
    precision: str = "day",
    tentative: bool = False,
    status: str = "scheduled",
    location: str | None = "Brussels",
    countries=("MA",),
    processes=("rabat-process",),
    now: dt.datetime = dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
) -> Event:
    event = Event(
        uid=uid,
        key=uid,
        title=title or f"Meeting {uid}",
        description="",
        date_text=date_text or f"{start.day} {start:%B %Y}",
        start=start,
        end=end or start,
        precision=precision,
        tentative=tentative,
        status=status,
        deadline=False,
        location=location,
        sequence=0,
        created_at=now,
        last_modified=now,
    )
    event.countries = [EventCountry(code=c) for c in countries]
    event.processes = [EventProcess(slug=p) for p in processes]
    session.add(event)
    session.flush()
    session.add(
        EventChange(event_id=event.id, changed_at=now, document="test", kind="created", sequence=0, fields={})
    )
    return event


def change_event(session, event: Event, now: dt.datetime, **new) -> EventChange:
    """Update an event the way ingest does: bump SEQUENCE and record the change."""
    fields = {}
    for name, value in new.items():
        old = getattr(event, name)
        fields[name] = [old.isoformat() if isinstance(old, dt.date) else old,
                        value.isoformat() if isinstance(value, dt.date) else value]  # fmt: skip
        setattr(event, name, value)
    event.sequence += 1
    event.last_modified = now
    change = EventChange(
        event_id=event.id, changed_at=now, document="test-edit", kind="updated", sequence=event.sequence,
        fields=fields,
    )  # fmt: skip
    session.add(change)
    session.flush()
    return change


# -- the targets work -----------------------------------------------------------------------------------


def test_webhook_target_records_apprise_posts(webhook):
    import apprise

    client = apprise.Apprise()
    assert client.add(webhook.url("probe"))
    assert client.notify(title="t", body="hello")
    assert [p.path for p in webhook.posts] == ["probe"]
    webhook.status = 500
    assert not client.notify(title="t", body="again")
    assert len(webhook.posts) == 1


def test_smtp_target_receives_apprise_mail_with_auth(smtp_server):
    import apprise

    client = apprise.Apprise()
    assert client.add(smtp_server.url())
    assert client.notify(title="Subject here", body="hello")
    assert smtp_server.logins == [("calsvc", PASSWORD)]
    assert smtp_server.messages[0]["Subject"] == "Subject here"
    assert smtp_server.envelopes[0].rcpt_tos == ["team@example.org"]
