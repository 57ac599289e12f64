"""Self-contained summaries (issue 18, item 1): a title that names none of the event's processes or countries
gets its context in front, the location after it; a title that names its context stays as it is."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from parsers.catalogue import PROCESSES
from parsers.summaries import UNTITLED, summarize


@pytest.mark.parametrize(
    ("title", "countries", "processes", "location", "expected"),
    [
        # no context in the title: the process first, else the countries; the location after
        ("Steering Committee", ["BF"], ["rabat-process"], "Ouagadougou",
         "Rabat Process – Steering Committee, Ouagadougou"),
        ("Senior Officials Meeting", [], ["prague-process"], None, "Prague Process – Senior Officials Meeting"),
        ("7th round of negotiations", ["NG"], [], "Brussels", "Nigeria – 7th round of negotiations, Brussels"),
        ("Ministerial conference", ["TN", "MA", "DZ"], [], None,
         "Algeria, Morocco and Tunisia – Ministerial conference"),
        ("Ministerial conference", ["TN", "MA", "DZ", "LY", "EG"], [], None,
         "Algeria, Egypt, Libya and 2 others – Ministerial conference"),
        ("Launch", ["RS", "AL", "BA", "ME", "MK", "XK"], [], None, "Western Balkans – Launch"),
        # several processes: the specific one before the frameworks; a catalogue name's aside is dropped
        ("Roundtable", [], ["western-balkans", "brdo-process"], None, "Brdo Process – Roundtable"),
        ("Roundtable", [], ["schengen", "mocadem"], None, "MOCADEM – Roundtable"),
        ("Roundtable", [], ["mediterranean-route"], None,
         "EU Action Plan for the Eastern Mediterranean route – Roundtable"),  # a former slug
        # the title names its context: it stays, by name, alias, acronym, demonym, short form or venue
        ("Rabat Process Steering Committee", ["BF"], ["rabat-process"], None, "Rabat Process Steering Committee"),
        ("11th GFMD Summit", ["EC"], ["gfmd"], "Quito", "11th GFMD Summit, Quito"),
        ("Moroccan delegation visit", ["MA"], ["rabat-process"], None, "Moroccan delegation visit"),
        ("EU-Morocco Association Council", ["MA"], [], None, "EU-Morocco Association Council"),
        ("Egypt’s migration strategy adopted", ["EG"], [], None, "Egypt’s migration strategy adopted"),
        ("EU-TR High Level Dialogue", ["TR"], [], None, "EU-TR High Level Dialogue"),
        ("Study visit to a German federal office", ["DE"], [], None, "Study visit to a German federal office"),
        ("Visit of the Commissioner to Rabat", ["MA"], [], "Rabat", "Visit of the Commissioner to Rabat"),
        ("EU – Western Balkans JHA SOM", ["AL", "RS"], [], None, "EU – Western Balkans JHA SOM"),
        # negatives: another country or process than the event's is no context; "us" is no country
        ("Meeting with Senegal", ["MA"], [], None, "Morocco – Meeting with Senegal"),
        ("Budapest Process meeting", [], ["prague-process"], None,
         "Prague Process – Budapest Process meeting"),
        ("Meeting with us", ["US"], [], None, "United States – Meeting with us"),
        # the location: not repeated when the text names it, the city or the country; a process name is no venue
        ("Senior Officials Meeting", ["MA"], ["rabat-process"], "Rabat", "Rabat Process – Senior Officials Meeting, Rabat"),
        ("Workshop in Brussels", ["NG"], [], "Brussels", "Nigeria – Workshop in Brussels"),
        ("Tunisian visit", ["TN"], [], "Tunisia", "Tunisian visit"),
        ("Series of webinars", ["TN"], [], "Tunisia", "Tunisia – Series of webinars"),
        ("Thematic meeting", [], ["acp-eu-dialogue"], "Georgetown, Guyana",
         "ACP-EU Migration Dialogue – Thematic meeting, Georgetown, Guyana"),
        ("Meeting in Georgetown", [], [], "Georgetown, Guyana", "Meeting in Georgetown"),
        ("Senior Officials Meeting", [], ["prague-process"], "Virtual",
         "Prague Process – Senior Officials Meeting (virtual)"),
        ("Webinar on labour migration", [], ["prague-process"], "Virtual",
         "Prague Process – Webinar on labour migration"),
        # no tags, no title
        ("Joint meeting of experts", [], [], None, "Joint meeting of experts"),
        ("", [], [], None, UNTITLED),
        ("   ", [], ["rabat-process"], None, f"Rabat Process – {UNTITLED}"),
        ("Steering\n  Committee ", [], ["rabat-process"], None, "Rabat Process – Steering Committee"),
    ],
)  # fmt: skip
def test_summaries(title, countries, processes, location, expected):
    assert summarize(title, countries=countries, processes=processes, location=location) == expected


# ---------------------------------------------------------------------------------------------- properties

CODES = ["MA", "TN", "BF", "NG", "TR", "DE", "US", "AL", "RS", "XK", "BA", "ME", "MK", "EG", "LY", "DZ"]
SLUGS = [p.slug for p in PROCESSES]
WORDS = [
    "Steering", "Committee", "meeting", "of", "the", "in", "on", "visit", "to", "Senior", "Officials", "EU",
    "Morocco", "Moroccan", "EU-Morocco", "Tunisian", "EU-TR", "Rabat", "Rabat Process", "GFMD", "Pact",
    "Prague Process", "Western Balkans", "Brussels", "Ouagadougou", "webinar", "(", ")", ",", "–", "us",
]  # fmt: skip
LOCATIONS = [None, "", "Brussels", "Ouagadougou", "Virtual", "Tunisia", "Accra, Ghana", "Rabat"]

titles = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40),
)
events = st.fixed_dictionaries(
    {
        "countries": st.lists(st.sampled_from(CODES), max_size=7, unique=True),
        "processes": st.lists(st.sampled_from(SLUGS), max_size=3, unique=True),
        "location": st.sampled_from(LOCATIONS),
    }
)


@given(titles, events)
def test_a_summary_holds_the_title_and_is_never_empty(title, event):
    summary = summarize(title, **event)
    assert summary.strip()
    assert (" ".join(title.split()) or UNTITLED) in summary


@given(titles, events)
@example("in Ouagadougou", {"countries": ["MA", "BF"], "processes": [], "location": "Brussels"})
def test_a_summary_is_its_own_summary(title, event):
    """Context and location are added once: summarising a summary changes nothing."""
    once = summarize(title, **event)
    assert summarize(once, **event) == once


@given(titles, events)
def test_the_order_of_the_tags_does_not_matter(title, event):
    turned = {**event, "countries": event["countries"][::-1], "processes": event["processes"][::-1]}
    assert summarize(title, **turned) == summarize(title, **event)


@given(st.sampled_from(PROCESSES), titles, events)
def test_context_already_in_the_title_is_not_added_again(process, words, event):
    """A title holding the name of one of the event's processes keeps it as its start: nothing is put
    before it, and the name is not written a second time."""
    title = f"{process.name} {words}".strip()
    summary = summarize(title, **{**event, "processes": [*event["processes"], process.slug]})
    clean = " ".join(title.split())
    assert summary.startswith(clean)
    assert summary.count(process.name) == clean.count(process.name)


@given(titles, st.sampled_from(SLUGS), st.sampled_from([None, "Brussels", "Virtual"]))
def test_an_event_with_a_process_names_it_or_was_named_already(title, slug, location):
    """Either the summary is the title with at most a location after it, or it starts with the process."""
    process = next(p for p in PROCESSES if p.slug == slug)
    summary = summarize(title, countries=[], processes=[slug], location=location)
    clean = " ".join(title.split()) or UNTITLED
    head = re.sub(r"\s*\([^()]*\)$", "", process.name)
    assert summary.startswith(clean) or summary.startswith(f"{head} – {clean}")


def test_stored_feed_text_is_rendered_again_when_the_summary_code_changes(monkeypatch):
    """The renderer's fingerprint covers parsers/summaries.py and the catalogue it takes names from."""
    from pathlib import Path

    from calendar_svc import renderer
    from parsers import catalogue, summaries

    before = renderer.fingerprint.__wrapped__()
    original = Path.read_bytes
    for changed in (Path(summaries.__file__), Path(catalogue.__file__).parent / "data" / "processes.toml"):
        monkeypatch.setattr(
            Path, "read_bytes", lambda self, c=changed: original(self) + (b"#" if self == c else b"")
        )
        assert renderer.fingerprint.__wrapped__() != before
        monkeypatch.undo()
    assert renderer.fingerprint.__wrapped__() == before


NO_CONTEXT = [
    "Steering",
    "Committee",
    "Senior",
    "Officials",
    "Meeting",
    "of",
    "the",
    "on",
    "third",
    "round",
    "webinar",
]


@given(st.lists(st.sampled_from(NO_CONTEXT), max_size=6).map(" ".join), st.sampled_from(CODES), events)
def test_a_country_named_in_the_title_is_not_added_again(words, code, event):
    """A title holding the name of one of the event's countries gets nothing in front of it."""
    from parsers.tagging import country_name

    title = f"{words} with {country_name(code)}".strip()
    summary = summarize(title, **{**event, "countries": [*event["countries"], code]})
    assert summary.startswith(title)
    assert summary.count(country_name(code)) == title.count(country_name(code))


@given(st.lists(st.sampled_from(NO_CONTEXT), min_size=1, max_size=6).map(" ".join), events)
def test_a_title_without_context_gets_it_in_front(title, event):
    """Negative of the above: words naming nothing get the event's process, else its countries, in front."""
    summary = summarize(title, **event)
    if event["processes"] or event["countries"]:
        head, _, rest = summary.partition(" – ")
        assert rest.startswith(title) and head
    else:
        assert summary.startswith(title)
