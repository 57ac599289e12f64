"""Planning: turn due reminders and fresh changes into outbox rows (insert-or-ignore on the unique key).

Rows are created only once they are due, so re-dating an event needs no rewrite of future rows: a pass
simply plans what is due for the event as it now stands. Rows planned for an old date that have not
gone out yet are superseded when they are claimed (see sender.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from calendar_svc.models import Delivery, Event, EventChange, Subscription
from calendar_svc.serialize import aware

EXACT_PRECISIONS = ("day", "days")
ALL_DAY_HOUR = 9  # an all-day event "starts" at 09:00 local time
INACTIVE_STATUSES = ("cancelled", "postponed")  # no reminders for these
# Fields whose change is worth a notice: the date, its certainty, the status.
NOTICE_FIELDS = ("start", "end", "date_text", "precision", "tentative", "status")
_CHUNK = 500


@dataclass(frozen=True)
class Schedule:
    """Scheduling rules shared by planner, sender and messages."""

    timezone: str = "Europe/Brussels"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def start_moment(self, day: dt.date) -> dt.datetime:
        """When an all-day event (or a fuzzy window) starts: 09:00 local time, as UTC."""
        return dt.datetime.combine(day, dt.time(ALL_DAY_HOUR), tzinfo=self.zone).astimezone(dt.UTC)

    def end_moment(self, day: dt.date) -> dt.datetime:
        """The end of an event's last day (midnight local time), as UTC."""
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone).astimezone(
            dt.UTC
        )

    def local_date(self, moment: dt.datetime) -> dt.date:
        return aware(moment).astimezone(self.zone).date()


def matches(sub: Subscription, event: Event) -> bool:
    """Filters: countries OR processes (empty filters match everything); tentative events if wanted."""
    if event.tentative and not sub.include_tentative:
        return False
    countries, processes = set(sub.countries or ()), set(sub.processes or ())
    if not countries and not processes:
        return True
    return bool(
        countries & {c.code for c in event.countries} or processes & {p.slug for p in event.processes}
    )


def insert_ignore(session: Session, rows: list[dict]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING on the unique key; returns the rows actually inserted."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - other back ends: one row at a time under a savepoint
        inserted = 0
        for row in rows:
            try:
                with session.begin_nested():
                    session.add(Delivery(**row))
                inserted += 1
            except Exception:
                pass
        return inserted
    inserted = 0
    for start in range(0, len(rows), _CHUNK):
        stmt = (
            insert(Delivery)
            .values(rows[start : start + _CHUNK])
            .on_conflict_do_nothing()
            .returning(Delivery.id)
        )
        inserted += len(session.execute(stmt).all())
    return inserted


def _existing_keys(session: Session, kind: str, uids: list[str]) -> set[tuple]:
    keys: set[tuple] = set()
    for start in range(0, len(uids), _CHUNK):
        chunk = uids[start : start + _CHUNK]
        keys.update(
            tuple(row)
            for row in session.execute(
                select(
                    Delivery.subscription_id, Delivery.event_uid, Delivery.lead_seconds, Delivery.variant
                ).where(Delivery.kind == kind, Delivery.event_uid.in_(chunk))
            )
        )
    return keys


def plan_reminders(session: Session, now: dt.datetime, schedule: Schedule) -> int:
    """Outbox rows for every reminder due at `now` whose event has not started yet."""
    subs = session.scalars(
        select(Subscription).where(Subscription.active.is_(True)).order_by(Subscription.id)
    ).all()
    subs = [s for s in subs if s.lead_seconds]
    if not subs:
        return 0
    max_lead = max(max(s.lead_seconds) for s in subs)
    today = schedule.local_date(now)
    horizon = schedule.local_date(now + dt.timedelta(seconds=max_lead)) + dt.timedelta(days=1)
    events = session.scalars(
        select(Event)
        .where(Event.start >= today, Event.start <= horizon, Event.status.not_in(INACTIVE_STATUSES))
        .options(selectinload(Event.countries), selectinload(Event.processes))
    ).all()
    wanted: list[dict] = []
    for event in events:
        starts = schedule.start_moment(event.start)
        if starts <= now:
            continue  # started (or its window opened): never remind for the past
        for sub in subs:
            if not matches(sub, event):
                continue
            for lead in sub.lead_seconds:
                due = starts - dt.timedelta(seconds=int(lead))
                if due > now:
                    continue
                wanted.append(
                    {
                        "subscription_id": sub.id,
                        "event_uid": event.uid,
                        "kind": "reminder",
                        "lead_seconds": int(lead),
                        "variant": event.start.isoformat(),
                        "due_at": due,
                        "expires_at": starts,
                        "state": "pending",
                        "attempts": 0,
                        "next_attempt_at": due,
                        "delivered_to": [],
                        "detail": {},
                        "created_at": now,
                    }
                )
    if not wanted:
        return 0
    existing = _existing_keys(session, "reminder", sorted({w["event_uid"] for w in wanted}))
    fresh = [
        w
        for w in wanted
        if (w["subscription_id"], w["event_uid"], w["lead_seconds"], w["variant"]) not in existing
    ]
    return insert_ignore(session, fresh)


def _notice_worthy(fields: dict) -> bool:
    return any(name in fields for name in NOTICE_FIELDS)


def plan_change_notices(session: Session, now: dt.datetime, schedule: Schedule) -> int:
    """Outbox rows for changes (moved, confirmed, cancelled, ...) of events that have not ended yet."""
    subs = session.scalars(
        select(Subscription).where(Subscription.active.is_(True), Subscription.change_notices.is_(True))
    ).all()
    if not subs:
        return 0
    floor = min(s.changes_after for s in subs)
    today = schedule.local_date(now)
    changes = session.execute(
        select(EventChange, Event)
        .join(Event, EventChange.event_id == Event.id)
        .where(EventChange.id > floor, EventChange.kind == "updated", Event.end >= today)
        .order_by(EventChange.id)
        .options(selectinload(Event.countries), selectinload(Event.processes))
    ).all()
    wanted: list[dict] = []
    for change, event in changes:
        fields = change.fields or {}
        if not _notice_worthy(fields):
            continue
        expires = schedule.end_moment(event.end)
        if expires <= now:
            continue
        for sub in subs:
            if change.id <= sub.changes_after or not matches(sub, event):
                continue
            wanted.append(
                {
                    "subscription_id": sub.id,
                    "event_uid": event.uid,
                    "kind": "change",
                    "lead_seconds": 0,
                    "variant": str(change.sequence),
                    "due_at": now,
                    "expires_at": expires,
                    "state": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "delivered_to": [],
                    "detail": {
                        "fields": {k: v for k, v in fields.items() if k in (*NOTICE_FIELDS, "location")},
                        "document": change.document,
                        "changed_at": aware(change.changed_at).isoformat(),
                    },
                    "created_at": now,
                }
            )
    if not wanted:
        return 0
    existing = _existing_keys(session, "change", sorted({w["event_uid"] for w in wanted}))
    fresh = [
        w
        for w in wanted
        if (w["subscription_id"], w["event_uid"], w["lead_seconds"], w["variant"]) not in existing
    ]
    return insert_ignore(session, fresh)


def expire_stale(session: Session, now: dt.datetime) -> int:
    """Rows that could not go out before their event started (or ended, for notices) expire."""
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.expires_at <= now,
            or_(
                Delivery.state.in_(("pending", "failed")),
                and_(Delivery.state == "claimed", Delivery.claimed_until <= now),
            ),
        )
        .values(state="expired", claim_token=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def change_watermark(session: Session) -> int:
    """The newest EventChange id: a new subscription gets notices only for later changes."""
    return session.scalar(select(func.max(EventChange.id))) or 0
