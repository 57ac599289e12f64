"""`calendar-svc export-feeds DIR`: write every feed as a static file, for nginx or a CDN.

The files are the exact bytes the app serves for the same feed without query parameters (same renderer,
same base URL), laid out like the URL paths below /feeds/:

    DIR/all.ics
    DIR/countries/<CC>.ics      every country that has events
    DIR/processes/<slug>.ics    every known process

Each file's modification time is the feed's Last-Modified, so a static server sends the same validator.
With --gzip, a `.ics.gz` next to each file (for nginx `gzip_static on`). Files are replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

import click

from calendar_svc.cli_common import _moment, clock_for, db_option, open_store


def _write(path: Path, data: bytes, mtime: dt.datetime | None) -> None:
    import tempfile  # here, not at the top: every command's start-up would pay for it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        if mtime is not None:
            stamp = mtime.timestamp()
            os.utime(tmp, (stamp, stamp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command("export-feeds")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@db_option
@click.option(
    "--base-url",
    default=None,
    help="Public base URL for UIDs and links (default: $CALENDAR_SVC_BASE_URL; it must match the app's).",
)
@click.option("--now", callback=_moment, help="Pretend the current time is this ISO datetime.")
@click.option("--gzip/--no-gzip", "with_gzip", default=False, help="Also write .ics.gz files.")
def export_feeds(directory: Path, db_url, base_url, now, with_gzip) -> None:
    """Write every feed (all, each country with events, each process) as static .ics files."""
    from calendar_svc.config import Settings
    from calendar_svc.db import database_url
    from calendar_svc.feed_cache import FeedQuery, FeedSpec, build_feed
    from calendar_svc.models import EventCountry
    from calendar_svc.queries import tag_counts
    from calendar_svc.web.params import is_country_code, process_slugs

    _engine, sessions = open_store(db_url)
    settings = replace(Settings(), database_url=database_url(db_url))
    if base_url is not None:
        settings = replace(settings, base_url=base_url.rstrip("/"))
    if not settings.base_url:
        click.echo(
            "warning: no --base-url or $CALENDAR_SVC_BASE_URL: UIDs use calendar-svc.local and events "
            "carry no page links",
            err=True,
        )
    moment = clock_for(now)()
    query = FeedQuery()
    written = 0
    with sessions() as session:
        codes = sorted(c for c in tag_counts(session, EventCountry.code) if is_country_code(c))
        specs = [FeedSpec("all")]
        specs += [FeedSpec("country", code) for code in codes]
        specs += [FeedSpec("process", slug) for slug in process_slugs()]
        for spec in specs:
            rendered = build_feed(
                session, spec, query, settings=settings, now=moment, base_url=settings.base_url
            )
            target = directory / spec.path.removeprefix("feeds/")
            _write(target, rendered.body, rendered.last_modified)
            if with_gzip:
                _write(target.with_name(target.name + ".gz"), rendered.gzip_body, rendered.last_modified)
            written += 1
            size = len(rendered.body)
            click.echo(f"{target}\t{rendered.event_count} events\t{size} bytes\t{rendered.etag}")
    click.echo(f"{written} feeds written to {directory}", err=True)
