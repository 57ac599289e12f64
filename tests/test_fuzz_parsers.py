"""Fuzzing the parsers (issue 10): hypothesis properties and a short bounded atheris run.

Contract (parsers/errors.py): `parse_document` raises nothing but `DocumentError` on any bytes or text;
the date functions raise nothing and return sane intervals. The long atheris run is in docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import DocumentError, parse_document
from parsers import dates as date_module
from parsers.dates import find_dates, leading_date, parse_date
from parsers.text import decode

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_LINES = [
    line
    for sample in sorted((ROOT / "samples").glob("*.txt"))
    for line in sample.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
DATE_WORDS = [
    "January", "Feb.", "March", "end of", "mid-", "early", "Q2", "H1", "first half of", "spring", "autumn",
    "2021", "2025", "tbc", "TBC", "(tbc)", "postponed", "cancelled", "-", "–", "/", "&", "and", "to", "by",
    "I", "i", "1st", "31", "29", "0", "9999", "next year", "this month", "the coming weeks", "\n", "|", "\t",
]  # fmt: skip

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# text that looks like the documents: sample lines, date words and arbitrary text, mixed
line_text = st.one_of(
    st.text(max_size=200),
    st.sampled_from(SAMPLE_LINES),
    st.lists(st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=8), st.integers(-5, 3000).map(str)), max_size=12).map(" ".join),
)
document_text = st.lists(line_text, max_size=60).map("\n".join)
todays = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
year_hints = st.one_of(st.none(), st.integers(min_value=-10, max_value=10_000))


def _sane(parsed) -> None:
    assert (parsed.start is None) == (parsed.end is None)
    if parsed.start is not None:
        assert parsed.start <= parsed.end


@FUZZ
@given(text=line_text, today=todays, year_hint=year_hints)
def test_date_functions_never_raise_and_return_sane_intervals(text, today, year_hint):
    _sane(parse_date(text, today, year_hint))
    for match in find_dates(text, today, year_hint):
        assert 0 <= match.start <= match.end <= len(text)
        _sane(match.parsed)
    lead = leading_date(text, today, year_hint)
    if lead is not None:
        _sane(lead.parsed)


@FUZZ
@given(text=line_text, today=todays, year_hint=year_hints)
def test_date_internals_do_not_crash(text, today, year_hint):
    """The public functions swallow internal errors as "no date"; that would silently lose dates."""
    date_module._parse_date(text, today, year_hint)
    date_module._scan(date_module._norm(text), today, year_hint)


@FUZZ
@given(text=document_text, today=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_parse_document_on_text_raises_only_document_error(text, today):
    try:
        parsed = parse_document("fuzz.txt", text, today=today)
    except DocumentError as exc:
        assert exc.reason and "\n" not in exc.reason
        return
    for event in parsed.events:
        assert event.title and "\n" not in event.title
        _sane(event.date)


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=4096),
        document_text.map(lambda t: t.encode("utf-8")),
        document_text.map(lambda t: t.encode("utf-16")),
        document_text.map(lambda t: t.encode("cp1252", errors="replace")),
        st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]), st.binary(max_size=512)).map(b"".join),
    )
)
def test_parse_document_on_bytes_raises_only_document_error(data):
    try:
        parse_document("fuzz.bin", data, today=dt.date(2021, 9, 15))
    except DocumentError as exc:
        assert exc.document == "fuzz.bin" and exc.reason and "\n" not in exc.reason


@FUZZ
@given(data=st.binary(max_size=2048))
def test_decode_returns_text_or_refuses(data):
    try:
        text = decode(data, "x")
    except DocumentError:
        return
    assert isinstance(text, str) and "\x00" not in text


@pytest.mark.parametrize(
    "text",
    [
        "i January 2018",  # lower-case OCR "I" for 1 crashed the day-number reader
        "Met on 5 March 2021 and i January 2018",
        "This iDecember 2021 (tbc)",
    ],
)
def test_found_crashes_stay_fixed(text):
    today = dt.date(2021, 9, 15)
    date_module._parse_date(text, today, None)
    assert parse_date(text, today).start is not None
    assert find_dates(text, today)


def test_truncated_utf16_is_refused_not_crashed():
    with pytest.raises(DocumentError, match="UTF-16"):
        decode(b"\xff\xfeA\x00B", "odd.txt")


# -- atheris ----------------------------------------------------------------------------------------

FUZZ_SCRIPT = ROOT / "fuzz" / "fuzz_parsers.py"


def _atheris_available() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def test_atheris_short_run(tmp_path):
    """A bounded coverage-guided run (~20 s; FUZZ_SECONDS to change) from a seed corpus of sample lines."""
    if not _atheris_available():
        if os.environ.get("CI"):
            pytest.fail("CI requires atheris (pip install -e '.[test]')")
        pytest.skip("atheris is not installed (pip install atheris)")
    seeds, corpus = tmp_path / "seeds", tmp_path / "corpus"
    corpus.mkdir()
    made = subprocess.run(
        [sys.executable, str(FUZZ_SCRIPT), "--make-seeds", str(seeds)], capture_output=True, text=True, check=False
    )
    assert made.returncode == 0, made.stderr
    seconds = int(os.environ.get("FUZZ_SECONDS", "20"))
    result = subprocess.run(
        [
            sys.executable, str(FUZZ_SCRIPT),
            f"-max_total_time={seconds}", "-max_len=4096", "-timeout=30", "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/", str(corpus), str(seeds),
        ],
        capture_output=True, text=True, check=False, timeout=seconds + 300, cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    crashes = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-")))
    assert result.returncode == 0 and not crashes, f"atheris found {crashes}:\n{output[-4000:]}"
    assert "Done" in output and "runs in" in output
