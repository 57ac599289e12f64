"""Notification URLs encrypted at rest (Fernet): database dumps hold no token, commands refuse to start
without the key, keys rotate, plaintext rows are migrated, and masking is unchanged. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import text
from test_reminders_targets import PASSWORD, TOKEN, add_event, smtp_server_fixture, webhook_fixture  # noqa: F401

from calendar_svc.cli import main
from calendar_svc.db import make_engine, session_factory
from calendar_svc.reminders import vault

KEY_1, KEY_2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
NO_KEYS = {vault.KEYS_ENV: None, vault.KEY_FILE_ENV: None}


def cli(db_url: str, *args, keys: str | None = None, key_file: Path | None = None):
    env = {vault.KEYS_ENV: keys, vault.KEY_FILE_ENV: str(key_file) if key_file else None}
    return CliRunner().invoke(main, [*map(str, args), "--db", db_url], env=env, catch_exceptions=False)


def dump(db_url: str, pg_cluster=None) -> str:
    """What a backup holds: `sqlite3 .dump` or `pg_dump`, plus a raw SELECT of the subscriptions."""
    if db_url.startswith("sqlite"):
        path = db_url.split("sqlite:///", 1)[1]
        out = subprocess.run(["sqlite3", path, ".dump"], capture_output=True, text=True, check=True).stdout
    else:
        out = subprocess.run(
            [str(pg_cluster.bindir / "pg_dump"), "--no-owner", db_url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM subscriptions")).all()
    engine.dispose()
    assert "subscriptions" in out and rows
    return out + "\n" + repr(rows)


@pytest.fixture
def dumper(db_backend, request):
    cluster = request.getfixturevalue("pg_cluster") if db_backend == "postgresql" else None
    return lambda url: dump(url, cluster)


def test_dump_holds_no_token_and_the_worker_still_delivers(db_url, dumper, webhook, smtp_server):
    added = cli(db_url, "subscriptions", "add", "--url", webhook.url("sealed"), "--url", smtp_server.url(),
                "--country", "MA", "--lead", "7d", keys=KEY_1)  # fmt: skip
    assert added.exit_code == 0, added.output
    backup = dumper(db_url)
    assert TOKEN not in backup, backup[max(0, backup.find(TOKEN) - 300) : backup.find(TOKEN) + 50]
    assert PASSWORD not in backup
    assert "gAAAAA" in backup  # the Fernet token is there instead

    listed = cli(db_url, "subscriptions", "list", "--json", keys=KEY_1)
    [sub] = json.loads(listed.output)
    assert sub["encrypted"] is True
    assert sub["targets"] == [
        f"json://…@127.0.0.1:{webhook.port}/…",
        f"mailto://…@127.0.0.1:{smtp_server.port}",
    ]

    engine = make_engine(db_url)
    with session_factory(engine).begin() as session:
        add_event(session, "sealed1", dt.date(2025, 6, 20))
    engine.dispose()
    reminded = cli(db_url, "remind", "--once", "--now", "2025-06-13T08:00:00Z", keys=KEY_1)
    assert "sent 1, failed 0" in reminded.output, reminded.output
    assert [p.uid for p in webhook.posts] == ["sealed1"] and len(smtp_server.messages) == 1
    assert TOKEN not in dumper(db_url)
    assert TOKEN not in added.output + listed.output + reminded.output


@pytest.mark.parametrize(
    "command",
    [
        ["subscriptions", "list"],
        ["subscriptions", "add", "--url", "json://127.0.0.1:9/x"],
        ["subscriptions", "remove", "1"],
        ["subscriptions", "test", "1"],
        ["remind", "--once", "--now", "2025-06-13T08:00:00Z"],
        ["serve", "--port", "1"],
    ],
)
def test_commands_refuse_to_start_without_the_key(db_url, webhook, command):
    assert cli(db_url, "subscriptions", "add", "--url", webhook.url(), keys=KEY_1).exit_code == 0
    refused = cli(db_url, *command)
    assert refused.exit_code == 1
    assert (
        "Error: the database holds encrypted notification URLs (1 subscription) and no key is configured: "
        "set CALENDAR_SVC_SECRET_KEYS or CALENDAR_SVC_SECRET_KEY_FILE (docs/security.md)"
    ) in refused.output
    wrong = cli(db_url, *command, keys=KEY_2)
    assert wrong.exit_code == 1 and "no configured key decrypts" in wrong.output
    assert KEY_1 not in refused.output + wrong.output and KEY_2 not in wrong.output
    assert webhook.posts == []


def test_the_wsgi_app_refuses_to_start_without_the_key(db_url, webhook, monkeypatch):
    assert cli(db_url, "subscriptions", "add", "--url", webhook.url(), keys=KEY_1).exit_code == 0
    sessions = session_factory(make_engine(db_url))
    monkeypatch.delenv(vault.KEYS_ENV, raising=False)
    monkeypatch.delenv(vault.KEY_FILE_ENV, raising=False)
    with pytest.raises(vault.MissingKey, match="no key is configured"):
        vault.startup_check(sessions)
    monkeypatch.setenv(vault.KEYS_ENV, KEY_1)
    vault.startup_check(sessions)
    down = session_factory(make_engine("postgresql://nobody@127.0.0.1:9/none"))
    vault.startup_check(down)  # an unreachable database is /readyz's business: the app still starts


def test_rotation_re_encrypts_under_the_newest_key(db_url, dumper, webhook):
    assert cli(db_url, "subscriptions", "add", "--url", webhook.url("r1"), keys=KEY_1).exit_code == 0
    assert cli(db_url, "subscriptions", "add", "--url", webhook.url("r2"), keys=KEY_1).exit_code == 0
    before = dumper(db_url)
    both = f"{KEY_2},{KEY_1}"  # the new key first
    status = cli(db_url, "keys", "status", keys=both)
    assert "keys configured: 2" in status.output and "under key 2: 2" in status.output
    rotated = cli(db_url, "keys", "rotate", keys=both)
    assert rotated.exit_code == 0 and "re-encrypted 2 subscription(s) under the newest key" in rotated.output
    assert "under the newest key: 2" in cli(db_url, "keys", "status", keys=both).output
    after = dumper(db_url)
    assert TOKEN not in after and after != before
    # the old key can go now; with it alone the rows no longer open
    assert cli(db_url, "subscriptions", "list", keys=KEY_2).exit_code == 0
    assert "no configured key decrypts" in cli(db_url, "subscriptions", "list", keys=KEY_1).output
    assert cli(db_url, "subscriptions", "test", "1", keys=KEY_2).exit_code == 0
    assert [p.path for p in webhook.posts] == ["r1"]
    without = cli(db_url, "keys", "rotate")
    assert without.exit_code == 1 and "no key configured" in without.output


def test_existing_plaintext_rows_are_encrypted(db_url, dumper, webhook):
    assert cli(db_url, "subscriptions", "add", "--url", webhook.url("old")).exit_code == 0  # no key yet
    assert TOKEN in dumper(db_url)  # as before this feature: plaintext
    warned = cli(db_url, "subscriptions", "list", keys=KEY_1)
    assert (
        warned.exit_code == 0
        and "1 subscription(s) keep their notification URLs unencrypted" in warned.output
    )
    sealed = cli(db_url, "keys", "encrypt-existing", keys=KEY_1)
    assert (
        sealed.exit_code == 0 and "encrypted 1 subscription(s) that were stored unencrypted" in sealed.output
    )
    assert TOKEN not in dumper(db_url)
    listed = cli(db_url, "subscriptions", "list", keys=KEY_1)
    assert f"json://…@127.0.0.1:{webhook.port}/…" in listed.output and "unencrypted" not in listed.output
    assert "encrypted 0 subscription(s)" in cli(db_url, "keys", "encrypt-existing", keys=KEY_1).output
    assert cli(db_url, "subscriptions", "list").exit_code == 1  # now the key is required


def test_key_file_and_bad_key_configuration(db_url, webhook, tmp_path):
    key_file = tmp_path / "keys"
    key_file.write_text(f"# calendar-svc keys, newest first\n{KEY_2}\n\n{KEY_1}\n")
    assert cli(db_url, "subscriptions", "add", "--url", webhook.url("f"), keys=KEY_1).exit_code == 0
    assert cli(db_url, "subscriptions", "list", key_file=key_file).exit_code == 0
    assert "under key 2: 1" in cli(db_url, "keys", "status", key_file=key_file).output
    both = cli(db_url, "subscriptions", "list", keys=KEY_1, key_file=key_file)
    assert (
        both.exit_code == 1
        and "set either CALENDAR_SVC_SECRET_KEYS or CALENDAR_SVC_SECRET_KEY_FILE" in both.output
    )
    missing = cli(db_url, "subscriptions", "list", key_file=tmp_path / "absent")
    assert missing.exit_code == 1 and "cannot read the key file" in missing.output
    bad = "not-a-fernet-key-" + TOKEN
    malformed = cli(db_url, "subscriptions", "list", keys=f"{KEY_1},{bad}")
    assert malformed.exit_code == 1
    assert "CALENDAR_SVC_SECRET_KEYS: key 2 is not a Fernet key" in malformed.output
    assert bad not in malformed.output and KEY_1 not in malformed.output


def test_keys_generate_prints_a_working_key():
    first, second = (CliRunner().invoke(main, ["keys", "generate"]).output.strip() for _ in range(2))
    assert first != second
    assert Fernet(first.encode()).decrypt(Fernet(first.encode()).encrypt(b"x")) == b"x"


def test_admin_api_seals_urls_and_answers_503_without_the_key(client, db_url, dumper, webhook, monkeypatch):
    headers = {"Authorization": "Bearer test-admin-token"}
    monkeypatch.setenv(vault.KEYS_ENV, KEY_1)
    created = client.post("/api/subscriptions", headers=headers, json={"url": webhook.url("api")})
    assert created.status_code == 201 and created.json["encrypted"] is True
    assert created.json["targets"] == [f"json://…@127.0.0.1:{webhook.port}/…"]
    assert TOKEN not in dumper(db_url)
    assert client.get("/api/subscriptions/1", headers=headers).json["targets"] == created.json["targets"]
    monkeypatch.delenv(vault.KEYS_ENV)
    for response in (
        client.get("/api/subscriptions", headers=headers),
        client.get("/api/subscriptions/1", headers=headers),
    ):
        assert response.status_code == 503
        assert "no key is configured" in response.json["message"]
    monkeypatch.setenv(vault.KEYS_ENV, "garbage")
    refused = client.post("/api/subscriptions", headers=headers, json={"url": webhook.url("api")})
    assert refused.status_code == 503 and "is not a Fernet key" in refused.json["message"]
    assert "garbage" not in refused.get_data(as_text=True)


def test_keyring_unit():
    keyring = vault.Keyring(vault.parse_keys(f"{KEY_2}, {KEY_1}", "test"))
    old = vault.Keyring(vault.parse_keys(KEY_1, "test"))
    token = old.seal([f"json://u:{TOKEN}@h/x"])
    assert TOKEN not in token
    assert keyring.open(token) == [f"json://u:{TOKEN}@h/x"]
    assert keyring.key_index(token) == 1
    assert keyring.key_index(keyring.rotate(token)) == 0
    with pytest.raises(vault.KeyConfigError, match="no configured key decrypts"):
        vault.Keyring(vault.parse_keys(KEY_2, "test")).open(token)
    assert vault.keyring_from_env({}) is None
    with pytest.raises(vault.KeyConfigError, match="holds no key"):
        vault.keyring_from_env({vault.KEYS_ENV: " , "})


def test_a_worker_without_the_key_fails_the_row_and_retries_it_later(sessions, webhook):
    from calendar_svc.clock import fixed_clock
    from calendar_svc.reminders import WorkerOptions, run_pass
    from calendar_svc.reminders import subscriptions as subs

    keyring = vault.Keyring(vault.parse_keys(KEY_1, "test"))
    now = dt.datetime(2025, 6, 13, 8, tzinfo=dt.UTC)
    with sessions.begin() as session:
        add_event(session, "late-key", dt.date(2025, 6, 20))
        spec = subs.SubscriptionSpec(urls=[webhook.url("k")], leads=["7d"])
        subs.create(session, spec, allow_list=("*",), now=now, keyring=keyring)
    blind = run_pass(sessions, clock=fixed_clock(now), options=WorkerOptions())
    assert (blind.sent, blind.failed) == (0, 1) and "no key is configured" in blind.errors[0]
    later = now + dt.timedelta(minutes=2)
    keyed = run_pass(sessions, clock=fixed_clock(later), options=WorkerOptions(keyring=keyring))
    assert keyed.sent == 1 and [p.uid for p in webhook.posts] == ["late-key"]
