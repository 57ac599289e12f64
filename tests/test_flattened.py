"""Flattened variants of the samples (issue 14, step 4): each paragraph's lines joined into one line, as some
PDF extractors emit them; table rows (pipe tables, tab-separated dumps) stay as they are. The flattened text
must give the same events as the original within a stated tolerance.

Measured: 001 and 004 1.000 / 1.000 (event recall / precision), 002 0.974 / 0.966, 003 0.959 / 0.959;
000 0.597 / 0.655, same countries 0.83 (0.525 / 0.660 before headings run into the text were split off; its
space-aligned event tables still do not survive flattening well)."""

from __future__ import annotations

import pytest

from parsers import parse_document
from parsers.layouts.event_tables import _Line, _split_run_in_headings
from parsers.titles import canonical_title

# prefix -> (event recall, event precision, share of common events with the same countries), floors
TOLERANCE = {
    "000": (0.57, 0.62, 0.80),
    "001": (0.98, 0.98, 0.98),
    "002": (0.95, 0.95, 0.88),
    "003": (0.95, 0.95, 0.93),
    "004": (0.98, 0.98, 0.98),
}


def flatten(text: str) -> str:
    """Join the lines of each paragraph (lines between blank lines) into one; leave table rows alone."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(" ".join(line.strip() for line in paragraph))
            paragraph.clear()

    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("|") or "\t" in line:
            flush()
            out.append(line)
        else:
            paragraph.append(line)
    flush()
    return "\n".join(out)


def test_flatten_joins_paragraph_lines_only():
    text = "Ethiopia\nThe Common Agenda\non Migration\n\n| a | b |\n| c | d |\nx\ty"
    assert flatten(text) == "Ethiopia The Common Agenda on Migration\n\n| a | b |\n| c | d |\nx\ty"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(B) SOUTHERN MEDITERRANEAN COUNTRIES Morocco The EU-Morocco Association Agreement entered into force.",
         ["(B) SOUTHERN MEDITERRANEAN COUNTRIES", "Morocco", "The EU-Morocco Association Agreement entered into force."]),
        ("Ethiopia The Common Agenda on Migration and Mobility (CAMM) was signed by the EU and Ethiopia.",
         ["Ethiopia", "The Common Agenda on Migration and Mobility (CAMM) was signed by the EU and Ethiopia."]),
        ("Recent and upcoming events 24 January 2019 Visit of PM Abiy to Brussels",
         ["Recent and upcoming events", "24 January 2019 Visit of PM Abiy to Brussels"]),
        # a name inside a sentence is no heading
        ("Morocco signed the agreement with the EU on migration and mobility in 2013 after long talks.",
         ["Morocco signed the agreement with the EU on migration and mobility in 2013 after long talks."]),
        ("Turkey EU relations were discussed at length in the Council on 3 March in Brussels last year.",
         ["Turkey EU relations were discussed at length in the Council on 3 March in Brussels last year."]),
    ],
)  # fmt: skip
def test_headings_run_into_the_text_get_their_own_line(text, expected):
    lines = _split_run_in_headings([_Line(1, text, None, False, True, 1)])
    assert [line.text for line in lines if line.text] == expected


@pytest.mark.parametrize("prefix", sorted(TOLERANCE))
def test_flattened_sample_gives_the_same_events_within_tolerance(sample_path, prefix):
    path = sample_path(prefix)
    text = path.read_text(encoding="utf-8")
    original = {(e.date.start, canonical_title(e.title)): set(e.countries) for e in parse_document(path.name, text).events}
    flat = {
        (e.date.start, canonical_title(e.title)): set(e.countries)
        for e in parse_document(path.name, flatten(text)).events
    }
    common = original.keys() & flat.keys()
    recall, precision = len(common) / len(original), len(common) / len(flat)
    same_countries = sum(original[k] == flat[k] for k in common) / len(common)
    print(f"{prefix}: recall {recall:.3f} precision {precision:.3f} same countries {same_countries:.3f}")
    floor_recall, floor_precision, floor_countries = TOLERANCE[prefix]
    assert recall >= floor_recall and precision >= floor_precision and same_countries >= floor_countries
