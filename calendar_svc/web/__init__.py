"""HTTP blueprints: ops (health), api (JSON), feed_routes (iCalendar), pages (HTML)."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from calendar_svc.config import Settings


def db_session() -> Session:
    """The request's database session (closed at teardown)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["calendar_svc.sessions"]()
    return g.db_session


def settings() -> Settings:
    return current_app.config["SETTINGS"]


def base_url() -> str:
    """The public base URL: configured, else the one the request came in on."""
    from flask import request

    return settings().base_url or request.host_url.rstrip("/")
