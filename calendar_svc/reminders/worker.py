"""One reminder pass: plan -> claim -> send -> mark; and the loop that repeats it.

Delivery guarantee (docs/reminders.md): every outbox row is sent at least once and, apart from one
window, at most once. The window: a worker that dies (kill -9, power loss) after a target accepted a
message but before the row was marked sent leaves its claim behind; when the lease expires another
pass sends that message again. Each claimed row is at risk only while it is in flight.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from calendar_svc.clock import Clock, system_clock
from calendar_svc.models import Delivery, Event, Subscription
from calendar_svc.reminders import outbox, planner
from calendar_svc.reminders.digest import plan_digests
from calendar_svc.reminders.digest_message import digest_message
from calendar_svc.reminders.messages import change_message, feed_paths, reminder_message
from calendar_svc.reminders.planner import INACTIVE_STATUSES, Schedule
from calendar_svc.reminders.sender import TargetCache, send
from calendar_svc.reminders.vault import Keyring
from calendar_svc.serialize import aware

log = logging.getLogger("calendar_svc.reminders")

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass
class WorkerOptions:
    schedule: Schedule = field(default_factory=Schedule)
    base_url: str = DEFAULT_BASE_URL
    batch: int = 20
    lease: dt.timedelta = dt.timedelta(minutes=10)
    send_timeout: float = 30.0
    keyring: Keyring | None = None  # opens sealed notification URLs (vault.py)


@dataclass
class PassReport:
    planned: int = 0
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    closed: Counter = field(default_factory=Counter)  # cancelled / superseded / expired / skipped
    errors: list[str] = field(default_factory=list)  # masked

    def line(self) -> str:
        closed = ", ".join(f"{n} {state}" for state, n in sorted(self.closed.items()))
        return f"planned {self.planned}, claimed {self.claimed}, sent {self.sent}, failed {self.failed}" + (
            f", {closed}" if closed else ""
        )


def plan(sessions: sessionmaker[Session], now: dt.datetime, options: WorkerOptions) -> int:
    with sessions.begin() as session:
        expired = planner.expire_stale(session, now)
        if expired:
            log.info("%d deliveries expired (their event started before they could go out)", expired)
        planned = planner.plan_reminders(session, now, options.schedule)
        planned += planner.plan_change_notices(session, now, options.schedule)
        planned += planner.insert_ignore(session, plan_digests(session, now))
    return planned


def _closing_reason(
    row: Delivery, event: Event | None, sub: Subscription | None, now, schedule
) -> tuple[str, str] | None:
    """Why a claimed row must not be sent (state, reason), or None when it should go out."""
    if sub is None or not sub.active:
        return "cancelled", "subscription removed or inactive"
    if row.kind == "digest":
        return None if sub.digest else ("cancelled", "subscription no longer has a digest")
    if event is None:
        return "cancelled", "event no longer stored"
    if row.kind == "reminder":
        if event.status in INACTIVE_STATUSES:
            return "cancelled", f"event {event.status}"
        if event.start.isoformat() != row.variant:
            return "superseded", f"event re-dated to {event.start.isoformat()}"
        if schedule.start_moment(event.start) <= now:
            return "expired", "event already started"
        if not planner.matches(sub, event):
            return "cancelled", "event no longer matches the subscription's filters"
    elif aware(row.expires_at) <= now:
        return "expired", "event already over"
    return None


def _message(session: Session, row: Delivery, event: Event | None, sub: Subscription, now, options):
    """The message a row sends; None for an empty digest its subscription skips."""
    if row.kind == "digest":
        return digest_message(session, sub, row, base_url=options.base_url)
    feeds = feed_paths(sub.countries, sub.processes, event)
    if row.kind == "reminder":
        return reminder_message(
            event,
            now=now,
            schedule=options.schedule,
            base_url=options.base_url,
            feeds=feeds,
            lead_seconds=row.lead_seconds,
            due_at=aware(row.due_at),
        )
    return change_message(event, row.detail or {}, base_url=options.base_url, feeds=feeds)


def _send_row(session: Session, row: Delivery, token: str, sub: Subscription, message, now, options,
              cache: TargetCache, report: PassReport) -> None:  # fmt: skip
    """Send to each target that does not have the message yet; mark the row sent or failed."""
    done = list(row.delivered_to or [])
    errors: list[str] = []
    targets = cache.for_subscription(sub)
    for target in targets:
        if target.key in done:
            continue
        outcome = send(target, message, timeout=options.send_timeout)
        if outcome.ok:
            done.append(target.key)
            if len(targets) > 1:
                outbox.record_target(session, row, token, done)
        else:
            errors.append(outcome.error)
    if not targets:
        errors.append("subscription has no notification target")
    if errors:
        error = " | ".join(errors)
        retry_at = outbox.mark_failed(session, row, token, now, error, done)
        report.failed += 1
        report.errors.append(error)
        log.warning(
            "delivery %s (subscription %s, %s %s) failed, attempt %s, retry at %s: %s",
            row.id, row.subscription_id, row.kind, row.event_uid or row.variant, row.attempts,
            retry_at.isoformat(), error,
        )  # fmt: skip
    else:
        outbox.mark_sent(session, row, token, now, done)
        report.sent += 1


def _deliver_batch(
    sessions: sessionmaker[Session],
    now: dt.datetime,
    options: WorkerOptions,
    cache: TargetCache,
    report: PassReport,
    stop: threading.Event,
) -> int:
    with sessions() as session:
        token, rows = outbox.claim(session, now, limit=options.batch, lease=options.lease)
        if not rows:
            return 0
        report.claimed += len(rows)
        uids = sorted({r.event_uid for r in rows if r.event_uid})
        events = {
            e.uid: e
            for e in session.scalars(
                select(Event)
                .where(Event.uid.in_(uids))
                .options(selectinload(Event.countries), selectinload(Event.processes))
            )
        }
        sub_ids = sorted({r.subscription_id for r in rows})
        subs = {s.id: s for s in session.scalars(select(Subscription).where(Subscription.id.in_(sub_ids)))}
        for row in rows:
            if stop.is_set():
                break  # the rest stay claimed until their lease expires, then are retried
            event, sub = events.get(row.event_uid), subs.get(row.subscription_id)
            closing = _closing_reason(row, event, sub, now, options.schedule)
            message = None if closing else _message(session, row, event, sub, now, options)
            if closing is None and message is None:
                closing = ("skipped", "empty digest")
            if closing is not None:
                outbox.mark_closed(session, row, token, *closing)
                report.closed[closing[0]] += 1
                continue
            _send_row(session, row, token, sub, message, now, options, cache, report)
        return len(rows)


def run_pass(
    sessions: sessionmaker[Session],
    *,
    clock: Clock = system_clock,
    options: WorkerOptions | None = None,
    stop: threading.Event | None = None,
) -> PassReport:
    """Plan what is due, then claim and send batches until nothing claimable is left."""
    options = options or WorkerOptions()
    stop = stop or threading.Event()
    report = PassReport()
    report.planned = plan(sessions, clock(), options)
    cache = TargetCache(options.keyring)
    while not stop.is_set():
        if not _deliver_batch(sessions, clock(), options, cache, report, stop):
            break
    return report


def run_forever(
    sessions: sessionmaker[Session],
    *,
    clock: Clock = system_clock,
    options: WorkerOptions | None = None,
    interval: float = 60.0,
    on_pass=None,
) -> None:
    """Repeat passes every `interval` seconds until SIGTERM/SIGINT (the current row is finished first)."""
    stop = threading.Event()

    def _stop(_signum, _frame):
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stop.is_set():
            started = time.monotonic()
            try:
                report = run_pass(sessions, clock=clock, options=options, stop=stop)
            except Exception:  # a database hiccup must not kill the loop
                log.exception("reminder pass failed")
                report = None
            if on_pass is not None and report is not None:
                on_pass(report)
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def advancing_clock(start: dt.datetime) -> Clock:
    """A clock that starts at `start` and moves with real time (for `remind --now` in loop mode)."""
    origin = time.monotonic()
    return lambda: (start + dt.timedelta(seconds=time.monotonic() - origin)).replace(microsecond=0)
