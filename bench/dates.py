"""Benchmark parsers.dates.parse_date against dateparser.parse on the labelled seed expressions.

Run: python bench/dates.py   (prints rates, the speed ratio and accuracy on tests/date_cases.tsv; exits 0)
"""

from __future__ import annotations

import sys
import time
import warnings
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers.dates import find_dates, parse_date  # noqa: E402

CASES = ROOT / "tests" / "date_cases.tsv"


def load_cases() -> list[list[str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            f = line.split("\t")
            f[0] = f[0].replace("\\n", "\n")
            rows.append(f)
    return rows


def timeit(fn, inputs, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for args in inputs:
            fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    rows = load_cases()
    n = len(rows)
    ours_in = [(r[0], date.fromisoformat(r[1]), int(r[2]) if r[2] else None) for r in rows]

    # accuracy on the labelled table
    exact = intervals = 0
    for r, (text, today, hint) in zip(rows, ours_in, strict=True):
        p = parse_date(text, today=today, year_hint=hint)
        got = (p.start.isoformat() if p.start else "", p.end.isoformat() if p.end else "")
        full = got + (p.precision or "", str(int(p.tentative)), p.status, str(int(p.deadline)))
        intervals += got == (r[3], r[4])
        exact += full == tuple(r[3:9])

    ours = timeit(lambda t, d, h: parse_date(t, today=d, year_hint=h), ours_in, repeat=5)
    find_t = timeit(lambda t, d, h: find_dates(t, today=d, year_hint=h), ours_in, repeat=5)
    print(f"labelled expressions: {n} (from {CASES.relative_to(ROOT)})")
    print(f"accuracy: intervals {intervals}/{n} = {100 * intervals / n:.1f}%; "
          f"all fields {exact}/{n} = {100 * exact / n:.1f}%")
    print(f"parse_date      : {n / ours:10.0f} expr/s  {1e6 * ours / n:8.1f} us/expr")
    print(f"find_dates      : {n / find_t:10.0f} expr/s  {1e6 * find_t / n:8.1f} us/expr")
    try:
        import dateparser
    except ImportError:  # pragma: no cover
        print("dateparser not installed: no comparison")
        return 0
    warnings.filterwarnings("ignore")
    dp_in = [(t, {"RELATIVE_BASE": datetime(d.year, d.month, d.day), "PREFER_DAY_OF_MONTH": "first"})
             for t, d, _h in ours_in]
    dateparser.parse("1 January 2020")  # warm-up (loads language data)
    dp = timeit(lambda t, s: dateparser.parse(t, settings=s), dp_in, repeat=1)
    dp_ok = 0
    for r, (t, s) in zip(rows, dp_in, strict=True):
        res = dateparser.parse(t, settings=s)
        if res is not None and r[3] and r[3] == r[4] and res.date().isoformat() == r[3]:
            dp_ok += 1
    single = sum(1 for r in rows if r[3] and r[3] == r[4])
    print(f"dateparser.parse: {n / dp:10.0f} expr/s  {1e6 * dp / n:8.1f} us/expr "
          f"(single-day rows right: {dp_ok}/{single})")
    print(f"speed ratio parse_date vs dateparser.parse: {dp / ours:.0f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
