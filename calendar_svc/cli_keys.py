"""`calendar-svc keys generate|status|rotate|encrypt-existing`: the keys that seal notification URLs.

Keys come from CALENDAR_SVC_SECRET_KEYS or CALENDAR_SVC_SECRET_KEY_FILE, newest first
(calendar_svc/reminders/vault.py, docs/security.md). Nothing here prints a configured key or a URL;
`generate` prints a new key and nothing else.
"""

from __future__ import annotations

import click

from calendar_svc.cli_common import db_option, open_store


def require_keys(sessions):
    """The configured keyring (or None); a ClickException when sealed rows exist that it cannot open.

    Used by every command that reads notification URLs (serve, remind, subscriptions ...)."""
    from calendar_svc.reminders.vault import KeyConfigError, check_store, keyring_from_env

    try:
        keyring = keyring_from_env()
        with sessions() as session:
            state = check_store(session, keyring)
    except KeyConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if keyring is not None and state.plaintext:
        click.echo(
            f"warning: {state.plaintext} subscription(s) keep their notification URLs unencrypted: "
            "run `calendar-svc keys encrypt-existing`",
            err=True,
        )
    return keyring


def _configured_keyring():
    from calendar_svc.reminders.vault import HOW_TO_SET, KeyConfigError, keyring_from_env

    try:
        keyring = keyring_from_env()
    except KeyConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if keyring is None:
        raise click.ClickException(f"no key configured: {HOW_TO_SET}")
    return keyring


@click.group("keys")
def keys() -> None:
    """Keys that encrypt notification URLs in the database (Fernet)."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new key (put it first in CALENDAR_SVC_SECRET_KEYS or the key file)."""
    from calendar_svc.reminders.vault import generate_key

    click.echo(generate_key())


@keys.command("status")
@db_option
def keys_status(db_url) -> None:
    """How many keys are configured and which one each sealed subscription is under."""
    from calendar_svc.reminders.vault import KeyConfigError, keyring_from_env, store_state

    try:
        keyring = keyring_from_env()
    except KeyConfigError as exc:
        raise click.ClickException(str(exc)) from None
    _engine, sessions = open_store(db_url)
    with sessions() as session:
        state = store_state(session, keyring)
    click.echo(f"keys configured: {len(keyring.fernets) if keyring else 0}")
    click.echo(f"subscriptions encrypted: {state.sealed}; unencrypted: {state.plaintext}")
    for index, count in sorted((state.by_key or {}).items()):
        where = "no configured key" if index < 0 else "the newest key" if index == 0 else f"key {index + 1}"
        click.echo(f"  under {where}: {count}")


def _seal(db_url, *, rotate: bool) -> None:
    from calendar_svc.reminders.vault import KeyConfigError, seal_all

    keyring = _configured_keyring()
    _engine, sessions = open_store(db_url)
    try:
        with sessions.begin() as session:
            rotated, sealed = seal_all(session, keyring, rotate=rotate)
    except KeyConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if rotate:
        click.echo(f"re-encrypted {rotated} subscription(s) under the newest key")
    click.echo(f"encrypted {sealed} subscription(s) that were stored unencrypted")


@keys.command("rotate")
@db_option
def keys_rotate(db_url) -> None:
    """Re-encrypt every subscription's notification URLs under the newest key (one transaction)."""
    _seal(db_url, rotate=True)


@keys.command("encrypt-existing")
@db_option
def keys_encrypt_existing(db_url) -> None:
    """Encrypt the notification URLs of subscriptions stored before a key was configured."""
    _seal(db_url, rotate=False)
