"""Documents over the JSON API: upload (multipart), list, show, retract; the admin token; limits."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from editions import ADDED, NEWER_NAME, SAMPLE, first_edition, newer_edition
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendar_svc.fetch import FetchError
from calendar_svc.intake import upload_name

ADMIN = {"Authorization": "Bearer test-admin-token"}


def upload(client, name: str, content: bytes, headers=ADMIN):
    return client.post(
        "/api/documents", headers=headers, data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )  # fmt: skip


def events(client) -> dict[str, dict]:
    found, url = {}, "/api/events?limit=500"
    while url:
        body = client.get(url).get_json()
        found.update({e["uid"]: e for e in body["events"]})
        url = body["next"]
    return found


def by_title(found: dict[str, dict], prefix: str, year: str) -> dict:
    matches = [e for e in found.values() if e["title"].startswith(prefix) and e["start"].startswith(year)]
    assert len(matches) == 1, matches
    return matches[0]


def test_upload_creates_then_is_unchanged(client):
    first = upload(client, SAMPLE.name, first_edition())
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    document, summary = body["document"], body["summary"]
    assert document["name"] == SAMPLE.name and document["state"] == "active" and document["format"] == "text"
    assert document["layout"] == summary["layout"] == "event-tables"
    assert document["document_date"] == summary["document_date"] == "2021-09-14"
    assert summary["new"] == summary["events"] == document["events"] > 300
    assert summary["changes"] == [] and isinstance(summary["warnings"], list)
    assert first.headers["Location"] == f"/api/documents/{document['id']}"

    again = upload(client, SAMPLE.name, first_edition())
    assert again.status_code == 200
    assert again.get_json()["summary"]["status"] == "unchanged"
    assert again.get_json()["document"]["id"] == document["id"]

    listed = client.get("/api/documents").get_json()["documents"]
    assert [d["id"] for d in listed] == [document["id"]]
    assert set(listed[0]) >= {"id", "name", "sha256", "format", "layout", "document_date", "ingested_at",
                              "source_url", "events", "warnings", "state"}  # fmt: skip
    assert client.get(f"/api/documents/{document['id']}").get_json() == listed[0]
    assert client.get("/api/documents/999").status_code == 404


def test_newer_edition_reports_its_changes(client):
    upload(client, SAMPLE.name, first_edition())
    response = upload(client, NEWER_NAME, newer_edition())
    assert response.status_code == 201
    summary = response.get_json()["summary"]
    assert summary["new"] == 1 and summary["updated"] == 1
    (change,) = summary["changes"]
    assert change["title"] == "EU-Tunisia Association Committee"
    assert change["fields"]["start"] == ["2021-11-01", "2021-11-18"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "test-admin-token"},
        {"Authorization": "Bearer "},
    ],
)
def test_without_the_token_nothing_changes(client, headers):
    upload(client, SAMPLE.name, first_edition())
    before = (client.get("/api/documents").get_json(), events(client))
    document_id = before[0]["documents"][0]["id"]
    for response in (
        upload(client, NEWER_NAME, newer_edition(), headers=headers),
        client.post("/api/documents", headers=headers, json={"url": "https://example.org/a.pdf"}),
        client.delete(f"/api/documents/{document_id}", headers=headers),
    ):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "test-admin-token" not in response.get_data(as_text=True)
    assert (client.get("/api/documents").get_json(), events(client)) == before


def test_retract_restores_earlier_dates_and_cancels_what_only_it_said(client):
    upload(client, SAMPLE.name, first_edition())
    before = events(client)
    newer = upload(client, NEWER_NAME, newer_edition()).get_json()["document"]
    during = events(client)
    committee = by_title(during, "EU-Tunisia Association Committee", "2021")
    added = by_title(during, ADDED.split(" ", 3)[3], "2022")
    assert committee["start"] == "2021-11-18" and added["status"] == "scheduled"

    response = client.delete(f"/api/documents/{newer['id']}", headers=ADMIN)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["document"]["state"] == "retracted" and body["document"]["retracted_at"]
    assert body["summary"]["reverted"] == [committee["uid"]]
    assert body["summary"]["cancelled"] == [added["uid"]]

    after = events(client)
    assert set(after) == set(during)
    restored = after[committee["uid"]]
    for name in ("start", "end", "precision", "tentative", "date_text", "title", "status"):
        assert restored[name] == before[committee["uid"]][name], name
    assert restored["sequence"] == committee["sequence"] + 1
    assert {s["document"] for s in restored["sources"]} == {SAMPLE.name}
    history = client.get(f"/api/events/{committee['uid']}").get_json()["history"]
    assert history[-1]["document"] == NEWER_NAME
    assert history[-1]["fields"]["start"] == ["2021-11-18", "2021-11-01"]
    assert history[-1]["fields"]["document"] == [NEWER_NAME, "retracted"]
    cancelled = after[added["uid"]]
    assert cancelled["status"] == "cancelled" and cancelled["start"] == "2022-02-03"
    for uid in set(after) - {committee["uid"], added["uid"]}:  # nothing else moved
        assert {k: v for k, v in after[uid].items() if k != "sources"} == {
            k: v for k, v in during[uid].items() if k != "sources"
        }
    assert client.delete(f"/api/documents/{newer['id']}", headers=ADMIN).get_json()["summary"]["status"] == (
        "unchanged"
    )
    assert client.get("/api/documents").get_json()["documents"][0]["state"] == "retracted"

    # the same document again: active, the same uids, its dates back
    again = upload(client, NEWER_NAME, newer_edition())
    assert again.status_code == 201 and again.get_json()["document"]["state"] == "active"
    final = events(client)
    assert set(final) == set(during)
    assert final[committee["uid"]]["start"] == "2021-11-18"
    assert final[added["uid"]]["status"] == "scheduled"


def test_unknown_document_cannot_be_retracted(client):
    assert client.delete("/api/documents/12345", headers=ADMIN).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("empty.txt", b"", 415, "empty"),
        ("binary.bin", b"\x00\x01\x02\x03" * 100, 415, "not a supported document"),
        ("nothing.txt", b"Nothing to see here.\nNo dates at all.\n", 422, "nothing was stored"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj <<>> garbage", 422, "nothing was stored"),
    ],
)
def test_bad_documents_are_refused_and_change_nothing(client, name, content, status, message):
    response = upload(client, name, content)
    assert response.status_code == status, response.get_json()
    assert message in response.get_json()["message"]
    assert client.get("/api/documents").get_json() == {"documents": []}


def test_size_limit(db_url, clock):
    from calendar_svc.app import create_app
    from calendar_svc.config import Settings
    from calendar_svc.fetch import IntakePolicy

    settings = Settings(
        database_url=db_url, admin_token="test-admin-token", intake=IntakePolicy(max_bytes=1000)
    )
    app = create_app(settings, clock=clock)
    try:
        client = app.test_client()
        response = upload(client, "big.txt", b"x" * 1001)
        assert response.status_code == 413
        assert client.get("/api/documents").get_json() == {"documents": []}
        huge = upload(client, "huge.txt", b"x" * 200_000)  # over the form limit: refused before parsing
        assert huge.status_code == 413 and huge.is_json
    finally:
        app.extensions["calendar_svc.engine"].dispose()


def test_malformed_requests_are_400(client):
    assert client.post("/api/documents", headers=ADMIN, json={"nope": 1}).status_code == 400
    assert client.post("/api/documents", headers=ADMIN, json={"url": 5}).status_code == 400
    assert client.post("/api/documents", headers=ADMIN, data={"other": "x"}).status_code == 400
    no_name = upload(client, "", b"hello")
    assert no_name.status_code == 400
    for url in (
        "http://example.org/a.txt",
        "ftp://example.org/a",
        "https://127.0.0.1/a",
        "https://user:pw@example.org/a",
        "https://[::1]/a",
        "https://169.254.169.254/latest",
        "not a url",
    ):
        response = client.post("/api/documents", headers=ADMIN, json={"url": url})
        assert response.status_code == 400, (url, response.get_json())
        assert "pw" not in response.get_json()["message"]


@given(st.text(max_size=120))
def test_upload_names_are_plain_file_names(filename):
    try:
        name = upload_name(filename)
    except FetchError:
        return  # nothing usable: a 400
    assert 0 < len(name) <= 200 and "/" not in name and "\\" not in name
    assert not name.startswith((".", " ")) and set(name) <= set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._- "
    )


def test_cli_lists_and_retracts_documents(db_url, tmp_path):
    from click.testing import CliRunner

    from calendar_svc.cli import main

    newer = tmp_path / NEWER_NAME
    newer.write_bytes(newer_edition())
    runner = CliRunner()
    now = ["--now", "2021-09-15T08:00:00Z"]
    assert runner.invoke(main, ["ingest", str(SAMPLE), str(newer), "--db", db_url, *now]).exit_code == 0
    listed = runner.invoke(main, ["documents", "list", "--db", db_url])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert len(lines) == 2 and all(" active " in line for line in lines)
    document_id = next(line.split()[0] for line in lines if line.endswith(NEWER_NAME))
    retracted = runner.invoke(main, ["documents", "retract", document_id, "--db", db_url, *now])
    assert retracted.exit_code == 0, retracted.output
    assert f"retracted {NEWER_NAME}: 1 events reverted, 1 cancelled" in retracted.output
    again = runner.invoke(main, ["documents", "retract", document_id, "--db", db_url])
    assert again.exit_code == 0 and "was retracted already" in again.output
    missing = runner.invoke(main, ["documents", "retract", "999", "--db", db_url])
    assert missing.exit_code == 1 and "no document 999" in missing.output
    as_json = runner.invoke(main, ["documents", "list", "--json", "--db", db_url])
    states = {d["name"]: d["state"] for d in json.loads(as_json.output)}
    assert states == {SAMPLE.name: "active", NEWER_NAME: "retracted"}


@pytest.mark.parametrize("kind", ["html", "docx", "pdf"])
def test_upload_reads_html_docx_and_pdf(client, kind, tmp_path):
    """Real files (formats_render: python-docx, Chromium's PDF printer), told apart by their content."""
    from formats_render import CHROMIUM, Style, chromium_pdf, docx_document, html_document, sample_sections

    page = html_document(sample_sections(), Style())
    if kind == "html":
        content = page.encode("utf-8")
    elif kind == "docx":
        content = docx_document(sample_sections(), Style())
    else:
        if not Path(CHROMIUM).exists():
            pytest.skip(f"{CHROMIUM} is missing")
        content = chromium_pdf(page, tmp_path)
    response = upload(client, f"state-of-play.{kind}", content)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["document"]["format"] == kind
    assert body["summary"]["layout"] == "event-tables" and body["summary"]["new"] > 300


def test_events_only_the_retracted_document_named_leave_the_feeds_after_the_grace_period(client):
    upload(client, SAMPLE.name, first_edition())
    newer = upload(client, NEWER_NAME, newer_edition()).get_json()["document"]
    added = by_title(events(client), ADDED.split(" ", 3)[3], "2022")
    client.delete(f"/api/documents/{newer['id']}", headers=ADMIN)  # at the app clock, 2021-09-15

    def vevent(now: str) -> str | None:
        feed = client.get(f"/feeds/countries/TN.ics?now={now}").get_data(as_text=True).replace("\r\n ", "")
        found = [v for v in feed.split("BEGIN:VEVENT")[1:] if f"UID:{added['uid']}@" in v]
        return found[0] if found else None

    assert "STATUS:CANCELLED" in vevent("2021-09-16")
    assert "STATUS:CANCELLED" in vevent("2021-11-14")  # 60 days (CALENDAR_SVC_CANCELLED_GRACE_DAYS)
    assert vevent("2021-11-15") is None
    assert client.get(f"/api/events/{added['uid']}").get_json()["status"] == "cancelled"  # the API keeps it


_PIECES = [b"%PDF-1.7\n", b"PK\x03\x04", b"<!doctype html><table><tr><td>", b"14 SEPTEMBER 2021\n", b"\x00",
           b"November 2021 (tbc) EU-Tunisia Association Committee\n", b"\xff\xfe", "é".encode("cp1252")]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES) | st.binary(max_size=64), max_size=12).map(b"".join))
def test_any_upload_is_stored_or_refused_cleanly(client, content):
    before = client.get("/api/documents").get_json()
    response = upload(client, "fuzz.txt", content)
    assert response.status_code in (200, 201, 413, 415, 422), response.get_data(as_text=True)
    assert response.is_json and "Traceback" not in response.get_data(as_text=True)
    if response.status_code >= 400:
        assert client.get("/api/documents").get_json() == before
        assert response.get_json()["message"]


def test_mentions_stored_before_readings_existed_fall_back_to_undoing_the_history(client, sessions):
    """Stores migrated from before 0006 have mentions without `reading`: retracting a newer edition then
    undoes what its history rows changed."""
    from sqlalchemy import update

    from calendar_svc.models import EventSource

    upload(client, SAMPLE.name, first_edition())
    with sessions.begin() as session:
        session.execute(update(EventSource).values(reading=None))
    before = events(client)
    newer = upload(client, NEWER_NAME, newer_edition()).get_json()["document"]
    committee = by_title(events(client), "EU-Tunisia Association Committee", "2021")
    assert committee["start"] == "2021-11-18"
    body = client.delete(f"/api/documents/{newer['id']}", headers=ADMIN).get_json()
    assert committee["uid"] in body["summary"]["reverted"]
    restored = events(client)[committee["uid"]]
    for name in ("start", "end", "precision", "tentative", "date_text", "status"):
        assert restored[name] == before[committee["uid"]][name], name
