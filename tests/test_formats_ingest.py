"""Bad PDF and DOCX files through `calendar-svc ingest` (issue 15): one clear line each, the other files of the
same run stored, and a store that only saw bad files left exactly as it was.

The files are real: PDFs printed by Chromium or exported by LibreOffice (encrypted), DOCX written by
python-docx, then damaged. The readers' own refusals are in tests/test_formats_pdf.py and _docx.py.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from formats_render import Style, chromium_pdf, generators_available, model_docx, model_html, soffice_pdf

from parsers.formats import read_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = next((ROOT / "samples").glob("003_*.txt"))

pytestmark = pytest.mark.skipif(
    generators_available() is not None and not os.environ.get("CI"), reason=str(generators_available())
)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", *args],
        capture_output=True, text=True, check=False, timeout=600, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip


def _bomb() -> bytes:
    """A DOCX-shaped zip whose document part inflates to 64 MiB of zeros (a few dozen kB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(64):
                member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def _scan_page() -> str:
    """An HTML page holding only an image: printed to PDF it has pictures and no text layer."""
    pixel = base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
            "3a7e9b550000000a4944415478da63f80f00010101001b5ed5a90000000049454e44ae426082"
        )
    ).decode()
    return f"<!doctype html><html><body><img src='data:image/png;base64,{pixel}' width='600' height='800'></body></html>"


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    """(bad, good): the damaged files, and real PDF and DOCX copies of a sample."""
    work = tmp_path_factory.mktemp("formats")
    bad, good = work / "bad", work / "good"
    bad.mkdir()
    good.mkdir()
    document = read_document(SAMPLE.name, SAMPLE.read_bytes())
    pdf = chromium_pdf(model_html(document, Style()), work / "print")
    docx = model_docx(document, Style())
    (good / "copy.pdf").write_bytes(pdf)
    (good / "copy.docx").write_bytes(docx)
    export = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    (bad / "locked.pdf").write_bytes(soffice_pdf(docx, ".docx", work / "locked", export=export))
    (bad / "scan.pdf").write_bytes(chromium_pdf(_scan_page(), work / "scan"))
    (bad / "cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    (bad / "cut.docx").write_bytes(docx[: len(docx) // 2])
    (bad / "bomb.docx").write_bytes(_bomb())
    return bad, good


EXPECTED = {
    "locked.pdf": "encrypted PDF",
    "scan.pdf": "ocrmypdf",
    "cut.pdf": "corrupt or truncated PDF",
    "cut.docx": "corrupt or truncated DOCX",
    "bomb.docx": "zip bomb",
}


def _failed(stdout: str) -> dict[str, str]:
    found = {}
    for line in stdout.splitlines():
        if match := re.fullmatch(r"FAILED (\S+): (.+)", line):
            assert match.group(1) not in found, line
            found[match.group(1)] = match.group(2)
    return found


def _export(db: str) -> list[dict]:
    result = _cli("export", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_each_bad_file_is_one_line_and_the_copies_in_the_same_run_are_stored(tmp_path, folders):
    bad, good = folders
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = _cli("ingest", str(bad), str(good), "--db", db)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    failed = _failed(result.stdout)
    assert set(failed) == set(EXPECTED), result.stdout
    for name, reason in EXPECTED.items():
        assert reason.lower() in failed[name].lower(), (name, failed[name])
    for name in ("copy.pdf", "copy.docx"):
        assert re.search(rf"^{re.escape(name)}: layout \S+, \d+ events", result.stdout, re.M), result.stdout
    events = _export(db)
    assert {s["document"] for e in events for s in e["sources"]} == {"copy.pdf", "copy.docx"}
    assert any(s.get("page") for e in events for s in e["sources"] if s["document"] == "copy.pdf")


def test_bad_files_leave_the_store_as_it_was(tmp_path, folders):
    bad, good = folders
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    assert _cli("ingest", str(good / "copy.docx"), "--db", db).returncode == 0
    before = _export(db)
    result = _cli("ingest", str(bad), "--db", db)
    assert result.returncode == 1
    assert set(_failed(result.stdout)) == set(EXPECTED)
    assert _export(db) == before
