"""In-process rate limiting: a token bucket per client IP for the admin API and the text searches.

Which requests count (everything else is never limited; feeds and plain API reads are cheap and cached):

    admin    every request to /api/subscriptions*;              CALENDAR_SVC_RATE_LIMIT_ADMIN   (30/60)
             POST and DELETE to /api/documents* and /admin*
    search   GET /api/events, /search or / with a non-empty q  CALENDAR_SVC_RATE_LIMIT_SEARCH  (60/60)

A limit "N/S" is a bucket of N requests refilled over S seconds (bursts up to N, then N per S on
average); "off" or "0" disables that limit. A request over the limit gets 429 with a JSON error and
`Retry-After` (whole seconds until a token is back).

Scope: the buckets live in the process. With several gunicorn workers each worker keeps its own
buckets, so the effective limit is up to workers x N per S (requests are spread across workers); this
stops one client from hogging the search or hammering the admin token, it is not a quota. A limit shared
across processes would need a shared store (Redis), which this service otherwise does not need.

The client is `request.remote_addr`. Behind reverse proxies set CALENDAR_SVC_TRUSTED_PROXIES to their
number of hops: the client is then the address that many entries from the right of X-Forwarded-For
(never the left-most one, which the client itself controls).

Why not flask-limiter: with memory storage it has exactly the same per-worker scope, and the two rules
here fit in this module without a dependency and its storage/strategy configuration surface.
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, jsonify, request

EXTENSION = "calendar_svc.ratelimit"
DEFAULT_LIMITS = {"admin": "30/60", "search": "60/60"}
ENVIRONMENT = {"admin": "CALENDAR_SVC_RATE_LIMIT_ADMIN", "search": "CALENDAR_SVC_RATE_LIMIT_SEARCH"}
MAX_CLIENTS = 10_000  # buckets kept per rule; idle (full) buckets are dropped beyond this
_LIMIT_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*(?:s|sec|seconds?)?\s*$")


@dataclass(frozen=True)
class Limit:
    capacity: int
    period: float  # seconds to refill `capacity` tokens

    @property
    def rate(self) -> float:
        return self.capacity / self.period


def parse_limit(text: str | None) -> Limit | None:
    """'30/60' -> 30 requests per 60 s; 'off', '0', '' -> None (no limit)."""
    if text is None or text.strip().lower() in ("", "off", "none", "0", "false"):
        return None
    match = _LIMIT_RE.match(text)
    if not match or int(match.group(1)) <= 0 or float(match.group(2)) <= 0:
        raise ValueError(f"rate limit {text!r}: expected N/SECONDS such as 30/60, or off")
    return Limit(int(match.group(1)), float(match.group(2)))


class TokenBuckets:
    """Token buckets keyed by client, for one rule. Thread-safe."""

    def __init__(self, limit: Limit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token: 0.0 when allowed, else the seconds until a token is back."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.limit.capacity), now))
            tokens = min(float(self.limit.capacity), tokens + (now - last) * self.limit.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > MAX_CLIENTS:
                    self._prune(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.limit.rate

    def _prune(self, now: float) -> None:
        full = [
            k
            for k, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * self.limit.rate >= self.limit.capacity
        ]
        for key in full:
            del self._buckets[key]
        while len(self._buckets) > MAX_CLIENTS:  # all busy: forget the oldest
            del self._buckets[next(iter(self._buckets))]


class RateLimiter:
    """The rules of one app."""

    def __init__(self, limits: dict[str, Limit | None], trusted_proxies: int = 0) -> None:
        self.trusted_proxies = trusted_proxies
        self.rules = {name: TokenBuckets(limit) for name, limit in limits.items() if limit is not None}

    @classmethod
    def from_environment(cls) -> RateLimiter:
        limits = {
            name: parse_limit(os.environ.get(ENVIRONMENT[name], default))
            for name, default in DEFAULT_LIMITS.items()
        }
        return cls(limits, int(os.environ.get("CALENDAR_SVC_TRUSTED_PROXIES", "0") or 0))

    def rule_for(self, path: str, method: str, q: str | None) -> str | None:
        if path == "/api/subscriptions" or path.startswith("/api/subscriptions/"):
            return "admin"
        if method not in ("GET", "HEAD", "OPTIONS") and path.startswith(("/api/documents", "/admin")):
            return "admin"  # uploads, fetches, retractions, admin sign-in
        if method in ("GET", "HEAD") and path in ("/api/events", "/search", "/") and (q or "").strip():
            return "search"
        return None

    def client(self) -> str:
        if self.trusted_proxies > 0:
            hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
            if len(hops) >= self.trusted_proxies:
                return hops[-self.trusted_proxies]
        return request.remote_addr or "unknown"

    def check(self):
        rule = self.rule_for(request.path, request.method, request.args.get("q"))
        buckets = self.rules.get(rule) if rule else None
        if buckets is None:
            return None
        wait = buckets.take(self.client())
        if wait <= 0:
            return None
        retry_after = max(1, math.ceil(wait))
        response = jsonify(
            error="Too Many Requests",
            message=f"rate limit for {rule} requests exceeded; retry in {retry_after} s",
            status=429,
        )
        response.status_code = 429
        response.headers["Retry-After"] = str(retry_after)
        response.headers["Cache-Control"] = "no-store"
        return response


def limiter(app: Flask | None = None) -> RateLimiter:
    return (app or current_app).extensions[EXTENSION]


def install(app: Flask, rate_limiter: RateLimiter | None = None) -> RateLimiter:
    """Limit the app's admin and search requests (before any view or database work)."""
    app.extensions[EXTENSION] = rate_limiter or RateLimiter.from_environment()

    @app.before_request
    def _rate_limit():
        return limiter().check()

    return app.extensions[EXTENSION]
