"""Options and helpers shared by the command modules.

Nothing here (or at the top of the command modules) imports SQLAlchemy, Alembic, Flask or Apprise:
`calendar-svc --help` and `parse-date` must start fast, so commands import what they use when they run
(tests/test_cli_startup.py guards it; bench/startup.py times it).
"""

from __future__ import annotations

import datetime as dt

import click

from calendar_svc.clock import Clock, fixed_clock, parse_moment, system_clock

DB_HELP = "SQLAlchemy database URL (default: $CALENDAR_SVC_DATABASE_URL, else ./calendar-svc.sqlite3)."


def db_option(func):
    return click.option("--db", "db_url", default=None, help=DB_HELP)(func)


def _date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def _moment(_ctx, _param, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date or datetime") from None


def clock_for(now: dt.datetime | None) -> Clock:
    return fixed_clock(now) if now is not None else system_clock


def open_store(db_url: str | None, *, create_if_empty: bool = True):
    """Engine and sessions for a database whose schema is current (an empty one is created)."""
    from calendar_svc.db import make_engine, session_factory
    from calendar_svc.schema import SchemaOutdated, ensure_current

    engine = make_engine(db_url)
    try:
        ensure_current(engine, create_if_empty=create_if_empty)
    except SchemaOutdated as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:
        raise click.ClickException(f"cannot open the database: {exc}") from None
    return engine, session_factory(engine)


