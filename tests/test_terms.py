"""Title terms (calendar_svc.terms): what a merge looks candidates up under, in memory and in the store.

- the stored `event_terms` are exactly what the terms of the events' rows are, after every write path
  (ingest, a newer edition, retraction, deletion), on SQLite and PostgreSQL;
- looking a mention's terms up in the store returns exactly the events the in-memory pool (_Pool.near)
  returns for it, so a merge decides as it would comparing the mention with every stored event.
"""

from __future__ import annotations

import datetime as dt
import random

from conftest import SAMPLE_NOW
from editions import NEWER_NAME, SAMPLE, first_edition, newer_edition
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select

from calendar_svc.clock import fixed_clock
from calendar_svc.documents import retract
from calendar_svc.identity import SAME_DAYS_THRESHOLD, similarity
from calendar_svc.ingest import _SEARCH_MARGIN, _alike, _filed_under, _looked_up, _Pool, _Title, ingest_bytes
from calendar_svc.models import Document, Event, EventTerm
from calendar_svc.terms import month, terms

_KEYS = st.lists(st.sampled_from(["eu", "joint", "committee", "visit", "round"]), min_size=1, max_size=3).map(
    " ".join
)
_SPANS = st.tuples(st.dates(dt.date(2019, 1, 1), dt.date(2022, 12, 31)), st.integers(0, 1200)).map(
    lambda pair: (pair[0], pair[0] + dt.timedelta(days=pair[1]))
)


@given(st.lists(st.tuples(_KEYS, _SPANS), min_size=1, max_size=4), _KEYS, _SPANS)
def test_the_terms_looked_up_are_the_pools_lookups(mentions, key, span):
    """An event's terms meet a mention's looked-up terms exactly when _Pool.near returns the event for the
    mention: the store's lookup (event_terms) and the in-memory one agree."""
    pool = _Pool()
    event = _Title(1, key, *span)
    pool.add(event)
    for mention_key, (start, end) in mentions:
        low, high = start - _SEARCH_MARGIN, end + _SEARCH_MARGIN
        near = event in pool.near(low, high, frozenset(mention_key.split()))
        assert near == bool(terms(key, *span) & set(_looked_up([(mention_key, low, high)])))


_TITLE_KEYS = st.lists(
    st.sampled_from(["eu", "joint", "committee", "visit", "round", "rounds", "7th", "morocco"]),
    min_size=1,
    max_size=5,
).map(" ".join)


@given(
    st.lists(st.tuples(_TITLE_KEYS, _SPANS), min_size=1, max_size=12),
    st.lists(st.tuples(_TITLE_KEYS, _SPANS), min_size=1, max_size=4),
)
def test_alike_keeps_exactly_the_titles_a_mention_finds_and_could_accept(stored, mentions):
    """_alike, per mention title: the titles a mention with it finds (as _Pool.near does) whose similarity
    to it reaches SAME_DAYS_THRESHOLD, which every match_score rule needs; and none other (but for
    rounding)."""
    titles = [_Title(index, key, *span) for index, (key, span) in enumerate(stored)]
    windows = [(key, start - _SEARCH_MARGIN, end + _SEARCH_MARGIN) for key, (start, end) in mentions]
    pool = _Pool()
    pool.extend(titles)
    found = {
        (title.id, key)
        for key, low, high in windows
        for title in pool.near(low, high, frozenset(key.split()))
    }
    kept = {(event_id, key) for key, ids in _alike(titles, _looked_up(windows)).items() for event_id in ids}
    assert {pair for pair in found if similarity(pair[1], titles[pair[0]].key) >= SAME_DAYS_THRESHOLD} <= kept
    assert kept <= found
    assert all(similarity(key, titles[event_id].key) >= SAME_DAYS_THRESHOLD - 0.5 for event_id, key in kept)


def _stored_terms(session) -> set[tuple[str, int, int]]:
    return {
        tuple(row) for row in session.execute(select(EventTerm.word, EventTerm.month, EventTerm.event_id))
    }


def _derived_terms(session) -> set[tuple[str, int, int]]:
    rows = session.execute(select(Event.id, Event.key, Event.start, Event.end))
    return {
        (word, filed, event_id)
        for event_id, key, start, end in rows
        for word, filed in terms(key, start, end)
    }


def test_the_stored_terms_follow_every_write(sessions, samples_dir):
    """Ingest, a newer edition that re-dates an event, a retraction that dates it back, an edit of an
    event's key and dates by ORM code, and a deletion: the table is always what the rows derive."""
    clock = fixed_clock(SAMPLE_NOW)
    for path in sorted(samples_dir.glob("*.txt"))[1:3]:
        assert ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock).status == "ok"
    assert ingest_bytes(sessions, SAMPLE.name, first_edition(), clock=clock).status == "ok"
    with sessions() as session:
        assert _stored_terms(session) == _derived_terms(session) != set()
    assert ingest_bytes(sessions, NEWER_NAME, newer_edition(), clock=clock).updated > 0
    with sessions() as session:
        assert _stored_terms(session) == _derived_terms(session)
        newer = session.scalar(select(Document.id).where(Document.name == NEWER_NAME))
    assert retract(sessions, newer, clock=clock).status != "unchanged"
    with sessions.begin() as session:
        assert _stored_terms(session) == _derived_terms(session)
        edited, removed = session.scalars(select(Event).order_by(Event.id).limit(2)).all()
        edited.key = "renamed by hand"
        edited.start, edited.end = dt.date(2031, 5, 2), dt.date(2031, 7, 1)
        session.delete(removed)
    with sessions() as session:
        assert _stored_terms(session) == _derived_terms(session)
        assert ("renamed", month(dt.date(2031, 6, 1)), edited.id) in _stored_terms(session)
        assert not any(event_id == removed.id for _word, _month, event_id in _stored_terms(session))
        session.execute(delete(Event))  # a bulk delete: the database drops the terms with the rows
        assert _stored_terms(session) == set()


def test_the_store_returns_what_the_pool_would(sessions, samples_dir):
    """_filed_under on a store of two samples, for mention windows drawn at random around the stored
    events: exactly the events an in-memory pool of every stored event returns for those mentions."""
    clock = fixed_clock(SAMPLE_NOW)
    for path in sorted(samples_dir.glob("*.txt"))[2:4]:
        ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    with sessions() as session:
        stored = [
            _Title(*row) for row in session.execute(select(Event.id, Event.key, Event.start, Event.end))
        ]
        pool = _Pool()
        pool.extend(stored)
        rng = random.Random(17)
        for _ in range(25):
            windows = []
            for other in rng.sample(stored, 3):
                words = other.key.split()
                key = " ".join(rng.sample(words, min(len(words), 2)) + ["unrelated"])
                low = other.start + dt.timedelta(days=rng.randrange(-400, 400))
                windows.append((key, low, low + dt.timedelta(days=rng.randrange(0, 500))))
            expected = {
                title.id
                for key, low, high in windows
                for title in pool.near(low, high, frozenset(key.split()))
            }
            found = _filed_under(session.connection(), _looked_up(windows))
            assert {title.id for title in found} == expected
            assert all(isinstance(title.start, dt.date) for title in found)


def test_words_outside_ascii_are_looked_up_as_written(sessions):
    """The looked-up terms travel as one JSON parameter: titles in any script are found all the same."""
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with sessions.begin() as session:
        for uid, key in (("u1", "réunion türkiye 会议"), ("u2", "reunion turkiye")):
            session.add(
                Event(uid=uid, key=key, title=key, date_text="", start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1),
                      precision="day", created_at=now, last_modified=now)
            )  # fmt: skip
    with sessions() as session:
        window = [("réunion 会议", dt.date(2026, 2, 1), dt.date(2026, 4, 1))]
        assert [title.key for title in _filed_under(session.connection(), _looked_up(window))] == [
            "réunion türkiye 会议"
        ]
