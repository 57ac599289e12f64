"""Rendering the sample events' stored VEVENT text (`calendar_svc.feed_texts.render_texts`), per event.

Run: python bench/render.py [--repeat N] [--baseline REV]

Ingests the five samples into a temporary SQLite store, then times `render_texts` over all their events as
an ingest runs it: no summary stored for the events' revisions and `summarize`'s per-title cache empty. The
baseline, in the same run on the same rows, is `render_texts` with `feeds/` and `parsers/summaries.py` as
they were at REV (git), before VEVENT lines were written directly; the two outputs (both forms, summaries)
are compared event by event and must be identical.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Connection, delete, select  # noqa: E402

from calendar_svc import feed_texts, serialize  # noqa: E402
from calendar_svc.db import make_engine, session_factory  # noqa: E402
from calendar_svc.ingest import ingest_bytes  # noqa: E402
from calendar_svc.models import Event, EventSummary  # noqa: E402
from calendar_svc.schema import upgrade  # noqa: E402
from parsers import summaries  # noqa: E402

BASE = "http://calendar.test"
BASELINE = "3512d20"  # the last commit that built each VEVENT with icalendar


def _load(name: str, path: Path, *, package: bool = False) -> ModuleType:
    """A module (or package) from a file, under its own name."""
    locations = [str(path.parent)] if package else None
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=locations)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _baseline(revision: str, tmp: Path) -> tuple[ModuleType, ModuleType]:
    """`feeds` and `parsers.summaries` as they were at `revision`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "feeds", "parsers/summaries.py"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
    return _load("baseline_feeds", tmp / "feeds" / "__init__.py", package=True), _load(
        "baseline_summaries", tmp / "parsers" / "summaries.py"
    )


def _store(tmp: Path) -> tuple[Connection, list[int]]:
    """The samples ingested into a fresh SQLite store, their stored summaries dropped (as just written)."""
    engine = make_engine(f"sqlite:///{tmp}/render.sqlite3")
    upgrade(engine)
    sessions = session_factory(engine)
    for path in sorted((ROOT / "samples").glob("*.txt")):
        ingest_bytes(sessions, path.name, path.read_bytes())
    with engine.begin() as connection:
        connection.execute(delete(EventSummary))
    connection = engine.connect()
    return connection, list(connection.scalars(select(Event.id)))


def _timed(render: Callable[[], dict], clear: Callable[[], None], repeat: int) -> tuple[float, dict]:
    """The median seconds of `repeat` cold runs of `render`, and its output."""
    times, texts = [], {}
    for _ in range(repeat):
        clear()
        started = time.perf_counter()
        texts = render()
        times.append(time.perf_counter() - started)
    return statistics.median(times), texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_feeds, old_summaries = _baseline(args.baseline, Path(tmp))
        connection, ids = _store(Path(tmp))
        with connection:

            def render() -> dict:
                return feed_texts.render_texts(connection, ids, BASE)

            new, new_texts = _timed(render, summaries._summarize.cache_clear, args.repeat)
            with (
                mock.patch.object(feed_texts, "vevent_forms", old_feeds.vevent_forms),
                mock.patch.object(serialize, "summarize", old_summaries.summarize),
            ):
                old, old_texts = _timed(render, old_summaries._summarize.cache_clear, args.repeat)
    events = len(new_texts)
    same = sum(1 for event_id, text in new_texts.items() if old_texts.get(event_id) == text)
    print(f"render_texts over {events} sample events (cold summaries), median of {args.repeat}:")
    print(f"  baseline ({args.baseline}, icalendar-built VEVENTs): {old * 1000 / events:.3f} ms/event")
    print(f"  now: {new * 1000 / events:.3f} ms/event ({old / new:.2f}x faster)")
    print(f"  identical text and summary: {same}/{events} events ({len(old_texts)} in the baseline)")
    return 0 if same == events == len(old_texts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
