"""The state-of-play table layout, on real excerpts of the seed and on re-flowed variants of them."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from parsers import parse_document
from parsers.layouts import event_tables

TODAY = dt.date(2021, 9, 14)
FIXTURE = Path(__file__).parent / "fixtures" / "event_tables_000.tsv"

CABO_VERDE = """\
Cabo Verde
In 2007, the EU and Cabo Verde agreed on a Special Partnership Agreement. The Mobility Partnership
with Cabo Verde was signed in 2007. Cabo Verde ratified visa facilitation and readmission agreements

Recent and upcoming events
10 September 2019 4th  EU-Cabo  Verde  Joint  Visa

Facilitation  Committee  meeting  –
Brussels

Meeting  confirmed  the  overall
satisfactory implementation of the
Visa  Facilitation  Agreement. The
Council  adopted the mandate on
the 24 October.
 28 November 2019 Formal opening of negotiations on Visa
Facilitation Agreement - Brussels

30 January 2020 Further round of talks on Agreement –
Praia

24 July 2020 Initialling of agreement text via email
 29 June 2021 EU-Cabo Verde Ministerial in Lisbon Migration and VFA on the agenda
"""

UKRAINE_NO_HEADING = """\
Ukraine

The PCA entered into force in 1998. Negotiations on an EU-Ukraine Association Agreement started in
September  2008  and initialled  in  2012.  Ukraine  and the EU parliament  simultaneously  ratified

22 March 2019 JHA Subcommittee, Kiev

8 July 2019 EU-Ukraine Summit, Kiev

6 September 2019 12th EU-Ukraine  Joint  Readmission
Committee Meeting, Kiev

December 2019 (tbc) EU-Ukraine Association Council
"""

WRAPPED_DATES = """\
SERBIA

In March 2012 Serbia was granted EU candidate status. In September 2013 a Stabilisation and Association

Recent and upcoming events:

17 – 18 June 2021 Commissioner  Johansson’s
mission to Serbia

Meetings  with  President  Vucic
and Minister of Interior Vulin.
 Autumn  2021  /  early  2022
(TBC)

EU-Serbia  Subcommittee  for
Justice, Liberty and Security

Republic of Moldova
The EU-Republic  of  Moldova)  Association  Agreement,  including  a  Deep  and Comprehensive  Free

Recent and upcoming events
18 November 2020 EU-Moldova Joint Readmission\x20

Committee

12/13 October 2021\x20
(TBC)

Justice, Freedom and Security Sub-
committee

(H) UNITED STATES OF AMERICA

Relations between the EU and the US were formalised in 1990 in the Transatlantic Declaration, and

Recent and upcoming events

10-11 December\x20
2019

EU-US JHA Ministerial, Washington\x20
D.C, USA

The agenda included mostly
security related issues and visa
"""

STACKED = """\
(A) THE PRAGUE PROCESS

The Prague Process is a framework for dialogue and cooperation between the EU and its Member

Recent and upcoming events
28 January 2021 Webinar: “Migration Outlook for\x20
2021: From COVID-19 to the EU’s\x20
Pact on Migration and Asylum’

04 March 2021

15 April 2021

Webinar: Frontex Role and Capacity\x20
on Return

Webinar: ‘Which Perspectives for\x20
Labour Migration Partnerships in the\x20
Prague Process region?’

6 May 2021 Webinar "Social Capital and\x20
Transnational Human Smuggling"
"""

FURNITURE_AND_YEARLESS = """\
Nigeria
Under  the  umbrella  of  the  EU-Nigeria  Ministerial  meetings,  several  political  dialogues  session  on

 Recent and upcoming events
18 March 2021 10th round of the negotiations on the\x20
readmission agreement

11389/21 PR/ik 10
ANNEX JAI.1 LIMITE EN

17- 22 June 2021 Commissioner Urpilainen’s discussion\x20
with the Nigerian Minister of Foreign\x20
Affairs Onyeama.

30 June Letter from MFA Onyeama to HRVP on
Ministerial Roadmap

MFA indicated Nigeria’s
commitment to resume
readmission negotiations.
"""

STATUS_MARKERS = """\
(B)  THE EASTERN PARTNERSHIP PLATFORMS AND PANEL ON MIGRATION, MOBILITY

The Eastern Partnership is the framework for cooperation between the EU and Armenia, Azerbaijan,

Recent and upcoming events
March 2020-cancelled, new
date tbc

Eastern Partnership Panel on
Migration, Mobility and\x20
Integrated Border\x20
Management (IBM)

Labour Migration

GLOBAL FORUM FOR MIGRATION AND DEVELOPMENT

The GFMD is an initiative of the UN Member States to address the migration and development nexus in

Recent and upcoming events
20-24 January 2020\x20
(POSTPONED)

11th GFMD Summit, Quito Theme: Upholding rights,
strengthening state agency, and
"""

WESTERN_BALKANS = """\
(C)  Western  Balkans  (Albania,  Bosnia  and  Herzegovina,  Kosovo*,  North  Macedonia,
Montenegro, Serbia)

Cooperation with all Western Balkans partners remains a top political priority for the EU. The work with

 Recent and upcoming events
15 May 2019 EU  –  Western  Balkans  JHA  SOM,

Brussels
Cooperation  and  challenges  in
managing migration discussed.

KOSOVO

Kosovo formally  agreed an association  with the EU by signing a Stabilisation  and Association

Recent and upcoming events:

9 – 10 June 2021 5th EU - Kosovo Sub-Committee
Meeting  on  Justice,  Freedom
and Security

(D) TURKEY

Turkey
In 2008 the Council adopted a revised Accession Partnership with Turkey. On 16 December 2013 the

Recent and upcoming events
15 March 2019 54th Meeting  of  the  EU-Turkey

Association Council
"""


def read(text: str):
    return event_tables.parse(text, "excerpt.txt", TODAY)


def by_title(events, prefix: str):
    found = [e for e in events if e.title.startswith(prefix)]
    assert len(found) == 1, [e.title for e in events]
    return found[0]


def test_title_and_comments_columns_are_separated():
    events = read(CABO_VERDE)
    assert [e.date.start for e in events] == [
        dt.date(2019, 9, 10),
        dt.date(2019, 11, 28),
        dt.date(2020, 1, 30),
        dt.date(2020, 7, 24),
        dt.date(2021, 6, 29),
    ]
    first = events[0]
    assert first.title == "4th EU-Cabo Verde Joint Visa Facilitation Committee meeting"
    assert first.location == "Brussels"
    assert first.description.startswith("Meeting confirmed the overall satisfactory implementation")
    assert "Meeting confirmed" not in first.title
    assert first.countries == ["CV"]
    assert first.source.section == "Cabo Verde"
    assert events[2].title == "Further round of talks on Agreement" and events[2].location == "Praia"
    ministerial = events[4]
    assert ministerial.title == "EU-Cabo Verde Ministerial in Lisbon"
    assert ministerial.location == "Lisbon"
    assert ministerial.description == "Migration and VFA on the agenda"


def test_table_without_heading_line():
    events = read(UKRAINE_NO_HEADING)
    assert [e.title for e in events] == [
        "JHA Subcommittee",
        "EU-Ukraine Summit",
        "12th EU-Ukraine Joint Readmission Committee Meeting",
        "EU-Ukraine Association Council",
    ]
    assert all(e.countries == ["UA"] for e in events)
    assert events[0].location == "Kiev"
    council = events[3]
    assert (council.date.start, council.date.end, council.date.tentative) == (
        dt.date(2019, 12, 1),
        dt.date(2019, 12, 31),
        True,
    )


def test_date_cells_wrapping_onto_the_next_line():
    events = read(WRAPPED_DATES)
    serbia = by_title(events, "EU-Serbia Subcommittee")
    assert serbia.title == "EU-Serbia Subcommittee for Justice, Liberty and Security"
    assert (serbia.date.start, serbia.date.end, serbia.date.tentative) == (
        dt.date(2021, 9, 1),
        dt.date(2022, 4, 30),
        True,
    )
    assert serbia.countries == ["RS"]
    moldova = by_title(events, "Justice, Freedom and Security")
    assert moldova.title == "Justice, Freedom and Security Sub-committee"  # "Sub-" + "committee" re-joined
    assert (moldova.date.start, moldova.date.end, moldova.date.tentative) == (
        dt.date(2021, 10, 12),
        dt.date(2021, 10, 13),
        True,
    )
    assert moldova.countries == ["MD"]
    assert by_title(events, "EU-Moldova Joint Readmission").title == "EU-Moldova Joint Readmission Committee"
    us = by_title(events, "EU-US JHA Ministerial")
    assert (us.date.start, us.date.end) == (dt.date(2019, 12, 10), dt.date(2019, 12, 11))
    assert us.location == "Washington D.C, USA"
    assert us.countries == ["US"]


def test_dates_stacked_above_their_titles():
    events = read(STACKED)
    pairs = [(e.date.start, e.title) for e in events]
    assert (dt.date(2021, 3, 4), "Webinar: Frontex Role and Capacity on Return") in pairs
    assert any(
        start == dt.date(2021, 4, 15) and title.startswith("Webinar: ‘Which Perspectives")
        for start, title in pairs
    )
    assert any(start == dt.date(2021, 5, 6) for start, _ in pairs)
    assert all(e.processes[0] == "prague-process" for e in events)
    assert len(events) == 4


def test_page_furniture_is_ignored_and_yearless_dates_take_the_neighbouring_year():
    events = read(FURNITURE_AND_YEARLESS)
    assert len(events) == 3
    assert not any("11389" in e.title or "LIMITE" in e.title or "LIMITE" in e.description for e in events)
    assert events[0].title == "10th round of the negotiations on the readmission agreement"
    letter = events[2]
    assert letter.title == "Letter from MFA Onyeama to HRVP on Ministerial Roadmap"
    assert letter.date.start == dt.date(2021, 6, 30)
    assert letter.description.startswith("MFA indicated")


def test_cancelled_and_postponed_markers():
    events = read(STATUS_MARKERS)
    panel = by_title(events, "Eastern Partnership Panel")
    assert panel.date.status == "cancelled" and panel.date.tentative
    assert (
        panel.title
        == "Eastern Partnership Panel on Migration, Mobility and Integrated Border Management (IBM)"
    )
    assert panel.processes == ["eastern-partnership"]
    summit = by_title(events, "11th GFMD Summit")
    assert summit.date.status == "postponed"
    assert (summit.date.start, summit.date.end) == (dt.date(2020, 1, 20), dt.date(2020, 1, 24))
    assert summit.location == "Quito"
    assert summit.processes == ["gfmd"]


def test_region_and_country_headings_map_to_iso_codes():
    events = read(WESTERN_BALKANS)
    som = by_title(events, "EU – Western Balkans JHA SOM")
    assert sorted(som.countries) == ["AL", "BA", "ME", "MK", "RS", "XK"]
    assert som.location == "Brussels"
    kosovo = by_title(events, "5th EU - Kosovo")
    assert kosovo.title == "5th EU - Kosovo Sub-Committee Meeting on Justice, Freedom and Security"
    assert kosovo.countries == ["XK"]
    turkey = by_title(events, "54th Meeting")
    assert turkey.title == "54th Meeting of the EU-Turkey Association Council"
    assert turkey.countries == ["TR"]


# -- re-flowed variants: the same rows extracted differently must read the same ---------------


def _one_cell_per_line(text: str) -> str:
    """Re-extract a table one cell per line, tab-indented, as the seed's second extraction does."""
    out = []
    for event in read(text):
        out += [
            "\t" + (event.source.section or ""),
            "\t" + " ".join(event.date.text.split()),
            "\t" + event.title,
        ]
        if event.description:
            out.append("\t" + event.description)
    return "\n".join(out) + "\n"


def _run_on(text: str) -> str:
    """Flatten each table into one long line where only the dates separate the rows."""
    lines, out, table = text.splitlines(), [], []
    for line in lines:
        if re.match(r"^\s*recent and upcoming events", line, re.I):
            out.append(line)
            table = []
            out.append(table)  # placeholder list filled below
            continue
        if (
            isinstance(out[-1] if out else None, list)
            and not event_tables._REGION.match(line)
            and not (
                line.strip()
                and line.strip().split()[0].isupper()
                and len(line.strip()) < 30
                and not re.search(r"\d", line)
            )
        ):
            table.append(line.strip())
            continue
        out.append(line)
    flat = []
    for item in out:
        flat.append(" ".join(w for w in item if w) if isinstance(item, list) else item)
    return "\n".join(flat) + "\n"


@pytest.mark.parametrize(
    "excerpt",
    [CABO_VERDE, UKRAINE_NO_HEADING, WRAPPED_DATES, FURNITURE_AND_YEARLESS],
    ids=["cv", "ua", "wrap", "ng"],
)
def test_one_cell_per_line_variant_reads_the_same_rows(excerpt):
    original = read(excerpt)
    variant = read(_one_cell_per_line(excerpt))
    assert [(e.date.start, e.date.end, e.title) for e in variant] == [
        (e.date.start, e.date.end, e.title) for e in original
    ]


@pytest.mark.parametrize("excerpt", [CABO_VERDE, FURNITURE_AND_YEARLESS], ids=["cv", "ng"])
def test_run_on_variant_finds_every_row_and_date(excerpt):
    original = read(excerpt)
    flattened = _run_on(excerpt)
    assert max(len(line) for line in flattened.splitlines()) > 160  # really run-on
    variant = read(flattened)
    assert [(e.date.start, e.date.end) for e in variant] == [(e.date.start, e.date.end) for e in original]
    for ours, theirs in zip(variant, original, strict=True):
        assert ours.title.split()[:3] == theirs.title.split()[:3]
        assert ours.countries == theirs.countries


def test_nothing_depends_on_line_positions():
    """Shifting the text down and renaming the file changes provenance only."""
    shifted = "\n\n\n" + CABO_VERDE
    a, b = read(CABO_VERDE), event_tables.parse(shifted, "other-name.txt", TODAY)
    assert [(e.title, e.date.start) for e in a] == [(e.title, e.date.start) for e in b]
    assert [e.source.line + 3 for e in a] == [e.source.line for e in b]


# -- the whole seed against the hand-checked fixture ------------------------------------------


def _fixture_rows():
    lines = [line for line in FIXTURE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    names = [
        "start",
        "end",
        "precision",
        "tentative",
        "status",
        "countries",
        "processes",
        "title",
        "location",
    ]
    return [
        dict(zip(names, row, strict=True))
        for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


@pytest.fixture(scope="module")
def seed_events(request):
    path = next((Path(__file__).parent.parent / "samples").glob("000_*.txt"))
    document = parse_document(path.name, path.read_bytes())
    assert document.layout == event_tables.NAME
    assert document.document_date == "2021-09-14"
    return document.events


def test_fixture_has_at_least_sixty_rows_from_many_sections():
    rows = _fixture_rows()
    assert len(rows) >= 60
    assert len({r["countries"] + r["processes"] for r in rows}) >= 30


@pytest.mark.parametrize("row", _fixture_rows(), ids=lambda r: f"{r['start']}-{r['title'][:30]}")
def test_hand_checked_row(seed_events, row):
    matches = [
        e
        for e in seed_events
        if e.title == row["title"] and e.date.start == dt.date.fromisoformat(row["start"])
    ]
    assert matches, f"row not found: {row['start']} {row['title']}"
    event = matches[0]
    assert event.date.end == dt.date.fromisoformat(row["end"])
    assert event.date.precision == row["precision"]
    assert event.date.tentative == (row["tentative"] == "yes")
    assert event.date.status == row["status"]
    assert sorted(event.countries) == sorted(filter(None, row["countries"].split(",")))
    assert sorted(event.processes) == sorted(filter(None, row["processes"].split(",")))
    assert (event.location or "") == row["location"]


def test_no_title_contains_page_furniture_or_a_date_cell(seed_events):
    for event in seed_events:
        assert "LIMITE" not in event.title and not re.match(r"^\d{5}/\d{2}", event.title)
        assert len(event.title) >= 3


LONG_PART = """(A) SILK ROUTES

Recent and upcoming events
3 March 2021 Annual Prague Process SOM

{heading}

Recent and upcoming events
4 May 2021 Eastern Partnership Platform meeting
"""


def test_a_part_in_capitals_longer_than_a_heading_line_opens_its_section():
    heading = ("(B) THE EASTERN PARTNERSHIP PLATFORMS AND PANEL ON MIGRATION, MOBILITY AND INTEGRATED BORDER "
               "MANAGEMENT (IBM)")  # fmt: skip
    assert len(heading) > event_tables._HEADING_LINE
    platform = by_title(read(LONG_PART.format(heading=heading)), "Eastern Partnership Platform")
    assert platform.source.section.startswith("Eastern Partnership Platforms")  # not "Silk Routes" any more


def test_a_long_lettered_line_in_sentence_case_is_no_heading():
    line = ("(B) The Eastern Partnership platforms and the panel on migration, mobility and integrated border "
            "management met twice")  # fmt: skip
    platform = by_title(read(LONG_PART.format(heading=line)), "Eastern Partnership Platform")
    assert platform.source.section == "Silk Routes"
