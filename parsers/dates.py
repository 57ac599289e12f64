"""Fuzzy date normaliser for EU policy documents.

Pure Python (stdlib ``re`` / ``datetime`` only).  Three entry points:

* :func:`parse_date`   -- normalise a whole date cell / expression;
* :func:`find_dates`   -- locate every date expression inside prose;
* :func:`leading_date` -- the date expression that begins a table row.

Conventions (see docs/dates.md): seasons are meteorological, northern hemisphere
(winter YYYY = Dec YYYY .. Feb YYYY+1); early/mid/late year = Jan-Apr / May-Aug / Sep-Dec;
early/mid/late month = days 1-10 / 11-20 / 21-end; H1 = Jan-Jun, H2 = Jul-Dec;
"by X", "before X", "by the end of X" denote X itself with ``deadline=True``;
alternatives and lists denote their union.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateMatch", "Interval", "ParsedDate", "find_dates", "leading_date", "parse_date"]


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    start: date
    end: date
    precision: str

    def to_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "precision": self.precision}


@dataclass(frozen=True)
class ParsedDate:
    text: str
    start: date | None
    end: date | None
    precision: str | None
    tentative: bool
    status: str
    edtf: str | None
    deadline: bool = False
    parts: tuple[Interval, ...] = ()
    year_inferred: bool = False

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "tentative": self.tentative,
            "status": self.status,
            "edtf": self.edtf,
            "deadline": self.deadline,
            "parts": [p.to_json() for p in self.parts],
        }


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    parsed: ParsedDate


# --------------------------------------------------------------------------------------------
# Lexicon and regex building blocks
# --------------------------------------------------------------------------------------------

_MONTH_NAMES = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "febr": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
# month words that are also ordinary English words: accepted alone only when capitalised
_AMBIGUOUS_MONTHS = {
    "may", "mar", "march", "jan", "dec", "jun", "jul", "aug", "sep", "oct", "nov", "feb", "apr",
}

_MON = (
    r"(?:jan(?:uary|\.)?|feb(?:ruary|r?\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|jun(?:e|\.)?|jul(?:y|\.)?"
    r"|aug(?:ust|\.)?|sep(?:tember|t\.?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
)
MON = _MON + r"(?![a-z])"
# "Octoberand" (missing space before "and") is tolerated
MON_LOOSE = _MON + r"(?:(?![a-z])|(?=and\b))"
YEAR = r"(?:19[5-9]\d|20\d\d)(?![\d])"
NUM_IN = r"(?:[0-3]?\d|(?-i:I))(?:st|nd|rd|th|lh|d)?(?![\d])"  # OCR "I" for 1; not "i"
NUM = r"(?<![\w.,/])" + NUM_IN
DCONN = r"(?:\s*(?:-|/|&|,|\+)\s*|\s+(?:and|to|or|until|till)\s+|\s*,?\s*and\s+)"
RCONN = r"(?:\s*(?:-|/|&|,)\s*|\s*and\s+|\s+(?:to|or|until|till|through|and/or)\s+|\s*,\s*(?:and|or)\s+)"
SEASON = r"(?:spring|summer|autumn|winter|fall(?=\s+(?:19|20)\d\d))"
MOD = (
    r"(?:(?:the\s+)?(?:very\s+)?(?:beginning|start|middle|end)(?:\s+of|-)\s*(?:the\s+)?|early[-\s]\s*|late[-\s]\s*"
    r"|mid[-\s]?\s*|end[-\s]\s*|(?:the\s+)?(?:first|second|1st|2nd)\s+half\s+of\s+(?:the\s+)?)"
)
QORD = r"(?:first|second|third|fourth|last|1st|2nd|3rd|4th)"
OPT_YEAR = r"(?:\s*,?\s*(?:of\s+)?" + YEAR + r")?"

# ---- atoms (order matters: longer / more specific first) ----
_ATOM_PATTERNS: list[tuple[str, str]] = [
    # 23/11/2023  8/7/2024  29.01.2025  2024-07-22
    ("numdate", r"(?<![\w./-])(?P<nd_d>[0-3]?\d)(?P<nd_s>[./])(?P<nd_m>[01]?\d)(?P=nd_s)"
                r"(?P<nd_y>(?:19|20)\d\d|\d\d)(?![\d/]|\.\d)"),
    ("iso", r"(?<![\w./-])(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?![\d])"),
    # 26-28 February 2020, 28/29 August 2019, 17 and 18 March, 6-7 March, 2019, I December
    ("days", r"(?P<days_list>" + NUM + r"(?:" + DCONN + NUM_IN + r")*)\s*(?:of\s+)?(?P<days_mon>"
             + MON_LOOSE + r")(?P<days_year>\s*,?\s*" + YEAR + r")?"),
    # March 19, 2022 ; April 1st, 2023 ; 'March 19,' (US order)
    ("us", r"(?P<us_mon>" + MON + r")\s+(?P<us_day>[0-3]?\d)(?:(?:st|nd|rd|th)(?![a-z])(?P<us_year>\s*,?\s*"
           + YEAR + r")?|(?P<us_year2>\s*,\s*" + YEAR + r")|(?![\d])(?=\s*,))"),
    # Q1 2022, Q2/Q3 2025, early Q1 2024, first quarter of 2025
    ("quarter", r"(?P<q_mod>" + MOD + r")?(?P<q_list>Q[1-4](?:\s*(?:/|-|and|&|,)\s*Q[1-4])*"
                r"|(?:the\s+)?" + QORD + r"\s+quarter)(?![\w])(?P<q_year>\s*(?:of\s+)?(?:(?:the\s+)?year\b"
                r"|" + YEAR + r"))?"),
    # H1 2024, first half of 2025, second semester 2025, first half of August
    ("half", r"(?P<h_which>H[12](?![\w])|(?:the\s+)?(?:first|second|1st|2nd)\s+(?:half|semester)(?:\s+of)?)"
             r"(?:\s+(?:the\s+)?(?:(?P<h_month>" + MON + r")(?P<h_myear>\s*" + YEAR + r")?|(?P<h_year>" + YEAR
             + r")|(?P<h_rel>year|this\s+year|next\s+year)\b)|(?P<h_year2>\s*" + YEAR + r"))?"),
    # first two months of 2025 / of the year
    ("firstn", r"(?:the\s+)?(?P<fn_which>first|last)\s+(?P<fn_n>two|three|four|five|six|2|3|4|5|6)\s+months"
               r"\s+of\s+(?:(?:the\s+)?(?P<fn_rel>year)\b|(?P<fn_year>" + YEAR + r"))"),
    # Autumn 2021, early spring 2024, this autumn, the summer, summer
    ("season", r"(?P<s_mod>" + MOD + r")?(?P<s_rel>(?:this|next|last|the)\s+)?(?P<s_name>" + SEASON
               + r")(?![a-z])(?P<s_year>\s*(?:of\s+)?" + YEAR + r")?"),
    # months: January 2019, Feb/May 2019, mid-February, end of July 2024, March-October 2023
    ("months", r"(?P<m_list>(?:" + MOD + r")?" + MON_LOOSE + r"(?:\s*(?:-|/|&|,)\s*(?:" + MOD + r")?"
               + MON_LOOSE
               + r"|\s+(?:and|or|to|until|till)\s+(?:" + MOD + r")?" + MON_LOOSE + r"|\s*,\s*(?:and|or)\s+(?:"
               + MOD + r")?" + MON_LOOSE + r")*)(?P<m_year>\s*,?\s*(?:of\s+)?" + YEAR + r")?"),
    # relative year: early next year, this year, the end of the year, year end, later this year
    ("relyear", r"(?P<ry_mod>" + MOD + r"|later\s+)?(?P<ry_which>(?:this|next|last|the\s+current"
                r"|the\s+following|the\s+next|the\s+same)\s+year|(?<=of\s)the\s+year|(?<=of\s)year|year[-\s]end)(?![\w-])"),
    # coming weeks / upcoming months / next few weeks / recent weeks
    ("relperiod", r"(?P<rp_which>(?:the\s+)?(?:coming|upcoming|forthcoming|next|following|recent|past|last)"
                  r"(?:\s+(?:few|couple\s+of|two|three|four|five|six|several))?)\s+(?P<rp_unit>weeks|months)\b"),
    # years: 2021, mid-2026, end of 2025, 2024/25, 2015-17
    ("year", r"(?:(?P<y_mod>" + MOD + r")|(?<![A-Za-z]-)(?<![A-Za-z]\()(?<!EUR\s)(?<![\w./]))"
             r"(?P<y_val>" + YEAR + r")(?P<y_short>\s*[-/]\s*\d\d(?![\d/]))?"
             r"(?!\s*/\s*\d|\.\d|,\d|\)\s*\d|\s*(?:million|billion|bn\b|persons|people|migrants|%))"),
    # numeric day/month without year: 29/11, EUCO 17/4
    ("dm", r"(?<![\w./,-])(?P<dm_d>[0-3]?\d)/(?P<dm_m>[01]?\d)(?![\d/]|\.\d|\s*-\s*\d|\s*(?:" + _MON + r"))"),
]

_ATOM_RES = {name: re.compile(pat, re.I) for name, pat in _ATOM_PATTERNS}


def _strip_groups(pat: str) -> str:
    pat = re.sub(r"\(\?P<\w+>", "(?:", pat)
    pat = re.sub(r"\(\?P=\w+\)", r"[./]", pat)
    return pat


_ATOM_ANY = "|".join(f"(?P<{name}>{_strip_groups(pat)})" for name, pat in _ATOM_PATTERNS)
_ATOM_ANY_RE = re.compile(_ATOM_ANY, re.I)

_MARK = (
    r"(?:\s*\(\s*(?:date\s+)?(?:tbc|tbd|t\.b\.c\.?|to\s+be\s+(?:confirmed|determined|defined)|tentative"
    r"|provisional|postponed|cancelled|canceled|estimated?|indicative|planned|expected)\s*\)"
    r"|\s*[-,]?\s*(?:date\s+)?(?:tbc|tbd|t\.b\.c\.?)\b(?:\s*\))?"
    r"|\s*-\s*(?:postponed|cancelled|canceled)(?:\s*,\s*new\s+date\s+(?:tbc|tbd|to\s+be\s+confirmed))?"
    r"|\s+(?:postponed|cancelled|canceled)\b)"
)
_CUE = r"(?P<cue>\b(?:by|before|no\s+later\s+than|not\s+later\s+than)\s+)?"
_ATOM_NC = _strip_groups(_ATOM_ANY)
_EXPR = _CUE + r"(?P<body>(?:" + _ATOM_NC + r")(?:" + RCONN + r"(?:" + _ATOM_NC + r"))*)"
_EXPR_RE = re.compile(_EXPR + r"(?P<marks>(?:" + _MARK + r")*)", re.I)
_CONN_RE = re.compile(
    r"\s*(?P<c>-|/|&|,\s*(?:and|or)\b|,|and/or\b|and\b|or\b|to\b|until\b|till\b|through\b)\s*", re.I
)
_WS_TRANS = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-",
                           "\u2011": "-", "\u00a0": " ", "\t": " ", "\n": " ", "\r": " ", "\u2009": " ",
                           "\u202f": " ", "\f": " ", "\v": " "})

_TENTATIVE_RE = re.compile(
    r"\b(?:tbc|tbd|t\.b\.c|to\s+be\s+(?:confirmed|determined|defined|decided)|tentative(?:ly)?|planned|expected"
    r"|provisional(?:ly)?|envisaged|foreseen|indicative(?:ly)?|estimated|possibly|scheduled\s+for)\b",
    re.I,
)
_CANCEL_RE = re.compile(r"\bcancel+ed\b|\bcancel+ation\b", re.I)
_POSTPONE_RE = re.compile(r"\bpostponed?\b|\bdelayed\b|\bre-?scheduled\b", re.I)
_PREFIX_TENT_RE = re.compile(
    r"(?:tentatively|provisionally|planned|expected|envisaged|foreseen|scheduled|tbc)\s+(?:\w+\s+){0,2}"
    r"(?:for|in|on|by|to|at|during)?\s*(?:the\s+)?$",
    re.I,
)
_PAST_RE = re.compile(r"\b(?:since|as\s+of)\s+$", re.I)
_AND_RE = re.compile(r"(\s*)and\s", re.I)
_BETWEEN_RE = re.compile(r"\b(?:between|from)\s+(?:the\s+)?$", re.I)

_WORDNUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON_EDTF = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_QORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4}


# --------------------------------------------------------------------------------------------
# Small date helpers
# --------------------------------------------------------------------------------------------


def _mend(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _month_span(y: int, m1: int, n: int) -> tuple[date, date]:
    y2, m2 = _add_months(y, m1, n - 1)
    return date(y, m1, 1), _mend(y2, m2)


def _month_num(tok: str) -> int:
    return _MONTH_NAMES[tok.lower().rstrip(".")[:3] if tok.lower().rstrip(".") not in _MONTH_NAMES
                        else tok.lower().rstrip(".")]


def _day_num(tok: str) -> int:
    t = tok.strip()
    if t[:1] in "Il":
        return 1
    return int(re.match(r"\d+", t).group())


def _mod_kind(mod: str | None) -> str | None:
    if not mod:
        return None
    m = mod.lower()
    if "half" in m:
        return "h1" if ("first" in m or "1st" in m) else "h2"
    if "beginning" in m or "start" in m or m.startswith("early"):
        return "early"
    if "middle" in m or m.startswith("mid"):
        return "mid"
    if m.startswith("late") or "end" in m:
        return "late"
    return None


# A "piece" is one interval produced by an atom: [start, end, kind, edtf]
@dataclass
class _Piece:
    start: date
    end: date
    kind: str  # day | month | quarter | season | half | year | months | days | relative
    edtf: str


def _apply_mod_month(y: int, m: int, mod: str | None) -> _Piece:
    k = _mod_kind(mod)
    last = calendar.monthrange(y, m)[1]
    if k is None:
        return _Piece(date(y, m, 1), date(y, m, last), "month", f"{y:04d}-{m:02d}")
    a, b = {"early": (1, 10), "mid": (11, 20), "late": (21, last), "h1": (1, 15), "h2": (16, last)}[k]
    s, e = date(y, m, a), date(y, m, b)
    return _Piece(s, e, "days", f"{s.isoformat()}/{e.isoformat()}")


def _apply_mod_span(s: date, n: int, mod: str | None, kind: str, edtf: str) -> _Piece:
    """Modifier on a span of ``n`` whole months starting at ``s`` (year, half, quarter, season)."""
    k = _mod_kind(mod)
    if k is None:
        e = _month_span(s.year, s.month, n)[1]
        return _Piece(s, e, kind, edtf)
    if n == 12:
        a, ln = {"early": (0, 4), "mid": (4, 4), "late": (8, 4), "h1": (0, 6), "h2": (6, 6)}[k]
    elif n % 3 == 0:
        third = n // 3
        a, ln = {"early": (0, third), "mid": (third, third), "late": (2 * third, third),
                 "h1": (0, n // 2 or 1), "h2": (n // 2, n - n // 2)}[k]
    else:
        a, ln = {"early": (0, 1), "mid": (n // 2, 1), "late": (n - 1, 1),
                 "h1": (0, n // 2), "h2": (n // 2, n - n // 2)}[k]
    y1, m1 = _add_months(s.year, s.month, a)
    s2, e2 = _month_span(y1, m1, ln)
    if k in ("h1", "h2") and n == 12:
        return _Piece(s2, e2, "half", f"{s.year:04d}-{40 if k == 'h1' else 41}")
    if ln == 1:
        return _Piece(s2, e2, "month", f"{y1:04d}-{m1:02d}")
    return _Piece(s2, e2, "months", f"{s2.year:04d}-{s2.month:02d}/{e2.year:04d}-{e2.month:02d}")


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Atoms
# --------------------------------------------------------------------------------------------


class _Atom:
    """One date atom.  ``year`` is the explicit year (None if absent); ``build(y)`` gives pieces
    for a concrete year (the year of the atom's *last* element)."""

    __slots__ = ("kind", "year", "fn", "first_month", "last_month", "relative")

    def __init__(self, kind, year, fn, first_month=1, last_month=12, relative=False):
        self.kind = kind
        self.year = year
        self.fn = fn
        self.first_month = first_month
        self.last_month = last_month
        self.relative = relative

    def build(self, y: int) -> list[_Piece] | None:
        try:
            return self.fn(y)
        except (ValueError, OverflowError):
            return None


def _split_list(s: str, item_re: str) -> list[tuple[str, str]]:
    """Split 'a - b / c and d' into [(item, conn_before)]."""
    out: list[tuple[str, str]] = []
    pos = 0
    conn = ""
    item = re.compile(item_re, re.I)
    while pos < len(s):
        m = item.match(s, pos)
        if not m:
            break
        out.append((m.group(), conn))
        pos = m.end()
        c = _CONN_RE.match(s, pos)
        if not c:
            break
        conn = c.group("c").lower()
        pos = c.end()
    return out


def _is_range_conn(c: str) -> bool:
    return c in ("-", "to", "until", "till", "through")


def _fix_year(ys: str) -> int:
    y = int(ys)
    if len(ys) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _combine_list(items: list[tuple[list[_Piece], str]]) -> list[_Piece]:
    """items = [(pieces, conn_before)]: a range connector joins the previous and the next item."""
    out: list[_Piece] = []
    for pieces, conn in items:
        if out and _is_range_conn(conn):
            prev = out.pop()
            nxt = pieces[-1]
            out.extend(pieces[:-1][:0])
            out.append(_range_piece(prev, nxt))
        else:
            out.extend(pieces)
    return out


def _range_piece(a: _Piece, b: _Piece) -> _Piece:
    s, e = a.start, b.end
    if e < s:
        s, e = e, s
    kind = a.kind if a.kind == b.kind else "multi"
    base = {"day": "day", "days": "day", "month": "month", "months": "month"}
    if base.get(a.kind) == base.get(b.kind) == "day":
        kind = "days"
    elif base.get(a.kind) == base.get(b.kind) == "month":
        kind = "months"
    elif a.kind == b.kind == "year":
        kind = "year"
    ae, be = a.edtf.split("/")[0], b.edtf.split("/")[-1]
    return _Piece(s, e, kind, f"{ae}/{be}")


def _atom_numdate(m: re.Match) -> _Atom | None:
    d, mo, y = int(m["nd_d"]), int(m["nd_m"]), _fix_year(m["nd_y"])
    if _safe_date(y, mo, d) is None:
        return None
    dt = date(y, mo, d)
    return _Atom("day", y, lambda _y: [_Piece(dt, dt, "day", dt.isoformat())], mo, mo)


def _atom_iso(m: re.Match) -> _Atom | None:
    dt = _safe_date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
    if dt is None:
        return None
    return _Atom("day", dt.year, lambda _y: [_Piece(dt, dt, "day", dt.isoformat())], dt.month, dt.month)


def _atom_dm(m: re.Match) -> _Atom | None:
    d, mo = int(m["dm_d"]), int(m["dm_m"])
    if not (1 <= mo <= 12 and 1 <= d <= 31) or _safe_date(2024, mo, d) is None:
        return None

    def fn(y):
        dt = date(y, mo, d)
        return [_Piece(dt, dt, "day", dt.isoformat())]

    return _Atom("day", None, fn, mo, mo)


def _atom_days(m: re.Match) -> _Atom | None:
    mo = _month_num(re.match(r"[a-z]+", m["days_mon"], re.I).group())
    ys = m["days_year"]
    year = int(re.search(r"\d{4}", ys).group()) if ys else None
    items = _split_list(m["days_list"], NUM_IN)
    days = [(_day_num(t), c) for t, c in items]
    if any(not 1 <= d <= 31 for d, _ in days):
        return None
    # OCR "I" is only a day right before the month
    if any(t.strip()[:1] in "Il" for t, _ in items[:-1]):
        return None

    def fn(y):
        out = []
        for d, c in days:
            dt = date(y, mo, d)
            out.append(([_Piece(dt, dt, "day", dt.isoformat())], c))
        return _combine_list(out)

    return _Atom("day", year, fn, mo, mo)


def _atom_us(m: re.Match) -> _Atom | None:
    mo = _month_num(re.match(r"[a-z]+", m["us_mon"], re.I).group())
    d = int(m["us_day"])
    year = _year_of(m["us_year"] or m["us_year2"])
    if not 1 <= d <= 31:
        return None

    def fn(y):
        dt = date(y, mo, d)
        return [_Piece(dt, dt, "day", dt.isoformat())]

    return _Atom("day", year, fn, mo, mo)


def _year_of(s: str | None) -> int | None:
    if not s:
        return None
    m = re.search(r"\d{4}", s)
    return int(m.group()) if m else None


def _atom_months(m: re.Match, raw: str) -> _Atom | None:
    year = _year_of(m["m_year"])
    item_re = r"(?:" + MOD + r")?" + MON_LOOSE
    items = _split_list(m["m_list"], item_re)
    parsed = []
    for t, c in items:
        mm = re.search(MOD + r"?(?P<mon>" + _MON + r")$", t.strip(), re.I) or re.search(
            r"(?P<mon>" + _MON + r")", t, re.I)
        mon_tok = re.search(_MON, t[len(t) - len(t.lstrip()):] if False else t, re.I)
        mon_txt = mm["mon"] if mm and "mon" in mm.groupdict() else mon_tok.group()
        mod = t[: t.lower().rfind(mon_txt.lower())].strip() or None
        parsed.append((_month_num(re.match(r"[a-z]+", mon_txt, re.I).group()), mod, c, mon_txt))
    if not parsed:
        return None
    # a lone ambiguous lower-case word ("may", "march") is not a date
    if year is None and len(parsed) == 1 and parsed[0][1] is None:
        tok = parsed[0][3].rstrip(".")
        if tok.lower() in _AMBIGUOUS_MONTHS and not tok[:1].isupper():
            return None
        if len(tok) <= 3 and (not tok[:1].isupper() or tok.isupper()):
            return None  # "APR" (Asylum Procedure Regulation), "dec"
    if year is None and all(p[1] is None for p in parsed) and all(
            p[3][:1].islower() for p in parsed) and any(p[3].lower().rstrip(".") in _AMBIGUOUS_MONTHS
                                                          for p in parsed):
        return None

    def fn(y):
        # the year belongs to the last month; walk left, stepping back a year when months decrease
        ys = [y] * len(parsed)
        for i in range(len(parsed) - 2, -1, -1):
            ys[i] = ys[i + 1] - 1 if parsed[i][0] > parsed[i + 1][0] else ys[i + 1]
        out = [([_apply_mod_month(ys[i], mo, mod)], c) for i, (mo, mod, c, _t) in enumerate(parsed)]
        return _combine_list(out)

    return _Atom("month", year, fn, parsed[0][0], parsed[-1][0])


def _atom_quarter(m: re.Match) -> _Atom | None:
    ql = m["q_list"]
    qy = m["q_year"]
    year = _year_of(qy)
    rel_year = bool(qy and "year" in qy.lower())
    if ql.lower().lstrip().startswith(("q",)):
        items = [(int(t.strip()[1]), c) for t, c in _split_list(ql, r"Q[1-4]")]
    else:
        w = re.search(QORD, ql, re.I).group().lower()
        items = [(_QORD[w], "")]
    mod = m["q_mod"]

    def fn(y):
        out = []
        for q, c in items:
            s = date(y, 3 * q - 2, 1)
            out.append(([_apply_mod_span(s, 3, mod, "quarter", f"{y:04d}-{32 + q}")], c))
        return _combine_list(out)

    return _Atom("quarter", year, fn, 3 * items[0][0] - 2, 3 * items[-1][0], relative=rel_year)


def _atom_half(m: re.Match) -> _Atom | None:
    w = m["h_which"].lower()
    h = 1 if ("1" in w or "first" in w) else 2
    if m["h_month"]:
        mo = _month_num(re.match(r"[a-z]+", m["h_month"], re.I).group())
        year = _year_of(m["h_myear"])

        def fnm(y):
            return [_apply_mod_month(y, mo, "first half of" if h == 1 else "second half of")]

        return _Atom("month", year, fnm, mo, mo)
    year = _year_of(m["h_year"] or m["h_year2"])
    rel = m["h_rel"]
    if year is None and not rel and not w.startswith("h"):
        return None

    def fn(y):
        s, e = _month_span(y, 1 if h == 1 else 7, 6)
        return [_Piece(s, e, "half", f"{y:04d}-{39 + h}")]

    atom = _Atom("half", year, fn, 1 if h == 1 else 7, 6 if h == 1 else 12)
    if rel and "next" in rel.lower():
        atom.relative = "next"
    elif rel:
        atom.relative = "this"
    return atom


def _atom_firstn(m: re.Match) -> _Atom | None:
    n = _WORDNUM.get(m["fn_n"].lower()) or int(m["fn_n"])
    year = _year_of(m["fn_year"])
    first = m["fn_which"].lower() == "first"

    def fn(y):
        s, e = _month_span(y, 1 if first else 13 - n, n)
        return [_Piece(s, e, "months", f"{s.year:04d}-{s.month:02d}/{e.year:04d}-{e.month:02d}")]

    atom = _Atom("months", year, fn, 1 if first else 13 - n, n if first else 12)
    if m["fn_rel"]:
        atom.relative = "this"
    return atom


def _atom_season(m: re.Match) -> _Atom | None:
    name = m["s_name"].lower()
    year = _year_of(m["s_year"])
    rel = (m["s_rel"] or "").strip().lower()
    mod = m["s_mod"]
    sm = _SEASON_START[name]

    def fn(y):
        s = date(y, sm, 1)
        return [_apply_mod_span(s, 3, mod, "season", f"{y:04d}-{_SEASON_EDTF[name]}")]

    atom = _Atom("season", year, fn, sm, (sm + 2 - 1) % 12 + 1)
    if rel in ("this", "next", "last"):
        atom.relative = rel
    return atom


def _atom_year(m: re.Match) -> _Atom | None:
    y0 = int(m["y_val"])
    mod = m["y_mod"]
    short = m["y_short"]
    if short:
        y1 = int(re.search(r"\d\d", short).group()) + (y0 // 100) * 100
        if not (y0 < y1 <= y0 + 20):
            return None

        def fnr(_y):
            return [_Piece(date(y0, 1, 1), date(y1, 12, 31), "year", f"{y0:04d}/{y1:04d}")]

        return _Atom("year", y0, fnr)

    def fn(y):
        return [_apply_mod_span(date(y, 1, 1), 12, mod, "year", f"{y:04d}")]

    return _Atom("year", y0, fn)


def _atom_relyear(m: re.Match) -> _Atom | None:
    which = m["ry_which"].lower()
    mod = m["ry_mod"]
    if "end" in which:  # "year end"
        mod = "end of"
    atom_rel = "next" if "next" in which or "following" in which else ("last" if "last" in which else "this")
    later = bool(mod and mod.strip().lower() == "later")

    def fn(y):
        if later:
            return None
        return [_apply_mod_span(date(y, 1, 1), 12, mod, "year", f"{y:04d}")]

    atom = _Atom("year", None, fn, relative=atom_rel)
    if later:
        atom.kind = "later"
    return atom


def _atom_relperiod(m: re.Match) -> _Atom | None:
    which = m["rp_which"].lower()
    unit = m["rp_unit"].lower()
    past = any(w in which for w in ("recent", "past", "last"))
    atom = _Atom("relative", None, lambda y: None, relative=("past" if past else "future") + "-" + unit)
    return atom


_BUILDERS = {
    "numdate": _atom_numdate, "iso": _atom_iso, "dm": _atom_dm, "days": _atom_days, "us": _atom_us,
    "quarter": _atom_quarter, "half": _atom_half, "firstn": _atom_firstn, "season": _atom_season,
    "year": _atom_year, "relyear": _atom_relyear, "relperiod": _atom_relperiod,
}


def _make_atom(kind: str, text: str, pos: int = 0) -> _Atom | None:
    m = _ATOM_RES[kind].match(text, pos)
    if m is None:
        return None
    if kind == "months":
        return _atom_months(m, text)
    return _BUILDERS[kind](m)


# --------------------------------------------------------------------------------------------
# Expression interpretation
# --------------------------------------------------------------------------------------------


def _tokenize_body(norm: str, pos: int, end: int) -> list[tuple[str, str, int, str]]:
    """Split an expression body norm[pos:end] into [(atom_kind, atom_text, atom_pos, conn_before)]."""
    out = []
    conn = ""
    body = norm
    while pos < end:
        m = _ATOM_ANY_RE.match(body, pos)
        if not m or m.end() > end:
            break
        kind = m.lastgroup
        out.append((kind, m.group(), pos, conn))
        pos = m.end()
        c = _CONN_RE.match(body, pos)
        if not c:
            break
        conn = c.group("c").lower()
        conn = re.sub(r",\s*", "", conn) or ","
        pos = c.end()
    return out


def _distance(pieces: list[_Piece], today: date) -> int:
    s = min(p.start for p in pieces)
    e = max(p.end for p in pieces)
    if s <= today <= e:
        return 0
    return (s - today).days if s > today else (today - e).days


def _relative_pieces(atom: _Atom, today: date) -> list[_Piece] | None:
    rel = atom.relative
    if atom.kind == "relative":
        past, unit = rel.split("-")
        if unit == "weeks":
            six = timedelta(days=42)
            s, e = (today - six, today) if past == "past" else (today, today + six)
        else:
            if past == "past":
                y, mo = _add_months(today.year, today.month, -3)
                s, e = date(y, mo, min(today.day, calendar.monthrange(y, mo)[1])), today
            else:
                y, mo = _add_months(today.year, today.month, 3)
                s, e = today, date(y, mo, min(today.day, calendar.monthrange(y, mo)[1]))
        return [_Piece(s, e, "relative", f"{s.isoformat()}/{e.isoformat()}")]
    if atom.kind == "later":
        s, e = today, date(today.year + (1 if rel == "next" else 0), 12, 31)
        return [_Piece(s, e, "relative", f"{s.isoformat()}/{e.isoformat()}")]
    return None


def _interpret(norm: str, bstart: int, bend: int, today: date, year_hint: int | None, between: bool,
               deadline_cue: bool, past: bool = False) -> tuple[list[_Piece], bool] | None:
    if between:
        body = norm[bstart:bend]
        body2 = _AND_RE.sub(lambda m: m.group(1) + "-" + " " * (len(m.group()) - len(m.group(1)) - 1),
                            body, 1)
        norm = norm[:bstart] + body2 + norm[bend:]
    toks = _tokenize_body(norm, bstart, bend)
    atoms: list[tuple[_Atom, str]] = []
    for kind, text, pos, conn in toks:
        src, spos = norm, pos
        if deadline_cue and not atoms and re.fullmatch(r"(?:the\s+)?year[-\s]end", text, re.I):
            kind, text, src, spos = "relyear", "this year", "this year", 0
        if deadline_cue and not atoms:
            text2 = re.sub(r"^(?:the\s+)?(?:very\s+)?end(?:\s+of|-|\s)\s*(?:the\s+)?", "", text, flags=re.I)
            if text2 != text:
                if re.fullmatch(r"(?:the\s+)?(?:this\s+)?year", text2, re.I):
                    kind, src, spos = "relyear", "this year", 0
                else:
                    m2 = _ATOM_ANY_RE.fullmatch(text2)
                    if m2:
                        kind, src, spos = m2.lastgroup, text2, 0
        a = _make_atom(kind, src, spos)
        if a is None:
            if not atoms:
                return None
            break
        atoms.append((a, conn))
    if not atoms:
        return None
    if between and len(atoms) >= 2 and atoms[1][1] == "and":
        atoms[1] = (atoms[1][0], "-")

    inferred = False
    years: list[int | None] = [a.year for a, _ in atoms]
    # relative year words
    for i, (a, _c) in enumerate(atoms):
        if a.relative in ("this", "next", "last") and years[i] is None:
            years[i] = today.year + {"this": 0, "next": 1, "last": -1}[a.relative]
    # share years: a yearless atom takes the year of its right neighbour (or left one)
    for i in range(len(atoms) - 2, -1, -1):
        if years[i] is None and years[i + 1] is not None and not atoms[i][0].kind.startswith("rel"):
            nxt = atoms[i + 1][0]
            years[i] = years[i + 1] - (1 if atoms[i][0].last_month > nxt.first_month
                                       and atoms[i][0].kind != "year" else 0)
    for i in range(1, len(atoms)):
        if years[i] is None and years[i - 1] is not None and not atoms[i][0].kind.startswith("rel"):
            prv = atoms[i - 1][0]
            years[i] = years[i - 1] + (1 if atoms[i][0].first_month < prv.last_month else 0)

    def build_all(ys: list[int | None]) -> list[tuple[list[_Piece], str]] | None:
        out = []
        for (a, c), y in zip(atoms, ys, strict=True):
            if a.kind in ("relative", "later"):
                p = _relative_pieces(a, today)
            else:
                if y is None:
                    return None
                p = a.build(y)
            if not p:
                return None
            out.append((p, c))
        return out

    built = None
    if any(y is None for (a, _c), y in zip(atoms, years, strict=True) if a.kind not in ("relative", "later")):
        inferred = True
        # all remaining yearless atoms: choose the year nearest today (or the hint)
        idx = [i for i, y in enumerate(years) if y is None]

        def fill(base: int) -> list[int | None]:
            ys = list(years)
            prev_last = None
            prev_y = None
            for i in range(len(atoms)):
                if i in idx:
                    if prev_y is None:
                        ys[i] = base
                    else:
                        ys[i] = prev_y + (1 if atoms[i][0].first_month < prev_last else 0)
                prev_y, prev_last = ys[i], atoms[i][0].last_month
            return ys

        if year_hint is not None:
            first = atoms[idx[0]][0]
            base = year_hint
            # the hint is the year of the first element; "December/January" ends a year later
            if first.kind == "month" and first.first_month > first.last_month:
                base = year_hint + 1
            built = build_all(fill(base))
        else:
            # the reference year, unless a neighbour year is much nearer today (less than half the distance);
            # after "since" / "as of" the latest candidate not after today
            cands = []
            for base in (today.year, today.year - 1, today.year + 1):
                cand = build_all(fill(base))
                if cand is not None:
                    ps = [p for ps, _c in cand for p in ps]
                    cands.append((base, _distance(ps, today), min(p.start for p in ps), cand))
            built = None
            if past:
                ok = [c for c in cands if c[2] <= today]
                if ok:
                    built = max(ok, key=lambda c: c[2])[3]
            if built is None and cands:
                ref = cands[0]
                best = min(cands, key=lambda c: c[1])
                built = best[3] if best[1] * 2 < ref[1] else ref[3]
    else:
        built = build_all(years)
    if not built:
        return None
    pieces = _combine_list(built)
    return pieces, inferred


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    ps = sorted(pieces, key=lambda p: (p.start, p.end))
    out: list[_Piece] = []
    for p in ps:
        if out:
            q = out[-1]
            same = _base(q.kind) == _base(p.kind)
            if same and p.start <= q.end + timedelta(days=1):
                if p.end > q.end:
                    out[-1] = _range_piece(q, p)
                    if _base(q.kind) == "quarter":
                        out[-1].kind = "quarter"
                    elif _base(q.kind) == "season":
                        out[-1].kind = "season"
                    elif _base(q.kind) == "half":
                        out[-1].kind = "half"
                continue
        out.append(_Piece(p.start, p.end, p.kind, p.edtf))
    return out


def _base(kind: str) -> str:
    return {"days": "day", "months": "month"}.get(kind, kind)


def _precision(pieces: list[_Piece]) -> str:
    if len(pieces) == 1:
        p = pieces[0]
        if p.kind in ("day", "days"):
            return "day" if p.start == p.end else "days"
        if p.kind in ("month", "months"):
            return "month" if (p.start.year, p.start.month) == (p.end.year, p.end.month) else "months"
        return p.kind
    kinds = {_base(p.kind) for p in pieces}
    if len(kinds) == 1:
        k = kinds.pop()
        if k == "month":
            return "months"
        if k == "day" or k == "multi":
            return "multi"
        return k
    return "multi"


def _edtf(pieces: list[_Piece], tentative: bool) -> str:
    def q(s: str) -> str:
        if not tentative:
            return s
        return "/".join(x + "?" for x in s.split("/"))

    if len(pieces) == 1:
        return q(pieces[0].edtf)
    return "{" + ",".join(q(p.edtf) for p in pieces) + "}"


def _status(text: str) -> str:
    if _CANCEL_RE.search(text):
        return "cancelled"
    if _POSTPONE_RE.search(text):
        return "postponed"
    return "scheduled"


def _build(text: str, pieces: list[_Piece], tentative: bool, status: str, deadline: bool,
           inferred: bool) -> ParsedDate:
    merged = _merge(pieces)
    start = min(p.start for p in merged)
    end = max(p.end for p in merged)
    prec = _precision(merged)
    parts = tuple(Interval(p.start, p.end, _precision([p])) for p in merged)
    return ParsedDate(text=text, start=start, end=end, precision=prec, tentative=tentative, status=status,
                      edtf=_edtf(merged, tentative), deadline=deadline, parts=parts, year_inferred=inferred)


def _empty(text: str) -> ParsedDate:
    return ParsedDate(text=text, start=None, end=None, precision=None,
                      tentative=bool(_TENTATIVE_RE.search(text)), status=_status(text), edtf=None)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return text.translate(_WS_TRANS)


# Every expression contains one of these; none starts more than _LEAD_MAX characters before one.
_TRIGGER_RE = re.compile(
    r"\d|" + _MON + r"|spring|summer|autumn|winter|fall|year|weeks|months|semester|half|quarter", re.I
)
_LEAD_MAX = 60


_WORD_START_RE = re.compile(r"(?<!\w)\w")


def _next_expression(norm: str, pos: int) -> re.Match | None:
    """`_EXPR_RE.search(norm, pos)`, trying only word starts near the words an expression contains."""
    while True:
        trigger = _TRIGGER_RE.search(norm, pos)
        if trigger is None:
            return None
        start = max(pos, trigger.start() - _LEAD_MAX)
        for word in _WORD_START_RE.finditer(norm, start, trigger.start() + 1):
            m = _EXPR_RE.match(norm, word.start())
            if m is not None:
                return m
        pos = trigger.end()


def _scan(norm: str, today: date, year_hint: int | None, anchored: bool = False,
          pos: int = 0) -> list[tuple[int, int, list[_Piece], bool, bool, re.Match]]:
    """Find expressions: [(start, end, pieces, inferred, deadline, match)]."""
    out = []
    n = len(norm)
    while pos <= n:
        m = _EXPR_RE.match(norm, pos) if anchored else _next_expression(norm, pos)
        if not m:
            break
        between = bool(_BETWEEN_RE.search(norm, max(0, m.start() - 20), m.start()))
        deadline = bool(m["cue"])
        past = bool(_PAST_RE.search(norm, max(0, m.start() - 12), m.start()))
        res = _interpret(norm, m.start("body"), m.end("body"), today, year_hint, between, deadline, past)
        if res is None:
            if anchored:
                break
            pos = m.start() + 1
            continue
        pieces, inferred = res
        # the interpreted body may be shorter than the regex match when a later atom was rejected
        out.append((m.start(), m.end(), pieces, inferred, deadline, m))
        if anchored:
            break
        pos = m.end()
    return out


def parse_date(text: str, today: date | None = None, year_hint: int | None = None) -> ParsedDate:
    """Normalise a whole date expression or cell.  Never raises; no date -> start/end/precision None."""
    try:
        return _parse_date(text, today, year_hint)
    except Exception:  # pragma: no cover - defensive: never raise on any input
        return _empty(text if isinstance(text, str) else "")


def _parse_date(text: str, today: date | None, year_hint: int | None) -> ParsedDate:
    if not isinstance(text, str):
        return _empty("")
    today = today or date.today()
    norm = _norm(text)
    found = _scan(norm, today, year_hint)
    if not found:
        return _empty(text)
    pieces: list[_Piece] = []
    inferred = False
    deadline = False
    for _s, _e, ps, inf, dl, _m in found:
        pieces.extend(ps)
        inferred = inferred or inf
        deadline = deadline or dl
    tentative = bool(_TENTATIVE_RE.search(norm))
    return _build(text, pieces, tentative, _status(norm), deadline, inferred)


def _to_match(text: str, norm: str, s: int, e: int, pieces, inferred, deadline, m,
              open_paren: bool = False) -> DateMatch:
    span = norm[s:e]
    if open_paren:
        cm = re.match(r"\s*\)", norm[e:])
        if cm:
            e += cm.end()
            span = norm[s:e]
            s = norm.rfind("(", 0, m.start("body") + 1)
        else:
            open_paren = False
    before = norm[max(0, s - 40):s]
    tentative = bool(_TENTATIVE_RE.search(span) or _PREFIX_TENT_RE.search(before))
    body_start = m.start("body")
    if not deadline and not open_paren:
        s = body_start
    pd = _build(text[s:e], pieces, tentative, _status(span), deadline, inferred)
    return DateMatch(s, e, pd)


def find_dates(text: str, today: date | None = None, year_hint: int | None = None) -> list[DateMatch]:
    """Locate date expressions inside prose (non-overlapping, leftmost-longest)."""
    try:
        if not isinstance(text, str):
            return []
        today = today or date.today()
        norm = _norm(text)
        found = _scan(norm, today, year_hint)
        return [_to_match(text, norm, s, e, ps, inf, dl, m) for s, e, ps, inf, dl, m in found]
    except Exception:  # pragma: no cover
        return []


_LEAD_RE = re.compile(r"\s*(\(\s*)?")


def leading_date(text: str, today: date | None = None, year_hint: int | None = None) -> DateMatch | None:
    """The date expression that begins ``text`` (after whitespace / an opening parenthesis), or None."""
    try:
        if not isinstance(text, str):
            return None
        today = today or date.today()
        norm = _norm(text)
        lm = _LEAD_RE.match(norm)
        found = _scan(norm, today, year_hint, anchored=True, pos=lm.end())
        if not found:
            return None
        s, e, ps, inf, dl, m = found[0]
        # the date must end at a word boundary followed by something that is not a continuation
        dm = _to_match(text, norm, s, e, ps, inf, dl, m, open_paren=bool(lm.group(1)))
        return dm
    except Exception:  # pragma: no cover
        return None
