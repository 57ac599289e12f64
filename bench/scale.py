"""Scale benchmark: a synthetic 100,000-event store on SQLite and PostgreSQL.

Run: python bench/scale.py [--events 100000] [--backend sqlite|postgresql|all] [--pg-url URL]

What it does, per back end:
1. Seeds: the five sample documents go through the real ingest path (parse + merge,
   calendar_svc.ingest.ingest_bytes) into an empty store: "ingest (real merge path)" events/s,
   end to end and merge only (the parse is timed apart).
2. Corpus: the seeds' rows are re-dated (spread over 2015-2030, durations kept) and re-titled
   ("<title> #<n>"; canonical titles with every word but the first replaced, so identity compares them
   with the samples but never merges them) across 200 fake countries (none of the seeds') and 200 fake
   processes, and written with bulk INSERTs
   (SQLAlchemy Core executemany, with a source row, a "created" change row and the title terms
   (calendar_svc.terms) per event), up to
   --events events: "bulk load" rows/s. This path skips identity matching, so it is not "ingest".
3. Stored feed text: every bulk-loaded event's VEVENTs rendered and stored (what ingest does for the
   events it writes; calendar_svc/feed_texts.py): "store text" events/s. Then the store is settled as
   one that grew through use would be: VACUUM ANALYZE on PostgreSQL (autovacuum's work after a bulk
   load), ANALYZE on SQLite.
4. Ingest on the full store: the samples again, under new names and re-dated, through the real merge
   path, so identity matching runs against a 100,000-event store; goal >= 500 events/s, with the same
   decisions: every mention gets the uid it gets when the same documents go into a store holding only
   the seeds (checked).
5. /api/events latency through the app (Flask test client, no network): country, date-window (31 days)
   and country+window queries, default page size (100), p50/p95 over --requests requests each; goal
   p95 < 20 ms.
6. Cold feeds: a freshly started gunicorn worker, its first request for a feed of ~1,000 events (goal
   < 300 ms) and, in another fresh worker, ~10,000 events (goal < 1 s), store read included (all.ics
   with a from/to window, no cap).
7. Memory: RSS of one gunicorn worker (gthread, 4 threads) after the ~10,000-event feed and then API
   and feed traffic (50 countries' API pages of 500 and feeds, all.ics), feeds capped at 10,000
   events; goal <= 250 MiB.

PostgreSQL: --pg-url (a database the benchmark may fill), else a throwaway cluster from
tests/pg_cluster.py (initdb + pg_ctl; as the `postgres` user under root). Prints each figure next to
its goal, and a summary table per back end; exits 0.
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
from types import SimpleNamespace

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
    write_terms,
)
from calendar_svc.queries import EventFilter, find_events  # noqa: E402
from calendar_svc.schema import upgrade  # noqa: E402

SAMPLES = ROOT / "samples"
BASE_URL = "http://bench.test"
NOW = dt.datetime(2021, 9, 15, 8, 0, tzinfo=dt.UTC)
FIRST_DAY = dt.date(2015, 1, 1)
SPAN_DAYS = 16 * 365
CHUNK = 5000


# Countries of the seed events: the synthetic corpus is tagged with other ones, so that its events are
# tagged apart from the samples' mentions and identity decisions on the full store can be compared with
# those in a store of the seeds only (set once the seeds are in).
SEED_COUNTRIES: set[str] = set()


def fake_countries(n: int = 200) -> list[str]:
    """Up to 200 country codes the API accepts (ISO 3166-1) that no seed event has, assigned at random:
    the tagging is synthetic."""
    from calendar_svc.web.params import _country_set

    codes = sorted(set(_country_set()) - SEED_COUNTRIES)
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


def synthetic_key(key: str, n: int) -> str:
    """The seed's canonical title with every word but the first replaced: synthetic events share title
    words with the samples (identity compares them) without being worded alike, even on the same days
    (title similarity under 70), so it never merges them."""
    words = key.split() or ["event"]
    return " ".join(word if i == 0 else f"syn{n}x{i}" for i, word in enumerate([*words, "copy"]))


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
                        "key": synthetic_key(seed["key"], n),
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
                picked = {countries[n % len(countries)]}
                if n % 4 == 0:
                    picked.add(countries[(n * 7 + 3) % len(countries)])
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
            write_terms(connection, [SimpleNamespace(**event) for event in events])  # as the ORM would
            rows += len(events) + len(tags_c) + len(tags_p) + len(sources) + len(changes)
        if connection.dialect.name == "postgresql":
            for table in ("events", "event_sources", "event_changes"):
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                connection.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"))
    seconds = time.perf_counter() - t0
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return rows, seconds


# -- 5. API latency ---------------------------------------------------------------------------------


def api_latency(url: str, requests: int) -> dict[str, tuple[float, float, int]]:
    from calendar_svc.app import create_app
    from calendar_svc.config import Settings

    app = create_app(Settings(database_url=url, base_url=BASE_URL, log_level="WARNING"))
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


# -- 3. stored feed text ------------------------------------------------------------------------------


def store_all_texts(engine) -> tuple[int, float]:
    """Render and store the VEVENT text of every event for BASE_URL, as ingest does for what it writes;
    (events, seconds)."""
    from calendar_svc.feed_texts import store_for_bases

    with engine.connect() as connection:
        ids = list(connection.scalars(select(Event.id).order_by(Event.id)))
    t0 = time.perf_counter()
    for start in range(0, len(ids), CHUNK):
        with engine.begin() as connection:
            store_for_bases(connection, ids[start : start + CHUNK], BASE_URL)
    return len(ids), time.perf_counter() - t0


def settle(engine) -> None:
    """Bring the bulk-loaded store to the state a store that grew through use is in: on PostgreSQL
    VACUUM ANALYZE, what autovacuum does within a minute or so of a bulk load (until then there is no
    visibility map, every index-only scan reads the heap too, and autovacuum would be running during the
    merge); on SQLite, ANALYZE of what step 3 wrote (the ANALYZE after the bulk load saw event_texts with
    the seeds' few hundred rows, and SQLite then planned each 500-id read of stored text as a scan of all
    100,000: a cold ~1,650-event feed read text for 300-520 ms instead of 75-95 ms)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


# -- 4. same decisions as in a store of the seeds only -----------------------------------------------


def mention_uids(engine, suffix: str) -> set[tuple[str, int, int, str]]:
    """(document, page, line, uid) of every mention of the documents named *suffix: which event each
    went to. A line can carry several mentions (a table row listing two events), so a mention is not
    keyed by its line alone: a map from (document, line) to one uid would keep whichever row the
    database happened to return last, which differs with the store's size and query plan."""
    statement = (
        select(EventSource.document, EventSource.page, EventSource.line, Event.uid)
        .join(Event, Event.id == EventSource.event_id)
        .where(EventSource.document.like(f"%{suffix}"))
    )
    with engine.connect() as connection:
        return {tuple(row) for row in connection.execute(statement)}


def reference_uids(work: Path, suffix: str, shift_days: int) -> set[tuple[str, int, int, str]]:
    """The same two ingests into a SQLite store that holds only the seeds."""
    engine = make_engine(f"sqlite:///{work / 'reference.sqlite3'}")
    upgrade(engine)
    sessions = session_factory(engine)
    ingest_samples(sessions)
    ingest_samples(sessions, suffix=suffix, shift_days=shift_days)
    try:
        return mention_uids(engine, suffix)
    finally:
        engine.dispose()


# -- 6./7. cold feeds and worker memory (gunicorn) ----------------------------------------------------


def feed_window(engine, events: int) -> str:
    """A from/to query selecting about `events` events of all.ics (from 2020, or from the first event
    when a small store has fewer after that)."""
    last = None
    for first in (dt.date(2020, 1, 1), dt.date(1900, 1, 1)):
        with engine.connect() as connection:
            statement = select(Event.start).where(Event.start >= first).order_by(Event.start)
            last = connection.scalar(statement.offset(events).limit(1))
        if last is not None:
            break
    to = (last - dt.timedelta(days=1)) if last is not None else dt.date(2100, 1, 1)
    return f"from={first.isoformat()}&to={to.isoformat()}"


class Worker:
    """One gunicorn worker (gthread, 4 threads) on the store, started fresh."""

    def __init__(self, url: str, cap: int) -> None:
        from pg_cluster import free_port

        self.port = free_port()
        env = {**os.environ, "CALENDAR_SVC_DATABASE_URL": url, "CALENDAR_SVC_LOG_LEVEL": "WARNING",
               "CALENDAR_SVC_BASE_URL": BASE_URL, "CALENDAR_SVC_FEED_CAP": str(cap)}  # fmt: skip
        self.master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-k", "gthread", "--threads", "4", "-b",
             f"127.0.0.1:{self.port}", "calendar_svc.wsgi:app"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.2)
        self.pid = _children(self.master.pid)[0]

    def get(self, path: str) -> tuple[float, bytes, dict]:
        """(milliseconds, body, headers) of one request."""
        t0 = time.perf_counter()
        with urllib.request.urlopen(self.base + path, timeout=300) as response:
            body = response.read()
            headers = dict(response.headers)
        return (time.perf_counter() - t0) * 1000, body, headers

    def rss(self) -> float:
        return _rss_mib(self.pid)

    def stop(self) -> None:
        self.master.terminate()
        self.master.wait(timeout=30)


def cold_feed(url: str, path: str) -> tuple[float, int, int]:
    """(ms, events, bytes) of the first request of a fresh worker."""
    worker = Worker(url, cap=0)
    try:
        ms, body, headers = worker.get(path)
        return ms, int(headers["X-Feed-Events"]), len(body)
    finally:
        worker.stop()


def worker_rss(url: str, cold_path: str) -> tuple[float, float]:
    """(RSS MiB of a fresh worker, after a cold feed and API + feed traffic). Feeds are capped at 10,000
    events (all.ics would otherwise be the whole 100,000-event store, ~100 MB)."""
    worker = Worker(url, cap=10_000)
    try:
        before = worker.rss()
        worker.get(cold_path)
        for code in fake_countries()[:50]:
            worker.get(f"/api/events?country={code}&limit=500")
            worker.get(f"/feeds/countries/{code}.ics")
        worker.get("/feeds/all.ics")
        return before, worker.rss()
    finally:
        worker.stop()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- driver -----------------------------------------------------------------------------------------


GOALS = {  # figure -> (goal text, test)
    "merge on the full store (events/s)": (">= 500", lambda v: v >= 500),
    "cold feed ~1,000 events (ms)": ("< 300", lambda v: v < 300),
    "cold feed ~10,000 events (ms)": ("< 1000", lambda v: v < 1000),
    "worker RSS after traffic (MiB)": ("<= 250", lambda v: v <= 250),
}
API_GOAL_MS = 20


def verdict(name: str, value: float) -> str:
    goal, ok = GOALS[name]
    return f"goal {goal}: {'ok' if ok(value) else 'MISSED'}"


def run_backend(name: str, url: str, total: int, requests: int, work: Path) -> dict:
    print(f"\n== {name}: {url.split('@')[-1] if '@' in url else url}", flush=True)
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    out: dict = {}

    events, parse_s, merge_s = ingest_samples(sessions)
    print(f"seed ingest (real merge path, empty store): {events} events, parse {parse_s:.2f}s, "
          f"merge {merge_s:.2f}s -> {events / (parse_s + merge_s):.0f} events/s end to end, "
          f"{events / merge_s:.0f} events/s merge only", flush=True)

    seeds = load_seeds(sessions)
    with sessions() as session:
        SEED_COUNTRIES.update(session.scalars(select(EventCountry.code).distinct()))
        first_id = (session.scalar(select(func.max(Event.id))) or 0) + 1
    bulk = total - events
    rows, seconds = bulk_load(engine, seeds, bulk, first_id)
    print(f"bulk load (synthetic, no matching): {bulk} events, {rows} rows in {seconds:.1f}s -> "
          f"{bulk / seconds:.0f} events/s ({rows / seconds:.0f} rows/s)", flush=True)
    stored, seconds = store_all_texts(engine)
    print(f"store text (render + store every event's VEVENTs, as ingest does): {stored} events in "
          f"{seconds:.1f}s -> {stored / seconds:.0f} events/s", flush=True)
    settle(engine)

    events2, _parse2, merge2 = ingest_samples(sessions, suffix=".v2", shift_days=3)
    rate = events2 / merge2
    out["merge on the full store (events/s)"] = rate
    print(f"ingest on the full store (real merge path, samples re-dated +3 days under new names): "
          f"{events2} events, merge {merge2:.2f}s -> {rate:.0f} events/s merge only "
          f"({verdict('merge on the full store (events/s)', rate)})", flush=True)
    got, expected = mention_uids(engine, ".v2"), reference_uids(work / name, ".v2", 3)
    same = len(got & expected)
    out["same uids as in a store of the seeds"] = got == expected
    print(f"same decisions: {same} of {len(expected)} mentions get the uid they get in a store of the "
          f"seeds only ({'ok' if out['same uids as in a store of the seeds'] else 'DIFFERENT'})", flush=True)

    for kind, (p50, p95, size) in api_latency(url, requests).items():
        out[f"/api/events {kind} p95 (ms)"] = p95
        flag = "ok" if p95 < API_GOAL_MS else "MISSED"
        print(f"/api/events {kind:<26} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({size} events/page)  "
              f"goal p95 < {API_GOAL_MS} ms: {flag}", flush=True)

    small, large = feed_window(engine, 1000), feed_window(engine, 10_000)
    engine.dispose()
    for label, query in (("~1,000", small), ("~10,000", large)):
        ms, count, size = cold_feed(url, f"/feeds/all.ics?{query}")
        key = f"cold feed {label} events (ms)"
        out[key] = ms
        print(f"cold feed, first request of a fresh worker: {count} events, {size / 1e6:.1f} MB in "
              f"{ms:.0f} ms ({verdict(key, ms)})", flush=True)

    before, after = worker_rss(url, f"/feeds/all.ics?{large}")
    out["worker RSS after traffic (MiB)"] = after
    print(f"gunicorn worker RSS: {before:.0f} MiB idle, {after:.0f} MiB after a 10,000-event feed and "
          f"API + feed traffic ({verdict('worker RSS after traffic (MiB)', after)})", flush=True)
    return out


def summary(results: dict[str, dict]) -> None:
    names = list(results)
    print("\n" + " | ".join(["figure", "goal", *names]))
    keys = list(dict.fromkeys(key for result in results.values() for key in result))
    for key in keys:
        if key.startswith("/api/events"):
            goal = f"< {API_GOAL_MS}"
        elif key in GOALS:
            goal = GOALS[key][0]
        else:
            goal = "yes"
        cells = []
        for name in names:
            value = results[name].get(key)
            cells.append("-" if value is None else str(value) if isinstance(value, bool) else f"{value:.1f}")
        print(" | ".join([key, goal, *cells]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--pg-url", help="PostgreSQL database to fill (default: a throwaway cluster)")
    parser.add_argument("--requests", type=int, default=200, help="requests per query kind")
    args = parser.parse_args(argv)
    os.environ["CALENDAR_SVC_BASE_URL"] = BASE_URL  # ingest renders feed text for it, like a deployment

    work = Path(tempfile.mkdtemp(prefix="calsvc-scale-"))
    cluster = None
    results: dict[str, dict] = {}
    try:
        if args.backend in ("sqlite", "all"):
            (work / "SQLite").mkdir()
            results["SQLite"] = run_backend(
                "SQLite", f"sqlite:///{work / 'scale.sqlite3'}", args.events, args.requests, work
            )
        if args.backend in ("postgresql", "all"):
            url = args.pg_url
            if url is None:
                from pg_cluster import PgCluster

                cluster = PgCluster()
                cluster.start()
                url = cluster.create_database("scale")
            (work / "PostgreSQL").mkdir()
            results["PostgreSQL"] = run_backend("PostgreSQL", url, args.events, args.requests, work)
        summary(results)
        print(f"\n{os.cpu_count()} CPUs shared with other work: figures are noisy", flush=True)
    finally:
        if cluster is not None:
            cluster.destroy()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
