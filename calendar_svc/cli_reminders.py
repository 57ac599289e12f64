"""`calendar-svc subscriptions add|list|remove|test` and `calendar-svc remind` (docs/reminders.md).

Notification URLs are secrets: nothing here ever prints one in full (lists show them masked, errors
name the scheme only).
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from calendar_svc.cli_common import _moment, clock_for, db_option, open_store
from calendar_svc.cli_keys import require_keys


def _settings():
    from calendar_svc.config import Settings

    return Settings()


def _lead(_ctx, _param, values):
    from calendar_svc.reminders.secrets import parse_lead

    for value in values:
        try:
            parse_lead(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return values


@click.group("subscriptions")
def subscriptions() -> None:
    """Reminder subscriptions (Apprise notification URLs, filters, lead times)."""


@subscriptions.command("add")
@click.option("--url", "urls", multiple=True, help="Apprise URL (repeatable), e.g. json://host/path.")
@click.option("--config", "config_path", help="An Apprise config file (YAML/TEXT) instead of / besides URLs.")
@click.option("--tag", "config_tag", help="Tag of the config file's URLs to notify.")
@click.option("--country", "countries", multiple=True, help="ISO 3166-1 alpha-2 code (repeatable).")
@click.option("--process", "processes", multiple=True, help="Process slug (repeatable).")
@click.option(
    "--lead",
    "leads",
    multiple=True,
    callback=_lead,
    help="Lead time such as 7d, 1d, 12h (default 7d and 1d).",
)
@click.option("--name", help="A name for the subscription.")
@click.option("--no-tentative", is_flag=True, help="Skip tentative (to be confirmed) events.")
@click.option(
    "--change-notices/--no-change-notices",
    default=None,
    help="Also notify when a matching event is moved, confirmed or cancelled (default: yes, except "
    "for digest subscriptions).",
)
@click.option("--inactive", is_flag=True, help="Store the subscription without activating it.")
@click.option(
    "--digest",
    type=click.Choice(["daily", "weekly"]),
    help="Also (without --lead: only) send one digest per period: coming events and what changed.",
)
@click.option("--digest-day", default="monday", show_default=True, help="Weekday of a weekly digest.")
@click.option(
    "--digest-hour",
    default=9,
    show_default=True,
    type=click.IntRange(0, 23),
    help="Local hour of the digest.",
)
@click.option(
    "--digest-timezone", help="Time zone of the digest's day and hour (default: $CALENDAR_SVC_TIMEZONE)."
)
@click.option(
    "--digest-weeks", default=4, show_default=True, type=click.IntRange(1, 52), help="Weeks of events listed."
)
@click.option("--digest-empty", is_flag=True, help="Send a digest even when nothing is coming or changed.")
@click.option("--now", callback=_moment, help="Pretend the current time is this ISO datetime.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored subscription (masked) as JSON.")
@db_option
def subscriptions_add(
    urls, config_path, config_tag, countries, processes, leads, name, no_tentative, change_notices,
    inactive, digest, digest_day, digest_hour, digest_timezone, digest_weeks, digest_empty, now, as_json,
    db_url,
) -> None:  # fmt: skip
    """Create a reminder or digest subscription; prints its id."""
    from calendar_svc.reminders import subscriptions as subs
    from calendar_svc.reminders.secrets import InvalidTarget

    if not urls and not config_path:
        raise click.UsageError("give at least one --url (or --config)")
    spec = subs.SubscriptionSpec(
        urls=list(urls),
        config_path=config_path,
        config_tag=config_tag,
        name=name,
        countries=list(countries),
        processes=list(processes),
        leads=list(leads) or None,
        include_tentative=not no_tentative,
        change_notices=change_notices,
        active=not inactive,
        digest=digest,
        digest_day=digest_day,
        digest_hour=digest_hour,
        digest_timezone=digest_timezone or _settings().timezone,
        digest_weeks=digest_weeks,
        digest_empty=digest_empty,
    )
    _engine, sessions = open_store(db_url)
    keyring = require_keys(sessions)
    try:
        with sessions.begin() as session:
            sub = subs.create(
                session, spec, allow_list=_settings().apprise_schemes, now=clock_for(now)(), keyring=keyring
            )
            data = subs.to_json(sub, keyring=keyring)
    except (InvalidTarget, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(data, ensure_ascii=False) if as_json else str(data["id"]))


def _digest_line(digest: dict) -> str:
    day = f"{digest['day'].capitalize()}s" if digest["day"] else "every day"
    empty = ", empty ones too" if digest["empty"] else ""
    return (
        f"{digest['period']}, {day} at {digest['hour']:02d}:00 {digest['timezone']}, "
        f"{digest['weeks']} weeks ahead{empty}"
    )


@subscriptions.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@db_option
def subscriptions_list(as_json, db_url) -> None:
    """The subscriptions with their filters (notification URLs masked)."""
    from calendar_svc.reminders import subscriptions as subs

    _engine, sessions = open_store(db_url)
    keyring = require_keys(sessions)
    with sessions() as session:
        found = subs.list_all(session)
        counts = subs.delivery_counts(session, [s.id for s in found])
        rows = [subs.to_json(s, counts[s.id], keyring=keyring) for s in found]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        click.echo("no subscriptions")
        return
    for row in rows:
        filters = ", ".join(row["countries"] + row["processes"]) or "all events"
        flags = [
            "active" if row["active"] else "inactive",
            "tentative included" if row["include_tentative"] else "no tentative",
            "change notices" if row["change_notices"] else "no change notices",
        ]
        sent = row["deliveries"].get("sent", 0)
        pending = sum(row["deliveries"].get(s, 0) for s in ("pending", "claimed", "failed"))
        click.echo(f"{row['id']}\t{row['name']}")
        click.echo(f"\ttargets: {', '.join(row['targets'])}")
        leads = ", ".join(row["leads"]) or "none"
        click.echo(f"\tfilters: {filters}; leads: {leads}; {'; '.join(flags)}")
        if row["digest"]:
            click.echo(f"\tdigest: {_digest_line(row['digest'])}")
        click.echo(f"\tdeliveries: {sent} sent, {pending} pending")


@subscriptions.command("remove")
@click.argument("sub_id", type=int)
@db_option
def subscriptions_remove(sub_id, db_url) -> None:
    """Delete a subscription (and its outbox rows)."""
    from calendar_svc.reminders import subscriptions as subs

    _engine, sessions = open_store(db_url)
    require_keys(sessions)
    with sessions.begin() as session:
        if not subs.remove(session, sub_id):
            raise click.ClickException(f"no subscription {sub_id}")
    click.echo(f"removed subscription {sub_id}")


@subscriptions.command("test")
@click.argument("sub_id", type=int)
@click.option("--base-url", help="Public base URL of the service (default: $CALENDAR_SVC_BASE_URL).")
@db_option
def subscriptions_test(sub_id, base_url, db_url) -> None:
    """Send a test notification to each of a subscription's targets."""
    from calendar_svc.models import Subscription
    from calendar_svc.reminders.messages import test_message
    from calendar_svc.reminders.sender import TargetCache, send
    from calendar_svc.reminders.worker import DEFAULT_BASE_URL

    _engine, sessions = open_store(db_url)
    keyring = require_keys(sessions)
    with sessions() as session:
        sub = session.get(Subscription, sub_id)
        if sub is None:
            raise click.ClickException(f"no subscription {sub_id}")
        message = test_message(base_url or _settings().base_url or DEFAULT_BASE_URL)
        failures = 0
        for target in TargetCache(keyring).for_subscription(sub):
            outcome = send(target, message)
            click.echo(f"{target.label}: {'ok' if outcome.ok else 'FAILED ' + outcome.error}")
            failures += not outcome.ok
    if failures:
        sys.exit(1)


@click.command("remind")
@click.option("--once", is_flag=True, help="Run one pass and exit.")
@click.option("--now", callback=_moment, help="Pretend the current time is this ISO datetime.")
@click.option("--interval", default=60.0, show_default=True, type=float, help="Seconds between passes.")
@click.option("--base-url", help="Public base URL for links (default: $CALENDAR_SVC_BASE_URL).")
@click.option(
    "--timezone", "tz", help="Time zone of all-day events' 09:00 (default: $CALENDAR_SVC_TIMEZONE)."
)
@click.option("--batch", default=20, show_default=True, type=int, help="Rows claimed at a time.")
@click.option("--lease", default=600, show_default=True, type=int, help="Seconds a claim lasts.")
@click.option("--send-timeout", default=30.0, show_default=True, type=float, help="Seconds per Apprise call.")
@click.option("--json", "as_json", is_flag=True, help="Print each pass's report as a JSON line.")
@db_option
def remind(once, now, interval, base_url, tz, batch, lease, send_timeout, as_json, db_url) -> None:
    """Send due reminders, change notices and digests through Apprise (each once; failures retried)."""
    import logging
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from calendar_svc.reminders import Schedule, WorkerOptions, run_forever, run_pass
    from calendar_svc.reminders.worker import DEFAULT_BASE_URL, advancing_clock

    settings = _settings()
    zone = tz or settings.timezone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown time zone {zone!r}", param_hint="--timezone") from None
    if batch < 1 or lease < 1:
        raise click.BadParameter("--batch and --lease must be positive")
    logging.basicConfig(
        level=getattr(logging, settings.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    options = WorkerOptions(
        schedule=Schedule(zone),
        base_url=base_url or settings.base_url or DEFAULT_BASE_URL,
        batch=batch,
        lease=dt.timedelta(seconds=lease),
        send_timeout=send_timeout,
    )
    _engine, sessions = open_store(db_url)
    options.keyring = require_keys(sessions)

    def show(report) -> None:
        if as_json:
            data = {k: v for k, v in report.__dict__.items() if k != "closed"}
            data["closed"] = dict(report.closed)
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            click.echo(report.line())
            for error in report.errors:
                click.echo(f"  error: {error}", err=True)

    if once:
        show(run_pass(sessions, clock=clock_for(now), options=options))
        return
    clock = advancing_clock(now) if now is not None else clock_for(None)
    run_forever(sessions, clock=clock, options=options, interval=interval, on_pass=show)
