"""Flattened text extractions (a paragraph or a page as one long line): where the headings and the table
rows run into the text, so a line-oriented reader can put them back on lines of their own."""

from __future__ import annotations

import datetime as dt
import re

from parsers.catalogue import named_process, whole_heading_process
from parsers.dates import find_dates, leading_date
from parsers.tagging import REGION_COUNTRIES, country_code, heading_countries
from parsers.titles import is_connector

# Lines longer than this are run-on extractions of several rows or a paragraph ("flattened").
RUN_ON = 160
_ORDINAL = re.compile(r"\s*\d{1,3}(?:st|nd|rd|th|d)\s+[A-Za-z]")  # "12th FRiT Steering Committee", "13d FRiT"
_NOT_ROW_CUE = re.compile(
    r"(?:\b(?:on|of|the|in|since|by|from|until|to|and|or|at|before|after|during|between|for)|[(,/–-])\s*$",
    re.I,
)
# A lettered part in capitals, a numbered part, the table marker; what a sentence after a heading opens with.
_PART = re.compile(r"\(?[A-Z]\)\s+[A-Z][A-Z ,&-]+[A-Z](?:\s+\([A-Z]{2,}\))?")  # "... MANAGEMENT (IBM)"
_NUMBERED_PART = re.compile(r"Part\s+\d+\s*[-–:]\s*[A-Z][\w ]{2,40}")
_RUN_IN_PART = re.compile(rf"^({_PART.pattern})\s+(?=[A-Z](?:[a-z]|\s))")
# A numbered part titled in sentence case, before the heading in capitals or the lettered part it opens with.
_RUN_IN_NUMBERED = re.compile(r"^(Part\s+\d+\s*[-–:]\s*[A-Z][a-z]+(?:\s+[a-z]+){0,6})\s+(?=[A-Z(])")
# A run of words in capitals before a sentence: a heading when it is a process's whole name.
_RUN_IN_CAPS = re.compile(r"^([A-Z][A-Z'’-]+(?:,?\s+[A-Z][A-Z'’-]*){1,9})\s+(?=[A-Z][a-z])")
_RUN_IN_MARKER = re.compile(r"^(recent\s+and\s+upcoming\s+events:?)\s+(?=\S)", re.I)
_RUN_IN_NAME = re.compile(r"^((?:(?:[A-Z][\w'’-]*|of|and)\s+){1,4}?)(?=(?:The|A|An|In|On|Since|Following)\s)")
_NAME_WORD = re.compile(r"[A-Z][\w'’-]*|of|and|the")
_SENTENCE_END = re.compile(r"[.;)]\s+")
_WORD_START = re.compile(r"(?<=\s)(?=[A-Z(])")
_TRAILING = re.compile(rf"\s({_PART.pattern}|{_NUMBERED_PART.pattern}|(?:\S+\s+){{0,3}}\S+)$")
_PROSE = 55  # a line this long after a heading is the section's text
# A heading's country is named again this close after it (a name after the end of a sentence: further on).
_RECURS_WITHIN, _RECURS_AFTER_SENTENCE = 300, 1000


def is_flattened(lines: list[str]) -> bool:
    """Whether a text extraction is flattened: one of its lines is a run-on line."""
    return any(len(line) >= RUN_ON for line in lines)


def row_cuts(text: str, today: dt.date) -> list[int]:
    """Where table rows start inside a run-on line: before each full date that opens an event name
    (a capital or an ordinal follows; no preposition or open bracket before it, as in "on 24 October")."""
    return [
        m.start
        for m in find_dates(text, today)
        if (not m.parsed.year_inferred or text[: m.start].rstrip().endswith((".", ")")))
        and m.parsed.precision not in (None, "relative")
        and not _NOT_ROW_CUE.search(text[: m.start])
        and (text[m.end : m.end + 2].strip()[:1].isupper() or _ORDINAL.match(text, m.end))
    ]


def run_in_headings(text: str, follower: str, *, flattened: bool) -> list[str]:
    """One physical line as pieces, each heading run into it a piece of its own: a part heading in
    capitals, the table marker, or a country or region name directly followed by a sentence that opens
    with a capital ("Ethiopia The Common Agenda"). In a flattened extraction also a heading after a sentence
    ("... européennes). Egypt Relations between the EU and Egypt"), and a heading ending the line when the
    section's text follows ("... Sub-committee Ukraine" above "The PCA entered into force ..."). `follower`
    is the next non-blank line. A name inside a sentence is no heading."""
    end = _leading_heading(text, flattened=flattened)
    if end is not None:
        return [text[:end].strip(), *run_in_headings(text[end:].strip(), follower, flattened=flattened)]
    if not flattened:
        return [text]
    for word in _WORD_START.finditer(text):
        before, rest = text[: word.start()].rstrip(), text[word.start() :]
        end = _inner_heading(before, rest, follower) if before else None
        if end is not None:
            tail = run_in_headings(rest[end:].strip(), follower, flattened=True)
            return [before, rest[:end].strip(), *tail]
    trailing = _trailing_heading(text, follower)
    return [text] if trailing is None else [text[:trailing].strip(), text[trailing:].strip()]


def _inner_heading(before: str, rest: str, follower: str) -> int | None:
    """Where the text after a heading that starts `rest`, inside a flattened line, begins: after the end of
    a sentence any heading (a name followed by a title-case word when named again further on); inside a
    sentence (a page flattened without its breaks: "...on the agenda Ethiopia The Common Agenda ... and
    Ethiopia") only the table marker, a lettered part, or a name soon named again, and not after a connector,
    a comma, a hyphen, "&", "(" or "/"."""
    if _SENTENCE_END.search(before[-1:] + " "):
        end = _leading_heading(rest, flattened=True)
        if end is not None or len(rest) <= 60:
            return end
        return _named_section(rest, _RECURS_AFTER_SENTENCE, follower)
    last = before.rsplit(None, 1)[-1]
    if is_connector(last) or last.endswith(("-", "–", ",", "&", "(", "/")):
        return None
    head = _RUN_IN_MARKER.match(rest) or _RUN_IN_PART.match(rest)
    if head:
        return head.end()
    end = _lettered_name(rest)
    return end if end is not None else _named_section(rest, follower=follower)


def _leading_heading(text: str, *, flattened: bool) -> int | None:
    """Where the text after a heading at the start of a line begins, if one is there."""
    head = _RUN_IN_PART.match(text) or _RUN_IN_MARKER.match(text)
    if head:
        return head.end()
    head = (_RUN_IN_NUMBERED.match(text) or _RUN_IN_CAPS.match(text)) if flattened else None
    if head and (head.re is _RUN_IN_NUMBERED or named_process(head.group(1))):
        return head.end()
    if flattened and _lettered_name(text) is not None:
        return _lettered_name(text)
    name = _RUN_IN_NAME.match(text)
    if name and heading_countries(name.group(1).strip()) and len(text) > 60:
        return name.end()
    return _named_section(text) if flattened and len(text) > 60 else None


def _named_section(text: str, within: int = _RECURS_WITHIN, follower: str = "") -> int | None:
    """Where the sentence after a country or region name starts, when the sentence opens with a word in
    title case and soon names the country again ("Niger High-Level Dialogue ... Sahel Niger mission"), on
    this line or, when it ends sooner, on the next (`follower`: a page break inside the sentence)."""
    words = list(re.finditer(r"\S+", text[:120]))
    for k in range(1, min(5, len(words))):
        if not _NAME_WORD.fullmatch(words[k - 1].group()):
            return None
        name, opener = " ".join(w.group() for w in words[:k]), words[k].group()
        if not _is_name(name) or not re.match(r"[A-Z](?:[a-z]|[A-Z]+\b)", opener):
            continue
        window = text[words[k].start() : words[k].start() + within]
        if _names(f"{window} {follower[: within - len(window)]}", name):
            return words[k].start()
    return None


def _lettered_name(text: str) -> int | None:
    """Where the text after a lettered part named for a country or region starts, the list of its countries
    in brackets kept with the heading, as the unflattened heading has it ("(C) Western Balkans (Albania, ...,
    Serbia)" + "Cooperation with ...")."""
    letter = re.match(r"\([A-Z]\)\s+", text)
    if not letter:
        return None
    words = list(re.finditer(r"\S+", text[letter.end() : letter.end() + 80]))
    for k in range(min(4, len(words)), 0, -1):
        if _is_name(" ".join(w.group() for w in words[:k])):
            end = letter.end() + words[k - 1].end()
            listed = re.match(r"\s*\([^()]{1,160}\)", text[end:])
            return end + listed.end() if listed else end
    return None


def _trailing_heading(text: str, follower: str) -> int | None:
    """Where a heading that ends the line starts, when the next line is the section's text (or its table)."""
    tail = _TRAILING.search(text)
    if tail is None or not _is_prose(follower):
        return None
    start = tail.start(1)
    if _PART.fullmatch(tail.group(1)) or _NUMBERED_PART.fullmatch(tail.group(1)):
        return start
    words = tail.group(1).split()
    for k in range(len(words)):  # the longest name that ends the line, named again in the text below it
        name = " ".join(words[k:])
        before = text[:start].split() + words[:k]
        if all(_NAME_WORD.fullmatch(w) for w in words[k:]) and _is_name(name):
            if before and not is_connector(before[-1]) and not before[-1].endswith(("-", "–", ",", "&")):
                return text.rindex(name) if _names(follower, name) else None
            return None
    return None


def _names(text: str, name: str) -> bool:
    """Whether the text names the country or region as a word of its own ("EU-Nigeria" names Nigeria)."""
    spaced = r"\s+".join(re.escape(word) for word in name.split())
    return re.search(rf"(?<![^\W\d_]){spaced}(?![^\W\d_])", text, re.I) is not None


def _is_prose(line: str) -> bool:
    line = line.strip()
    return len(line) > _PROSE and line[:1].isupper() and leading_date(line, dt.date(2000, 1, 1)) is None


def _is_name(name: str) -> bool:
    """A whole country or region name ("Niger", "Republic of Moldova", "Western Balkans"), or a process
    heading in capitals ("UNITED NATIONS")."""
    if country_code(name) or name.lower() in REGION_COUNTRIES:
        return True
    return name.isupper() and whole_heading_process(name) is not None
