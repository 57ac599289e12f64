"""Tests for parsers.dates: hand-labelled table, spec examples, find/leading, Hypothesis properties."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.dates import DateMatch, ParsedDate, find_dates, leading_date, parse_date

CASES = Path(__file__).with_name("date_cases.tsv")


def _load_cases():
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        assert len(f) == 9, line
        rows.append(pytest.param(*f, id=f[0][:40]))
    return rows


@pytest.mark.parametrize("text,today,hint,start,end,precision,tentative,status,deadline", _load_cases())
def test_labelled_table(text, today, hint, start, end, precision, tentative, status, deadline):
    p = parse_date(text.replace("\\n", "\n"), today=date.fromisoformat(today),
                   year_hint=int(hint) if hint else None)
    got = (p.start.isoformat() if p.start else "", p.end.isoformat() if p.end else "", p.precision or "",
           str(int(p.tentative)), p.status, str(int(p.deadline)))
    assert got == (start, end, precision, tentative, status, deadline)


def test_table_is_large_enough():
    assert len(_load_cases()) >= 300


# ---- spec examples: EDTF, parts, to_json ----

T = date(2021, 9, 14)


@pytest.mark.parametrize("text,edtf", [
    ("Q2 2025 (tbc)", "2025-34?"),
    ("Autumn 2021", "2021-23"),
    ("26-28 February 2020", "2020-02-26/2020-02-28"),
    ("28/29 August 2019", "2019-08-28/2019-08-29"),
    ("January 2019", "2019-01"),
    ("2021", "2021"),
    ("spring 2025", "2025-21"),
    ("summer 2025", "2025-22"),
    ("winter 2024", "2024-24"),
    ("Q1 2022", "2022-33"),
    ("Q4 2023", "2023-36"),
    ("first semester 2025", "2025-40"),
    ("H2 2024", "2024-41"),
    ("2016-2020", "2016/2020"),
    ("Q4 2023 - Q1 2024", "2023-36/2024-33"),
    ("early 2022", "2022-01/2022-04"),
    ("6 August 2021", "2021-08-06"),
    ("7 July and 13-14 October 2021", "{2021-07-07,2021-10-13/2021-10-14}"),
])
def test_edtf(text, edtf):
    assert parse_date(text, today=T).edtf == edtf


def test_parts_and_json():
    p = parse_date("7 July and 13-14 October 2021", today=T)
    assert p.precision == "multi"
    assert [(i.start, i.end, i.precision) for i in p.parts] == [
        (date(2021, 7, 7), date(2021, 7, 7), "day"), (date(2021, 10, 13), date(2021, 10, 14), "days")]
    j = p.to_json()
    assert j["start"] == "2021-07-07" and j["end"] == "2021-10-14" and j["deadline"] is False
    assert j["parts"][1] == {"start": "2021-10-13", "end": "2021-10-14", "precision": "days"}
    assert set(j) >= {"text", "start", "end", "precision", "tentative", "status", "edtf", "deadline", "parts"}
    empty = parse_date("no date here", today=T).to_json()
    assert empty["start"] is None and empty["edtf"] is None and empty["parts"] == []


def test_year_inferred_and_hint():
    assert parse_date("30 June", today=T).year_inferred is True
    assert parse_date("30 June 2021", today=T).year_inferred is False
    assert parse_date("30 June", today=T, year_hint=2019).start == date(2019, 6, 30)
    assert parse_date("December/January", today=date(2023, 12, 8)).start == date(2023, 12, 1)
    assert parse_date("December/January", today=date(2023, 12, 8)).end == date(2024, 1, 31)
    assert parse_date("29/11", today=date(2024, 7, 22), year_hint=2023).start == date(2023, 11, 29)


def test_relative():
    p = parse_date("in the coming weeks", today=T)
    assert (p.start, p.end, p.precision) == (T, T + timedelta(days=42), "relative")
    p = parse_date("in the upcoming months", today=T)
    assert (p.start, p.end, p.precision) == (T, date(2021, 12, 14), "relative")
    assert parse_date("by the end of the year", today=T).deadline is True


def test_status_and_tentative():
    p = parse_date("March 2020-cancelled, new date tbc", today=T)
    assert (p.status, p.tentative, p.start, p.end) == ("cancelled", True, date(2020, 3, 1), date(2020, 3, 31))
    p = parse_date("20-24 January 2020 (POSTPONED)", today=T)
    assert (p.status, p.tentative) == ("postponed", False)
    assert parse_date("tentatively planned for June 2025", today=T).tentative is True


# ---- find_dates ----

def _spans(text, today=T, year_hint=None):
    return [text[m.start:m.end] for m in find_dates(text, today=today, year_hint=year_hint)]


def test_find_prose_examples():
    text = "the AMMR Contact Group on 18-19 March, tentatively scheduled for June"
    ms = find_dates(text, today=date(2025, 3, 15))
    assert [text[m.start:m.end] for m in ms] == ["18-19 March", "June"]
    assert ms[0].parsed.start == date(2025, 3, 18) and ms[0].parsed.end == date(2025, 3, 19)
    assert ms[1].parsed.tentative is True and ms[0].parsed.tentative is False
    text = "Tunisia in July 2023, Mauritania in February 2024, and Egypt in March 2024"
    assert _spans(text) == ["July 2023", "February 2024", "March 2024"]


def test_find_deadline_cue_included():
    text = "Frontex Liaison Officer to be deployed by the end of 2024 and before the summer."
    ms = find_dates(text, today=date(2024, 3, 15))
    assert [text[m.start:m.end] for m in ms] == ["by the end of 2024", "before the summer"]
    assert all(m.parsed.deadline for m in ms)
    assert ms[0].parsed.start == date(2024, 1, 1) and ms[0].parsed.end == date(2024, 12, 31)


def test_find_markers_attached():
    text = "Sub-committee on Migration Autumn 2021 (tbc) and the Summit 20-24 January 2020 (POSTPONED) today"
    ms = find_dates(text, today=T)
    assert [text[m.start:m.end] for m in ms] == ["Autumn 2021 (tbc)", "20-24 January 2020 (POSTPONED)"]
    assert ms[0].parsed.tentative and ms[1].parsed.status == "postponed"


@pytest.mark.parametrize("text", [
    "11389/21 PR/ik 10",
    "COM(2024) 126 final",
    "Regulation (EU) 2019/1896 on the European Border and Coast Guard",
    "5 rounds of the EU Readmission Agreement negotiations took place",
    "the G5 Sahel Ministerial in Ouagadougou",
    "4th  EU-Cabo  Verde  Joint  Visa",
    "Article 13 of the Cotonou Agreement, 4 thematic areas",
    "EUR 101.7 million programme, 1 692 missing migrants, 37 613 irregular migrants",
    "Directive 2009/52/EC and WK 16820/2023 INIT",
    "the Commission may propose a 10-Point Plan",
    "page 30 of 42; paragraph 2.1",
])
def test_find_negatives(text):
    assert find_dates(text, today=T) == []


def test_find_seed_sentences():
    text = ("The negotiations started in\nOctober 2019 and were concluded on 24 July 2020 and on "
            "18 March 2021 the amendment of the EU-Cabo Verde Visa Facilitation Agreement was signed.")
    assert _spans(text) == ["October 2019", "24 July 2020", "18 March 2021"]
    text = "Council General Approach endorsed on 13 March 2024. The European Parliament"
    assert _spans(text) == ["13 March 2024"]
    text = "up on EUCO 17/4 and Coreper 29/5 guidance"
    ms = find_dates(text, today=date(2024, 7, 22))
    assert [m.parsed.start for m in ms] in ([date(2024, 4, 17), date(2024, 5, 29)],
                                           [date(2024, 4, 17)])
    text = "The adoption of the 6th Article 25a assessment report is expected for Q2/Q3 2025."
    ms = find_dates(text, today=date(2025, 3, 15))
    assert [text[m.start:m.end] for m in ms] == ["Q2/Q3 2025"]
    assert ms[0].parsed.tentative is True
    text = "a COP for The Gambia (EUR 1.4 million under ISF) was extended to June. 6 879 migrants in 2024"
    assert _spans(text, today=date(2025, 3, 15)) == ["June", "2024"]


def test_find_offsets_are_in_original_text():
    text = "Meeting\u00a0on 13 \u2013 14 April\n2021 in Brussels"
    (m,) = find_dates(text, today=T)
    assert text[m.start:m.end] == "13 \u2013 14 April\n2021"
    assert isinstance(m, DateMatch) and isinstance(m.parsed, ParsedDate)


# ---- leading_date ----

@pytest.mark.parametrize("line,covered,start,end", [
    ("10 September 2019 4th  EU-Cabo  Verde  Joint  Visa", "10 September 2019", "2019-09-10", "2019-09-10"),
    ("26-28 February 2020 Visit  of  Commissioner", "26-28 February 2020", "2020-02-26", "2020-02-28"),
    ("Autumn  2021  /  early  2022\n(TBC)\nEU-Serbia", "Autumn  2021  /  early  2022\n(TBC)", "2021-09-01",
     "2022-04-30"),
    ("Q2 2025 (tbc) Title", "Q2 2025 (tbc)", "2025-04-01", "2025-06-30"),
    ("March 2020-cancelled, new\ndate tbc\nEastern Partnership Panel", "March 2020-cancelled, new\ndate tbc",
     "2020-03-01", "2020-03-31"),
    ("04 March 2021", "04 March 2021", "2021-03-04", "2021-03-04"),
    ("January 2019 Sherpa visit to Niger", "January 2019", "2019-01-01", "2019-01-31"),
    (" 28 November 2019 Formal opening", "28 November 2019", "2019-11-28", "2019-11-28"),
    ("10-11 December \n2019\nEU-US JHA Ministerial", "10-11 December \n2019", "2019-12-10", "2019-12-11"),
    ("(Q1 2022 (date tbc) ) 6th EU-AU Summit", "(Q1 2022 (date tbc) )", "2022-01-01", "2022-03-31"),
    ("20-24 January 2020 \n(POSTPONED)\n11th GFMD", "20-24 January 2020 \n(POSTPONED)", "2020-01-20",
     "2020-01-24"),
    ("2022 - TBC Valletta Partners SOM", "2022 - TBC", "2022-01-01", "2022-12-31"),
    ("7 July and 13-14 \nOctober 2021\nVirtual roundtable", "7 July and 13-14 \nOctober 2021", "2021-07-07",
     "2021-10-14"),
    ("30 June Letter from MFA Onyeama", "30 June", "2021-06-30", "2021-06-30"),
    ("Feb/May 2019 Consultations", "Feb/May 2019", "2019-02-01", "2019-05-31"),
    ("6-7 March, 2019 Steering Committee", "6-7 March, 2019", "2019-03-06", "2019-03-07"),
])
def test_leading_date(line, covered, start, end):
    m = leading_date(line, today=T)
    assert m is not None
    assert line[m.start:m.end] == covered
    assert (m.parsed.start.isoformat(), m.parsed.end.isoformat()) == (start, end)


@pytest.mark.parametrize("line", [
    "4th EU-Cabo Verde Joint Visa Facilitation Committee", "2nd meeting of the Joint Working Group",
    "Visit of PM Abiy to Brussels", "", "   ", "11389/21 PR/ik 10", "5 rounds", "G5 Sahel Ministerial",
    "13d FRiT Steering Committee Meeting", "1. Safe evacuation of EU nationals",
])
def test_leading_date_none(line):
    assert leading_date(line, today=T) is None


# ---- Hypothesis properties ----

MONTHS = [calendar.month_name[i] for i in range(1, 13)]
dates_st = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@settings(max_examples=300, deadline=None)
@given(dates_st, st.sampled_from(["{d} {M} {y}", "{dd}/{mm}/{y}", "{d}/{m}/{y}", "{d}{suf} {M} {y}",
                                  "{dd} {M} {y}", "{d} {M}, {y}", "{M} {d}, {y}", "{d}.{mm}.{y}"]))
def test_single_day_roundtrip(d, fmt):
    suf = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    text = fmt.format(d=d.day, dd=f"{d.day:02d}", M=MONTHS[d.month - 1], y=d.year, mm=f"{d.month:02d}",
                      m=d.month, suf=suf)
    p = parse_date(text, today=date(2024, 1, 1))
    assert (p.start, p.end, p.precision) == (d, d, "day"), text


@settings(max_examples=300, deadline=None)
@given(dates_st, st.integers(min_value=1, max_value=40),
       st.sampled_from(["{d1}-{d2} {M2} {y2}", "{d1}/{d2} {M2} {y2}", "{d1} and {d2} {M2} {y2}",
                        "{d1} - {d2} {M2} {y2}", "{d1} \u2013 {d2} {M2} {y2}", "{d1} {M1} - {d2} {M2} {y2}",
                        "{d1} {M1} {y1} - {d2} {M2} {y2}", "{d1} {M1} {y1} to {d2} {M2} {y2}"]))
def test_day_range_roundtrip(d1, span, fmt):
    d2 = d1 + timedelta(days=span)
    same_month = (d1.year, d1.month) == (d2.year, d2.month)
    if "{M1}" not in fmt and not same_month:
        fmt = "{d1} {M1} {y1} - {d2} {M2} {y2}"
    if "{y1}" not in fmt and d1.year != d2.year:
        fmt = "{d1} {M1} {y1} - {d2} {M2} {y2}"
    text = fmt.format(d1=d1.day, d2=d2.day, M1=MONTHS[d1.month - 1], M2=MONTHS[d2.month - 1], y1=d1.year,
                      y2=d2.year)
    p = parse_date(text, today=date(2024, 1, 1))
    assert (p.start, p.end) == (d1, d2), text
    is_list = "{d1}/" in fmt or "{d1} and" in fmt
    assert p.precision == ("multi" if is_list and span > 1 else "days"), text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1990, max_value=2060), st.integers(min_value=1, max_value=12),
       st.integers(min_value=0, max_value=11))
def test_month_range_roundtrip(y, m1, k):
    m2 = min(12, m1 + k)
    text = f"{MONTHS[m1 - 1]}-{MONTHS[m2 - 1]} {y}" if m2 != m1 else f"{MONTHS[m1 - 1]} {y}"
    p = parse_date(text, today=date(2024, 1, 1))
    assert p.start == date(y, m1, 1) and p.end == date(y, m2, calendar.monthrange(y, m2)[1])


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_never_raises_and_start_le_end(text):
    p = parse_date(text, today=T)
    assert isinstance(p, ParsedDate)
    if p.start is not None:
        assert p.start <= p.end
        assert all(i.start <= i.end for i in p.parts)
    for m in find_dates(text, today=T):
        assert 0 <= m.start < m.end <= len(text)
        assert m.parsed.start is not None and m.parsed.start <= m.parsed.end
    lm = leading_date(text, today=T)
    assert lm is None or (lm.parsed.start is not None and lm.parsed.start <= lm.parsed.end)


_DATE_WORDS = re.compile(
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|autumn|winter|fall|q[1-4]|h[12]|half|"
    r"semester|quarter|year|week|month|\d", re.I)

_WORDS = st.sampled_from(["the", "meeting", "of", "Council", "on", "in", "by", "before", "and", "-", "/",
                          "(tbc)",
                          "early", "mid", "late", "end", "first", "second", "next", "this", "coming", "EU",
                          "Commission", "tentatively", "planned", "for", "I", "l", "th", "st", ",", ".",
                          "visit", "Brussels", "TBC", "postponed", "cancelled", "upcoming"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(_WORDS, max_size=12).map(" ".join)))
def test_no_date_words_no_date(text):
    if _DATE_WORDS.search(text):
        return
    assert parse_date(text, today=T).start is None
    assert find_dates(text, today=T) == []
    assert leading_date(text, today=T) is None


@settings(max_examples=300, deadline=None)
@given(st.text(), dates_st)
def test_embedded_date_found(prefix, d):
    prefix = re.sub(r"[\w\d]", "", prefix)
    text = f"{prefix} meeting on {d.day} {MONTHS[d.month - 1]} {d.year} in Brussels"
    ms = find_dates(text, today=T)
    assert any(m.parsed.start == d == m.parsed.end for m in ms), text
