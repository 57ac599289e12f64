"""SQLAlchemy 2 models: documents, events, their sources, tags, change history and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    false,
    insert,
    inspect,
)
from sqlalchemy.event import listens_for
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from calendar_svc.terms import terms


class Base(DeclarativeBase):
    pass


class Document(Base):
    """One ingested source document (the newest version seen under its name)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    document_date: Mapped[dt.date | None] = mapped_column(Date)
    layout: Mapped[str] = mapped_column(String(40))
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # documents and retraction (calendar_svc/documents.py, migration 0006)
    format: Mapped[str | None] = mapped_column(String(10))  # pdf | docx | html | text, sniffed
    warnings: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    state: Mapped[str] = mapped_column(String(12), default="active", server_default="active")
    retracted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # fetched documents: where from, and the validators of the last response (conditional requests)
    source_url: Mapped[str | None] = mapped_column(Text, index=True)
    http_etag: Mapped[str | None] = mapped_column(Text)
    http_last_modified: Mapped[str | None] = mapped_column(Text)


class Event(Base):
    """One real-world event, possibly mentioned in several places."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    key: Mapped[str] = mapped_column(Text, index=True)  # canonical title used for matching
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    date_text: Mapped[str] = mapped_column(Text)
    start: Mapped[dt.date] = mapped_column(Date, index=True)
    end: Mapped[dt.date] = mapped_column(Date, index=True)
    precision: Mapped[str] = mapped_column(String(20))
    tentative: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    deadline: Mapped[bool] = mapped_column(Boolean, default=False)
    edtf: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    # Document date of the source whose dates the event carries: newer sources win.
    dated_by: Mapped[dt.date | None] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_modified: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # Bumped by database triggers on every change to the event or its sources and tags (migration 0005):
    # stored feed text is valid only for the revision it was rendered from (calendar_svc/feed_texts.py).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    sources: Mapped[list[EventSource]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventSource.id"
    )
    countries: Mapped[list[EventCountry]] = relationship(
        cascade="all, delete-orphan", order_by="EventCountry.code"
    )
    processes: Mapped[list[EventProcess]] = relationship(
        cascade="all, delete-orphan", order_by="EventProcess.slug"
    )
    changes: Mapped[list[EventChange]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventChange.id"
    )

    __table_args__ = (
        Index("ix_events_start_end", "start", "end"),
        # /api/events pages in (start, uid) order; "end" makes date-window filtering index-only
        Index("ix_events_start_uid_end", "start", "uid", "end"),
        # a country's or process's page: its event ids (the tag indexes) to their order keys and window
        # without reading the events' rows (migration 0015)
        Index("ix_events_id_start_uid_end", "id", "start", "uid", "end"),
    )


class EventTerm(Base):
    """A (title word, month) an event is filed under (calendar_svc.terms): a merge finds the stored events
    its mentions could match from these (calendar_svc.ingest). Written with the event on every flush
    that creates it or changes its key or dates (`_keep_terms`, below); deleted with it (migration 0016)."""

    __tablename__ = "event_terms"

    word: Mapped[str] = mapped_column(Text, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = {"sqlite_with_rowid": False}


class EventSource(Base):
    """Provenance: where a mention of the event was read."""

    __tablename__ = "event_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(255), index=True)
    # 1-based page of a paged format (PDF), with `line` counted on that page; 0 when the format has no
    # pages. 0 rather than NULL keeps the unique constraint below effective (NULLs never collide).
    page: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    line: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text, default="")
    date_text: Mapped[str] = mapped_column(Text, default="")
    # What this mention says (visible fields, deadline, edtf), so that retracting another document can
    # re-derive the event from the mentions left (calendar_svc/documents.py); NULL before migration 0006.
    reading: Mapped[dict | None] = mapped_column(JSON)

    event: Mapped[Event] = relationship(back_populates="sources")

    __table_args__ = (UniqueConstraint("event_id", "document", "page", "line", name="uq_source_mention"),)


class EventCountry(Base):
    __tablename__ = "event_countries"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)
    # why: "section", "venue", "participant", comma-separated (parsers.reasons); "" for rows stored before
    reasons: Mapped[str] = mapped_column(String(40), default="", server_default="")

    # country filters: the event ids of one code straight from the index
    __table_args__ = (Index("ix_event_countries_code_event", "code", "event_id"),)


class EventProcess(Base):
    __tablename__ = "event_processes"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)

    __table_args__ = (Index("ix_event_processes_slug_event", "slug", "event_id"),)


class EventChange(Base):
    """A change a subscriber can see: what changed, when, and which document caused it."""

    __tablename__ = "event_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    document: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))  # created | updated
    sequence: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [old, new]

    event: Mapped[Event] = relationship(back_populates="changes")


class EventText(Base):
    """An event's rendered VEVENT for the feeds of one public base URL (UID host and event links), at
    one revision of the event: as a span, and as a one-day marker when that differs (fuzzy policies)."""

    __tablename__ = "event_texts"

    base: Mapped[str] = mapped_column(String(255), primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    span: Mapped[str] = mapped_column(Text)
    marker: Mapped[str | None] = mapped_column(Text)


class EventSummary(Base):
    """An event's `summary` (parsers/summaries.py) at one revision, stored with its feed text by the code
    of the same rendering fingerprint, so that API pages read it instead of computing it per event."""

    __tablename__ = "event_summaries"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)


class RenderState(Base):
    """Single row: the fingerprint of the code that rendered `event_texts` (calendar_svc/renderer.py)."""

    __tablename__ = "render_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))


class CatalogState(Base):
    """Single-row table: when anything in the catalogue last changed (never moves backwards)."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CatalogVersion(Base):
    """Single-row counter moved by triggers on every write to the catalogue's tables (migration 0012):
    the feed cache's cheap stamp (calendar_svc/feed_cache.catalog_stamp)."""

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


# -- reminders (calendar_svc/reminders; docs/reminders.md) ------------------------------------------


class Subscription(Base):
    """Who gets reminders about which events, and how.

    `targets` holds Apprise URLs: secrets (tokens, passwords). They are never serialised in full;
    everything that shows a subscription goes through calendar_svc.reminders.secrets.mask_url.
    """

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    targets: Mapped[list] = mapped_column(JSON, default=list)  # Apprise URLs (secret)
    config_path: Mapped[str | None] = mapped_column(Text)  # or an Apprise config file ...
    config_tag: Mapped[str | None] = mapped_column(String(200))  # ... and the tag to notify
    countries: Mapped[list] = mapped_column(JSON, default=list)  # empty: every country
    processes: Mapped[list] = mapped_column(JSON, default=list)  # empty: every process
    include_tentative: Mapped[bool] = mapped_column(Boolean, default=True)
    lead_seconds: Mapped[list] = mapped_column(JSON, default=list)  # e.g. [604800, 86400]
    change_notices: Mapped[bool] = mapped_column(Boolean, default=True)
    # Change notices only for EventChange rows with a larger id (history before the subscription).
    changes_after: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # The Apprise URLs as one Fernet token (calendar_svc/reminders/vault.py); `targets` is then empty.
    targets_sealed: Mapped[str | None] = mapped_column(Text)
    # Digests list as new only events with a larger id (events stored before the subscription are not new).
    events_after: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Digest (calendar_svc/reminders/digest.py): None, "daily" or "weekly"; sent at digest_hour:00 in
    # digest_timezone (weekly: on digest_weekday, 0 = Monday), listing digest_weeks weeks ahead; an empty
    # digest is sent only with digest_empty.
    digest: Mapped[str | None] = mapped_column(String(10))
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    digest_hour: Mapped[int] = mapped_column(Integer, default=9, server_default="9")
    digest_timezone: Mapped[str] = mapped_column(
        String(64), default="Europe/Brussels", server_default="Europe/Brussels"
    )
    digest_weeks: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    digest_empty: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Delivery(Base):
    """The durable outbox: one row per message owed, unique per (subscription, event, kind, lead, variant).

    variant: for a reminder, the event start date it was planned for (a re-dated event gets new
    reminders); for a change notice, the event SEQUENCE of the change; for a digest (kind "digest",
    event_uid ""), the local date its period starts on.
    state: pending -> claimed -> sent | failed (retried) | cancelled | superseded | expired | skipped
    (an empty digest).
    """

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    event_uid: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # reminder | change | digest
    lead_seconds: Mapped[int] = mapped_column(Integer, default=0)
    variant: Mapped[str] = mapped_column(String(40), default="")
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str | None] = mapped_column(String(36), index=True)
    delivered_to: Mapped[list] = mapped_column(JSON, default=list)  # target fingerprints done
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # change notices: what changed
    last_error: Mapped[str | None] = mapped_column(Text)  # masked, never a full URL
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint(
            "subscription_id", "event_uid", "kind", "lead_seconds", "variant", name="uq_delivery"
        ),
        Index("ix_deliveries_state_next", "state", "next_attempt_at"),
    )


_FILED_BY = ("key", "start", "end")
_IDS_PER_DELETE = 500  # bound parameters per statement, far within SQLite's and PostgreSQL's limits


@listens_for(Session, "after_flush")
def _keep_terms(session: Session, _context) -> None:
    """File the events a flush created, and again those whose key or dates it changed: `event_terms` is
    always what calendar_svc.terms derives from the events' rows (whatever ORM code wrote them)."""
    created = [item for item in session.new if isinstance(item, Event)]
    moved = [item for item in session.dirty if isinstance(item, Event) and _refiled(item)]
    if created or moved:
        write_terms(session.connection(), created + moved, replace=[item.id for item in moved])


def _refiled(item: Event) -> bool:
    state = inspect(item)
    return any(state.attrs[name].history.has_changes() for name in _FILED_BY)


def write_terms(connection: Connection, events: Iterable[Any], *, replace: Iterable[int] = ()) -> None:
    """File `events` (objects or rows with id, key, start and end), first dropping what the events
    `replace` were filed under."""
    replace = list(replace)
    for start in range(0, len(replace), _IDS_PER_DELETE):
        chunk = replace[start : start + _IDS_PER_DELETE]
        connection.execute(delete(EventTerm).where(EventTerm.event_id.in_(chunk)))
    rows = [
        {"word": word, "month": month, "event_id": item.id}
        for item in events
        if item.start is not None and item.end is not None
        for word, month in terms(item.key, item.start, item.end)
    ]
    if rows:
        connection.execute(insert(EventTerm), rows)
