"""Notification URLs encrypted at rest: Fernet tokens under keys from the environment (docs/security.md).

A subscription's Apprise URLs are stored as one Fernet token of their JSON list in
`subscriptions.targets_sealed` (its plaintext `targets` column then stays empty), so a database dump,
a backup or a `SELECT` shows no token. The keys come from `CALENDAR_SVC_SECRET_KEYS` (comma-separated)
or from the file named by `CALENDAR_SVC_SECRET_KEY_FILE` (one key per line), newest first: the newest
encrypts, every key decrypts (MultiFernet), so a rotation is "put the new key first, run
`calendar-svc keys rotate`, then drop the old key".

Without a key, URLs are stored in plaintext as before; once any row is sealed, the commands that use the
URLs refuse to start without a key that opens every sealed row (`check_store`).
"""

from __future__ import annotations

import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from calendar_svc.models import Subscription

KEYS_ENV = "CALENDAR_SVC_SECRET_KEYS"
KEY_FILE_ENV = "CALENDAR_SVC_SECRET_KEY_FILE"
HOW_TO_SET = f"set {KEYS_ENV} or {KEY_FILE_ENV} (docs/security.md)"


class KeyConfigError(RuntimeError):
    """The key configuration is unusable. Messages never contain a key or a URL."""


class MissingKey(KeyConfigError):
    """Sealed notification URLs exist and no key is configured."""


@dataclass(frozen=True)
class Keyring:
    """The configured Fernet keys, newest first."""

    fernets: tuple[Fernet, ...]

    @property
    def _multi(self) -> MultiFernet:
        return MultiFernet(list(self.fernets))

    def seal(self, urls: list[str]) -> str:
        """A Fernet token (newest key) of the URLs' JSON list."""
        return self._multi.encrypt(json.dumps(list(urls)).encode()).decode("ascii")

    def open(self, token: str) -> list[str]:
        try:
            return list(json.loads(self._multi.decrypt(token.encode("ascii"))))
        except (InvalidToken, ValueError):
            raise KeyConfigError(
                "no configured key decrypts a sealed notification URL: keep every key still in use "
                "after the newest one until `calendar-svc keys rotate` has run"
            ) from None

    def rotate(self, token: str) -> str:
        """The same URLs re-encrypted under the newest key (the token's timestamp is kept)."""
        self.open(token)  # a clear error when no key opens it
        return self._multi.rotate(token.encode("ascii")).decode("ascii")

    def key_index(self, token: str) -> int | None:
        """Which key (0 = newest) opens the token; None when none does."""
        for index, fernet in enumerate(self.fernets):
            try:
                fernet.decrypt(token.encode("ascii"))
            except InvalidToken:
                continue
            return index
        return None


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def parse_keys(text: str, source: str) -> tuple[Fernet, ...]:
    """Keys separated by commas or newlines (blank lines and `#` comments skipped)."""
    pieces = [
        piece.strip()
        for line in text.splitlines()
        if not line.strip().startswith("#")
        for piece in line.split(",")
    ]
    fernets: list[Fernet] = []
    for number, piece in enumerate((p for p in pieces if p), start=1):
        try:
            fernets.append(Fernet(piece.encode("ascii")))
        except (ValueError, binascii.Error, UnicodeEncodeError):
            raise KeyConfigError(
                f"{source}: key {number} is not a Fernet key (32 url-safe base64-encoded bytes; "
                "`calendar-svc keys generate` prints one)"
            ) from None
    if not fernets:
        raise KeyConfigError(f"{source} holds no key")
    return tuple(fernets)


def keyring_from_env(environ: Mapping[str, str] | None = None) -> Keyring | None:
    """The keyring the environment configures, or None when it configures none."""
    environ = os.environ if environ is None else environ
    keys, key_file = environ.get(KEYS_ENV, "").strip(), environ.get(KEY_FILE_ENV, "").strip()
    if keys and key_file:
        raise KeyConfigError(f"set either {KEYS_ENV} or {KEY_FILE_ENV}, not both")
    if keys:
        return Keyring(parse_keys(keys, KEYS_ENV))
    if key_file:
        try:
            text = Path(key_file).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not ASCII text"
            raise KeyConfigError(f"{KEY_FILE_ENV}: cannot read the key file ({reason})") from None
        return Keyring(parse_keys(text, KEY_FILE_ENV))
    return None


# -- subscriptions --------------------------------------------------------------------------------


def store_targets(sub: Subscription, urls: list[str], keyring: Keyring | None) -> None:
    """Put a subscription's URLs in the row: sealed when there is a key, else in plaintext."""
    if keyring is None:
        sub.targets, sub.targets_sealed = list(urls), None
    else:
        sub.targets, sub.targets_sealed = [], keyring.seal(urls)


def target_urls(sub: Subscription, keyring: Keyring | None) -> list[str]:
    """A subscription's URLs in the clear (raises MissingKey / KeyConfigError for sealed rows)."""
    if sub.targets_sealed is None:
        return list(sub.targets or [])
    if keyring is None:
        raise MissingKey(f"subscription {sub.id} holds encrypted notification URLs and no key is configured")
    return keyring.open(sub.targets_sealed)


@dataclass
class StoreState:
    """How the subscriptions keep their notification URLs."""

    sealed: int = 0  # subscriptions whose URLs are encrypted
    plaintext: int = 0  # subscriptions with URLs in the clear
    by_key: dict[int, int] | None = None  # sealed rows per key index (0 = newest); with a keyring


def store_state(session: Session, keyring: Keyring | None) -> StoreState:
    state = StoreState(by_key={} if keyring else None)
    for sealed, targets in session.execute(select(Subscription.targets_sealed, Subscription.targets)):
        if sealed is not None:
            state.sealed += 1
            if keyring is not None:
                index = keyring.key_index(sealed)
                key = -1 if index is None else index  # -1: no configured key opens it
                state.by_key[key] = state.by_key.get(key, 0) + 1
        elif targets:
            state.plaintext += 1
    return state


def check_store(session: Session, keyring: Keyring | None) -> StoreState:
    """Refuse (MissingKey / KeyConfigError) a store whose sealed rows the configured keys cannot open."""
    state = store_state(session, keyring)
    if state.sealed and keyring is None:
        raise MissingKey(
            f"the database holds encrypted notification URLs ({state.sealed} subscription"
            f"{'s' if state.sealed != 1 else ''}) and no key is configured: {HOW_TO_SET}"
        )
    if state.by_key and state.by_key.get(-1):
        raise KeyConfigError(
            f"{state.by_key[-1]} subscription(s) hold notification URLs that no configured key decrypts: "
            "a key they were encrypted with is missing"
        )
    return state


def seal_all(session: Session, keyring: Keyring, *, rotate: bool) -> tuple[int, int]:
    """Encrypt plaintext rows and (rotate=True) re-encrypt sealed rows under the newest key.

    Returns (re-encrypted, newly encrypted). Raises KeyConfigError before changing anything when a
    sealed row cannot be opened.
    """
    subs = list(session.scalars(select(Subscription).order_by(Subscription.id)))
    for sub in subs:
        if sub.targets_sealed is not None:
            keyring.open(sub.targets_sealed)
    rotated = sealed = 0
    for sub in subs:
        if sub.targets_sealed is not None:
            if rotate:
                sub.targets_sealed = keyring.rotate(sub.targets_sealed)
                rotated += 1
        elif sub.targets:
            store_targets(sub, list(sub.targets), keyring)
            sealed += 1
    session.flush()
    return rotated, sealed


def startup_check(sessions) -> None:
    """For the WSGI app: raise KeyConfigError when sealed rows exist that the configured keys cannot
    open. A database that cannot be queried yet (down, not migrated) is /readyz's business, not ours."""
    keyring = keyring_from_env()
    try:
        with sessions() as session:
            check_store(session, keyring)
    except SQLAlchemyError:
        return
