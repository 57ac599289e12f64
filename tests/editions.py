"""A newer edition of sample 000 for the document tests: one meeting re-dated, one new meeting."""

from __future__ import annotations

from pathlib import Path

SAMPLE = next((Path(__file__).resolve().parent.parent / "samples").glob("000_*.txt"))
REDATED = (
    "November 2021 (tbc) EU-Tunisia Association Committee",
    "18 November 2021 EU-Tunisia Association Committee",
)
ADDED_AFTER = "December 2021 (tbc) EU-Tunisia Association Council"
ADDED = "3 February 2022 EU-Tunisia Migration Expert Meeting"
NEWER_NAME = "state-of-play-2022-01.txt"


def first_edition() -> bytes:
    return SAMPLE.read_bytes()


def newer_edition() -> bytes:
    text = SAMPLE.read_text(encoding="utf-8")
    assert REDATED[0] in text and ADDED_AFTER in text
    text = text.replace(REDATED[0], REDATED[1]).replace(ADDED_AFTER, f"{ADDED_AFTER}\n\n{ADDED}")
    return text.replace("14 SEPTEMBER 2021", "20 JANUARY 2022").encode("utf-8")
