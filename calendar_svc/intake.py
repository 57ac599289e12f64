"""One way in for documents from outside, whatever carries them (API upload, admin page, URL, the
sources worker): limits checked, ingested, and answered as `{"document": ..., "summary": ...}`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from calendar_svc.clock import Clock, system_clock
from calendar_svc.documents import document_json
from calendar_svc.fetch import FetchError, IntakePolicy, check_document, fetch
from calendar_svc.ingest import DocumentSummary, ingest_bytes
from calendar_svc.models import Document, Event, EventChange

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._- ")


@dataclass
class Outcome:
    """What taking in one document did: the HTTP status that says so, and the JSON body."""

    status: int  # 201 stored, 200 unchanged, 4xx/5xx refused or failed (nothing stored)
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status < 300


def upload_name(filename: str | None) -> str:
    """The document name of an uploaded file: its base name, reduced to safe characters."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c if c in _NAME_CHARS else "_" for c in base).strip(" ._")
    if not name:
        raise FetchError("the uploaded file has no name")
    return name[:200]


def take_bytes(
    sessions: sessionmaker[Session],
    name: str,
    content: bytes,
    policy: IntakePolicy,
    *,
    clock: Clock = system_clock,
    source_url: str | None = None,
) -> Outcome:
    """Check and ingest one document."""
    try:
        check_document(name, content, policy.max_bytes)
    except FetchError as exc:
        return refused(exc)
    with sessions() as session:
        floor = session.scalar(select(func.max(EventChange.id))) or 0
    summary = ingest_bytes(sessions, name, content, clock=clock, source_url=source_url)
    if summary.status == "failed":
        return Outcome(422, _error(422, f"{name}: {summary.error}; nothing was stored"))
    with sessions() as session:
        document = session.scalar(select(Document).where(Document.name == name))
        body = {"document": document_json(document), "summary": summary_json(session, summary, floor)}
    return Outcome(200 if summary.status == "unchanged" else 201, body)


def take_url(
    sessions: sessionmaker[Session], url: str, policy: IntakePolicy, *, clock: Clock = system_clock
) -> Outcome:
    """Fetch a document by URL under the policy and ingest it."""
    try:
        fetched = fetch(url, policy)
    except FetchError as exc:
        return refused(exc)
    assert fetched.content is not None
    outcome = take_bytes(sessions, fetched.name, fetched.content, policy, clock=clock, source_url=url)
    if outcome.ok:
        remember_validators(sessions, fetched.name, fetched.etag, fetched.last_modified)
    return outcome


def remember_validators(
    sessions: sessionmaker[Session], name: str, etag: str | None, last_modified: str | None
) -> None:
    """Keep a fetched document's ETag and Last-Modified for the next conditional request."""
    with sessions.begin() as session:
        document = session.scalar(select(Document).where(Document.name == name))
        if document is not None:
            document.http_etag, document.http_last_modified = etag, last_modified


def summary_json(session: Session, summary: DocumentSummary, changes_after: int) -> dict[str, Any]:
    """An ingest summary with the visible changes it made (history rows after `changes_after`)."""
    rows = session.execute(
        select(EventChange, Event.uid, Event.title)
        .join(Event, EventChange.event_id == Event.id)
        .where(EventChange.id > changes_after, EventChange.document == summary.name)
        .order_by(EventChange.id)
    ).all()
    return {
        "status": summary.status,
        "layout": summary.layout,
        "document_date": summary.document_date,
        "events": summary.events,
        "new": summary.new,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "changes": [
            {"uid": uid, "title": title, "sequence": change.sequence, "fields": change.fields}
            for change, uid, title in rows
        ],
        "warnings": list(summary.warnings),
        "ambiguous": list(summary.ambiguous),
    }


def refused(exc: FetchError) -> Outcome:
    return Outcome(exc.status, _error(exc.status, exc.reason))


def _error(status: int, message: str) -> dict[str, Any]:
    names = {400: "Bad Request", 413: "Content Too Large", 415: "Unsupported Media Type",
             422: "Unprocessable Content", 502: "Bad Gateway"}  # fmt: skip
    return {"error": names.get(status, "Error"), "message": message, "status": status}
