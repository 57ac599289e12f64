"""Headings damaged by PDF/OCR extraction: recognise the country or region they name."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from rapidfuzz import fuzz, process

from parsers.tagging import COUNTRY_ALIASES, REGION_COUNTRIES, country_code

# Cyrillic and Greek look-alikes that OCR puts into Latin words ("Тиnisia").
_CONFUSABLES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "и": "u", "п": "n",
    "Ι": "I", "Ο": "O", "Μ": "M", "Τ": "T", "ı": "i",
})


@lru_cache(maxsize=1)
def _choices() -> dict[str, tuple[str, ...]]:
    names: dict[str, tuple[str, ...]] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and len(value) >= 4:
                names[value.lower()] = (country.alpha_2,)
    for alias, code in COUNTRY_ALIASES.items():
        if len(alias) >= 5:
            names[alias] = (code,)
    for region, codes in REGION_COUNTRIES.items():
        names[region] = codes
    return names


def fuzzy_match(heading: str, threshold: float = 84.0) -> tuple[str, list[str]] | None:
    """(the name, its countries) a short, possibly garbled heading stands for ("Тиnisia" -> Tunisia)."""
    text = re.sub(r"[^\w’' -]", " ", heading.translate(_CONFUSABLES)).strip().lower()
    text = re.sub(r"\s+", " ", text)
    if not text or len(text) < 4 or len(text) > 40:
        return None
    code = country_code(text)
    if code:
        return heading.translate(_CONFUSABLES).strip(), [code]
    found = process.extractOne(text, list(_choices()), scorer=fuzz.ratio, score_cutoff=threshold)
    if not found:
        return None
    return found[0].title().replace("'S", "'s"), list(_choices()[found[0]])


def fuzzy_countries(heading: str, threshold: float = 84.0) -> list[str]:
    """Countries a short, possibly garbled heading names ("Тиnisia" -> TN, "Vestern Balkans" -> Balkans)."""
    found = fuzzy_match(heading, threshold)
    return found[1] if found else []
