"""Stable identity across re-ingests and newer editions, with SEQUENCE and change history."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendar_svc.identity import (
    SAME_DAYS_THRESHOLD,
    Mention,
    Window,
    match_score,
    mint_uid,
    similar_indices,
    similarity,
)
from calendar_svc.ingest import ingest_bytes
from calendar_svc.queries import EventFilter, find_events
from calendar_svc.serialize import event_json
from parsers.tagging import countries_in
from parsers.titles import canonical_title

# Edits that turn the September 2021 state of play into a (fictitious) January 2022 edition.
REFINED = (
    "November 2021 (tbc) EU-Tunisia Association Committee",
    "18 November 2021 EU-Tunisia Association Committee",
)
REFINED_Q = (
    "Q4 2021 (tbc) EU-Azerbaijan Joint Visa Facilitation",
    "9 December 2021 EU-Azerbaijan Joint Visa Facilitation",
)
POSTPONED = (
    "December 2021 (tbc) EU-Tunisia Association Council",
    "December 2021 (POSTPONED) EU-Tunisia Association Council",
)
REMOVED = "13 June 2021 First meeting of the Reference Group\n"


def edition(text: str) -> str:
    for old, new in (REFINED, REFINED_Q, POSTPONED):
        assert old in text
        text = text.replace(old, new)
    assert REMOVED in text
    text = text.replace(REMOVED, "")
    return text.replace("14 SEPTEMBER 2021", "20 JANUARY 2022")


def _events(sessions):
    with sessions() as session:
        return {e.uid: event_json(e, history=True) for e in find_events(session, EventFilter())}


def _one(events, title_prefix, start_year=None):
    found = [
        e
        for e in events.values()
        if e["title"].startswith(title_prefix)
        and (start_year is None or e["start"].startswith(str(start_year)))
    ]
    assert len(found) == 1, [(e["title"], e["start"]) for e in found]
    return found[0]


@pytest.fixture
def two_editions(sessions, clock, sample_path):
    path = sample_path("000")
    text = path.read_text(encoding="utf-8")
    ingest_bytes(sessions, path.name, text.encode(), clock=clock)
    before = _events(sessions)
    later = lambda: clock() + dt.timedelta(days=130)  # noqa: E731
    summary = ingest_bytes(sessions, "state-of-play-2022-01.txt", edition(text).encode(), clock=later)
    return before, _events(sessions), summary, later


def test_newer_edition_keeps_uids_and_adds_no_duplicates(two_editions):
    before, after, summary, _ = two_editions
    assert summary.status == "ok" and summary.new == 0
    assert set(after) == set(before)
    for uid, event in after.items():
        documents = {s["document"] for s in event["sources"]}
        assert documents <= {before[uid]["sources"][0]["document"], "state-of-play-2022-01.txt"}


def test_refined_dates_update_in_place_and_bump_sequence(two_editions):
    before, after, _summary, later = two_editions
    committee = _one(after, "EU-Tunisia Association Committee", 2021)
    assert committee["uid"] in before
    assert (committee["start"], committee["end"], committee["precision"]) == (
        "2021-11-18",
        "2021-11-18",
        "day",
    )
    assert committee["tentative"] is False
    assert committee["sequence"] == before[committee["uid"]]["sequence"] + 1
    assert committee["last_modified"] == later().isoformat().replace("+00:00", "Z")
    change = committee["history"][-1]
    assert change["kind"] == "updated" and change["document"] == "state-of-play-2022-01.txt"
    assert change["fields"]["start"] == ["2021-11-01", "2021-11-18"]
    assert change["fields"]["tentative"] == [True, False]
    assert "title" not in change["fields"]
    quarter = _one(after, "EU-Azerbaijan Joint Visa Facilitation", 2021)
    assert quarter["start"] == "2021-12-09" and quarter["sequence"] == 1


def test_postponed_meeting_is_updated_and_removed_rows_stay(two_editions):
    before, after, _summary, _ = two_editions
    council = _one(after, "EU-Tunisia Association Council", 2021)
    assert council["status"] == "postponed" and council["sequence"] == 1
    assert council["history"][-1]["fields"]["status"] == ["scheduled", "postponed"]
    reference = _one(after, "First meeting of the Reference Group")
    assert reference == before[reference["uid"]]  # still there, untouched


def test_only_real_changes_bump_sequence(two_editions):
    before, after, _summary, _ = two_editions
    changed = {uid for uid in after if after[uid]["sequence"] != before[uid]["sequence"]}
    assert len(changed) == 3
    for uid in set(after) - changed:
        assert after[uid]["last_modified"] == before[uid]["last_modified"]
        assert [h["kind"] for h in after[uid]["history"]] == ["created"]


def test_reingesting_either_edition_is_a_no_op(two_editions, sessions, clock, sample_path):
    _before, after, _summary, later = two_editions
    path = sample_path("000")
    text = path.read_text(encoding="utf-8")
    for name, content in ((path.name, text), ("state-of-play-2022-01.txt", edition(text))):
        summary = ingest_bytes(sessions, name, content.encode(), clock=lambda: later() + dt.timedelta(days=1))
        assert summary.status == "unchanged"
    assert _events(sessions) == after


def test_an_older_edition_arriving_late_does_not_overwrite_newer_dates(sessions, clock, sample_path):
    path = sample_path("000")
    text = path.read_text(encoding="utf-8")
    ingest_bytes(sessions, "state-of-play-2022-01.txt", edition(text).encode(), clock=clock)
    ingest_bytes(sessions, path.name, text.encode(), clock=lambda: clock() + dt.timedelta(days=1))
    events = _events(sessions)
    committee = _one(events, "EU-Tunisia Association Committee", 2021)
    assert committee["start"] == "2021-11-18" and committee["sequence"] == 0
    assert len(committee["sources"]) >= 2


def test_history_is_served_by_the_event_endpoint(two_editions, client):
    _before, after, _summary, _ = two_editions
    committee = _one(after, "EU-Tunisia Association Committee", 2021)
    body = client.get(f"/api/events/{committee['uid']}").get_json()
    assert [h["kind"] for h in body["history"]] == ["created", "updated"]
    assert body["sequence"] == 1


def test_changes_endpoint_lists_what_changed_since(two_editions, client, clock):
    _before, after, _summary, later = two_editions
    since = (clock() + dt.timedelta(days=1)).isoformat()
    body = client.get("/api/changes", query_string={"since": since}).get_json()
    uids = {c["uid"] for c in body["changes"]}
    assert len(uids) == 3 and all(c["kind"] == "updated" for c in body["changes"])
    assert client.get("/api/changes", query_string={"since": "yesterday"}).status_code == 400
    everything = client.get("/api/changes", query_string={"since": "2000-01-01"}).get_json()
    assert len(everything["changes"]) > 300


# -- the rules, on synthetic mentions -----------------------------------------------------------


def _mention(title, start, end, countries=(), processes=()):
    window = Window(dt.date.fromisoformat(start), dt.date.fromisoformat(end), start == end)
    return Mention(
        canonical_title(title),
        window,
        frozenset(countries),
        frozenset(processes),
        frozenset(countries_in(title)),
    )


def test_uid_comes_from_what_the_event_is_not_its_date():
    key = canonical_title("4th EU-Cabo Verde Joint Visa Facilitation Committee meeting")
    assert mint_uid(key, ["CV"], []) == mint_uid(key, ["CV"], [])
    assert mint_uid(key, ["CV"], []) != mint_uid(key, ["MA"], [])
    assert canonical_title("EU – Türkiye JHA Sub-Committee") == canonical_title(
        "EU-Turkey Justice and Home Affairs Subcommittee"
    )
    assert canonical_title("Fourth meeting") == canonical_title("4th meeting")


def test_refined_date_and_reworded_title_match_but_series_meetings_do_not():
    tbc = _mention("EU-Tunisia Association Committee", "2021-11-01", "2021-11-30", ["TN"])
    exact = _mention("EU-Tunisia Association Committee", "2021-11-18", "2021-11-18", ["TN"])
    assert match_score(exact, tbc, same_document=False) is not None
    one = _mention("Steering Committee", "2019-01-23", "2019-01-23", processes=["rabat-process"])
    two = _mention("Steering Committee", "2019-02-11", "2019-02-11", processes=["rabat-process"])
    assert match_score(one, two, same_document=True) is None
    armenia = _mention("EU-Armenia Joint Readmission Committee", "2021-06-29", "2021-06-29", ["AM"])
    russia = _mention("EU-Russia Joint Readmission Committee", "2021-01-01", "2021-12-31", ["RU"])
    assert match_score(armenia, russia, same_document=False) is None


# canonical-title-like keys: a few words from a small vocabulary (so that titles overlap, contain one
# another or are equal), with look-alike spellings, or arbitrary text
_WORD = st.sampled_from(
    ["eu", "morocco", "moroccan", "dialogue", "dialogues", "7th", "round", "visa", "a", ""]
)
_KEY = st.one_of(st.lists(_WORD, max_size=6).map(" ".join), st.text(max_size=30))


@given(_KEY, st.lists(_KEY, max_size=30), st.sampled_from([SAME_DAYS_THRESHOLD, 90, 50]))
def test_similar_indices_finds_every_key_similarity_accepts(key, keys, threshold):
    """similar_indices (rapidfuzz's C loops) keeps every key similarity() puts at the threshold or above,
    and nothing more than half a point below it: leaving the rest out of a merge changes no decision."""
    found = similar_indices(key, keys, threshold)
    assert found == sorted(set(found))
    expected = [index for index, other in enumerate(keys) if similarity(key, other) >= threshold]
    assert set(expected) <= set(found)
    assert all(similarity(key, keys[index]) >= threshold - 0.5 for index in found)
