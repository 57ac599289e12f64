"""Stored events to the public JSON event object (see INTERFACE.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from calendar_svc.models import Event


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def iso_moment(moment: dt.datetime) -> str:
    return aware(moment).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def event_json(event: Event, *, history: bool = False, base_url: str | None = None) -> dict[str, Any]:
    """The event object: INTERFACE.md fields first, then revision fields and links."""
    data: dict[str, Any] = {
        "uid": event.uid,
        "title": event.title,
        "description": event.description or "",
        "date_text": event.date_text,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "precision": event.precision,
        "tentative": bool(event.tentative),
        "status": event.status,
        "location": event.location,
        "countries": sorted(c.code for c in event.countries),
        "processes": sorted(p.slug for p in event.processes),
        "sources": [
            {"document": s.document, "line": s.line, "section": s.section}
            for s in sorted(event.sources, key=lambda s: (s.document, s.line))
        ],
        "edtf": event.edtf,
        "deadline": bool(event.deadline),
        "sequence": event.sequence,
        "last_modified": iso_moment(event.last_modified),
    }
    if base_url is not None:
        data["url"] = f"{base_url.rstrip('/')}/events/{event.uid}"
    if history:
        data["history"] = [
            {
                "changed_at": iso_moment(c.changed_at),
                "document": c.document,
                "kind": c.kind,
                "sequence": c.sequence,
                "fields": c.fields,
            }
            for c in event.changes
        ]
    return data
