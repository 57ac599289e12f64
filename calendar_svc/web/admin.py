"""Admin JSON API for reminder subscriptions: POST/GET/DELETE /api/subscriptions[/<id>].

Authentication: `Authorization: Bearer <token>` where the token is CALENDAR_SVC_ADMIN_TOKEN
(Settings.admin_token), compared in constant time (hmac.compare_digest). A missing or wrong token gets
401 with `WWW-Authenticate: Bearer`. With no token configured the admin API is disabled: every request
gets 503, so a deployment that forgot the token is closed rather than open. Notification URLs are
accepted in POST bodies and never returned: responses show them masked.
"""

from __future__ import annotations

import hmac
from functools import wraps

from flask import Blueprint, jsonify, request

from calendar_svc.reminders.vault import KeyConfigError
from calendar_svc.web import db_session, settings

bp = Blueprint("admin", __name__, url_prefix="/api/subscriptions")


def _error(status: int, error: str, message: str, **headers):
    response = jsonify(error=error, message=message, status=status)
    response.status_code = status
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def require_admin(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        expected = settings().admin_token
        if not expected:
            return _error(503, "Service Unavailable", "admin API disabled: no admin token configured")
        header = request.headers.get("Authorization", "")
        scheme, _, supplied = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            supplied.strip().encode("utf-8"), expected.encode("utf-8")
        ):
            return _error(
                401,
                "Unauthorized",
                "a valid bearer token is required",
                WWW_Authenticate='Bearer realm="calendar-svc admin"',
            )
        response = view(*args, **kwargs)
        return response

    return wrapper


def _now():
    from calendar_svc.app import now

    return now()


def _keyring():
    """The keys sealing notification URLs (docs/security.md); KeyConfigError when misconfigured."""
    from calendar_svc.reminders.vault import keyring_from_env

    return keyring_from_env()


def _key_error(exc: Exception):
    return _error(503, "Service Unavailable", f"notification URL keys: {exc}")


def _digest_fields(body: dict) -> dict:
    """`digest`: "daily" | "weekly" | {"period", "day", "hour", "timezone", "weeks", "empty"}."""
    value = body.get("digest")
    if value is None:
        return {}
    if isinstance(value, str):
        value = {"period": value}
    if not isinstance(value, dict):
        raise ValueError('digest must be "daily", "weekly" or an object')
    unknown = set(value) - {"period", "day", "hour", "timezone", "weeks", "empty"}
    if unknown:
        raise ValueError(f"unknown digest field(s): {', '.join(sorted(unknown))}")
    fields = {
        "digest": value.get("period"),
        "digest_day": value.get("day", 0),
        "digest_hour": value.get("hour", 9),
        "digest_weeks": value.get("weeks", 4),
        "digest_empty": _bool_field(value, "empty", False),
    }
    if value.get("timezone") is not None:
        fields["digest_timezone"] = value["timezone"]
    else:
        fields["digest_timezone"] = settings().timezone
    return fields


def _list_field(body: dict, name: str) -> list:
    value = body.get(name, [])
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list")
    return value


def _bool_field(body: dict, name: str, default: bool) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


@bp.post("")
@require_admin
def create():
    from calendar_svc.reminders import subscriptions as subs
    from calendar_svc.reminders.secrets import InvalidTarget

    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error(400, "Bad Request", "expected a JSON object")
    try:
        keyring = _keyring()
    except KeyConfigError as exc:
        return _key_error(exc)
    try:
        notices = body.get("change_notices")
        if notices is not None and not isinstance(notices, bool):
            raise ValueError("change_notices must be true or false")
        urls = _list_field(body, "urls") + _list_field(body, "url")
        spec = subs.SubscriptionSpec(
            urls=[str(u) for u in urls],
            config_path=body.get("config_path"),
            config_tag=body.get("tag") or body.get("config_tag"),
            name=body.get("name"),
            countries=_list_field(body, "countries"),
            processes=_list_field(body, "processes"),
            leads=_list_field(body, "leads") or None,
            include_tentative=_bool_field(body, "include_tentative", True),
            change_notices=notices,
            active=_bool_field(body, "active", True),
            **_digest_fields(body),
        )
        session = db_session()
        sub = subs.create(session, spec, allow_list=settings().apprise_schemes, now=_now(), keyring=keyring)
        session.commit()
    except (InvalidTarget, ValueError) as exc:
        db_session().rollback()
        return _error(400, "Bad Request", str(exc))
    response = jsonify(subs.to_json(sub, keyring=keyring))
    response.status_code = 201
    response.headers["Location"] = f"/api/subscriptions/{sub.id}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
@require_admin
def index():
    from calendar_svc.reminders import subscriptions as subs

    session = db_session()
    found = subs.list_all(session)
    counts = subs.delivery_counts(session, [s.id for s in found])
    try:
        keyring = _keyring()
        found = [subs.to_json(s, counts[s.id], keyring=keyring) for s in found]
    except KeyConfigError as exc:
        return _key_error(exc)
    response = jsonify(subscriptions=found)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:sub_id>")
@require_admin
def show(sub_id: int):
    from calendar_svc.models import Subscription
    from calendar_svc.reminders import subscriptions as subs

    session = db_session()
    sub = session.get(Subscription, sub_id)
    if sub is None:
        return _error(404, "Not Found", f"no subscription {sub_id}")
    try:
        data = subs.to_json(sub, subs.delivery_counts(session, [sub_id])[sub_id], keyring=_keyring())
    except KeyConfigError as exc:
        return _key_error(exc)
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.delete("/<int:sub_id>")
@require_admin
def delete(sub_id: int):
    from calendar_svc.reminders import subscriptions as subs

    session = db_session()
    if not subs.remove(session, sub_id):
        return _error(404, "Not Found", f"no subscription {sub_id}")
    session.commit()
    return "", 204
