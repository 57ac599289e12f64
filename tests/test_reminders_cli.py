"""The reminders CLI, URL masking/validation, message escaping and Apprise result handling.

Secrets: every test URL carries TOKEN (and the SMTP one PASSWORD); neither may appear in CLI output,
error messages, the outbox's last_error, or anything logged (Apprise's own logger at DEBUG included).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import apprise
import pytest
from click.testing import CliRunner
from test_reminders_targets import (  # noqa: F401 - fixtures
    PASSWORD,
    TOKEN,
    add_event,
    smtp_server_fixture,
    webhook_fixture,
)

from calendar_svc.cli import main
from calendar_svc.models import Event
from calendar_svc.reminders.messages import Message, fuzzy_phrase, md_escape, reminder_message
from calendar_svc.reminders.planner import Schedule
from calendar_svc.reminders.secrets import (
    InvalidTarget,
    format_lead,
    mask_url,
    parse_lead,
    redact,
    scheme_allowed,
    validate_url,
)
from calendar_svc.reminders.sender import interpret


def invoke(*args, env=None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    return result


# -- masking and validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (f"json://user:{TOKEN}@127.0.0.1:8080/hooks/{TOKEN}", "json://…@127.0.0.1:8080/…"),
        (f"json://127.0.0.1:8080/hooks/{TOKEN}", "json://127.0.0.1:8080/…"),
        (f"jsons://hooks.example.org/{TOKEN}?token={TOKEN}", "jsons://hooks.example.org/…"),
        (f"mailto://user:{TOKEN}@example.org?to=a@example.org", "mailto://…@example.org"),
        (f"tgram://123456789:{TOKEN}/987654", "tgram://…"),
        (f"slack://{TOKEN}/B1234567/{TOKEN}", "slack://…"),
        (f"discord://4174216298/{TOKEN}", "discord://…"),
        (f"ntfy://{TOKEN}", "ntfy://…"),
        ("not a url", "…"),
    ],
)
def test_mask_url_keeps_scheme_and_network_host_only(url, masked):
    assert mask_url(url) == masked
    assert TOKEN not in mask_url(url)


def test_redact_removes_every_secret_piece():
    url = f"json://user:{TOKEN}@127.0.0.1:8080/hooks/{TOKEN}x?key={TOKEN}y"
    text = f"failed {url}; password {TOKEN}; path /hooks/{TOKEN}x; key {TOKEN}y"
    assert TOKEN not in redact(text, [url])
    tgram = f"tgram://123456789:{TOKEN}/987654"
    assert TOKEN not in redact(f"Telegram 123456789:{TOKEN} failed", [tgram])


@pytest.mark.parametrize(
    "url",
    [
        "json://127.0.0.1:8080/x",
        "mailto://user:pw@example.org",
        "form://example.org/path",
        "xml://example.org/path",
        f"tgram://123456789:{TOKEN}/987654",
        f"slack://{TOKEN[:9]}/{TOKEN[:9]}/{TOKEN}",
        f"ntfys://ntfy.example.org/{TOKEN}",
        "https://discord.com/api/webhooks/4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js",
    ],
)
def test_default_allow_list_admits_notification_services(url):
    from calendar_svc.config import DEFAULT_APPRISE_SCHEMES

    assert validate_url(url, DEFAULT_APPRISE_SCHEMES) == url


@pytest.mark.parametrize(
    "url",
    [f"file:///etc/{TOKEN}", f"syslog://{TOKEN}", f"windows://{TOKEN}", f"dbus://{TOKEN}",
     f"gnome://{TOKEN}", f"nosuch://x/{TOKEN}", f"nonsense{TOKEN}"],
)  # fmt: skip
def test_local_and_unknown_schemes_are_refused(url):
    from calendar_svc.config import DEFAULT_APPRISE_SCHEMES

    with pytest.raises(InvalidTarget) as info:
        validate_url(url, DEFAULT_APPRISE_SCHEMES)
    assert TOKEN not in str(info.value)


def test_allow_list_is_configurable():
    assert scheme_allowed("json", ["json", "mailto"]) and not scheme_allowed("slack", ["json", "mailto"])
    assert not scheme_allowed("tgram", ["*", "-tgram"]) and scheme_allowed("slack", ["*", "-tgram"])
    assert not scheme_allowed("file", ["*", "file"])  # never, whatever the list says
    with pytest.raises(InvalidTarget) as info:
        validate_url(f"json://127.0.0.1/{TOKEN}", ["mailto"])
    assert TOKEN not in str(info.value)


def test_lead_times():
    assert [parse_lead(x) for x in ("7d", "1d", "12h", "30m", "2w")] == [604800, 86400, 43200, 1800, 1209600]
    assert [format_lead(s) for s in (604800, 86400, 43200, 1800)] == ["7d", "1d", "12h", "30m"]
    for bad in ("0d", "7", "d7", "7y", ""):
        with pytest.raises(ValueError):
            parse_lead(bad)


# -- messages -------------------------------------------------------------------------------------------


def _event(**overrides) -> Event:
    data = dict(
        uid="u1", title="Meeting", date_text="20 June 2025", start=dt.date(2025, 6, 20),
        end=dt.date(2025, 6, 20), precision="day", tentative=False, status="scheduled", location="Rabat",
    )  # fmt: skip
    data.update(overrides)
    event = Event(**data)
    event.countries, event.processes = [], []
    return event


def test_document_text_is_escaped_in_markdown_and_html():
    evil = "[click](https://evil.example) <script>alert(1)</script> **bold**"
    message = reminder_message(
        _event(title=evil, location="<b>x</b>"), now=dt.datetime(2025, 6, 13, 8, tzinfo=dt.UTC),
        schedule=Schedule(), base_url="http://calendar.test", feeds=["/feeds/all.ics"],
    )  # fmt: skip
    markdown, html = message.markdown(), message.html()
    assert (
        "[click](https://evil.example)" not in markdown and r"\[click\]\(https://evil\.example\)" in markdown
    )
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>x</b>" not in html
    assert '<a href="http://calendar.test/events/u1">Event page</a>' in html
    assert evil in message.text()  # plain text stays as written (sent as TEXT; Apprise escapes for HTML)
    assert md_escape("a_b*c") == r"a\_b\*c"


def test_fuzzy_wording():
    assert fuzzy_phrase("Q2 2025 (tbc)") == "expected in Q2 2025, date to be confirmed"
    assert fuzzy_phrase("autumn 2024 TBC") == "expected in autumn 2024, date to be confirmed"
    assert fuzzy_phrase("early 2025") == "expected early 2025, date to be confirmed"
    assert (
        Message("t", [("When", "x")], [("Feed", "http://h/f.ics")]).text() == "When: x\nFeed: http://h/f.ics"
    )


def test_interpret_handles_apprise_2_results_and_1_x_booleans(webhook):
    client = apprise.Apprise()
    client.add(webhook.url("r"))
    ok, status, _notes = interpret(client.notify(body="hi"))
    assert (ok, status) == (True, "SUCCESS")
    webhook.status = 500
    ok, status, notes = interpret(client.notify(body="hi"))
    assert (ok, status) == (False, "FAILURE") and notes
    assert interpret(apprise.Apprise().notify(body="x"))[:2] == (False, "NOMATCH")
    assert interpret(True)[:2] == (True, "SUCCESS") and interpret(False)[:2] == (False, "FAILURE")
    assert interpret(None)[:2] == (False, "NOMATCH")


# -- the CLI ----------------------------------------------------------------------------------------------


def test_cli_manages_subscriptions_without_printing_secrets(db_url, webhook, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)  # Apprise at DEBUG too: the redaction must hold there
    added = invoke("subscriptions", "add", "--url", webhook.url("cli"), "--url", smtp_server.url(),
                   "--country", "ma", "--process", "rabat-process", "--lead", "2d", "--lead", "12h",
                   "--name", "Morocco desk", "--no-tentative", "--db", db_url)  # fmt: skip
    assert added.exit_code == 0, added.output
    sub_id = int(added.output.strip())
    listed = invoke("subscriptions", "list", "--db", db_url)
    assert f"json://…@127.0.0.1:{webhook.port}/…" in listed.output
    assert f"mailto://…@127.0.0.1:{smtp_server.port}" in listed.output
    assert "MA, rabat-process; leads: 2d, 12h; active; no tentative; change notices" in listed.output
    as_json = json.loads(invoke("subscriptions", "list", "--json", "--db", db_url).output)
    assert as_json[0]["targets"] == [
        f"json://…@127.0.0.1:{webhook.port}/…",
        f"mailto://…@127.0.0.1:{smtp_server.port}",
    ]

    tested = invoke("subscriptions", "test", sub_id, "--db", db_url)
    assert tested.exit_code == 0, tested.output
    assert [p.title for p in webhook.posts] == ["calendar-svc test notification"]
    assert smtp_server.messages[0]["Subject"] == "calendar-svc test notification"

    from calendar_svc.db import make_engine, session_factory

    engine = make_engine(db_url)
    with session_factory(engine).begin() as session:
        add_event(session, "cli1", dt.date(2025, 6, 20))
    engine.dispose()
    webhook.status = 500  # the webhook fails: its error goes to the output, the outbox and the log
    reminded = invoke("remind", "--once", "--now", "2025-06-18T08:00:00Z", "--db", db_url)
    assert reminded.exit_code == 0
    assert "planned 1, claimed 1, sent 0, failed 1" in reminded.output
    assert f"json://…@127.0.0.1:{webhook.port}/…: FAILURE" in reminded.output
    failing = invoke("subscriptions", "test", sub_id, "--db", db_url)
    assert failing.exit_code == 1 and "FAILED" in failing.output

    bad = invoke("subscriptions", "add", "--url", f"file:///tmp/{TOKEN}", "--db", db_url)
    assert bad.exit_code != 0 and "file://" in bad.output
    refused = invoke("subscriptions", "add", "--url", webhook.url("x"), "--db", db_url,
                     env={"CALENDAR_SVC_APPRISE_SCHEMES": "mailto"})  # fmt: skip
    assert refused.exit_code != 0 and "not in the allowed scheme list" in refused.output

    from sqlalchemy import create_engine, text

    raw = create_engine(make_engine(db_url).url)
    with raw.connect() as connection:
        last_errors = [r[0] or "" for r in connection.execute(text("SELECT last_error FROM deliveries"))]
    raw.dispose()
    everything = "\n".join(
        [added.output, listed.output, json.dumps(as_json), tested.output, reminded.output, failing.output,
         bad.output, refused.output, caplog.text, *last_errors]
    )  # fmt: skip
    assert caplog.text  # Apprise did log
    assert TOKEN not in everything and PASSWORD not in everything

    assert invoke("subscriptions", "remove", sub_id, "--db", db_url).exit_code == 0
    assert invoke("subscriptions", "list", "--db", db_url).output.strip() == "no subscriptions"
    assert invoke("subscriptions", "remove", sub_id, "--db", db_url).exit_code == 1


def test_remind_prints_a_json_report(db_url, webhook):
    invoke("subscriptions", "add", "--url", webhook.url("j"), "--db", db_url)
    result = invoke("remind", "--once", "--json", "--now", "2025-06-18T08:00:00Z", "--db", db_url)
    report = json.loads(result.output)
    assert report["sent"] == 0 and report["planned"] == 0 and report["errors"] == []
