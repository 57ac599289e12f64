"""Hardening: bad input to `calendar-svc ingest` (issue 10).

Every refused file ends in exactly one `FAILED <name>: <reason>` line, the command exits non-zero, the good
files of the same call are stored, and nothing prints a traceback. Legacy encodings are decoded, not refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from parsers import DocumentError, parse_document
from parsers.text import decode

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TODAY = dt.date(2021, 9, 15)


def _sample(prefix: str) -> Path:
    return next(SAMPLES.glob(f"{prefix}_*.txt"))


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "CALENDAR_SVC_MAX_DOCUMENT_BYTES"}
    full_env.update({"PYTHONWARNINGS": "ignore", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "calendar_svc.cli", *args],
        capture_output=True, text=True, env=full_env, check=False, timeout=timeout,
    )


def _export(db: str) -> list[dict]:
    result = _cli("export", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _cp1252_text(prefix: str) -> str:
    """A sample's text restricted to what Windows-1252 can encode (a few stray characters replaced)."""
    text = _sample(prefix).read_text(encoding="utf-8").replace("ć", "c").replace("\uf0b7", "\u2022")
    return "".join(c if c.encode("cp1252", errors="ignore") else "?" for c in text)


def _failed_lines(output: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in output.splitlines():
        match = re.fullmatch(r"FAILED (\S+): (.+)", line)
        if match:
            assert match.group(1) not in found, f"two FAILED lines for {match.group(1)}"
            found[match.group(1)] = match.group(2)
    return found


# -- refused ----------------------------------------------------------------------------------------


@pytest.fixture
def bad_files(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    good = _sample("003")
    (folder / "good.txt").write_bytes(good.read_bytes())
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4096))
    (folder / "zip.txt").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + os.urandom(2048))
    (folder / "nul.txt").write_bytes(b"1 October 2021 Joint Committee meeting\x00\x00\x00" * 40)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\r\n\t \n")
    (folder / "bomonly.txt").write_bytes(b"\xef\xbb\xbf")
    (folder / "big.txt").write_bytes(good.read_bytes() * 3)  # over the 200 kB limit used below
    (folder / "noevents.txt").write_bytes(
        b"Minutes of a meeting.\nNothing was decided and no date was set.\nThe participants thanked the chair.\n"
    )
    (folder / "utf16-odd.txt").write_bytes(b"\xff\xfe" + "Joint Committee".encode("utf-16-le") + b"\x00")
    return folder


EXPECTED_REASONS = {
    "binary.txt": "binary",
    "image.txt": "binary",
    "zip.txt": "not a DOCX",
    "nul.txt": "binary",
    "empty.txt": "empty",
    "blank.txt": "empty",
    "bomonly.txt": "empty",
    "big.txt": "too large",
    "noevents.txt": "no recognisable events",
    "utf16-odd.txt": "UTF-16",
}


def test_each_bad_file_is_one_line_and_the_good_one_is_stored(tmp_path, bad_files):
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = _cli("ingest", str(bad_files), "--db", db, "--max-bytes", "200000")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    failed = _failed_lines(result.stdout)
    assert set(failed) == set(EXPECTED_REASONS), output
    for name, reason in EXPECTED_REASONS.items():
        assert reason.lower() in failed[name].lower(), (name, failed[name])
        assert "\n" not in failed[name]
    assert re.search(r"^good\.txt: layout \S+, \d+ events", result.stdout, re.M), result.stdout
    assert f"{len(EXPECTED_REASONS)} of {len(EXPECTED_REASONS) + 1} documents failed" in result.stderr
    events = _export(db)
    assert len(events) > 20
    assert {s["document"] for e in events for s in e["sources"]} == {"good.txt"}


def test_json_summaries_name_file_and_reason(tmp_path, bad_files):
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = _cli("ingest", str(bad_files / "binary.txt"), str(bad_files / "good.txt"), "--db", db, "--json")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(s["name"], s["status"]) for s in lines] == [("binary.txt", "failed"), ("good.txt", "ok")]
    assert "binary" in lines[0]["error"]


def test_missing_file_is_a_one_line_error(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = _cli("ingest", str(tmp_path / "nope.txt"), str(_sample("004")), "--db", db)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "nope.txt" in _failed_lines(result.stdout)
    assert _export(db)


def test_size_limit_from_the_environment_and_the_flag_overrides_it(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    doc = _sample("004")
    limited = _cli("ingest", str(doc), "--db", db, env={"CALENDAR_SVC_MAX_DOCUMENT_BYTES": "1000"})
    assert limited.returncode == 1
    reason = _failed_lines(limited.stdout)[doc.name]
    assert "too large" in reason and "limit 1000" in reason
    assert _export(db) == []
    allowed = _cli(
        "ingest", str(doc), "--db", db, "--max-bytes", str(10**7),
        env={"CALENDAR_SVC_MAX_DOCUMENT_BYTES": "1000"},
    )
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert _export(db)


def test_default_limit_is_20_mb(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: the size check must refuse it before reading it
        handle.truncate(20 * 1024 * 1024 + 1)
    result = _cli("ingest", str(huge), "--db", db)
    assert result.returncode == 1
    assert "limit 20971520" in _failed_lines(result.stdout)["huge.txt"]


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_bad_size_limit_is_a_usage_error(tmp_path, value):
    result = _cli("ingest", str(_sample("004")), "--db", f"sqlite:///{tmp_path / 's.db'}", "--max-bytes", value)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "--max-bytes" in result.stderr


# -- decoded, not refused ---------------------------------------------------------------------------


ENCODINGS = {
    "utf-8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-16-le-bom": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "cp1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("prefix", ["000", "004"])
def test_encodings_parse_like_utf8(prefix, encoding):
    text = _cp1252_text(prefix)
    reference = [e.title for e in parse_document("doc.txt", text.encode("utf-8"), today=TODAY).events]
    decoded = [e.title for e in parse_document("doc.txt", ENCODINGS[encoding](text), today=TODAY).events]
    assert decoded == reference


def test_latin1_is_decoded():
    text = "Réunion du Comité Mixte à Rabat, 12 – 13 octobre 2021\n".replace("–", "-")
    assert decode(text.encode("latin-1") * 20) == text * 20


@pytest.mark.parametrize("char", ["à", "°", "’", "é", "“", "”", "–", "ü"])
def test_cp1252_characters_survive_decoding(char):
    # charset-normalizer alone guesses cp850/cp1250 for such text, which garbles à and °
    text = (_cp1252_text("004")[:2000] + f" {char} ") * 2
    assert decode(text.encode("cp1252")) == text


def test_cp1252_copies_store_accented_titles(tmp_path):
    folder = tmp_path / "legacy"
    folder.mkdir()
    (folder / "state-of-play-cp1252.txt").write_bytes(_cp1252_text("000").encode("cp1252"))
    (folder / "tables-cp1252.txt").write_bytes(_cp1252_text("001").encode("cp1252"))
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = _cli("ingest", str(folder), "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    titles = [e["title"] for e in _export(db)]
    assert any("Borrell’s mission to Tunis" in t for t in titles)
    assert any("Comité Mixte" in t for t in titles)
    mojibake = ("â€", "Ã©", "\ufffd", "Ă©", "┬")
    assert not [t for t in titles if any(m in t for m in mojibake)]


def test_decode_refuses_binary_with_the_declared_error():
    for data in (b"\x00" * 100, bytes(range(256)), b"\xff\xfe\x00", b"", b"\n\n"):
        with pytest.raises(DocumentError):
            decode(data, "x.bin")
