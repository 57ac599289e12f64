"""`GET /api/changes?since=ISO`: what changed, for clients that poll."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import select

from calendar_svc.clock import parse_moment
from calendar_svc.models import Event, EventChange, EventSource
from calendar_svc.serialize import aware, iso_moment
from calendar_svc.web import base_url, db_session

bp = Blueprint("changes", __name__, url_prefix="/api")

MAX_CHANGES = 1000


@bp.get("/changes")
def changes():
    """Changes recorded after `since` (exclusive), oldest first, at most `limit` (default 1000)."""
    raw = request.args.get("since")
    if not raw:
        abort(400, description="parameter 'since' is required (ISO 8601 date or datetime)")
    try:
        since = parse_moment(raw)
    except ValueError:
        abort(400, description=f"parameter 'since': {raw!r} is not an ISO 8601 date or datetime")
    try:
        limit = int(request.args.get("limit", MAX_CHANGES))
    except ValueError:
        limit = -1
    if not 1 <= limit <= MAX_CHANGES:
        abort(400, description=f"parameter 'limit' must be an integer from 1 to {MAX_CHANGES}")
    session = db_session()
    updates = [
        (c.changed_at, c.id, uid, title, c.kind, c.document, c.sequence, c.fields)
        for c, uid, title in session.execute(
            select(EventChange, Event.uid, Event.title)
            .join(Event, Event.id == EventChange.event_id)
            .where(EventChange.changed_at > since)
            .order_by(EventChange.changed_at, EventChange.id)
            .limit(limit)
        )
    ]
    # creations are not stored as change rows: they are the events created after `since`
    first_source = (
        select(EventSource.document)
        .where(EventSource.event_id == Event.id)
        .order_by(EventSource.id)
        .limit(1)
        .scalar_subquery()
    )
    creations = [
        (created_at, 0, uid, title, "created", document or "", 0, {})
        for created_at, uid, title, document in session.execute(
            select(Event.created_at, Event.uid, Event.title, first_source)
            .where(Event.created_at > since)
            .order_by(Event.created_at, Event.id)
            .limit(limit)
        )
    ]
    merged = sorted(creations + updates, key=lambda row: (aware(row[0]), row[4] != "created", row[1]))[:limit]
    root = base_url()
    return jsonify(
        since=iso_moment(since),
        changes=[
            {
                "uid": uid,
                "title": title,
                "kind": kind,
                "changed_at": iso_moment(changed_at),
                "document": document,
                "sequence": sequence,
                "fields": fields,
                "url": f"{root}/api/events/{uid}",
            }
            for changed_at, _id, uid, title, kind, document, sequence, fields in merged
        ],
    )
