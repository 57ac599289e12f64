"""Small builders shared by the OpenAPI modules (openapi, openapi_documents, openapi_subscriptions)."""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    """A reference to a schema under components/schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def json_response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    """A response whose body is the common JSON error object."""
    return json_response(ref("Error"), description)


ADMIN_ERRORS = {
    "401": error("No valid bearer token (`Authorization: Bearer $CALENDAR_SVC_ADMIN_TOKEN`)."),
    "429": error("Too many admin requests from this client."),
    "503": error("The admin API is disabled: no admin token is configured."),
}
