"""Planner statistics for SQLite stores: gathered again when the tables they describe have grown or shrunk.

SQLite plans with the row counts ANALYZE last stored in `sqlite_stat1` and never refreshes them itself. A
store analysed while small and grown since is planned as if it were still small: reading the stored feed
text of 500 events then scans every stored text instead of looking the 500 up (docs/deployment.md).
PostgreSQL's autovacuum keeps its own statistics, so nothing is done there.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

#: The tables whose size decides the plans of feeds, pages and the API.
TRACKED = ("events", "event_texts", "event_summaries", "event_sources", "event_countries", "event_processes")
#: Statistics are gathered once a table holds this many rows; planning a smaller store by default is fine.
FIRST_AT = 1_000
#: ... and again when a table's size is off by this factor from what the statistics say.
DRIFT = 2.0


def stale_tables(connection: Connection) -> list[str]:
    """The tracked tables whose statistics are missing at a size that matters, or off by DRIFT."""
    gathered = gathered_rows(connection)
    stale = []
    for table in TRACKED:
        rows = connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0
        known = gathered.get(table)
        if known is None:
            if rows >= FIRST_AT:
                stale.append(table)
        elif max(rows, 1) / max(known, 1) >= DRIFT or max(known, 1) / max(rows, 1) >= DRIFT:
            stale.append(table)
    return stale


def refresh(engine: Engine) -> list[str]:
    """ANALYZE the tables whose statistics are stale (SQLite only); returns them. Costs ~0.1 s for a
    100,000-event store, only when a table has doubled or halved since it was last analysed."""
    if engine.dialect.name != "sqlite":
        return []
    with engine.begin() as connection:
        stale = stale_tables(connection)
        for table in stale:
            connection.exec_driver_sql(f"ANALYZE {table}")
    return stale


def gathered_rows(connection: Connection) -> dict[str, int]:
    """Rows per table as the statistics last counted them (the first figure of an index's stat)."""
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).scalar()
    if not exists:
        return {}
    counted: dict[str, int] = {}
    for table, stat in connection.exec_driver_sql("SELECT tbl, stat FROM sqlite_stat1"):
        first = (stat or "").split(" ", 1)[0]
        if first.isdigit():
            counted[table] = max(counted.get(table, 0), int(first))
    return counted
