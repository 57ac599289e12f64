"""Ingested documents: listing them, and retracting one (docs/identity.md, "Retracting a document").

Retracting a document removes its mentions. Each event it mentioned is then re-derived from the mentions
left, replaying the rules ingest follows ("Which mention decides") over the stored reading of each
mention (`event_sources.reading`), oldest document first. An event no other document mentions is
cancelled: it keeps its uid, dates and title, so feeds carry it as CANCELLED for the grace period and
subscribers' calendars drop it. Every visible change bumps SEQUENCE and is an `event_changes` row naming
the retracted document, so feeds, ETags and change notices follow as for any ingest. The event's tags
are re-derived too: the countries (with their reasons) and processes of the mentions left, as ingest
gathers them (mentions stored before readings kept tags leave the tags as they are). Ingesting the
document again re-activates it and re-derives its events the same way (same uids).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from calendar_svc.clock import Clock, system_clock
from calendar_svc.config import Settings
from calendar_svc.feed_texts import store_for_bases
from calendar_svc.fetch import shown_url
from calendar_svc.ingest import VISIBLE_FIELDS, _bump_catalog, _jsonable
from calendar_svc.models import Document, Event, EventChange, EventCountry, EventProcess, EventSource
from calendar_svc.serialize import iso_moment
from parsers.catalogue import canonical_slug

log = logging.getLogger(__name__)

ACTIVE, RETRACTED = "active", "retracted"
_DATE_FIELDS = ("date_text", "start", "end", "precision", "tentative")


class DocumentNotFound(LookupError):
    """No document with that id."""


@dataclass
class RetractSummary:
    """What a retraction did."""

    document: dict[str, Any]
    status: str = "retracted"  # retracted | unchanged (it was retracted already)
    reverted: list[str] = field(default_factory=list)  # uids re-derived from other documents
    cancelled: list[str] = field(default_factory=list)  # uids no other document mentions
    unchanged: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "summary": {
                "status": self.status,
                "reverted": self.reverted,
                "cancelled": self.cancelled,
                "unchanged": self.unchanged,
            },
        }


# -- listing ----------------------------------------------------------------------------------------


def document_json(document: Document) -> dict[str, Any]:
    """A document as `GET /api/documents` lists it."""
    return {
        "id": document.id,
        "name": document.name,
        "sha256": document.sha256,
        "format": document.format,
        "layout": document.layout,
        "title": document.title,
        "document_date": document.document_date.isoformat() if document.document_date else None,
        "ingested_at": iso_moment(document.ingested_at),
        "source_url": shown_url(document.source_url) if document.source_url else None,
        "events": document.event_count,
        "warnings": list(document.warnings or []),
        "state": document.state,
        "retracted_at": iso_moment(document.retracted_at) if document.retracted_at else None,
    }


def list_documents(session: Session) -> list[Document]:
    """Every document, newest ingest first."""
    return list(session.scalars(select(Document).order_by(Document.ingested_at.desc(), Document.id.desc())))


def record_details(session: Session, merger: Any, content: bytes, source_url: str | None) -> None:
    """After ingest merged a document (`merger`: calendar_svc.ingest._Merger), in its transaction:
    record its format, warnings and source URL. A retracted document becomes active again and the
    events its mentions matched are re-derived with them (restored, same uids)."""
    from parsers.formats import sniff

    name = merger.parsed.name
    document = session.scalar(select(Document).where(Document.name == name))
    document.format = sniff(content)
    document.warnings = list(merger.summary.warnings)
    if source_url:
        document.source_url = source_url
    if document.state != RETRACTED:
        return
    document.state, document.retracted_at = ACTIVE, None
    session.flush()
    states = {event.uid: state for event, state in merger.touched.items()}
    outcome = rederive(session, [event.id for event in merger.touched], merger.now, name, retracted=False)
    restored = [uid for uid in outcome["reverted"] if states.get(uid) == "unchanged"]
    merger.summary.updated += len(restored)
    merger.summary.unchanged -= len(restored)
    if outcome["reverted"]:
        _bump_catalog(session, merger.now)
        session.flush()
        store_for_bases(session.connection(), [event.id for event in merger.touched], Settings().base_url)


# -- retraction ---------------------------------------------------------------------------------------


def retract(
    sessions: sessionmaker[Session], document_id: int, *, clock: Clock = system_clock
) -> RetractSummary:
    """Retract a document in one transaction (see the module docstring). Raises DocumentNotFound."""
    now = clock()
    with sessions.begin() as session:
        document = session.get(Document, document_id, with_for_update=True)
        if document is None:
            raise DocumentNotFound(document_id)
        if document.state == RETRACTED:
            return RetractSummary(document_json(document), status="unchanged")
        mentioned = select(EventSource.event_id).where(EventSource.document == document.name)
        event_ids = list(session.scalars(mentioned.distinct()))
        session.execute(delete(EventSource).where(EventSource.document == document.name))
        document.state, document.retracted_at = RETRACTED, now
        summary = RetractSummary({})
        outcome = rederive(session, event_ids, now, document.name, retracted=True)
        summary.reverted, summary.cancelled = outcome["reverted"], outcome["cancelled"]
        summary.unchanged = len(event_ids) - len(summary.reverted) - len(summary.cancelled)
        _bump_catalog(session, now)
        session.flush()  # the revision triggers run: the stored feed text is rendered from what is stored
        store_for_bases(session.connection(), event_ids, Settings().base_url)
        summary.document = document_json(document)
    log.info(
        "retracted document %s: %d reverted, %d cancelled",
        summary.document["name"], len(summary.reverted), len(summary.cancelled),
    )  # fmt: skip
    return summary


def rederive(
    session: Session, event_ids: Iterable[int], now: dt.datetime, document: str, *, retracted: bool
) -> dict[str, list[str]]:
    """Bring events to what their mentions (of active documents) say; a change is recorded as caused
    by `document`. With `retracted`, events left without mentions are cancelled. Returns the uids of
    the events that changed, as `reverted` and `cancelled`."""
    ids = sorted(set(event_ids))
    if not ids:
        return {"reverted": [], "cancelled": []}
    events = session.scalars(
        select(Event)
        .where(Event.id.in_(ids))
        .options(selectinload(Event.sources), selectinload(Event.changes))
    ).all()
    names = {s.document for e in events for s in e.sources}
    documents = {d.name: d for d in session.scalars(select(Document).where(Document.name.in_(names)))}
    outcome: dict[str, list[str]] = {"reverted": [], "cancelled": []}
    for event in events:
        mentions = [_Mention.of(s, documents[s.document]) for s in event.sources if s.document in documents]
        if not mentions:
            if retracted and _apply(event, {"status": "cancelled"}, now, document, retracted):
                outcome["cancelled"].append(event.uid)
            continue
        if any(m.reading is None for m in mentions):
            wanted = _undo_changes(event, document) if retracted else {}  # mentions stored before 0006
        else:
            wanted = derive(mentions)
            if all("countries" in m.reading for m in mentions if m.reading is not None):
                _retag(event, *derive_tags(mentions))
        if _apply(event, wanted, now, document, retracted):
            outcome["reverted"].append(event.uid)
    return outcome


@dataclass(frozen=True)
class _Mention:
    """A stored mention with what replaying needs of its document."""

    document: str
    doc_date: dt.date | None
    doc_id: int
    layout: str
    page: int
    line: int
    reading: dict[str, Any] | None

    @classmethod
    def of(cls, source: EventSource, document: Document) -> _Mention:
        return cls(
            source.document, document.document_date, document.id, document.layout, source.page, source.line,
            _decoded(source.reading) if source.reading else None,
        )  # fmt: skip

    def order(self) -> tuple:
        return (self.doc_date or dt.date.min, self.doc_id, self.page, self.line)


def _decoded(reading: dict[str, Any]) -> dict[str, Any]:
    """A stored reading with its dates as dates."""
    return {k: dt.date.fromisoformat(v) if k in ("start", "end") and v else v for k, v in reading.items()}


def derive(mentions: list[_Mention]) -> dict[str, Any]:
    """What an event looks like given these mentions: ingest's rules replayed, oldest document first."""
    ordered = sorted(mentions, key=_Mention.order)
    first = ordered[0]
    assert first.reading is not None
    state: dict[str, Any] = dict(first.reading)
    state["dated_by"] = first.doc_date
    layouts = {first.document: first.layout}
    for mention in ordered[1:]:
        incoming = mention.reading
        assert incoming is not None
        dated_by = state["dated_by"]
        if mention.doc_date is not None and (dated_by is None or mention.doc_date > dated_by):
            state.update(dated_by=mention.doc_date, deadline=incoming["deadline"], edtf=incoming["edtf"])
            wanted = {k: incoming[k] for k in VISIBLE_FIELDS if incoming[k] not in (None, "")}
            wanted.pop("title", None)
            if mention.layout in {layout for name, layout in layouts.items() if name != mention.document}:
                wanted["title"] = incoming["title"]
            elif _coarser(incoming, state):
                for name in _DATE_FIELDS:
                    wanted.pop(name, None)
            state.update(wanted)
        elif mention.document == first.document and (incoming["end"] - incoming["start"]) < (
            state["end"] - state["start"]
        ):
            state.update({k: incoming[k] for k in ("date_text", "start", "end", "precision")})
        for name in ("description", "location"):
            if not state[name] and incoming[name]:
                state[name] = incoming[name]
        layouts.setdefault(mention.document, mention.layout)
    return {k: state[k] for k in (*VISIBLE_FIELDS, "dated_by", "deadline", "edtf")}


def derive_tags(mentions: list[_Mention]) -> tuple[dict[str, list[str]], list[str]]:
    """The event's tags given these mentions, as ingest gathers them: every mention's countries, each with
    its reasons in first-seen order (oldest document first), and every mention's processes."""
    countries: dict[str, list[str]] = {}
    processes: dict[str, None] = {}
    for mention in sorted(mentions, key=_Mention.order):
        assert mention.reading is not None
        for code, reasons in mention.reading["countries"].items():
            have = countries.setdefault(code, [])
            have.extend(r for r in reasons if r not in have)
        processes.update(dict.fromkeys(canonical_slug(slug) for slug in mention.reading["processes"]))
    return countries, list(processes)


def _retag(event: Event, countries: dict[str, list[str]], processes: list[str]) -> None:
    """Make the event's stored tags these (rows added, removed, reasons rewritten)."""
    event.countries[:] = [c for c in event.countries if c.code in countries]
    have = {c.code: c for c in event.countries}
    for code, reasons in countries.items():
        row = have.get(code) or EventCountry(code=code)
        if code not in have:
            event.countries.append(row)
        if (row.reasons or "") != ",".join(reasons):
            row.reasons = ",".join(reasons)
    event.processes[:] = [p for p in event.processes if p.slug in processes]
    present = {p.slug for p in event.processes}
    event.processes.extend(EventProcess(slug=slug) for slug in processes if slug not in present)


def _coarser(incoming: dict[str, Any], state: dict[str, Any]) -> bool:
    start, end = incoming["start"], incoming["end"]
    return start <= state["start"] and end >= state["end"] and (start, end) != (state["start"], state["end"])


def _undo_changes(event: Event, document: str) -> dict[str, Any]:
    """For events resting on mentions without a stored reading: undo the visible changes `document`
    made, newest first, where no later change overwrote them."""
    wanted: dict[str, Any] = {}
    for change in reversed(event.changes):
        if change.document != document:
            continue
        for name, (old, new) in change.fields.items():
            current = _jsonable(wanted.get(name, getattr(event, name)))
            if name in VISIBLE_FIELDS and current == new:
                wanted[name] = dt.date.fromisoformat(old) if name in ("start", "end") and old else old
    return wanted


def _apply(event: Event, wanted: dict[str, Any], now: dt.datetime, document: str, retracted: bool) -> bool:
    """Set the wanted values; True (and SEQUENCE bumped, change recorded) when a visible one changed.
    The history row says why: `"document": [name, "retracted"]`, or `["retracted", name]` when the
    document came back."""
    for name in ("dated_by", "deadline", "edtf"):
        if name in wanted:
            setattr(event, name, wanted[name])
    diff = {
        k: (getattr(event, k), v) for k, v in wanted.items() if k in VISIBLE_FIELDS and getattr(event, k) != v
    }
    if not diff:
        return False
    for name, (_old, new) in diff.items():
        setattr(event, name, new)
    event.sequence += 1
    event.last_modified = now
    event.changes.append(
        EventChange(
            changed_at=now,
            document=document,
            kind="updated",
            sequence=event.sequence,
            fields={
                **{k: [_jsonable(o), _jsonable(n)] for k, (o, n) in diff.items()},
                "document": [document, RETRACTED] if retracted else [RETRACTED, document],
            },
        )
    )
    return True
