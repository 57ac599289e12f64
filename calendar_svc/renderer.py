"""Which code rendered the stored feed text (`event_texts`): a fingerprint, checked once per process.

Stored VEVENT text is valid for the event revision it was rendered from (calendar_svc/feed_texts.py), but
an upgrade that changes how a VEVENT is written (feeds/, the event JSON it is built from, icalendar) leaves
every revision as it was. So the store keeps the fingerprint of the rendering code that wrote its text
(`render_state`); a process whose code differs drops the stored text once, and feeds and ingests render
it again as they need it (the lazy back-fill that follows migration 0005).
"""

from __future__ import annotations

import hashlib
import threading
from functools import cache
from importlib import metadata
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, select, update

from calendar_svc.models import EventText, RenderState

_checked: set[str] = set()
_lock = threading.Lock()


@cache
def fingerprint() -> str:
    """A hash of the source of every module that shapes a stored VEVENT, and of icalendar's version."""
    import feeds
    from calendar_svc import feed_texts, queries, serialize

    digest = hashlib.sha256(metadata.version("icalendar").encode())
    sources = sorted(Path(feeds.__file__).parent.glob("*.py"))
    sources += [Path(module.__file__) for module in (feed_texts, queries, serialize)]
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
        current = fingerprint()
        stored = connection.scalar(select(RenderState.fingerprint).where(RenderState.id == 1))
        dropped = False
        if stored != current:
            connection.execute(delete(EventText))
            if stored is None:
                connection.execute(RenderState.__table__.insert().values(id=1, fingerprint=current))
            else:
                connection.execute(update(RenderState).where(RenderState.id == 1).values(fingerprint=current))
            dropped = True
        _checked.add(key)
        return dropped
