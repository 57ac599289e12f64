"""nginx in front of the app (docs/deployment.md, "nginx in front"): a real nginx proxies feed requests to
the app, which answers `X-Accel-Redirect` for a current exported file, and nginx sends that file with the
app's validators. Skipped without nginx, except under CI (.ci/run installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import serving

try:
    from test_api import BASE, SEED_NOW, fresh_url, make_app, seeded_url
except ImportError:  # tests/ imported as a package
    from tests.test_api import BASE, SEED_NOW, fresh_url, make_app, seeded_url

__all__ = ["fresh_url", "seeded_url"]  # fixtures used below

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
if NGINX is None and os.environ.get("CI"):
    raise RuntimeError("CI requires nginx for tests/test_nginx_front.py (.ci/run installs it)")
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")

CONFIG = """
{user}
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location /feeds/ {{
      proxy_pass {upstream};
      proxy_set_header Host $host;
    }}
    location /_exported/ {{
      internal;
      alias {static}/;
      types {{ }}
      default_type "text/calendar; charset=utf-8";
      etag off;
      add_header ETag $upstream_http_etag always;
      add_header Vary $upstream_http_vary always;
      add_header X-Feed-Events $upstream_http_x_feed_events always;
      add_header Access-Control-Allow-Origin "*" always;
    }}
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _nginx(work: Path, static: Path, upstream: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's private folders
    (work / "nginx.conf").write_text(CONFIG.format(user=user, work=work, port=port, upstream=upstream, static=static))
    process = subprocess.Popen(
        [NGINX, "-c", str(work / "nginx.conf"), "-p", str(work), "-e", str(work / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = (work / "error.log").read_text() if (work / "error.log").exists() else ""
                pytest.fail(f"nginx did not start: {log}")
            time.sleep(0.05)


def test_nginx_sends_the_exported_file_with_the_apps_validators(fresh_url, tmp_path):
    from calendar_svc.cli import main

    static, work = tmp_path / "static", tmp_path / "nginx"
    work.mkdir()
    export = ["export-feeds", str(static), "--db", fresh_url, "--base-url", BASE, "--now", SEED_NOW.isoformat()]
    assert CliRunner().invoke(main, export).exit_code == 0
    plain = make_app(fresh_url).test_client()
    app = make_app(fresh_url, feed_export_dir=str(static), feed_accel_redirect="/_exported/")
    with serving(app) as upstream:
        process, front = _nginx(work, static, upstream)
        try:
            for path in ("/feeds/all.ics", "/feeds/countries/MA.ics"):
                expected = plain.get(path)
                direct = _get(upstream + path)
                assert direct[0] == 200 and direct[1] == b"" and "X-Accel-Redirect" in direct[2]
                status, body, headers = _get(front + path)
                assert status == 200 and body == expected.data, path
                assert "X-Accel-Redirect" not in headers and "nginx" in headers["Server"]
                for name in ("ETag", "Last-Modified", "Content-Type", "Cache-Control", "Vary", "X-Feed-Events"):
                    assert headers[name] == expected.headers[name], (path, name)
                # the app still decides: a 304, and parameters it answers with bytes of its own
                assert _get(front + path, {"If-None-Match": expected.headers["ETag"]})[0] == 304
                status, body, headers = _get(front + path + "?fuzzy=span")
                assert status == 200 and body == plain.get(path + "?fuzzy=span").data
            assert _get(front + "/feeds/countries/ZZ.ics")[0] == 404
        finally:
            process.terminate()
            process.wait(timeout=30)
