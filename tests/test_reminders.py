"""Reminders end to end against real targets: Apprise json:// to a local HTTP server, mailto:// to aiosmtpd.

Every test using `sessions` runs on SQLite and on PostgreSQL (see conftest.py). Times are UTC; all-day
events start at 09:00 Europe/Brussels (07:00 UTC in summer).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from test_reminders_targets import (  # noqa: F401 - fixtures
    PASSWORD,
    TOKEN,
    WebhookTarget,
    add_event,
    change_event,
    smtp_server_fixture,
    webhook_fixture,
)

from calendar_svc.clock import fixed_clock
from calendar_svc.models import Delivery, Event
from calendar_svc.reminders import WorkerOptions, run_pass
from calendar_svc.reminders import subscriptions as subs

BASE = "http://calendar.test"
D = dt.date
T = dt.datetime


def utc(*args) -> dt.datetime:
    return T(*args, tzinfo=dt.UTC)


def run(sessions, when: dt.datetime, **options):
    return run_pass(sessions, clock=fixed_clock(when), options=WorkerOptions(base_url=BASE, **options))


def subscribe(sessions, urls, now=None, **spec) -> int:
    now = now or utc(2025, 1, 1)
    with sessions.begin() as session:
        sub = subs.create(session, subs.SubscriptionSpec(urls=list(urls), **spec), allow_list=("*",), now=now)
        return sub.id


def rows(sessions) -> list[Delivery]:
    with sessions() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


@pytest.fixture
def calendar(sessions):
    """A (day, MA) 20 June 2025; B (TN only) 25 June; C past (10 June); Q fuzzy Q3 2025, tentative."""
    with sessions.begin() as session:
        add_event(session, "evA", D(2025, 6, 20), title="4th EU-Morocco Migration Dialogue")
        add_event(session, "evB", D(2025, 6, 25), countries=("TN",), processes=())
        add_event(session, "evC", D(2025, 6, 10))
        add_event(
            session, "evQ", D(2025, 7, 1), D(2025, 9, 30), date_text="Q3 2025 (tbc)", precision="quarter",
            tentative=True, location=None,
        )  # fmt: skip
    return sessions


def test_due_reminders_arrive_once_then_never_again(calendar, webhook):
    sessions = calendar
    subscribe(sessions, [webhook.url("s1")], countries=["MA"])
    first = run(sessions, utc(2025, 6, 13, 8))  # 7d before A (20 June 09:00 Brussels = 07:00 UTC)
    assert (first.planned, first.sent, first.failed) == (1, 1, 0)
    assert webhook.counts() == {("s1", "evA", "reminder", "7 days"): 1}
    post = webhook.posts[0]
    assert post.title.startswith("Reminder: 4th EU-Morocco Migration Dialogue, in 1 week (20 June 2025)")
    for text in (
        "When: 20 June 2025 (2025-06-20)",
        "Where: Brussels",
        "Countries: Morocco (MA)",
        "Processes: Rabat Process",
        f"Event page: {BASE}/events/evA",
        f"Calendar feed: {BASE}/feeds/countries/MA.ics",
    ):
        assert text in post.message

    again = run(sessions, utc(2025, 6, 13, 8))
    assert (again.planned, again.claimed, again.sent) == (0, 0, 0)
    assert run(sessions, utc(2025, 6, 18, 12)).sent == 0  # nothing due in between

    run(sessions, utc(2025, 6, 19, 7, 30))  # 1d before A
    run(sessions, utc(2025, 6, 19, 7, 31))
    assert webhook.counts() == {("s1", "evA", "reminder", "7 days"): 1, ("s1", "evA", "reminder", "1 day"): 1}
    assert run(sessions, utc(2025, 6, 20, 8)).planned == 0  # A has started: nothing more, ever
    assert all(r.state == "sent" and r.attempts == 1 for r in rows(sessions))


def test_fuzzy_event_is_reminded_before_its_window_opens(calendar, webhook):
    sessions = calendar
    subscribe(sessions, [webhook.url("q")], leads=["7d"])
    run(sessions, utc(2025, 6, 24, 8))  # 7d before 1 July 09:00 Brussels
    fuzzy = [p for p in webhook.posts if p.uid == "evQ"]
    assert len(fuzzy) == 1
    assert "expected in Q3 2025, date to be confirmed" in fuzzy[0].title
    assert (
        "When: expected in Q3 2025, date to be confirmed (window 2025-07-01 to 2025-09-30)"
        in fuzzy[0].message
    )
    assert run(sessions, utc(2025, 7, 2)).planned == 0  # the window is open: no reminder any more


def test_filters_tentative_and_past_events(calendar, webhook):
    sessions = calendar
    subscribe(sessions, [webhook.url("strict")], include_tentative=False, leads=["30d"])
    subscribe(sessions, [webhook.url("tn")], countries=["TN"], leads=["30d"])
    run(sessions, utc(2025, 6, 12))
    counts = webhook.counts()
    assert {(path, uid) for path, uid, _k, _l in counts} == {
        ("strict", "evA"), ("strict", "evB"), ("tn", "evB"),  # evC is past, evQ tentative
    }  # fmt: skip


def test_late_pass_catches_up_every_due_lead_once(calendar, webhook):
    sessions = calendar
    subscribe(sessions, [webhook.url("late")], countries=["MA"])
    report = run(sessions, utc(2025, 6, 19, 20))  # worker was down for a week; A starts in 11 hours
    assert report.sent == 2
    assert webhook.counts() == {
        ("late", "evA", "reminder", "7 days"): 1,
        ("late", "evA", "reminder", "1 day"): 1,
    }
    assert all("sent late" in p.message and "in 11 hours" in p.title for p in webhook.posts)
    assert run(sessions, utc(2025, 6, 19, 21)).sent == 0


def test_outage_then_recovery_loses_nothing(calendar, webhook):
    sessions = calendar
    subscribe(sessions, [webhook.url("out")], countries=["MA"], leads=["7d"])
    webhook.status = 500  # the service answers errors
    t0 = utc(2025, 6, 13, 8)
    report = run(sessions, t0)
    assert (report.sent, report.failed) == (0, 1)
    [row] = rows(sessions)
    assert row.state == "failed" and row.attempts == 1
    assert TOKEN not in row.last_error and f"json://…@127.0.0.1:{webhook.port}/…" in row.last_error
    assert run(sessions, t0 + dt.timedelta(seconds=30)).claimed == 0  # backing off (1 min)

    webhook.stop()  # the service is down altogether
    report = run(sessions, t0 + dt.timedelta(seconds=61))
    assert (report.claimed, report.failed) == (1, 1)
    assert rows(sessions)[0].attempts == 2  # next try 2 min later
    assert run(sessions, t0 + dt.timedelta(seconds=150)).claimed == 0

    webhook.start()
    webhook.status = 200
    report = run(sessions, t0 + dt.timedelta(minutes=4))
    assert report.sent == 1
    assert run(sessions, t0 + dt.timedelta(minutes=20)).claimed == 0
    assert webhook.counts() == {("out", "evA", "reminder", "7 days"): 1}
    assert rows(sessions)[0].state == "sent" and rows(sessions)[0].last_error is None


def test_a_failing_target_neither_blocks_nor_duplicates_the_others(calendar, webhook):
    sessions = calendar
    other = WebhookTarget()  # not started yet: its port refuses connections
    subscribe(sessions, [other.url("b"), webhook.url("a")], countries=["MA"], leads=["7d"])
    t0 = utc(2025, 6, 13, 8)
    assert run(sessions, t0).failed == 1
    assert webhook.counts() == {("a", "evA", "reminder", "7 days"): 1}
    other.start()
    try:
        assert run(sessions, t0 + dt.timedelta(minutes=2)).sent == 1
        assert other.counts() == {("b", "evA", "reminder", "7 days"): 1}
        assert webhook.counts() == {("a", "evA", "reminder", "7 days"): 1}  # not sent twice
    finally:
        other.stop()


def test_redated_event_is_replanned_and_its_old_retry_superseded(calendar, webhook):
    sessions = calendar
    subscribe(sessions, [webhook.url("mv")], countries=["MA"], leads=["7d"])
    webhook.status = 500
    t0 = utc(2025, 6, 13, 8)
    run(sessions, t0)  # the 7d reminder for 20 June fails and waits for a retry
    with sessions.begin() as session:
        event = session.scalar(select(Event).where(Event.uid == "evA"))
        change_event(session, event, t0 + dt.timedelta(minutes=1), start=D(2025, 6, 27), end=D(2025, 6, 27),
                     date_text="27 June 2025")  # fmt: skip
    webhook.status = 200
    report = run(sessions, t0 + dt.timedelta(minutes=5))
    assert report.closed["superseded"] == 1 and report.sent == 1  # the notice; not the old reminder
    [notice] = webhook.posts
    assert notice.title == "Moved: 4th EU-Morocco Migration Dialogue, now 27 June 2025"
    assert "Date changed: 20 June 2025 -> 27 June 2025" in notice.message
    run(sessions, utc(2025, 6, 20, 8))  # 7d before the new date
    run(sessions, utc(2025, 6, 20, 9))
    reminders = [p for p in webhook.posts if p.title.startswith("Reminder")]
    assert len(reminders) == 1 and "When: 27 June 2025 (2025-06-27)" in reminders[0].message
    assert sorted(r.state for r in rows(sessions)) == ["sent", "sent", "superseded"]


def test_cancelled_event_gets_a_notice_and_no_more_reminders(calendar, webhook):
    sessions = calendar
    subscribe(sessions, [webhook.url("c")], countries=["MA"])
    subscribe(sessions, [webhook.url("quiet")], countries=["MA"], change_notices=False)
    run(sessions, utc(2025, 6, 13, 8))  # both get the 7d reminder
    with sessions.begin() as session:
        event = session.scalar(select(Event).where(Event.uid == "evA"))
        change_event(session, event, utc(2025, 6, 14), status="cancelled",
                     date_text="20 June 2025 (cancelled)")  # fmt: skip
    run(sessions, utc(2025, 6, 14, 1))
    run(sessions, utc(2025, 6, 14, 2))
    run(sessions, utc(2025, 6, 19, 8))  # the 1d reminder would be due now
    titles = [(p.path, p.title) for p in webhook.posts]
    assert titles.count(("c", "Cancelled: 4th EU-Morocco Migration Dialogue")) == 1
    assert [p for p in webhook.posts if p.path == "quiet" and not p.title.startswith("Reminder")] == []
    assert not [p for p in webhook.posts if p.lead == "1 day"]


def test_confirmed_fuzzy_event_gets_a_confirmation_notice_once(calendar, webhook):
    sessions = calendar
    subscribe(sessions, [webhook.url("conf")], leads=["7d"])
    with sessions.begin() as session:
        event = session.scalar(select(Event).where(Event.uid == "evQ"))
        change_event(session, event, utc(2025, 6, 1), start=D(2025, 7, 8), end=D(2025, 7, 8),
                     precision="day", tentative=False, date_text="8 July 2025")  # fmt: skip
    run(sessions, utc(2025, 6, 1, 1))
    run(sessions, utc(2025, 6, 2))
    notices = [p for p in webhook.posts if p.uid == "evQ"]
    # named by its summary: the title names neither its process nor its country, so the process goes in front
    assert [p.title for p in notices] == ["Confirmed: Rabat Process – Meeting evQ, 8 July 2025"]
    assert "When: 8 July 2025 (2025-07-08)" in notices[0].message


def test_change_history_before_the_subscription_sends_nothing(calendar, webhook):
    sessions = calendar
    with sessions.begin() as session:
        event = session.scalar(select(Event).where(Event.uid == "evA"))
        change_event(session, event, utc(2025, 6, 1), location="Rabat")
    subscribe(sessions, [webhook.url("new")], countries=["MA"], leads=["1d"])
    assert run(sessions, utc(2025, 6, 2)).sent == 0


def test_reingested_edition_redates_and_cancels(sessions, sample_path, webhook):
    """Real documents: a newer edition moves one event and cancels another (calendar_svc.ingest)."""
    from calendar_svc.ingest import ingest_bytes

    original = sample_path("000").read_bytes()
    edited = (
        original.replace(b" 14 SEPTEMBER 2021", b" 16 SEPTEMBER 2021")
        .replace(b"20 September 2021, \nSlovenia", b"27 September 2021, \nSlovenia")
        .replace(b"21 September 2021 Virtual Roundtable", b"21 September 2021 (cancelled) Virtual Roundtable")
    )
    assert ingest_bytes(sessions, "state-of-play.txt", original, clock=fixed_clock(utc(2021, 9, 15, 8))).new
    subscribe(sessions, [webhook.url("docs")])
    us, roundtable = "44b4a036dce50ac7b464", "7de07620aeaba3bc28c8"
    run(sessions, utc(2021, 9, 15, 8))
    assert {p.uid for p in webhook.posts} >= {us, roundtable}
    summary = ingest_bytes(sessions, "state-of-play-2.txt", edited, clock=fixed_clock(utc(2021, 9, 16, 8)))
    assert summary.updated == 2
    run(sessions, utc(2021, 9, 16, 8))
    run(sessions, utc(2021, 9, 16, 9))
    notices = sorted(p.title.split(":")[0] for p in webhook.posts if not p.title.startswith("Reminder"))
    assert notices == ["Cancelled", "Moved"]
    run(sessions, utc(2021, 9, 20, 8))  # 7d before the new date; 1d before the cancelled one
    us_reminders = [p for p in webhook.posts if p.uid == us and p.title.startswith("Reminder")]
    assert [("20 September 2021" in p.title, "27 September 2021" in p.title) for p in us_reminders] == [
        (True, False),
        (False, True),
    ]
    assert [p.lead for p in webhook.posts if p.uid == roundtable and p.lead] == ["7 days"]


def test_mail_reaches_a_real_smtp_server(calendar, smtp_server):
    sessions = calendar
    subscribe(sessions, [smtp_server.url()], countries=["MA"], leads=["7d"])
    report = run(sessions, utc(2025, 6, 13, 8))
    assert report.sent == 1, report.errors
    [mail] = smtp_server.messages
    assert mail["Subject"].startswith("Reminder: 4th EU-Morocco Migration Dialogue")
    assert smtp_server.envelopes[0].rcpt_tos == ["team@example.org"]
    body = mail.get_body(("plain", "html")).get_content()
    assert f"{BASE}/events/evA" in body and "Morocco (MA)" in body
    assert run(sessions, utc(2025, 6, 13, 9)).sent == 0
    assert len(smtp_server.messages) == 1
