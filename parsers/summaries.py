"""Self-contained summaries: an event's title with the context it needs to be read on its own (issue 18).

A title that names none of the event's processes and none of its countries ("Steering Committee") gets the
context in front of it: the process, else the partner countries ("Rabat Process – Steering Committee"). The
location follows when the text does not name it already (", Ouagadougou"). A title that names its context
stays as it is. Matching reuses the catalogue (`processes_in`) and the country tagging (`countries_in`,
`member_states_in`, `title_venue`); docs/api.md (the `summary` field) describes the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from parsers.catalogue import PROCESS_BY_SLUG, PROCESSES, canonical_slug, process_name, processes_in
from parsers.reasons import member_states_in
from parsers.tagging import REGION_COUNTRIES, countries_in, country_code, country_name
from parsers.titles import VIRTUAL, place_country, title_venue

UNTITLED = "Untitled event"
SEPARATOR = " – "
#: Countries named in a prefix before the rest are counted ("Algeria, Morocco, Tunisia and 2 others").
MAX_COUNTRIES = 3

# Which process to name when an event has several: the specific ones before the broad frameworks.
_KIND_RANK = {"process": 0, "dialogue": 1, "initiative": 2, "action-plan": 3, "framework": 4, "region": 5}
# Short forms written in capitals: ISO codes ("EU-TR"), "UK", "USA", "BiH", "DRC".
_SHORT_FORM = re.compile(r"(?<![\w.])[A-Z][A-Za-z]?[A-Z](?![\w])")
_ONLINE = re.compile(r"\b(?:virtual(?:ly)?|online|on-line|VTC|video[\s-]?conference|webinars?)\b", re.I)
_TRAILING_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


def summarize(title: str, *, countries: Sequence[str], processes: Sequence[str], location: str | None) -> str:
    """The event's title with its context: "Rabat Process – Steering Committee, Ouagadougou".

    `countries` are ISO codes, `processes` catalogue slugs (former slugs accepted), `location` as stored
    ("Virtual" for online meetings). Never empty: an empty title reads "Untitled event".
    """
    slugs = tuple(dict.fromkeys(canonical_slug(s) for s in processes if s))
    codes = tuple(dict.fromkeys(c for c in countries if c))
    return _summarize(" ".join(title.split()), codes, slugs, " ".join((location or "").split()))


@lru_cache(maxsize=4096)
def _summarize(title: str, countries: tuple[str, ...], processes: tuple[str, ...], location: str) -> str:
    text = title or UNTITLED
    places = text  # what may name the location already: the title and countries put before it, but not a
    # process put before it ("Rabat Process – Senior Officials Meeting" does not say it is held in Rabat)
    if not _names_context_before(text, location, countries=countries, processes=processes):
        if processes:
            text = f"{process_label(processes)}{SEPARATOR}{text}"
        elif countries:
            text = places = f"{countries_label(countries)}{SEPARATOR}{text}"
    if location == VIRTUAL:
        return text if _ONLINE.search(text) else f"{text} (virtual)"
    if location and not names_place(places, location):
        return f"{text}, {location}"
    return text


def _names_context_before(
    text: str, location: str, *, countries: Sequence[str], processes: Sequence[str]
) -> bool:
    """names_context of `text`, or of `text` without the ", <location>" a summary ends with: a location
    put after a venue must not hide it ("in Ouagadougou, Brussels"), so that a summary is its own."""
    if names_context(text, countries=countries, processes=processes):
        return True
    suffix = f", {location}"
    return (
        bool(location)
        and text.endswith(suffix)
        and names_context(text[: -len(suffix)], countries=countries, processes=processes)
    )


def names_context(text: str, *, countries: Sequence[str], processes: Sequence[str]) -> bool:
    """Whether `text` names one of the processes (catalogue name, alias or acronym) or one of the countries
    (name, short form, demonym, region, or a venue in the country) of the event."""
    wanted = {canonical_slug(s) for s in processes}
    # the event's own names before `processes_in`, which reads the whole catalogue; no search without names
    if wanted and (any(_names_process(text, slug) for slug in wanted) or wanted & set(processes_in(text))):
        return True
    return bool(countries) and _names_country(text, countries)


def _names_process(text: str, slug: str) -> bool:
    """Whether `text` holds the process's catalogue name, or the name without its aside, as whole words."""
    return any(pattern.search(text) for pattern in _name_patterns(slug))


@lru_cache(maxsize=256)
def _name_patterns(slug: str) -> tuple[re.Pattern[str], ...]:
    names = {process_name(slug), process_label([slug])}
    return tuple(re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.I) for name in names)


def countries_named(text: str) -> set[str]:
    """Every country `text` names: names (possessives too), aliases and demonyms (EU member states
    included), regions, short forms in capitals ("EU-TR", "BiH") and the country of a venue it names
    ("visit to Rabat")."""
    return {code for codes in _named(text) for code in codes if code}


def _names_country(text: str, countries: Sequence[str]) -> bool:
    """Whether `text` names one of `countries`: `countries_named` read kind by kind, up to the first."""
    wanted = set(countries) - {""}  # "" stands for a name of no country
    return any(wanted.intersection(codes) for codes in _named(text))


def _named(text: str) -> Iterator[Iterable[str]]:
    """The codes of the countries `text` names (and "" for a name of no country), kind by kind."""
    text = _POSSESSIVE.sub("", text)  # "Egypt's strategy" names Egypt
    yield countries_in(text, partners_only=False)
    yield member_states_in(text)
    for token in _SHORT_FORM.findall(text):
        code = token if token.isupper() and len(token) == 2 and country_name(token) != token else None
        yield (code or country_code(token) or "",)
    venue = title_venue(text)
    if venue:
        yield (place_country(venue) or "",)


def names_place(text: str, location: str) -> bool:
    """Whether `text` already names `location`: its first part as whole words ("Accra" of "Accra, Ghana"),
    or the same country when the location is a country ("Tunisian visit", location "Tunisia")."""
    first = location.split(",")[0].strip()
    if first and re.search(r"(?<!\w)" + re.escape(first) + r"(?!\w)", text, re.I):
        return True
    code = country_code(first)
    return code is not None and code in countries_named(text)


def process_label(processes: Sequence[str]) -> str:
    """The name of the most specific of the processes (by catalogue kind), without a trailing aside:
    "MOCADEM", "Joint Valletta Action Plan"; "" for none."""
    if not processes:
        return ""
    name = process_name(min(processes, key=_rank))
    return _TRAILING_ASIDE.sub("", name) or name


def _rank(slug: str) -> tuple[int, int, str]:
    """Catalogue kind first, then catalogue order (unknown slugs last, by slug)."""
    process = PROCESS_BY_SLUG.get(canonical_slug(slug))
    if process is None:
        return len(_KIND_RANK) + 1, 0, slug
    return _KIND_RANK.get(process.kind, len(_KIND_RANK)), PROCESSES.index(process), slug


def countries_label(countries: Sequence[str]) -> str:
    """The countries by name in alphabetical order, a region when they are exactly its countries
    ("Western Balkans"), at most MAX_COUNTRIES named ("Algeria, Morocco, Tunisia and 2 others")."""
    if not countries:
        return ""
    for region, codes in REGION_COUNTRIES.items():
        if set(countries) == set(codes):
            return region.title()
    names = sorted({country_name(code) for code in countries})
    if len(names) == 1:
        return names[0]
    if len(names) <= MAX_COUNTRIES:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return ", ".join(names[:MAX_COUNTRIES]) + f" and {len(names) - MAX_COUNTRIES} others"
