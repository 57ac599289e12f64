"""The JSON API: events, countries and processes, and its OpenAPI description (docs/api.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import Connection, func, select
from werkzeug.exceptions import MethodNotAllowed

from calendar_svc import renderer
from calendar_svc.feed_cache import local_today
from calendar_svc.models import CatalogState, Event, EventCountry, EventProcess
from calendar_svc.queries import EventFilter, get_event, longest_window, page_plain_events, tag_counts
from calendar_svc.serialize import event_json
from calendar_svc.web import base_url, db_session, settings
from calendar_svc.web.params import (
    DEFAULT_LIMIT,
    EVENT_PARAMS,
    BadParam,
    check_range,
    is_country_code,
    parse_args,
    process_slugs,
)
from parsers.tagging import country_name, process_name

bp = Blueprint("api", __name__)

MAX_UID = 64
# Uids this service mints are hex; anything outside this alphabet (NUL bytes included) is unknown.
_UID = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@bp.errorhandler(BadParam)
def bad_param(exc: BadParam):
    return jsonify(error="Bad Request", message=exc.message, status=400, parameter=exc.name), 400


@bp.app_errorhandler(MethodNotAllowed)
def method_not_allowed(exc: MethodNotAllowed):
    """405 with the Allow header RFC 9110 requires (the app's generic JSON error handler drops it)."""
    json_paths = ("/api/", "/feeds/", "/openapi")
    if request.path.startswith(json_paths) or request.accept_mimetypes.best == "application/json":
        response = jsonify(error=exc.name, message=exc.description, status=405)
        response.status_code = 405
    else:
        response = exc.get_response()
    if exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


@bp.after_request
def headers(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


def _conditional(response: Response) -> Response:
    """Strong ETag over the JSON bytes; 304 on a matching If-None-Match."""
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/api/events")
def events():
    values = parse_args(request.args, EVENT_PARAMS)
    check_range(values)
    date_from = values.get("from")
    today = None
    if values.get("upcoming"):
        today = local_today(values.get("now") or current_app.config["CLOCK"](), settings())
        date_from = today if date_from is None else max(date_from, today)
    engine = current_app.extensions["calendar_svc.engine"]
    renderer.ensure_current_engine(engine)  # no other code's summaries
    # one connection, no transaction: each statement reads a consistent store, and a page is one
    # statement (a BEGIN and a ROLLBACK would be two more round trips on PostgreSQL)
    with engine.connect() as connection, _planned_for_values(connection):
        connection.execution_options(isolation_level="AUTOCOMMIT")
        flt = EventFilter(
            country=values.get("country"),
            process=values.get("process"),
            date_from=date_from,
            date_to=values.get("to"),
            q=values.get("q"),
            status=values.get("status"),
            tentative=values.get("tentative"),
            max_days=_longest_window(connection) if date_from else None,
        )
        page, cursor = page_plain_events(
            connection, flt, limit=values.get("limit", DEFAULT_LIMIT), cursor=values.get("cursor")
        )
    base = base_url()
    next_url = None
    if cursor is not None:
        params = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
        if today is not None and "now" not in request.args:
            params.append(("now", today.isoformat()))  # the next pages use the same "today"
        params.append(("cursor", cursor))
        next_url = f"{base}/api/events?{urlencode(params)}"
    items = [event_json(e, base_url=base) for e in page]  # type: ignore[arg-type]  # plain rows, not ORM
    return _conditional(jsonify(events=items, next=next_url))


@contextmanager
def _planned_for_values(connection: Connection) -> Iterator[None]:
    """On PostgreSQL, every statement planned for its own values: psycopg prepares a statement it runs a
    fifth time, and the server may then keep a generic plan, which for a country and a date range
    (estimated for unknown bounds) reads thousands of events' rows (24 ms instead of 1.5 ms at
    100,000 events, bench/scale.py). Planning a page's statement costs well under a millisecond."""
    driver = connection.connection.driver_connection
    if not hasattr(driver, "prepare_threshold"):  # SQLite
        yield
        return
    threshold, driver.prepare_threshold = driver.prepare_threshold, None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


def _longest_window(connection: Connection) -> int:
    """`queries.longest_window`, kept per worker process until `catalog_state.changed_at` or the highest
    event id moves (two index lookups; every ingest that changes anything moves the first; a deletion
    can only shorten the longest window, and a bound that is too long is still correct)."""
    changed = connection.execute(
        select(
            select(CatalogState.changed_at).where(CatalogState.id == 1).scalar_subquery(),
            select(func.max(Event.id)).scalar_subquery(),
        )
    ).one()
    cached = current_app.extensions.get("calendar_svc.longest_window")
    if cached is None or cached[0] != changed:
        cached = (changed, longest_window(connection))
        current_app.extensions["calendar_svc.longest_window"] = cached
    return cached[1]


@bp.get("/api/events/<uid>")
def event(uid: str):
    found = get_event(db_session(), uid) if _UID.fullmatch(uid) else None
    if found is None:
        abort(404, description=f"no event with uid {uid[:MAX_UID]!r}")
    return _conditional(jsonify(event_json(found, history=True, base_url=base_url())))


@bp.get("/api/countries")
def countries():
    parse_args(request.args, ())
    base = base_url()
    counts = tag_counts(db_session(), EventCountry.code)
    rows = [
        {
            "code": code,
            "name": country_name(code),
            "event_count": counts[code],
            "feed_url": f"{base}/feeds/countries/{code}.ics",
            "page_url": f"{base}/countries/{code}",
        }
        for code in sorted(counts)
        if is_country_code(code)
    ]
    return _conditional(jsonify(rows))


@bp.get("/api/processes")
def processes():
    parse_args(request.args, ())
    base = base_url()
    counts = tag_counts(db_session(), EventProcess.slug)
    rows = [
        {
            "slug": slug,
            "name": process_name(slug),
            "event_count": counts.get(slug, 0),
            "feed_url": f"{base}/feeds/processes/{slug}.ics",
            "page_url": f"{base}/processes/{slug}",
        }
        for slug in process_slugs()
    ]
    return _conditional(jsonify(rows))


@bp.get("/openapi.json")
def openapi():
    from calendar_svc.openapi import openapi_spec

    spec = current_app.extensions.get("calendar_svc.openapi")
    if spec is None:
        spec = current_app.extensions.setdefault("calendar_svc.openapi", openapi_spec())
    return _conditional(jsonify(spec))
