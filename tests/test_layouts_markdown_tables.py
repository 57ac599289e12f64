"""Layout 001: markdown tables of a European Council migration state of play (real excerpts)."""

from __future__ import annotations

import datetime as dt
import glob
import json
import pathlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers import parse_document
from parsers.formats.text import as_document
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


# A table whose cells are the physical lines of a PDF page: a cell wraps at the column's width (the rows
# continued by a lower-case row show it), and a name cut by the wrap goes on in the next row.
WRAPPED = """| Key objectives | Key actions under way and next steps |
|--|--|
| Legal migration | Labour Migration Platform: its sixth meeting (12 March) focused on employers and private sector engagement in legal |
| | pathways and labour market integration policies. |
| | NEXT STEPS |
| | Resettlement and humanitarian admission: Commission Proposal for the Union Resettlement and Humanitarian Admission |
| | Plan 2026-2027 to be adopted by Q4 2025. High-Level Committee on Resettlement and Humanitarian Admission on 17 March. |
| | > Talent Partnerships: Finalise Talent Partnership joint roadmaps and action plans with partner countries in upcoming |
| | meetings/roundtables. Organisation of next roundtables and technical meetings on dedicated topics. |
"""


def _wrapped(second: str, first: str = "Commission Proposal for the Union Resettlement and Humanitarian Admission") -> str:
    """WRAPPED with the name-cut pair of rows replaced by `first` (as wide as the wrapped rows) + `second`."""
    old = "Resettlement and humanitarian admission: Commission Proposal for the Union Resettlement and Humanitarian Admission"
    cut = f"Resettlement and humanitarian admission: {first}"
    return WRAPPED.replace(old, cut).replace(
        "Plan 2026-2027 to be adopted by Q4 2025. High-Level Committee on Resettlement and Humanitarian Admission on 17 March.",
        second,
    )


def test_wrap_width_is_that_of_the_rows_a_lower_case_row_continues():
    assert markdown_tables.wrap_width(as_document(WRAPPED)) in range(114, 120)
    assert markdown_tables.wrap_width(as_document(EXCERPT)) is None  # no row shows where cells wrap


def test_a_name_cut_by_the_wrap_goes_on_in_the_next_row():
    plan = next(e for e in _events(WRAPPED) if e.date.text == "by Q4 2025")
    assert "Humanitarian Admission Plan 2026-2027 to be adopted" in plan.title
    assert plan.description.startswith("Resettlement and humanitarian admission: Commission Proposal")
    assert plan.source.line == 7 and plan.date.tentative
    committee = next(e for e in _events(WRAPPED) if e.date.text == "17 March")
    assert committee.title == "High-Level Committee on Resettlement and Humanitarian Admission"


@pytest.mark.parametrize(
    "second",
    [
        "In the first meeting of the Platform (28 January 2025), the Commission presented the plan.",  # a sentence
        "• AVR from North Africa and Sahel to countries of origin intensified in March 2025.",  # an item
        "Union of Skills: Trilogues on the EU Talent Pool to be launched in June 2025.",  # a labelled item
        "The Commission adopted the plan in March 2025.",
    ],
)
def test_a_row_opening_a_sentence_or_an_item_is_not_glued(second):
    event = next(e for e in _events(_wrapped(second)) if "2025" in e.date.text and e.source.line == 7)
    assert event.description.startswith(second.lstrip("• ")[:20])


@pytest.mark.parametrize(
    "first",
    [
        "Commission Proposal for the Union Resettlement and Humanitarian Admission Plan 2026-2027 adopted in July 2024.",
        "Union Resettlement and Humanitarian Admission",  # narrower than a wrapped row: the cell ended there
    ],
)
def test_a_row_after_a_finished_or_narrow_row_is_not_glued(first):
    second = "Plan 2026-2027 to be adopted by Q4 2025."
    event = next(e for e in _events(_wrapped(second, first)) if e.date.text == "by Q4 2025")
    assert event.description == second


def test_a_heading_after_a_wide_row_stays_a_heading():
    text = _wrapped("Central Mediterranean |\n| | The Commission presented the plan on 3 March 2025.")
    event = next(e for e in _events(text) if e.date.text == "3 March 2025")
    assert event.source.section == "Central Mediterranean"
    assert event.description == "The Commission presented the plan on 3 March 2025."


@given(
    previous=st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "Zs"]), min_size=1, max_size=80),
    content=st.text(min_size=1, max_size=80),
    stop=st.sampled_from([".", "!", "?", ":", ";"]),
)
def test_a_finished_row_is_never_continued(previous, content, stop):
    assert not markdown_tables._continues(previous.strip() + stop, content, wrapped=True) or (
        stop == ";" and content[:1].islower()
    )


@given(
    opener=st.sampled_from(["The", "In", "On", "This", "It", "Following", "However,", "•", ">", "(", "Label:"]),
    rest=st.text(alphabet=st.characters(codec="ascii", categories=["L", "Zs"]), max_size=60),
)
def test_a_row_opening_a_sentence_never_continues_a_wide_row(opener, rest):
    assert not markdown_tables._continues("the Union Resettlement and Humanitarian Admission", f"{opener} {rest}", True)


RUN_IN = """| Key objectives | Key actions under way and next steps |
|--|--|
| Visa policy | |
| | {cell} |
"""


def test_a_topic_heading_run_into_its_cell_is_the_section():
    cell = ("Visa facilitation In response to democratic backsliding in Georgia, the Council adopted on 27 January "
            "a Decision to partially suspend the visa facilitation agreement with the country.")
    (event,) = _events(RUN_IN.format(cell=cell))
    assert event.source.section == "Visa facilitation"
    assert event.description.startswith("In response to democratic backsliding")
    assert "Visa facilitation" not in event.title


@pytest.mark.parametrize(
    "cell",
    [
        # a connector ends no heading: "The Gambia" is a name
        "Cooperation with The Gambia continued with a Joint Working Group on 27 January.",
        # a lower-case opener goes on with the sentence
        "Visa facilitation in response to democratic backsliding was suspended on 27 January.",
    ],
)
def test_a_sentence_is_no_run_in_heading(cell):
    (event,) = _events(RUN_IN.format(cell=cell))
    assert event.source.section == "Visa policy" and event.description == cell


LABELLED = """| Key objectives | Key actions under way and next steps |
|--|--|
| Legal pathways | {heading} |
| | • Bangladesh: Second roundtable in March 2024. |
| | In total, projects were launched in July 2024. |
| | Blue Card Directive |
| | Launch of infringements against 17 Member States (January 2023). |
"""


def test_a_label_holds_until_the_next_sub_heading_only():
    first, second, third = _events(LABELLED.format(heading="Talent Partnerships"))
    assert first.countries == second.countries == ["BD"]  # the labelled item and the text under it
    assert third.source.section == "Blue Card Directive" and third.countries == []  # not the label's any more


def test_a_sub_heading_keeps_the_country_heading_above_a_label():
    *_, last = _events(LABELLED.format(heading="Tunisia: key steps"))
    assert last.countries == ["TN"]  # the country heading's, not Bangladesh's
