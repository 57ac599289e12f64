"""feeds/fold.py folds content lines exactly as icalendar does, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Event
from icalendar.parser.string import _foldline

from feeds.fold import LIMIT, component_bytes, fold_line

# any text a content line can hold (no line breaks; no lone surrogates: they cannot be encoded)
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=500
)
# long lines mixing multi-byte characters with the escapes folding must not split
PIECES = st.sampled_from(["a", " ", "\\", "^", "\\n", "\\,", "é", "€", "😀", "ü\\", "x" * 37, "“quoted”"])
MIXED = st.lists(PIECES, max_size=120).map("".join)


@settings(max_examples=400)
@given(st.one_of(ANY_TEXT, MIXED))
def test_fold_line_is_icalendars_folding(line: str) -> None:
    assert fold_line(line) == _foldline(line).encode()


@given(MIXED)
def test_folded_lines_fit_and_unfold_to_the_line(line: str) -> None:
    folded = fold_line(line)
    first, *rest = folded.split(b"\r\n")
    assert len(first) <= LIMIT and all(len(part) <= LIMIT + 1 and part[:1] == b" " for part in rest)
    assert folded.replace(b"\r\n ", b"").decode() == line


def test_short_line_is_not_folded_and_75_octets_are() -> None:
    assert fold_line("x" * LIMIT) == b"x" * LIMIT
    assert fold_line("x" * (LIMIT + 1)) == b"x" * LIMIT + b"\r\n x"


def test_escape_is_not_split_across_a_fold() -> None:
    folded = fold_line("x" * (LIMIT - 1) + "\\n" + "y")
    assert folded == b"x" * (LIMIT - 1) + b"\r\n \\ny"
    assert b"\\\r\n" not in folded


@given(ANY_TEXT, ANY_TEXT)
def test_component_bytes_is_to_ical(summary: str, location: str) -> None:
    event = Event()
    event.add("uid", "u@example.org")
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", "\n".join([summary, location]))
    assert component_bytes(event) == event.to_ical()
