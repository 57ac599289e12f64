"""Layout 001: markdown tables of a European Council migration state of play (real excerpts)."""

from __future__ import annotations

import datetime as dt
import glob
import json
import pathlib

import pytest

from parsers import parse_document
from parsers.layouts import markdown_tables

TODAY = dt.date(2025, 3, 31)
ROOT = pathlib.Path(__file__).resolve().parents[1]

EXCERPT = """EUROPEAN COUNCIL – MIGRATION STATE OF PLAY

European Commission, March 2025

| Key objectives | Key actions under way and next steps |
|------------------------------|---|
| Implementation of the | Meetings of committees, contact and expert groups |
| | • AMMR Contact Group discussed (16 December 2024) the draft national strategies template, exchanged views (14 January) on the new Commission Implementing Regulation, and discussed (14 February) the AMMR provisions on relocation and solidarity. |
| | The Informal Working Group on the Form and Uniform Methods for Relocation discussed (17 December 2024 and 21 January) the revised relocation form. |
| |
|---|
| NEXT STEPS |
| • AMMR Contact Group on 18-19 March to discuss the lists of proofs and circumstantial evidence. |
| • EUAA Resettlement and Humanitarian Admission Network - National Contact Points on 2-3 April planned to discuss operational aspects of resettlement. |

| Ти | nisia: key steps |
|---|---|
| > | Latest contacts were a February visit of the Director-General of the Commission's newly established DG MENA. |
| N | EXT STEPS |
| | • Organisation of a technical meeting on Talent Partnership (first half of 2025) and a Roundtable in June. |
| v | Vestern Balkans |
| | • Montenegro signed a working arrangement with the European Union Drugs Agency (EUDA) in October 2024. |
| | In 2024, irregular border crossings along the Eastern Mediterranean route increased by 15% to 70 219 compared to 2023. |
"""


def _events(text: str = EXCERPT):
    return markdown_tables.parse(text, "001_test.txt", TODAY)


def test_detects_markdown_tables_and_not_other_layouts():
    assert markdown_tables.matches(EXCERPT)
    assert not markdown_tables.matches("Dear colleagues,\n\nA letter.\n")


def test_several_dates_in_one_cell_are_separate_events_with_one_title():
    contact = [e for e in _events() if e.title == "AMMR Contact Group"]
    assert [(e.date.start, e.date.end) for e in contact] == [
        (dt.date(2024, 12, 16), dt.date(2024, 12, 16)),
        (dt.date(2025, 1, 14), dt.date(2025, 1, 14)),
        (dt.date(2025, 2, 14), dt.date(2025, 2, 14)),
        (dt.date(2025, 3, 18), dt.date(2025, 3, 19)),
    ]
    assert all(e.source.line == 8 for e in contact[:3])
    assert contact[3].source.line == 13 and contact[3].date.tentative and contact[3].date.precision == "days"
    assert not any(e.date.tentative for e in contact[:3])


def test_date_list_splits_into_events():
    relocation = [e for e in _events() if "Relocation" in e.title]
    assert [e.date.start for e in relocation] == [dt.date(2024, 12, 17), dt.date(2025, 1, 21)]
    assert relocation[0].title == "Informal Working Group on the Form and Uniform Methods for Relocation"


def test_split_headers_give_country_section_and_next_steps():
    events = _events()
    visit = next(e for e in events if e.date.start == dt.date(2025, 2, 1))
    assert visit.countries == ["TN"] and visit.source.section == "Tunisia" and not visit.date.tentative
    roundtable = next(e for e in events if e.date.start == dt.date(2025, 6, 1))
    assert roundtable.title == "Talent Partnership roundtable" and roundtable.countries == ["TN"] and roundtable.date.tentative
    half = next(e for e in events if e.date.precision == "half")
    assert (half.date.start, half.date.end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    montenegro = next(e for e in events if e.date.start == dt.date(2024, 10, 1))
    assert set(montenegro.countries) >= {"ME", "RS", "AL"} and montenegro.source.section == "Western Balkans"
    assert "working arrangement" in montenegro.title


def test_statistics_are_not_events():
    assert not any(e.date.precision == "year" for e in _events())


def test_sample_file_is_detected_with_its_document_date():
    path = next(iter(glob.glob(str(ROOT / "samples" / "001_*.txt"))))
    doc = parse_document(pathlib.Path(path).name, pathlib.Path(path).read_bytes())
    assert doc.layout == "markdown-tables"
    assert doc.document_date == "2025-03-31"
    assert len(doc.events) >= 150


def _fixture_recall(prefix: str) -> tuple[int, int, list[dict]]:
    expected = json.loads((ROOT / "tests" / "fixtures" / "layouts_expected.json").read_text())[prefix]
    path = next(iter(glob.glob(str(ROOT / "samples" / f"{prefix}_*.txt"))))
    events = parse_document(pathlib.Path(path).name, pathlib.Path(path).read_bytes()).events
    missed = []
    for row in expected:
        found = [
            e for e in events
            if e.source.line == row["line"] and str(e.date.start) == row["start"] and str(e.date.end) == row["end"]
            and (row["title"] is None or row["title"] in e.title.lower())
            and (row["tentative"] is None or e.date.tentative == row["tentative"])
        ]
        if not found:
            missed.append(row)
    return len(expected) - len(missed), len(expected), missed


@pytest.mark.parametrize("prefix", ["001"])
def test_hand_checked_events(prefix):
    found, total, missed = _fixture_recall(prefix)
    assert total >= 30
    assert found / total >= 0.95, missed
