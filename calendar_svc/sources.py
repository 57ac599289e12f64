"""Configured sources (CALENDAR_SVC_SOURCES): documents re-fetched on a schedule by `calendar-svc sources`.

Each pass asks every source URL for its document with the validators of the last response (If-None-Match,
If-Modified-Since). A 304, or a body with the stored SHA-256, ingests nothing. A document an admin
retracted stays retracted while the source serves the same bytes; a changed document is ingested.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from calendar_svc.clock import Clock, system_clock
from calendar_svc.fetch import FetchError, IntakePolicy, fetch, shown_url
from calendar_svc.ingest import DocumentSummary, ingest_bytes
from calendar_svc.intake import remember_validators
from calendar_svc.models import Document

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceResult:
    """What one pass did with one source: not-modified | unchanged | retracted | ingested | failed."""

    url: str
    outcome: str
    summary: DocumentSummary | None = None
    error: str | None = None

    def line(self) -> str:
        detail = self.summary.line() if self.summary else (self.error or "")
        return f"{self.outcome}: {shown_url(self.url)}" + (f" - {detail}" if detail else "")


def poll_source(
    sessions: sessionmaker[Session], url: str, policy: IntakePolicy, *, clock: Clock = system_clock
) -> SourceResult:
    """Fetch one source (conditionally) and ingest its document when its content changed."""
    with sessions() as session:
        stored = session.scalars(
            select(Document).where(Document.source_url == url).order_by(Document.ingested_at.desc())
        ).first()
        etag, modified = (stored.http_etag, stored.http_last_modified) if stored else (None, None)
    try:
        fetched = fetch(url, policy, etag=etag, last_modified=modified)
    except FetchError as exc:
        log.warning("source %s: %s", shown_url(url), exc.reason)
        return SourceResult(url, "failed", error=exc.reason)
    if fetched.content is None:
        return SourceResult(url, "not-modified")
    digest = hashlib.sha256(fetched.content).hexdigest()
    with sessions() as session:
        stored_copy = select(Document).where(Document.name == fetched.name, Document.sha256 == digest)
        same = session.scalar(stored_copy)
        retracted = same is not None and same.state == "retracted"
    if same is not None:
        remember_validators(sessions, fetched.name, fetched.etag, fetched.last_modified)
        return SourceResult(url, "retracted" if retracted else "unchanged")
    summary = ingest_bytes(sessions, fetched.name, fetched.content, clock=clock, source_url=url)
    if summary.status == "failed":
        return SourceResult(url, "failed", summary, summary.error)
    remember_validators(sessions, fetched.name, fetched.etag, fetched.last_modified)
    return SourceResult(url, "ingested", summary)


def poll_sources(
    sessions: sessionmaker[Session], policy: IntakePolicy, *, clock: Clock = system_clock
) -> list[SourceResult]:
    """One pass over every configured source; a failing source does not stop the others."""
    return [poll_source(sessions, url, policy, clock=clock) for url in policy.sources]
