"""Structured logs: one JSON object per line on stderr, with the request id of the HTTP request.

`configure_logging(level)` installs the JSON handler on the root logger (once). `install(app)` adds
before/after_request hooks: every request gets an id (the caller's `X-Request-ID` when it is sane,
else a new one), echoed in the response's `X-Request-ID` header, attached to every log record emitted
while the request runs, and one `request` line is logged per response with method, path, status and
duration. Query strings are never logged: feed and admin URLs may carry tokens in them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
# LogRecord attributes that are not "extra" fields
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}
_HANDLER_NAME = "calendar_svc.json"

access_log = logging.getLogger("calendar_svc.access")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line: ts, level, logger, message, request_id, extras, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            data["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Stamps records emitted inside a Flask request with that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None) and has_request_context():
            record.request_id = g.get("request_id")
        return True


def configure_logging(level: str | int = "INFO", stream=None) -> logging.Handler:
    """Install (once) the JSON handler on the root logger and set the level."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == _HANDLER_NAME), None)
    if handler is None:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    return handler


def request_id_from(header: str | None) -> str:
    """The caller's request id when it is a sane token, else a fresh one."""
    if header and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def install(app: Flask, level: str | int = "INFO") -> None:
    """JSON logs for the app and a request id on every request and response."""
    configure_logging(level)

    @app.before_request
    def _start_request() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish_request(response):
        request_id = g.get("request_id") or request_id_from(None)
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        access_log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,  # never the query string: it may hold tokens
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
                "bytes": response.calculate_content_length(),
            },
        )
        return response
