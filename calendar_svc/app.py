"""The Flask application factory."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException

from calendar_svc.clock import Clock, system_clock
from calendar_svc.config import Settings
from calendar_svc.db import make_engine, session_factory


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock, **overrides) -> Flask:
    """Build the app. `settings` default to the environment; keyword overrides replace single fields."""
    settings = replace(settings or Settings(), **overrides) if overrides else (settings or Settings())
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["CLOCK"] = clock
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    engine = make_engine(settings.database_url)
    app.extensions["calendar_svc.engine"] = engine
    app.extensions["calendar_svc.sessions"] = session_factory(engine)

    from calendar_svc.web import admin, api, changes, document_pages, documents, feed_routes, ops, pages

    for module in (ops, api, changes, feed_routes, pages, admin, documents, document_pages):
        app.register_blueprint(module.bp)

    from calendar_svc import logging_setup

    logging_setup.install(app, settings.log_level)  # JSON logs, X-Request-ID

    from calendar_svc.web import ratelimit

    ratelimit.install(app)  # per-client token buckets on the admin API and searches

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        wants_json = request.accept_mimetypes.best == "application/json"
        if request.path.startswith(("/api/", "/feeds/", "/openapi")) or wants_json:
            return jsonify(error=exc.name, message=exc.description, status=exc.code), exc.code
        if exc.code == 404:  # an address no route knows: the pages' own 404 page, not Werkzeug's bare one
            return pages.error_page(exc)
        return exc

    from calendar_svc.web.feed_shortcut import FeedShortcut

    app.wsgi_app = FeedShortcut(app, app.wsgi_app)  # repeated feed requests are answered before Flask

    from calendar_svc.web.pages import SECURITY_HEADERS

    @app.after_request
    def security_headers(response):
        """Also on responses no blueprint handles (unrouted 404s, 405s): the pages' CSP, nosniff, referrer."""
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.teardown_appcontext
    def close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    return app


def now(app: Flask | None = None) -> dt.datetime:
    from flask import current_app

    return (app or current_app).config["CLOCK"]()
