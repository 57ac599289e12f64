"""The prose fallback and the layout dispatch: unknown layouts are read sentence by sentence, with a warning."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import DocumentError, parse_document
from parsers.layouts import LAYOUTS, prose
from parsers.sentences import split_sentences
from tests.test_layouts_markdown_tables import ROOT

TEXT = """Migration dialogue notes

Brussels, 3 February 2025

Morocco

The Commission met the Moroccan authorities on 14 January to prepare the Association Council. The next
Joint Working Group is tentatively planned for Q2 2025. Since 2016 arrivals increased by 12%, e.g. in the
Canary Islands.
"""


def test_fallback_reads_unknown_layout_with_warning():
    doc = parse_document("notes.txt", TEXT)
    assert doc.layout == "prose"
    assert "unrecognised layout, read as prose" in doc.warnings
    assert doc.document_date == "2025-02-03"
    by_start = {e.date.start: e for e in doc.events}
    assert set(by_start) == {dt.date(2025, 1, 14), dt.date(2025, 4, 1)}
    met = by_start[dt.date(2025, 1, 14)]
    assert met.countries == ["MA"] and met.source.section == "Morocco" and met.source.line == 7
    assert not met.date.tentative
    planned = by_start[dt.date(2025, 4, 1)]
    assert planned.title == "Next Joint Working Group" and planned.date.tentative and planned.source.line == 8


def test_prose_is_last_and_layouts_are_unique():
    assert LAYOUTS[-1] is prose and LAYOUTS[0].NAME == "event-tables"
    assert len({layout.NAME for layout in LAYOUTS}) == len(LAYOUTS)


@pytest.mark.parametrize(
    ("prefix", "layout"),
    [("000", "event-tables"), ("001", "markdown-tables"), ("002", "letter-annex"), ("003", "communication"),
     ("004", "action-file")],
)
def test_each_sample_picks_its_layout_from_its_text(prefix, layout):
    path = next((ROOT / "samples").glob(f"{prefix}_*.txt"))
    # detection must not depend on the file name
    doc = parse_document("renamed.txt", path.read_bytes())
    assert doc.layout == layout and doc.events


def test_sentences_keep_abbreviations():
    text = "Talks took place, e.g. in Rabat. The next round i.a. covers returns. • Second item"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Talks took place, e.g. in Rabat.", "The next round i.a. covers returns.", "• Second item"
    ]


def test_text_without_events_is_a_document_error():
    with pytest.raises(DocumentError):
        parse_document("empty.txt", "Nothing dated here at all.\n")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_raises_only_document_error(text):
    with contextlib.suppress(DocumentError):
        parse_document("fuzz.txt", text, today=dt.date(2024, 1, 1))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "| a | b |", "|---|---|", "| NEXT STEPS |", "Action\tLead actor(s)\tStatus\tWay ahead incl. timeline\tComments",
    "<ul><li>- met on 3/4</li>", " I. INTRODUCTION ", "3  On 7 March 2024, a meeting", "> planned for Q2 2025",
    "Dear colleagues,", "Yours sincerely,", "on 18-19 March", "Ти", "", "\t\t\t", "(", "2024",
]), max_size=40))
def test_layout_shaped_noise_raises_only_document_error(lines):
    with contextlib.suppress(DocumentError):
        parse_document("fuzz.txt", "\n".join(lines), today=dt.date(2024, 1, 1))


def test_the_writers_own_letter_is_no_event_and_titles_name_events():
    text = (
        "Return notes\n\nBrussels, 3 February 2025\n\nAs announced in my October letter, the Return Coordinator "
        "works with the High-Level Network for Returns. The Network met on 14 January. Albania: Signed on "
        "15 September 2024.\n"
    )
    titles = {e.date.start: e.title for e in parse_document("notes.txt", text).events}
    assert titles == {dt.date(2025, 1, 14): "Network meeting", dt.date(2024, 9, 15): "Albania: signature"}


def test_an_abbreviation_before_a_participle_does_not_make_the_title():
    text = (
        "Border notes\n\nBrussels, 3 February 2025\n\nA call for expressions of interest under the Border "
        "Management Instrument (BMVI), launched on 31 July 2024, invited Member States to apply.\n"
    )
    (event,) = parse_document("notes.txt", text).events
    assert event.title.startswith("Call for expressions of interest") and event.title != "BMVI launched"


def test_start_of_application_is_named():
    text = (
        "Pact notes\n\nBrussels, 3 February 2025\n\nThe Crisis Regulation, which sets out a framework, will "
        "start applying in June 2026. Member States must be able to start applying the new legislation by 2026.\n"
    )
    titles = [e.title for e in parse_document("notes.txt", text).events]
    assert titles == [
        "Start of application of the Crisis Regulation",
        "Start of application of the new legislation",
    ]


def _titles(body: str) -> list[str]:
    return [e.title for e in parse_document("notes.txt", f"Notes\n\nBrussels, 3 February 2025\n\n{body}\n").events]


def test_a_list_lead_in_names_what_a_bare_country_label_signed():
    body = (
        "Frontex Status Agreements under implementation:\n\n• North Macedonia: Signed on 24 October 2022 and "
        "entered into force on 1 April 2023 Joint Operation North Macedonia Land 2023 launched on 19 April 2023.\n\n"
        "• Status Agreement with Moldova: Signed on 17 March 2022.\n\n• Montenegro: Signed on 16 May 2023. "
        "European Parliament consented to conclusion on 22 November 2023."
    )
    assert _titles(body) == [
        "Signature of the Frontex Status Agreement with North Macedonia",
        "Entry into force of the Frontex Status Agreement with North Macedonia",
        "Joint Operation North Macedonia Land 2023 launched",  # a year ending a name bounds no title
        "Signature of the Status Agreement with Moldova",
        "Signature of the Frontex Status Agreement with Montenegro",
        "European Parliament consented to conclusion of the Frontex Status Agreement with Montenegro",
    ]
    # no lead-in, or a lead-in naming no thing: the label stays
    assert _titles("Albania: Signed on 15 September 2023.") == ["Albania: signature"]
    assert _titles("Progress so far:\n\n• Albania: Signed on 15 September 2023.") == ["Albania: signature"]


def test_a_generic_noun_names_what_the_text_before_called_it():
    body = (
        "Returns are supported by the Frontex Joint Reintegration Services, which offer support in 35 "
        "countries. Since the Service was launched in April 2022, over 5 500 people have been supported."
    )
    assert _titles(body) == ["Frontex Joint Reintegration Services launched"]
    # without an antecedent named in full the title stays as it is
    assert _titles("Since the Service was launched in April 2022, many people have been supported.") == [
        "Service launched"
    ]


def test_a_bracketed_list_of_meetings_names_each_item():
    body = (
        "Subcommittees in the first two semesters of 2025 (8 April Human Rights and Democracy and 13 May for "
        "the Subcommittee on Migration, Employment and Social Affairs), in view of an Association Council."
    )
    assert _titles(body) == [
        "Subcommittee on Human Rights and Democracy",
        "Subcommittee on Migration, Employment and Social Affairs",
    ]


def test_a_quoted_name_with_its_abbreviation_and_an_aside_in_a_coordinated_name():
    body = (
        "The NDICI-funded contract on “Promoting Action and Cooperation among countries at global level "
        "against Trafficking in Human Beings and the Smuggling of Migrants (PACTS)” was signed by UNODC on "
        "15 July 2024. Support to Greece includes the onboarding of the Hellenic Police (Ministry of Citizens "
        "Protection) and Ministry of Migration and Asylum to the EURP (May 2024)."
    )
    assert _titles(body) == [
        "NDICI-funded contract on PACTS signed by UNODC",
        "Onboarding of the Hellenic Police and Ministry of Migration and Asylum",
    ]


def test_a_bracketed_participle_names_whom_it_is_for():
    body = (
        "NDICI support has been mobilised for the Talent Partnership with Bangladesh (projects signed in July "
        "2024) and EUR 3 million for Pakistan (project signed in November 2024). Renewals are planned with "
        "Guinea (contract signed in November 2024), Senegal (top-up signed in December 2024). The new "
        "programme (contract signed in March 2024) is running."
    )
    assert _titles(body) == [
        "Projects for the Talent Partnership with Bangladesh signed",
        "Project for Pakistan signed",
        "Contract with Guinea signed",
        "Top-up with Senegal signed",
        "Contract signed",  # "the new programme" is no name: the bracket stays as it is
    ]


def test_a_part_of_a_named_event_gives_way_to_the_name():
    body = (
        "Element highlighted in the suggestions of the Commission / HRVP Joint Communication on EU-Türkiye "
        "relations of 29 November 2023. Launch of the regional return action by the end of March 2024."
    )
    assert _titles(body) == [
        "Commission / HRVP Joint Communication on EU-Türkiye relations",
        "Launch of the regional return action",  # an event word as the head stays
    ]


def test_what_was_presented_at_a_meeting_names_it_with_the_meeting():
    body = (
        "Action 4: Pilot project on mutual recognition launched by the former Presidency and presented at the "
        "EMN Presidency Conference on Returns (Budapest, November 2024). The JHA Ministerial Forum (Vienna, "
        "14 January 2025) discussed the pilot."
    )
    assert _titles(body) == [
        "Pilot project on mutual recognition presented at the EMN Presidency Conference on Returns",
        "JHA Ministerial Forum",  # no "presented at": the named meeting alone, without its venue
    ]


def test_a_long_name_with_its_abbreviation_and_a_purpose_after_a_status():
    body = (
        "A call for expressions of interest under the Instrument for Financial Support for Border Management "
        "and Visa Policy (BMVI), launched on 31 July 2024, invited Member States to apply. Egypt-component of "
        "the regional anti-smuggling programme under discussion, for finalisation during the first half of 2024. "
        "The Working Group (WG) met on 3 March 2024."
    )
    assert _titles(body) == [
        "Call for expressions of interest under the BMVI launched",
        "Finalisation of the Egypt-component of the regional anti-smuggling programme",
        "Working Group (WG)",  # a short name keeps its words
    ]


def test_a_meeting_in_a_list_of_partners_names_its_partner():
    body = (
        "Joint Working Groups planned with The Gambia (13 December 2024), Guinea (12 December 2024) and "
        "Ethiopia (in January 2025, tbc). Senior officials meetings took place with Senegal (5 December 2024)."
    )
    assert _titles(body) == [
        "Joint Working Group with The Gambia",
        "Joint Working Group with Guinea",
        "Joint Working Group with Ethiopia",
        "Senior officials meeting with Senegal",  # "took place with" makes no noun phrase ("Place with …")
    ]
    # a bracketed date after a name that is no country adds nothing
    assert _titles("Joint Working Groups planned with the Agency (13 December 2024).") == ["Joint Working Groups"]


def test_a_date_in_the_object_of_an_earlier_dated_event_is_titled_by_that_object():
    body = (
        "The fifth Joint Working Group on the readmission arrangement in January looked at a possible resumption "
        "of charter flights operations in April."
    )
    assert _titles(body) == [
        "Fifth Joint Working Group on the readmission arrangement",
        "Possible resumption of charter flights operations",
    ]
    # one date: the subject names its event, not the object
    assert _titles("The fifth Joint Working Group looked at a possible resumption of charter flights in April.") == [
        "Fifth Joint Working Group"
    ]


def test_a_bare_nominalisation_in_a_labelled_paragraph_names_the_label():
    body = (
        "Template for the national strategies: Positive opinion of the Regulatory Committee on 13 February. "
        "Adoption and publication in March."
    )
    assert _titles(body)[-1] == "Adoption and publication of the template for the national strategies"
    # without a label the nominalisation stays as it is
    assert _titles("The committee gave a positive opinion on 13 February. Adoption and publication in March.")[-1] == (
        "Adoption and publication"
    )
