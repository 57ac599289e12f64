"""Documents coming in from outside: limits shared by upload and fetch, and fetching by URL without SSRF.

`fetch` follows a URL (https only by default) through at most `max_redirects` redirects. Before each hop
it resolves the host itself and refuses the hop when ANY resolved address is private, loopback,
link-local, multicast, reserved or otherwise not globally routable, unless it lies in a network the
configuration allows (`CALENDAR_SVC_FETCH_ALLOW_NETWORKS`). It then connects to a checked address, not
to the name again, so DNS cannot answer differently between check and connection (rebinding); TLS
still verifies the certificate against the host name. Each hop has connect and read timeouts and the
whole fetch a deadline; bodies are read up to `max_bytes` and the format is sniffed from the content
(`check_document`), never trusted from Content-Type. docs/security.md, "Fetching documents by URL".
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "calendar-svc document fetcher"
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """A document or URL refused or unreachable; `reason` is safe to show to the caller, `status` is
    the HTTP status that says so (400 refused, 413 too large, 415 unsupported, 502 upstream failed)."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _networks(raw: str | None) -> tuple[Network, ...]:
    parts = (raw or "").replace(",", " ").split()
    return tuple(ipaddress.ip_network(part, strict=False) for part in parts)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class IntakePolicy:
    """Limits on documents that come in by upload or by URL (docs/configuration.md)."""

    max_bytes: int = field(
        default_factory=lambda: int(os.environ.get("CALENDAR_SVC_MAX_DOCUMENT_BYTES", str(DEFAULT_MAX_BYTES)))
    )
    allow_http: bool = field(default_factory=lambda: _flag("CALENDAR_SVC_FETCH_ALLOW_HTTP"))
    allow_networks: tuple[Network, ...] = field(
        default_factory=lambda: _networks(os.environ.get("CALENDAR_SVC_FETCH_ALLOW_NETWORKS"))
    )
    timeout: float = field(default_factory=lambda: float(os.environ.get("CALENDAR_SVC_FETCH_TIMEOUT", "20")))
    max_redirects: int = field(
        default_factory=lambda: int(os.environ.get("CALENDAR_SVC_FETCH_MAX_REDIRECTS", "5"))
    )
    # documents the worker re-fetches (calendar-svc sources), and how often (seconds)
    sources: tuple[str, ...] = field(
        default_factory=lambda: tuple(os.environ.get("CALENDAR_SVC_SOURCES", "").replace(",", " ").split())
    )
    sources_interval: float = field(
        default_factory=lambda: float(os.environ.get("CALENDAR_SVC_SOURCES_INTERVAL", "3600"))
    )


@dataclass(frozen=True)
class Fetched:
    """A fetched document, or `content is None` when the server said it has not changed (304)."""

    url: str  # after redirects
    name: str  # document name: the last path segment of `url`
    content: bytes | None
    etag: str | None
    last_modified: str | None


def check_document(name: str, content: bytes, max_bytes: int) -> str:
    """The sniffed format of an incoming document; FetchError when it is empty, too large or binary
    content of a format the parsers do not read."""
    from parsers.formats import sniff

    if not content:
        raise FetchError(f"{name}: empty document", 415)
    if len(content) > max_bytes:
        raise FetchError(f"{name}: document too large ({len(content)} bytes; limit {max_bytes})", 413)
    kind = sniff(content)
    head = content[:4096]
    if kind == "text" and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FetchError(f"{name}: not a supported document (PDF, DOCX, HTML or text)", 415)
    return kind


def check_address(address: str, policy: IntakePolicy) -> None:
    """Refuse an address that is not globally routable, unless an allowed network holds it."""
    ip: Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in policy.allow_networks if network.version == ip.version):
        return
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback:
        raise FetchError(f"refusing to connect to {ip}: not a public address")


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (system resolver)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}", 502) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def fetch(
    url: str,
    policy: IntakePolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    resolver: Resolver = resolve,
) -> Fetched:
    """GET a document by URL under the policy (see the module docstring), conditionally when
    validators of an earlier response are given. Raises FetchError."""
    deadline = time.monotonic() + policy.timeout * 3
    current = url
    for _hop in range(policy.max_redirects + 1):
        response = _get(current, policy, etag, last_modified, resolver, deadline)
        try:
            if response.status in REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {response.status} without a Location", 502)
                current = urljoin(current, location.strip())
                continue
            if response.status == 304:
                return Fetched(current, document_name(current), None, etag, last_modified)
            if response.status != 200:
                raise FetchError(f"HTTP {response.status} from {shown_url(current)}", 502)
            content = _read(response, policy.max_bytes, deadline)
        finally:
            response.release_conn()
        name = document_name(current)
        check_document(name, content, policy.max_bytes)
        return Fetched(
            current, name, content, response.headers.get("ETag"), response.headers.get("Last-Modified")
        )
    raise FetchError(f"more than {policy.max_redirects} redirects", 502)


def document_name(url: str) -> str:
    """The document name of a URL: its last path segment (or its host), reduced to safe characters."""
    parts = urlsplit(url)
    segment = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.hostname or "document"
    name = "".join(c if c in _NAME_CHARS else "_" for c in segment).strip("._") or "document"
    return name[:200]


def shown_url(url: str) -> str:
    """A URL as it may be shown (errors, logs, the document list): no query or fragment (either may
    carry a token), no credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def _target(url: str, policy: IntakePolicy) -> tuple[str, str, int, str]:
    """Scheme, host, port and request target of a URL the policy admits."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("not a valid URL") from None
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme.lower() not in schemes:
        raise FetchError(f"only {' and '.join(schemes)} URLs are fetched")
    if not parts.hostname:
        raise FetchError("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise FetchError("URLs with credentials are not fetched")
    scheme = parts.scheme.lower()
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), target


def _get(url, policy, etag, last_modified, resolver, deadline):
    """One request to one checked address; the unread response (urllib3)."""
    import urllib3

    scheme, host, port, target = _target(url, policy)
    addresses = resolver(host, port)
    if not addresses:
        raise FetchError(f"cannot resolve {host}", 502)
    for address in addresses:  # every address: a name answering one public and one private is refused
        check_address(address, policy)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("timed out", 502)
    timeout = urllib3.Timeout(connect=min(policy.timeout, remaining), read=min(policy.timeout, remaining))
    headers = {
        "Host": _host_header(host, port, scheme),
        "User-Agent": USER_AGENT,
        "Accept": "application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document, "
        "text/html, text/plain;q=0.9, */*;q=0.5",
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    ip = addresses[0]
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            ip, port, timeout=timeout, retries=False, server_hostname=host, assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(ip, port, timeout=timeout, retries=False)
    try:
        return pool.urlopen(
            "GET", target, headers=headers, redirect=False, preload_content=False, retries=False,
            assert_same_host=False,
        )  # fmt: skip
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(f"cannot fetch {shown_url(url)}: {type(exc).__name__}", 502) from None


def _host_header(host: str, port: int, scheme: str) -> str:
    """The Host header for a host name or address literal (IPv6 in brackets), with a non-default port."""
    name = f"[{host}]" if ":" in host else host
    return name if port == (443 if scheme == "https" else 80) else f"{name}:{port}"


def _read(response, max_bytes: int, deadline: float) -> bytes:
    """The body, refused past `max_bytes` or the deadline."""
    import urllib3

    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"document too large ({declared} bytes; limit {max_bytes})", 413)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(64 * 1024, decode_content=False):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"document too large (over {max_bytes} bytes)", 413)
            if time.monotonic() > deadline:
                raise FetchError("timed out", 502)
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(f"reading the document failed: {type(exc).__name__}", 502) from None
    return b"".join(chunks)
