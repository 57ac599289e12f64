"""How long 10,000 due reminders take to reach a local HTTP endpoint through the outbox.

Creates N synthetic events (default 10,000) and one subscription with a json:// target on a local
HTTP server, then runs `run_pass` (plan -> claim -> send -> mark) and counts what the server received.
Baseline in the same run: a bare loop of Apprise notify() calls to the same endpoint (one Apprise
object, N calls), i.e. the cost of the HTTP round trips alone, without the database.

    python bench/reminders.py [--count 10000] [--batch 50] [--db sqlite|postgresql-url]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import apprise  # noqa: E402

from calendar_svc.clock import fixed_clock  # noqa: E402
from calendar_svc.db import make_engine, session_factory  # noqa: E402
from calendar_svc.models import Event, EventCountry, Subscription  # noqa: E402
from calendar_svc.reminders import WorkerOptions, run_pass  # noqa: E402
from calendar_svc.schema import upgrade  # noqa: E402

NOW = dt.datetime(2025, 6, 13, 8, tzinfo=dt.UTC)


class Counter:
    def __init__(self) -> None:
        self.n = 0
        self.lock = threading.Lock()


def serve(counter: Counter) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with counter.lock:
                counter.n += 1
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def seed(sessions, count: int, url: str) -> None:
    with sessions.begin() as session:
        for i in range(count):
            day = dt.date(2025, 6, 20)
            event = Event(
                uid=f"bench{i:06d}", key=f"bench {i}", title=f"Synthetic meeting {i}", description="",
                date_text="20 June 2025", start=day, end=day, precision="day", tentative=False,
                status="scheduled", deadline=False, location="Brussels", sequence=0, created_at=NOW,
                last_modified=NOW,
            )  # fmt: skip
            event.countries = [EventCountry(code="MA")]
            session.add(event)
        session.add(
            Subscription(
                name="bench",
                targets=[url],
                countries=[],
                processes=[],
                include_tentative=True,
                lead_seconds=[7 * 86400],
                change_notices=False,
                changes_after=0,
                active=True,
                created_at=NOW,
            )  # fmt: skip
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--db", help="SQLAlchemy URL of an EMPTY database (default: a temporary SQLite file)")
    args = parser.parse_args()

    counter = Counter()
    server = serve(counter)
    port = server.server_address[1]
    url = f"json://127.0.0.1:{port}/hook"

    # baseline: bare Apprise notify() calls to the same endpoint
    client = apprise.Apprise()
    client.add(url)
    started = time.perf_counter()
    for i in range(args.count):
        client.notify(title=f"Reminder {i}", body="Synthetic dialogue meeting starts in 1 week.")
    baseline = time.perf_counter() - started
    assert counter.n == args.count, counter.n
    counter.n = 0

    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or f"sqlite:///{tmp}/bench.sqlite3"
        engine = make_engine(db_url)
        upgrade(engine)
        sessions = session_factory(engine)
        started = time.perf_counter()
        seed(sessions, args.count, url)
        seeding = time.perf_counter() - started

        options = WorkerOptions(base_url="http://calendar.test", batch=args.batch)
        started = time.perf_counter()
        report = run_pass(sessions, clock=fixed_clock(NOW), options=options)
        total = time.perf_counter() - started
        started = time.perf_counter()
        second = run_pass(sessions, clock=fixed_clock(NOW), options=options)
        idle = time.perf_counter() - started
        engine.dispose()

    assert report.sent == args.count and counter.n == args.count, (report.line(), counter.n)
    assert second.sent == 0 and counter.n == args.count
    server.shutdown()
    backend = (args.db or "sqlite").split(":")[0]
    print(f"reminders through the outbox ({backend}, batch {args.batch}): {args.count} delivered")
    print(f"  seeding {args.count} events + 1 subscription: {seeding:.2f} s (not counted)")
    print(f"  one pass (plan + claim + send + mark): {total:.2f} s = {args.count / total:,.0f} reminders/s")
    print(f"  second pass (nothing due, {second.planned} planned): {idle:.3f} s")
    print(f"baseline, bare Apprise notify() loop to the same endpoint: {baseline:.2f} s = "
          f"{args.count / baseline:,.0f} notifications/s")  # fmt: skip
    per_reminder = (total - baseline) / args.count * 1000
    print(f"outbox overhead: {total / baseline:.2f}x the bare loop ({per_reminder:.2f} ms per reminder)")


if __name__ == "__main__":
    main()
