"""Faults (issue 10): `calendar-svc ingest` killed with SIGKILL in the middle of writing a document.

One transaction per document means the store holds either the whole document (its row, every source and
event) or nothing of it. The test ingests a small document and then a large generated one (6 000 rows),
polls the database until the large one's write transaction is open, kills the process with SIGKILL, checks
the store, and re-ingests. Runs on SQLite and PostgreSQL.

(`remind` killed mid-pass: tests/test_reminders_delivery.py; database down at start, /readyz 503 and
recovery: tests/test_config.py.)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from calendar_svc.db import make_engine, session_factory
from calendar_svc.models import Document, Event, EventSource

ROOT = Path(__file__).resolve().parent.parent
ROWS_PER_COUNTRY = 300  # 6 000 events: seconds of writing, so the kill lands inside the transaction
COUNTRIES = [
    "Cabo Verde", "Morocco", "Tunisia", "Senegal", "Nigeria", "Niger", "Mali", "Ghana", "Egypt", "Jordan",
    "Lebanon", "Armenia", "Georgia", "Ukraine", "Moldova", "Albania", "Serbia", "Kosovo", "Pakistan", "Iraq",
]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
TOPICS = [
    "Joint Visa Facilitation Committee meeting", "Readmission Committee meeting", "Migration Dialogue",
    "Senior Officials Meeting on migration", "Working Arrangement negotiation round",
    "Technical mission on border management", "Sub-Committee on Justice and Home Affairs",
    "Expert meeting on return and reintegration",
]  # fmt: skip


def big_document(rows_per_country: int = ROWS_PER_COUNTRY) -> str:
    """An event-tables document (the layout of sample 000) with 20 x rows_per_country distinct events."""
    sample = next((ROOT / "samples").glob("000_*.txt")).read_text(encoding="utf-8")
    lines = [sample[: sample.index("Part 1- Bilateral dialogues")], "Part 1- Bilateral dialogues", "",
             "(A) AFRICAN COUNTRIES", ""]  # fmt: skip
    number = 0
    for country in COUNTRIES:
        lines += [country, f"The EU and {country} cooperate on migration.", "", "Recent and upcoming events"]
        for i in range(rows_per_country):
            number += 1
            day, month, year = 1 + (i * 7) % 27, MONTHS[(i * 5) % 12], 2015 + i % 12
            lines += [f"{day} {month} {year} {i + 1}th EU-{country} {TOPICS[i % len(TOPICS)]} number {number} "
                      "– Brussels", ""]  # fmt: skip
    return "\n".join(lines) + "\n"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", *args],
        capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=False, timeout=600,
    )


def writer_active(db_url: str, connection) -> bool:
    """True while another connection holds an open write transaction on the database."""
    if db_url.startswith("sqlite"):
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # locked: a writer is in its transaction
            return True
        connection.execute("ROLLBACK")
        return False
    row = connection.execute(
        text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
    ).scalar()
    return bool(row)


def check_consistent(db_url: str) -> dict[str, int]:
    """No partial document: every stored document has exactly its events, every source its document."""
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            documents = {d.name: d.event_count for d in session.scalars(select(Document))}
            orphans = session.scalar(
                select(func.count()).select_from(Event).where(~Event.sources.any())
            )
            assert orphans == 0, f"{orphans} events without any source"
            source_docs = set(session.scalars(select(EventSource.document).distinct()))
            assert source_docs <= set(documents), f"sources of unstored documents: {source_docs - set(documents)}"
            for name, count in documents.items():
                linked = session.scalar(
                    select(func.count(func.distinct(EventSource.event_id))).where(EventSource.document == name)
                )
                assert linked == count, (name, linked, count)
        if db_url.startswith("sqlite"):
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        return documents
    finally:
        engine.dispose()


def test_sigkill_mid_document_leaves_no_partial_document(db_url, tmp_path):
    small = next((ROOT / "samples").glob("004_*.txt"))
    big = tmp_path / "big-generated.txt"
    big.write_text(big_document(), encoding="utf-8")

    if db_url.startswith("sqlite"):
        watcher = sqlite3.connect(make_url(db_url).database, timeout=0, isolation_level=None)
    else:
        watcher_engine = make_engine(db_url)
        watcher = watcher_engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    process = subprocess.Popen(
        [sys.executable, "-m", "calendar_svc.cli", "ingest", str(small), str(big), "--db", db_url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        # wait until the small document is stored and the big one's transaction is writing
        deadline = time.monotonic() + 300
        small_done = False
        while time.monotonic() < deadline and process.poll() is None:
            if not small_done:
                small_done = small.name in check_consistent_names(db_url)
            elif writer_active(db_url, watcher):
                break
            time.sleep(0.02)
        else:
            pytest.fail(f"ingest ended (rc {process.poll()}) before the big document's write was seen")
        time.sleep(0.2)  # well inside the write (it takes seconds)
        assert process.poll() is None, "ingest finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        watcher.close()
        if not db_url.startswith("sqlite"):
            watcher_engine.dispose()
    assert process.returncode == -signal.SIGKILL

    documents = check_consistent(db_url)
    assert small.name in documents and big.name not in documents, documents

    again = _cli("ingest", str(small), str(big), "--db", db_url)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "identical to the stored version" in again.stdout  # the small document survived whole
    documents = check_consistent(db_url)
    assert documents[big.name] == len(COUNTRIES) * ROWS_PER_COUNTRY
    # the same store as an ingest that was never interrupted
    reference = f"sqlite:///{tmp_path / 'reference.sqlite3'}"
    assert _cli("ingest", str(small), str(big), "--db", reference).returncode == 0
    assert check_consistent(reference) == documents
    assert _event_count(reference) == _event_count(db_url)


def check_consistent_names(db_url: str) -> set[str]:
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            return set(session.scalars(select(Document.name)))
    finally:
        engine.dispose()


def _event_count(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(Event))
    finally:
        engine.dispose()
