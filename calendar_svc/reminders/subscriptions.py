"""Creating, listing and removing subscriptions (shared by the CLI and the admin API)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calendar_svc.models import Delivery, Subscription
from calendar_svc.reminders import digest as digests
from calendar_svc.reminders.planner import change_watermark
from calendar_svc.reminders.secrets import (
    InvalidTarget,
    format_lead,
    mask_config,
    mask_url,
    parse_lead,
    validate_config,
    validate_url,
)
from calendar_svc.reminders.vault import Keyring, store_targets, target_urls
from calendar_svc.serialize import iso_moment

DEFAULT_LEADS = ("7d", "1d")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass
class SubscriptionSpec:
    urls: list[str] = field(default_factory=list)
    config_path: str | None = None
    config_tag: str | None = None
    name: str | None = None
    countries: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    # None: 7d and 1d, or none for a digest subscription (which may still ask for reminders)
    leads: list[str] | None = None
    include_tentative: bool = True
    change_notices: bool | None = None  # None: yes, except for a digest subscription
    active: bool = True
    digest: str | None = None  # daily | weekly (calendar_svc/reminders/digest.py)
    digest_day: int | str = 0  # weekly: 0-6 (0 = Monday) or a day name
    digest_hour: int = 9
    digest_timezone: str = "Europe/Brussels"
    digest_weeks: int = digests.DEFAULT_WEEKS
    digest_empty: bool = False  # send a digest with nothing in it


def _countries(values: Iterable[str]) -> list[str]:
    out = []
    for value in values:
        code = str(value).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        out.append(code)
    return sorted(set(out))


def _processes(values: Iterable[str]) -> list[str]:
    out = []
    for value in values:
        slug = str(value).strip().lower()
        if not _SLUG.match(slug):
            raise ValueError(f"{value!r} is not a process slug such as rabat-process")
        out.append(slug)
    return sorted(set(out))


def create(
    session: Session,
    spec: SubscriptionSpec,
    *,
    allow_list: Iterable[str],
    now: dt.datetime,
    keyring: Keyring | None = None,
) -> Subscription:
    """Validate and store a subscription (its URLs sealed when a keyring is given).

    Raises InvalidTarget / ValueError (messages never hold a URL)."""
    allow_list = tuple(allow_list)
    urls = [validate_url(url, allow_list) for url in spec.urls if str(url).strip()]
    config_path = config_tag = None
    if spec.config_path:
        config_path, config_tag = validate_config(spec.config_path, spec.config_tag, allow_list)
    if not urls and not config_path:
        raise InvalidTarget("a subscription needs at least one Apprise URL or an Apprise config file")
    schedule = None
    if spec.digest:
        schedule = digests.validate(
            spec.digest, spec.digest_day, spec.digest_hour, spec.digest_timezone, spec.digest_weeks
        )
    leads = spec.leads if spec.leads is not None else ([] if schedule else list(DEFAULT_LEADS))
    if not leads and not schedule:
        leads = list(DEFAULT_LEADS)
    lead_seconds = sorted({parse_lead(lead) for lead in leads}, reverse=True)
    countries, processes = _countries(spec.countries), _processes(spec.processes)
    name = (spec.name or "").strip() or _default_name(countries, processes, digest=spec.digest)
    change_notices = spec.change_notices if spec.change_notices is not None else schedule is None
    sub = Subscription(
        name=name[:200],
        config_path=config_path,
        config_tag=config_tag,
        countries=countries,
        processes=processes,
        include_tentative=bool(spec.include_tentative),
        lead_seconds=lead_seconds,
        change_notices=bool(change_notices),
        changes_after=change_watermark(session),
        events_after=digests.event_watermark(session),
        active=bool(spec.active),
        created_at=now,
        digest=schedule.period if schedule else None,
        digest_weekday=schedule.weekday if schedule else 0,
        digest_hour=schedule.hour if schedule else 9,
        digest_timezone=schedule.timezone if schedule else "Europe/Brussels",
        digest_weeks=int(spec.digest_weeks) if schedule else digests.DEFAULT_WEEKS,
        digest_empty=bool(spec.digest_empty) if schedule else False,
    )
    store_targets(sub, list(dict.fromkeys(urls)), keyring)
    session.add(sub)
    session.flush()
    return sub


def _default_name(countries: list[str], processes: list[str], *, digest: str | None = None) -> str:
    parts = countries + processes
    return f"{digest + ' digest' if digest else 'reminders'}: " + (
        ", ".join(parts) if parts else "all events"
    )


def remove(session: Session, sub_id: int) -> bool:
    sub = session.get(Subscription, sub_id)
    if sub is None:
        return False
    session.query(Delivery).filter(Delivery.subscription_id == sub_id).delete(synchronize_session=False)
    session.delete(sub)
    return True


def masked_targets(sub: Subscription, keyring: Keyring | None = None) -> list[str]:
    """Masked notification targets (sealed URLs are opened with the keyring to be masked)."""
    targets = [mask_url(url) for url in target_urls(sub, keyring)]
    if sub.config_path:
        targets.append(mask_config(sub.config_path, sub.config_tag))
    return targets


def digest_json(sub: Subscription) -> dict[str, Any] | None:
    if not sub.digest:
        return None
    return {
        "period": sub.digest,
        "day": digests.WEEKDAYS[sub.digest_weekday] if sub.digest == "weekly" else None,
        "hour": sub.digest_hour,
        "timezone": sub.digest_timezone,
        "weeks": sub.digest_weeks,
        "empty": bool(sub.digest_empty),
    }


def to_json(
    sub: Subscription, counts: dict[str, int] | None = None, *, keyring: Keyring | None = None
) -> dict[str, Any]:
    """The public view of a subscription: targets masked, never in full."""
    data: dict[str, Any] = {
        "id": sub.id,
        "name": sub.name,
        "targets": masked_targets(sub, keyring),
        "encrypted": sub.targets_sealed is not None,
        "countries": list(sub.countries or []),
        "processes": list(sub.processes or []),
        "include_tentative": bool(sub.include_tentative),
        "leads": [format_lead(s) for s in sub.lead_seconds or []],
        "change_notices": bool(sub.change_notices),
        "digest": digest_json(sub),
        "active": bool(sub.active),
        "created_at": iso_moment(sub.created_at),
    }
    if counts is not None:
        data["deliveries"] = counts
    return data


def delivery_counts(session: Session, sub_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {i: {} for i in sub_ids}
    if not sub_ids:
        return counts
    rows = session.execute(
        select(Delivery.subscription_id, Delivery.state, func.count())
        .where(Delivery.subscription_id.in_(sub_ids))
        .group_by(Delivery.subscription_id, Delivery.state)
    )
    for sub_id, state, n in rows:
        counts[sub_id][state] = n
    return counts


def list_all(session: Session) -> list[Subscription]:
    return list(session.scalars(select(Subscription).order_by(Subscription.id)))
