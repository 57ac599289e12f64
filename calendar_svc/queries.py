"""Event queries shared by the CLI, the JSON API, the feeds and the pages."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    func,
    or_,
    select,
)
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
    stored for the event's current revision, else None): one Core query, no ORM objects.
    Ids that are not stored are left out."""
    if not ids:
        return []
    statement = _plain_statement(connection.dialect.name).where(id_among(connection, Event.id, ids))
    result = connection.execute(statement)
    keys = list(result.keys())
    rows = {row.id: row for row in result}
    return [_plain(keys, rows[i]) for i in ids if i in rows]


def id_among(connection: Connection, column: ColumnElement[int], ids: Sequence[int]) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL `= ANY(array)`, one parameter: the statement's text does not vary
    with the number of ids, so psycopg and the server reuse its parsing (a third of an /api/events page's
    time at 20,000 events was spent expanding and parsing IN lists)."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam("ids", list(ids), type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)


class _Country(NamedTuple):
    code: str
    reasons: str


class _Process(NamedTuple):
    slug: str


class _Source(NamedTuple):  # what names a mention (not its raw text or its stored reading)
    document: str
    page: int
    line: int
    section: str | None


# what event_json reads of an event besides its row: attribute name -> its rows' class and columns, read
# as one JSON array per event with the event's row (one statement, one round trip, whatever the page)
_CHILDREN = (
    ("countries", _Country, EventCountry.event_id, (EventCountry.code, EventCountry.reasons)),
    ("processes", _Process, EventProcess.event_id, (EventProcess.slug,)),
    ("sources", _Source, EventSource.event_id,
     (EventSource.document, EventSource.page, EventSource.line, EventSource.section)),
)  # fmt: skip


@cache
def _plain_statement(dialect: str) -> Select:
    """The events' rows, the summary stored for their current revision, and their child rows as one JSON
    array per event: [countries, processes, sources], each an array of arrays (json_agg on PostgreSQL,
    NULL when none; json_group_array on SQLite, whose text json() keeps JSON inside the outer array)."""
    postgres = dialect == "postgresql"
    array = func.json_build_array if postgres else func.json_array
    children = []
    for _name, _kind, link, columns in _CHILDREN:
        rows = (func.json_agg if postgres else func.json_group_array)(array(*columns))
        found = select(rows).where(link == Event.id).scalar_subquery()
        children.append(found if postgres else func.json(found))
    stored = and_(EventSummary.event_id == Event.id, EventSummary.revision == Event.revision)
    summary = EventSummary.summary.label("stored_summary")
    statement = select(Event.__table__, summary, array(*children).label("children"))
    return statement.outerjoin(EventSummary, stored)


def _plain(keys: Sequence[str], row: Sequence) -> SimpleNamespace:
    fields = dict(zip(keys, row, strict=True))
    children = fields.pop("children")
    if isinstance(children, str):  # SQLite: JSON text (psycopg decodes PostgreSQL's json)
        children = json.loads(children)
    for (name, kind, _link, _columns), found in zip(_CHILDREN, children, strict=True):
        fields[name] = [kind._make(values) for values in found or ()]
    return SimpleNamespace(**fields)


def page_plain_events(
    connection: Connection, flt: EventFilter, *, limit: int, cursor: str | None = None
) -> tuple[list[SimpleNamespace], str | None]:
    """`page_events` as plain objects (`plain_events`), in one statement: the page's keys in (start, uid)
    order (a subquery the database runs first: reading only the index columns it needs), joined to the
    events' rows and child rows."""
    stmt = flt.statement().with_only_columns(Event.id, Event.start, Event.uid)
    if cursor:
        start, uid = decode_cursor(cursor)
        stmt = stmt.where(or_(Event.start > start, and_(Event.start == start, Event.uid > uid)))
    page = ordered(stmt).limit(limit + 1).subquery("page")
    statement = _plain_statement(connection.dialect.name).join(page, page.c.id == Event.id)
    result = connection.execute(statement.order_by(page.c.start, page.c.uid))
    keys = list(result.keys())
    rows = result.all()
    events = [_plain(keys, row) for row in rows[:limit]]
    if len(rows) <= limit:
        return events, None
    last = rows[limit - 1]
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
