"""`GET /api/changes?since=ISO`: what changed, for clients that poll."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import select

from calendar_svc.clock import parse_moment
from calendar_svc.models import Event, EventChange
from calendar_svc.serialize import iso_moment
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
    rows = db_session().execute(
        select(EventChange, Event.uid, Event.title)
        .join(Event, Event.id == EventChange.event_id)
        .where(EventChange.changed_at > since)
        .order_by(EventChange.changed_at, EventChange.id)
        .limit(limit)
    )
    root = base_url()
    return jsonify(
        since=iso_moment(since),
        changes=[
            {
                "uid": uid,
                "title": title,
                "kind": change.kind,
                "changed_at": iso_moment(change.changed_at),
                "document": change.document,
                "sequence": change.sequence,
                "fields": change.fields,
                "url": f"{root}/api/events/{uid}",
            }
            for change, uid, title in rows
        ],
    )
