"""Event queries shared by the CLI, the JSON API, the feeds and the pages."""

from __future__ import annotations

import base64
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import ColumnElement, Connection, Integer, Select, and_, any_, bindparam, func, or_, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, selectinload

from calendar_svc.models import Event, EventCountry, EventProcess, EventSource, EventSummary

STATUSES = ("scheduled", "cancelled", "postponed")


@dataclass(frozen=True)
class EventFilter:
    """Which events to return. Date bounds select events whose window overlaps [date_from, date_to]."""

    country: str | None = None
    process: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str | None = None
    status: str | None = None
    tentative: bool | None = None
    # The store's longest window in days (`longest_window`), when known: a date_from query then also
    # bounds `start` from below, so the index scan covers days near the window, not the whole past.
    max_days: int | None = None

    def statement(self) -> Select[tuple[Event]]:
        stmt = select(Event)
        # IN (uncorrelated subquery), not EXISTS: SQLite then drives the query from the tag index
        # instead of testing every event in date order (15x faster at 100,000 events; bench/scale.py)
        if self.country:
            stmt = stmt.where(
                Event.id.in_(select(EventCountry.event_id).where(EventCountry.code == self.country.upper()))
            )
        if self.process:
            stmt = stmt.where(
                Event.id.in_(select(EventProcess.event_id).where(EventProcess.slug == self.process))
            )
        if self.date_from:
            stmt = stmt.where(Event.end >= self.date_from)
            if self.max_days is not None and self.date_from.toordinal() > self.max_days:
                stmt = stmt.where(Event.start >= self.date_from - dt.timedelta(days=self.max_days))
        if self.date_to:
            stmt = stmt.where(Event.start <= self.date_to)
        if self.status:
            stmt = stmt.where(Event.status == self.status)
        if self.tentative is not None:
            stmt = stmt.where(Event.tentative.is_(self.tentative))
        if self.q:
            for word in self.q.split():
                pattern = f"%{_escape_like(word.lower())}%"
                stmt = stmt.where(
                    or_(
                        func.lower(Event.title).like(pattern, escape="\\"),
                        func.lower(Event.description).like(pattern, escape="\\"),
                        func.lower(func.coalesce(Event.location, "")).like(pattern, escape="\\"),
                    )
                )
        return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def with_details(stmt: Select[tuple[Event]]) -> Select[tuple[Event]]:
    """Load tags and sources in a few queries instead of one per event."""
    return stmt.options(
        selectinload(Event.countries), selectinload(Event.processes), selectinload(Event.sources)
    )


def ordered(stmt: Select[tuple[Event]]) -> Select[tuple[Event]]:
    return stmt.order_by(Event.start, Event.uid)


def find_events(session: Session, flt: EventFilter, *, limit: int | None = None) -> list[Event]:
    stmt = with_details(ordered(flt.statement()))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def page_events(
    session: Session, flt: EventFilter, *, limit: int, cursor: str | None = None
) -> tuple[list[Event], str | None]:
    """One page in (start, uid) order and the cursor of the next page (None on the last)."""
    stmt = flt.statement()
    if cursor:
        start, uid = decode_cursor(cursor)
        stmt = stmt.where(or_(Event.start > start, and_(Event.start == start, Event.uid > uid)))
    events = list(session.scalars(with_details(ordered(stmt)).limit(limit + 1)))
    if len(events) <= limit:
        return events, None
    last = events[limit - 1]
    return events[:limit], encode_cursor(last.start, last.uid)


def longest_window(connection: Connection) -> int:
    """The most days any stored event's window spans (end - start), 0 for an empty store."""
    if connection.dialect.name == "postgresql":
        days = func.max(Event.end - Event.start)
    else:
        days = func.max(func.julianday(Event.end) - func.julianday(Event.start))
    return int(connection.scalar(select(days)) or 0)


def plain_events(connection: Connection, ids: Sequence[int]) -> list[SimpleNamespace]:
    """The events `ids`, in that order, as plain objects with the attributes `serialize.event_json`
    reads (the event's columns, `countries`, `processes`, `sources`, and `stored_summary`: the summary
    stored for the event's current revision, else None): four Core queries, no ORM objects.
    Ids that are not stored are left out."""
    if not ids:
        return []
    stored = and_(EventSummary.event_id == Event.id, EventSummary.revision == Event.revision)
    summary = EventSummary.summary.label("stored_summary")
    statement = select(Event.__table__, summary).outerjoin(EventSummary, stored)
    rows = {row.id: row for row in connection.execute(statement.where(_among(connection, Event.id, ids)))}
    children = {name: _children(connection, model, ids) for name, model in _CHILDREN}
    return [
        SimpleNamespace(**rows[i]._mapping, **{name: found.get(i, []) for name, found in children.items()})
        for i in ids
        if i in rows
    ]


def _among(connection: Connection, column: ColumnElement[int], ids: Sequence[int]) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL `= ANY(array)`, one parameter: the statement's text does not vary
    with the number of ids, so psycopg and the server reuse its parsing (a third of an /api/events page's
    time at 20,000 events was spent expanding and parsing IN lists)."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam("ids", list(ids), type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)


# what event_json reads of an event besides its row: attribute name -> child table, and of the sources
# only what names a mention (not its raw text or its stored reading, a JSON document per mention)
_CHILDREN = (("countries", EventCountry), ("processes", EventProcess), ("sources", EventSource))
_SOURCE_COLUMNS = (
    EventSource.id, EventSource.event_id, EventSource.document, EventSource.page, EventSource.line,
    EventSource.section,
)  # fmt: skip


def _children(connection: Connection, model: type, ids: Sequence[int]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    statement = select(*_SOURCE_COLUMNS) if model is EventSource else select(model.__table__)
    for row in connection.execute(statement.where(_among(connection, model.event_id, ids))):
        found[row.event_id].append(row)
    return found


def page_plain_events(
    connection: Connection, flt: EventFilter, *, limit: int, cursor: str | None = None
) -> tuple[list[SimpleNamespace], str | None]:
    """`page_events` as plain objects (`plain_events`): the page's ids in one query, then the events."""
    stmt = flt.statement().with_only_columns(Event.id, Event.start, Event.uid)
    if cursor:
        start, uid = decode_cursor(cursor)
        stmt = stmt.where(or_(Event.start > start, and_(Event.start == start, Event.uid > uid)))
    keys = connection.execute(ordered(stmt).limit(limit + 1)).all()
    events = plain_events(connection, [row.id for row in keys[:limit]])
    if len(keys) <= limit:
        return events, None
    last = keys[limit - 1]
    return events, encode_cursor(last.start, last.uid)


def encode_cursor(start: dt.date, uid: str) -> str:
    return base64.urlsafe_b64encode(f"{start.isoformat()}|{uid}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, str]:
    """Raises ValueError on anything that is not a cursor this service issued."""
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        start, uid = base64.urlsafe_b64decode(padded.encode()).decode().split("|", 1)
        return dt.date.fromisoformat(start), uid
    except Exception as exc:
        raise ValueError("invalid cursor") from exc


def get_event(session: Session, uid: str) -> Event | None:
    return session.scalar(
        with_details(select(Event).where(Event.uid == uid)).options(selectinload(Event.changes))
    )


def latest_events(session: Session, before: dt.date, *, limit: int) -> list[Event]:
    """The most recent events that ended before `before`, latest end first."""
    stmt = select(Event).where(Event.end < before).order_by(Event.end.desc(), Event.start.desc(), Event.uid)
    return list(session.scalars(with_details(stmt).limit(limit)))


def latest_by_tag(session: Session, column, before: dt.date, tags: Collection[str]) -> dict[str, Event]:
    """For each of `tags` (country codes or process slugs: `column` is `EventCountry.code` or
    `EventProcess.slug`), its event that ended last before `before`, in the order of `latest_events`
    (one query for the ranking, one for the events)."""
    if not tags:
        return {}
    link = column.class_
    rank = func.row_number().over(
        partition_by=column, order_by=(Event.end.desc(), Event.start.desc(), Event.uid)
    )
    ranked = (
        select(column.label("tag"), Event.id.label("event_id"), rank.label("rank"))
        .join(Event, Event.id == link.event_id)
        .where(Event.end < before, column.in_(tags))
        .subquery()
    )
    rows = session.execute(select(ranked.c.tag, ranked.c.event_id).where(ranked.c.rank == 1)).all()
    chosen = select(Event).where(Event.id.in_([r.event_id for r in rows]))
    tagged = chosen.options(selectinload(Event.countries), selectinload(Event.processes))
    events = {e.id: e for e in session.scalars(tagged)}
    return {row.tag: events[row.event_id] for row in rows}


def tag_counts(session: Session, column) -> dict[str, int]:
    """Event counts per country code or process slug."""
    return dict(session.execute(select(column, func.count()).group_by(column)).all())
