"""Digests end to end against real targets: Apprise json:// (text, Markdown, HTML) to a local HTTP server and
mailto:// (HTML) to aiosmtpd; exactly once per period across passes, failures and retries; the CLI.

Every test using `sessions`/`db_url` runs on SQLite and on PostgreSQL (conftest.py). Weekly digests are
due on Mondays at 09:00 Europe/Brussels (07:00 UTC in summer).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from test_reminders_targets import (  # noqa: F401 - fixtures
    TOKEN,
    add_event,
    change_event,
    smtp_server_fixture,
    webhook_fixture,
)

from calendar_svc.cli import main
from calendar_svc.clock import fixed_clock
from calendar_svc.models import Delivery, Event
from calendar_svc.reminders import WorkerOptions, run_pass
from calendar_svc.reminders import subscriptions as subs

BASE = "http://calendar.test"
D = dt.date


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


MON_9 = utc(2025, 6, 9, 7)  # Monday 9 June 2025, 09:00 Brussels
MON_16 = utc(2025, 6, 16, 7)
MON_23 = utc(2025, 6, 23, 7)
MON_30 = utc(2025, 6, 30, 7)


def run(sessions, when: dt.datetime):
    return run_pass(sessions, clock=fixed_clock(when), options=WorkerOptions(base_url=BASE))


def subscribe(sessions, url: str, now: dt.datetime | None = None, **spec) -> int:
    now = now or utc(2025, 6, 5)  # a Thursday: the first digest is Monday 9 June's
    spec.setdefault("digest", "weekly")
    with sessions.begin() as session:
        return subs.create(session, subs.SubscriptionSpec(urls=[url], **spec), allow_list=("*",), now=now).id


def digests(webhook, path: str | None = None) -> list:
    return [p for p in webhook.posts if "digest" in p.title and (path is None or p.path == path)]


def event(session, uid: str) -> Event:
    return session.scalars(select(Event).where(Event.uid == uid)).one()


@pytest.fixture
def calendar(sessions):
    """Morocco (MA) events and one Tunisian one (TN), stored before the subscriptions."""
    with sessions.begin() as session:
        add_event(session, "moA", D(2025, 6, 20), title="4th EU-Morocco Migration Dialogue")
        add_event(session, "moB", D(2025, 6, 30), title="EU-Morocco Readmission Committee")
        add_event(session, "tnC", D(2025, 6, 25), title="EU-Tunisia Senior Officials", countries=("TN",),
                  processes=())  # fmt: skip
        add_event(
            session, "moQ", D(2025, 7, 1), D(2025, 9, 30), title="EU-Morocco Visa Facilitation Committee",
            date_text="Q3 2025 (tbc)", precision="quarter", tentative=True, location=None,
        )  # fmt: skip
        add_event(session, "moOld", D(2025, 5, 5), title="Past meeting")
        add_event(session, "moFar", D(2025, 9, 1), title="Far meeting")
    return sessions


def test_weekly_digest_lists_coming_events_then_changes_once_per_week(calendar, webhook):
    sessions = calendar
    subscribe(sessions, webhook.url("wk"), countries=["MA"])
    assert run(sessions, utc(2025, 6, 9, 6, 59)).planned == 0  # a minute before Monday 09:00
    first = run(sessions, MON_9)
    assert (first.planned, first.sent) == (1, 1), first.errors
    [post] = digests(webhook)
    assert (
        post.title == "Weekly digest (Morocco): 3 events in the next 4 weeks, 0 changes since the last digest"
    )
    assert post.message.splitlines() == [
        "Week of 9 June 2025, Morocco: 3 events in the next 4 weeks, 0 changes since the last digest.",
        "",
        "Coming up, 9 June 2025 to 6 July 2025",
        "- 4th EU-Morocco Migration Dialogue, 20 June 2025 (2025-06-20) (Brussels)",
        f"  {BASE}/events/moA",
        "- EU-Morocco Readmission Committee, 30 June 2025 (2025-06-30) (Brussels)",
        f"  {BASE}/events/moB",
        "- EU-Morocco Visa Facilitation Committee, expected in Q3 2025, date to be confirmed "
        "(window 2025-07-01 to 2025-09-30)",
        f"  {BASE}/events/moQ",
        "",
        f"Calendar feed: {BASE}/feeds/countries/MA.ics",
    ]  # not: the Tunisian event, the past one, the one beyond 4 weeks
    assert run(sessions, utc(2025, 6, 9, 8)).planned == 0  # same week: nothing more
    assert run(sessions, utc(2025, 6, 15, 20)).sent == 0

    with sessions.begin() as session:  # a newer edition: moved, cancelled, confirmed, new, and a TN change
        when = utc(2025, 6, 12)
        change_event(session, event(session, "moA"), when, start=D(2025, 6, 27), end=D(2025, 6, 27),
                     date_text="27 June 2025")  # fmt: skip
        change_event(session, event(session, "moB"), when, status="cancelled")
        change_event(session, event(session, "moQ"), when, start=D(2025, 7, 2), end=D(2025, 7, 2),
                     precision="day", tentative=False, date_text="2 July 2025")  # fmt: skip
        change_event(session, event(session, "tnC"), when, start=D(2025, 6, 26), end=D(2025, 6, 26))
        add_event(session, "moNew", D(2025, 7, 3), title="EU-Morocco Mobility Partnership", now=when)
    second = run(sessions, MON_16)
    assert second.sent == 1, second.errors
    post = digests(webhook)[-1]
    assert post.title.endswith("3 events in the next 4 weeks, 4 changes since the last digest")
    assert post.message.split("\n\nComing up")[0].splitlines()[2:] == [
        "Changes since the last digest",
        "- New: EU-Morocco Mobility Partnership, 3 July 2025 (2025-07-03)",
        f"  {BASE}/events/moNew",
        "- Re-dated: 4th EU-Morocco Migration Dialogue, 27 June 2025 (2025-06-27) (was 20 June 2025)",
        f"  {BASE}/events/moA",
        "- Confirmed: EU-Morocco Visa Facilitation Committee, 2 July 2025 (2025-07-02)",
        f"  {BASE}/events/moQ",
        "- Cancelled: EU-Morocco Readmission Committee, 30 June 2025 (2025-06-30)",
        f"  {BASE}/events/moB",
    ]
    assert (
        "Tunisia" not in post.message
        and "Readmission Committee, 30 June 2025 (2025-06-30) (Br" not in post.message
    )
    assert run(sessions, MON_16 + dt.timedelta(hours=3)).planned == 0

    third = run(sessions, MON_23)  # nothing changed since: the changes are not repeated
    assert third.sent == 1
    assert "Changes since the last digest" not in digests(webhook)[-1].message
    assert len(digests(webhook)) == 3
    with sessions() as session:
        rows = session.scalars(select(Delivery).order_by(Delivery.id)).all()
    assert [(r.kind, r.variant, r.state, r.attempts) for r in rows] == [
        ("digest", "2025-06-09", "sent", 1), ("digest", "2025-06-16", "sent", 1), ("digest", "2025-06-23", "sent", 1),
    ]  # fmt: skip


def test_failure_is_retried_and_sent_once_with_the_same_content(calendar, webhook):
    sessions = calendar
    subscribe(sessions, webhook.url("retry"), countries=["MA"])
    webhook.status = 500
    failed = run(sessions, MON_9)
    assert (failed.sent, failed.failed) == (0, 1) and digests(webhook) == []
    assert TOKEN not in " ".join(failed.errors)
    assert run(sessions, MON_9 + dt.timedelta(seconds=30)).claimed == 0  # backing off (1 min)
    with sessions.begin() as session:  # a change between the failure and the retry
        change_event(session, event(session, "moB"), utc(2025, 6, 9, 7, 1), status="cancelled")
    webhook.status = 200
    retried = run(sessions, MON_9 + dt.timedelta(minutes=2))
    assert (retried.planned, retried.sent) == (0, 1)
    assert run(sessions, MON_9 + dt.timedelta(minutes=5)).claimed == 0
    [post] = digests(webhook)
    assert "Changes since the last digest" not in post.message  # the window was fixed when it was planned
    assert "EU-Morocco Readmission Committee" not in post.message  # cancelled now: no longer coming
    run(sessions, MON_16)
    assert "- Cancelled: EU-Morocco Readmission Committee" in digests(webhook)[-1].message  # next week's
    with sessions() as session:
        assert [(r.state, r.attempts) for r in session.scalars(select(Delivery).order_by(Delivery.id))] == [
            ("sent", 2),
            ("sent", 1),
        ]


def test_a_digest_failing_all_week_hands_its_changes_to_the_next(calendar, webhook):
    sessions = calendar
    subscribe(sessions, webhook.url("down"), countries=["MA"])
    run(sessions, MON_9)
    with sessions.begin() as session:
        change_event(session, event(session, "moB"), utc(2025, 6, 10), start=D(2025, 7, 1), end=D(2025, 7, 1),
                     date_text="1 July 2025")  # fmt: skip
    webhook.status = 500
    for hours in (0, 1, 30, 100):
        assert run(sessions, MON_16 + dt.timedelta(hours=hours)).sent == 0
    webhook.status = 200
    report = run(sessions, MON_23)
    assert report.sent == 1
    with sessions() as session:
        states = [(r.variant, r.state) for r in session.scalars(select(Delivery).order_by(Delivery.id))]
    assert states == [("2025-06-09", "sent"), ("2025-06-16", "expired"), ("2025-06-23", "sent")]
    post = digests(webhook)[-1]
    assert "Week of 23 June 2025" in post.message
    assert (
        "- Re-dated: EU-Morocco Readmission Committee, 1 July 2025 (2025-07-01) (was 30 June 2025)"
        in post.message
    )
    assert len(digests(webhook)) == 2


def test_empty_digests_are_skipped_unless_asked_for(calendar, webhook):
    sessions = calendar
    subscribe(sessions, webhook.url("quiet"), countries=["LY"])
    subscribe(sessions, webhook.url("loud"), countries=["LY"], digest_empty=True, digest="daily")
    report = run(sessions, MON_9)
    assert report.sent == 1 and report.closed == {"skipped": 1}
    [post] = digests(webhook)
    assert post.path == "loud"
    assert post.title == "Daily digest (Libya): 0 events in the next 4 weeks, 0 changes since the last digest"
    assert "- no events" in post.message
    assert run(sessions, MON_9 + dt.timedelta(hours=1)).planned == 0  # the skipped week is done too
    assert run(sessions, MON_9 + dt.timedelta(days=1)).sent == 1  # the daily one, next day


def test_markdown_and_html_bodies_escape_document_text(calendar, webhook):
    sessions = calendar
    with sessions.begin() as session:
        add_event(session, "evil", D(2025, 6, 18), title="[click](https://evil.example) <script>x</script>")
    subscribe(sessions, webhook.url("md") + "?format=markdown", countries=["MA"])
    subscribe(sessions, webhook.url("html") + "?format=html", countries=["MA"])
    subscribe(sessions, webhook.url("text"), countries=["MA"])
    assert run(sessions, MON_9).sent == 3
    md, html, text = (digests(webhook, path)[0].message for path in ("md", "html", "text"))
    assert md.startswith("Week of 9 June 2025, Morocco: 4 events")
    assert "**Coming up, 9 June 2025 to 6 July 2025**" in md
    assert (
        f"- [4th EU\\-Morocco Migration Dialogue](<{BASE}/events/moA>), 20 June 2025 \\(2025\\-06\\-20\\)"
        in md
    )
    assert "\\[click\\]\\(https://evil\\.example\\)" in md and "[click](https" not in md
    assert "<h3>Coming up, 9 June 2025 to 6 July 2025</h3>" in html
    assert f'<li><a href="{BASE}/events/moA">4th EU-Morocco Migration Dialogue</a>, 20 June 2025' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "[click](https://evil.example) <script>x</script>, 18 June 2025" in text  # text stays text


def test_html_digest_by_email_to_a_real_smtp_server(calendar, smtp_server):
    sessions = calendar
    subscribe(sessions, smtp_server.url(), processes=["rabat-process"], digest="daily", digest_hour=8,
              digest_timezone="Europe/Lisbon", digest_weeks=2, now=utc(2025, 6, 9))  # fmt: skip
    assert run(sessions, utc(2025, 6, 9, 6, 59)).planned == 0  # 07:59 in Lisbon
    assert run(sessions, utc(2025, 6, 9, 7)).sent == 1  # 08:00 in Lisbon (UTC+1 in summer)
    assert run(sessions, utc(2025, 6, 9, 12)).sent == 0
    [mail] = smtp_server.messages
    assert (
        mail["Subject"]
        == "Daily digest (Rabat Process): 1 event in the next 2 weeks, 0 changes since the last digest"
    )
    html = mail.get_body(("html",)).get_content()
    assert "<h3>Coming up, 9 June 2025 to 22 June 2025</h3>" in html
    assert f'<a href="{BASE}/events/moA">4th EU-Morocco Migration Dialogue</a>' in html
    assert f'<a href="{BASE}/feeds/processes/rabat-process.ics">Calendar feed</a>' in html


def test_digest_and_per_event_reminders_together(calendar, webhook):
    sessions = calendar
    subscribe(sessions, webhook.url("both"), countries=["MA"], leads=["7d"], change_notices=True)
    run(sessions, MON_9)
    run(sessions, utc(2025, 6, 13, 8))  # 7 days before moA (20 June 09:00 Brussels)
    with sessions.begin() as session:
        change_event(session, event(session, "moB"), utc(2025, 6, 14), status="cancelled")
    run(sessions, utc(2025, 6, 14, 1))
    run(sessions, MON_16)
    titles = [p.title.split(":")[0] for p in webhook.posts]
    assert titles == ["Weekly digest (Morocco)", "Reminder", "Cancelled", "Weekly digest (Morocco)"]


def test_a_new_subscription_waits_for_its_first_period(calendar, webhook):
    sessions = calendar
    subscribe(sessions, webhook.url("late"), countries=["MA"], now=utc(2025, 6, 9, 8))  # after Monday's
    assert run(sessions, utc(2025, 6, 12)).planned == 0
    assert run(sessions, MON_16).sent == 1


def test_cli_digest_subscription_and_remind_now(db_url, calendar, webhook):
    def invoke(*args):
        return CliRunner().invoke(main, [*args, "--db", db_url], catch_exceptions=False)

    added = invoke("subscriptions", "add", "--url", webhook.url("cli"), "--country", "ma", "--digest", "weekly",
                   "--digest-day", "wed", "--digest-hour", "18", "--digest-timezone", "Europe/Brussels",
                   "--digest-weeks", "3", "--now", "2025-06-05T00:00:00Z")  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = invoke("subscriptions", "list")
    assert "leads: none" in listed.output and "no change notices" in listed.output
    assert "digest: weekly, Wednesdays at 18:00 Europe/Brussels, 3 weeks ahead" in listed.output
    assert TOKEN not in listed.output
    [data] = json.loads(invoke("subscriptions", "list", "--json").output)
    assert data["digest"] == {"period": "weekly", "day": "wednesday", "hour": 18, "timezone": "Europe/Brussels",
                              "weeks": 3, "empty": False}  # fmt: skip
    early = invoke("remind", "--once", "--json", "--now", "2025-06-11T15:59:00Z")
    assert json.loads(early.output)["planned"] == 0
    due = invoke("remind", "--once", "--json", "--now", "2025-06-11T16:00:00Z")  # Wednesday 18:00
    assert json.loads(due.output)["sent"] == 1, due.output
    again = invoke("remind", "--once", "--json", "--now", "2025-06-11T17:00:00Z")
    assert json.loads(again.output)["sent"] == 0
    [post] = digests(webhook)
    assert post.message.startswith("Week of 11 June 2025, Morocco: 3 events in the next 3 weeks")

    bad = invoke(
        "subscriptions", "add", "--url", webhook.url("x"), "--digest", "weekly", "--digest-day", "someday"
    )
    assert bad.exit_code != 0 and "is not a weekday" in bad.output
    bad_zone = invoke("subscriptions", "add", "--url", webhook.url("x"), "--digest", "daily",
                      "--digest-timezone", "Mars/Olympus")  # fmt: skip
    assert bad_zone.exit_code != 0 and "unknown time zone" in bad_zone.output


def test_admin_api_creates_digest_subscriptions(client, webhook):
    headers = {"Authorization": "Bearer test-admin-token"}
    created = client.post("/api/subscriptions", headers=headers, json={
        "url": webhook.url("api"), "countries": ["MA"],
        "digest": {"period": "weekly", "day": "friday", "hour": 7, "weeks": 2, "empty": True},
    })  # fmt: skip
    assert created.status_code == 201, created.json
    body = created.json
    assert body["digest"] == {"period": "weekly", "day": "friday", "hour": 7, "timezone": "Europe/Brussels",
                              "weeks": 2, "empty": True}  # fmt: skip
    assert body["leads"] == [] and body["change_notices"] is False
    short = client.post(
        "/api/subscriptions", headers=headers, json={"url": webhook.url("d"), "digest": "daily"}
    )
    assert short.status_code == 201 and short.json["digest"]["period"] == "daily"
    for digest in ("hourly", {"period": "weekly", "hour": 24}, {"period": "daily", "colour": "red"}, 7):
        refused = client.post(
            "/api/subscriptions", headers=headers, json={"url": webhook.url("d"), "digest": digest}
        )
        assert refused.status_code == 400, digest
        assert TOKEN not in refused.get_data(as_text=True)


def test_concurrent_passes_send_each_digest_once(calendar, webhook):
    """Four threads (own connections) run whole passes at the same moment: one digest per subscription."""
    import threading

    sessions = calendar
    for path in ("c1", "c2", "c3"):
        subscribe(sessions, webhook.url(path), countries=["MA"])
    barrier, errors = threading.Barrier(4), []

    def worker():
        try:
            barrier.wait()
            run(sessions, MON_9)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sorted(p.path for p in digests(webhook)) == ["c1", "c2", "c3"]
    with sessions() as session:
        assert [(r.state, r.attempts) for r in session.scalars(select(Delivery))] == [("sent", 1)] * 3


def test_digest_after_a_newer_edition_is_ingested(sessions, sample_path, webhook):
    """Real documents (calendar_svc.ingest): the Monday digest after a newer edition lists its changes."""
    from calendar_svc.ingest import ingest_bytes

    original = sample_path("000").read_bytes()
    edited = (
        original.replace(b" 14 SEPTEMBER 2021", b" 16 SEPTEMBER 2021")  # the newer edition's date
        .replace(b"20 September 2021, \nSlovenia", b"27 September 2021, \nSlovenia")
        .replace(b"21 September 2021 Virtual Roundtable", b"21 September 2021 (cancelled) Virtual Roundtable")
    )
    assert ingest_bytes(sessions, "state-of-play.txt", original, clock=fixed_clock(utc(2021, 9, 14, 8))).new
    subscribe(sessions, webhook.url("ed"), now=utc(2021, 9, 14, 9), digest_weeks=2)
    assert ingest_bytes(
        sessions, "state-of-play-2.txt", edited, clock=fixed_clock(utc(2021, 9, 16, 8))
    ).updated
    assert run(sessions, utc(2021, 9, 20, 7)).sent == 1
    [post] = digests(webhook)
    changes = post.message.split("Changes since the last digest\n", 1)[1].split("\n\n", 1)[0]
    moved = [line for line in changes.splitlines() if line.startswith("- Re-dated:")]
    cancelled = [line for line in changes.splitlines() if line.startswith("- Cancelled:")]
    assert len(moved) == 1 and "27 September 2021" in moved[0] and "(was 20 September 2021" in moved[0]
    assert len(cancelled) == 1 and "Roundtable" in cancelled[0]
    assert f"{BASE}/events/7de07620aeaba3bc28c8" in changes  # the roundtable's uid is unchanged


@pytest.mark.parametrize(
    ("url", "fmt"),
    [
        ("json://127.0.0.1:9/x", "text"),
        ("json://127.0.0.1:9/x?format=markdown", "markdown"),
        ("json://127.0.0.1:9/x?format=html", "html"),
        ("mailto://u:p@example.org", "html"),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general", "markdown"),
    ],
)
def test_body_format_is_the_one_the_target_wants(url, fmt):
    from calendar_svc.models import Subscription
    from calendar_svc.reminders.sender import TargetCache

    [target] = TargetCache().for_subscription(Subscription(id=1, targets=[url], targets_sealed=None))
    assert target.fmt == fmt


def test_digests_report_a_newer_edition_and_its_retraction(sessions, webhook):
    """Issue 16's "done when", digest part: the next digest lists what a newer edition changed, and the one
    after its retraction lists the events going back (same uids) and the edition's own meeting cancelled."""
    from editions import NEWER_NAME, SAMPLE, first_edition, newer_edition

    from calendar_svc.documents import retract
    from calendar_svc.ingest import ingest_bytes
    from calendar_svc.models import Document

    assert ingest_bytes(sessions, SAMPLE.name, first_edition(), clock=fixed_clock(utc(2021, 9, 14, 8))).new
    subscribe(sessions, webhook.url("tn"), countries=["TN"], now=utc(2021, 9, 14, 9), digest_weeks=12)
    assert ingest_bytes(sessions, NEWER_NAME, newer_edition(), clock=fixed_clock(utc(2021, 9, 16, 8))).updated
    assert run(sessions, utc(2021, 9, 20, 7)).sent == 1
    edition = digests(webhook)[-1].message.split("\n\nComing up")[0]
    [confirmed] = [line for line in edition.splitlines() if "EU-Tunisia Association Committee" in line]
    assert confirmed == "- Confirmed: EU-Tunisia Association Committee, 18 November 2021 (2021-11-18)"
    [new] = [line for line in edition.splitlines() if line.startswith("- New:")]
    assert new.startswith("- New: EU-Tunisia Migration Expert Meeting, 3 February 2022 (2022-02-03)")
    uids = {line for line in edition.splitlines() if line.startswith("  http")}

    with sessions() as session:
        newer_id = session.scalars(select(Document.id).where(Document.name == NEWER_NAME)).one()
    retract(sessions, newer_id, clock=fixed_clock(utc(2021, 9, 22, 8)))
    assert run(sessions, utc(2021, 9, 27, 7)).sent == 1
    after = digests(webhook)[-1].message.split("\n\nComing up")[0]
    assert (
        "- Re-dated: EU-Tunisia Association Committee, expected in November 2021, date to be confirmed"
        in after
    )
    assert "(was 18 November 2021)" in after
    assert "- Cancelled: EU-Tunisia Migration Expert Meeting, 3 February 2022 (2022-02-03)" in after
    assert {line for line in after.splitlines() if line.startswith("  http")} == uids  # the same events


def test_long_digests_list_fifty_items_per_section_and_count_the_rest(sessions, webhook):
    with sessions.begin() as session:
        for n in range(53):
            add_event(
                session, f"many{n:02d}", D(2025, 6, 10) + dt.timedelta(days=n % 20), title=f"Meeting {n:02d}"
            )
    subscribe(sessions, webhook.url("many"), countries=["MA"])
    assert run(sessions, MON_9).sent == 1
    [post] = digests(webhook)
    assert post.title.endswith("53 events in the next 4 weeks, 0 changes since the last digest")
    listed = [line for line in post.message.splitlines() if line.startswith("- Rabat Process – Meeting")]
    assert len(listed) == 50
    assert "- … and 3 more: see the calendar feed" in post.message
