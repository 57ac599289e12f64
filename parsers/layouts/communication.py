"""Layout "communication": a Commission communication with numbered sections, prose and footnotes.

The extraction double-spaces the text (a blank line after every line) and marks page breaks with a line
indented by one space. Paragraphs therefore cannot be found from blank lines: the text of each section
is read as one stream and split into sentences. Headings are roman-numbered ("II. A NEW LEGAL FRAMEWORK"),
arabic-numbered ("2. Making the Pact a reality") or short unpunctuated lines after a full stop.
Footnotes ("3  On 7 March 2024, a meeting … took place") run from their number to the next page break and
are read as their own blocks; in copies where a footnote is a paragraph of its own ("3 On 7 March …"), the
footnote is that paragraph, and the prose it interrupts continues after it. Most dated mentions report
the past; tense cues decide what is planned.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from parsers.blocks import Document
from parsers.formats.text import as_document
from parsers.model import ParsedEvent
from parsers.paragraphs import Line, block_of, ends_sentence, heading_country_codes, is_heading, text_lines
from parsers.sentences import Block, read_blocks
from parsers.text import squeeze
from parsers.titles import ends_open

NAME = "communication"

_ROMAN = re.compile(r"^\s*(?:[IVX]{1,4})\.\s+[A-Z][A-Z ,:’'-]{3,}")
# a roman-numbered heading in capitals run into its section's first sentence (a flattened copy)
_CAPS_WORD = r"[A-Z][A-Z,:’'-]*\b"
_RUN_IN_ROMAN = re.compile(rf"^\s*([IVX]{{1,4}}\.\s+{_CAPS_WORD}(?:\s+{_CAPS_WORD})*)\s+(?=[A-Z][a-z])")
_FLAT_LINE = 300  # longer than any line of a text extraction: a page or paragraph run together
_OPENER = (
    r"(?:The|This|These|In|On|At|As|Since|Following|After|During|Under|Over|One|For|With|While|Upon|Every|More|"
    r"It|Its|Their|Despite|To|By)"
)
_PHRASE_WORD = r"[^\s.,;:()]+"
_RUN_IN_HEADING = re.compile(
    rf"(?<=[.!?]\s)((?:\d{{1,2}}\.\s+)?[A-Z]{_PHRASE_WORD}(?:\s+{_PHRASE_WORD}){{1,9}}?)\s+(?={_OPENER}\s)"
)
_NUMBERED = re.compile(r"^\s*\d{1,2}\.\s+[A-Z]")
_FOOTNOTE = re.compile(r"^(?:\d{1,2}|\*)\s{2,}\S")
# a paragraph opening with a footnote number (PDF, DOCX, HTML copies: "3 On 7 March 2024, a meeting …")
_NOTE_PARAGRAPH = re.compile(r"^\s?(?:\d{1,2}|\*)\s(?=[A-Z][a-z])")


def matches(doc: Document | str) -> bool:
    """At least two roman-numbered upper-case section headings."""
    return sum(1 for line in as_document(doc).lines() if _ROMAN.match(line.text)) >= 2


def parse(doc: Document | str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read every section's prose and every footnote."""
    blocks: list[Block] = []
    section: str | None = None
    countries: list[str] = []
    prose: list[Line] = []
    note: list[Line] = []
    note_is_paragraph = False  # a footnote that is a paragraph of its own ends with it
    previous = ""

    def flush() -> None:
        nonlocal prose, note
        for lines in (prose, note):
            if lines:
                blocks.append(block_of(lines, section, countries, reported=True))
        prose, note = [], []

    for line in _unflattened(text_lines(as_document(doc, document))):
        raw = line.text
        stripped = squeeze(raw)
        own = line.starts and not line.heading and bool(_NOTE_PARAGRAPH.match(raw))
        if _FOOTNOTE.match(raw) or own:
            if note:
                blocks.append(block_of(note, section, countries, reported=True))
            note = [replace(line, text=re.sub(r"^\s?(?:\d{1,2}|\*)\s+", "", raw))]
            note_is_paragraph = own and not _FOOTNOTE.match(raw)
            continue
        page_break = line.new_page or raw.startswith(" ") and not raw.startswith("  ")
        if note and (page_break or (note_is_paragraph and line.starts) or _after_note(stripped, note, prose)):
            blocks.append(block_of(note, section, countries, reported=True))
            note = []
        elif note:
            note.append(line)
            continue
        run_in = _RUN_IN_ROMAN.match(stripped)
        if line.heading or run_in or _is_heading(stripped, previous):
            flush()
            heading = run_in.group(1) if run_in else stripped
            section = re.sub(r"^(?:[IVX]{1,4}|\d{1,2})\.\s+", "", heading).strip()
            countries = heading_country_codes(section)
            previous = "."  # a heading may follow a heading
            if not run_in:
                continue
            line, stripped = replace(line, text=stripped[run_in.end() :]), stripped[run_in.end() :]
        prose.append(line)
        previous = stripped
    flush()
    return read_blocks(blocks, document, today)


def _unflattened(lines: list[Line]) -> list[Line]:
    """Lines as a text extraction has them: a heading that a flattened copy runs into a page or paragraph
    ("... international obligations. Supporting those fleeing the Russian invasion of Ukraine One of the most
    significant steps ...") on a line of its own, marked as a heading, and the text after it on the next."""
    out: list[Line] = []
    for line in lines:
        pieces = _run_in_pieces(line.text) if len(line.text) > _FLAT_LINE else [(line.text, False)]
        for k, (text, heading) in enumerate(pieces):
            out.append(replace(line, text=text, heading=heading or line.heading, starts=line.starts or k > 0))
    return out


def _run_in_pieces(text: str) -> list[tuple[str, bool]]:
    """(piece, is a heading) for a long line: a short unpunctuated phrase after a sentence and before a
    sentence opener is a heading, unless it stops on a connector."""
    pieces: list[tuple[str, bool]] = []
    start = 0
    for found in _RUN_IN_HEADING.finditer(text):
        if ends_open(found.group(1)) or found.start() < start:
            continue
        pieces += [(text[start : found.start()].strip(), False), (found.group(1), True)]
        start = found.end()
    return [piece for piece in [*pieces, (text[start:].strip(), False)] if piece[0]]


def _is_heading(line: str, previous: str) -> bool:
    if _ROMAN.match(line) or (_NUMBERED.match(line) and len(line) < 90 and not ends_sentence(line)):
        return True
    after_sentence = not previous or ends_sentence(previous)
    # a line stopping on a connector is the start of a sentence ("The Commission has started ... and")
    return after_sentence and is_heading(line, max_len=75) and len(line.split()) <= 10 and not ends_open(line)


def _after_note(line: str, note: list[Line], prose: list[Line]) -> bool:
    """A line after a finished footnote that is no part of it, in a copy that lost its page-break marks: the
    rest of the sentence the footnote interrupted (in lower case), or a heading."""
    if not ends_sentence(note[-1].text):
        return False
    resumes = line[:1].islower() and bool(prose) and not ends_sentence(prose[-1].text)
    return resumes or _is_heading(line, note[-1].text)
