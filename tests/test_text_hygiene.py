"""Text hygiene (parsers.text.hygiene) and where it is applied: every event's title, description and
location, whatever the layout or format, have whitespace collapsed and no PDF hyphenation artefacts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers import parse_document
from parsers.text import hygiene
from parsers.titles import clean_title


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Counter- Smuggling Conference", "Counter-Smuggling Conference"),
        ("EU- Ukraine  Association\tCouncil", "EU-Ukraine Association Council"),
        ("pre- and post-departure measures", "pre- and post-departure measures"),
        ("short- or medium-term", "short- or medium-term"),
        ("Council - This was replaced", "Council - This was replaced"),
        ("2023- 2024 programme", "2023- 2024 programme"),
        ("  Joint\n Working   Group \u00a0", "Joint Working Group"),
    ],
)
def test_hygiene(raw: str, clean: str) -> None:
    assert hygiene(raw) == clean


_WORDS = st.lists(st.sampled_from(["EU", "Counter", "smuggling", "pre", "and", "-", "- ", " ", "\n", "\t", "post"]))


@given(_WORDS.map("".join))
def test_hygiene_collapses_whitespace_and_is_stable(text: str) -> None:
    clean = hygiene(text)
    assert clean == clean.strip() and not re.search(r"\s{2,}|[\t\n]", clean)
    assert hygiene(clean) == clean
    assert clean.replace(" ", "").replace("-", "") == re.sub(r"[\s-]", "", text)


@given(st.text(alphabet="ab()-  ", max_size=30))
def test_clean_title_balances_brackets(title: str) -> None:
    cleaned = clean_title(title)
    depth = 0
    for char in cleaned:
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_events_of_every_layout_are_clean() -> None:
    text = (
        "Morocco\n\nThe EU-Morocco Counter-\nSmuggling  Conference took place on 14 January 2025 in Rabat,\n"
        "covering pre- and post-departure   measures.\n"
    )
    event = parse_document("notes.txt", text.replace("Counter-\n", "Counter- ")).events[0]
    assert "Counter-Smuggling" in event.description and "pre- and post-departure" in event.description
    assert "Counter-Smuggling" in event.title
    assert not re.search(r"\s{2,}", event.description)
