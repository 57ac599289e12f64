"""The process catalogue (`parsers/data/processes.toml`): names, slugs, aliases and acronyms, loaded once.

Matching is data-driven: an alias is a phrase matched case-insensitively on whole words, where spaces,
hyphens, dashes and slashes between its words are interchangeable; an acronym (any short form) is matched
case-sensitively on whole words; a heading name counts only when it is the whole heading.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

_SEPARATOR = r"[\s/\-–—()]+"


@dataclass(frozen=True)
class Process:
    """One catalogue entry."""

    slug: str
    name: str
    kind: str
    region: str | None = None
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    former_slugs: tuple[str, ...] = ()
    not_aliases: tuple[str, ...] = ()  # phrases holding an alias that name something else
    route: bool = False  # an action plan for a migration route


def _load() -> tuple[Process, ...]:
    data = tomllib.loads(files("parsers").joinpath("data/processes.toml").read_text(encoding="utf-8"))
    return tuple(
        Process(
            slug=entry["slug"],
            name=entry["name"],
            kind=entry["kind"],
            region=entry.get("region"),
            aliases=tuple(entry.get("aliases", ())),
            acronyms=tuple(entry.get("acronyms", ())),
            headings=tuple(entry.get("headings", ())),
            former_slugs=tuple(entry.get("former_slugs", ())),
            not_aliases=tuple(entry.get("not_aliases", ())),
            route=entry.get("route", False),
        )
        for entry in data["process"]
    )


PROCESSES: tuple[Process, ...] = _load()
PROCESS_BY_SLUG: dict[str, Process] = {p.slug: p for p in PROCESSES}
FORMER_SLUGS: dict[str, str] = {old: p.slug for p in PROCESSES for old in p.former_slugs}


def _phrase(text: str) -> str:
    """A regex for a phrase: its words in order, any separator between them, whole words only."""
    words = [re.escape(w) for w in re.split(r"[\s/\-–—()]+", text.replace("’", "'")) if w]
    return r"(?<![\w])" + _SEPARATOR.join(words) + r"(?![\w])"


_Pattern = re.Pattern[str] | None


def _either(phrases: tuple[str, ...], flags: int = 0) -> _Pattern:
    return re.compile("|".join(_phrase(p) for p in phrases), flags) if phrases else None


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, _Pattern, _Pattern, _Pattern], ...]:
    """Per process: its slug, its aliases, its acronyms and the phrases that are not it."""
    return tuple(
        (p.slug, _either(p.aliases, re.I), _either(p.acronyms), _either(p.not_aliases, re.I))
        for p in PROCESSES
    )


# "not (yet) agreed under the X", "not part of the X", up to the end of the clause
_NEGATED = re.compile(
    r"\bnot\s+(?:yet\s+)?(?:[a-z]+\s+){0,2}(?:under|within|part\s+of|covered\s+by|included\s+in)\b[^,;.]*",
    re.I,
)


# a name's head shared by two coordinated complements: "Team Europe Initiatives on the Central Mediterranean
# route and for the Atlantic and Western Mediterranean routes" names the second initiative too
_ELIDED = re.compile(
    r"(?P<head>(?:[A-Z][\w-]*\s+){1,4}?)(?:on|for)\s+the\s+[^,;.]{3,60}?\s+and\s+"
    r"(?P<second>(?:on|for)\s+the\s+[^,;.]{3,60})"
)


def _with_elided_heads(text: str) -> str:
    """The text, with each second complement of a coordinated name spelled out with its head (singular)."""
    spelled = [f"{_singular(m.group('head'))} {m.group('second')}" for m in _ELIDED.finditer(text)]
    return " ; ".join([text, *spelled])


def _singular(head: str) -> str:
    return re.sub(r"(?<=[a-z])s$", "", head.strip())


def _normalise(text: str) -> str:
    return text.replace("’", "'").replace("\u00a0", " ")


def processes_in(text: str) -> list[str]:
    """Slugs of the processes `text` names by alias or acronym, in catalogue order; not one it says
    something is not (yet) part of ("the reform ..., which is not yet agreed under the Pact")."""
    text = _with_elided_heads(_NEGATED.sub(" ", _normalise(text)))
    found = []
    for slug, aliases, acronyms, others in _patterns():
        kept = others.sub(" ", text) if others else text
        if (aliases and aliases.search(kept)) or (acronyms and acronyms.search(kept)):
            found.append(slug)
    return found


def _heading_key(text: str) -> str:
    return re.sub(r"[\s:*.]+", " ", _normalise(text)).strip().lower()


@lru_cache(maxsize=1)
def _headings() -> dict[str, str]:
    return {_heading_key(h): p.slug for p in PROCESSES for h in p.headings}


def whole_heading_process(heading: str) -> str | None:
    """The process whose catalogue `headings` hold the whole heading ("Central Mediterranean"), or None."""
    cleaned = re.sub(r"^\(?[A-Z]\)\s*", "", heading.strip())
    return _headings().get(_heading_key(cleaned)) or _headings().get(_heading_key(heading))


def named_process(text: str) -> str | None:
    """The process one of whose names (an alias or a catalogue heading) is the whole text, in any case
    ("GLOBAL FORUM FOR MIGRATION AND DEVELOPMENT"), or None: a text only mentioning it names none."""
    for p in PROCESSES:
        if any(re.fullmatch(_phrase(alias), _normalise(text).strip(), re.I) for alias in p.aliases):
            return p.slug
    return whole_heading_process(text)


def heading_process(heading: str) -> str | None:
    """The process a section heading introduces ("(E) THE RABAT PROCESS", "United Nations"), or None."""
    whole = whole_heading_process(heading)
    if whole:
        return whole
    slugs = processes_in(re.sub(r"^\(?[A-Z]\)\s*", "", heading.strip()))
    return slugs[0] if slugs else None


def canonical_slug(slug: str) -> str:
    """The current slug for a slug that may be a former one."""
    return FORMER_SLUGS.get(slug, slug)


def process_name(slug: str) -> str:
    """The readable name of a process slug (a title-cased slug when unknown)."""
    process = PROCESS_BY_SLUG.get(canonical_slug(slug))
    return process.name if process else slug.replace("-", " ").title()
