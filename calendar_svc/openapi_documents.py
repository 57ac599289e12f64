"""The documents part of the OpenAPI description (calendar_svc/web/documents.py; docs/api.md, "Documents")."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from calendar_svc.openapi_parts import ADMIN_ERRORS, error, json_response, nullable, ref

MAX_ID = 2147483647


SCHEMAS: dict[str, dict[str, Any]] = {
    "Document": {
        "type": "object",
        "required": [
            "id",
            "name",
            "sha256",
            "format",
            "layout",
            "document_date",
            "ingested_at",
            "source_url",
            "events",
            "warnings",
            "state",
        ],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "name": {"type": "string", "description": "Document name (uploaded file name, or from the URL)."},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "format": nullable(
                {
                    "type": "string",
                    "enum": ["pdf", "docx", "html", "text"],
                    "description": "Sniffed from the content; null if stored before.",
                }
            ),
            "layout": {"type": "string"},
            "title": nullable({"type": "string"}),
            "document_date": nullable({"type": "string", "format": "date"}),
            "ingested_at": {"type": "string", "format": "date-time"},
            "source_url": nullable(
                {
                    "type": "string",
                    "description": "The URL it was fetched from, without query or credentials.",
                }
            ),
            "events": {"type": "integer", "minimum": 0, "description": "Events it mentioned when ingested."},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "state": {"type": "string", "enum": ["active", "retracted"]},
            "retracted_at": nullable({"type": "string", "format": "date-time"}),
        },
    },  # fmt: skip
    "DocumentList": {
        "type": "object",
        "required": ["documents"],
        "properties": {"documents": {"type": "array", "items": ref("Document")}},
    },
    "IngestSummary": {
        "type": "object",
        "required": [
            "status",
            "layout",
            "document_date",
            "events",
            "new",
            "updated",
            "unchanged",
            "changes",
            "warnings",
        ],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "unchanged"]},
            "layout": {"type": "string"},
            "document_date": nullable({"type": "string", "format": "date"}),
            "events": {"type": "integer", "minimum": 0},
            "new": {"type": "integer", "minimum": 0},
            "updated": {"type": "integer", "minimum": 0},
            "unchanged": {"type": "integer", "minimum": 0},
            "changes": {
                "type": "array",
                "description": "Visible changes this ingest made to events already stored.",
                "items": {
                    "type": "object",
                    "required": ["uid", "title", "sequence", "fields"],
                    "properties": {
                        "uid": {"type": "string"},
                        "title": {"type": "string"},
                        "sequence": {"type": "integer", "minimum": 0},
                        "fields": {"type": "object", "description": "field -> [old, new]"},
                    },
                },
            },
            "warnings": {"type": "array", "items": {"type": "string"}},
            "ambiguous": {"type": "array", "items": {"type": "string"}},
        },
    },  # fmt: skip
    "IngestResult": {
        "type": "object",
        "required": ["document", "summary"],
        "properties": {"document": ref("Document"), "summary": ref("IngestSummary")},
    },
    "RetractResult": {
        "type": "object",
        "required": ["document", "summary"],
        "properties": {
            "document": ref("Document"),
            "summary": {
                "type": "object",
                "required": ["status", "reverted", "cancelled", "unchanged"],
                "properties": {
                    "status": {"type": "string", "enum": ["retracted", "unchanged"]},
                    "reverted": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Uids of events back to what the other documents say.",
                    },
                    "cancelled": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Uids of events no other document mentions, now cancelled.",
                    },
                    "unchanged": {"type": "integer", "minimum": 0},
                },
            },
        },
    },  # fmt: skip
}

DOCUMENT_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The document's id.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}


def add_paths(spec: APISpec) -> None:
    """/api/documents and /api/documents/{id}."""
    spec.path(
        path="/api/documents",
        operations={
            "get": {
                "summary": "Every ingested document, newest ingest first, active and retracted.",
                "tags": ["documents"],
                "responses": {"200": json_response(ref("DocumentList"), "The documents.")},
            },
            "post": {
                "summary": "Admin: ingest a document, uploaded (multipart field `file`) or fetched by URL.",
                "tags": ["documents"],
                "security": [{"bearer": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {"file": {"type": "string", "format": "binary"}},
                            }
                        },
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["url"],
                                "properties": {"url": {"type": "string", "description": "An https:// URL."}},
                            }
                        },
                    },
                },
                "responses": {
                    "201": json_response(ref("IngestResult"), "Stored: a new document or a new version."),
                    "200": json_response(ref("IngestResult"), "Stored already, same content: no change."),
                    "400": error("No file / URL, or a URL that may not be fetched (scheme, address)."),
                    "413": error("Larger than CALENDAR_SVC_MAX_DOCUMENT_BYTES."),
                    "415": error("Empty, or not PDF, DOCX, HTML or text."),
                    "422": error("The document could not be read (no layout, no events, broken file)."),
                    "502": error("The URL could not be fetched (unreachable, HTTP error, redirects)."),
                    **ADMIN_ERRORS,
                },
            },
        },
    )  # fmt: skip
    spec.path(
        path="/api/documents/{id}",
        operations={
            "get": {
                "summary": "One document.",
                "tags": ["documents"],
                "parameters": [DOCUMENT_ID],
                "responses": {
                    "200": json_response(ref("Document"), "The document."),
                    "404": error("No document with this id."),
                },
            },
            "delete": {
                "summary": "Admin: retract the document. Its events go back to what the other documents say; "
                "events only it mentioned are cancelled.",
                "tags": ["documents"],
                "security": [{"bearer": []}],
                "parameters": [DOCUMENT_ID],
                "responses": {
                    "200": json_response(ref("RetractResult"), "Retracted (or already: status unchanged)."),
                    "404": error("No document with this id."),
                    **ADMIN_ERRORS,
                },
            },
        },
    )  # fmt: skip
