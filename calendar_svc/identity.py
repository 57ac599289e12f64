"""Event identity: minting stable uids and recognising an event across mentions and editions."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

# Title similarity (rapidfuzz token_set_ratio on canonical titles, 0-100) needed to call two
# mentions the same event: lower when both mention the same exact days.
SAME_DAYS_THRESHOLD = 70
NEAR_DATES_THRESHOLD = 90
# Two candidates closer than this in score are ambiguous: the mention is not merged silently.
AMBIGUITY_MARGIN = 4
# How far apart two windows may be and still be one event that moved, by kind of mention.
MOVED_DAYS_FUZZY = 92
MOVED_DAYS_EXACT = 45


def mint_uid(key: str, countries: list[str], processes: list[str], attempt: int = 0) -> str:
    """A uid from what the event is: its canonical title and tags (never its date or place)."""
    basis = "|".join([key, ",".join(sorted(countries)), ",".join(sorted(processes))])
    if attempt:
        basis += f"#{attempt}"
    return hashlib.sha256(basis.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    precise: bool  # day or short day-range precision

    def gap_days(self, other: Window) -> int:
        """0 when the windows overlap, else the number of days between them."""
        if self.start <= other.end and other.start <= self.end:
            return 0
        return min(abs((other.start - self.end).days), abs((self.start - other.end).days))


# A title must have this many words before containing it in a longer title counts as a match.
SUBSET_MIN_WORDS = 3


def similarity(key_a: str, key_b: str) -> float:
    """How alike two canonical titles are, 0-100.

    Word-set similarity (one title containing the other scores high) only when both titles have at
    least SUBSET_MIN_WORDS words: "First" or "Negotiations" must not match every longer title.
    """
    if key_a == key_b:
        return 100.0
    if not key_a or not key_b:
        return 0.0
    if min(len(key_a.split()), len(key_b.split())) < SUBSET_MIN_WORDS:
        return float(fuzz.ratio(key_a, key_b))
    return float(fuzz.token_set_ratio(key_a, key_b))


def similar_indices(key: str, keys: Sequence[str], threshold: float = SAME_DAYS_THRESHOLD) -> list[int]:
    """The indices of `keys` whose similarity to `key` may reach `threshold`: every i with
    similarity(key, keys[i]) >= threshold, and only ones within half a point of it (a margin against
    rounding). A merge into a large store compares a document's titles with some 10^5 stored ones, most
    of them far from alike: both of similarity's scores are computed over all of them in rapidfuzz's C
    loops, and Python looks only at the few that reach the threshold by one of them."""
    if not key:
        return [index for index, other in enumerate(keys) if not other]
    cutoff = threshold - 0.5
    by_ratio = _reaching(fuzz.ratio, key, keys, cutoff)
    if len(key.split()) < SUBSET_MIN_WORDS:
        return sorted(by_ratio)
    by_set = _reaching(fuzz.token_set_ratio, key, keys, cutoff)
    return sorted(
        index
        for index in by_ratio | by_set
        if index in (by_ratio if len(keys[index].split()) < SUBSET_MIN_WORDS else by_set)
    )


def _reaching(scorer, key: str, keys: Sequence[str], cutoff: float) -> set[int]:
    hits = process.extract_iter(key, keys, scorer=scorer, processor=None, score_cutoff=cutoff)
    return {index for _choice, _score, index in hits}


@dataclass(frozen=True)
class Mention:
    """What identity looks at: the canonical title, the date window and the tags."""

    key: str
    window: Window
    countries: frozenset[str]
    processes: frozenset[str]
    named: frozenset[str] = frozenset()  # partner countries the title itself names
    words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", frozenset(self.key.split()))

    def tagged_apart(self, other: Mention) -> bool:
        """True when both are tagged and share no country, or no process where neither has a country."""
        if names_apart(self.named, other.named):
            return True
        if self.countries and other.countries:
            return not (self.countries & other.countries)
        if self.processes and other.processes and not (self.countries or other.countries):
            return not (self.processes & other.processes)
        return False


def names_apart(named: frozenset[str], other: frozenset[str]) -> bool:
    """Both titles name partner countries, and not one in common: never one event. This only ever rules
    a pair out, so match_score(m, o) is match_score(m, o without `named`) unless names_apart."""
    return bool(named and other and not (named & other))


def match_score(mention: Mention, other: Mention, *, same_document: bool) -> float | None:
    """The score of calling two mentions one event, or None when they cannot be one.

    Overlapping windows score above 100, windows that moved (a gap of some days) below it, so a
    same-date candidate always beats a moved one. Mentions under different partners' headings are
    one event only when worded alike (the same ministerial conference listed under Morocco, Tunisia
    and Algeria), not merely when one title contains the other ("Migration Dialogue" vs "Informal
    migration and security dialogue"). Titles numbering different meetings ("7th round", "8th
    round") are never one event.
    """
    key, window, other_key = mention.key, mention.window, other.key
    if not (mention.words & other.words):
        return None  # no word in common: never similar enough (and the common case, so first)
    if names_apart(mention.named, other.named):
        return None
    numbers, other_numbers = _numbers(key), _numbers(other_key)
    if numbers and other_numbers and numbers != other_numbers:
        return None
    if mention.tagged_apart(other) and (
        fuzz.ratio(key, other_key) < NEAR_DATES_THRESHOLD or len(key.split()) < SUBSET_MIN_WORDS
    ):
        return None
    other_window = other.window
    sim = similarity(key, other_key)
    gap = window.gap_days(other_window)
    same_days = (
        window.precise
        and other_window.precise
        and window.start == other_window.start
        and window.end == other_window.end
    )
    if same_days:
        return 100 + sim if sim >= SAME_DAYS_THRESHOLD else None
    if sim < NEAR_DATES_THRESHOLD:
        return None
    if gap == 0:
        # two different exact days in one document are two meetings of a series
        if same_document and window.precise and other_window.precise:
            return None
        return 100 + sim
    if same_document:
        return None
    limit = MOVED_DAYS_EXACT if (window.precise and other_window.precise) else MOVED_DAYS_FUZZY
    return sim - gap / limit * 5 if gap <= limit else None


def is_exact(score: float) -> bool:
    """A same-window match with an identical canonical title: never ambiguous."""
    return score >= 200


_NUMBER = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def _numbers(key: str) -> frozenset[str]:
    return frozenset(_NUMBER.findall(key))
