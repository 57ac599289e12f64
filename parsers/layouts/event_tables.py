"""Layout "event-tables": state-of-play documents with "Recent and upcoming events" tables.

Each table has three columns (date | event | comments). Country, region and process headings give each
table its tags. A `Table` block (PDF, DOCX or HTML; markdown or tab-separated text) is read from its
cells. In a plain-text extraction the table is lines: rows begin with a date, the event column wraps
over several lines and interleaves with the comments column, and the columns are re-split here. Some
extractions repeat parts of the document one cell per line after the "Compiled by" line that closes the
tables (tab-indented in the text dump); those rows are read too and merge into the same events downstream.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from parsers.blocks import Cell, Document, Heading, Origin, Table, TextLine, block_lines
from parsers.dates import DateMatch, ParsedDate
from parsers.dates import leading_date as _leading_date
from parsers.flattened import is_flattened, row_cuts, run_in_headings
from parsers.formats.text import as_document
from parsers.grid import grid
from parsers.model import ParsedEvent, Source
from parsers.tagging import countries_in, heading_countries, heading_process, processes_in
from parsers.text import is_furniture, is_justified, join_lines, squeeze
from parsers.titles import clean_title, ends_open, is_connector, is_place, split_location, strip_tbc

NAME = "event-tables"

# Each line is asked "does a date start you?" several times while rows are read: ask once.
leading_date = lru_cache(maxsize=8192)(_leading_date)

_TABLE_MARKER = re.compile(r"^\s*recent\s+and\s+upcoming\s+events\s*:?\s*$", re.I)
_REGION = re.compile(r"^\s*(?:\(?[A-Z]\)|Part\s+\d+\s*[-–:])\s*\S")
_END = re.compile(r"^\s*compiled\s+by\b", re.I)
_ANY_DAY = dt.date(2000, 1, 1)  # detection only asks whether a date is there
# Width of the event column in these extractions, in characters after squeezing spaces.
_TITLE_WIDTH = 42
_HEADING_LINE = 100  # the longest line taken for a heading in sentence case
_VENUE_BEFORE = re.compile(r",\s+|\b(?:to|in|at)\s+")  # what a venue ending an event name follows
# the end of an event name before its comments: a closing bracket or a full stop, then a capitalised word
# and a lower-case one ("(6th round) Full day session", "(led by France). A side event is organised")
_NAME_END = re.compile(r"(?:(?<=\))|(?<=[a-z]{3}\.)|(?<=\)\.))\s+(?=[A-Z][a-z]*\s+[a-z])")
_VENUE_END = re.compile(r"(?:,|\b(?:to|in|at))\s+(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})$")
# a comments column opening on a participle and its preposition: "Focused on", "Chaired by"
_COMMENT_OPENER = re.compile(r"(?<=\s)[A-Z][a-z]*(?:-[a-z]+)?ed\s+(?:on|by)\b")  # also "Co-chaired by"
_REMOTE = re.compile(r"VTC|[Vv]ideo[\s-]?conference|[Oo]n-?line|[Vv]irtual")  # a venue of its own kind
_COMMENT_WIDTH = 36
_FULL_LINE = 30
# Words that end event names; a comments column does not start with them.
_TITLE_NOUNS = frozenset(
    "summit council committee meeting dialogue conference ministerial forum statement agreement "
    "process platform group commission subcommittee sub-committee partnership roadmap workshop "
    "seminar session".split()
)


def matches(doc: Document | str) -> bool:
    """Two "Recent and upcoming events" tables, or two tables whose rows mostly begin with a date."""
    doc = as_document(doc)
    if len(re.findall(r"recent\s+and\s+upcoming\s+events", doc.text(), re.I)) >= 2:
        return True
    return sum(1 for block in doc.blocks if isinstance(block, Table) and _dated_rows(block)) >= 2


def _dated_rows(table: Table) -> bool:
    """Whether most rows of a table (a header row aside) begin with a date."""
    firsts = [squeeze(cells[0].text) for cells, row in zip(grid(table), table.rows, strict=True)
              if cells and cells[0] and not row.header]
    dated = sum(1 for text in firsts if leading_date(text, _ANY_DAY) is not None)
    return bool(firsts) and dated * 2 > len(firsts)


@dataclass
class Section:
    name: str | None = None
    countries: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    process_section: bool = False


@dataclass
class _Row:
    date: DateMatch
    origin: Origin  # where the date is
    title_lines: list[str] = field(default_factory=list)
    comment_lines: list[str] = field(default_factory=list)
    raw_lines: list[str] = field(default_factory=list)
    location: str | None = None


@dataclass
class _Line:
    number: int
    text: str
    page: int | None = None
    heading: bool = False  # a heading block of the document
    physical: bool = True  # a line as the format laid it out (not a whole paragraph of a DOCX or HTML)
    seq: int = 0  # position in the reading order; a gap is a dropped line (page furniture)

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def origin(self) -> Origin:
        return Origin(self.number, self.page)


def parse(doc: Document | str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read every table of a state-of-play document: `Table` blocks from their cells, the text between
    them (headings, and the tables of text extractions) line by line."""
    reader = _Reader(document, today)
    cells: list[_Line] = []  # tab-indented lines, and whatever follows the "Compiled by" line
    ended = False
    for lines, table in _segments(as_document(doc, document)):
        main = []
        for line in lines:
            if is_furniture(line.text):
                continue
            if ended or line.text.startswith("\t"):
                cells.append(line)
            else:
                main.append(line)
                ended = bool(_END.match(line.text))
        reader.flattened = is_flattened([line.text for line in main if line.physical])
        reader.read_main(_unflatten(main, today, flattened=reader.flattened))
        if table is not None and not ended:
            reader.read_table(table)
    reader.read_cells(cells)
    return reader.events


def _segments(doc: Document) -> list[tuple[list[_Line], Table | None]]:
    """The document's lines up to each `Table` block, and that table. Blank lines are put back where
    lines are missing between two blocks (at least one between blocks), as a text extraction has them."""
    segments: list[tuple[list[_Line], Table | None]] = []
    lines: list[_Line] = []
    previous: Origin | None = None
    seq = 0
    for block in doc.blocks:
        if isinstance(block, Table):
            segments.append((lines, block))
            lines, previous = [], None
            continue
        for k, line in enumerate(block_lines(block)):
            origin = line.origin
            if k == 0 and previous is not None:
                gap = origin.line - previous.line - 1 if origin.page == previous.page else 1
                for n in range(1, max(gap, 1) + 1):
                    lines.append(_Line(previous.line + n, "", previous.page, seq=seq + n))
                seq += max(gap, 1)
            # the lines of a block follow each other, whatever numbers the format gave them; a block's first
            # line keeps its distance from the previous block (in a text dump, a gap is a dropped line)
            same_page = previous is None or origin.page == previous.page
            seq = max(seq + 1, origin.line) if k == 0 and same_page else seq + 1
            heading = isinstance(block, Heading)
            physical = not heading and bool(block.lines)
            lines.append(_Line(origin.line, line.text, origin.page, heading, physical, seq))
            previous = origin
    segments.append((lines, None))
    return segments


def _unflatten(lines: list[_Line], today: dt.date, *, flattened: bool) -> list[_Line]:
    """Put what a flattened extraction runs together back on lines of their own: headings run into the
    text, and the rows of a table (split before every date that starts a row)."""
    out: list[_Line] = []
    for line in _split_run_in_headings(lines, flattened=flattened):
        text = line.text
        cuts = row_cuts(text, today) if line.physical and flattened else []
        if not cuts:
            out.append(line)  # a paragraph of a DOCX or HTML page is prose, not a flattened table
            continue
        bounds = [0, *cuts, len(text)] if cuts[0] > 0 else [*cuts, len(text)]
        for start, end in zip(bounds, bounds[1:], strict=False):
            piece = text[start:end].strip()
            if piece:  # a row after a blank line; what comes before the first row continues the line above
                out.extend([replace(line, text="")] if start in cuts else [])
                out.append(replace(line, text=piece))
    return out


def _split_run_in_headings(lines: list[_Line], *, flattened: bool) -> list[_Line]:
    """Headings run into the text of a physical line on lines of their own (`parsers.flattened`)."""
    out: list[_Line] = []
    for i, line in enumerate(lines):
        if not line.physical or not line.text:
            out.append(line)
            continue
        follower = next((later.text for later in lines[i + 1 :] if not later.blank), "")
        pieces = [piece for piece in run_in_headings(line.text, follower, flattened=flattened) if piece]
        for k, text in enumerate(pieces):
            out.extend([replace(line, text="")] if k else [])
            out.append(replace(line, text=text))
    return out


class _Reader:
    def __init__(self, document: str, today: dt.date) -> None:
        self.document = document
        self.today = today
        self.events: list[ParsedEvent] = []
        self.section = Section()
        self.year_hint: int | None = None
        self.flattened = False  # a flattened extraction: a row's cells run together on one line

    # -- sections -------------------------------------------------------------------------------

    def _heading(self, lines: list[_Line], i: int) -> Section | None:
        """The section a line opens, if it is a heading (a country name must be followed by prose)."""
        text = squeeze(lines[i].text)
        if lines[i].heading and text and not _TABLE_MARKER.match(text):
            return self._heading_block(text)
        if not text or not text[0].isupper() and text[0] != "(":
            return None
        region = _REGION.match(text)
        if len(text) > _HEADING_LINE and not (region and text.isupper()):
            return None  # prose, unless a lettered or numbered part in capitals, however long
        if not region and not text.isupper() and len(text) > 40:
            return None  # neither a region or process heading nor a country name
        process = None if re.search(r"countries", text, re.I) else heading_process(text)
        if region or (process and text.isupper()):
            processes = [process] if process else []
            return Section(_section_name(text), heading_countries(text), processes, bool(process))
        countries = heading_countries(text)
        if countries and len(text) <= 40 and not (i > 0 and ends_open(lines[i - 1].text)):
            k = _next_index(lines, i)
            follower = squeeze(lines[k].text) if k is not None else ""
            if k is not None and leading_date(follower, self.today) is not None:
                return None
            if not follower or len(follower) > 55 or _TABLE_MARKER.match(follower) or _REGION.match(follower):
                inherited = self.section.processes if self.section.process_section else []
                return Section(_section_name(text), countries, list(inherited), self.section.process_section)
        return None

    def _heading_block(self, text: str) -> Section:
        """The section a heading block opens: its countries, or its process (which the country
        sections under it inherit)."""
        process = None if re.search(r"countries", text, re.I) else heading_process(text)
        countries = heading_countries(text)
        if process or not countries:
            return Section(_section_name(text), countries, [process] if process else [], bool(process))
        inherited = self.section.processes if self.section.process_section else []
        return Section(_section_name(text), countries, list(inherited), self.section.process_section)

    # -- main extraction ------------------------------------------------------------------------

    def read_main(self, lines: list[_Line]) -> None:
        in_table = False
        rows: list[_Row] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            text = line.text
            if _END.match(text):
                break
            section = self._heading(lines, i)
            if section is not None:
                self._flush(rows)
                rows = []
                self.section = section
                in_table = False
                i += 1
                continue
            if _TABLE_MARKER.match(text):
                in_table = True
                i += 1
                continue
            if line.blank:
                i += 1
                continue
            starts_row = self._row_start(lines, i)
            short = len(squeeze(text)) < 90
            if not in_table and starts_row and line.physical and _prev_blank(lines, i) and short:
                in_table = True  # a table without its heading line (in a text extraction)
            if not in_table:
                i += 1
                continue
            if starts_row:
                i = self._read_rows(lines, i, rows)
            else:
                if rows:
                    rows[-1].comment_lines.append(text)
                    rows[-1].raw_lines.append(text)
                i += 1
        self._flush(rows)

    def _row_start(self, lines: list[_Line], i: int) -> DateMatch | None:
        text = lines[i].text
        match = leading_date(text, self.today, self.year_hint)
        if match is None or match.parsed.start is None:
            return None
        rest = squeeze(text[match.end :])
        after_blank = _prev_blank(lines, i)
        if rest and rest[0].islower() and not rest.startswith(("and ", "e-")):
            return None
        # a bare year, or a date without its year, starts a row only after a blank line
        if match.parsed.precision == "year" and not match.parsed.tentative and not after_blank:
            return None
        if match.parsed.year_inferred and (match.parsed.precision not in ("day", "days") or not after_blank):
            return None
        return match

    def _date_match(self, lines: list[_Line], i: int) -> tuple[DateMatch, str, int]:
        """The date at the start of line i, extended onto the next line when the date cell wraps."""
        text = lines[i].text
        match = leading_date(text, self.today, self.year_hint)
        assert match is not None
        j = i + 1
        if j < len(lines) and not lines[j].blank and len(squeeze(lines[j].text)) <= 30:
            head = squeeze(text)
            joined = head + " " + squeeze(lines[j].text)
            longer = leading_date(joined, self.today, self.year_hint)
            if longer is not None and longer.end >= len(joined.rstrip(" ,")):
                return longer, "", j + 1
        return match, text[match.end :], i + 1

    def _read_rows(self, lines: list[_Line], i: int, rows: list[_Row]) -> int:
        """Read one row, or a stack of date-only lines and the title blocks that follow them."""
        stacked: list[tuple[DateMatch, int, str]] = []
        date_line = ""
        location = None
        while i < len(lines) and location is None:
            if lines[i].blank:
                i += 1
                continue
            if not self._row_start(lines, i) or self._heading(lines, i) is not None:
                break
            match, rest, nxt = self._date_match(lines, i)
            rest = rest.strip("\n").lstrip()
            if rest.startswith(","):
                rest = rest.lstrip(" ,")
                following = lines[nxt].text.strip() if nxt < len(lines) else ""
                if not rest and following and len(following.split()) <= 2 and _next_blank(lines, nxt):
                    location, nxt = following.strip(" ,"), nxt + 1
            stacked.append((match, lines[i].origin, rest))
            date_line = lines[i].text
            i = nxt
            if rest.strip():
                break
        if not stacked:
            return i + 1
        self.year_hint = _year_of(stacked[-1][0].parsed) or self.year_hint
        if len(stacked) > 1 and not stacked[-1][2].strip():
            return self._read_stack(lines, i, stacked, rows)
        match, origin, rest = stacked[-1]
        row = _Row(match, origin, raw_lines=[date_line], location=location)
        i = self._read_title(lines, i, row, rest)
        rows.append(row)
        return i

    def _read_stack(self, lines: list[_Line], i: int, stacked: list, rows: list[_Row]) -> int:
        """Dates stacked above their titles: pair the k dates with the next k title blocks."""
        blocks: list[list[str]] = []
        while i < len(lines) and len(blocks) < len(stacked):
            if lines[i].blank:
                i += 1
                continue
            if self._row_start(lines, i) or self._heading(lines, i) is not None:
                break
            block = []
            while i < len(lines) and not lines[i].blank and not self._row_start(lines, i):
                block.append(lines[i].text)
                i += 1
            blocks.append(block)
        paired = stacked[len(stacked) - len(blocks) :] if len(blocks) < len(stacked) else stacked
        for (match, origin, _), block in zip(paired, blocks, strict=False):
            rows.append(_Row(match, origin, title_lines=block, raw_lines=list(block)))
        return i

    def _ends_row(self, lines: list[_Line], i: int) -> bool:
        """A new row, a heading or a table marker ends the current row."""
        if _TABLE_MARKER.match(lines[i].text) or self._row_start(lines, i):
            return True
        return self._heading(lines, i) is not None

    def _read_title(self, lines: list[_Line], i: int, row: _Row, first: str) -> int:
        """Title lines from the date line on, splitting off the interleaved comments column."""
        if not first.strip():
            k = _next_index(lines, i - 1)
            if k is not None and not self._row_start(lines, k) and self._heading(lines, k) is None:
                first, i = lines[k].text, k + 1
                row.raw_lines.append(first)
        if self.flattened:  # the row's cells run together: no column widths to split them by
            title, comment = _split_at_gap(first)
            title, comment = (title, comment) if comment else _split_after_venue(title)
        else:
            title, comment = _split_inline_comment(first) if first else ("", "")
        if first:
            row.title_lines.append(title)
        if comment:
            row.comment_lines.append(comment)
        last = title
        last_raw = first
        split = bool(comment)
        while i < len(lines):
            j, skipped_blank = i, False
            while j < len(lines) and lines[j].blank and not skipped_blank:
                j, skipped_blank = j + 1, True
            if j >= len(lines) or lines[j].blank:
                break
            candidate = lines[j].text
            if self._ends_row(lines, j):
                break
            stripped = candidate.strip()
            if not last or (last_raw is first and not skipped_blank and not split):
                wraps = True  # lines right under the date line continue its event cell
            elif split:
                wraps = ends_open(last.rstrip(" ,"))
            elif self.flattened and skipped_blank and (_ends_at_venue(last) or _opens_comment(stripped)):
                wraps = False  # the name ends at its venue, or a comment follows ("Co-chaired by …")
            else:
                wraps = (
                    ends_open(last)
                    or last_raw.endswith(" ")
                    or is_justified(last_raw)
                    or (not skipped_blank and (stripped[:1].islower() or len(squeeze(last)) >= _FULL_LINE))
                    or (not skipped_blank and len(stripped.split()) <= 2 and _next_blank(lines, j))
                    or (self.flattened and last_raw is first and _short_cells(last, stripped))
                    or (self.flattened and _open_quote(join_lines(row.title_lines)))
                )
            if not wraps:
                break
            row.title_lines.append(candidate)
            row.raw_lines.append(candidate)
            last, last_raw, split = squeeze(candidate), candidate, False
            i = j + 1
        # everything up to the next row is the comments column
        while i < len(lines):
            if not lines[i].blank and self._ends_row(lines, i):
                break
            if not lines[i].blank:
                row.comment_lines.append(lines[i].text)
                row.raw_lines.append(lines[i].text)
            i += 1
        return i

    # -- tables with real cells ------------------------------------------------------------------

    def read_table(self, table: Table) -> None:
        """Rows of a `Table`: the date cell, the event cell, the comments; a row without a date continues
        the row above (a row broken by a page break), a row holding one heading opens a section."""
        rows: list[_Row] = []
        for cells in grid(table):
            texts = [[squeeze(line.text) for line in block_lines_of(cell)] if cell else [] for cell in cells]
            texts = [[line for line in lines if line] for lines in texts]
            first = " ".join(texts[0]) if texts else ""
            match = leading_date(first, self.today, self.year_hint)
            if match is None or match.parsed.start is None:
                if not first and rows:
                    rows[-1].title_lines.extend(texts[1] if len(texts) > 1 else [])
                    rows[-1].comment_lines.extend(line for lines in texts[2:] for line in lines)
                    rows[-1].raw_lines.extend(line for lines in texts for line in lines)
                elif first and not any(texts[1:]):
                    self._table_heading(first, rows)
                continue
            self.year_hint = _year_of(match.parsed) or self.year_hint
            rest = first[match.end :].strip()
            location = rest.lstrip(" ,") if rest.startswith(",") else None
            title = [rest] if rest and location is None else []
            origin = next(cell.origin for cell in cells if cell)
            rows.append(
                _Row(
                    match,
                    origin,
                    title_lines=title + (texts[1] if len(texts) > 1 else []),
                    comment_lines=[line for lines in texts[2:] for line in lines],
                    raw_lines=[" | ".join(" ".join(lines) for lines in texts)],
                    location=location,
                )
            )
        self._flush(rows)

    def _table_heading(self, text: str, rows: list[_Row]) -> None:
        """A row holding only a heading ("Ethiopia", "(A) AFRICAN COUNTRIES") opens a section."""
        section = self._heading([_Line(0, text)], 0)
        if section is not None:
            self._flush(rows)
            self.section = section

    # -- one-cell-per-line extraction -----------------------------------------------------------

    def read_cells(self, lines: list[_Line]) -> None:
        self.section = Section()
        self.year_hint = None
        rows: list[_Row] = []
        pending: list[tuple[DateMatch, Origin]] = []
        current: _Row | None = None
        for i, line in enumerate(lines):
            text = squeeze(line.text)
            if not text:
                continue
            section = self._cell_heading(lines, i)
            if section is not None:
                self._flush(rows)
                rows, pending, current = [], [], None
                self.section = section
                continue
            if _TABLE_MARKER.match(text):
                pending, current = [], None
                continue
            match = leading_date(text, self.today, self.year_hint)
            if match is not None and match.parsed.start is not None and not squeeze(text[match.end :]):
                pending.append((match, line.origin))
                self.year_hint = _year_of(match.parsed) or self.year_hint
                current = None
                continue
            if pending:
                match, origin = pending.pop()  # a date directly above its title; earlier ones lost theirs
                pending = []
                current = _Row(match, origin, title_lines=[text], raw_lines=[text])
                rows.append(current)
            elif current is not None:
                current.comment_lines.append(text)
                current.raw_lines.append(text)
        self._flush(rows)

    def _cell_heading(self, lines: list[_Line], i: int) -> Section | None:
        text = squeeze(lines[i].text)
        if len(text) > 70:
            return None
        if _REGION.match(text):
            process = None if re.search(r"countries", text, re.I) else heading_process(text)
            processes = [process] if process else []
            return Section(_section_name(text), heading_countries(text), processes, bool(process))
        countries = heading_countries(text)
        if countries and len(text) <= 40:
            nxt = _next_text(lines, i)
            if nxt is None or len(squeeze(nxt)) > 55 or _TABLE_MARKER.match(nxt):
                return Section(_section_name(text), countries)
        return None

    # -- rows to events -------------------------------------------------------------------------

    def _flush(self, rows: list[_Row]) -> None:
        for row in rows:
            event = self._event(row)
            if event is not None:
                self.events.append(event)
        rows.clear()

    def _event(self, row: _Row) -> ParsedEvent | None:
        title = clean_title(join_lines(row.title_lines))
        if self.flattened and len(row.title_lines) > 1:  # cells joined across a paragraph break: split again
            title, comment = _split_after_venue(title)
            row.comment_lines[:0] = [comment] if comment else []
        if len(title) < 3:
            return None
        title, tbc = strip_tbc(title)
        title, location = split_location(title)
        parsed: ParsedDate = row.date.parsed
        if tbc and not parsed.tentative:
            parsed = _with_tentative(parsed)
        countries = list(self.section.countries)
        if self.section.process_section or not countries:
            countries += [c for c in countries_in(title) if c not in countries]
        processes = list(self.section.processes)
        processes += [p for p in processes_in(title) if p not in processes]
        return ParsedEvent(
            title=title,
            date=parsed,
            source=Source(
                self.document,
                row.origin.line,
                self.section.name,
                "\n".join(r.rstrip() for r in row.raw_lines),
                row.origin.page,
            ),
            description=clean_title(join_lines(row.comment_lines)),
            location=row.location or location,
            countries=countries,
            processes=processes,
        )


def block_lines_of(cell: Cell) -> list[TextLine]:
    """The lines of a cell: one per paragraph, list item or line break."""
    lines = [line for block in cell.blocks for line in block_lines(block)]
    return lines or [TextLine(cell.text, cell.origin)]


def _split_inline_comment(text: str) -> tuple[str, str]:
    """Split "HR/VP visit to Niger Meeting  with  Nigerien" into the title and comments columns."""
    title, comment = _split_at_gap(text)
    if comment:
        return title, comment
    words = text.split()
    flat = " ".join(words)
    if len(flat) <= _TITLE_WIDTH:
        return flat, ""
    for k in range(2, len(words)):
        title, comment = " ".join(words[:k]), " ".join(words[k:])
        if len(title) > _TITLE_WIDTH:
            break
        if (
            len(comment) <= _COMMENT_WIDTH
            and words[k][:1].isupper()
            and not is_connector(words[k - 1])
            and not words[k - 1].endswith(",")
            and not _continues_title(words, k)
        ):
            return title, comment
    return flat, ""


def _short_cells(title: str, following: str) -> bool:
    """In a flattened extraction, an event cell cut by a paragraph break: the row stops short, and the next
    paragraph opens with a short piece before its first row or its comments ("EU-Armenia Joint Readmission" +
    "Committee – written exchange", "Steering Committee and Senior" + "Officials Meeting, (Asmara) Eritrea
    takes over …")."""
    name = _split_after_venue(squeeze(following))[0]  # "Officials Meeting, (Asmara)" + its comments
    return len(squeeze(title)) <= _TITLE_WIDTH and len(name) <= _TITLE_WIDTH


def _opens_comment(text: str) -> bool:
    """A paragraph opening on a participle and its preposition ("Co-chaired by …"): a comments cell."""
    return bool(_COMMENT_OPENER.match(f" {text}", 1))


def _open_quote(title: str) -> bool:
    """A name quoted but not closed yet ("Thematic Meeting on “Legal"): its cell goes on."""
    return title.count("“") > title.count("”")


def _ends_at_venue(title: str) -> bool:
    """An event name ending at its venue ("mission to Albania", "Meeting, Nairobi"): complete."""
    venue = _VENUE_END.search(squeeze(title))
    return bool(venue and is_place(venue.group("place")))


def _split_at_gap(text: str) -> tuple[str, str]:
    """Single-spaced title words, then a justified comment starting at the word before the first wide gap
    ("HR/VP visit to Niger Meeting  with  Nigerien"); the text and "" when it is not laid out so."""
    tokens = re.split(r"( +)", text.strip())
    words, gaps = tokens[0::2], [len(g) for g in tokens[1::2]]
    if len(words) >= 5:
        first_wide = next((k for k, g in enumerate(gaps) if g >= 2), None)
        title_words = 2 if first_wide and words[first_wide - 1].lower() in _TITLE_NOUNS else 3
        if first_wide is not None and first_wide >= title_words and len(words) - first_wide >= 3:
            title, comment = " ".join(words[:first_wide]), " ".join(words[first_wide:])
            if (
                not is_connector(words[first_wide - 1])
                and words[first_wide][:1].isupper()
                and len(title) <= _TITLE_WIDTH
            ):
                return title, comment
    return " ".join(words), ""


def _split_after_venue(text: str) -> tuple[str, str]:
    """Split a flattened row where its comments column starts: after the venue that ends its event name
    ("Steering Committee, Malabo Handover of the Chairmanship ..." -> ("Steering Committee, Malabo",
    "Handover of the Chairmanship ..."), "Sherpa visit to Niger Visit to the border ..."), or before a
    comment opening on a participle ("... with President Erdogan Focused on Afghanistan")."""
    head = text[: 3 * _TITLE_WIDTH]
    cuts = [cut for sep in _VENUE_BEFORE.finditer(head) if (cut := _venue_end(text, sep))]
    cuts += [m.start() for m in _COMMENT_OPENER.finditer(head) if head[: m.start()].count(" ") >= 3]
    cuts += [m.end() for m in _NAME_END.finditer(text[: 2 * len(head)]) if head[: m.start()].count(" ") >= 2]
    if not cuts:
        return text, ""
    return text[: min(cuts)].strip(), text[min(cuts) :].strip()


def _venue_end(text: str, sep: re.Match[str]) -> int | None:
    """Where a comment of two words or more starts after the place that follows `sep` (a comma, or "to"/
    "in"/"at", after which the comment must open with a capitalised word and a lower-case one, not a list's
    "and": "Niger Visit to"); None when no place follows, the place goes on ("San José"), or it is one of a
    list ("Mauritania, Algeria, Tunisia")."""
    comma = sep.group().startswith(",")
    words = list(re.finditer(r"\S+", text[sep.end() :]))
    for k in range(1, min(4, len(words))):
        place, following = text[sep.end() : sep.end() + words[k - 1].end()], words[k].group()
        place = place[1:-1] if place.startswith("(") and place.endswith(")") else place  # ", (Asmara)"
        if not place[:1].isupper() or not re.match(r"[A-Z][a-z]", following):
            continue
        if comma and _in_list(text[: sep.start()], place, following):
            return None
        after = words[k + 1].group() if k + 1 < len(words) else ""
        opener = after[:1].islower() and after not in ("and", "or")
        # not a name's last word ("David Sassoli"), nor the first word of a place's name ("San José")
        comment = comma and (after or is_place(following)) or opener
        if comment and _REMOTE.fullmatch(place.rstrip(",")):
            return sep.end() + words[k].start()
        if comment and is_place(place) and not is_place(f"{place.rstrip(',')} {following}"):
            return sep.end() + words[k].start()
    return None


def _in_list(before: str, place: str, following: str) -> bool:
    """A place between a place and a comma ("Mauritania, Algeria, Tunisia") is an item of a list."""
    last = before.split()
    named = any(is_place(" ".join(last[-n:])) for n in (1, 2, 3))  # "Bosnia and Herzegovina, Kosovo, …"
    return place.endswith(",") and named and is_place(following.rstrip(","))


def _continues_title(words: list[str], k: int) -> bool:
    """True when words[k] reads as the end of the event name ("Summit", "Meeting, VTC") rather than
    the start of a comment ("Meeting with GNU …")."""
    if words[k].lower().strip(",.") not in _TITLE_NOUNS:
        return False
    return k + 1 == len(words) or words[k].endswith(",") or words[k + 1][:1].isupper()


def _with_tentative(parsed: ParsedDate) -> ParsedDate:
    edtf = parsed.edtf if parsed.edtf is None or parsed.edtf.endswith("?") else parsed.edtf + "?"
    return replace(parsed, tentative=True, edtf=edtf)


def _year_of(parsed: ParsedDate) -> int | None:
    return parsed.end.year if parsed.end is not None and not parsed.year_inferred else None


def _section_name(text: str) -> str:
    name = re.sub(r"^\s*\(?[A-Z]\)\s*", "", squeeze(text)).rstrip("*: ")
    name = re.sub(r"^(?:the)\s+", "", name, flags=re.I)
    name = re.sub(r"\s*\(.*$", "", name) if name.count("(") > name.count(")") else name
    name = re.sub(r"\s*\([^()]*,[^()]*\)$", "", name)  # its countries: "Western Balkans (Albania, ...)"
    if name.isupper() or name.islower() or not name[:1].isupper() or re.search(r" [a-z]{4,}", name):
        small = {"and", "of", "the", "on", "for", "with", "in"}
        words = name.lower().split()
        name = " ".join(w if (w in small and k) else w[:1].upper() + w[1:] for k, w in enumerate(words))
        name = re.sub(r"\b(eu|acp|celac|ibm|au)\b", lambda m: m.group(1).upper(), name, flags=re.I)
    return name


def _next_index(lines: list[_Line], i: int) -> int | None:
    for k in range(i + 1, len(lines)):
        if not lines[k].blank:
            return k
    return None


def _next_text(lines: list[_Line], i: int) -> str | None:
    k = _next_index(lines, i)
    return None if k is None else lines[k].text


def _next_blank(lines: list[_Line], i: int) -> bool:
    return i + 1 >= len(lines) or lines[i + 1].blank


def _prev_blank(lines: list[_Line], i: int) -> bool:
    return i == 0 or i > len(lines) - 1 or lines[i - 1].blank or lines[i - 1].seq != lines[i].seq - 1
