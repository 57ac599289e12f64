"""The page of a PDF mention (issue 15): stored, in the event JSON, on the event page and in feed descriptions.

A two-page note is printed to PDF by Chromium (an independent generator) and ingested like any document;
its events sit on page 2. Text documents have no pages: their sources carry no `page` and read as before.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from calendar_svc.db import make_engine
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Event, EventSource
from calendar_svc.schema import upgrade
from parsers import parse_document

CHROMIUM = os.environ.get("CALENDAR_SVC_CHROMIUM", "/usr/bin/chromium")
NOTE = """<!doctype html><html><head><meta charset="utf-8">
<style>@page { size: A4; margin: 20mm } body { font: 11pt serif } .end { break-after: page }</style></head>
<body>
<h1>Council of the European Union</h1>
<p>Brussels, 15 September 2021</p>
<h2>State of play of the migration dialogues</h2>
<p class="end">This note sets out the state of play of the dialogues with partner countries.</p>
<h2>Morocco</h2>
<p>The 5th EU-Morocco Sub-Committee on Migration will take place in Rabat on 14 October 2021.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def note_pdf(tmp_path_factory) -> bytes:
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); required in CI")
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "note.html").write_text(NOTE, encoding="utf-8")
    target = folder / "note.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={target}", (folder / "note.html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return target.read_bytes()


@pytest.fixture
def stored(sessions, clock, note_pdf, sample_path):
    """Ingests the note and one text sample; returns the note's event as the parser reads it."""
    (mention,) = [e for e in parse_document("note.pdf", note_pdf).events if "Sub-Committee" in e.title]
    assert mention.source.page == 2, mention.source
    for name, content in (("note.pdf", note_pdf), (sample_path("001").name, sample_path("001").read_bytes())):
        assert ingest_bytes(sessions, name, content, clock=clock).status == "ok", name
    return mention


def _event_with(client, document: str) -> dict:
    events = client.get("/api/events?limit=500").json["events"]
    return next(e for e in events if any(s["document"] == document for s in e["sources"]))


def test_pdf_sources_carry_their_page_in_the_json(client, stored, sample_path):
    event = _event_with(client, "note.pdf")
    source = {"document": "note.pdf", "line": stored.source.line, "section": "Morocco", "page": 2}
    assert event["sources"] == [source]
    assert client.get(f"/api/events/{event['uid']}").json["sources"] == [source]
    # text documents have no pages: their sources are as they always were
    text = _event_with(client, sample_path("001").name)
    assert all(set(s) == {"document", "line", "section"} for s in text["sources"])


def test_the_event_page_says_page_and_line(client, stored, sample_path):
    uid = _event_with(client, "note.pdf")["uid"]
    html = client.get(f"/events/{uid}").get_data(as_text=True)
    assert "<dt>Page and line</dt>" in html
    assert f'<dd class="line">page 2, line {stored.source.line}</dd>' in html
    assert f'aria-label="Text of the row in note.pdf at page 2, line {stored.source.line}"' in html
    text = _event_with(client, sample_path("001").name)
    html = client.get(f"/events/{text['uid']}").get_data(as_text=True)
    assert "<dt>Line</dt>" in html and "Page and line" not in html and "page 2, line" not in html


def test_feed_descriptions_name_the_page(client, stored):
    uid = _event_with(client, "note.pdf")["uid"]
    calendar = icalendar.Calendar.from_ical(client.get("/feeds/countries/MA.ics").data)
    (vevent,) = [c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith(uid)]
    assert f"- note.pdf, section “Morocco”, page 2, line {stored.source.line}" in str(vevent["DESCRIPTION"])
    single = icalendar.Calendar.from_ical(client.get(f"/events/{uid}.ics").data)
    assert "page 2, line" in str(next(iter(single.walk("VEVENT")))["DESCRIPTION"])


def test_one_line_number_on_two_pages_is_two_mentions(sessions, clock):
    """Lines count per page, so (document, page, line) identifies a mention; the store enforces it."""
    moment = clock()
    with sessions.begin() as session:
        event = Event(
            uid="pages0001", key="pages", title="Meeting", date_text="1 October 2021", start=moment.date(),
            end=moment.date(), precision="day", created_at=moment, last_modified=moment,
        )  # fmt: skip
        event.sources = [EventSource(document="n.pdf", page=p, line=4, section=None) for p in (1, 2)]
        session.add(event)
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(EventSource(event_id=event.id, document="n.pdf", page=2, line=4, section=None))


def test_upgrade_keeps_existing_sources_page_less(tmp_path):
    """Sources stored before revision 0004 get page 0, the store's "no page"."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        upgrade(engine, "0003")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO events (id, uid, key, title, description, date_text, start, \"end\", precision,"
                " tentative, status, deadline, sequence, created_at, last_modified) VALUES (1, 'u1', 'k', 't',"
                " '', 'd', '2021-10-01', '2021-10-01', 'day', 0, 'scheduled', 0, 0, '2021-09-15 08:00:00',"
                " '2021-09-15 08:00:00')"
            ))  # fmt: skip
            connection.execute(text(
                "INSERT INTO event_sources (event_id, document, line, section, raw, date_text)"
                " VALUES (1, 'a.txt', 7, NULL, '', '')"
            ))  # fmt: skip
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT page, line FROM event_sources")).all() == [(0, 7)]
    finally:
        engine.dispose()
