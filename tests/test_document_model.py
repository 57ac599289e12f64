"""The document model on the layout side: the text reader's blocks, and the table layouts reading `Table`
blocks as a PDF, DOCX or HTML copy gives them.

Each table-layout test renders a sample in table form in memory (its tables as rows of cells, the rest as
paragraphs), derives the expected events from the text path at test time, and compares title, interval,
precision, status, tentative, countries and processes: exactly, no tolerance.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import pathlib

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.blocks import (
    Cell,
    Document,
    Heading,
    ListItem,
    Origin,
    Paragraph,
    Row,
    Table,
    TextLine,
    block_lines,
)
from parsers.dates import leading_date
from parsers.document import document_date, document_title
from parsers.formats.html import fragment_blocks, read_html
from parsers.formats.text import read_text
from parsers.grid import grid
from parsers.layouts import LAYOUTS, action_file, event_tables, markdown_tables
from parsers.model import ParsedEvent
from parsers.text import is_furniture, squeeze

SAMPLES = pathlib.Path(__file__).resolve().parents[1] / "samples"
PAGE_LINES = 50


def _sample(prefix: str) -> tuple[str, str]:
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    return path.name, path.read_text(encoding="utf-8")


def _key(event: ParsedEvent) -> tuple:
    date = event.date
    return (event.title, date.start, date.end, date.precision, date.status, date.tentative,
            tuple(event.countries), tuple(event.processes))


def _same_events(got: list[ParsedEvent], expected: list[ParsedEvent]) -> None:
    missing = collections.Counter(map(_key, expected)) - collections.Counter(map(_key, got))
    extra = collections.Counter(map(_key, got)) - collections.Counter(map(_key, expected))
    assert not missing and not extra, (list(missing)[:5], list(extra)[:5])


def _paged(origin: Origin) -> Origin:
    """A text line number as (line on page, page), pages of PAGE_LINES lines."""
    return Origin((origin.line - 1) % PAGE_LINES + 1, (origin.line - 1) // PAGE_LINES + 1)


def _first_layout(doc: Document):
    return next(layout for layout in LAYOUTS if layout.matches(doc))


# -- the text reader -----------------------------------------------------------------------------------

MIXED = "\n".join([
    "# State of play",  # 1
    "",
    "Intro  line   one",  # 3
    "  second line",  # 4
    "",
    "| Key objectives | Actions |",  # 6
    "|---|---|",
    "| Pact <i>implementation</i> | Platform met (28 January). |",  # 8
    "| |",  # 9
    "|---|",
    "| NEXT STEPS |",  # 11
    "",
    "Action\tLead actor(s)\tStatus\tWay ahead incl. timeline\tComments",  # 13
    "<b>1. Act</b>\tCommission\tOngoing\t<ul><li>- One.</li><li>- Two<br>three</li></ul>\t<p>Held on 3 May 2024.</p>",
    "\tindented by a tab only",  # 15
])


def test_text_reader_blocks():
    doc = read_text("mixed.txt", MIXED)
    kinds = [type(block).__name__ for block in doc.blocks]
    assert kinds == ["Heading", "Paragraph", "Table", "Table", "Table", "Paragraph"]
    heading, paragraph, key, steps, tsv, tail = doc.blocks
    assert (heading.text, heading.level, heading.origin) == ("State of play", 1, Origin(1))
    assert [(line.text, line.origin.line) for line in paragraph.lines] == [("Intro  line   one", 3), ("  second line", 4)]
    assert paragraph.text == "Intro line one second line"
    # a rule makes the row above it a header; a rule under a later row starts a table there
    assert [[cell.text for cell in row.cells] for row in key.rows] == [
        ["Key objectives", "Actions"], ["Pact implementation", "Platform met (28 January)."]
    ]
    assert [row.header for row in key.rows] == [True, False]
    assert [[cell.text for cell in row.cells] for row in steps.rows] == [[""], ["NEXT STEPS"]]
    assert [row.header for row in steps.rows] == [True, False] and steps.origin == Origin(9)
    # tab-separated cells: their HTML is read into list items and paragraphs
    header, row = tsv.rows
    assert header.header and [cell.text for cell in header.cells][:2] == ["Action", "Lead actor(s)"]
    way_ahead, comments = row.cells[3], row.cells[4]
    assert [type(block) for block in way_ahead.blocks] == [ListItem, ListItem]
    assert [block.text for block in way_ahead.blocks] == ["- One.", "- Two three"]
    assert [line.text for line in way_ahead.blocks[1].lines] == ["- Two", "three"]
    assert [type(block) for block in comments.blocks] == [Paragraph] and row.cells[0].text == "1. Act"
    assert row.origin == Origin(14) and all(cell.origin == Origin(14) for cell in row.cells)
    # a line indented by one tab is text, not a table (one-cell-per-line extractions)
    assert tail.lines[0].text == "\tindented by a tab only"


_LINE = st.one_of(
    st.just(""),
    st.just("   "),
    st.text(st.sampled_from("ab 19-."), min_size=1, max_size=12).map(lambda s: "x" + s),
    st.sampled_from(["# Title", "## Sub", "| a | b |", "|---|---|", "| c |", "a\tb\tc", "k:\tv", "\tcell",
                     "\t\t\t<p>x</p>", " Dear colleagues,", "| x | <i>y</i> |"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, max_size=30))
def test_text_reader_keeps_every_line_once(lines):
    """Every non-blank line but the `|---|` rules is in exactly one block, in order; paragraph lines are
    kept verbatim with their line numbers."""
    doc = read_text("any.txt", "\n".join(lines))
    seen: list[int] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            seen += [row.origin.line for row in block.rows]
        elif isinstance(block, Paragraph):
            assert all(line.text == lines[line.origin.line - 1] for line in block.lines)
            seen += [line.origin.line for line in block.lines]
        else:
            seen.append(block.origin.line)
    assert seen == [n for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("|---")]
    numbers = [line.origin.line for line in doc.lines()]
    assert numbers == sorted(numbers)


def test_grid_places_cells_under_row_and_column_spans():
    def cell(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
        return Cell(text, Origin(1), [], rowspan, colspan)

    table = Table([
        Row([cell("a", rowspan=2), cell("b", colspan=2)], Origin(1)),
        Row([cell("c"), cell("d")], Origin(2)),
        Row([cell("e", colspan=3)], Origin(3)),
    ], Origin(1))
    texts = [[c.text if c else None for c in row] for row in grid(table)]
    assert texts == [["a", "b", None], [None, "c", "d"], ["e", None, None]]


# -- event-tables: sample 000 with its tables as cells ---------------------------------------------------


def _row_span(lines: list[str], event: ParsedEvent) -> range:
    """The text lines of the row an event was read from: its date line to its last raw line."""
    end = event.source.line
    for raw in event.source.raw.split("\n")[1:]:
        found = next((k for k in range(end, len(lines) + 1) if raw.strip() and raw.strip() in lines[k - 1]), None)
        if found is None:
            break
        end = found
    return range(event.source.line, end + 1)


def _table_row(event: ParsedEvent, origin: Origin) -> Row:
    date = event.date.text + (f", {event.location}" if event.location else "")
    said = leading_date(event.date.text, dt.date(2021, 9, 14))
    tbc = event.date.tentative and not (said and said.parsed.tentative)
    title = event.title + (" (tbc)" if tbc else "")
    texts = [date, title, event.description]
    return Row([Cell(text, origin, [Paragraph(text, origin)] if text else []) for text in texts], origin)


def _table_form_000(text: str, events: list[ParsedEvent]) -> Document:
    """Sample 000 as a PDF, DOCX or HTML copy gives it: every row of its event tables as date | event |
    comments cells, the text between rows that is neither blank nor page furniture kept as paragraphs."""
    lines = text.splitlines()
    rows = sorted((e for e in events if not lines[e.source.line - 1].startswith("\t")), key=lambda e: e.source.line)
    covered: set[int] = set()
    tables: list[Table] = []
    last = 0
    for event in rows:
        span = _row_span(lines, event)
        between = range(last + 1, span.start)
        apart = any(lines[n - 1].strip() and not is_furniture(lines[n - 1]) and n not in covered for n in between)
        if not tables or apart:
            tables.append(Table([], Origin(event.source.line)))
        tables[-1].rows.append(_table_row(event, Origin(event.source.line)))
        covered.update(span)
        last = max(last, span.stop - 1)
    kept = "\n".join("" if n in covered else line for n, line in enumerate(lines, 1))
    blocks = list(read_text("000-table-form", kept).blocks)
    for table in tables:
        at = next((k for k, b in enumerate(blocks) if b.origin.line > table.origin.line), len(blocks))
        blocks.insert(at, table)
    return Document("000-table-form", "docx", blocks)


def test_event_tables_read_table_blocks_as_the_text_dump():
    name, text = _sample("000")
    today = dt.date(2021, 9, 14)
    expected = event_tables.parse(text, name, today)
    doc = _table_form_000(text, expected)
    assert sum(len(b.rows) for b in doc.blocks if isinstance(b, Table)) > 300
    assert _first_layout(doc) is event_tables
    got = event_tables.parse(doc, name, today)
    _same_events(got, expected)
    where = collections.Counter((_key(e), e.source.line, e.source.section) for e in expected)
    assert collections.Counter((_key(e), e.source.line, e.source.section) for e in got) == where


def test_event_tables_copy_without_the_dumps_spacing():
    """A DOCX copy keeps no indentation or spacing: each line of the text between the tables is a
    paragraph of its own, and the one-cell-per-line part after "Compiled by" loses its tabs; the events
    are still the text path's."""
    name, text = _sample("000")
    today = dt.date(2021, 9, 14)
    expected = event_tables.parse(text, name, today)
    blocks: list = []
    for block in _table_form_000(text, expected).blocks:
        if isinstance(block, Table):
            blocks.append(block)
        else:
            blocks += [Paragraph(squeeze(line.text), line.origin) for line in block_lines(block)]
    assert not any(b.text.startswith("\t") for b in blocks if isinstance(b, Paragraph))
    got = event_tables.parse(Document("000.docx", "docx", blocks), name, today)
    _same_events(got, expected)


def test_event_tables_table_with_headings_only_no_text_columns():
    """A copy with headings and tables only: a heading block opens a section whatever its case (a country
    heading under a process heading inherits the process), rows and pages come from the cells."""
    today = dt.date(2021, 9, 14)
    date_row = lambda date, title, line: Row(  # noqa: E731
        [Cell(t, Origin(line, 2), [Paragraph(t, Origin(line, 2))]) for t in (date, title, "")], Origin(line, 2)
    )
    doc = Document("t.docx", "docx", [
        Heading("Part 2 - Regional processes", 1, Origin(1, 1)),
        Heading("Rabat Process", 2, Origin(2, 1)),
        Paragraph("Recent and upcoming events", Origin(3, 1)),
        Table([Row([Cell(t, Origin(4, 1)) for t in ("Date", "Event", "Comments")], Origin(4, 1), True),
               date_row("12 May 2021", "Thematic meeting on legal migration – Brussels", 5),
               date_row("Autumn 2021", "Senior Officials Meeting (tbc)", 6)], Origin(4, 1)),
        Heading("Morocco", 3, Origin(7, 2)),
        Table([date_row("3 June 2021", "EU-Morocco Migration Dialogue", 9)], Origin(9, 2)),
    ])
    assert event_tables.matches(doc)
    events = event_tables.parse(doc, "t.docx", today)
    assert [(e.title, e.date.start, e.date.tentative, e.location, e.source.page) for e in events] == [
        ("Thematic meeting on legal migration", dt.date(2021, 5, 12), False, "Brussels", 2),
        ("Senior Officials Meeting", events[1].date.start, True, None, 2),
        ("EU-Morocco Migration Dialogue", dt.date(2021, 6, 3), False, None, 2),
    ]
    assert events[0].processes == events[1].processes == ["rabat-process"]
    assert events[2].countries == ["MA"] and events[2].processes == ["rabat-process"]


# -- markdown-tables: sample 001 as tables with merged key-objective cells, on pages ------------------


def _merged(table: Table) -> Table:
    """The table as a DOCX with the key-objective column merged down over rows that leave it empty."""
    rows: list[Row] = []
    owner: Cell | None = None
    for row in table.rows:
        first, *rest = row.cells
        cells = [dataclasses.replace(c, origin=_paged(c.origin), blocks=list(c.blocks)) for c in row.cells]
        if owner is not None and not first.text and rest:
            owner.rowspan += 1
            cells = cells[1:]
        else:
            owner = cells[0] if len(cells) > 1 else None
        rows.append(Row(cells, _paged(row.origin), row.header))
    return Table(rows, _paged(table.origin))


def test_markdown_tables_read_merged_cells_on_pages_as_the_text_dump():
    name, text = _sample("001")
    today = dt.date(2025, 3, 31)
    expected = markdown_tables.parse(text, name, today)
    blocks = []
    for block in read_text(name, text).blocks:
        if isinstance(block, Table):
            blocks.append(_merged(block))
        else:
            blocks += [Paragraph(line.text, _paged(line.origin)) for line in block_lines(block)]
    doc = Document(name, "docx", blocks)
    assert any(c.rowspan > 1 for b in blocks if isinstance(b, Table) for r in b.rows for c in r.cells)
    assert _first_layout(doc) is markdown_tables
    got = markdown_tables.parse(doc, name, today)
    _same_events(got, expected)
    where = collections.Counter((_key(e), _paged(Origin(e.source.line))) for e in expected)
    assert collections.Counter((_key(e), Origin(e.source.line, e.source.page)) for e in got) == where


# -- action-file: sample 004 as one HTML-celled table ----------------------------------------------------


def _one_table_004(text: str) -> Document:
    """Sample 004 as one table (the header once, a page per printed page), cells read as HTML fragments,
    the cover note as paragraphs."""
    blocks = []
    rows: list[Row] = []
    page = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("Action\tLead actor(s)"):
            page += 1
            if rows:
                continue
        elif "\t" not in line or page == 0:
            if line.strip() and "\t" not in line:
                blocks.append(Paragraph(line, Origin(number)))
            continue
        origin = Origin(number, page)
        cells = [Cell(raw, origin, list(fragment_blocks(raw, origin))) for raw in line.split("\t")]
        rows.append(Row(cells, origin, header=not rows))
    blocks.append(Table(rows, rows[0].origin))
    return Document("004.html", "html", blocks)


def test_action_file_reads_one_table_with_pages_as_the_text_dump():
    name, text = _sample("004")
    today = dt.date(2024, 7, 22)
    expected = action_file.parse(text, name, today)
    doc = _one_table_004(text)
    assert sum(isinstance(b, Table) for b in doc.blocks) == 1
    assert _first_layout(doc) is action_file
    got = action_file.parse(doc, name, today)
    _same_events(got, expected)
    assert all(e.source.page for e in got if e.source.line > 44) and {e.source.page for e in got} >= {1, 2, 3}


def test_action_file_merged_action_cell_and_uneven_pdf_spans():
    """A DOCX action cell merged down over two rows gives both rows its action; a PDF row with one cell
    per column is read by position even when the column edges gave it spans."""
    def row(texts: list[str], line: int, spans: list[int] | None = None, rowspan: int = 1) -> Row:
        origin = Origin(line, 1)
        cells = [Cell(t, origin, [ListItem(t, origin)] if t else [], rowspan if k == 0 else 1, (spans or [1] * 5)[k])
                 for k, t in enumerate(texts)]
        return Row(cells, origin)

    header = row(["Action", "Lead actor(s)", "Status", "Way ahead incl. timeline", "Comments"], 1)
    merged = row(["4. Continue cooperation with Türkiye", "Commission", "Ongoing", "",
                  "The High Level Dialogue took place on 23 November 2023."], 2, rowspan=2)
    covered = Row(row(["", "", "", "Next meeting of the Joint Readmission Committee in Q4 2024.", ""], 3).cells[1:],
                  Origin(3, 1))
    pdf = row(["5. Support Egypt", "Commission", "Ongoing", "",
               "A workshop was held in Cairo on 5 March 2024."], 4, spans=[1, 2, 2, 2, 2])
    doc = Document("af.docx", "docx", [Table([header, merged, covered, pdf], Origin(1, 1))])
    assert action_file.matches(doc)
    events = {e.date.start: e for e in action_file.parse(doc, "af.docx", dt.date(2024, 7, 22))}
    assert events[dt.date(2023, 11, 23)].countries == events[dt.date(2024, 10, 1)].countries == ["TR"]
    assert events[dt.date(2024, 10, 1)].date.tentative and events[dt.date(2024, 10, 1)].source.line == 3
    assert events[dt.date(2024, 3, 5)].countries == ["EG"] and events[dt.date(2024, 3, 5)].location == "Cairo"


def test_letter_annex_table_next_steps_column_is_planned():
    """The annex as a real table: paragraphs of the "Next Steps and Timeline" column are next steps
    without their ">" marks, those of "Ongoing / Underway" are not; a heading cell gives the country."""
    def cells(texts: list[str], line: int) -> Row:
        return Row([Cell(t, Origin(line), [Paragraph(t, Origin(line))]) for t in texts], Origin(line))

    doc = Document("002.docx", "docx", [
        Paragraph("Dear colleagues,", Origin(1)),
        Paragraph("Our work on migration continues.", Origin(2)),
        Paragraph("Yours sincerely,", Origin(3)),
        Table([
            cells(["EUCO Letter", "Ongoing / Underway", "Next Steps and Timeline"], 4),
            cells(["Tunisia", "The MoU was signed on 16 July 2023 and is under implementation.",
                   "Technical level meetings on border management in January 2024."], 5),
        ], Origin(4)),
    ])
    assert _first_layout(doc).NAME == "letter-annex"
    events = {e.date.start: e for e in _first_layout(doc).parse(doc, "002.docx", dt.date(2023, 12, 11))}
    signed, meetings = events[dt.date(2023, 7, 16)], events[dt.date(2024, 1, 1)]
    assert not signed.date.tentative and meetings.date.tentative
    assert signed.countries == meetings.countries == ["TN"] and meetings.source.line == 5


_WORDS = st.sampled_from([
    "Recent and upcoming events", "Action", "Lead actor(s)", "Status", "Way ahead incl. timeline", "Comments",
    "12 May 2021", "Q4 2024", "29/11", "tbc", "Morocco", "(A) AFRICAN COUNTRIES", "Rabat Process", "NEXT STEPS",
    "Tunisia: key steps", "Dear colleagues,", "Yours sincerely,", "II. A NEW LEGAL FRAMEWORK", "- ", "•", ">",
    "The meeting took place on 3 March 2024.", "will be held in June", "", " ", "\t", "|",
])
_TEXT = st.lists(_WORDS, max_size=4).map(" ".join)
_ORIGIN = st.builds(Origin, st.integers(1, 60), st.one_of(st.none(), st.integers(1, 5)))
_INNER = st.one_of(st.builds(Paragraph, _TEXT, _ORIGIN), st.builds(ListItem, _TEXT, _ORIGIN, st.integers(1, 3)))
_CELL = st.builds(lambda blocks, origin, rowspan, colspan: Cell("\n".join(b.text for b in blocks), origin, blocks,
                                                                rowspan, colspan),
                  st.lists(_INNER, max_size=3), _ORIGIN, st.integers(1, 3), st.integers(1, 3))
_ROW = st.builds(Row, st.lists(_CELL, max_size=6), _ORIGIN, st.booleans())
_BLOCK = st.one_of(
    st.builds(Heading, _TEXT, st.integers(1, 4), _ORIGIN),
    _INNER,
    st.builds(Table, st.lists(_ROW, max_size=6), _ORIGIN),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_BLOCK, max_size=12))
def test_every_layout_reads_any_document(blocks):
    """Whatever blocks a format reader gives (spans overlapping, empty cells, pages out of order), every
    layout detects and reads without raising, and its events point into the document."""
    doc = Document("any", "html", blocks)
    for layout in LAYOUTS:
        layout.matches(doc)
        for event in layout.parse(doc, "any", dt.date(2024, 7, 22)):
            assert event.title and event.date.start is not None and event.source.line >= 0


def test_document_date_and_title_from_the_first_text_of_an_html_page():
    """The head is the first 80 lines from the first line of text: an HTML page's body may start far down
    its source; a heading is a title candidate whatever its case."""
    page = ("<html><head><style>\n" + "p { margin: 0; }\n" * 150 + "</style></head><body>\n"
            "<h1>Action plan on the Eastern Mediterranean route</h1>\n<p>Brussels, 22 July 2024</p>\n"
            "<p>The Council met on 3 June 2024.</p></body></html>")
    doc = read_html("page.html", page)
    assert doc.blocks[0].origin.line > 150
    assert document_date(doc) == dt.date(2024, 7, 22)
    assert document_title(doc) == "Action plan on the Eastern Mediterranean route"


def test_communication_footnote_paragraph_interrupting_a_sentence():
    """In a PDF or DOCX copy a footnote is a paragraph of its own, often in the middle of a sentence cut
    by the page end: it is read as its own block, and the sentence continues after it."""
    doc = Document("003.pdf", "pdf", [
        Heading("I. INTRODUCTION", 1, Origin(1, 1)),
        Heading("II. A NEW LEGAL FRAMEWORK", 1, Origin(2, 1)),
        Paragraph("The Commission organised the first meeting of the Pact Coordination Platform which", Origin(3, 1)),
        Paragraph("3 On 7 March 2024, a meeting of return and SIS experts took place.", Origin(40, 1)),
        Paragraph("took place in Brussels on 5 February 2024.", Origin(1, 2)),
    ])
    assert _first_layout(doc).NAME == "communication"
    events = {e.date.start: e for e in _first_layout(doc).parse(doc, "003.pdf", dt.date(2024, 3, 4))}
    note, platform = events[dt.date(2024, 3, 7)], events[dt.date(2024, 2, 5)]
    assert note.title == "Meeting of return and SIS experts" and (note.source.line, note.source.page) == (40, 1)
    assert "Pact Coordination Platform" in platform.title and platform.location == "Brussels"
    assert (platform.source.line, platform.source.page) == (1, 2)


def test_letter_annex_table_continued_on_the_next_page_keeps_its_columns():
    """A PDF annex table cut by a page break, without its header row on the next page: the next-steps
    column is still the next-steps column."""
    def cells(texts: list[str], line: int, page: int, header: bool = False) -> Row:
        origin = Origin(line, page)
        return Row([Cell(t, origin, [Paragraph(t, origin)]) for t in texts], origin, header)

    doc = Document("002.pdf", "pdf", [
        Paragraph("Dear colleagues,", Origin(1, 1)),
        Paragraph("Yours sincerely,", Origin(2, 1)),
        Table([cells(["EUCO Letter", "Ongoing / Underway", "Next Steps and Timeline"], 3, 1, header=True),
               cells(["Tunisia", "The MoU was signed on 16 July 2023.", "A review is foreseen."], 4, 1)], Origin(3, 1)),
        Table([cells(["Egypt", "A visit took place on 2 December 2023.",
                      "Technical level meetings on border management in January 2024."], 1, 2)], Origin(1, 2)),
    ])
    events = {e.date.start: e for e in _first_layout(doc).parse(doc, "002.pdf", dt.date(2023, 12, 11))}
    assert events[dt.date(2024, 1, 1)].date.tentative and events[dt.date(2024, 1, 1)].countries == ["EG"]
    assert not events[dt.date(2023, 12, 2)].date.tentative and events[dt.date(2023, 12, 2)].source.page == 2


def test_event_tables_paragraphs_of_a_copy_are_prose_not_rows():
    """In an HTML or DOCX copy the text between tables is whole paragraphs: a long paragraph is not a
    flattened table to cut at its dates, and the lines of one paragraph follow each other."""
    prose = ("The European Commission adopted the New Pact on Migration and Asylum on 23 September 2020, which "
             "contains a strong component on partnerships with third countries. The Visa Facilitation Agreement "
             "was signed on 17 December 2012 and the Readmission Agreement on 19 April 2013. 24 July 2020 "
             "Initialling of the amended text via email.")
    wrapped = [TextLine("The agreements were signed in 2012 and", Origin(7)), TextLine("19 April 2013. Both", Origin(7))]
    row = Row([Cell(t, Origin(9), [Paragraph(t, Origin(9))]) for t in ("3 June 2021", "EU-Morocco Dialogue", "")],
              Origin(9))
    doc = Document("copy.html", "html", [
        Heading("Morocco", 2, Origin(5)),
        Paragraph(prose, Origin(6)),
        Paragraph(" ".join(line.text for line in wrapped), Origin(7), wrapped),
        Paragraph("Recent and upcoming events", Origin(8)),
        Table([row], Origin(9)),
        Paragraph("Recent and upcoming events", Origin(10)),
    ])
    events = event_tables.parse(doc, "copy.html", dt.date(2021, 9, 14))
    assert [(e.title, e.date.start, e.countries) for e in events] == [
        ("EU-Morocco Dialogue", dt.date(2021, 6, 3), ["MA"])
    ]


def test_document_head_counts_lines_broken_by_br():
    """Lines of one HTML paragraph broken by <br> share a source line; the head still ends after 80 lines,
    so a month heading far down the letter is not its dateline."""
    lines = ["The dialogue took place on 11 December 2023 in Nouakchott."] + [
        f"Line {k} of the letter, without a date." for k in range(100)
    ] + ["October 2023"]
    page = "<html><body><p>" + "<br>".join(lines) + "</p></body></html>"
    doc = read_html("letter.html", page)
    assert len({line.origin.line for line in doc.lines()}) == 1 and len(list(doc.lines())) == len(lines)
    assert document_date(doc) == dt.date(2023, 12, 11)


def test_letter_annex_heading_glued_after_a_sentence_in_a_copy():
    """A copy loses the page-break indentation that set a heading apart: a short heading line after a
    sentence end (last in its paragraph, or followed by a bullet) still opens its country's section."""
    def para(lines: list[str], line: int) -> Paragraph:
        kept = [TextLine(text, Origin(line)) for text in lines]
        return Paragraph(" ".join(lines), Origin(line), kept)

    doc = Document("002.html", "html", [
        para(["Dear colleagues,"], 1),
        para(["Yours sincerely,"], 2),
        para(["Egypt"], 3),
        para(["> Contracts on legal migration are expected to be signed by end of 2023.", "Senegal"], 4),
        para(["• Two high-level meetings took place on 6 December 2022 and 3 May 2023.", "Libya",
              "• Five Search and Rescue vessels were delivered on 22 June 2023."], 5),
    ])
    events = {e.date.start: e for e in _first_layout(doc).parse(doc, "002.html", dt.date(2023, 12, 11))}
    assert events[dt.date(2023, 1, 1)].countries == ["EG"]
    assert events[dt.date(2022, 12, 6)].countries == events[dt.date(2023, 5, 3)].countries == ["SN"]
    assert events[dt.date(2023, 6, 22)].countries == ["LY"]


def test_markdown_tables_do_not_depend_on_where_tables_break():
    """A PDF breaks tables at page ends, not where the markdown did: the same rows cut into tables of
    seven rows (across the original boundaries) give the same events."""
    name, text = _sample("001")
    today = dt.date(2025, 3, 31)
    blocks: list = []
    rows: list[Row] = []
    for block in [*read_text(name, text).blocks, None]:
        if isinstance(block, Table):
            rows += [dataclasses.replace(row, header=False) for row in block.rows]
            continue
        blocks += [Table(rows[k : k + 7], rows[k].origin) for k in range(0, len(rows), 7)]
        rows = []
        if block is not None:
            blocks.append(block)
    doc = Document(name, "pdf", blocks)
    assert sum(isinstance(b, Table) for b in blocks) != sum(isinstance(b, Table) for b in read_text(name, text).blocks)
    _same_events(markdown_tables.parse(doc, name, today), markdown_tables.parse(text, name, today))
