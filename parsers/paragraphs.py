"""Plain-text paragraphs for the prose layouts: headings, page furniture, footnotes, wrapped lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.dates import find_dates
from parsers.headings import fuzzy_countries
from parsers.sentences import Block
from parsers.tagging import heading_countries
from parsers.text import is_furniture, squeeze

_TERMINAL = (".", "!", "?", ":", ";")
_NOISE_LINE = re.compile(
    r"^(?:https?://\S+|\d{1,3}|Ref\.\s*Ares.*|.*Ares\s*\(\d{4}\).*|Commission europ[ée]enne/.*|EUCO Letter|"
    r"Yours sincerely,?|Dear colleagues,?|Ursula von der Leyen|\*\s+This designation.*)$",
    re.I,
)


@dataclass
class Line:
    number: int
    text: str


@dataclass
class Paragraph:
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return squeeze(" ".join(line.text for line in self.lines))


def text_lines(text: str) -> list[Line]:
    """Non-blank lines with their 1-based numbers, page furniture and links dropped."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip() or is_furniture(line) or _NOISE_LINE.match(line.strip()):
            continue
        out.append(Line(number, line))
    return out


def paragraphs(text: str, *, page_breaks: bool = True) -> list[Paragraph]:
    """Blank-line separated paragraphs (page furniture dropped); with `page_breaks`, a line indented by one
    space (where an extraction resumes after a page break) also starts a paragraph."""
    out: list[Paragraph] = []
    current = Paragraph()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            if current.lines:
                out.append(current)
                current = Paragraph()
            continue
        if is_furniture(line) or _NOISE_LINE.match(line.strip()):
            continue
        if page_breaks and current.lines and re.match(r"^ \S", line):
            out.append(current)
            current = Paragraph()
        current.lines.append(Line(number, line))
    if current.lines:
        out.append(current)
    return out


def is_heading(text: str, *, max_len: int = 80) -> bool:
    """A short line without final punctuation that carries no day date (a section or country heading)."""
    text = squeeze(text)
    if not text or len(text) > max_len or text.endswith(_TERMINAL + (",",)) or text[:1].islower():
        return False
    if text.startswith(("•", ">", "➢", "-", "o ")):
        return False
    return not any(m.parsed.precision in ("day", "days") for m in find_dates(text))


def heading_country_codes(heading: str) -> list[str]:
    """The countries a heading names, tolerant of OCR damage; [] for a topic heading."""
    name = re.sub(r"^[\s\dIVX.()]+", "", squeeze(heading)).strip(" :")
    return heading_countries(name) or fuzzy_countries(name)


def block_of(lines: list[Line], section: str | None, countries: list[str], *, planned: bool = False,
             reported: bool = False) -> Block:
    """A block from physical lines, re-joining words hyphenated across lines."""
    block = Block(section, list(countries), [], planned, reported)
    for line in lines:
        block.add(line.number, line.text)
    return block


def ends_sentence(text: str) -> bool:
    return squeeze(text).endswith(_TERMINAL)
