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
    leads: list[str] = field(default_factory=lambda: list(DEFAULT_LEADS))
    include_tentative: bool = True
    change_notices: bool = True
    active: bool = True


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
    session: Session, spec: SubscriptionSpec, *, allow_list: Iterable[str], now: dt.datetime
) -> Subscription:
    """Validate and store a subscription. Raises InvalidTarget / ValueError (messages never hold a URL)."""
    allow_list = tuple(allow_list)
    urls = [validate_url(url, allow_list) for url in spec.urls if str(url).strip()]
    config_path = config_tag = None
    if spec.config_path:
        config_path, config_tag = validate_config(spec.config_path, spec.config_tag, allow_list)
    if not urls and not config_path:
        raise InvalidTarget("a subscription needs at least one Apprise URL or an Apprise config file")
    leads = sorted({parse_lead(lead) for lead in (spec.leads or DEFAULT_LEADS)}, reverse=True)
    countries, processes = _countries(spec.countries), _processes(spec.processes)
    name = (spec.name or "").strip() or _default_name(countries, processes)
    sub = Subscription(
        name=name[:200],
        targets=list(dict.fromkeys(urls)),
        config_path=config_path,
        config_tag=config_tag,
        countries=countries,
        processes=processes,
        include_tentative=bool(spec.include_tentative),
        lead_seconds=leads,
        change_notices=bool(spec.change_notices),
        changes_after=change_watermark(session),
        active=bool(spec.active),
        created_at=now,
    )
    session.add(sub)
    session.flush()
    return sub


def _default_name(countries: list[str], processes: list[str]) -> str:
    parts = countries + processes
    return "reminders: " + (", ".join(parts) if parts else "all events")


def remove(session: Session, sub_id: int) -> bool:
    sub = session.get(Subscription, sub_id)
    if sub is None:
        return False
    session.query(Delivery).filter(Delivery.subscription_id == sub_id).delete(synchronize_session=False)
    session.delete(sub)
    return True


def masked_targets(sub: Subscription) -> list[str]:
    targets = [mask_url(url) for url in sub.targets or []]
    if sub.config_path:
        targets.append(mask_config(sub.config_path, sub.config_tag))
    return targets


def to_json(sub: Subscription, counts: dict[str, int] | None = None) -> dict[str, Any]:
    """The public view of a subscription: targets masked, never in full."""
    data: dict[str, Any] = {
        "id": sub.id,
        "name": sub.name,
        "targets": masked_targets(sub),
        "countries": list(sub.countries or []),
        "processes": list(sub.processes or []),
        "include_tentative": bool(sub.include_tentative),
        "leads": [format_lead(s) for s in sub.lead_seconds or []],
        "change_notices": bool(sub.change_notices),
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
