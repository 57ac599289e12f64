"""Flattened variants of the samples (issue 14, step 4), as some PDF extractors emit them: each paragraph's
lines joined into one line, or each page's (the samples have no page breaks: LINES_PER_PAGE lines); table
rows (pipe tables, tab-separated dumps) stay as they are. The flattened text must give the same events as the
original within a stated tolerance.

An event is the same when its dates are and its title is alike as identity calls alike on the same days
(`calendar_svc.identity.similarity` >= SAME_DAYS_THRESHOLD, one to one): a flattened row has lost its column
widths, so its title may keep some of the comments. The share with the very same canonical title is a floor
of its own. Measured (event recall / precision / same title / same countries / same processes):

- by paragraphs: 000 0.987 / 0.987 / 0.847 / 0.997 / 0.995 (0.827 / 0.939 / 0.594 / 0.812 / - before
  `parsers.flattened`; 0.982 / 0.982 / 0.796 / 0.982 / 0.995 before a flattened row's name ended at its venue,
  bracket, full stop or a participle's comment); 001 and 004 1.000 throughout; 002 0.965 / 0.965 / 0.957 /
  0.937 / 0.982; 003 1.000 / 1.000 / 1.000 / 0.980 / 1.000 (0.980 / 0.939 / 0.980 before footnotes ended
  without page-break marks).
- by pages: 000 0.985 / 0.992 / 0.786 / 1.000 / 0.997 (0.862 / 0.949 / 0.446 / 0.754 / - before; 0.980 /
  0.987 / 0.709 / 0.987 / 0.995 before the flattened rows' names ended as above); 001 0.844 / 0.844 / 0.839 /
  1.000 / 1.000; 002 0.939 / 0.915 / 0.835 / 0.824 / 0.861; 003 0.980 / 0.980 / 0.959 / 0.979 / 1.000 (0.939
  / 0.958 / 0.958 before headings run into a page: "... Russian invasion of Ukraine One of the most ...");
  004 0.960 / 0.935 / 0.960 / 1.000 / 1.000 (001, 002 and 004 are read by other layouts, which do not look
  for rows or headings run together; their titles are being reworked, which moves a few matches).

The floors are these levels less 0.01-0.02, the tolerance: titles other parsers work on may move a few
events."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.identity import SAME_DAYS_THRESHOLD, similarity
from parsers import parse_document
from parsers.flattened import row_cuts, run_in_headings
from parsers.layouts import event_tables
from parsers.layouts.event_tables import _split_after_venue
from parsers.model import ParsedEvent
from parsers.title_lint import findings
from parsers.titles import canonical_title

# prefix -> floors of (event recall, event precision, share of the original events found with the same
# canonical title, shares of the events found with the same countries and processes), flattened by paragraphs
# and by pages
TOLERANCE = {
    "000": ((0.97, 0.97, 0.82, 0.98, 0.98), (0.97, 0.97, 0.76, 0.98, 0.98)),
    "001": ((0.99, 0.99, 0.98, 0.99, 0.99), (0.83, 0.83, 0.83, 0.99, 0.99)),
    "002": ((0.95, 0.95, 0.95, 0.91, 0.96), (0.93, 0.90, 0.82, 0.80, 0.85)),
    "003": ((0.98, 0.98, 0.96, 0.96, 0.98), (0.96, 0.96, 0.92, 0.96, 0.98)),
    "004": ((0.99, 0.99, 0.98, 0.99, 0.99), (0.94, 0.92, 0.94, 0.99, 0.99)),
}
LINES_PER_PAGE = 46  # about a page of the 000 dump

LINT_ALLOWANCE = {"000": 2}  # titles the lint may flag in a flattened sample (issue 18's goal is none)


def flatten(text: str) -> str:
    """Join the lines of each paragraph (lines between blank lines) into one; leave table rows alone."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(" ".join(line.strip() for line in paragraph))
            paragraph.clear()

    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("|") or "\t" in line:
            flush()
            out.append(line)
        else:
            paragraph.append(line)
    flush()
    return "\n".join(out)


def flatten_pages(text: str, lines_per_page: int = LINES_PER_PAGE) -> str:
    """Join the lines of each page (every `lines_per_page` lines, blank ones dropped) into one; leave table
    rows alone. The samples are text dumps without page breaks, so a page is a fixed number of lines."""
    out: list[str] = []
    page: list[str] = []

    def flush() -> None:
        if page:
            out.extend([" ".join(page), ""])
            page.clear()

    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("|") or "\t" in line:
            flush()
            out.append(line)
            continue
        if line.strip():
            page.append(line.strip())
        if number % lines_per_page == 0:
            flush()
    flush()
    return "\n".join(out)


def test_flatten_pages_joins_a_page_into_one_line():
    text = "Ethiopia\n\nThe Common Agenda\non Migration\n| a | b |\nThe EU\nIndia\nThe EU"
    expected = "Ethiopia The Common Agenda\n\non Migration\n\n| a | b |\nThe EU\n\nIndia The EU\n"
    assert flatten_pages(text, 3) == expected


def test_flatten_joins_paragraph_lines_only():
    text = "Ethiopia\nThe Common Agenda\non Migration\n\n| a | b |\n| c | d |\nx\ty"
    assert flatten(text) == "Ethiopia The Common Agenda on Migration\n\n| a | b |\n| c | d |\nx\ty"


@pytest.mark.parametrize(
    ("text", "follower", "flattened", "expected"),
    [
        ("(B) SOUTHERN MEDITERRANEAN COUNTRIES Morocco The EU-Morocco Association Agreement entered into force.", "", False,
         ["(B) SOUTHERN MEDITERRANEAN COUNTRIES", "Morocco", "The EU-Morocco Association Agreement entered into force."]),
        ("Ethiopia The Common Agenda on Migration and Mobility (CAMM) was signed by the EU and Ethiopia.", "", False,
         ["Ethiopia", "The Common Agenda on Migration and Mobility (CAMM) was signed by the EU and Ethiopia."]),
        ("Recent and upcoming events 24 January 2019 Visit of PM Abiy to Brussels", "", False,
         ["Recent and upcoming events", "24 January 2019 Visit of PM Abiy to Brussels"]),
        ("Republic of Moldova The EU-Republic of Moldova Association Agreement entered into force in 2016.", "", False,
         ["Republic of Moldova", "The EU-Republic of Moldova Association Agreement entered into force in 2016."]),
        # flattened: a sentence opening with any capital when it names the country again
        ("Niger High-Level Dialogue on migration launched in 2015. The EUCAP Sahel Niger mission was enlarged.", "", True,
         ["Niger", "High-Level Dialogue on migration launched in 2015. The EUCAP Sahel Niger mission was enlarged."]),
        # flattened: a heading after the last sentence of the previous section, and the table marker
        ("Co-chaired by EEAS (MFA, Directeur). Egypt Relations between the EU and Egypt are governed by an "
         "Association Agreement. Recent and upcoming events 10 July 2019 Senior Officials meeting", "", True,
         ["Co-chaired by EEAS (MFA, Directeur).", "Egypt", "Relations between the EU and Egypt are governed by an "
          "Association Agreement.", "Recent and upcoming events", "10 July 2019 Senior Officials meeting"]),
        # flattened: a heading ending the line, above the section's text naming it again
        ("12 October 2021 Justice, Freedom and Security Sub- committee Ukraine",
         "The PCA entered into force in 1998. Negotiations on an EU-Ukraine Association Agreement started.", True,
         ["12 October 2021 Justice, Freedom and Security Sub- committee", "Ukraine"]),
        ("Webinar on people-to-people contacts. (G) THE ACP-EU MIGRATION DIALOGUE",
         "The ACP-EU Dialogue on Migration and Development was launched in 2015.", True,
         ["Webinar on people-to-people contacts.", "(G) THE ACP-EU MIGRATION DIALOGUE"]),
        # a page flattened without its breaks: a heading inside the text of the previous section
        ("29 June 2021 EU-Cabo Verde Ministerial in Lisbon on the agenda Ethiopia The Common Agenda on Migration "
         "was signed by the EU and Ethiopia in 2015.", "", True,
         ["29 June 2021 EU-Cabo Verde Ministerial in Lisbon on the agenda", "Ethiopia",
          "The Common Agenda on Migration was signed by the EU and Ethiopia in 2015."]),
        ("Brussels Summit 2021 (C)  Western  Balkans  (Albania,  Serbia) Cooperation with all Western Balkans "
         "partners remains a top political priority for the EU.", "", True,
         ["Brussels Summit 2021", "(C)  Western  Balkans  (Albania,  Serbia)", "Cooperation with all Western "
          "Balkans partners remains a top political priority for the EU."]),
        ("JHA Ministerial ALBANIA Albania formally agreed an association with the EU in 2006 and in 2009.", "", True,
         ["JHA Ministerial", "ALBANIA", "Albania formally agreed an association with the EU in 2006 and in 2009."]),
        # a process heading in capitals, and a lettered part before a sentence opening with "A"
        ("Theme: Innovative Partnerships for Sustainable Development UNITED NATIONS",
         "The 2030 Agenda for Sustainable Development adopted by the United Nations General Assembly.", True,
         ["Theme: Innovative Partnerships for Sustainable Development", "UNITED NATIONS"]),
        ("pledges by EU Member States. J) COUNTER-SMUGGLING COOPERATION WITH AFRICAN PARTNERS A ministerial "
         "conference was hosted by Italy.", "", True,
         ["pledges by EU Member States.", "J) COUNTER-SMUGGLING COOPERATION WITH AFRICAN PARTNERS",
          "A ministerial conference was hosted by Italy."]),
        # flattened: a numbered part in sentence case, then a process's whole name in capitals
        ("Libya (separately per country) Part 3 - The global processes GLOBAL FORUM FOR MIGRATION AND DEVELOPMENT "
         "The GFMD is an initiative of the UN Member States.", "", True,
         ["Libya (separately per country)", "Part 3 - The global processes", "GLOBAL FORUM FOR MIGRATION AND "
          "DEVELOPMENT", "The GFMD is an initiative of the UN Member States."]),
        # a lettered part ending in its acronym, longer than a heading line in sentence case
        ("Annual Prague Process SOM (B)  THE EASTERN PARTNERSHIP PLATFORMS AND PANEL ON MIGRATION, MOBILITY AND "
         "INTEGRATED BORDER MANAGEMENT (IBM) The Eastern Partnership is the framework for cooperation.", "", True,
         ["Annual Prague Process SOM", "(B)  THE EASTERN PARTNERSHIP PLATFORMS AND PANEL ON MIGRATION, MOBILITY AND "
          "INTEGRATED BORDER MANAGEMENT (IBM)", "The Eastern Partnership is the framework for cooperation."]),
        # a country named again only after the page break, on the next line
        ("24 February 2021 Working Group meeting on Good Governance and Migration Iran In February 2019, the Council "
         "adopted the text of the Framework for a Comprehensive Dialogue",
         "Between the Islamic Republic of Iran and the European Union on Migration and Refugee Issues", True,
         ["24 February 2021 Working Group meeting on Good Governance and Migration", "Iran", "In February 2019, the "
          "Council adopted the text of the Framework for a Comprehensive Dialogue"]),
        # ... and not when neither line names it again
        ("24 February 2021 Working Group meeting on Good Governance and Migration Iran In February 2019, the Council "
         "adopted the text of the Framework for a Comprehensive Dialogue",
         "Between the parties on migration and refugee issues", True,
         ["24 February 2021 Working Group meeting on Good Governance and Migration Iran In February 2019, the Council "
          "adopted the text of the Framework for a Comprehensive Dialogue"]),
        # capitals that are not a process's whole name, and a numbered part in a line not flattened
        ("The meeting was held. EU GFMD SUMMIT Delegates met in Quito to discuss the agenda of the next Summit.", "",
         True, ["The meeting was held. EU GFMD SUMMIT Delegates met in Quito to discuss the agenda of the next Summit."]),
        ("Part 3 - The global processes GLOBAL FORUM FOR MIGRATION AND DEVELOPMENT The GFMD is an initiative.", "",
         False, ["Part 3 - The global processes GLOBAL FORUM FOR MIGRATION AND DEVELOPMENT The GFMD is an initiative."]),
        # inside a sentence, not after a connector, nor when the name is not soon named again
        ("6 September 2021 Visit of Commissioner Varhelyi to Turkey Meetings with FM Cavusoglu in Turkey and "
         "Ankara officials.", "", True,
         ["6 September 2021 Visit of Commissioner Varhelyi to Turkey Meetings with FM Cavusoglu in Turkey and "
          "Ankara officials."]),
        ("19 February 2019 Ministerial Conference, Istanbul Turkey Adoption of the Ministerial Declaration on the "
         "Istanbul commitments and its Call to Action, with six Member States not taking part in the Declaration "
         "but expressing ongoing support to the process, the Silk Routes partners and the other participating "
         "States of the process, agreed in principle in the preparatory meetings held in Turkey.", "", True,
         ["19 February 2019 Ministerial Conference, Istanbul Turkey Adoption of the Ministerial Declaration on the "
          "Istanbul commitments and its Call to Action, with six Member States not taking part in the Declaration "
          "but expressing ongoing support to the process, the Silk Routes partners and the other participating "
          "States of the process, agreed in principle in the preparatory meetings held in Turkey."]),
        # a name inside a sentence is no heading
        ("Morocco signed the agreement with the EU on migration and mobility in 2013 after long talks.", "", True,
         ["Morocco signed the agreement with the EU on migration and mobility in 2013 after long talks."]),
        ("Turkey EU relations were discussed at length in the Council on 3 March in Brussels last year.", "", True,
         ["Turkey EU relations were discussed at length in the Council on 3 March in Brussels last year."]),
        # a title opening with a country is no heading when the sentence does not name it again
        ("Niger Delta Development Commission met the delegation in Brussels to discuss further support.", "", True,
         ["Niger Delta Development Commission met the delegation in Brussels to discuss further support."]),
        # only flattened extractions look for headings after a sentence or at the end of a line
        ("Co-chaired by EEAS. Egypt Relations between the EU and Egypt are governed by an Association Agreement.",
         "", False,
         ["Co-chaired by EEAS. Egypt Relations between the EU and Egypt are governed by an Association Agreement."]),
        # a venue ending a row is no heading: after a comma, a connector or an ampersand, or when the text below
        # does not name it
        ("4-5 December 2019 Annual Senior Officials Meeting, Turkey",
         "Approval of the implementation plan of the Call for Action by Turkey and the partners.", True,
         ["4-5 December 2019 Annual Senior Officials Meeting, Turkey"]),
        ("6 September 2021 Visit of Commissioner Varhelyi to Turkey",
         "Meetings with FM Cavusoglu, MoI Soylu, and the Turkey desk of the Delegation in Ankara.", True,
         ["6 September 2021 Visit of Commissioner Varhelyi to Turkey"]),
        ("16 September 2020 Webinar - Assessment of anti-trafficking efforts, ECOWAS & Mauritania",
         "Presentation of the findings of the Assessment in the Member States of ECOWAS and Mauritania.", True,
         ["16 September 2020 Webinar - Assessment of anti-trafficking efforts, ECOWAS & Mauritania"]),
        ("19-20 February 2019 SOM and Budapest Process Ministerial Conference, Istanbul Turkey",
         "Adoption of the Ministerial Declaration, the Istanbul commitments and Action plan.", True,
         ["19-20 February 2019 SOM and Budapest Process Ministerial Conference, Istanbul Turkey"]),
    ],
)  # fmt: skip
def test_headings_run_into_the_text_get_their_own_line(text, follower, flattened, expected):
    assert run_in_headings(text, follower, flattened=flattened) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Steering Committee, Malabo Handover of the Chairmanship from Equatorial Guinea to Spain",
         ("Steering Committee, Malabo", "Handover of the Chairmanship from Equatorial Guinea to Spain")),
        ("EU-Ethiopia Ministerial Meeting, Addis Ababa Co-chaired by the HR/VP",
         ("EU-Ethiopia Ministerial Meeting, Addis Ababa", "Co-chaired by the HR/VP")),
        # no known place after the comma: the row stays whole
        ("Justice, Freedom and Security Subcommittee Discussed the roadmap",
         ("Justice, Freedom and Security Subcommittee Discussed the roadmap", "")),
        # a venue after "to"/"in", before a comment opening with a capital and a lower-case word
        ("Sherpa visit to Niger Visit to the border with Algeria and meetings",
         ("Sherpa visit to Niger", "Visit to the border with Algeria and meetings")),
        ("Mission to Abuja Continuation of the Readmission Agreement negotiations",
         ("Mission to Abuja", "Continuation of the Readmission Agreement negotiations")),
        # a comment opening on a participle and its preposition
        ("PEC phone call with President Erdogan Focused on Afghanistan",
         ("PEC phone call with President Erdogan", "Focused on Afghanistan")),
        # ... not a name ending in -ed, a place named by two words, a place in a list, nor a place before "by"
        ("Visit of Tunisia President Kais Saied to Brussels; meetings with Presidents", None),
        ("Solidarity Event for displaced persons in Central America and Mexico (MIRPS countries)", None),
        ("Follow-up video-conferences with senior officials from Mauritania, Algeria, Tunisia, Morocco and Libya", None),
        ("Visit to Tripoli by HRVP Borrell Meeting with GNU", None),
        # the name ends at its closing bracket or full stop before a capitalised word and a lower-case one
        ("Resumption of the negotiations (6th round) Full day session with a presentation",
         ("Resumption of the negotiations (6th round)", "Full day session with a presentation")),
        ("Thematic meeting (event led by France and Côte d’Ivoire). A side event is also organised",
         ("Thematic meeting (event led by France and Côte d’Ivoire).", "A side event is also organised")),
        ("Meeting of the Cluster (HOME/NEAR/EEAS) in Brussels", None),
        # a country after its city is no comment; a person's name and a place's first word are no venue
        ("SOM and Budapest Process Ministerial Conference, Istanbul Turkey",
         ("SOM and Budapest Process Ministerial Conference, Istanbul", "Turkey")),
        ("Visit of the President to Brussels; meetings with Presidents Charles Michel, David Sassoli", None),
        ("Officials Meeting, (Asmara) Eritrea takes over the chairmanship",
         ("Officials Meeting, (Asmara)", "Eritrea takes over the chairmanship")),
        ("President von der Leyen will visit Albania, Bosnia and Herzegovina, Kosovo, Montenegro and Serbia.", None),
        # a remote meeting's "VTC" ends the name as a venue does; so does a hyphenated participle
        ("Senior Officials Meeting, VTC Pass on Presidency from Lithuania to Czech Republic",
         ("Senior Officials Meeting, VTC", "Pass on Presidency from Lithuania to Czech Republic")),
        ("Sub-committee on Justice and Home Affairs Co-chaired by EEAS Head of Department",
         ("Sub-committee on Justice and Home Affairs", "Co-chaired by EEAS Head of Department")),
        ("Solidarity Event for displaced persons (MIRPS countries), San José (Costa Rica).", None),
    ],
)  # fmt: skip
def test_flattened_row_splits_after_the_venue(text, expected):
    assert _split_after_venue(text) == (expected or (text, ""))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Initialling of agreement text via email 21 March 2021 Signing of amendment",
         ["Initialling of agreement text via email ", "21 March 2021 Signing of amendment"]),
        ("the negotiations. 18 February 2021 7th round of the negotiations 25 February 2021 8th round",
         ["the negotiations. ", "18 February 2021 7th round of the negotiations ", "25 February 2021 8th round"]),
        # a date inside a sentence starts no row
        ("the Council adopted the mandate on 24 October 2019 The talks went on.",
         ["the Council adopted the mandate on 24 October 2019 The talks went on."]),
        ("It was signed (14 June 2016) and ratified in 2017.", ["It was signed (14 June 2016) and ratified in 2017."]),
    ],
)  # fmt: skip
def test_rows_run_together_are_cut_before_their_dates(text, expected):
    cuts = row_cuts(text, dt.date(2021, 9, 14))
    bounds = [0, *[cut for cut in cuts if cut], len(text)]
    assert [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)] == expected


def test_a_flattened_row_ends_at_its_venue_or_goes_on_inside_a_quote():
    text = ("Albania EU relations with Albania are governed by the Stabilisation and Association Agreement, which "
            "entered into force in 2009; Albania cooperates closely with the EU on readmission and border management.\n\n"
            "Recent and upcoming events\n\n20 February 2021 Commissioner  Johansson’s mission to Albania\n\n"
            "Meeting with Minister of the Interior\n\n24 September 2019 Thematic Meeting on “Legal\n\n"
            "Frameworks and Policy Development”, Cairo\n\n3 May 2021 EU-Armenia Joint Readmission\n\n"
            "Committee – written exchange\n\n13 September 2021 Sub-committee  on  Justice  and  Home Affairs\n\n"
            "Co-chaired  by  EEAS  Head  of Department\n\n6-7 March 2019 Steering Committee and Senior\n\n"
            "Officials Meeting, (Asmara) Eritrea takes over the chairmanship of the Khartoum Process\n")  # fmt: skip
    events = event_tables.parse(text, "flat.txt", dt.date(2021, 9, 14))
    assert [(e.title, e.location) for e in events] == [
        ("Commissioner Johansson’s mission to Albania", None),  # not "... Meeting with Minister ..."
        ("Thematic Meeting on “Legal Frameworks and Policy Development”", "Cairo"),
        ("EU-Armenia Joint Readmission Committee – written exchange", None),  # a cell cut by a paragraph break
        ("Sub-committee on Justice and Home Affairs", None),  # a paragraph opening on "Co-chaired by" is a comment
        ("Steering Committee and Senior Officials Meeting", "Asmara"),  # its name goes on up to its venue
    ]


def test_a_flattened_table_keeps_its_rows_heading_and_cells_cut_by_a_paragraph_break():
    text = ("Armenia EU relations with Armenia are currently governed by the EU-Armenia Comprehensive and Enhanced "
            "Partnership Agreement, which entered into force in 2021; Armenia cooperates on readmission.\n\n"
            "Recent and upcoming events 2 April 2019 Joint Readmission Committee, Yerevan 9 April 2019 EU-Armenia "
            "JLS Subcommittee,\n\nBrussels August 2020 EU-Armenia Joint Readmission\n\n"
            "Committee – written exchange 17 December 2020 EU-Armenia Partnership Council\n")  # fmt: skip
    events = event_tables.parse(text, "flat.txt", dt.date(2021, 9, 14))
    assert [(str(e.date.start), e.title, e.location, e.countries) for e in events] == [
        ("2019-04-02", "Joint Readmission Committee", "Yerevan", ["AM"]),
        ("2019-04-09", "EU-Armenia JLS Subcommittee", "Brussels", ["AM"]),
        ("2020-08-01", "EU-Armenia Joint Readmission Committee – written exchange", None, ["AM"]),
        ("2020-12-17", "EU-Armenia Partnership Council", None, ["AM"]),
    ]


def _match(original: list[ParsedEvent], flat: list[ParsedEvent]) -> list[tuple[ParsedEvent, ParsedEvent]]:
    """Pairs of the same event, one to one: the same dates and titles alike as identity calls alike (a
    flattened row may keep some of its comments in the title: "Mission to Abuja Continuation of ...")."""
    candidates = sorted(
        (
            (-similarity(canonical_title(a.title), canonical_title(b.title)), i, j)
            for i, a in enumerate(original)
            for j, b in enumerate(flat)
            if (a.date.start, a.date.end) == (b.date.start, b.date.end)
        ),
    )
    pairs, used_a, used_b = [], set(), set()
    for score, i, j in candidates:
        if -score >= SAME_DAYS_THRESHOLD and i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((original[i], flat[j]))
    return pairs


@pytest.mark.parametrize(("variant", "prefix"), [(v, p) for v in ("paragraphs", "pages") for p in sorted(TOLERANCE)])
def test_flattened_sample_gives_the_same_events_within_tolerance(sample_path, variant, prefix):
    path = sample_path(prefix)
    text = path.read_text(encoding="utf-8")
    original = parse_document(path.name, text).events
    flat = parse_document(path.name, (flatten if variant == "paragraphs" else flatten_pages)(text)).events
    pairs = _match(original, flat)
    recall, precision = len(pairs) / len(original), len(pairs) / len(flat)
    same_title = sum(canonical_title(a.title) == canonical_title(b.title) for a, b in pairs) / len(original)
    same_countries = sum(set(a.countries) == set(b.countries) for a, b in pairs) / len(pairs)
    same_processes = sum(set(a.processes) == set(b.processes) for a, b in pairs) / len(pairs)
    print(f"{variant} {prefix}: recall {recall:.3f} precision {precision:.3f} same title {same_title:.3f} "
          f"same countries {same_countries:.3f} same processes {same_processes:.3f}")  # fmt: skip
    floor_recall, floor_precision, floor_title, floor_countries, floor_processes = TOLERANCE[prefix][variant == "pages"]
    assert recall >= floor_recall and precision >= floor_precision
    assert same_title >= floor_title and same_countries >= floor_countries and same_processes >= floor_processes
    # issue 18: no title the lint flags; flattened 000 still has 2 (a row's title cut down to 'Slovenia' and
    # 'Deliverables' by a run-in heading), allowed here until event-tables reads those rows
    flagged = [(e.source.line, e.title, findings(e.title)) for e in flat if findings(e.title)]
    assert len(flagged) <= LINT_ALLOWANCE.get(prefix, 0), flagged


@pytest.mark.parametrize("variant", ["paragraphs", "pages"])
def test_flattened_000_keeps_the_sections_of_headings_run_into_the_text(sample_path, variant):
    """A lettered part ending in its acronym, a numbered part before a process's name in capitals, and a
    country named again only after the page break each still open their section."""
    path = sample_path("000")
    text = path.read_text(encoding="utf-8")
    events = parse_document(path.name, (flatten if variant == "paragraphs" else flatten_pages)(text)).events
    platforms = [e for e in events if e.title.startswith("Eastern Partnership Platform")]
    gfmd = [e for e in events if "GFMD Summit" in e.title]
    iran = [e for e in events if "Dialogue with Iran" in e.title]
    assert platforms and gfmd and iran
    assert all(e.processes == ["eastern-partnership"] for e in platforms)  # not the Prague Process above
    assert all(e.processes == ["gfmd"] for e in gfmd)  # not the counter-smuggling part above
    assert all("IR" in e.countries and "AF" not in e.countries for e in iran)  # not the Afghanistan section
