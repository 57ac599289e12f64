"""The `calendar-svc` command line."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from calendar_svc.cli_common import _date, _moment, clock_for, db_option, open_store

DOCUMENT_SUFFIXES = {".txt", ".md", ".tsv", ".text", ".csv", ".html", ".htm", ".pdf", ".docx"}

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="calendar-svc")
def main() -> None:
    """Calendars of EU migration dialogues, extracted from EU documents."""


# -- ingest ---------------------------------------------------------------------------------------


def _document_paths(paths: tuple[str, ...]) -> list[Path | str]:
    """Files, the documents in folders, and URLs (kept as text)."""
    found: list[Path | str] = []
    for raw in paths:
        if raw.lower().startswith(("https://", "http://")):
            found.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
            )
        else:
            found.append(path)
    return found


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--now", callback=_moment, help="Pretend the current time is this ISO datetime.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=20 * 1024 * 1024,
    show_default=True,
    envvar="CALENDAR_SVC_MAX_DOCUMENT_BYTES",
    show_envvar=True,
    help="Refuse larger files.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summaries as JSON lines.")
def ingest(paths, db_url, now, max_bytes, as_json) -> None:
    """Parse documents (files, folders or https:// URLs) and store their events."""
    from calendar_svc.ingest import DocumentSummary, ingest_bytes, read_document
    from parsers import DocumentError

    _engine, sessions = open_store(db_url)
    files = _document_paths(paths)
    if not files:
        raise click.ClickException("no documents found in " + ", ".join(paths))
    failures = 0
    for index, path in enumerate(files, start=1):
        click.echo(f"[{index}/{len(files)}] {str(path).split('?')[0]}", err=True)
        if isinstance(path, str):
            from calendar_svc.cli_documents import ingest_url

            summary = ingest_url(sessions, path, max_bytes, clock_for(now))
        else:
            try:
                content = read_document(path, max_bytes)
            except (DocumentError, OSError) as exc:
                summary = DocumentSummary(
                    path.name, status="failed", error=getattr(exc, "reason", None) or str(exc)
                )
            else:
                summary = ingest_bytes(sessions, path.name, content, clock=clock_for(now))
        failures += summary.status == "failed"
        if as_json:
            click.echo(json.dumps(summary.__dict__, ensure_ascii=False))
            continue
        click.echo(summary.line())
        for warning in summary.warnings:
            click.echo(f"  warning: {warning}")
        for note in summary.ambiguous:
            click.echo(f"  ambiguous: {note}")
    if failures:
        click.echo(f"{failures} of {len(files)} documents failed", err=True)
        sys.exit(1)


# -- export ---------------------------------------------------------------------------------------


@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "ics"]), default="json", show_default=True)
@click.option("--country", help="ISO 3166-1 alpha-2 code, e.g. MA.")
@click.option("--process", help="Process slug, e.g. rabat-process.")
@click.option("--from", "date_from", callback=_date, help="Events ending on or after this date.")
@click.option("--to", "date_to", callback=_date, help="Events starting on or before this date.")
@click.option(
    "--fuzzy", type=click.Choice(["auto", "span", "start", "omit"]), default="auto", show_default=True
)
@db_option
def export(fmt, country, process, date_from, date_to, fuzzy, db_url) -> None:
    """Print stored events as a JSON array or one iCalendar feed."""
    from calendar_svc.queries import EventFilter, find_events
    from calendar_svc.serialize import event_json

    _engine, sessions = open_store(db_url)
    flt = EventFilter(country=country, process=process, date_from=date_from, date_to=date_to)
    with sessions() as session:
        events = [event_json(e) for e in find_events(session, flt)]
    if fmt == "json":
        click.echo(json.dumps(events, ensure_ascii=False, indent=1))
        return
    from feeds import FeedOptions, render_calendar

    name = (
        "EU migration dialogues"
        + (f" - {country.upper()}" if country else "")
        + (f" - {process}" if process else "")
    )
    sys.stdout.buffer.write(render_calendar(events, FeedOptions(name=name, fuzzy=fuzzy, cap=None)))


# -- parse-date -----------------------------------------------------------------------------------


@main.command("parse-date")
@click.argument("texts", nargs=-1, required=True)
@click.option("--today", callback=_date, help="Reference date for expressions without a year (YYYY-MM-DD).")
@click.option("--year-hint", type=int, help="Year of the neighbouring rows, for yearless dates.")
def parse_date_command(texts, today, year_hint) -> None:
    """Normalise date expressions: one JSON object per TEXT per line."""
    from parsers.dates import parse_date

    for text in texts:
        click.echo(
            json.dumps(parse_date(text, today or dt.date.today(), year_hint).to_json(), ensure_ascii=False)
        )


# -- database -------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@db_option
def db_upgrade(db_url) -> None:
    """Bring the database schema to the newest revision."""
    from calendar_svc.db import make_engine
    from calendar_svc.schema import current_revision, upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    click.echo(f"database at revision {current_revision(engine)}")


@db.command("status")
@db_option
def db_status(db_url) -> None:
    """Show the schema revision of the database and of this code."""
    from calendar_svc.db import make_engine
    from calendar_svc.schema import current_revision, head_revision

    engine = make_engine(db_url)
    click.echo(f"database: {current_revision(engine) or 'empty'}; code: {head_revision()}")


# -- web ------------------------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@db_option
def serve(host, port, workers, db_url) -> None:
    """Run the web app (feeds, JSON API, pages) on gunicorn."""
    from calendar_svc.cli_keys import require_keys
    from calendar_svc.server import run_server

    engine, sessions = open_store(db_url)
    require_keys(sessions)  # sealed notification URLs need their key (docs/security.md)
    engine.dispose()
    run_server(host=host, port=port, workers=workers, db_url=db_url)


def _register_commands() -> None:
    """Commands that live in their own modules."""
    from calendar_svc.cli_documents import documents, sources
    from calendar_svc.cli_feeds import export_feeds
    from calendar_svc.cli_keys import keys
    from calendar_svc.cli_reminders import remind, subscriptions

    for command in (export_feeds, subscriptions, remind, keys, documents, sources):
        main.add_command(command)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
