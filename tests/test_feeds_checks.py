"""Checking harness for iCalendar output, shared by the tests/test_feeds*.py files, and its own tests.

Four independent parsers judge every feed: ``icalendar`` (collective), ``ical`` in strict mode (allenporter;
Home Assistant's parser), ``vobject`` with ``validate()``, and Mozilla ``ical.js`` (Thunderbird's parser) run
under node from tests/js. On top of that come byte-level checks (CRLF, 75-octet lines, UTF-8 not split by a
fold) and the structural rules none of those parsers enforces (DTSTAMP present, DTEND after DTSTART, unique
UIDs). The tests at the bottom feed deliberately broken calendars through the harness to show it has teeth.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

JS_DIR = Path(__file__).parent / "js"
JS_SCRIPT = JS_DIR / "parse_ics.mjs"


# ------------------------------------------------------------------------------------------- byte level


def unfolded_lines(data: bytes) -> list[str]:
    """Content lines after RFC 5545 unfolding (CRLF followed by one space or tab)."""
    text = data.decode("utf-8")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def check_wire_format(data: bytes) -> None:
    """CRLF everywhere, lines of at most 75 octets, valid UTF-8 with no character split by a fold,
    no control characters, one VCALENDAR."""
    assert isinstance(data, bytes)
    data.decode("utf-8")  # strict
    assert data.endswith(b"\r\n"), "must end with CRLF"
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "bare CR"
    physical = data.split(b"\r\n")[:-1]
    for number, line in enumerate(physical, 1):
        assert len(line) <= 75, f"line {number} has {len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold must not split a multi-byte character
        assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line), f"control character on line {number}"
        assert line, f"empty line {number}"
    assert physical[0] == b"BEGIN:VCALENDAR"
    assert physical[-1] == b"END:VCALENDAR"
    lines = unfolded_lines(data)
    assert lines.count("BEGIN:VCALENDAR") == 1 and lines.count("END:VCALENDAR") == 1


# ------------------------------------------------------------------------------------------- parsers


@dataclass
class ParsedEvent:
    uid: str
    summary: str
    dtstart: date
    dtend: date
    status: str
    sequence: int


def parse_icalendar(data: bytes) -> list[ParsedEvent]:
    """collective ``icalendar``: lenient, so also demand that no component recorded parse errors."""
    cal = Calendar.from_ical(data)
    for component in cal.walk():
        assert not component.errors, f"{component.name}: {component.errors}"
    events = []
    for ev in cal.walk("VEVENT"):
        assert "DTSTAMP" in ev and "UID" in ev and "DTSTART" in ev and "DTEND" in ev
        assert ev["DTSTART"].params.get("VALUE") == "DATE" and ev["DTEND"].params.get("VALUE") == "DATE"
        events.append(
            ParsedEvent(
                uid=str(ev["UID"]),
                summary=str(ev["SUMMARY"]),
                dtstart=ev.decoded("DTSTART"),
                dtend=ev.decoded("DTEND"),
                status=str(ev["STATUS"]),
                sequence=int(ev["SEQUENCE"]),
            )
        )
    return events


def parse_ical_strict(data: bytes) -> list[ParsedEvent]:
    """allenporter ``ical`` (Home Assistant), strict by default: raises CalendarParseError."""
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return [
        ParsedEvent(
            uid=ev.uid,
            summary=ev.summary,
            dtstart=ev.dtstart,
            dtend=ev.dtend,
            status=ev.status.value if ev.status else "",
            sequence=ev.sequence,
        )
        for ev in cal.events
    ]


def parse_vobject(data: bytes) -> list[ParsedEvent]:
    """``vobject``: exactly one top-level component, and validate() (cardinality: one UID, one DTSTAMP...)."""
    text = data.decode("utf-8")
    components = list(vobject.readComponents(text))
    assert len(components) == 1
    cal = components[0]
    assert cal.validate(raiseException=True)
    return [
        ParsedEvent(
            uid=ev.uid.value,
            summary=ev.summary.value,
            dtstart=ev.dtstart.value,
            dtend=ev.dtend.value,
            status=ev.status.value,
            sequence=int(ev.sequence.value),
        )
        for ev in cal.contents.get("vevent", [])
    ]


def js_installed() -> bool:
    """Whether tests/js/node_modules holds every dependency of tests/js/package.json."""
    dependencies = json.loads((JS_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    return all((JS_DIR / "node_modules" / name / "package.json").exists() for name in dependencies)


def node_ready() -> str:
    """Path of node with every package of tests/js/package.json installed (runs `npm ci` once, under a lock)."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is required in CI for the tests' npm packages (ical.js, axe-core)")
        pytest.skip("node is not installed: the checks with tests/js (ical.js, axe-core) cannot run")
    if not js_installed():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("node is installed but npm is not: cannot install the packages of tests/js")
        lock = Path(tempfile.gettempdir()) / "calendar-svc-tests-js.lock"
        with open(lock, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # pytest-xdist workers install once
            if not js_installed():
                command = "ci" if (JS_DIR / "package-lock.json").exists() else "install"
                result = subprocess.run(
                    [npm, command, "--no-audit", "--no-fund"],
                    cwd=JS_DIR,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                if result.returncode != 0:
                    pytest.fail(f"npm {command} in tests/js failed:\n{result.stderr[-3000:]}")
    return node


class IcalJs:
    """Runs tests/js/parse_ics.mjs: Mozilla ical.js, strict mode unless ``lenient``."""

    def __init__(self, node: str):
        self.node = node

    def run(self, data: bytes, *, lenient: bool = False) -> dict:
        args = [self.node, str(JS_SCRIPT)] + (["--lenient"] if lenient else [])
        result = subprocess.run(args, input=data, capture_output=True, timeout=60)
        assert result.stdout, result.stderr.decode()
        return json.loads(result.stdout)

    def run_batch(self, documents: list[bytes], *, lenient: bool = False) -> list[dict]:
        args = [self.node, str(JS_SCRIPT), "--batch"] + (["--lenient"] if lenient else [])
        payload = json.dumps([doc.decode("utf-8") for doc in documents]).encode()
        result = subprocess.run(args, input=payload, capture_output=True, timeout=120)
        assert result.stdout, result.stderr.decode()
        return json.loads(result.stdout)

    def parse(self, data: bytes) -> tuple[dict, list[ParsedEvent]]:
        """Strict and lenient must both succeed and agree; returns the calendar info and events."""
        strict = self.run(data)
        assert strict["ok"], f"ical.js (strict) rejected the feed: {strict.get('error')}"
        lenient = self.run(data, lenient=True)
        assert lenient == strict
        return strict["calendar"], to_events(strict)


def to_events(result: dict) -> list[ParsedEvent]:
    events = []
    for ev in result["events"]:
        assert ev["dtstart_type"] == "date" and ev["dtend_type"] == "date", ev
        assert ev["dtstamp"], ev
        events.append(
            ParsedEvent(
                uid=ev["uid"],
                summary=ev["summary"],
                dtstart=date.fromisoformat(ev["dtstart"]),
                dtend=date.fromisoformat(ev["dtend"]),
                status=ev["status"],
                sequence=ev["sequence"],
            )
        )
    return events


def check_structure(events: list[ParsedEvent]) -> None:
    """Rules the parsers do not enforce: unique UIDs, exclusive DTEND strictly after DTSTART."""
    uids = [ev.uid for ev in events]
    assert len(uids) == len(set(uids)), "duplicate UID"
    for ev in events:
        assert ev.dtend > ev.dtstart, f"{ev.uid}: DTEND {ev.dtend} not after DTSTART {ev.dtstart}"


def check_python_parsers(data: bytes) -> list[ParsedEvent]:
    """Byte checks plus the three Python parsers; they must agree event by event."""
    check_wire_format(data)
    first = parse_icalendar(data)
    check_structure(first)
    assert parse_ical_strict(data) == first
    assert parse_vobject(data) == first
    # DTSTAMP is mandatory (the strict `ical` parser silently invents one when it is missing)
    stamps = [line for line in unfolded_lines(data) if line.startswith("DTSTAMP")]
    assert len(stamps) == len(first)
    return first


def check_all_parsers(data: bytes, icaljs: IcalJs) -> list[ParsedEvent]:
    events = check_python_parsers(data)
    _, js_events = icaljs.parse(data)
    assert js_events == events
    return events


# ------------------------------------------------------------------------------------------- inputs


def make_event(uid: str = "3f2a9c", **fields) -> dict:
    """An event mapping as the store hands it to the renderer (public event JSON plus revision fields)."""
    event = {
        "uid": uid,
        "title": "4th EU-Cabo Verde Joint Visa Facilitation Committee meeting",
        "description": "Follow-up of the 2024 roadmap.",
        "date_text": "14 May 2025",
        "start": "2025-05-14",
        "end": "2025-05-14",
        "precision": "day",
        "tentative": False,
        "status": "scheduled",
        "location": "Brussels",
        "countries": ["CV"],
        "processes": ["rabat-process"],
        "sources": [{"document": "000_9b0abeb886ecccb6.txt", "line": 44, "section": "Cabo Verde"}],
        "sequence": 0,
        "last_modified": "2025-01-02T10:00:00+00:00",
        "url": f"https://calendar.example.org/events/{uid}",
    }
    event.update(fields)
    return event


# ------------------------------------------------------------------------------------------- harness tests

GOOD = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
    "REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n"
    "BEGIN:VEVENT\r\nUID:a@h\r\nDTSTAMP:20250102T100000Z\r\nDTSTART;VALUE=DATE:20250401\r\n"
    "DTEND;VALUE=DATE:20250402\r\nSUMMARY:Türkiye\\, x\r\nSTATUS:CONFIRMED\r\nSEQUENCE:1\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)

BROKEN = {
    "bare LF": GOOD.replace("\r\n", "\n"),
    "colon instead of parameter semicolon": GOOD.replace(
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H", "REFRESH-INTERVAL:VALUE=DURATION:PT12H"
    ),
    "missing DTSTAMP": GOOD.replace("DTSTAMP:20250102T100000Z\r\n", ""),
    "DTEND equal to DTSTART": GOOD.replace("DTEND;VALUE=DATE:20250402", "DTEND;VALUE=DATE:20250401"),
    "injected BEGIN:VEVENT": GOOD.replace("SEQUENCE:1\r\n", "SEQUENCE:1\r\nBEGIN:VEVENT\r\n"),
    "two UIDs": GOOD.replace("UID:a@h\r\n", "UID:a@h\r\nUID:b@h\r\n"),
    "line over 75 octets": GOOD.replace("SUMMARY:", "SUMMARY:" + "x" * 80),
    "garbage line": GOOD.replace("STATUS:CONFIRMED\r\n", "STATUS:CONFIRMED\r\nNOT A PROPERTY\r\n"),
}


def test_harness_accepts_a_good_calendar(icaljs):
    events = check_all_parsers(GOOD.encode(), icaljs)
    assert events == [ParsedEvent("a@h", "Türkiye, x", date(2025, 4, 1), date(2025, 4, 2), "CONFIRMED", 1)]


def _split_utf8_fold() -> bytes:
    line = ("SUMMARY:" + "x" * 66 + "\u00fc\u00fc").encode()  # 'ü' is 2 octets; cut inside one
    cut = line.index("\u00fc".encode()) + 1
    folded = line[:cut] + b"\r\n " + line[cut:]
    return GOOD.encode().replace("SUMMARY:Türkiye\\, x".encode(), folded)


@pytest.mark.parametrize("name", [*sorted(BROKEN), "fold splits a UTF-8 character"])
def test_harness_rejects_broken_calendars(name, icaljs):
    data = _split_utf8_fold() if name not in BROKEN else BROKEN[name].encode()
    with pytest.raises(Exception):  # noqa: B017 - any failure of any layer is the point
        check_all_parsers(data, icaljs)


def test_ical_strict_alone_catches_the_home_assistant_refresh_bug():
    with pytest.raises(Exception):  # noqa: B017
        parse_ical_strict(BROKEN["colon instead of parameter semicolon"].encode())


def test_icaljs_strict_rejects_garbage(icaljs):
    result = icaljs.run(BROKEN["garbage line"].encode())
    assert not result["ok"] and "ParserError" in result["error"]
    batch = icaljs.run_batch([GOOD.encode(), BROKEN["garbage line"].encode()])
    assert [r["ok"] for r in batch] == [True, False]
