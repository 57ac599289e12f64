"""Delivery guarantees with real processes: kill -9 mid-pass, and concurrent workers (PostgreSQL and SQLite).

The at-least-once window (docs/reminders.md): a worker killed after the target accepted a message but
before the row was marked sent causes one duplicate when the claim's lease expires. Nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from test_reminders_targets import add_event, webhook_fixture  # noqa: F401 - fixture

from calendar_svc.models import Delivery
from calendar_svc.reminders import outbox, planner
from calendar_svc.reminders import subscriptions as subs

NOW = dt.datetime(2025, 6, 13, 8, tzinfo=dt.UTC)  # 7d before 20 June 09:00 Brussels


def _events_and_subscription(sessions, url: str, count: int) -> None:
    with sessions.begin() as session:
        for i in range(count):
            add_event(session, f"ev{i:04d}", dt.date(2025, 6, 20))
        subs.create(session, subs.SubscriptionSpec(urls=[url], leads=["7d"]), allow_list=("*",), now=NOW)


def _remind(db_url: str, now: dt.datetime, *args: str, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "calendar_svc.cli", "remind", "--once", "--db", db_url,
               "--now", now.isoformat(), "--base-url", "http://calendar.test", *args]  # fmt: skip
    env = {**os.environ, "CALENDAR_SVC_LOG_LEVEL": "WARNING"}
    return subprocess.Popen(command, stdout=log.open("ab"), stderr=subprocess.STDOUT, env=env)


def _states(sessions) -> Counter:
    with sessions() as session:
        return Counter(session.scalars(select(Delivery.state)))


def test_kill_9_mid_pass_loses_nothing(db_url, sessions, webhook, tmp_path):
    _events_and_subscription(sessions, webhook.url("k"), 12)
    webhook.delay = 0.4  # a slow service: the worker is always mid-send
    log = tmp_path / "worker.log"
    worker = _remind(db_url, NOW, "--batch", "4", "--lease", "60", log=log)
    deadline = time.monotonic() + 60
    while len(webhook.posts) < 3 and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.05)
    assert worker.poll() is None, log.read_text()
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    received_before = len(webhook.posts)
    states = _states(sessions)
    assert states["claimed"] >= 1 and states["sent"] < 12  # died holding a claim

    webhook.delay = 0.0
    # Same moment: rows the dead worker still holds stay claimed (lease), everything else goes out.
    assert _remind(db_url, NOW, log=log).wait(60) == 0
    assert _states(sessions)["claimed"] == states["claimed"]
    # After the lease (60 s) the dead worker's claims are retried.
    assert _remind(db_url, NOW + dt.timedelta(seconds=61), log=log).wait(60) == 0
    assert _states(sessions) == {"sent": 12}, log.read_text()

    per_event = Counter(p.uid for p in webhook.posts)
    assert set(per_event) == {f"ev{i:04d}" for i in range(12)}  # nothing lost
    duplicates = sum(n - 1 for n in per_event.values())
    # at most the one message that was in flight when the worker died
    assert duplicates <= 1, (per_event, received_before)
    with sessions() as session:
        retried = session.scalars(select(Delivery).where(Delivery.attempts > 1)).all()
    assert 1 <= len(retried) <= 4, log.read_text()  # only the dead worker's batch was retried


def test_concurrent_worker_processes_send_no_duplicates(db_url, sessions, webhook, tmp_path):
    """Three `calendar-svc remind --once` processes at once (PostgreSQL: FOR UPDATE SKIP LOCKED)."""
    _events_and_subscription(sessions, webhook.url("c"), 90)
    webhook.delay = 0.005
    log = tmp_path / "workers.log"
    workers = [_remind(db_url, NOW, "--batch", "3", log=log) for _ in range(3)]
    assert [w.wait(120) for w in workers] == [0, 0, 0], log.read_text()
    per_event = Counter(p.uid for p in webhook.posts)
    assert len(per_event) == 90 and set(per_event.values()) == {1}, log.read_text()
    assert _states(sessions) == {"sent": 90}
    with sessions() as session:
        assert set(session.scalars(select(Delivery.attempts))) == {1}


def test_concurrent_claims_never_overlap(db_url, sessions):
    """Eight threads, each with its own connection, claim small batches until none is left."""
    with sessions.begin() as session:
        for i in range(200):
            add_event(session, f"c{i:04d}", dt.date(2025, 6, 20))
        subs.create(
            session, subs.SubscriptionSpec(urls=["json://127.0.0.1:9/x"], leads=["7d"]), allow_list=("*",),
            now=NOW,
        )  # fmt: skip
    with sessions.begin() as session:
        assert planner.plan_reminders(session, NOW, planner.Schedule()) == 200
    claimed: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker():
        try:
            with sessions() as session:
                while True:
                    token, rows = outbox.claim(session, NOW, limit=3, lease=dt.timedelta(minutes=5))
                    if not rows:
                        return
                    with lock:
                        claimed.extend(r.id for r in rows)
                    for row in rows:
                        outbox.mark_sent(session, row, token, NOW, [])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert len(claimed) == 200 and len(set(claimed)) == 200


def test_planning_twice_concurrently_creates_each_row_once(db_url, sessions):
    with sessions.begin() as session:
        for i in range(50):
            add_event(session, f"p{i:04d}", dt.date(2025, 6, 20))
        subs.create(session, subs.SubscriptionSpec(urls=["json://127.0.0.1:9/x"]), allow_list=("*",), now=NOW)
    results: list[int] = []

    def plan():
        with sessions.begin() as session:
            results.append(planner.plan_reminders(session, NOW + dt.timedelta(days=6), planner.Schedule()))

    threads = [threading.Thread(target=plan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(results) == 100  # 50 events x (7d, 1d), whoever inserted them
    with sessions() as session:
        assert len(session.scalars(select(Delivery.id)).all()) == 100


@pytest.mark.parametrize("lease", [30])
def test_expired_claim_is_retried_in_process(db_url, sessions, lease):
    """The lease rule without processes: a claim nobody finishes is claimable again once it expires."""
    with sessions.begin() as session:
        add_event(session, "lost", dt.date(2025, 6, 20))
        subs.create(
            session, subs.SubscriptionSpec(urls=["json://127.0.0.1:9/x"], leads=["7d"]), allow_list=("*",),
            now=NOW,
        )  # fmt: skip
        planner.plan_reminders(session, NOW, planner.Schedule())
    with sessions() as session:
        _token, first = outbox.claim(session, NOW, limit=10, lease=dt.timedelta(seconds=lease))
        assert len(first) == 1  # ... and the worker dies here
        assert (
            outbox.claim(session, NOW + dt.timedelta(seconds=lease - 1), limit=10, lease=dt.timedelta(1))[1]
            == []
        )
        token, again = outbox.claim(
            session, NOW + dt.timedelta(seconds=lease), limit=10, lease=dt.timedelta(1)
        )
        assert [r.id for r in again] == [first[0].id] and again[0].attempts == 2
        # the dead worker's token no longer fences the row
        assert not outbox.mark_sent(session, first[0], _token, NOW, [])
        assert outbox.mark_sent(session, again[0], token, NOW, [])


def test_a_claim_takes_at_most_its_batch(db_url, sessions):
    """Regression: the claim once took every due row (a correlated sub-select; PostgreSQL re-evaluating
    a LIMITed SKIP LOCKED sub-plan). A claim must leave the rest for other workers."""
    with sessions.begin() as session:
        for i in range(12):
            add_event(session, f"b{i:04d}", dt.date(2025, 6, 20))
        subs.create(
            session, subs.SubscriptionSpec(urls=["json://127.0.0.1:9/x"], leads=["7d"]), allow_list=("*",),
            now=NOW,
        )  # fmt: skip
        planner.plan_reminders(session, NOW, planner.Schedule())
    with sessions() as session:
        _token, rows = outbox.claim(session, NOW, limit=4, lease=dt.timedelta(minutes=1))
        assert len(rows) == 4
    assert _states(sessions) == {"claimed": 4, "pending": 8}
