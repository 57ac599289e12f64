"""Ingest into a real database: one transaction per document, idempotence, one event per real event."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from calendar_svc.identity import Mention, Window, match_score, names_apart
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Document, Event, EventSource
from calendar_svc.queries import EventFilter, find_events
from calendar_svc.serialize import event_json


def _snapshot(sessions):
    with sessions() as session:
        return sorted(
            (e["uid"], e["sequence"], e["last_modified"], e["start"], e["title"], len(e["sources"]))
            for e in (event_json(ev) for ev in find_events(session, EventFilter()))
        )


def test_state_of_play_is_stored_with_provenance(sessions, clock, sample_path):
    path = sample_path("000")
    summary = ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    assert summary.status == "ok" and summary.layout == "event-tables"
    assert summary.new == summary.events > 300
    assert summary.merged > 0  # the repeated, tab-indented extraction merges into existing events
    with sessions() as session:
        document = session.scalar(select(Document))
        assert document.document_date.isoformat() == "2021-09-14"
        assert document.event_count == summary.events
        events = find_events(session, EventFilter())
        for event in events:
            assert event.sources, event.title
            for source in event.sources:
                assert source.document == path.name and source.line > 0 and source.raw


def test_repeated_extraction_rows_merge_into_the_main_rows(sessions, clock, sample_path):
    path = sample_path("000")
    lines = path.read_text(encoding="utf-8").splitlines()
    ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    with sessions() as session:
        for event in find_events(session, EventFilter()):
            kinds = {lines[s.line - 1].startswith("\t") for s in event.sources}
            assert False in kinds, f"only read from the repeated extraction: {event.title}"


def test_one_meeting_listed_in_several_tables_is_one_event(sessions, clock, sample_path):
    path = sample_path("000")
    ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    with sessions() as session:
        found = [
            e for e in find_events(session, EventFilter(q="smuggling")) if e.start.isoformat() == "2020-07-13"
        ]
        assert len(found) == 1
        event = event_json(found[0])
        assert {"MA", "TN", "DZ"} <= set(event["countries"])
        assert "counter-smuggling-africa" in event["processes"]
        assert len({s["section"] for s in event["sources"]}) >= 4


def test_reingest_changes_nothing(sessions, clock, sample_path):
    path = sample_path("000")
    ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    before = _snapshot(sessions)
    later = lambda: clock().replace(year=2022)  # noqa: E731 - a later clock must not matter
    summary = ingest_bytes(sessions, path.name, path.read_bytes(), clock=later)
    assert summary.status == "unchanged" and summary.new == summary.updated == 0
    assert _snapshot(sessions) == before


def test_reingest_into_a_fresh_database_gives_the_same_uids(tmp_path, clock, sample_path):
    from calendar_svc.db import make_engine, session_factory
    from calendar_svc.schema import upgrade

    path = sample_path("000")
    uids = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite3")
        upgrade(engine)
        sessions = session_factory(engine)
        ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
        uids.append([u for (u, *_rest) in _snapshot(sessions)])
        engine.dispose()
    assert uids[0] == uids[1]


def test_a_broken_document_changes_nothing(sessions, clock, sample_path):
    path = sample_path("000")
    ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    before = _snapshot(sessions)
    for name, content in [
        ("binary.txt", bytes(range(256)) * 20),
        ("empty.txt", b"   \n\n"),
        ("no-events.txt", b"Minutes of a meeting.\nNothing was decided and no date was set.\n"),
    ]:
        summary = ingest_bytes(sessions, name, content, clock=clock)
        assert summary.status == "failed" and summary.error, name
    assert _snapshot(sessions) == before
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_cli_ingest_reports_each_document_and_fails_when_one_fails(tmp_path, sample_path):
    good = sample_path("000")
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02 binary junk" * 50)
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", "ingest", str(good), str(bad), "--db", db],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "layout event-tables" in result.stdout and "new" in result.stdout
    assert "FAILED broken.txt" in result.stdout
    exported = subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", "export", "--format", "json", "--db", db],
        capture_output=True, text=True, env=env, check=True,
    )
    events = json.loads(exported.stdout)
    assert len(events) > 300
    assert set(events[0]) >= {
        "uid", "title", "description", "date_text", "start", "end", "precision", "tentative", "status",
        "location", "countries", "processes", "sources",
    }


def test_sources_are_unique_per_document_line(sessions, clock, sample_path):
    path = sample_path("000")
    ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    with sessions() as session:
        pairs = session.execute(select(EventSource.document, EventSource.line)).all()
        assert len(pairs) == len(set(pairs))
        assert session.scalar(select(func.count()).select_from(Event)) < len(pairs)


# -- matching looks at the partner countries a title names last (calendar_svc.ingest._Merger._score) --

_CODES = st.frozensets(st.sampled_from(["AM", "MA", "TN", "DZ"]), max_size=2)
_WINDOWS = st.builds(
    lambda start, days, precise: Window(start, start + dt.timedelta(days=days), precise),
    st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    st.integers(0, 40),
    st.booleans(),
)
_MENTIONS = st.builds(
    Mention,
    st.lists(st.sampled_from(["eu", "armenia", "dialogue", "round", "7th", "8th", "visa"]), min_size=1,
             max_size=5).map(" ".join),  # fmt: skip
    _WINDOWS,
    _CODES,
    st.frozensets(st.sampled_from(["rabat", "khartoum"]), max_size=1),
    _CODES,
)


@given(_MENTIONS, _MENTIONS, st.booleans())
def test_named_countries_only_rule_a_pair_out(mention: Mention, other: Mention, same_document: bool):
    """Scoring without the other's named countries, then ruling the pair out when names_apart, is
    match_score on the full profiles (so names_apart pairs never score)."""
    blind = match_score(mention, replace(other, named=frozenset()), same_document=same_document)
    full = match_score(mention, other, same_document=same_document)
    assert full == (None if names_apart(mention.named, other.named) else blind)


def test_the_collector_is_paused_during_a_merge_and_resumed_after(sessions, sample_path, monkeypatch):
    """collector_paused: the cyclic GC is off while a document merges, on again after, also when the
    merge fails; and a collector someone else paused stays paused."""
    from calendar_svc import ingest

    seen: list[bool] = []
    run = ingest._Merger._load_pool

    def watched(self, keyed):
        seen.append(gc.isenabled())
        return run(self, keyed)

    monkeypatch.setattr(ingest._Merger, "_load_pool", watched)
    path = sample_path("004")
    assert gc.isenabled()
    assert ingest_bytes(sessions, path.name, path.read_bytes()).status == "ok"
    assert seen == [False] and gc.isenabled()
    with pytest.raises(RuntimeError), ingest.collector_paused():
        raise RuntimeError("a merge that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with ingest.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
