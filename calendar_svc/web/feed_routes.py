"""iCalendar feeds per country, per process and combined (docs/api.md, "Feeds").

Rendered bytes come from the per-app `FeedCache` (calendar_svc/feed_cache.py): a request costs one stamp
query and a dictionary lookup unless an ingest changed the catalogue. A request the app has answered
before under the same stamp and day is answered again before Flask runs (web/feed_shortcut.py).
Conditional GET follows RFC 9110: If-None-Match (weak comparison) takes precedence over
If-Modified-Since; both answer 304.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, request, url_for

from calendar_svc import renderer
from calendar_svc.feed_cache import (
    FeedCache,
    FeedQuery,
    FeedSpec,
    RenderedFeed,
    build_feed,
    catalog_stamp,
    local_today,
)
from calendar_svc.web import base_url, db_session, settings
from calendar_svc.web.feed_accel import ExportedFeeds
from calendar_svc.web.feed_shortcut import note_feed_sent
from calendar_svc.web.params import (
    FEED_PARAMS,
    BadParam,
    check_range,
    is_country_code,
    parse_args,
    process_slugs,
)
from parsers.catalogue import FORMER_SLUGS

bp = Blueprint("feed_routes", __name__, url_prefix="/feeds")

CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "public, max-age=900"
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){0,10}$")


def exported_feeds() -> ExportedFeeds | None:
    """The exported files nginx may send (feed_accel), when the deployment configured them."""
    cfg = settings()
    if not (cfg.feed_export_dir and cfg.feed_accel_redirect):
        return None
    return current_app.extensions.setdefault(
        "calendar_svc.exported_feeds", ExportedFeeds(cfg.feed_export_dir, cfg.feed_accel_redirect)
    )


def feed_cache() -> FeedCache:
    cache = current_app.extensions.get("calendar_svc.feed_cache")
    if cache is None:
        cache = current_app.extensions.setdefault(
            "calendar_svc.feed_cache", FeedCache(max_bytes=settings().feed_cache_bytes)
        )
    return cache


@bp.record_once
def _hash_rendering_code(_state) -> None:
    """Hash the code that renders stored feed text (`renderer.fingerprint`: ~20 source files and three
    packages' versions, 10-60 ms) when the app is made, at a worker's start, rather than in the first
    feed request it answers."""
    renderer.fingerprint()


@bp.errorhandler(BadParam)
def bad_param(exc: BadParam):
    return jsonify(error="Bad Request", message=exc.message, status=400, parameter=exc.name), 400


@bp.after_request
def cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/all.ics")
def all_feed():
    return serve_feed(FeedSpec("all"))


@bp.get("/countries/<code>.ics")
def country_feed(code: str):
    if not _COUNTRY_RE.match(code) or not is_country_code(code):
        hint = " (codes are upper case)" if is_country_code(code.upper()) else ""
        abort(404, description=f"no feed for country {code!r}{hint}")
    return serve_feed(FeedSpec("country", code))


@bp.get("/processes/<slug>.ics")
def process_feed(slug: str):
    if slug in FORMER_SLUGS:  # a renamed process: subscribers' old URLs keep working
        return redirect(url_for(".process_feed", slug=FORMER_SLUGS[slug], **request.args), 301)
    if not _SLUG_RE.match(slug) or slug not in known_process_slugs():
        abort(404, description=f"no feed for process {slug!r}")
    return serve_feed(FeedSpec("process", slug))


def known_process_slugs() -> set[str]:
    """Feeds exist for every process of the catalogue (parsers/data/processes.toml), events or not."""
    return set(process_slugs())


def parse_feed_query() -> FeedQuery:
    values = parse_args(request.args, FEED_PARAMS, strict=False)
    check_range(values)
    return FeedQuery.from_values(values)


def rendered_feed(spec: FeedSpec, query: FeedQuery) -> tuple[RenderedFeed, tuple]:
    """The feed, and its key in the feed cache."""
    cfg = settings()
    now = current_app.config["CLOCK"]()
    base = base_url()
    key = (spec, query, local_today(query.now or now, cfg), base)
    stamp = catalog_stamp(current_app.extensions["calendar_svc.engine"])
    rendered = feed_cache().get(
        key, stamp, lambda: build_feed(db_session(), spec, query, settings=cfg, now=now, base_url=base)
    )
    return rendered, key


def wants_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def not_modified(etag: str, last_modified: dt.datetime | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match (weak comparison) when present, else If-Modified-Since."""
    if "If-None-Match" in request.headers:
        inm = request.if_none_match
        return inm.star_tag or inm.contains_weak(etag.strip('"'))
    since = request.if_modified_since
    if since is None or last_modified is None:
        return False
    return last_modified <= since


def serve_feed(spec: FeedSpec) -> Response:
    query = parse_feed_query()
    rendered, cache_key = rendered_feed(spec, query)
    gz = wants_gzip()
    etag = rendered.gzip_etag if gz else rendered.etag
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Encoding",
    }
    if rendered.last_modified is not None:
        headers["Last-Modified"] = _http_date(rendered.last_modified)
    if request.method in ("GET", "HEAD") and not_modified(etag, rendered.last_modified):
        response = Response(status=304, headers=headers)
        response.headers.pop("Content-Type", None)
        return response
    exported = exported_feeds() if not gz and query == FeedQuery() else None
    accel = exported.redirect(spec, rendered) if exported else None
    if accel:  # nginx sends the exported file, which holds these very bytes
        response = Response(b"", status=200, headers=headers, content_type=CONTENT_TYPE)
        response.headers["X-Accel-Redirect"] = accel
        response.headers["X-Feed-Events"] = str(rendered.event_count)
        return response
    if gz:
        response = Response(rendered.gzip_body, status=200, headers=headers, content_type=CONTENT_TYPE)
        response.headers["Content-Encoding"] = "gzip"
    elif len(rendered.parts) == 1:
        response = Response(rendered.parts[0], status=200, headers=headers, content_type=CONTENT_TYPE)
    else:  # a large feed: streamed from the parts it is held in, never joined
        response = Response(rendered.parts, status=200, headers=headers, content_type=CONTENT_TYPE)
        response.content_length = rendered.length
    response.headers["X-Feed-Events"] = str(rendered.event_count)
    if exported is None:  # else the next request checks for a file exported since
        note_feed_sent(request.environ, cache_key, feed_cache())
    return response


def _http_date(moment: dt.datetime) -> str:
    from werkzeug.http import http_date

    return http_date(moment)
