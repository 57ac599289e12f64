"""Scale benchmark: a synthetic 100,000-event store on SQLite and PostgreSQL.

Run: python bench/scale.py [--events 100000] [--backend sqlite|postgresql|all] [--pg-url URL]

What it does, per back end:
1. Seeds: the five sample documents go through the real ingest path (parse + merge,
   calendar_svc.ingest.ingest_bytes) into an empty store: "ingest (real merge path)" events/s,
   end to end and merge only (the parse is timed apart).
2. Corpus: the seeds' rows are re-dated (spread over 2015-2030, durations kept) and re-titled
   ("<title> #<n>") across 200 fake countries and 200 fake processes, and written with bulk INSERTs
   (SQLAlchemy Core executemany, with a source row and a "created" change row per event), up to
   --events events: "bulk load" rows/s. This path skips identity matching, so it is not "ingest".
3. Ingest on the full store: the samples again, under new names and re-dated, through the real merge
   path, so identity matching runs against a 100,000-event store.
4. /api/events latency through the app (Flask test client, no network): country, date-window (31 days)
   and country+window queries, default page size (100), p50/p95 over --requests requests each.
5. Feed render: feeds.render_calendar on 10,000 events (event dicts loaded from the store).
6. Memory: RSS of one gunicorn worker (gthread, 4 threads) after serving API and feed requests.

PostgreSQL: --pg-url (a database the benchmark may fill), else a throwaway cluster from
tests/pg_cluster.py (initdb + pg_ctl; as the `postgres` user under root). Prints a table; exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

from sqlalchemy import func, insert, select, text  # noqa: E402

from calendar_svc.clock import fixed_clock  # noqa: E402
from calendar_svc.db import make_engine, session_factory  # noqa: E402
from calendar_svc.ingest import DocumentSummary, _Merger, ingest_bytes  # noqa: E402
from calendar_svc.models import (  # noqa: E402
    Event,
    EventChange,
    EventCountry,
    EventProcess,
    EventSource,
)
from calendar_svc.queries import EventFilter, find_events  # noqa: E402
from calendar_svc.schema import upgrade  # noqa: E402
from calendar_svc.serialize import event_json  # noqa: E402

SAMPLES = ROOT / "samples"
NOW = dt.datetime(2021, 9, 15, 8, 0, tzinfo=dt.UTC)
FIRST_DAY = dt.date(2015, 1, 1)
SPAN_DAYS = 16 * 365
CHUNK = 5000


def fake_countries(n: int = 200) -> list[str]:
    """200 country codes the API accepts (ISO 3166-1), assigned at random: the tagging is synthetic."""
    from calendar_svc.web.params import _country_set

    codes = sorted(_country_set())
    random.Random(7).shuffle(codes)
    return sorted(codes[:n])


def fake_processes(n: int = 200) -> list[str]:
    return [f"process-{i:03d}" for i in range(n)]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


# -- 1. seeds through the real ingest path --------------------------------------------------------


def ingest_samples(sessions, *, suffix: str = "", shift_days: int = 0) -> tuple[int, float, float]:
    """Parse then merge every sample; (events stored or touched, parse seconds, merge seconds)."""
    from parsers import parse_document

    events = 0
    parse_s = merge_s = 0.0
    for path in sorted(SAMPLES.glob("*.txt")):
        content = path.read_bytes()
        t0 = time.perf_counter()
        parsed = parse_document(path.name + suffix, content, today=NOW.date())
        if shift_days:
            for mention in parsed.events:
                date = mention.date
                if date.start is not None and date.end is not None:
                    mention.date = _shifted(date, shift_days)
        t1 = time.perf_counter()
        summary = DocumentSummary(parsed.name)
        with sessions.begin() as session:
            digest = hashlib.sha256(content + suffix.encode()).hexdigest()  # String(64): no suffix
            _Merger(session, parsed, digest, NOW, summary).run()
        t2 = time.perf_counter()
        parse_s += t1 - t0
        merge_s += t2 - t1
        events += summary.events
    return events, parse_s, merge_s


def _shifted(date, days: int):
    from dataclasses import replace

    delta = dt.timedelta(days=days)
    return replace(date, start=date.start + delta, end=date.end + delta)


def ingest_end_to_end(sessions) -> tuple[int, float]:
    """ingest_bytes on every sample (what `calendar-svc ingest` does); (events, seconds)."""
    t0 = time.perf_counter()
    events = 0
    for path in sorted(SAMPLES.glob("*.txt")):
        summary = ingest_bytes(sessions, path.name, path.read_bytes(), clock=fixed_clock(NOW))
        events += summary.events
    return events, time.perf_counter() - t0


# -- 2. synthetic corpus, bulk ----------------------------------------------------------------------


def load_seeds(sessions) -> list[dict]:
    with sessions() as session:
        rows = []
        for event in find_events(session, EventFilter()):
            rows.append(
                {
                    "title": event.title,
                    "key": event.key,
                    "description": event.description or "",
                    "date_text": event.date_text,
                    "days": (event.end - event.start).days,
                    "precision": event.precision,
                    "tentative": event.tentative,
                    "status": event.status,
                    "location": event.location,
                    "edtf": event.edtf,
                    "raw": event.sources[0].raw if event.sources else "",
                    "section": event.sources[0].section if event.sources else None,
                }
            )
    return rows


def bulk_load(engine, seeds: list[dict], total: int, first_id: int) -> tuple[int, float]:
    """Write `total` synthetic events (and their tags, source, change rows); (rows, seconds)."""
    rng = random.Random(42)
    countries, processes = fake_countries(), fake_processes()
    rows = 0
    t0 = time.perf_counter()
    with engine.begin() as connection:
        for chunk_start in range(0, total, CHUNK):
            events, tags_c, tags_p, sources, changes = [], [], [], [], []
            for n in range(chunk_start, min(total, chunk_start + CHUNK)):
                seed = seeds[n % len(seeds)]
                event_id = first_id + n
                start = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))
                end = start + dt.timedelta(days=seed["days"])
                title = f"{seed['title']} #{n}"
                events.append(
                    {
                        "id": event_id,
                        "uid": hashlib.sha256(f"bench|{n}".encode()).hexdigest()[:20],
                        "key": f"{seed['key']} {n}",
                        "title": title,
                        "description": seed["description"],
                        "date_text": start.isoformat(),
                        "start": start,
                        "end": end,
                        "precision": seed["precision"],
                        "tentative": seed["tentative"],
                        "status": seed["status"],
                        "deadline": False,
                        "edtf": seed["edtf"],
                        "location": seed["location"],
                        "dated_by": start,
                        "sequence": 0,
                        "created_at": NOW,
                        "last_modified": NOW,
                    }
                )
                picked = {countries[n % 200]}
                if n % 4 == 0:
                    picked.add(countries[(n * 7 + 3) % 200])
                tags_c += [{"event_id": event_id, "code": code} for code in sorted(picked)]
                if n % 3 != 0:
                    tags_p.append({"event_id": event_id, "slug": processes[(n * 13) % 200]})
                sources.append(
                    {"event_id": event_id, "document": f"synthetic-{n // 1000:03d}.txt", "line": n % 1000 + 1,
                     "section": seed["section"], "raw": seed["raw"], "date_text": seed["date_text"]}
                )
                changes.append(
                    {"event_id": event_id, "changed_at": NOW, "document": f"synthetic-{n // 1000:03d}.txt",
                     "kind": "created", "sequence": 0, "fields": {}}
                )
            connection.execute(insert(Event.__table__), events)
            connection.execute(insert(EventCountry.__table__), tags_c)
            connection.execute(insert(EventProcess.__table__), tags_p)
            connection.execute(insert(EventSource.__table__), sources)
            connection.execute(insert(EventChange.__table__), changes)
            rows += len(events) + len(tags_c) + len(tags_p) + len(sources) + len(changes)
        if connection.dialect.name == "postgresql":
            for table in ("events", "event_sources", "event_changes"):
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                connection.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"))
    seconds = time.perf_counter() - t0
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return rows, seconds


# -- 4. API latency ---------------------------------------------------------------------------------


def api_latency(url: str, requests: int) -> dict[str, tuple[float, float, int]]:
    from calendar_svc.app import create_app
    from calendar_svc.config import Settings

    app = create_app(Settings(database_url=url, base_url="http://bench.test", log_level="WARNING"))
    client = app.test_client()
    rng = random.Random(1)
    countries = fake_countries()

    def window() -> str:
        start = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS - 31))
        return f"from={start.isoformat()}&to={(start + dt.timedelta(days=30)).isoformat()}"

    kinds = {
        "country": lambda: f"/api/events?country={rng.choice(countries)}",
        "date window (31 days)": lambda: f"/api/events?{window()}",
        "country + window (1 year)": lambda: _country_year(rng, countries),
    }
    results = {}
    for name, make in kinds.items():
        for _ in range(10):  # warm-up
            client.get(make())
        timings, sizes = [], []
        for _ in range(requests):
            path = make()
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code, response.get_data()[:200])
            sizes.append(len(response.get_json()["events"]))
        results[name] = (percentile(timings, 50), percentile(timings, 95), round(statistics.mean(sizes)))
    app.extensions["calendar_svc.engine"].dispose()
    return results


def _country_year(rng, countries) -> str:
    year = 2016 + rng.randrange(12)
    return f"/api/events?country={rng.choice(countries)}&from={year}-01-01&to={year}-12-31"


# -- 5. feed render ---------------------------------------------------------------------------------


def feed_render(sessions, n: int = 10_000) -> tuple[float, float, int]:
    """(load ms, render ms median of 3, bytes) for an n-event feed."""
    from feeds import FeedOptions, render_calendar

    t0 = time.perf_counter()
    with sessions() as session:
        events = [event_json(e) for e in find_events(session, EventFilter(), limit=n)]
    load_ms = (time.perf_counter() - t0) * 1000
    renders = []
    body = b""
    for _ in range(3):
        t0 = time.perf_counter()
        body = render_calendar(events, FeedOptions(name="bench", cap=None))
        renders.append((time.perf_counter() - t0) * 1000)
    return load_ms, statistics.median(renders), len(body)


# -- 6. worker memory --------------------------------------------------------------------------------


def worker_rss(url: str) -> tuple[float, float]:
    """(RSS MiB of the gunicorn worker after start, after API + feed traffic)."""
    from pg_cluster import free_port

    port = free_port()
    env = {**os.environ, "CALENDAR_SVC_DATABASE_URL": url, "CALENDAR_SVC_LOG_LEVEL": "WARNING"}
    master = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-k", "gthread", "--threads", "4", "-b",
         f"127.0.0.1:{port}", "calendar_svc.wsgi:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        worker = _children(master.pid)[0]
        before = _rss_mib(worker)
        countries = fake_countries()
        for code in countries[:50]:
            urllib.request.urlopen(f"{base}/api/events?country={code}&limit=500", timeout=60).read()
            urllib.request.urlopen(f"{base}/feeds/countries/{code}.ics", timeout=60).read()
        urllib.request.urlopen(f"{base}/feeds/all.ics", timeout=300).read()
        return before, _rss_mib(worker)
    finally:
        master.terminate()
        master.wait(timeout=30)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- driver -----------------------------------------------------------------------------------------


def run_backend(name: str, url: str, total: int, requests: int) -> dict:
    print(f"\n== {name}: {url.split('@')[-1] if '@' in url else url}", flush=True)
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    out: dict = {}

    events, parse_s, merge_s = ingest_samples(sessions)
    out["ingest_seed"] = (events, parse_s, merge_s)
    print(f"seed ingest (real merge path, empty store): {events} events, parse {parse_s:.2f}s, "
          f"merge {merge_s:.2f}s -> {events / (parse_s + merge_s):.0f} events/s end to end, "
          f"{events / merge_s:.0f} events/s merge only", flush=True)

    seeds = load_seeds(sessions)
    with sessions() as session:
        first_id = (session.scalar(select(func.max(Event.id))) or 0) + 1
    bulk = total - events
    rows, seconds = bulk_load(engine, seeds, bulk, first_id)
    out["bulk"] = (bulk, rows, seconds)
    print(f"bulk load (synthetic, no matching): {bulk} events, {rows} rows in {seconds:.1f}s -> "
          f"{bulk / seconds:.0f} events/s ({rows / seconds:.0f} rows/s)", flush=True)
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(Event))
    out["stored"] = stored
    print(f"store: {stored} events", flush=True)

    events2, parse2, merge2 = ingest_samples(sessions, suffix=".v2", shift_days=3)
    out["ingest_full"] = (events2, parse2, merge2)
    print(f"ingest on the full store (real merge path, samples re-dated +3 days under new names): "
          f"{events2} events, merge {merge2:.2f}s -> {events2 / merge2:.0f} events/s merge only", flush=True)

    out["api"] = api_latency(url, requests)
    for kind, (p50, p95, size) in out["api"].items():
        flag = "ok" if p95 < 20 else "OVER 20 ms"
        print(f"/api/events {kind:<26} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({size} events/page)  {flag}",
              flush=True)

    load_ms, render_ms, size = feed_render(sessions)
    out["feed"] = (load_ms, render_ms, size)
    print(f"feed of 10,000 events: render {render_ms:.0f} ms ({'ok' if render_ms < 200 else 'OVER 200 ms'}), "
          f"{size / 1e6:.1f} MB; loading them from the store {load_ms:.0f} ms", flush=True)

    engine.dispose()
    before, after = worker_rss(url)
    out["rss"] = (before, after)
    print(f"gunicorn worker RSS: {before:.0f} MiB idle, {after:.0f} MiB after API + feed traffic", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--pg-url", help="PostgreSQL database to fill (default: a throwaway cluster)")
    parser.add_argument("--requests", type=int, default=200, help="requests per query kind")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="calsvc-scale-"))
    cluster = None
    try:
        if args.backend in ("sqlite", "all"):
            run_backend("SQLite", f"sqlite:///{work / 'scale.sqlite3'}", args.events, args.requests)
        if args.backend in ("postgresql", "all"):
            url = args.pg_url
            if url is None:
                from pg_cluster import PgCluster

                cluster = PgCluster()
                cluster.start()
                url = cluster.create_database("scale")
            run_backend("PostgreSQL", url, args.events, args.requests)
    finally:
        if cluster is not None:
            cluster.destroy()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
