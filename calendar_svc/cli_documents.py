"""`calendar-svc documents list|retract` and `calendar-svc sources` (re-fetch the configured sources)."""

from __future__ import annotations

import json
import sys
import time

import click

from calendar_svc.cli_common import _moment, clock_for, db_option, open_store


@click.group()
def documents() -> None:
    """The ingested documents: list them, retract one."""


@documents.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the documents as a JSON array.")
def list_command(db_url, as_json) -> None:
    """The ingested documents, newest ingest first."""
    from calendar_svc.documents import document_json, list_documents

    _engine, sessions = open_store(db_url)
    with sessions() as session:
        found = [document_json(d) for d in list_documents(session)]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    for d in found:
        click.echo(
            f"{d['id']:>5}  {d['state']:<9}  {d['document_date'] or '-':<10}  {d['events']:>4} events  "
            f"{d['format'] or '-':<4}  {d['layout']:<16}  {d['name']}"
        )


@documents.command("retract")
@click.argument("document_id", type=click.IntRange(min=1))
@db_option
@click.option("--now", callback=_moment, help="Pretend the current time is this ISO datetime.")
def retract_command(document_id, db_url, now) -> None:
    """Undo a document: its events revert to what the other documents say, or are cancelled."""
    from calendar_svc.documents import DocumentNotFound, retract

    _engine, sessions = open_store(db_url)
    try:
        summary = retract(sessions, document_id, clock=clock_for(now))
    except DocumentNotFound:
        raise click.ClickException(f"no document {document_id}") from None
    name = summary.document["name"]
    if summary.status == "unchanged":
        click.echo(f"{name} was retracted already")
        return
    click.echo(
        f"retracted {name}: {len(summary.reverted)} events reverted, {len(summary.cancelled)} cancelled, "
        f"{summary.unchanged} unchanged"
    )


def ingest_url(sessions, url: str, max_bytes: int, clock):
    """`calendar-svc ingest URL`: fetch under the configured policy and ingest; a DocumentSummary."""
    from dataclasses import replace

    from calendar_svc.config import Settings
    from calendar_svc.fetch import FetchError, fetch, shown_url
    from calendar_svc.ingest import DocumentSummary, ingest_bytes
    from calendar_svc.intake import remember_validators

    policy = replace(Settings().intake, max_bytes=max_bytes)
    try:
        fetched = fetch(url, policy)
    except FetchError as exc:
        return DocumentSummary(shown_url(url), status="failed", error=exc.reason)
    assert fetched.content is not None
    summary = ingest_bytes(sessions, fetched.name, fetched.content, clock=clock, source_url=url)
    if summary.status != "failed":
        remember_validators(sessions, fetched.name, fetched.etag, fetched.last_modified)
    return summary


@click.command()
@db_option
@click.option("--once", is_flag=True, help="One pass, then exit (non-zero when a source failed).")
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=None,
    help="Seconds between passes (default: $CALENDAR_SVC_SOURCES_INTERVAL, else 3600).",
)
@click.option("--now", callback=_moment, help="Pretend the current time is this ISO datetime.")
def sources(db_url, once, interval, now) -> None:
    """Re-fetch the configured sources ($CALENDAR_SVC_SOURCES) and ingest documents that changed."""
    from calendar_svc.config import Settings
    from calendar_svc.sources import poll_sources

    policy = Settings().intake
    if not policy.sources:
        raise click.ClickException("no sources configured (CALENDAR_SVC_SOURCES)")
    _engine, sessions = open_store(db_url)
    while True:
        results = poll_sources(sessions, policy, clock=clock_for(now))
        for result in results:
            click.echo(result.line())
        if once:
            sys.exit(1 if any(r.outcome == "failed" for r in results) else 0)
        time.sleep(interval or policy.sources_interval)
