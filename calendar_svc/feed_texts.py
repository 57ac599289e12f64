"""Rendered VEVENT text in the store: written with the events, read back by feeds as plain text.

An event's VEVENT depends on the event (its row, sources, countries and processes), on the public base
URL (UID host, event links) and on the fuzzy-date policy (`feeds.fuzzy_form`: a span or a one-day
marker). `event_texts` keeps, per (base URL, event), both forms rendered by `feeds.vevent_forms` and the
event `revision` they were rendered from. Triggers (migration 0005) bump `events.revision` on any change
to the event or its child rows, so text is never served for a revision it was not rendered from, however
the event was written; text that is missing or stale is rendered on demand and stored (`ensure_texts`).

Ingest renders the events it wrote for every base URL already in the table and the configured one
(`store_for_bases`). Existing stores are back-filled lazily, by the first feed that needs the text. Text
written by other rendering code (an upgrade) is dropped once per process (calendar_svc/renderer.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from calendar_svc import renderer
from calendar_svc.models import Event, EventSummary, EventText
from calendar_svc.queries import id_among, plain_events
from calendar_svc.serialize import event_json
from feeds import vevent_forms

log = logging.getLogger(__name__)

DEFAULT_HOST = "calendar-svc.local"
#: Base URLs text is stored for without being configured (requests' own host names): a bound, so that
#: arbitrary Host headers cannot multiply the table.
MAX_BASES = 4
_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class Text:
    """One event's stored VEVENT (UTF-8 text) at one revision."""

    revision: int
    span: str
    marker: str | None
    #: the event's `summary` field as rendered with the text (stored apart: it does not vary by base URL)
    summary: str | None = None

    def form(self, form: str) -> str:
        return self.marker if form == "marker" and self.marker is not None else self.span


def uid_host(base_url: str) -> str:
    host = urlsplit(base_url).hostname if base_url else None
    return host or DEFAULT_HOST


def chunks(ids: Sequence[int], size: int = _CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# ------------------------------------------------------------------------------------------- rendering


def render_texts(connection: Connection, ids: Sequence[int], base: str) -> dict[int, Text]:
    """Render the events `ids` from the store (Core rows, no ORM objects) for feeds of `base`.

    Outside a writing transaction each statement may see a newer store: the revisions are read again
    at the end and an event that changed meanwhile is left out (the caller renders it next time)."""
    texts: dict[int, Text] = {}
    host = uid_host(base)
    for chunk in chunks(sorted(set(ids))):
        events = plain_events(connection, chunk)
        current = select(Event.id, Event.revision).where(id_among(connection, Event.id, chunk))
        revisions = dict(connection.execute(current).all())
        for shaped in events:
            if revisions.get(shaped.id) != shaped.revision:
                continue
            data = event_json(shaped, base_url=base or None)  # type: ignore[arg-type]
            forms = vevent_forms(data, host)
            if forms is not None:
                span, marker = forms
                texts[shaped.id] = Text(
                    shaped.revision, span.decode(), marker.decode() if marker else None, data["summary"]
                )
    return texts


def store_texts(connection: Connection, texts: dict[int, Text], base: str) -> None:
    """Insert or refresh stored text, and the summaries rendered with it; a row never goes back to an
    older revision."""
    if not texts:
        return
    rows = [
        {"base": base, "event_id": event_id, "revision": t.revision, "span": t.span, "marker": t.marker}
        for event_id, t in texts.items()
    ]
    _upsert(connection, EventText.__table__, ["base", "event_id"], ("revision", "span", "marker"), rows)
    summaries = [
        {"event_id": event_id, "revision": t.revision, "summary": t.summary}
        for event_id, t in texts.items()
        if t.summary is not None
    ]
    _upsert(connection, EventSummary.__table__, ["event_id"], ("revision", "summary"), summaries)


def _upsert(
    connection: Connection, table: Table, keys: list[str], values: tuple[str, ...], rows: list[dict]
) -> None:
    """Insert `rows`, or update a row of the same `keys` that holds an older revision."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={name: statement.excluded[name] for name in values},
        where=table.c.revision < statement.excluded.revision,
    )
    connection.execute(statement, rows)


def stored_bases(connection: Connection) -> list[str]:
    """The base URLs text is stored for, in order: one primary-key lookup per base (at most MAX_BASES
    and the configured one), not a read of every stored text as SELECT DISTINCT would be (~20 ms at
    100,000 events on PostgreSQL, paid by every ingest)."""
    bases: list[str] = []
    following = select(func.min(EventText.base))
    while (base := connection.scalar(following)) is not None:
        bases.append(base)
        following = select(func.min(EventText.base)).where(EventText.base > base)
    return bases


def store_for_bases(connection: Connection, ids: Iterable[int], configured_base: str) -> None:
    """Render and store the text of events just written (inside the writing transaction) that is
    missing or stale, for every base URL the table holds text for and the configured one."""
    ids = sorted(set(ids))
    if not ids:
        return
    renderer.ensure_current(connection)
    bases = set(stored_bases(connection))
    if configured_base:
        bases.add(configured_base)
    if not bases:
        return
    revisions: dict[int, int] = {}
    for chunk in chunks(ids):
        statement = select(Event.id, Event.revision).where(id_among(connection, Event.id, chunk))
        revisions.update(connection.execute(statement).all())
    for base in sorted(bases):
        current = stored_revisions(connection, list(revisions), base)
        stale = [event_id for event_id, revision in revisions.items() if current.get(event_id) != revision]
        store_texts(connection, render_texts(connection, stale, base), base)


# ------------------------------------------------------------------------------------------- reading


def stored_revisions(connection: Connection, ids: Sequence[int], base: str) -> dict[int, int]:
    """The revision each of the events `ids` has stored text for (events without text are missing)."""
    table = EventText.__table__
    found: dict[int, int] = {}
    for chunk in chunks(list(ids)):
        statement = select(table.c.event_id, table.c.revision).where(
            table.c.base == base, id_among(connection, table.c.event_id, chunk)
        )
        found.update(connection.execute(statement).all())
    return found


def read_forms(connection: Connection, wanted: dict[int, tuple[int, str]], base: str) -> dict[int, str]:
    """The stored text of the events `wanted` (id -> (revision, form)) whose stored revision is that one:
    only the form each one needs is read."""
    table = EventText.__table__
    found: dict[int, str] = {}
    for form, column in (("span", table.c.span), ("marker", func.coalesce(table.c.marker, table.c.span))):
        ids = [event_id for event_id, (_revision, wanted_form) in wanted.items() if wanted_form == form]
        statement = select(table.c.event_id, table.c.revision, column).where(
            table.c.base == base, table.c.event_id.in_(bindparam("ids", expanding=True))
        )
        for chunk in chunks(ids):
            for event_id, revision, text in connection.execute(statement, {"ids": list(chunk)}):
                if wanted[event_id][0] == revision:
                    found[event_id] = text
    return found


#: SQLite reads the stored text of a feed showing at least 1/SCAN_SHARE of the stored rows in one pass
#: over the table, in storage order: lookups at random places in a large file cost ~0.2 ms each (2.2 s
#: for 10,000 events of a 100,000-event store), the pass ~0.4 s there.
SCAN_SHARE = 50


def _sqlite_rows(connection: Connection) -> int:
    """About how many rows event_texts holds (its highest rowid: one B-tree descent)."""
    return connection.exec_driver_sql("SELECT max(rowid) FROM event_texts").scalar() or 0


def scan_forms(connection: Connection, wanted: dict[int, tuple[int, str]], base: str) -> dict[int, str]:
    """`read_forms` in one pass over every stored text of `base`."""
    table = EventText.__table__
    statement = select(table.c.event_id, table.c.revision, table.c.span, table.c.marker).where(
        table.c.base == base
    )
    found: dict[int, str] = {}
    for event_id, revision, span, marker in connection.execute(statement):
        want = wanted.get(event_id)
        if want is not None and want[0] == revision:
            found[event_id] = marker if want[1] == "marker" and marker is not None else span
    return found


def assemble(
    engine: Engine, events: Sequence[tuple[int, int, str]], base: str, *, configured: bool
) -> Iterator[bytes]:
    """The VEVENT text of `events` ((id, current revision, form) in feed order) as UTF-8 bytes, one part
    per 500 events, so that a large feed is never held twice. Text that is missing or stale is rendered
    and stored, for the configured base URL or up to MAX_BASES others. Events deleted meanwhile are
    left out."""
    storable: bool | None = None
    renderer.ensure_current_engine(engine)
    with engine.connect() as connection:
        scanned = None
        if connection.dialect.name == "sqlite" and len(events) * SCAN_SHARE >= _sqlite_rows(connection):
            scanned = scan_forms(connection, {i: (revision, form) for i, revision, form in events}, base)
        for chunk in chunks(events):
            wanted = {event_id: (revision, form) for event_id, revision, form in chunk}
            if scanned is None:
                found = read_forms(connection, wanted, base)
            else:
                found = {event_id: scanned.pop(event_id) for event_id in wanted if event_id in scanned}
            rendered: dict[int, Text] = {}
            missing = [event_id for event_id in wanted if event_id not in found]
            for _attempt in range(3):  # an event that changes while it is rendered is rendered again
                if not missing:
                    break
                rendered.update(render_texts(connection, missing, base))
                missing = [event_id for event_id in missing if event_id not in rendered]
            if rendered:
                if storable is None:
                    storable = configured or may_store(engine, base)
                if storable:
                    _store_without_waiting(engine, rendered, base)
                found.update((i, text.form(wanted[i][1])) for i, text in rendered.items())
            yield "".join(found[i] for i, _revision, _form in chunk if i in found).encode()


def may_store(engine: Engine, base: str) -> bool:
    """Whether text for a base URL that is not configured (a request's own host) may be stored: it is
    stored already, or fewer than MAX_BASES are."""
    with engine.connect() as connection:
        bases = stored_bases(connection)
    return base in bases or len(bases) < MAX_BASES


def _store_without_waiting(engine: Engine, texts: dict[int, Text], base: str) -> None:
    """Store lazily rendered text unless that means waiting for a writer (an ingest): a feed request
    does not queue behind one; the text is rendered and stored again by a later request."""
    sqlite_db = engine.dialect.name == "sqlite"
    try:
        with engine.begin() as connection:
            if sqlite_db:
                connection.exec_driver_sql("PRAGMA busy_timeout = 200")
            else:
                connection.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
            try:
                store_texts(connection, texts, base)
            finally:
                if sqlite_db:
                    connection.exec_driver_sql("PRAGMA busy_timeout = 30000")  # calendar_svc.db's value
    except DBAPIError as exc:
        log.info("feed text for %s not stored now: %s", base or "(no base URL)", exc.orig)
