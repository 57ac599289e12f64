"""The subscriptions part of the OpenAPI description (calendar_svc/web/admin.py; docs/reminders.md)."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from calendar_svc.openapi_parts import ADMIN_ERRORS, error, json_response, nullable, ref
from calendar_svc.reminders.digest import MAX_WEEKS, WEEKDAYS

MAX_ID = 2147483647
LEAD = {"type": "string", "pattern": r"^\s*\d+\s*[wdhmWDHM]\s*$", "description": "7d, 1d, 12h, 2w or 30m."}
STRINGS = {"type": "array", "items": {"type": "string"}}

DIGEST = {
    "type": "object",
    "required": ["period", "day", "hour", "timezone", "weeks", "empty"],
    "properties": {
        "period": {"type": "string", "enum": ["daily", "weekly"]},
        "day": nullable({"type": "string", "enum": list(WEEKDAYS), "description": "Weekly digests only."}),
        "hour": {"type": "integer", "minimum": 0, "maximum": 23},
        "timezone": {"type": "string", "description": "IANA time zone of the hour."},
        "weeks": {"type": "integer", "minimum": 1, "maximum": MAX_WEEKS},
        "empty": {"type": "boolean", "description": "Sent even when no event falls in its window."},
    },
}
DIGEST_INPUT = {
    "oneOf": [
        {"type": "string", "enum": ["daily", "weekly"]},
        {
            "type": "object",
            "required": ["period"],
            "additionalProperties": False,
            "properties": {
                "period": {"type": "string", "enum": ["daily", "weekly"]},
                "day": {
                    "oneOf": [
                        {"type": "integer", "minimum": 0, "maximum": 6},
                        {"type": "string", "enum": list(WEEKDAYS)},
                    ],
                    "description": "0 (Monday) to 6, or a day name.",
                },
                "hour": {"type": "integer", "minimum": 0, "maximum": 23},
                "timezone": {"type": "string"},
                "weeks": {"type": "integer", "minimum": 1, "maximum": MAX_WEEKS},
                "empty": {"type": "boolean"},
            },
        },
    ]
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Subscription": {
        "type": "object",
        "required": ["id", "name", "targets", "encrypted", "countries", "processes", "include_tentative",
                     "leads", "change_notices", "digest", "active", "created_at"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "name": {"type": "string"},
            "targets": {**STRINGS, "description": "Notification targets, masked: never a URL in full."},
            "encrypted": {"type": "boolean", "description": "URLs sealed with CALENDAR_SVC_SECRET_KEYS."},
            "countries": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
            "processes": STRINGS,
            "include_tentative": {"type": "boolean"},
            "leads": {"type": "array", "items": LEAD, "description": "Reminder lead times, longest first."},
            "change_notices": {"type": "boolean"},
            "digest": nullable(DIGEST),
            "active": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "deliveries": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 0},
                "description": "Deliveries per state (pending, sent, failed, ...).",
            },
        },
    },  # fmt: skip
    "SubscriptionList": {
        "type": "object",
        "required": ["subscriptions"],
        "properties": {"subscriptions": {"type": "array", "items": ref("Subscription")}},
    },
    "SubscriptionInput": {
        "type": "object",
        "description": "At least one of `url`, `urls` or `config_path`.",
        "properties": {
            "url": {"type": "string", "description": "An Apprise URL (its scheme must be allowed)."},
            "urls": STRINGS,
            "config_path": {"type": "string", "description": "An Apprise config file on the server."},
            "tag": {"type": "string", "description": "Apprise tag within the config file."},
            "name": {"type": "string"},
            "countries": STRINGS,
            "processes": STRINGS,
            "leads": {"type": "array", "items": LEAD},
            "include_tentative": {"type": "boolean"},
            "change_notices": {"type": "boolean"},
            "active": {"type": "boolean"},
            "digest": DIGEST_INPUT,
        },
    },
}
SUBSCRIPTION_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The subscription's id.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
NO_STORE = {"Cache-Control": {"description": "Always `no-store`.", "schema": {"type": "string"}}}


def add_paths(spec: APISpec) -> None:
    """/api/subscriptions and /api/subscriptions/{id}: admin only."""
    common = {"tags": ["subscriptions"], "security": [{"bearer": []}]}
    created = json_response(ref("Subscription"), "Created; `Location` names it.")
    spec.path(
        path="/api/subscriptions",
        operations={
            "get": {
                **common,
                "summary": "Admin: every reminder subscription, targets masked, with delivery counts.",
                "responses": {"200": json_response(ref("SubscriptionList"), "The list."), **ADMIN_ERRORS},
            },
            "post": {
                **common,
                "summary": "Admin: subscribe Apprise targets to reminders and/or a digest.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("SubscriptionInput")}},
                },
                "responses": {
                    "201": {**created, "headers": {"Location": {"schema": {"type": "string"}}, **NO_STORE}},
                    "400": error("Invalid input; the message never repeats a URL."),
                    **ADMIN_ERRORS,
                },
            },
        },
    )  # fmt: skip
    spec.path(
        path="/api/subscriptions/{id}",
        operations={
            "get": {
                **common,
                "summary": "Admin: one subscription, targets masked, with delivery counts.",
                "parameters": [SUBSCRIPTION_ID],
                "responses": {
                    "200": json_response(ref("Subscription"), "The subscription."),
                    "404": error("No subscription with this id."),
                    **ADMIN_ERRORS,
                },
            },
            "delete": {
                **common,
                "summary": "Admin: remove the subscription and its pending deliveries.",
                "parameters": [SUBSCRIPTION_ID],
                "responses": {
                    "204": {"description": "Removed."},
                    "404": error("No subscription with this id."),
                    **ADMIN_ERRORS,
                },
            },
        },
    )  # fmt: skip
