"""iCalendar feeds per country, per process and combined."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("feed_routes", __name__, url_prefix="/feeds")
