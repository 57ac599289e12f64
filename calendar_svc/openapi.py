"""The OpenAPI 3 description of the HTTP API, generated with apispec from the parameter declarations
the views validate with (calendar_svc/web/params.py), so the document and the behaviour agree."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from apispec import APISpec

from calendar_svc import openapi_documents, openapi_subscriptions
from calendar_svc.openapi_parts import error, json_response, nullable, ref
from calendar_svc.queries import STATUSES
from calendar_svc.web.params import (
    EVENT_PARAMS,
    FEED_PARAMS,
    MAX_LIMIT,
    country_codes,
    process_slugs,
)

PRECISIONS = ("day", "days", "month", "months", "quarter", "season", "half", "year", "multi", "relative")


SCHEMAS: dict[str, dict[str, Any]] = {
    "Source": {
        "type": "object",
        "required": ["document", "line", "section"],
        "properties": {
            "document": {"type": "string", "description": "Source document file name."},
            "line": {
                "type": "integer",
                "description": "Line of the mention in the document (on its page, when `page` is given).",
            },
            "section": nullable({"type": "string", "description": "Section heading of the mention."}),
            "page": {
                "type": "integer",
                "minimum": 1,
                "description": "Page of the mention, for documents with pages (PDF); absent otherwise.",
            },
        },
    },
    "Event": {
        "type": "object",
        "description": "One real-world event, however many places mention it. Dates are inclusive.",
        "required": [
            "uid", "title", "summary", "description", "date_text", "start", "end", "precision",
            "tentative", "status", "location", "countries", "processes", "sources",
        ],
        "properties": {
            "uid": {"type": "string", "description": "Stable id, unchanged by re-ingest and newer editions."},
            "title": {"type": "string", "description": "The event's name as the document writes it."},
            "summary": {
                "type": "string",
                "minLength": 1,
                "description": "The title with the context it needs on its own: the process, else the "
                "partner countries, in front when the title names none of them, and the location after it "
                "('Rabat Process – Steering Committee, Ouagadougou'). The feed SUMMARY and the page heading.",
            },
            "description": {"type": "string"},
            "date_text": {"type": "string", "description": "The date as the document writes it."},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "precision": {"type": "string", "enum": list(PRECISIONS)},
            "tentative": {"type": "boolean"},
            "status": {"type": "string", "enum": list(STATUSES)},
            "location": nullable({"type": "string"}),
            "countries": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
            "country_reasons": {
                "type": "object",
                "description": "Why each country is tagged: the section the event is listed under, the venue "
                "(held in a partner country) or a participant / subject named in the title.",
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "string", "enum": ["section", "venue", "participant"]},
                },
            },
            "processes": {"type": "array", "items": {"type": "string"}},
            "sources": {"type": "array", "items": ref("Source")},
            "edtf": nullable({"type": "string", "description": "The window in EDTF (ISO 8601-2)."}),
            "deadline": {"type": "boolean", "description": "The date is a deadline ('by June 2025')."},
            "sequence": {"type": "integer", "minimum": 0, "description": "Goes up on visible changes."},
            "last_modified": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "description": "The event's HTML page."},
        },
    },
    "Change": {
        "type": "object",
        "required": ["changed_at", "document", "kind", "sequence", "fields"],
        "properties": {
            "changed_at": {"type": "string", "format": "date-time"},
            "document": {"type": "string"},
            "kind": {"type": "string", "enum": ["created", "updated"]},
            "sequence": {"type": "integer", "minimum": 0},
            "fields": {
                "type": "object",
                "description": "field -> [old, new]",
                "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2, "items": {}},
            },
        },
    },
    "EventWithHistory": {
        "allOf": [
            ref("Event"),
            {
                "type": "object",
                "required": ["history"],
                "properties": {"history": {"type": "array", "items": ref("Change")}},
            },
        ]
    },
    "EventPage": {
        "type": "object",
        "required": ["events", "next"],
        "properties": {
            "events": {"type": "array", "maxItems": MAX_LIMIT, "items": ref("Event")},
            "next": nullable(
                {"type": "string", "description": "Full URL of the next page; null on the last page."}
            ),
        },
    },
    "Country": {
        "type": "object",
        "required": ["code", "name", "event_count", "feed_url"],
        "properties": {
            "code": {"type": "string", "enum": list(country_codes())},
            "name": {"type": "string"},
            "event_count": {"type": "integer", "minimum": 1},
            "feed_url": {"type": "string"},
            "page_url": {"type": "string"},
        },
    },
    "Process": {
        "type": "object",
        "required": ["slug", "name", "event_count", "feed_url"],
        "properties": {
            "slug": {"type": "string", "enum": list(process_slugs())},
            "name": {"type": "string"},
            "event_count": {"type": "integer", "minimum": 0},
            "feed_url": {"type": "string"},
            "page_url": {"type": "string"},
        },
    },
    "CatalogChange": {
        "type": "object",
        "required": ["uid", "title", "kind", "changed_at", "document", "sequence", "fields", "url"],
        "properties": {
            "uid": {"type": "string"},
            "title": {"type": "string"},
            "kind": {"type": "string", "enum": ["created", "updated"]},
            "changed_at": {"type": "string", "format": "date-time"},
            "document": {"type": "string"},
            "sequence": {"type": "integer", "minimum": 0},
            "fields": {
                "type": "object",
                "description": "Changed fields as {name: [old, new]}; empty for created events.",
                "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2},
            },
            "url": {"type": "string"},
        },
    },
    "ChangeList": {
        "type": "object",
        "required": ["since", "changes"],
        "properties": {
            "since": {"type": "string", "format": "date-time"},
            "changes": {"type": "array", "items": {"$ref": "#/components/schemas/CatalogChange"}},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "message", "status"],
        "properties": {
            "error": {"type": "string", "description": "HTTP reason phrase."},
            "message": {"type": "string"},
            "status": {"type": "integer"},
            "parameter": {"type": "string", "description": "The offending parameter (400 only)."},
        },
    },
}

ISO_MOMENT_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
ETAG_HEADER = {"description": "Strong validator over the exact response bytes.", "schema": {"type": "string"}}


NOT_MODIFIED = {"description": "Not modified (If-None-Match matched the ETag)."}
BAD_PARAMS = error("A parameter is invalid, repeated or unknown; `parameter` names it.")


def _feed_operation(summary: str, path_params: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "summary": summary,
        "tags": ["feeds"],
        "parameters": path_params + [p.openapi() for p in FEED_PARAMS],
        "responses": {
            "200": {
                "description": "The iCalendar feed (RFC 5545), gzip-encoded when Accept-Encoding allows.",
                "headers": {
                    "ETag": ETAG_HEADER,
                    "Last-Modified": {
                        "description": "When the feed's content last changed; never moves backwards.",
                        "schema": {"type": "string"},
                    },
                },
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            },
            "304": {"description": "Not modified (If-None-Match, or If-Modified-Since without it)."},
            "400": BAD_PARAMS,
            "404": error("Unknown country code or process slug."),
        },
    }


def openapi_spec() -> dict[str, Any]:
    try:
        package_version = version("calendar-svc")
    except PackageNotFoundError:  # pragma: no cover
        package_version = "0"
    spec = APISpec(
        title="calendar-svc",
        version=package_version,
        openapi_version="3.0.3",
        info={
            "description": (
                "Calendars of the EU's migration dialogues: JSON API and iCalendar feeds. "
                "Every parameter is validated; bad values get 400 with a JSON error naming the parameter. "
                "See docs/api.md."
            )
        },
        tags=[{"name": name} for name in ("events", "feeds", "documents", "subscriptions", "meta")],
    )
    for name, schema in {**SCHEMAS, **openapi_documents.SCHEMAS, **openapi_subscriptions.SCHEMAS}.items():
        spec.components.schema(name, schema)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})

    spec.path(
        path="/api/events",
        operations={
            "get": {
                "summary": "Events, filtered, in (start, uid) order, with cursor pagination.",
                "tags": ["events"],
                "parameters": [p.openapi() for p in EVENT_PARAMS],
                "responses": {
                    "200": json_response(ref("EventPage"), "One page of events."),
                    "304": NOT_MODIFIED,
                    "400": BAD_PARAMS,
                },
            }
        },
    )
    spec.path(
        path="/api/events/{uid}",
        operations={
            "get": {
                "summary": "One event with its change history.",
                "tags": ["events"],
                "parameters": [
                    {
                        "name": "uid",
                        "in": "path",
                        "required": True,
                        "description": "The event's uid.",
                        "schema": {"type": "string", "minLength": 1},
                    }
                ],
                "responses": {
                    "200": json_response(ref("EventWithHistory"), "The event."),
                    "304": NOT_MODIFIED,
                    "404": error("No event with this uid."),
                },
            }
        },
    )
    for path, item, summary in (
        ("/api/countries", "Country", "Countries that have events, with event counts and feed URLs."),
        ("/api/processes", "Process", "Every known process, with event counts and feed URLs."),
    ):
        spec.path(
            path=path,
            operations={
                "get": {
                    "summary": summary,
                    "tags": ["events"],
                    "responses": {
                        "200": json_response({"type": "array", "items": ref(item)}, summary),
                        "304": NOT_MODIFIED,
                        "400": error("The endpoint takes no query parameters."),
                    },
                }
            },
        )
    spec.path(
        path="/api/changes",
        operations={
            "get": {
                "summary": "What changed after `since` (exclusive), oldest first, for clients that poll.",
                "tags": ["events"],
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "required": True,
                        "description": "ISO 8601 date or datetime (UTC when no offset is given).",
                        "schema": {
                            "type": "string",
                            "pattern": ISO_MOMENT_PATTERN,
                        },
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "description": "At most this many changes (default and maximum 1000).",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                ],
                "responses": {
                    "200": json_response(ref("ChangeList"), "Changes in the order they happened."),
                    "400": error("A parameter is missing or invalid."),
                },
            }
        },
    )
    spec.path(
        path="/openapi.json",
        operations={
            "get": {
                "summary": "This document.",
                "tags": ["meta"],
                "responses": {
                    "200": json_response({"type": "object"}, "OpenAPI 3 description."),
                    "304": NOT_MODIFIED,
                },
            }
        },
    )
    spec.path(path="/feeds/all.ics", operations={"get": _feed_operation("All events as one feed.", [])})
    spec.path(
        path="/feeds/countries/{code}.ics",
        operations={
            "get": _feed_operation(
                "One country's feed. Any ISO 3166-1 alpha-2 code (upper case) has a feed, empty when the "
                "country has no events.",
                [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "description": "ISO 3166-1 alpha-2 code, upper case (Kosovo: XK).",
                        "schema": {"type": "string", "enum": list(country_codes())},
                    }
                ],
            )
        },
    )
    spec.path(
        path="/feeds/processes/{slug}.ics",
        operations={
            "get": _feed_operation(
                "One regional process's feed (empty when it has no events).",
                [
                    {
                        "name": "slug",
                        "in": "path",
                        "required": True,
                        "description": "Process slug.",
                        "schema": {"type": "string", "enum": list(process_slugs())},
                    }
                ],
            )
        },
    )
    openapi_documents.add_paths(spec)
    openapi_subscriptions.add_paths(spec)
    return spec.to_dict()
