"""A real HTTP server on 127.0.0.1 for the URL-fetching tests: documents with validators, redirects,
oversized, slow and binary bodies; it records every request it receives."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Site:
    """What the server serves (editable while it runs) and the requests it saw."""

    documents: dict[str, bytes] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    slow_seconds: float = 5.0
    validators: bool = True  # False: no ETag / Last-Modified, never 304


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            site.requests.append((self.path, dict(self.headers.items())))
            if self.path in site.redirects:
                return self._send(302, b"", Location=site.redirects[self.path])
            if self.path.startswith("/loop/"):
                step = int(self.path.rsplit("/", 1)[1])
                return self._send(302, b"", Location=f"/loop/{step + 1}")
            if self.path == "/slow.txt":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(int(site.slow_seconds * 10)):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
                return None
            if self.path == "/endless.txt":  # no Content-Length: read until the limit
                self.send_response(200)
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for _ in range(10_000):
                        self.wfile.write(b"Q2 2025 meeting\n" * 4096)
                except OSError:
                    pass
                return None
            content = site.documents.get(self.path)
            if content is None:
                return self._send(404, b"not found")
            if not site.validators:
                return self._send(200, content)
            etag = '"' + hashlib.sha256(content).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", ETag=etag)
            return self._send(200, content, ETag=etag, Last_Modified="Mon, 30 Nov 2026 10:00:00 GMT",
                              Content_Type="application/octet-stream")  # fmt: skip

        def _send(self, status: int, body: bytes, **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """Clients that hang up (size limits, timeouts) are expected here."""


class _QuietServer6(_QuietServer):
    address_family = socket.AF_INET6


class DocServer:
    """Serve a Site on host:free port in a thread (a context manager)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.site = Site()
        server = _QuietServer6 if ":" in host else _QuietServer
        self.httpd = server((host, 0), _handler(self.site))
        self.httpd.daemon_threads = True
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> DocServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
