"""Layout "letter-annex": a letter of the Commission President to the European Council and its annex table.

The letter is prose. The annex is a three-column table ("EUCO Letter" action | "Ongoing / Underway" |
"Next Steps and Timeline") flattened by OCR into paragraphs: "•" paragraphs report what is under way,
">" paragraphs are the next steps (planned). Short lines without a full stop are headings; a country
heading ("Tunisia", "Türkiye") gives the country of what follows, a topic heading resets it. OCR noise is
tolerated: `I December` (1 December), `4lh` (4th), `Tiirkiye`. Registry stamps (`Ref. Ares(…)`) and the
postal footer are page furniture, not content. A cell cut by a page break continues where the OCR put the
rest, maybe after other cells: a paragraph that closes a bracket it never opened ("4 million signed, …)
will be finalised …") goes on with the last paragraph left with a bracket open ("… (contract of EUR").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from parsers.blocks import Document
from parsers.formats.text import as_document
from parsers.model import ParsedEvent
from parsers.paragraphs import (
    Paragraph,
    block_of,
    ends_sentence,
    heading_country_codes,
    is_heading,
    paragraphs,
)
from parsers.sentences import Block, read_blocks
from parsers.text import squeeze

NAME = "letter-annex"

_NEXT = re.compile(r"^\s*>\s*")
_BULLET = re.compile(r"^\s*(?:•|o\s)\s*")
_NEXT_COLUMN = re.compile(r"Next\s+Steps", re.I)
_ENUMERATOR = re.compile(r"^\s*(?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s")
_COLUMNS = re.compile(r"Ongoing\s*/\s*Underway|Next\s+Steps\s+and\s+Timeline", re.I)


def matches(doc: Document | str) -> bool:
    """A letter ("Dear colleagues", "Yours sincerely") or an annex with "Next Steps and Timeline" columns."""
    text = as_document(doc).text()
    letter = re.search(r"^\s*Dear\s+(?:colleagues|members|President)", text, re.I | re.M) and re.search(
        r"Yours\s+sincerely", text, re.I
    )
    return bool(letter) or len(_COLUMNS.findall(text)) >= 2


def parse(doc: Document | str, document: str, today: dt.date) -> list[ParsedEvent]:
    """Read the letter's paragraphs and the annex's "under way" and "next steps" paragraphs."""
    blocks: list[Block] = []
    section: str | None = None
    countries: list[str] = []
    previous: Block | None = None
    unclosed: Block | None = None  # the last block ending inside a bracket, mid-sentence
    for paragraph in _split_headings(paragraphs(as_document(doc, document))):
        first = paragraph.lines[0].text
        joined = paragraph.text
        if _COLUMNS.search(joined) and len(joined) < 90:
            continue  # the annex header row
        if paragraph.lines[0].heading or _is_heading(paragraph):
            found = heading_country_codes(joined)
            countries = found if found or not _is_country_like(joined) else countries
            if not found:
                countries = []
            section = squeeze(joined).strip(" :")
            previous = None
            continue
        planned = bool(_NEXT.match(first) or _NEXT_COLUMN.search(paragraph.column))
        lines = list(paragraph.lines)
        lines[0] = replace(lines[0], text=_BULLET.sub("", _NEXT.sub("", first)))
        target = _continued(previous, unclosed, joined, lines[0].text.strip())
        if target is not None:
            for line in lines:
                target.add(line.number, line.text, line.page)
            if _open_bracket(target.text):
                unclosed = target
            elif target is unclosed:
                unclosed = None
            continue
        label = re.match(r"^\s*([A-Z][\w’' ]{2,30}):\s", lines[0].text)
        block_countries = countries
        if label and heading_country_codes(label.group(1)):
            block_countries = heading_country_codes(label.group(1))
        previous = block_of(lines, section, block_countries, planned=planned)
        blocks.append(previous)
        unclosed = previous if _open_bracket(previous.text) else unclosed
    return read_blocks(blocks, document, today)


def _continued(previous: Block | None, unclosed: Block | None, text: str, first: str) -> Block | None:
    """The block a paragraph carries on: the one left inside a bracket when it closes a bracket it never
    opened, else the previous one when that stops mid-sentence and the paragraph starts in lower case."""
    if unclosed is not None and _closes_unopened(text) and not text[:1].isupper():
        return unclosed
    if previous is not None and not ends_sentence(previous.text) and first[:1].islower():
        return previous
    return None


def _open_bracket(text: str) -> bool:
    """The text stops mid-sentence inside a bracket ("… programmes (contract of EUR")."""
    return not ends_sentence(text) and _depth(text)[0] > 0


def _closes_unopened(text: str) -> bool:
    """The text closes a bracket it never opened ("4 million signed, …) will be finalised …"); an item's
    enumerator ("a) ", "ii) ", "3) ") is no such bracket."""
    return _depth(_ENUMERATOR.sub("", text))[1] < 0


def _depth(text: str) -> tuple[int, int]:
    """(the bracket depth at the end of a text, the lowest depth along it)."""
    depth = lowest = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        lowest = min(lowest, depth)
    return depth, lowest


def _split_headings(found: list[Paragraph]) -> list[Paragraph]:
    """Separate a heading line glued to the paragraph it introduces (" Cooperation with Egypt" + text), at
    the start of a paragraph, or after a sentence end or a line stopping inside a bracket (a cell cut by a
    page break) where a copy lost the page-break indentation (also as the paragraph's last line: "… benefit
    Egypt)." + "Senegal")."""
    out: list[Paragraph] = []
    for paragraph in found:
        lines, start = paragraph.lines, 0
        for k in range(len(lines)):
            following = lines[k + 1].text if k + 1 < len(lines) else None
            if k == 0 and following is None:
                break
            after = k == 0 or ends_sentence(lines[k - 1].text) or _open_bracket(lines[k - 1].text)
            if _glued(lines[k].text, following) and after:
                if k > start:
                    out.append(Paragraph(lines[start:k], paragraph.column))
                out.append(Paragraph([lines[k]], paragraph.column))
                start = k + 1
        if lines[start:]:
            out.append(Paragraph(lines[start:], paragraph.column))
    return out


def _glued(line: str, following: str | None) -> bool:
    """A short heading line followed by a long line or a bullet, or ending the paragraph."""
    first = squeeze(line)
    if len(first) > 45 or not is_heading(first) or _NEXT.match(first) or _BULLET.match(first):
        return False
    if following is None:
        return True
    return len(squeeze(following)) > 45 or bool(_NEXT.match(following) or _BULLET.match(following))


def _is_heading(paragraph: Paragraph) -> bool:
    """Headings: every line short and unpunctuated ("Tunisia", "Strengthening / external borders")."""
    lines = [squeeze(line.text) for line in paragraph.lines]
    if _NEXT.match(paragraph.lines[0].text) or _BULLET.match(paragraph.lines[0].text):
        return False
    if len(lines) == 1:
        return is_heading(lines[0], max_len=75) and not lines[0].endswith(")")
    return all(len(line) <= 30 and not ends_sentence(line) for line in lines)


def _is_country_like(text: str) -> bool:
    return len(text.split()) <= 3
