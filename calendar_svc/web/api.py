"""The JSON API: events, countries and processes."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from calendar_svc.queries import EventFilter, get_event, page_events
from calendar_svc.serialize import event_json
from calendar_svc.web import base_url, db_session

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/events")
def events():
    page, cursor = page_events(db_session(), EventFilter(), limit=100)
    return jsonify(events=[event_json(e, base_url=base_url()) for e in page], next=cursor)


@bp.get("/events/<uid>")
def event(uid: str):
    found = get_event(db_session(), uid)
    if found is None:
        abort(404, description=f"no event with uid {uid}")
    return jsonify(event_json(found, history=True, base_url=base_url()))
