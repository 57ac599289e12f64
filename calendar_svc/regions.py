"""Regions for the pages, following the way the state-of-play documents group partner countries.

The documents list countries under lettered headings: "(A) AFRICAN COUNTRIES", "(B) SOUTHERN MEDITERRANEAN
COUNTRIES", "(C) Western Balkans", "(D) TURKEY", "(E) ASIAN COUNTRIES", "(F) EASTERN PARTNERSHIP COUNTRIES",
"(G) RUSSIA", "(H) UNITED STATES OF AMERICA". Stored sources only keep the innermost section (the country),
so this module maps ISO 3166-1 alpha-2 codes to those headings. Countries the documents name under their
headings come first in each tuple; the rest of the continent follows so that a new partner lands in the
group a document would put it in. Anything else is "Other".
"""

from __future__ import annotations

from collections.abc import Iterable

from parsers.tagging import WESTERN_BALKANS

OTHER = "Other"

# fmt: off
REGIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("African countries", (
        "CV", "ET", "NE", "NG", "SN", "GM", "GN", "CI", "MR", "ML", "GH", "SD", "SS", "SO", "ER", "KE",
        "AO", "BJ", "BW", "BF", "BI", "CM", "CF", "TD", "KM", "CG", "CD", "DJ", "GQ", "SZ", "GA", "GW",
        "LS", "LR", "MG", "MW", "MU", "MZ", "NA", "RW", "ST", "SC", "SL", "ZA", "TZ", "TG", "UG", "ZM",
        "ZW", "EH",
    )),
    ("Southern Mediterranean countries", ("MA", "TN", "DZ", "EG", "LY", "JO", "LB", "SY", "PS", "IL")),
    ("Western Balkans", WESTERN_BALKANS),
    ("Turkey", ("TR",)),
    ("Asian countries", (
        "CN", "IN", "BD", "PK", "AF", "IR", "IQ", "LK", "NP", "BT", "MM", "TH", "VN", "LA", "KH", "MY",
        "SG", "ID", "PH", "BN", "TL", "MN", "KP", "KR", "JP", "TW", "HK", "MO", "MV", "KZ", "KG", "TJ",
        "TM", "UZ", "SA", "AE", "QA", "KW", "BH", "OM", "YE",
    )),
    ("Eastern Partnership countries", ("AM", "AZ", "BY", "GE", "MD", "UA")),
    ("Russia", ("RU",)),
    ("United States of America", ("US",)),
)
# fmt: on

_REGION_OF: dict[str, str] = {code: label for label, codes in REGIONS for code in codes}
REGION_LABELS: tuple[str, ...] = tuple(label for label, _ in REGIONS) + (OTHER,)


def region_of(code: str) -> str:
    """The region label for an ISO code ("Other" when the documents do not group it)."""
    return _REGION_OF.get(code.upper(), OTHER)


def group_by_region(codes: Iterable[str]) -> list[tuple[str, list[str]]]:
    """(label, codes) in the documents' order of regions, codes kept in the given order; empty regions
    are left out and "Other" comes last."""
    groups: dict[str, list[str]] = {label: [] for label in REGION_LABELS}
    for code in codes:
        groups[region_of(code)].append(code)
    return [(label, members) for label, members in groups.items() if members]
