"""Configuration from the environment: one dataclass, documented in docs/configuration.md."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from calendar_svc.db import database_url
from calendar_svc.fetch import IntakePolicy

# Schemes `calendar-svc subscriptions add` admits (docs/reminders.md). "*" admits every Apprise
# notification service (json/form/xml webhooks, mailto, chat and push services) except the local
# file/desktop/syslog ones in calendar_svc.reminders.secrets.DENIED_SCHEMES, which are always refused.
# CALENDAR_SVC_APPRISE_SCHEMES replaces the list, e.g. "json,jsons,mailto,mailtos,slack" (explicit) or
# "*,-tgram" (everything but Telegram).
DEFAULT_APPRISE_SCHEMES = (
    "*",
    # named for readers and for explicit lists built from this one
    "json", "jsons", "form", "forms", "xml", "xmls", "mailto", "mailtos",
    "slack", "discord", "workflow", "workflows", "matrix", "matrixs", "mmost", "mmosts", "rocket",
    "rockets", "tgram", "signal", "signals", "ntfy", "ntfys", "gotify", "gotifys", "pover", "pbul",
    "zulip", "wxteams", "ifttt", "join", "line", "mastodon", "toot", "whatsapp", "twilio", "sns", "ses",
    "apprise", "apprises", "gchat", "lark", "feishu", "dingtalk", "wecombot", "threema",
)  # fmt: skip


def _csv(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return tuple(part.strip().lower() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment."""

    database_url: str = field(default_factory=database_url)
    base_url: str = field(default_factory=lambda: os.environ.get("CALENDAR_SVC_BASE_URL", "").rstrip("/"))
    admin_token: str | None = field(
        default_factory=lambda: os.environ.get("CALENDAR_SVC_ADMIN_TOKEN") or None
    )
    timezone: str = field(default_factory=lambda: os.environ.get("CALENDAR_SVC_TIMEZONE", "Europe/Brussels"))
    apprise_schemes: tuple[str, ...] = field(
        default_factory=lambda: _csv("CALENDAR_SVC_APPRISE_SCHEMES", DEFAULT_APPRISE_SCHEMES)
    )
    feed_cap: int = field(default_factory=lambda: int(os.environ.get("CALENDAR_SVC_FEED_CAP", "1000")))
    # days of the past a feed keeps (None: everything)
    feed_past_days: int | None = field(
        default_factory=lambda: int(v) if (v := os.environ.get("CALENDAR_SVC_FEED_PAST_DAYS")) else None
    )
    cancelled_grace_days: int = field(
        default_factory=lambda: int(os.environ.get("CALENDAR_SVC_CANCELLED_GRACE_DAYS", "60"))
    )
    # bytes of rendered feeds (identity and gzip bodies) one worker process keeps in memory
    feed_cache_bytes: int = field(
        default_factory=lambda: int(os.environ.get("CALENDAR_SVC_FEED_CACHE_BYTES", str(32 * 1024 * 1024)))
    )
    # nginx in front (calendar_svc/web/feed_accel.py): where export-feeds writes, and the internal location
    feed_export_dir: str | None = field(
        default_factory=lambda: os.environ.get("CALENDAR_SVC_FEED_EXPORT_DIR") or None
    )
    feed_accel_redirect: str | None = field(
        default_factory=lambda: os.environ.get("CALENDAR_SVC_FEED_ACCEL_REDIRECT") or None
    )
    log_level: str = field(default_factory=lambda: os.environ.get("CALENDAR_SVC_LOG_LEVEL", "INFO"))
    # uploads and fetches by URL: size limit, SSRF rules, timeouts, the sources the worker polls
    intake: IntakePolicy = field(default_factory=IntakePolicy)
