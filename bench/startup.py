"""Start-up time of the command line: `calendar-svc --help` and `calendar-svc parse-date`.

Run: python bench/startup.py [--repeat N]

Each command runs N times, each time in a fresh interpreter through the installed console script, and
the wall time of the whole process is taken (start-up, imports, the command, exit), with its CPU time
(user + system), which other load on the machine disturbs less. Printed next to baselines measured in
the same run: a bare interpreter (`python -c pass`, the floor), and one that only imports Flask and
SQLAlchemy (what every command paid when the CLI imported them at the top), and the load average.
Targets (issue 13), on the median wall time: --help < 0.15 s, parse-date < 0.20 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"calendar-svc --help": 0.15, 'calendar-svc parse-date "Q2 2025 (tbc)"': 0.20}


def _console_script() -> str:
    beside = Path(sys.executable).with_name("calendar-svc")
    found = str(beside) if beside.exists() else shutil.which("calendar-svc")
    if found is None:
        raise SystemExit("calendar-svc is not installed (pip install -e .)")
    return found


def _run(command: list[str]) -> tuple[float, float]:
    """One run: (wall seconds, CPU seconds of the child)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit status {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def _times(command: list[str], repeat: int) -> tuple[list[float], list[float]]:
    _run(command)  # warm the page cache once
    runs = [_run(command) for _ in range(repeat)]
    return [wall for wall, _ in runs], [cpu for _, cpu in runs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per command (default 15)")
    args = parser.parse_args()
    script = _console_script()
    rows = [
        ("baseline: python -c pass", [sys.executable, "-c", "pass"], None),
        (
            'baseline: python -c "import flask, sqlalchemy"',
            [sys.executable, "-c", "import flask, sqlalchemy"],
            None,
        ),
        ("calendar-svc --help", [script, "--help"], TARGETS["calendar-svc --help"]),
        (
            'calendar-svc parse-date "Q2 2025 (tbc)"',
            [script, "parse-date", "Q2 2025 (tbc)", "--today", "2024-01-01"],
            TARGETS['calendar-svc parse-date "Q2 2025 (tbc)"'],
        ),
    ]
    load = os.getloadavg()[0]
    print(f"{args.repeat} fresh interpreters each; seconds per process; load average {load:.2f}")
    print(f"{'command':<48} {'median':>7} {'min':>7} {'CPU med':>7}  target (median)")
    failed = False
    for label, command, target in rows:
        walls, cpus = _times(command, args.repeat)
        median = statistics.median(walls)
        verdict = ""
        if target is not None:
            ok = median < target
            failed |= not ok
            verdict = f"< {target:.2f}  {'ok' if ok else 'MISSED'}"
        print(f"{label:<48} {median:7.3f} {min(walls):7.3f} {statistics.median(cpus):7.3f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
