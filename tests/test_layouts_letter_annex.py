"""Layout 002: a letter of the Commission President and its annex table (real excerpts, OCR noise kept)."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from parsers import parse_document
from parsers.document import document_date
from parsers.layouts import letter_annex
from tests.test_layouts_markdown_tables import ROOT, _fixture_recall

TODAY = dt.date(2023, 12, 11)

LETTER = """ Dear colleagues,

Our work, on migration is guided by a shared understanding that migration is a
European challenge that requires European solutions.

Commission européenne/Europese Commissie, 1049 Bruxetles/Brussel, BELGIQUE/BELG1Ë Tel. +32 2299 Itti

Ref. Ares(2025)2524801 - 28/03/2025

A second High Level Dialogue on migration and security with Tiirkiye took place on 23
November. This falls squarely into the overall approach on Tiirkiye.

readmission. Commissioner Johansson hosted a High-level meeting on I December,
inviting Member States to discuss the strategic use of Talent Partnerships.

Yours sincerely,

Ursula von der Leyen
 EUCO Letter
October 2023 Ongoing / Underway Next Steps and Timeline

Egypt
> Adoption of a joint EU-Egypt statement on a strategic

and comprehensive partnership in January 2024 to be
followed by regular in-depth discussions.

> 4lh migration dialogue and 2nd SOM on Security and Law
Enforcement in 2024 date tbc (to include Anti
Smuggling Operational Partnership).

Mauritania

• EU-Mauritania Senior Officials Dialogue on Migration took place on 11 December
2023 in Brussels.
"""


def _events():
    return letter_annex.parse(LETTER, "002_test.txt", TODAY)


def test_detects_letter_and_annex():
    assert letter_annex.matches(LETTER)
    assert not letter_annex.matches("| a | b |\n|---|---|\n")


def test_registry_stamp_is_not_the_document_date():
    assert document_date(LETTER) == dt.date(2023, 12, 11)


def test_ocr_noise_dates_and_titles():
    events = _events()
    dialogue = next(e for e in events if e.date.start == dt.date(2023, 11, 23))
    assert dialogue.title == "EU-Türkiye High Level Dialogue on Migration and Security"
    assert dialogue.countries == ["TR"] and dialogue.source.line == 10 and not dialogue.date.tentative
    meeting = next(e for e in events if e.date.start == dt.date(2023, 12, 1))
    assert meeting.title == "High-level meeting" and meeting.date.precision == "day"
    fourth = next(e for e in events if e.title.startswith("4th"))
    assert fourth.title == "4th migration dialogue and 2nd SOM on Security and Law Enforcement"
    assert (fourth.date.start, fourth.date.end, fourth.date.tentative) == (
        dt.date(2024, 1, 1), dt.date(2024, 12, 31), True
    )
    assert fourth.countries == ["EG"] and fourth.source.section == "Egypt"


def test_next_steps_column_is_planned_and_country_headings_apply():
    events = _events()
    statement = next(e for e in events if e.date.start == dt.date(2024, 1, 1) and e.date.precision == "month")
    assert statement.date.tentative and statement.countries == ["EG"] and statement.source.line == 25
    som = next(e for e in events if e.date.start == dt.date(2023, 12, 11))
    assert som.title == "EU-Mauritania Senior Officials Dialogue on Migration"
    assert som.countries == ["MR"] and som.location == "Brussels" and not som.date.tentative


def test_sample_file_is_detected():
    path = next((ROOT / "samples").glob("002_*.txt"))
    doc = parse_document(path.name, pathlib.Path(path).read_bytes())
    assert doc.layout == "letter-annex" and doc.document_date == "2023-12-11"


def test_hand_checked_events():
    found, total, missed = _fixture_recall("002")
    assert total >= 30 and found / total >= 0.95, missed


# An annex cell cut by a page break: the OCR put its rest after the next country's cells.
BROKEN = """ EUCO Letter
October 2023 Ongoing / Underway Next Steps and Timeline

Tunisia
> The signature of additional contracts on legal migration and socio-economic
integration programmes (contract of EUR

Mauritania
Mauritania has expressed the wish to establish a framework of cooperation.

{rest}
"""
REST = "4 million signed, another of EUR 6 million to be signed) will be finalised before the end of the year."


def _broken(rest: str = REST):
    text = BROKEN.format(rest=rest)
    return letter_annex.parse(text, "002_test.txt", TODAY), text


def test_a_cell_continued_after_other_cells_joins_the_paragraph_left_in_a_bracket():
    (event,), text = _broken()
    assert event.description.startswith("The signature of additional contracts")
    assert "(contract of EUR 4 million signed, another of EUR 6 million to be signed) will be finalised" in (
        event.description
    )
    assert event.countries == ["TN"] and event.source.section == "Tunisia" and event.date.tentative
    assert event.source.line == text.splitlines().index(REST) + 1  # where the date is written


@pytest.mark.parametrize(
    "rest",
    [
        "a) the end of the year sees new contracts signed on 4 December 2023.",  # an enumerator, not a bracket
        "The Commission signed contracts on 4 December 2023 (EUR 4 million).",  # a new sentence
        "contracts worth EUR 4 million were signed on 4 December 2023.",  # closes no bracket
    ],
)
def test_a_paragraph_closing_no_unopened_bracket_stays_where_it_is(rest):
    events, _ = _broken(rest)
    event = next(e for e in events if e.date.start == dt.date(2023, 12, 4))
    assert event.countries == ["MR"] and event.description.startswith(rest.split()[0])


GLUED = """ EUCO Letter
October 2023 Ongoing / Underway Next Steps and Timeline

Tunisia
> The signature of additional contracts on legal migration and socio-economic
integration programmes {open}
Cooperation with Egypt
Enhanced work on migration to focus on dismantling criminal networks, with a roundtable
on the Talent Partnership conducted on 7 June in Cairo.
"""


def test_a_heading_glued_after_a_line_stopping_in_a_bracket_is_a_heading():
    (event,) = letter_annex.parse(GLUED.format(open="(contract of EUR"), "002_test.txt", TODAY)
    assert event.source.section == "Cooperation with Egypt" and "TN" not in event.countries
    assert event.description.startswith("Enhanced work on migration")


def test_a_short_line_inside_an_open_sentence_is_no_heading():
    (event,) = letter_annex.parse(GLUED.format(open="for the region with the"), "002_test.txt", TODAY)
    assert event.source.section == "Tunisia"
    assert "with the Cooperation with Egypt Enhanced work" in event.description
