"""The outbox protocol: claim due rows under a lease, then mark each one sent or failed.

Claiming picks the oldest due ids (on PostgreSQL with `SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent
workers pick disjoint rows without waiting) and then, in the same transaction, UPDATEs exactly those ids
with a WHERE that re-checks claimability (on SQLite, which has no row locks, that re-check under the
database write lock is what keeps two workers from claiming one row). A claim carries a random token;
marking sent or failed is fenced on that token, so a worker whose lease expired cannot overwrite the
row's newer owner.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from calendar_svc.models import Delivery

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=6)


def claimable(now: dt.datetime):
    return and_(
        Delivery.expires_at > now,
        or_(
            and_(Delivery.state.in_(("pending", "failed")), Delivery.next_attempt_at <= now),
            and_(Delivery.state == "claimed", Delivery.claimed_until <= now),  # lease expired
        ),
    )


def claim(
    session: Session, now: dt.datetime, *, limit: int, lease: dt.timedelta
) -> tuple[str, list[Delivery]]:
    """Claim up to `limit` due rows (oldest due first) for this worker; commits."""
    token = str(uuid.uuid4())
    pick = select(Delivery.id).where(claimable(now)).order_by(Delivery.due_at, Delivery.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # Row locks held until commit; concurrent workers skip these rows instead of waiting.
        pick = pick.with_for_update(skip_locked=True)
    for _attempt in range(5):
        ids = list(session.scalars(pick))
        if not ids:
            break
        # The WHERE re-checks claimability: on SQLite (no row locks) a concurrent worker may have
        # picked the same ids; whoever's UPDATE runs second finds them claimed and leaves them alone.
        result = session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), claimable(now))
            .values(
                state="claimed",
                claim_token=token,
                claimed_until=now + lease,
                attempts=Delivery.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:
            break
        session.commit()  # lost the race for every picked row: pick again
    session.commit()
    rows = session.scalars(
        select(Delivery)
        .where(Delivery.claim_token == token)
        .order_by(Delivery.due_at, Delivery.id)
        .execution_options(populate_existing=True)  # a re-claimed row may sit stale in the session
    ).all()
    return token, list(rows)


def _fenced(row: Delivery, token: str):
    return and_(Delivery.id == row.id, Delivery.claim_token == token, Delivery.state == "claimed")


def record_target(session: Session, row: Delivery, token: str, done: list[str]) -> None:
    """Remember which targets of a multi-target row already have the message (before the row is done)."""
    session.execute(
        update(Delivery)
        .where(_fenced(row, token))
        .values(delivered_to=list(done))
        .execution_options(synchronize_session=False)
    )
    session.commit()


def mark_sent(session: Session, row: Delivery, token: str, now: dt.datetime, done: list[str]) -> bool:
    result = session.execute(
        update(Delivery)
        .where(_fenced(row, token))
        .values(state="sent", sent_at=now, claim_token=None, claimed_until=None, delivered_to=list(done),
                last_error=None)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.commit()
    return bool(result.rowcount)


def backoff(attempts: int) -> dt.timedelta:
    """1 min, 2 min, 4 min, ... capped at 6 h."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def mark_failed(
    session: Session, row: Delivery, token: str, now: dt.datetime, error: str, done: list[str]
) -> dt.datetime:
    retry_at = now + backoff(row.attempts)
    session.execute(
        update(Delivery)
        .where(_fenced(row, token))
        .values(state="failed", next_attempt_at=retry_at, claim_token=None, claimed_until=None,
                last_error=error[:2000], delivered_to=list(done))
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.commit()
    return retry_at


def mark_closed(session: Session, row: Delivery, token: str, state: str, reason: str) -> None:
    """Close a row without sending: cancelled, superseded (re-dated event) or expired."""
    session.execute(
        update(Delivery)
        .where(_fenced(row, token))
        .values(state=state, claim_token=None, claimed_until=None, last_error=reason)
        .execution_options(synchronize_session=False)
    )
    session.commit()
