"""Digests: one message per subscription and period (daily or weekly), planned into the outbox.

A digest subscription names a period, a weekday (weekly), an hour and a time zone. Each period starts
at that local wall-clock time (DST-aware: a day is 23, 24 or 25 hours long; an hour that does not exist
on a spring-forward day means the first moment after the gap, an hour that occurs twice the first
one). The outbox row of a period is keyed on (subscription, "", "digest", 0, the period's local start
date), so each period is sent at most once, however many passes or workers plan it; it goes through the
same claim / send / retry machinery as reminders (worker.py).

A row records the window of history it reports (`detail`: event and change ids), starting where the
last digest that went out (or was skipped as empty) stopped; so a digest that failed until the next
period began (it then expires) hands its changes on to the next one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calendar_svc.models import Delivery, Event, EventChange, Subscription
from calendar_svc.serialize import aware

PERIODS = ("daily", "weekly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKS = 4
MAX_WEEKS = 52
DONE_STATES = ("sent", "skipped")  # a digest that reported its window


@dataclass(frozen=True)
class DigestSchedule:
    """When a subscription's digests are due."""

    period: str = "weekly"
    weekday: int = 0  # 0 = Monday (weekly digests)
    hour: int = 9
    timezone: str = "Europe/Brussels"

    @classmethod
    def of(cls, sub: Subscription) -> DigestSchedule:
        return cls(sub.digest or "weekly", sub.digest_weekday, sub.digest_hour, sub.digest_timezone)

    @property
    def step(self) -> dt.timedelta:
        return dt.timedelta(days=7 if self.period == "weekly" else 1)

    def due_on(self, day: dt.date) -> dt.datetime:
        """The moment (UTC) the period starting on local date `day` is due."""
        local = dt.datetime.combine(day, dt.time(self.hour), tzinfo=ZoneInfo(self.timezone))
        # Round-trip through UTC: a wall time inside a DST gap becomes the first moment after it.
        return local.astimezone(dt.UTC)

    def period_start(self, now: dt.datetime) -> dt.date:
        """The local start date of the period `now` falls in (its due moment is <= now)."""
        day = now.astimezone(ZoneInfo(self.timezone)).date()
        if self.period == "weekly":
            day -= dt.timedelta(days=(day.weekday() - self.weekday) % 7)
        if self.due_on(day) > now:
            day -= self.step
        return day


def parse_weekday(value: int | str) -> int:
    """0-6 (0 = Monday), or a day name or its first three letters."""
    text = str(value).strip().lower()
    if text.isdigit() and int(text) < 7:
        return int(text)
    for index, name in enumerate(WEEKDAYS):
        if len(text) >= 3 and name.startswith(text):
            return index
    raise ValueError(f"{value!r} is not a weekday (monday ... sunday, or 0-6 with 0 = Monday)")


def validate(period: str, weekday: int | str, hour: int, timezone: str, weeks: int) -> DigestSchedule:
    """A checked schedule, or ValueError with a message fit for a user."""
    if period not in PERIODS:
        raise ValueError(f"digest must be one of {', '.join(PERIODS)}, not {period!r}")
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ValueError("the digest hour must be a whole number from 0 to 23")
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"the digest must look 1 to {MAX_WEEKS} weeks ahead")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {timezone!r}") from None
    return DigestSchedule(period, parse_weekday(weekday), hour, str(timezone))


def event_watermark(session: Session) -> int:
    """The newest event id: a new digest subscription reports only events stored after it."""
    return session.scalar(select(func.max(Event.id))) or 0


def _window_start(session: Session, sub: Subscription) -> tuple[int, int]:
    """(events after, changes after): where the last digest that reported its window stopped."""
    last = session.scalars(
        select(Delivery)
        .where(
            Delivery.subscription_id == sub.id,
            Delivery.kind == "digest",
            Delivery.state.in_(DONE_STATES),
        )
        .order_by(Delivery.variant.desc())
        .limit(1)
    ).first()
    if last is None:
        return sub.events_after, sub.changes_after
    return int(last.detail["events_upto"]), int(last.detail["changes_upto"])


def plan_digests(session: Session, now: dt.datetime) -> list[dict]:
    """Outbox rows for the digests due at `now` (the current period of each digest subscription)."""
    subs = session.scalars(
        select(Subscription).where(Subscription.active.is_(True), Subscription.digest.is_not(None))
    ).all()
    if not subs:
        return []
    events_upto = event_watermark(session)
    changes_upto = session.scalar(select(func.max(EventChange.id))) or 0
    current = {sub.id: DigestSchedule.of(sub).period_start(now) for sub in subs}
    planned = {
        tuple(row)
        for row in session.execute(
            select(Delivery.subscription_id, Delivery.variant).where(
                Delivery.kind == "digest",
                Delivery.subscription_id.in_(list(current)),
                Delivery.variant.in_(sorted({day.isoformat() for day in current.values()})),
            )
        )
    }
    rows: list[dict] = []
    for sub in subs:
        schedule, day = DigestSchedule.of(sub), current[sub.id]
        due = schedule.due_on(day)
        if (sub.id, day.isoformat()) in planned or due < aware(sub.created_at):
            continue  # planned already, or a period that began before the subscription existed
        events_after, changes_after = _window_start(session, sub)
        rows.append(
            {
                "subscription_id": sub.id,
                "event_uid": "",
                "kind": "digest",
                "lead_seconds": 0,
                "variant": day.isoformat(),
                "due_at": due,
                "expires_at": schedule.due_on(day + schedule.step),
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": due,
                "delivered_to": [],
                "detail": {
                    "period": schedule.period,
                    "day": day.isoformat(),
                    "events_after": events_after,
                    "events_upto": max(events_upto, events_after),
                    "changes_after": changes_after,
                    "changes_upto": max(changes_upto, changes_after),
                },
                "created_at": now,
            }
        )
    return rows
