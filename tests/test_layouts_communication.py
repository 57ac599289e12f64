"""Layout 003: a Commission communication, double-spaced, with numbered sections and footnotes."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers import parse_document
from parsers.layouts import communication
from tests.test_layouts_markdown_tables import ROOT, _fixture_recall

TODAY = dt.date(2024, 3, 4)

TEXT = """ I. INTRODUCTION

Migration is a European challenge that requires a European response.

 II. A NEW LEGAL FRAMEWORK

Migration within broader relations with North African and other partners

The past year has seen a major effort to address the migration challenges in the Mediterranean

and Atlantic as part of deepening relations overall with North Africa and other partners. The

Commission has led Team Europe missions with leaders of Member States to Tunisia in July

2023, Mauritania in February 2024, and Egypt in March 2024 to underline the EU’s

commitment to developing comprehensive and mutually beneficial partnerships. Since 2018, the EU also

supports the Niamey process. The first thematic expert group focusing on digital smuggling is planned for April 2024.

3  On 7 March 2024, a meeting of return and SIS experts took place to improve practical cooperation and make

full use of the potential of the SIS return alerts.
 partners to operationalise effective and rights-based return management systems.
""" + "\n".join(" " * (i % 2) for i in range(40))


def _events():
    return communication.parse(TEXT, "003_test.txt", TODAY)


def test_detects_roman_numbered_sections():
    assert communication.matches(TEXT)


def test_each_country_of_a_list_is_its_own_event():
    missions = [e for e in _events() if "mission" in e.title.lower()]
    assert [(e.date.start, e.countries) for e in missions] == [
        (dt.date(2023, 7, 1), ["TN"]),
        (dt.date(2024, 2, 1), ["MR"]),
        (dt.date(2024, 3, 1), ["EG"]),
    ]
    assert [e.source.line for e in missions] == [13, 15, 15]
    assert all(not e.date.tentative and e.source.section.startswith("Migration within") for e in missions)


def test_background_years_are_skipped_and_planned_is_tentative():
    events = _events()
    assert not any(e.date.start == dt.date(2018, 1, 1) for e in events)
    planned = next(e for e in events if e.date.start == dt.date(2024, 4, 1))
    assert planned.date.tentative and "expert group" in planned.title


def test_footnotes_are_read():
    note = next(e for e in _events() if e.date.start == dt.date(2024, 3, 7))
    assert note.title == "Meeting of return and SIS experts" and note.source.line == 21
    assert not note.date.tentative


def test_sample_file_is_detected_and_dated():
    path = next((ROOT / "samples").glob("003_*.txt"))
    doc = parse_document(path.name, path.read_bytes())
    assert doc.layout == "communication" and doc.document_date.startswith("2024-03")


def test_hand_checked_events():
    found, total, missed = _fixture_recall("003")
    assert total >= 30 and found / total >= 0.95, missed


# a copy that lost its page-break marks (the line a page resumes on is not indented): a finished footnote
# ends where the sentence it interrupted goes on, at a heading, or at a page number
UNMARKED = """I. INTRODUCTION

Frontex launched information campaigns in countries of origin in March 2023 and

3  On 7 March 2024, a meeting of return experts took place in Brussels.

transit along the routes, including Nigeria and Pakistan.

{after}

Supporting those fleeing the Russian invasion of Ukraine

The Temporary Protection Directive was activated in March 2022 for people fleeing the war.

5  Special European Council of 1 February 2024

16

The EU funded protection in Afghanistan and Pakistan in June 2023.
"""


def _unmarked(after: str = "The campaigns went on."):
    return communication.parse(UNMARKED.format(after=after), "003_test.txt", TODAY)


def test_a_footnote_ends_where_the_interrupted_sentence_resumes():
    events = _unmarked()
    campaigns = next(e for e in events if e.date.start == dt.date(2023, 3, 1))
    note = next(e for e in events if e.date.start == dt.date(2024, 3, 7))
    assert set(campaigns.countries) == {"NG", "PK"} and "Nigeria" not in note.description


def test_a_footnote_ends_at_a_heading_and_at_a_page_number():
    events = _unmarked()
    directive = next(e for e in events if e.date.start == dt.date(2022, 3, 1))
    assert directive.source.section == "Supporting those fleeing the Russian invasion of Ukraine"
    assert "RU" not in directive.countries
    council = next(e for e in events if e.date.start == dt.date(2024, 2, 1))
    assert council.countries == [] and "Afghanistan" not in council.description  # not the next page's text
    assert any(e.date.start == dt.date(2023, 6, 1) and "AF" in e.countries for e in events)


def test_an_unfinished_footnote_goes_on_in_lower_case():
    text = UNMARKED.replace("took place in Brussels.", "took place in Brussels, with").format(after="")
    note = next(e for e in communication.parse(text, "003_test.txt", TODAY) if e.date.start == dt.date(2024, 3, 7))
    assert "transit along the routes" in note.description


def test_a_roman_heading_run_into_its_first_sentence_is_the_section():
    text = ("I. INTRODUCTION\n\nMigration is a challenge.\n\nV.  SUPPORT FROM EU AGENCIES Key to trust is consistency. "
            "Frontex was deployed to Finland in November 2023.\n")  # fmt: skip
    (event,) = communication.parse(text, "003_test.txt", TODAY)
    assert event.source.section == "SUPPORT FROM EU AGENCIES" and "Finland" in event.description
    sentence = "I. INTRODUCTION\n\nII. In 2023 the EU deployed Frontex to Finland in November 2023.\n"
    assert all(e.source.section != "In 2023 the EU deployed" for e in communication.parse(sentence, "x.txt", TODAY))


def test_a_line_stopping_on_a_connector_is_no_heading():
    """A PDF copy wraps a paragraph's first line anywhere: after a sentence it may look like a heading."""
    text = ("I. INTRODUCTION\n\nMigration is a challenge.\n\n2. Making the Pact a reality\n\nIt must be well used.\n\n"
            "{line}\noperationalisation of the Pact. Its application starts in 2026.\n")  # fmt: skip
    (event,) = communication.parse(text.format(line="The Commission has started preparations for the"), "x", TODAY)
    assert event.source.section == "Making the Pact a reality"
    (event,) = communication.parse(text.format(line="Preparations for the implementation"), "x", TODAY)
    assert event.source.section == "Preparations for the implementation"  # a heading stopping on a noun


FLAT = ("I. INTRODUCTION\n\nMigration is a challenge that requires a European response and a long effort by all "
        "Member States, the institutions and the partners of the Union. {run} the activation in March 2022 of the "
        "Temporary Protection Directive for people fleeing the war against Ukraine was a major step forward.\n")  # fmt: skip


def test_a_heading_run_into_a_flattened_page_is_its_section():
    run = "It was agreed in full. Supporting those fleeing the Russian invasion of Ukraine One of the steps was"
    (event,) = communication.parse(FLAT.format(run=run), "x", TODAY)
    assert event.source.section == "Supporting those fleeing the Russian invasion of Ukraine"
    assert "RU" not in event.countries and "Russian" not in event.description


@pytest.mark.parametrize(
    "run",
    [
        "It was agreed with The Gambia. Cooperation with the partners of the EU went on and",  # no opener after
        "It was agreed in full. Cooperation with The Gambia and the partners of the",  # stops on a connector
        "It was agreed in full. The Council recalled that, in line with the Pact, this was",  # punctuation
    ],
)
def test_no_heading_is_invented_in_a_flattened_page(run):
    (event,) = communication.parse(FLAT.format(run=run), "x", TODAY)
    assert event.source.section == "INTRODUCTION"
