"""Fetching documents by URL against a real HTTP server on 127.0.0.1 (admitted only by the test policy):
SSRF rules on every resolved address and every redirect hop, limits, conditional requests, the API,
the CLI and the sources worker."""

from __future__ import annotations

import io
import ipaddress

import pytest
from click.testing import CliRunner
from doc_server import DocServer
from editions import NEWER_NAME, first_edition, newer_edition
from hypothesis import given
from hypothesis import strategies as st

from calendar_svc.fetch import FetchError, IntakePolicy, check_address, document_name, fetch

LOCAL = (ipaddress.ip_network("127.0.0.1/32"),)
POLICY = IntakePolicy(allow_http=True, allow_networks=LOCAL, timeout=2, max_redirects=3, max_bytes=1_000_000)
ADMIN = {"Authorization": "Bearer test-admin-token"}


@pytest.fixture
def server():
    with DocServer() as running:
        running.site.documents["/doc.txt"] = first_edition()
        yield running


def test_fetches_a_document_with_its_validators(server):
    fetched = fetch(f"{server.url}/doc.txt", POLICY)
    assert fetched.content == first_edition() and fetched.name == "doc.txt"
    assert fetched.etag and fetched.last_modified == "Mon, 30 Nov 2026 10:00:00 GMT"
    again = fetch(f"{server.url}/doc.txt", POLICY, etag=fetched.etag, last_modified=fetched.last_modified)
    assert again.content is None  # 304
    assert server.site.requests[-1][1]["If-None-Match"] == fetched.etag
    assert server.site.requests[-1][1]["If-Modified-Since"] == fetched.last_modified


@pytest.mark.parametrize(
    ("policy", "url", "message"),
    [
        (IntakePolicy(), "{base}/doc.txt", "only https URLs"),  # the default: https only, public only
        (IntakePolicy(allow_http=True), "{base}/doc.txt", "not a public address"),
        (IntakePolicy(allow_http=True), "http://localhost:{port}/doc.txt", "not a public address"),
        (
            IntakePolicy(allow_http=True, allow_networks=LOCAL),
            "http://[::1]:{port}/doc.txt",
            "not a public address",
        ),
        (POLICY, "http://localhost:{port}/doc.txt", None),  # ::1 as well as 127.0.0.1, unless no ::1 here
        (POLICY, "file:///etc/passwd", "only https and http"),
        (POLICY, "http://user:secret@127.0.0.1:{port}/doc.txt", "credentials"),
        (POLICY, "http://127.0.0.1:99999/doc.txt", "not a valid URL"),
    ],
)
def test_refused_urls_never_reach_the_server(server, policy, url, message):
    port = server.httpd.server_port
    url = url.format(base=server.url, port=port)
    if message is None:
        import socket

        if not any(info[4][0] == "::1" for info in socket.getaddrinfo("localhost", port)):
            pytest.skip("localhost resolves to 127.0.0.1 only on this machine")
        message = "not a public address"
    with pytest.raises(FetchError) as caught:
        fetch(url, policy)
    assert message in caught.value.reason
    assert "secret" not in caught.value.reason
    assert server.site.requests == []


def test_every_resolved_address_is_checked(server):
    """A name that resolves to an admitted address and a private one is refused (no request made):
    checking only the first answer would let DNS pick the private one at connection time."""
    port = server.httpd.server_port
    for answers in (
        ["127.0.0.1", "10.0.0.7"],
        ["10.0.0.7", "127.0.0.1"],
        ["127.0.0.1", "::ffff:169.254.169.254"],
    ):
        with pytest.raises(FetchError, match="not a public address"):
            fetch(
                f"http://docs.example.test:{port}/doc.txt", POLICY, resolver=lambda host, port, a=answers: a
            )
    assert server.site.requests == []
    fetched = fetch(
        f"http://docs.example.test:{port}/doc.txt", POLICY, resolver=lambda host, port: ["127.0.0.1"]
    )
    assert fetched.content == first_edition()
    assert server.site.requests[0][1]["Host"] == f"docs.example.test:{port}"  # the name, not the address


def test_ipv6_literals_follow_the_same_rules():
    try:
        server = DocServer("::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server:
        server.site.documents["/doc.txt"] = first_edition()
        with pytest.raises(FetchError, match="not a public address"):
            fetch(f"{server.url}/doc.txt", POLICY)  # 127.0.0.1/32 admitted, ::1 not
        assert server.site.requests == []
        admitted = IntakePolicy(allow_http=True, allow_networks=(ipaddress.ip_network("::1/128"),))
        assert fetch(f"{server.url}/doc.txt", admitted).content == first_edition()
        assert server.site.requests[0][1]["Host"] == f"[::1]:{server.httpd.server_port}"


def test_every_redirect_hop_is_checked():
    with DocServer() as public, DocServer("127.0.0.2") as private:
        private.site.documents["/secret.txt"] = b"internal"
        public.site.redirects["/go"] = f"{private.url}/secret.txt"
        public.site.redirects["/metadata"] = "http://169.254.169.254/latest/meta-data/"
        public.site.redirects["/https-only"] = "ftp://127.0.0.1/x"
        for path in ("/go", "/metadata", "/https-only"):
            with pytest.raises(FetchError) as caught:
                fetch(f"{public.url}{path}", POLICY)
            assert caught.value.status == 400, caught.value.reason
        assert private.site.requests == []
        assert [p for p, _ in public.site.requests] == ["/go", "/metadata", "/https-only"]


def test_redirects_are_followed_and_capped(server):
    server.site.redirects["/latest"] = "/doc.txt"
    assert fetch(f"{server.url}/latest", POLICY).name == "doc.txt"
    with pytest.raises(FetchError, match="more than 3 redirects") as caught:
        fetch(f"{server.url}/loop/0", POLICY)
    assert caught.value.status == 502
    assert len([p for p, _ in server.site.requests if p.startswith("/loop/")]) == 4


def test_size_time_and_type_limits(server):
    small = IntakePolicy(allow_http=True, allow_networks=LOCAL, timeout=1, max_bytes=10_000)
    with pytest.raises(FetchError, match="too large") as caught:
        fetch(f"{server.url}/doc.txt", small)  # Content-Length says so
    assert caught.value.status == 413
    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server.url}/endless.txt", small)  # no Content-Length: cut off while reading
    with pytest.raises(FetchError, match="timed out|ReadTimeout|TimeoutError") as caught:
        fetch(f"{server.url}/slow.txt", small)
    assert caught.value.status == 502
    server.site.documents["/image.png"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    with pytest.raises(FetchError, match="not a supported document") as caught:
        fetch(f"{server.url}/image.png", POLICY)
    assert caught.value.status == 415
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetch(f"{server.url}/missing.txt", POLICY)
    assert caught.value.status == 502


def test_unreachable_host_is_a_clear_error():
    with pytest.raises(FetchError) as caught:
        fetch("http://127.0.0.1:9/doc.txt", POLICY)  # discard port: nothing listens
    assert caught.value.status == 502 and "cannot fetch http://127.0.0.1:9/doc.txt" in caught.value.reason
    with pytest.raises(FetchError, match="cannot resolve"):
        fetch("https://no-such-host.invalid/doc.txt", IntakePolicy())


_PRIVATE = st.one_of(
    st.integers(0, 2**24 - 1).map(lambda n: ipaddress.IPv4Address((10 << 24) + n)),
    st.integers(0, 2**24 - 1).map(lambda n: ipaddress.IPv4Address((127 << 24) + n)),
    st.integers(0, 2**16 - 1).map(lambda n: ipaddress.IPv4Address((169 << 24) + (254 << 16) + n)),
    st.integers(0, 2**16 - 1).map(lambda n: ipaddress.IPv4Address((192 << 24) + (168 << 16) + n)),
    st.integers(0, 2**20 - 1).map(lambda n: ipaddress.IPv4Address((172 << 24) + (16 << 16) + n)),
    st.integers(0, 2**22 - 1).map(lambda n: ipaddress.IPv4Address((100 << 24) + (64 << 16) + n)),
    st.integers(0, 2**64 - 1).map(lambda n: ipaddress.IPv6Address((0xFE80 << 112) + n)),
    st.integers(0, 2**120 - 1).map(lambda n: ipaddress.IPv6Address((0xFD << 120) + n)),
)


@given(_PRIVATE, st.booleans())
def test_no_private_loopback_or_link_local_address_is_admitted(address, mapped):
    text = str(address)
    if mapped and address.version == 4:
        text = f"::ffff:{address}"  # IPv4-mapped IPv6 is the IPv4 address
    with pytest.raises(FetchError, match="not a public address"):
        check_address(text, IntakePolicy())


@given(st.text(max_size=80))
def test_document_names_are_safe(path):
    name = document_name(f"https://example.org/{path}")
    assert name and len(name) <= 200 and "/" not in name and not name.startswith(".")


# -- the API, the CLI, the worker -----------------------------------------------------------------------


@pytest.fixture
def fetching_client(db_url, clock):
    from calendar_svc.app import create_app
    from calendar_svc.config import Settings

    app = create_app(
        Settings(database_url=db_url, admin_token="test-admin-token", intake=POLICY), clock=clock
    )
    yield app.test_client()
    app.extensions["calendar_svc.engine"].dispose()


def test_api_ingests_a_url(fetching_client, server):
    url = f"{server.url}/doc.txt?token=abc"
    server.site.documents["/doc.txt?token=abc"] = first_edition()
    response = fetching_client.post("/api/documents", headers=ADMIN, json={"url": url})
    assert response.status_code == 201, response.get_json()
    document = response.get_json()["document"]
    assert document["name"] == "doc.txt" and document["format"] == "text"
    assert document["source_url"] == f"{server.url}/doc.txt"  # shown without its query (it may hold a token)
    assert "abc" not in response.get_data(as_text=True)
    again = fetching_client.post("/api/documents", headers=ADMIN, json={"url": url})
    assert again.status_code == 200
    refused = fetching_client.post("/api/documents", headers=ADMIN, json={"url": "http://169.254.169.254/x"})
    assert refused.status_code == 400 and "not a public address" in refused.get_json()["message"]
    missing = fetching_client.post("/api/documents", headers=ADMIN, json={"url": f"{server.url}/nope.txt"})
    assert missing.status_code == 502
    assert [d["name"] for d in fetching_client.get("/api/documents").get_json()["documents"]] == ["doc.txt"]


def test_cli_ingests_a_url_only_where_the_configuration_allows(server, db_url, monkeypatch):
    from calendar_svc.cli import main

    url = f"{server.url}/doc.txt"
    refused = CliRunner().invoke(main, ["ingest", url, "--db", db_url])
    assert refused.exit_code == 1 and "only https URLs are fetched" in refused.output
    monkeypatch.setenv("CALENDAR_SVC_FETCH_ALLOW_HTTP", "1")
    monkeypatch.setenv("CALENDAR_SVC_FETCH_ALLOW_NETWORKS", "127.0.0.1/32")
    result = CliRunner().invoke(main, ["ingest", url, "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "doc.txt: layout event-tables" in result.output
    listed = CliRunner().invoke(main, ["documents", "list", "--db", db_url, "--json"])
    assert '"source_url": "' + url in listed.output


def test_sources_are_polled_conditionally_and_ingested_only_when_changed(server, sessions, clock):
    from calendar_svc.documents import list_documents, retract
    from calendar_svc.sources import poll_sources

    url = f"{server.url}/state-of-play.txt"
    server.site.documents["/state-of-play.txt"] = first_edition()
    policy = IntakePolicy(allow_http=True, allow_networks=LOCAL, timeout=2, sources=(url,))
    assert [r.outcome for r in poll_sources(sessions, policy, clock=clock)] == ["ingested"]
    assert [r.outcome for r in poll_sources(sessions, policy, clock=clock)] == ["not-modified"]
    assert "If-None-Match" in server.site.requests[-1][1]
    server.site.documents["/state-of-play.txt"] = newer_edition()
    (result,) = poll_sources(sessions, policy, clock=clock)
    assert result.outcome == "ingested" and result.summary.updated == 1 and result.summary.new == 1
    with sessions() as session:
        (document,) = list_documents(session)
        document_id = document.id
    retract(sessions, document_id, clock=clock)
    assert [r.outcome for r in poll_sources(sessions, policy, clock=clock)] == ["not-modified"]
    server.site.validators = False  # a server without validators: the content decides
    # an admin's retraction holds while the source serves the same document
    assert [r.outcome for r in poll_sources(sessions, policy, clock=clock)] == ["retracted"]
    with sessions() as session:
        assert list_documents(session)[0].state == "retracted"
    server.site.documents["/state-of-play.txt"] = newer_edition().replace(
        b"18 November 2021", b"19 November 2021"
    )
    (changed,) = poll_sources(sessions, policy, clock=clock)
    assert changed.outcome == "ingested"
    with sessions() as session:
        assert list_documents(session)[0].state == "active"
    bad = IntakePolicy(
        allow_http=True, allow_networks=LOCAL, timeout=2, sources=(f"{server.url}/gone.txt", url)
    )
    outcomes = [r.outcome for r in poll_sources(sessions, bad, clock=clock)]
    assert outcomes[0] == "failed" and len(outcomes) == 2


def test_upload_and_url_name_the_same_document(fetching_client, server):
    server.site.documents[f"/{NEWER_NAME}"] = newer_edition()
    fetched = fetching_client.post(
        "/api/documents", headers=ADMIN, json={"url": f"{server.url}/{NEWER_NAME}"}
    )
    uploaded = fetching_client.post(
        "/api/documents", headers=ADMIN, data={"file": (io.BytesIO(newer_edition()), NEWER_NAME)},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert (fetched.status_code, uploaded.status_code) == (201, 200)
