"""Layout 004: a Council action file, tab-separated rows with HTML cells split over page breaks."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers import parse_document
from parsers.layouts import action_file
from tests.test_layouts_markdown_tables import ROOT, _fixture_recall

TODAY = dt.date(2024, 7, 22)
HEADER = "Action\tLead actor(s)\tStatus\tWay ahead incl. timeline\tComments"

TEXT = "\n".join([
    "**Brussels, 22 July 2024**",
    "",
    HEADER,
    "<p><b>4. Continue cooperation with Türkiye to counter migrant smuggling</b></p>\t<p>Commission, Europol</p>\t"
    "<p>Ongoing</p>\t<ul><li>- Support the implementation of Türkiye's Integrated Border Management Strategy.</li></ul>"
    "\t<ul style=\"list-style-type: none\"> <li>- High Level Dialogue between the EU and Türkiye on migration and "
    "security took place in Brussels on 23 November 2023 and discussed the need to step up the fight against migrant "
    "smuggling.</li> <li>- Kick-off meeting with DE, HU and AT and Turkish authorities took place on 5-7 December "
    "2023 in Vienna and implementation continues.</li> <li>- The EU is following up on EUCO 17/4 and Coreper 29/5 "
    "guidance on the Joint Communication's recommendations with Türkiye, including working towards",
    "",
    "PUBLIC",
    "",
    HEADER,
    "\t\t\t\t<p>a new round of High-Level Dialogue. Element highlighted in the Joint Communication on EU-Türkiye "
    "relations of 29/11.</p> <p>- In the context of the EU-TR High Level Dialogue on Trade on 8/7/2024, a fruitful "
    "session was dedicated to business mobility.</p>",
    "<p><b>18. Promote full and effective implementation of the EU-Turkey Statement</b></p>\t<p>Commission</p>\t"
    "<p>Ongoing</p>\t<ul><li>- Hold regular meetings of the Joint Readmission Committee.</li><li>- EU-Türkiye High "
    "Level Dialogue on Migration and Security, 23/11/2023</li></ul>\t<ul><li>- The next EMN Info Working Group will "
    "take place in Q4 2024.</li></ul>",
])


def _events():
    return action_file.parse(TEXT, "004_test.txt", TODAY)


def test_detects_repeated_tsv_header():
    assert action_file.matches(TEXT)
    assert not action_file.matches(HEADER + "\n")


def test_html_cells_become_events_with_lines_and_sections():
    events = _events()
    hld = [e for e in events if e.title == "EU-Türkiye High Level Dialogue on Migration and Security"]
    assert [(e.date.start, e.source.line) for e in hld] == [(dt.date(2023, 11, 23), 4), (dt.date(2023, 11, 23), 10)]
    assert hld[0].location == "Brussels" and hld[0].countries == ["TR"]
    assert hld[0].source.section.startswith("4. Continue cooperation with Türkiye")
    assert not any(e.date.tentative for e in hld)  # the way-ahead date is already past
    kick = next(e for e in events if e.date.start == dt.date(2023, 12, 5))
    assert kick.date.end == dt.date(2023, 12, 7) and kick.location == "Vienna" and kick.title.startswith("Kick-off")


def test_numeric_dates_and_page_break_continuation():
    events = {e.date.start: e for e in _events()}
    assert events[dt.date(2024, 4, 17)].title == "EUCO meeting"  # a one-word body is completed (issue 18)
    assert events[dt.date(2024, 5, 29)].title == "Coreper meeting"
    communication = events[dt.date(2023, 11, 29)]  # "of 29/11" in July 2024 is the November 2023 one
    assert "Joint Communication" in communication.title and communication.source.line == 9
    trade = events[dt.date(2024, 7, 8)]
    assert trade.title == "EU-TR High Level Dialogue on Trade" and trade.date.precision == "day"
    planned = events[dt.date(2024, 10, 1)]
    assert planned.date.end == dt.date(2024, 12, 31) and planned.title == "Next EMN Info Working Group"


def test_sample_file_is_detected():
    path = next((ROOT / "samples").glob("004_*.txt"))
    doc = parse_document(path.name, path.read_bytes())
    assert doc.layout == "action-file" and doc.document_date == "2024-07-22"


def test_hand_checked_events():
    found, total, missed = _fixture_recall("004")
    assert total >= 30 and found / total >= 0.95, missed


def _action_row(action: str, comment: str) -> str:
    """An action file of one action row (the action's title may be cut by a page break)."""
    cells = [f"<p><b>{action}</b></p>", "<p>Commission</p>", "<p>Ongoing</p>", "", f"<ul><li>- {comment}</li></ul>"]
    return "\n".join([HEADER, "\t".join(cells), "", HEADER, "<b>Migration Cooperation Centre in Istanbul</b>\t\t\t\t"])


@pytest.mark.parametrize(
    ("comment", "title"),
    [
        ("Implementation started on 1 April 2024.", "Implementation of the International Migration Cooperation Centre "
         "in Istanbul started"),
        ("Work resumed on 1 April 2024.", "Work on the International Migration Cooperation Centre in Istanbul "
         "resumed"),
    ],
)
def test_a_bare_generic_step_takes_its_object_from_the_action(comment, title):
    action = "5. Continue support for the establishment of the International"
    (event,) = action_file.parse(_action_row(action, comment), "004_test.txt", TODAY)
    assert event.title == title and event.date.start == dt.date(2024, 4, 1)
    assert event.description == comment


def test_without_a_name_the_object_is_the_action_after_its_verb():
    text = _action_row("12. Support border management capacities at the borders", "Implementation started on 1 "
                       "April 2024.").replace("<b>Migration Cooperation Centre in Istanbul</b>", "")
    (event,) = action_file.parse(text, "004_test.txt", TODAY)
    assert event.title == "Implementation of border management capacities at the borders started"


@pytest.mark.parametrize(
    "comment",
    [
        "The implementation of the scheme started on 30 March 2024.",  # names its object
        "Kick-off meeting took place on 1 April 2024.",  # names an event
        "Implementation report adopted on 1 April 2024.",  # not a bare noun and its step
    ],
)
def test_a_title_naming_its_object_keeps_it(comment):
    action = "5. Continue support for the establishment of the International"
    (event,) = action_file.parse(_action_row(action, comment), "004_test.txt", TODAY)
    assert "International Migration Cooperation Centre" not in event.title


SCHEME = "11. Reinstate the temporary scheme of short-stay tourist visits from certain Turkish areas to Greece"


def test_the_actions_word_for_its_object_is_replaced_by_the_actions_phrase():
    comment = "The implementation of the scheme started on 30 March 2024 for the first 5 islands."
    text = _action_row(SCHEME, comment).replace("<b>Migration Cooperation Centre in Istanbul</b>", "")
    (event,) = action_file.parse(text, "004_test.txt", TODAY)
    assert event.title.startswith("Implementation of the temporary scheme of short-stay tourist visits from certain "
                                  "Turkish areas to Greece")


@pytest.mark.parametrize(
    "comment",
    [
        "The implementation of the project started on 1 May 2024.",  # the action says nothing of a project
        "The implementation of the readmission agreement started on 1 May 2024.",  # the title names its object
    ],
)
def test_an_object_the_action_does_not_name_is_kept(comment):
    text = _action_row(SCHEME, comment).replace("<b>Migration Cooperation Centre in Istanbul</b>", "")
    (event,) = action_file.parse(text, "004_test.txt", TODAY)
    assert "Turkish areas" not in event.title
