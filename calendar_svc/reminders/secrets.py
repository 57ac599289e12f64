"""Notification URLs are secrets: mask them for display, redact them from text, validate them on entry.

An Apprise URL carries credentials in its user info, path, query or (for many services) its "host"
(`tgram://BOT_TOKEN/CHAT`, `slack://TokenA/TokenB/TokenC`). So a masked URL keeps the scheme and,
only where the host is a network address (a webhook or mail server), the host and port; everything
else is elided:

    json://user:pw@127.0.0.1:8080/hooks/SECRET   ->  json://127.0.0.1:8080/…
    mailto://user:pw@example.org?to=a@b.c         ->  mailto://…@example.org
    tgram://123456:ABCDEF/987                      ->  tgram://…
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

ELLIPSIS = "…"

# Schemes whose host part is a network address, not a credential.
HOSTED_SCHEMES = frozenset(
    {
        "json",
        "jsons",
        "form",
        "forms",
        "xml",
        "xmls",
        "mailto",
        "mailtos",
        "gotify",
        "gotifys",
        "matrix",
        "matrixs",
        "mmost",
        "mmosts",
        "rocket",
        "rockets",
        "apprise",
        "apprises",
        "ntfy",
        "ntfys",
        "signal",
        "signals",
        "ncloud",
        "nclouds",
        "nctalk",
        "nctalks",
        "mastodon",
        "mastodons",
        "toot",
        "toots",
        "misskey",
        "misskeys",
        "kodi",
        "kodis",
        "xbmc",
        "xbmcs",
        "emby",
        "embys",
        "jellyfin",
        "jellyfins",
        "hassio",
        "hassios",
        "rsyslog",
        "irc",
        "ircs",
        "http",
        "https",
    }  # fmt: skip
)

# Never admitted, whatever the allow-list says: they read or write local files or devices, or talk
# to the local desktop or system log rather than to a notification service.
DENIED_SCHEMES = frozenset(
    {
        "file",
        "files",
        "attach",
        "windows",
        "macosx",
        "dbus",
        "kde",
        "qt",
        "glib",
        "gio",
        "gnome",
        "syslog",
        "blink1",
    }  # fmt: skip
)

_LEAD = re.compile(r"^\s*(\d+)\s*([wdhm])\s*$", re.IGNORECASE)
_LEAD_UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}


class InvalidTarget(ValueError):
    """A notification URL or config that cannot be accepted. The message never contains the URL."""


# -- lead times -----------------------------------------------------------------------------------


def parse_lead(text: str) -> int:
    """'7d', '1d', '12h', '2w', '30m' -> seconds."""
    match = _LEAD.match(str(text))
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a lead time such as 7d, 1d, 12h or 30m")
    return int(match.group(1)) * _LEAD_UNITS[match.group(2).lower()]


def format_lead(seconds: int) -> str:
    for unit, size in (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size and unit != "w":
            return f"{seconds // size}{unit}"
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"


# -- masking --------------------------------------------------------------------------------------


def scheme_of(url: str) -> str:
    head, sep, _rest = url.partition("://")
    return head.strip().lower() if sep else ""


def _is_network_host(host: str) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    # a DNS name: dotted labels, a TLD of letters
    return bool(re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", host, re.I))


def mask_url(url: str) -> str:
    """Scheme and (for hosted schemes) host and port; everything else elided."""
    scheme = scheme_of(url)
    if not scheme:
        return ELLIPSIS
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return f"{scheme}://{ELLIPSIS}"
    if scheme not in HOSTED_SCHEMES or not _is_network_host(host):
        return f"{scheme}://{ELLIPSIS}"
    netloc = host if ":" not in host else f"[{host}]"
    if port:
        netloc += f":{port}"
    if scheme.startswith("mailto"):
        return f"{scheme}://{ELLIPSIS}@{netloc}"
    if "@" in parts.netloc:
        netloc = f"{ELLIPSIS}@{netloc}"
    return f"{scheme}://{netloc}/{ELLIPSIS}"


def mask_config(path: str | None, tag: str | None) -> str:
    name = Path(path).name if path else "?"
    return f"config:{ELLIPSIS}/{name}" + (f"#{tag}" if tag else "")


def fingerprint(url: str) -> str:
    """A stable, non-reversible id for a target (recorded per delivery so a retry skips it)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def secret_fragments(url: str) -> set[str]:
    """Pieces of a URL that must not appear in any output: the URL, credentials, path, query values."""
    fragments = {url}
    scheme = scheme_of(url)
    rest = url.partition("://")[2]
    fragments.add(rest)
    try:
        parts = urlsplit(url)
    except ValueError:
        return {f for f in fragments if len(f) >= 4}
    for raw in (parts.username, parts.password):
        if raw:
            fragments.update({raw, unquote(raw)})
    for segment in parts.path.split("/"):
        if segment:
            fragments.update({segment, unquote(segment)})
    if parts.path.strip("/"):
        fragments.add(parts.path)
    for _key, value in parse_qsl(parts.query, keep_blank_values=False):
        if value and "@" not in value:  # e-mail addresses are not secrets
            fragments.add(value)
    host = parts.hostname or ""
    if host and not (scheme in HOSTED_SCHEMES and _is_network_host(host)):
        fragments.add(host)
        netloc_host = parts.netloc.rpartition("@")[2]
        fragments.add(netloc_host)
    # very short pieces ("a", "v1") would wreck unrelated text; they are not credentials anyway
    return {f for f in fragments if len(f) >= 4}


def redact(text: str, urls: Iterable[str]) -> str:
    """Replace every secret fragment of `urls` found in `text` with an ellipsis (longest first)."""
    fragments: set[str] = set()
    for url in urls:
        fragments |= secret_fragments(url)
    for fragment in sorted(fragments, key=len, reverse=True):
        if fragment in text:
            text = text.replace(fragment, ELLIPSIS)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs registered secrets from records (installed on Apprise's logger)."""

    def __init__(self) -> None:
        super().__init__("calendar_svc.reminders.redact")
        self._urls: set[str] = set()
        self._lock = threading.Lock()

    def register(self, url: str) -> None:
        with self._lock:
            self._urls.add(url)

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            urls = tuple(self._urls)
        if urls:
            try:
                message = record.getMessage()
            except Exception:  # pragma: no cover - a broken record is not ours to fix
                return True
            cleaned = redact(message, urls)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


REDACTOR = RedactingFilter()


# A logger's filters apply only to records logged on that very logger, so each is named: Apprise, and
# the HTTP stack under it (urllib3 logs request lines, paths included, at DEBUG).
REDACTED_LOGGERS = (
    "apprise",
    "calendar_svc.reminders",
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.util.retry",
    "requests",
)


def install_log_redaction() -> None:
    """Scrub registered secrets from everything Apprise and its HTTP stack log (idempotent)."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if REDACTOR not in logger.filters:
            logger.addFilter(REDACTOR)


# -- validation -----------------------------------------------------------------------------------


def scheme_allowed(scheme: str, allow_list: Iterable[str]) -> bool:
    """`*` admits every scheme except DENIED_SCHEMES; `-scheme` entries refuse one explicitly."""
    scheme = scheme.lower()
    allowed = {s.lower() for s in allow_list}
    if scheme in DENIED_SCHEMES or f"-{scheme}" in allowed:
        return False
    return "*" in allowed or scheme in allowed


def _plugin_protocols(plugin) -> set[str]:
    found: set[str] = set()
    for attr in ("protocol", "secure_protocol"):
        value = getattr(plugin, attr, None)
        if isinstance(value, str):
            found.add(value.lower())
        elif isinstance(value, (list, tuple, set)):
            found.update(v.lower() for v in value)
    return found


def validate_url(url: str, allow_list: Iterable[str]) -> str:
    """Return the URL stripped, or raise InvalidTarget (the message names the scheme, never the URL)."""
    import apprise

    url = (url or "").strip()
    scheme = scheme_of(url)
    if not scheme:
        raise InvalidTarget("not an Apprise URL (expected scheme://...)")
    allow_list = tuple(allow_list)
    # Apprise logs the URLs it loads (password masked, paths and tokens not): scrub them first.
    install_log_redaction()
    REDACTOR.register(url)
    plugin = apprise.Apprise.instantiate(url, asset=apprise.AppriseAsset(secure_logging=True))
    if plugin is None:
        raise InvalidTarget(f"Apprise does not recognise this {scheme}:// URL")
    if scheme in ("http", "https"):
        # a native service URL (https://discord.com/api/webhooks/...): judge the service's own schemes
        protocols = _plugin_protocols(plugin)
        if not protocols or not all(scheme_allowed(p, allow_list) for p in protocols):
            raise InvalidTarget(f"the {scheme}:// URL's service is not in the allowed scheme list")
        return url
    if not scheme_allowed(scheme, allow_list):
        raise InvalidTarget(f"scheme {scheme}:// is not in the allowed scheme list")
    return url


def validate_config(path: str, tag: str | None, allow_list: Iterable[str]) -> tuple[str, str | None]:
    """An Apprise config file (YAML or TEXT) on the local disk whose every URL passes validate_url."""
    import apprise

    target = Path(path).expanduser()
    if not target.is_file():
        raise InvalidTarget("the Apprise config path is not a readable file")
    install_log_redaction()
    config = apprise.AppriseConfig(asset=apprise.AppriseAsset(secure_logging=True))
    if not config.add(str(target.resolve())):
        raise InvalidTarget("Apprise cannot read the config file")
    servers = config.servers()
    if not servers:
        raise InvalidTarget("the Apprise config file defines no notification URL")
    allow_list = tuple(allow_list)
    matched = 0
    for server in servers:
        with contextlib.suppress(Exception):  # a plugin without url()
            REDACTOR.register(server.url(privacy=False))
        protocols = _plugin_protocols(server)
        if not protocols or not any(scheme_allowed(p, allow_list) for p in protocols):
            raise InvalidTarget("the Apprise config file holds a URL whose scheme is not allowed")
        if tag is None or tag in server.tags:
            matched += 1
    if not matched:
        raise InvalidTarget(f"no URL in the Apprise config file carries the tag {tag!r}")
    return str(target.resolve()), tag
