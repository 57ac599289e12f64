"""A throwaway PostgreSQL cluster for the tests and the benchmarks: initdb + pg_ctl on a free port.

Used by tests/conftest.py (one cluster per pytest-xdist worker) and bench/scale.py. initdb refuses to
run as root, so under root the cluster runs as the `postgres` system user (created when missing).
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SYSTEM_USER = "postgres"
SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries (initdb, pg_ctl) on this machine."""


def find_bindir() -> Path:
    """Where initdb and pg_ctl live: $CALENDAR_SVC_PG_BINDIR, `pg_config --bindir`, Debian's layout, PATH."""
    candidates: list[str] = []
    if env := os.environ.get("CALENDAR_SVC_PG_BINDIR"):
        candidates.append(env)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if found := shutil.which("initdb"):
        candidates.append(str(Path(found).parent))
    for candidate in candidates:
        path = Path(candidate)
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (no initdb/pg_ctl via $CALENDAR_SVC_PG_BINDIR, "
        "`pg_config --bindir`, /usr/lib/postgresql/*/bin or PATH); install them with "
        "`apt-get install postgresql` (Debian) or select --db-backend=sqlite"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ensure_system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/bin/sh", SYSTEM_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SYSTEM_USER)


class PgCluster:
    """One initdb'd data directory and the server running on it (TCP on 127.0.0.1, trust auth)."""

    def __init__(self, base_dir: str | Path | None = None, *, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.as_root = os.geteuid() == 0
        self.owner = _ensure_system_user() if self.as_root else None
        self.dir = Path(tempfile.mkdtemp(prefix="calsvc-pg-", dir=base_dir))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port: int | None = None
        self.running = False
        if self.owner is not None:
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, self.owner.pw_uid, self.owner.pw_gid)
        self._run(
            [
                str(self.bindir / "initdb"),
                "-D", str(self.data),
                "-U", SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# throwaway test cluster: speed over durability\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 300\nshared_buffers = 64MB\n"
                f"unix_socket_directories = '{self.dir}'\nlisten_addresses = '127.0.0.1'\n"
                "timezone = 'UTC'\nlog_min_messages = warning\n"
            )
        atexit.register(self.destroy)

    # -- process control --------------------------------------------------------------------------

    def _run(self, argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
        if self.owner is not None:
            argv = ["su", SYSTEM_USER, "-s", "/bin/sh", "-c", shlex.join(argv)]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{shlex.join(argv)} failed ({result.returncode}):\n{result.stdout}{result.stderr}{log}"
            )
        return result

    def start(self, port: int | None = None) -> None:
        """Start the server (on `port`, the previous port, or a free one)."""
        for attempt in range(5):
            self.port = port or self.port or free_port()
            result = self._run(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D", str(self.data),
                    "-l", str(self.log),
                    "-o", f"-p {self.port}",
                    "-w", "-t", "60",
                    "start",
                ],
                check=False,
            )
            if result.returncode == 0:
                self.running = True
                return
            if port is not None or attempt == 4:  # a fixed port, or out of retries
                raise RuntimeError(f"pg_ctl start failed:\n{result.stdout}{result.stderr}")
            self.port = None  # the free port was taken in between: try another
        raise AssertionError("unreachable")

    def stop(self, mode: str = "fast") -> None:
        if self.running:
            pg_ctl = str(self.bindir / "pg_ctl")
            self._run([pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"], check=False)
            self.running = False

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- URLs and databases ---------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run one statement in autocommit mode (CREATE/DROP DATABASE cannot run in a transaction)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        ) as conn:
            conn.execute(sql)

    def create_database(self, name: str, template: str | None = None) -> str:
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_ready(url: str, timeout: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
