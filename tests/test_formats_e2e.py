"""End to end: HTML, DOCX and PDF copies of the five samples give the text path's events.

Each sample is read by the text path into the document model (000 in its table form: the event tables
as date | event | comments cells, as the PDF, DOCX or HTML copy of the Council note has them), rendered
back as HTML (Chromium prints it to PDF) and as DOCX (LibreOffice converts it to PDF), then ingested with
`parsers.parse_document` as a user's file would be. An event matches when its title, interval, status,
tentativeness, countries and processes are all equal to one of the text path's.

Tolerance (found = matched / text-path events, precision = matched / events read), per sample and for
every copy: 000 ≥ 0.90 / 0.95, 001 ≥ 0.85 / 0.85, 002 ≥ 0.83 / 0.83, 003 ≥ 0.90 / 0.90, 004 ≥ 0.95 /
0.95; and a PDF never finds fewer than the HTML copy of the same document minus 0.15 (the PDF reader
loses little of what the format carries). Measured figures are in docs/layouts.md.
"""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import pytest
from formats_render import (
    SAMPLES,
    Style,
    chromium_pdf,
    generators_available,
    model_docx,
    model_html,
    soffice_pdf,
)
from test_document_model import _table_form_000

from parsers import parse_document
from parsers.formats.text import read_text
from parsers.model import ParsedEvent
from parsers.title_lint import findings

pytestmark = pytest.mark.skipif(generators_available() is not None, reason=str(generators_available()))

TOLERANCE = {
    "000": (0.90, 0.95),
    "001": (0.85, 0.85),
    "002": (0.83, 0.83),
    "003": (0.90, 0.90),
    "004": (0.95, 0.95),
}
COPIES = ("html", "docx", "chromium-pdf", "libreoffice-pdf")
TODAY = dt.date(2025, 6, 1)


def _key(event: ParsedEvent) -> tuple:
    date = event.date
    return (event.title, date.start, date.end, date.status, date.tentative, tuple(event.countries),
            tuple(event.processes))  # fmt: skip


def _sample(prefix: str) -> tuple[str, str]:
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    return path.name, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=sorted(TOLERANCE))
def copies(request, tmp_path_factory) -> tuple[str, list[ParsedEvent], dict[str, bytes]]:
    prefix = request.param
    name, text = _sample(prefix)
    expected = parse_document(name, text, today=TODAY).events
    document = _table_form_000(text, expected) if prefix == "000" else read_text(name, text)
    landscape = "-landscape" if prefix == "004" else ""  # a five-column action file is printed landscape
    page = model_html(document, Style(page="A4" + landscape))
    word = model_docx(document, Style(page="Letter" + landscape))
    folder: Path = tmp_path_factory.mktemp(prefix)
    files = {
        "html": page.encode("utf-8"),
        "docx": word,
        "chromium-pdf": chromium_pdf(page, folder / "chromium"),
        "libreoffice-pdf": soffice_pdf(word, ".docx", folder / "libreoffice"),
    }
    return name, expected, files


def _scores(expected: list[ParsedEvent], got: list[ParsedEvent]) -> tuple[float, float]:
    matched = sum((collections.Counter(map(_key, expected)) & collections.Counter(map(_key, got))).values())
    return matched / len(expected), matched / max(len(got), 1)


@pytest.mark.parametrize("copy", COPIES)
def test_copy_gives_the_text_paths_events(copies, copy):
    name, expected, files = copies
    parsed = parse_document(name, files[copy], today=TODAY)
    found, precision = _scores(expected, parsed.events)
    least_found, least_precision = TOLERANCE[name[:3]]
    assert found >= least_found and precision >= least_precision, (
        f"{copy}: found {found:.3f}, precision {precision:.3f}"
    )
    flagged = [(event.title, findings(event.title)) for event in parsed.events if findings(event.title)]
    assert not flagged, f"{copy}: titles the lint flags (issue 18)"
    if copy.endswith("pdf"):
        assert any(event.source.page for event in parsed.events), "PDF events carry their page"
        html_found, _ = _scores(expected, parse_document(name, files["html"], today=TODAY).events)
        assert found >= html_found - 0.15
