"""Country and process tagging: headings and free text to ISO 3166 codes and process slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

from parsers.catalogue import (  # noqa: F401  (the catalogue's matchers, re-exported)
    PROCESS_BY_SLUG,
    PROCESSES,
    Process,
    heading_process,
    process_name,
    processes_in,
)

# Names the documents use that pycountry does not resolve on its own.
COUNTRY_ALIASES: dict[str, str] = {
    "kosovo": "XK",
    "turkey": "TR",
    "turkiye": "TR",
    "türkiye": "TR",
    "republic of moldova": "MD",
    "moldova": "MD",
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "libya": "LY",
    "cabo verde": "CV",
    "cape verde": "CV",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "côte d'ivoire": "CI",
    "the gambia": "GM",
    "gambia": "GM",
    "bosnia": "BA",
    "bosnia and herzegovina": "BA",
    "bih": "BA",
    "north macedonia": "MK",
    "macedonia": "MK",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "u.s.": "US",
    "uk": "GB",
    "united kingdom": "GB",
    "vietnam": "VN",
    "viet nam": "VN",
    "tanzania": "TZ",
    "congo": "CG",
    "dr congo": "CD",
    "drc": "CD",
    "democratic republic of the congo": "CD",
    "laos": "LA",
    "south korea": "KR",
    "north korea": "KP",
    "venezuela": "VE",
    "bolivia": "BO",
    "palestine": "PS",
    "belarus": "BY",
    "uae": "AE",
    "united arab emirates": "AE",
}

# Demonyms and adjectival forms used in titles ("Moroccan authorities", "Tunisian side").
DEMONYMS: dict[str, str] = {
    "moroccan": "MA",
    "tunisian": "TN",
    "algerian": "DZ",
    "egyptian": "EG",
    "libyan": "LY",
    "nigerian": "NG",
    "nigerien": "NE",
    "senegalese": "SN",
    "ethiopian": "ET",
    "malian": "ML",
    "mauritanian": "MR",
    "turkish": "TR",
    "afghan": "AF",
    "pakistani": "PK",
    "bangladeshi": "BD",
    "iraqi": "IQ",
    "iranian": "IR",
    "jordanian": "JO",
    "lebanese": "LB",
    "syrian": "SY",
    "indian": "IN",
    "chinese": "CN",
    "ukrainian": "UA",
    "georgian": "GE",
    "armenian": "AM",
    "azerbaijani": "AZ",
    "belarusian": "BY",
    "moldovan": "MD",
    "russian": "RU",
    "serbian": "RS",
    "albanian": "AL",
    "montenegrin": "ME",
    "gambian": "GM",
    "ghanaian": "GH",
    "ivorian": "CI",
    "guinean": "GN",
    "sudanese": "SD",
    "eritrean": "ER",
    "somali": "SO",
    "kenyan": "KE",
    "venezuelan": "VE",
    "colombian": "CO",
    "ecuadorian": "EC",
    "rwandan": "RW",
    "burkinabe": "BF",
    "cameroonian": "CM",
    "chadian": "TD",
    "south sudanese": "SS",
    "sri lankan": "LK",
    "vietnamese": "VN",
    "kosovar": "XK",
    "bosnian": "BA",
}

EU_MEMBER_STATES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)

WESTERN_BALKANS = ("AL", "BA", "XK", "ME", "MK", "RS")

# Regional groupings that stand for a fixed set of partners.
REGION_COUNTRIES: dict[str, tuple[str, ...]] = {
    "western balkans": WESTERN_BALKANS,
    "western balkan partners": WESTERN_BALKANS,
}


def _fold(text: str) -> str:
    """Lower-case, strip accents, unify dashes and apostrophes, squeeze spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                index[_fold(value)] = country.alpha_2
    index.update({_fold(k): v for k, v in COUNTRY_ALIASES.items() if len(k) > 3})
    return index


_WORD = re.compile(r"[a-z0-9']+")


def _words(folded: str) -> list[str]:
    return _WORD.findall(folded)


@lru_cache(maxsize=2)
def _phrase_index(demonyms: bool = True) -> dict[tuple[str, ...], str]:
    """Country names (longer than three letters), aliases and (`demonyms`) demonyms as word tuples."""
    phrases = {tuple(_words(name)): code for name, code in _name_index().items() if len(name) > 3}
    phrases.update({tuple(_words(name)): code for name, code in DEMONYMS.items()} if demonyms else {})
    return phrases


@lru_cache(maxsize=8192)
def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country name as documents write it, or None."""
    folded = _fold(re.sub(r"^\([A-Z]\)\s*", "", name.strip()).rstrip("*: "))
    folded = re.sub(r"^the\s+", "", folded)
    if not folded:
        return None
    if folded in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[folded]
    return _name_index().get(folded)


def heading_countries(heading: str) -> list[str]:
    """Countries a section heading stands for: one country, a region, or a list in parentheses."""
    return list(_heading_countries(heading))


@lru_cache(maxsize=8192)
def _heading_countries(heading: str) -> tuple[str, ...]:
    code = country_code(heading)
    if code:
        return (code,)
    folded = _fold(re.sub(r"^\(?[A-Z]\)\s*", "", heading.strip()))
    for region, codes in REGION_COUNTRIES.items():
        if folded.startswith(region):
            return tuple(codes)
    return ()


@lru_cache(maxsize=1)
def _longest_from() -> dict[str, int]:
    """For each word that starts a country name, the most words a name starting with it has."""
    longest: dict[str, int] = {}
    for phrase in _phrase_index():
        if phrase:
            longest[phrase[0]] = max(longest.get(phrase[0], 0), len(phrase))
    return longest


def countries_in(text: str, *, partners_only: bool = True, demonyms: bool = True) -> list[str]:
    """Countries named in free text (names, aliases and, if `demonyms`, demonyms), in order of first mention.

    Looks up the longest run of words that names a country first, so "Guinea-Bissau" is not read as Guinea.
    """
    found: list[str] = []
    folded = _fold(text)
    words = _words(folded)
    phrases = _phrase_index(demonyms)
    longest = _longest_from()
    i = 0
    while i < len(words):
        for size in range(min(longest.get(words[i], 0), len(words) - i), 0, -1):
            code = phrases.get(tuple(words[i : i + size]))
            if code:
                if code not in found and not (partners_only and code in EU_MEMBER_STATES):
                    found.append(code)
                i += size
                break
        else:
            i += 1
    for match in _ACRONYM.finditer(text):
        code = COUNTRY_ACRONYMS[match.group(0)]
        if code not in found and not (partners_only and code in EU_MEMBER_STATES):
            found.append(code)
    for region, codes in REGION_COUNTRIES.items():
        if region in folded:
            found.extend(c for c in codes if c not in found)
    return found


# Short forms matched as written, whole words only (in lower case they are ordinary words or nothing).
COUNTRY_ACRONYMS = {"UAE": "AE", "USA": "US", "BiH": "BA"}
_ACRONYM = re.compile(r"(?<![\w-])(?:" + "|".join(COUNTRY_ACRONYMS) + r")(?![\w-])")


# Short names for countries whose ISO names are formal ("Russian Federation").
_SHORT_NAMES = {
    "XK": "Kosovo", "RU": "Russia", "IR": "Iran", "SY": "Syria", "MD": "Moldova", "VE": "Venezuela",
    "BO": "Bolivia", "TZ": "Tanzania", "KR": "South Korea", "KP": "North Korea", "LA": "Laos",
    "CD": "DR Congo", "PS": "Palestine", "VN": "Vietnam",
}


def country_name(code: str) -> str:
    """A readable name for an ISO code (Kosovo included)."""
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


# OCR spellings seen in the seed documents ("Tiirkiye" for Türkiye in the 2023 EUCO letter).
COUNTRY_ALIASES.update({"tiirkiye": "TR", "turkiye's": "TR"})
