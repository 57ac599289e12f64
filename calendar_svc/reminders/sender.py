"""Sending through Apprise: one Apprise object per target, results read for Apprise 2.x and 1.x.

A subscription may have several targets. Each gets its own Apprise object, so one failing target
neither blocks nor hides the others, and the outbox row records which targets already have the
message (`Delivery.delivered_to`), so a retry goes only to the ones that failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import apprise

from calendar_svc.models import Subscription
from calendar_svc.reminders.digest_message import DigestMessage
from calendar_svc.reminders.messages import Message
from calendar_svc.reminders.secrets import (
    REDACTOR,
    fingerprint,
    install_log_redaction,
    mask_config,
    mask_url,
    redact,
)
from calendar_svc.reminders.vault import KeyConfigError, Keyring, target_urls

log = logging.getLogger("calendar_svc.reminders")


@dataclass
class Target:
    """One notification destination of a subscription."""

    key: str  # fingerprint recorded in Delivery.delivered_to
    label: str  # masked, safe to print
    client: apprise.Apprise | None
    tag: str | None = None
    fmt: str = "text"  # text | markdown | html
    secrets: tuple[str, ...] = ()
    error: str | None = None  # set when the target could not even be loaded


@dataclass
class Outcome:
    ok: bool
    status: str
    error: str = ""
    details: list[str] = field(default_factory=list)


_FORMATS = {
    "text": apprise.NotifyFormat.TEXT,
    "markdown": apprise.NotifyFormat.MARKDOWN,
    "html": apprise.NotifyFormat.HTML,
}


def _preferred_format(client: apprise.Apprise) -> str:
    """The body format the service wants: e-mail html; Slack, Discord markdown; json:// text unless its
    URL says `?format=markdown|html`. Sending that format spares Apprise a conversion."""
    for server in client:
        resolve = getattr(server, "resolve_format", None)  # Apprise 2.x: multi-format plugins
        fmt = resolve() if callable(resolve) else getattr(server, "notify_format", None)
        if isinstance(fmt, (tuple, list)):
            fmt = fmt[0] if fmt else None
        value = getattr(fmt, "value", fmt)
        return next((name for name, known in _FORMATS.items() if value == known.value), "text")
    return "text"


class TargetCache:
    """Apprise objects built once per worker pass (so per-service throttling stays in effect)."""

    def __init__(self, keyring: Keyring | None = None) -> None:
        self._cache: dict[str, Target] = {}
        self.keyring = keyring  # opens sealed notification URLs (vault.py)
        self.asset = apprise.AppriseAsset(secure_logging=True)
        install_log_redaction()

    def for_subscription(self, sub: Subscription) -> list[Target]:
        try:
            urls = target_urls(sub, self.keyring)
        except KeyConfigError as exc:  # this worker lacks the key: the row fails and is retried
            return [Target(f"sealed:{sub.id}", "sealed notification URLs", None, error=str(exc))]
        targets = [self._url_target(url) for url in urls]
        if sub.config_path:
            targets.append(self._config_target(sub.config_path, sub.config_tag))
        return targets

    def _url_target(self, url: str) -> Target:
        key = fingerprint(url)
        if key not in self._cache:
            REDACTOR.register(url)
            client = apprise.Apprise(asset=self.asset)
            target = Target(key, mask_url(url), client, secrets=(url,))
            if not client.add(url):
                target.client, target.error = None, "Apprise no longer accepts this URL"
            else:
                target.fmt = _preferred_format(client)
            self._cache[key] = target
        return self._cache[key]

    def _config_target(self, path: str, tag: str | None) -> Target:
        key = fingerprint(f"config:{path}#{tag or ''}")
        if key not in self._cache:
            config = apprise.AppriseConfig(asset=self.asset)
            client = apprise.Apprise(asset=self.asset)
            target = Target(key, mask_config(path, tag), client, tag=tag)
            if not config.add(path) or not client.add(config):
                target.client, target.error = None, "cannot load the Apprise config file"
            else:
                urls = []
                for server in config.servers():
                    try:
                        urls.append(server.url(privacy=False))
                    except Exception:  # pragma: no cover - a plugin without url()
                        continue
                for url in urls:
                    REDACTOR.register(url)
                target.secrets = tuple(urls)
            self._cache[key] = target
        return self._cache[key]


def interpret(result) -> tuple[bool, str, list[str]]:
    """(ok, status name, per-service notes) for an Apprise 2.x AppriseResult or a 1.x bool/None."""
    if result is None:  # 1.x: nothing matched
        return False, "NOMATCH", []
    if isinstance(result, bool):  # 1.x
        return result, "SUCCESS" if result else "FAILURE", []
    status = getattr(result, "status", None)
    name = getattr(status, "name", str(status))
    notes: list[str] = []
    for service in getattr(result, "results", ()) or ():
        service_status = getattr(getattr(service, "status", None), "name", "?")
        if service_status != "SUCCESS":
            notes.append(f"{getattr(service, 'name', 'service')}: {service_status}")
    # bool(result) is True only for SUCCESS; PARTIAL, TIMEOUT, NOMATCH and FAILURE are failures.
    return bool(result), name or "FAILURE", notes


def _log_text(result, captured: str) -> str:
    lines: list[str] = []
    logs = getattr(result, "logs", None)
    if callable(logs):
        try:
            for entry in logs():
                if getattr(entry, "level", "") in ("WARNING", "ERROR", "CRITICAL"):
                    lines.append(str(getattr(entry, "message", entry)))
        except Exception:  # pragma: no cover - defensive: logs are a convenience
            pass
    if not lines and captured:
        lines = [line for line in captured.splitlines() if " - WARNING - " in line or " - ERROR - " in line]
    return "; ".join(dict.fromkeys(line.strip() for line in lines if line.strip()))


def send(target: Target, message: Message | DigestMessage, *, timeout: float = 30.0) -> Outcome:
    """Notify one target; never raises, never returns text containing the target's secrets."""
    if target.client is None:
        return Outcome(False, "INVALID", f"{target.label}: {target.error}")
    body = message.render(target.fmt)
    body_format = _FORMATS.get(target.fmt, apprise.NotifyFormat.TEXT)
    kwargs = {"body": body, "title": message.title, "body_format": body_format}
    if target.tag is not None:
        kwargs["tag"] = target.tag
    try:
        with apprise.LogCapture(level=logging.WARNING) as captured:
            try:
                result = target.client.notify(timeout=timeout, **kwargs)
            except TypeError:  # Apprise 1.x has no timeout argument
                result = target.client.notify(**kwargs)
            captured_text = captured.getvalue()
    except Exception as exc:  # a plugin crash is a failed attempt, not a dead worker
        error = redact(f"{target.label}: {type(exc).__name__}: {exc}", target.secrets)
        return Outcome(False, "EXCEPTION", error)
    ok, status, notes = interpret(result)
    if ok:
        return Outcome(True, status)
    detail = _log_text(result, captured_text)
    error = (
        f"{target.label}: {status}"
        + (f" ({'; '.join(notes)})" if notes else "")
        + (f": {detail}" if detail else "")
    )
    return Outcome(False, status, redact(error, target.secrets), notes)
