"""Operational endpoints: liveness and readiness."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from calendar_svc.schema import current_revision, head_revision

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The database is reachable and its schema is current."""
    engine = current_app.extensions["calendar_svc.engine"]
    try:
        current = current_revision(engine)
    except Exception as exc:  # the database is down or unreachable
        return jsonify(status="unavailable", reason=f"database unreachable: {type(exc).__name__}"), 503
    head = head_revision()
    if current != head:
        return jsonify(status="unavailable", reason=f"schema at {current}, expected {head}"), 503
    return jsonify(status="ok", schema=current)
