"""Stored events to the public JSON event object (docs/api.md, "The event object")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from calendar_svc.models import Event, EventSource
from parsers.summaries import summarize


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def iso_moment(moment: dt.datetime) -> str:
    return aware(moment).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class HistoryEntry:
    changed_at: dt.datetime
    document: str
    kind: str  # created | updated
    sequence: int
    fields: dict


def change_history(event: Event) -> list[HistoryEntry]:
    """The event's changes, oldest first. Creation is not stored as a row (ingest writes one row per
    event otherwise): it is derived from `created_at` and the first source that named the event."""
    entries = [
        HistoryEntry(aware(c.changed_at), c.document, c.kind, c.sequence, c.fields) for c in event.changes
    ]
    if not entries or entries[0].kind != "created":
        first = min(event.sources, key=lambda s: s.id).document if event.sources else ""
        entries.insert(0, HistoryEntry(aware(event.created_at), first, "created", 0, {}))
    return entries


def sorted_sources(event: Event) -> list[EventSource]:
    """The event's mentions in document, page, line order."""
    return sorted(event.sources, key=lambda s: (s.document, s.page, s.line))


def source_json(source: EventSource) -> dict[str, Any]:
    """A mention: document, line, section, and the page when the document has pages (PDF)."""
    data: dict[str, Any] = {"document": source.document, "line": source.line, "section": source.section}
    if source.page:
        data["page"] = source.page
    return data


def country_reasons(event: Event) -> dict[str, list[str]]:
    """Why the event carries each country: {"BF": ["venue"], "MA": ["section", "participant"]}; a country
    stored before reasons were kept has an empty list."""
    reasons = {c.code: [r for r in (c.reasons or "").split(",") if r] for c in event.countries}
    return dict(sorted(reasons.items()))


def event_summary(event: Event, *, known: Collection[str] = (), located: bool = True) -> str:
    """The title with the context it needs on its own (parsers/summaries.py): the feed SUMMARY and the
    event page's heading. `known`: country codes and process slugs the reader has already (the country's
    or process's page the event is listed on), left out of the context; `located=False`: without the
    location (for messages that state it on a line of its own)."""
    return summarize(
        event.title,
        countries=sorted(c.code for c in event.countries if c.code not in known),
        processes=sorted(p.slug for p in event.processes if p.slug not in known),
        location=event.location if located else None,
    )


def event_json(event: Event, *, history: bool = False, base_url: str | None = None) -> dict[str, Any]:
    """The event object: the public fields first, then revision fields and links."""
    data: dict[str, Any] = {
        "uid": event.uid,
        "title": event.title,
        # stored with the feed text (`queries.plain_events`) for the event's revision, else computed
        "summary": getattr(event, "stored_summary", None) or event_summary(event),
        "description": event.description or "",
        "date_text": event.date_text,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "precision": event.precision,
        "tentative": bool(event.tentative),
        "status": event.status,
        "location": event.location,
        "countries": sorted(c.code for c in event.countries),
        "country_reasons": country_reasons(event),
        "processes": sorted(p.slug for p in event.processes),
        "sources": [source_json(s) for s in sorted_sources(event)],
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
                "changed_at": iso_moment(entry.changed_at),
                "document": entry.document,
                "kind": entry.kind,
                "sequence": entry.sequence,
                "fields": entry.fields,
            }
            for entry in change_history(event)
        ]
    return data
