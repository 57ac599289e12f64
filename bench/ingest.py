"""Ingest time for the bundled sample documents, after interpreter start-up.

Run: python bench/ingest.py [--repeat N]

Prints the parse time per document (in a warm process), then the full ingest of all documents into a
fresh SQLite file (parse + identity matching + one transaction per document), each run in a new
interpreter and timed from after start-up and imports, so no cache is warm. The baseline, measured in
the same run, is the floor any store must pay: reading the files and inserting as many bare rows as
there are events with sqlite3.executemany. Target: the full ingest of all five samples < 1 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calendar_svc.db import make_engine, session_factory  # noqa: E402
from calendar_svc.ingest import ingest_bytes  # noqa: E402
from calendar_svc.schema import upgrade  # noqa: E402
from parsers import parse_document  # noqa: E402


def _samples() -> list[Path]:
    return sorted((ROOT / "samples").glob("*.txt"))


def _cold_full_ingest() -> tuple[float, int]:
    """One full ingest in a fresh interpreter: (seconds, events)."""
    output = subprocess.run(
        [sys.executable, __file__, "--inner"], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(output[0]), int(output[1])


def _full_ingest(paths: list[Path]) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
        upgrade(engine)
        sessions = session_factory(engine)
        started = time.perf_counter()
        events = 0
        for path in paths:
            summary = ingest_bytes(sessions, path.name, path.read_bytes())
            events += summary.events
        elapsed = time.perf_counter() - started
        engine.dispose()
    return elapsed, events


def _baseline(paths: list[Path], rows: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        texts = [p.read_text(encoding="utf-8") for p in paths]
        connection = sqlite3.connect(f"{tmp}/baseline.sqlite3")
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT, start TEXT, end TEXT)")
        with connection:
            connection.executemany(
                "INSERT INTO events (title, start, end) VALUES (?, ?, ?)",
                ((f"event {i}", "2021-01-01", "2021-01-02") for i in range(rows)),
            )
        connection.close()
        assert texts
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    paths = _samples()
    if args.inner:
        elapsed, events = _full_ingest(paths)
        print(elapsed, events)
        return 0
    # warm the one-off caches (gazetteer, regexes) as a long-running process would have them
    parse_document(paths[0].name, paths[0].read_bytes())

    print(f"{'document':40} {'layout':16} {'events':>6} {'parse ms':>9}")
    for path in paths:
        started = time.perf_counter()
        document = parse_document(path.name, path.read_bytes())
        elapsed = (time.perf_counter() - started) * 1000
        print(f"{path.name:40} {document.layout:16} {len(document.events):6d} {elapsed:9.1f}")

    ingests, baselines, events = [], [], 0
    for _ in range(args.repeat):
        elapsed, events = _cold_full_ingest()
        ingests.append(elapsed)
        baselines.append(_baseline(paths, events))
    ingest, baseline = statistics.median(ingests), statistics.median(baselines)
    print()
    verdict = "met" if ingest < 1 else "NOT met"
    print(f"full ingest of {len(paths)} documents ({events} events), median of {args.repeat}:", end=" ")
    print(f"{ingest * 1000:.0f} ms")
    print(f"baseline (read files + insert {events} bare rows): {baseline * 1000:.0f} ms")
    print(f"ratio ingest/baseline: {ingest / baseline:.1f}x; target < 1000 ms: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
