"""Property: retracting a newer edition gives back the store as it was without it, and ingesting the
edition again gives back the store as it was with it (same uids), whatever the edition re-dated,
confirmed, added or placed in a partner country (a venue adds a country: the tags come back too). Real ingests of sample 000 and generated editions of it, on a SQLite file."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import SAMPLE_NOW
from editions import SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import sessionmaker

from calendar_svc.clock import fixed_clock
from calendar_svc.db import make_engine, session_factory
from calendar_svc.documents import retract
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Document
from calendar_svc.queries import EventFilter, find_events
from calendar_svc.schema import upgrade
from calendar_svc.serialize import event_json

TEXT = SAMPLE.read_text(encoding="utf-8")
MONTHS = "January February March April May June July August September October November December".split()
TENTATIVE = re.compile(rf"^({'|'.join(MONTHS)}) (20\d\d) \(tbc\) (.+)$", re.M)
CANDIDATES = [m.group(0) for m in TENTATIVE.finditer(TEXT)]
NEW_MEETING_AFTER = "December 2021 (tbc) EU-Tunisia Association Council"
CLOCK = fixed_clock(SAMPLE_NOW)


VENUES = ["Nairobi", "Ouagadougou", "Geneva", "Dakar"]


def edition(edits: list[tuple[int, int, bool]], added: int | None, venue: tuple[int, str] | None = None) -> bytes:
    text = TEXT
    if venue is not None:
        line = CANDIDATES[venue[0]]
        text = text.replace(line, f"{line}, {venue[1]}", 1)
    for index, day, confirmed in edits:
        line = CANDIDATES[index]
        month, year, title = TENTATIVE.match(line).groups()
        text = text.replace(line, f"{day} {month} {year}{'' if confirmed else ' (tbc)'} {title}", 1)
    if added is not None:
        text = text.replace(
            NEW_MEETING_AFTER, f"{NEW_MEETING_AFTER}\n\n{added} March 2022 EU-Tunisia Mobility Forum"
        )
    return text.replace("14 SEPTEMBER 2021", "20 JANUARY 2022").encode("utf-8")


def snapshot(sessions) -> dict[str, dict]:
    with sessions() as session:
        return {
            e.uid: {k: v for k, v in event_json(e).items() if k not in ("sequence", "last_modified")}
            for e in find_events(session, EventFilter())
        }


@contextmanager
def sample_store(folder: Path) -> Iterator[sessionmaker]:
    """A SQLite store in `folder` holding sample 000."""
    engine = make_engine(f"sqlite:///{folder / 'store.sqlite3'}")
    try:
        upgrade(engine)
        sessions = session_factory(engine)
        assert ingest_bytes(sessions, SAMPLE.name, TEXT.encode(), clock=CLOCK).status == "ok"
        yield sessions
    finally:
        engine.dispose()


def retract_named(sessions, name: str) -> None:
    with sessions() as session:
        document_id = session.query(Document.id).filter(Document.name == name).scalar()
    retract(sessions, document_id, clock=CLOCK)


@settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(CANDIDATES) - 1), st.integers(1, 28), st.booleans()),
        min_size=1, max_size=4, unique_by=lambda edit: edit[0],
    ),
    added=st.none() | st.integers(1, 28),
    venue=st.none() | st.tuples(st.integers(0, len(CANDIDATES) - 1), st.sampled_from(VENUES)),
)  # fmt: skip
def test_retract_then_reingest_round_trips(edits, added, venue):
    with tempfile.TemporaryDirectory() as folder, sample_store(Path(folder)) as sessions:
        without = snapshot(sessions)
        newer = edition(edits, added, venue)
        assert ingest_bytes(sessions, "newer.txt", newer, clock=CLOCK).status == "ok"
        with_it = snapshot(sessions)
        retract_named(sessions, "newer.txt")
        retracted = snapshot(sessions)
        assert {uid: retracted[uid] for uid in without} == without
        for uid in set(retracted) - set(without):  # only the edition named it
            assert retracted[uid]["status"] == "cancelled"
            assert {**retracted[uid], "status": "scheduled"} == {**with_it[uid], "sources": []}
        assert ingest_bytes(sessions, "newer.txt", newer, clock=CLOCK).status == "ok"
        assert snapshot(sessions) == with_it


def test_a_country_only_the_retracted_edition_gave_is_removed_with_it(tmp_path):
    """The newer edition holds a meeting in Nairobi: KE (venue) comes with it and goes with it."""
    with sample_store(tmp_path) as sessions:
        without = snapshot(sessions)
        assert ingest_bytes(sessions, "newer.txt", edition([], None, (0, "Nairobi")), clock=CLOCK).status == "ok"
        with_it = snapshot(sessions)
        placed = [u for u in without if "KE" in with_it[u]["countries"] and "KE" not in without[u]["countries"]]
        assert len(placed) == 1
        assert with_it[placed[0]]["country_reasons"]["KE"] == ["venue"]
        retract_named(sessions, "newer.txt")
        assert snapshot(sessions)[placed[0]] == without[placed[0]]
