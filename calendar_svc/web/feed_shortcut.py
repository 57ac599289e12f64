"""Repeated feed requests answered before Flask runs (docs/api.md, "Answers replayed before Flask").

A calendar client polls the same feed URL with the same headers, and nearly always gets 304 (or, without
validators, the same 200). `FeedShortcut` wraps the app's WSGI callable: when the app has answered a
feed request, it keeps that answer's status and headers under the request's key (method, path, query
string, host, scheme, Accept-Encoding and the two validator headers) with the catalogue stamp and the
day it was answered under; a 200 also notes which assembled feed of the feed cache it sent (or the
X-Accel-Redirect that lets nginx send it, calendar_svc/web/feed_accel.py). The same
request under the same stamp and day gets the same answer, so it is replayed without routing, parameter
parsing or response building: one stamp query, a dictionary lookup and the access log line. The body
of a replayed 200 comes from the feed cache, so it is held once and the cache's byte bound still holds;
when the cache no longer has it, or the catalogue or the day changed, the app answers, as always.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from calendar_svc.feed_cache import FeedCache, catalog_stamp, local_today
from calendar_svc.logging_setup import REQUEST_ID_HEADER, request_id_from

access_log = logging.getLogger("calendar_svc.access")

#: Set by the feed route on the WSGI environ: (the feed cache's key of the feed sent, its cache).
FEED_SENT = "calendar_svc.feed_sent"

# What the app's answer to a feed request depends on, besides the catalogue and the day.
_KEY_ENVIRON = (
    "REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "SCRIPT_NAME", "wsgi.url_scheme", "HTTP_HOST",
    "SERVER_NAME", "SERVER_PORT", "HTTP_ACCEPT_ENCODING", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
)  # fmt: skip
_WSGI_REQUEST_ID = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")


@dataclass(frozen=True)
class _Answer:
    version: tuple  # (catalogue stamp, day) it was given under
    status: str
    headers: list[tuple[str, str]]  # without the request id
    feed: tuple | None = None  # a 200's feed cache key (None: no body, a 304 or an X-Accel-Redirect)
    gzip: bool = False  # a 200's body: the gzip representation


class FeedShortcut:
    """WSGI middleware replaying the app's own answers to repeated feed requests (GET and HEAD)."""

    def __init__(self, app: Flask, wsgi_app: Callable, max_entries: int = 4096) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.max_entries = max_entries
        self._answers: OrderedDict[tuple, _Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.replayed = 0  # answers given here (for tests and diagnostics)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not path.startswith("/feeds/"):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        key = tuple(environ.get(name) for name in _KEY_ENVIRON)
        try:
            version = self._version()
        except Exception:  # the store is unreachable: the app answers (and reports) as it would anyway
            return self.wsgi_app(environ, start_response)
        with self._lock:
            answer = self._answers.get(key)
        if answer is not None and answer.version == version:
            body = self._body(answer, environ)
            if body is not None:
                return self._replay(answer, body, environ, start_response, started)

        def remember(status: str, headers: list[tuple[str, str]], exc_info=None):
            sent = environ.get(FEED_SENT)
            names = {n.lower(): v for n, v in headers}
            bodiless = status.startswith("304 ") or "x-accel-redirect" in names  # nginx sends the file
            if exc_info is None and (bodiless or (status.startswith("200 ") and sent)):
                kept = [(n, v) for n, v in headers if n.lower() != REQUEST_ID_HEADER.lower()]
                feed = None if bodiless else sent
                self._keep(key, _Answer(version, status, kept, feed, names.get("content-encoding") == "gzip"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, remember)

    def _version(self) -> tuple:
        """What an answer is valid for: the catalogue stamp and today's date in the service time zone (the
        time rules change feeds at midnight). Read before the app runs, so an answer is never filed under
        a stamp newer than the data it was made from."""
        settings = self.app.config["SETTINGS"]
        engine = self.app.extensions["calendar_svc.engine"]
        return catalog_stamp(engine), local_today(self.app.config["CLOCK"](), settings)

    def _keep(self, key: tuple, answer: _Answer) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.max_entries:
                self._answers.popitem(last=False)

    def _body(self, answer: _Answer, environ: dict[str, Any]) -> Iterable[bytes] | None:
        """The body to send again: none for a 304 or HEAD, else the feed cache's (None: not held now)."""
        if answer.feed is None:
            return ()
        cache_key, cache = answer.feed
        rendered = cache.peek(cache_key, answer.version[0])
        if rendered is None:
            return None
        if environ["REQUEST_METHOD"] == "HEAD":
            return ()
        return (rendered.gzip_body,) if answer.gzip else rendered.parts

    def _replay(
        self, answer: _Answer, body: Iterable[bytes], environ: dict[str, Any], start_response: Callable,
        started: float,
    ) -> Iterable[bytes]:
        request_id = request_id_from(environ.get(_WSGI_REQUEST_ID))
        start_response(answer.status, [*answer.headers, (REQUEST_ID_HEADER, request_id)])
        with self._lock:
            self.replayed += 1
        access_log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": environ["REQUEST_METHOD"],
                "path": environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace"),  # as Flask's
                "status": int(answer.status[:3]),
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "bytes": sum(map(len, body)),
            },
        )
        return body


def note_feed_sent(environ: dict[str, Any], cache_key: tuple, cache: FeedCache) -> None:
    """Tell the shortcut which assembled feed a 200 sent (the feed route calls this)."""
    environ[FEED_SENT] = (cache_key, cache)
