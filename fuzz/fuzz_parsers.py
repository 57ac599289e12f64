#!/usr/bin/env python3
"""Coverage-guided fuzz target for the parsers (atheris / libFuzzer).

The contract under test (parsers/errors.py): `parse_document` raises nothing but `DocumentError`, on any
bytes or text; the date functions (`parse_date`, `find_dates`, `leading_date`) raise nothing at all and
return well-formed results (start <= end, spans inside the text). The public date functions guard
themselves with a catch-all that turns an internal crash into "no date" - which hides lost dates - so
the target also calls the unguarded internals (`_parse_date`, `_scan`) and treats their exceptions as
crashes too.

The first input byte picks what is fuzzed; the rest is the document or the date text:

    0: parse_document(bytes)        (decoding: BOMs, UTF-16, cp1252, binary refusal; then layouts)
    1: parse_document(str)          (layouts on UTF-8 text)
    2: date functions on one line   (with a reference date and year hint from the input)
    3: parsers.formats.read_document(bytes), then parse_document (PDF, DOCX and HTML readers; seeds are
       small real files: a PDF written with pypdfium2, a minimal DOCX package, an HTML page)

Run (short, as CI does - tests/test_fuzz_parsers.py):

    python fuzz/fuzz_parsers.py -runs=20000 -max_total_time=20 -max_len=4096 fuzz/corpus-run/ fuzz/seeds/

Longer runs and how to replay a crash: docs/security.md. `--make-seeds DIR` writes a seed corpus
(lines and excerpts of the sample documents, in each mode) and exits.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["parsers"]):
    import parsers
    import parsers.layouts  # noqa: F401  (parse_document imports it on first call; instrument it here)
    from parsers import DocumentError, parse_document
    from parsers import dates as _dates
    from parsers.formats import docx as _docx  # noqa: F401  (read_document imports the readers lazily)
    from parsers.formats import html as _html  # noqa: F401
    from parsers.formats import pdf as _pdf  # noqa: F401
    from parsers.formats import read_document

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2021, 9, 15)


def _check_date(parsed, text: str) -> None:
    if parsed.start is not None and parsed.end is not None and parsed.start > parsed.end:
        raise AssertionError(f"start {parsed.start} after end {parsed.end} for {text!r}")


def check_dates(text: str, today: dt.date, year_hint: int | None) -> None:
    """The date functions on one text: no exception, sane results."""
    _check_date(_dates.parse_date(text, today, year_hint), text)
    for match in _dates.find_dates(text, today, year_hint):
        if not 0 <= match.start <= match.end <= len(text):
            raise AssertionError(f"span {match.start}:{match.end} outside {len(text)} chars")
        _check_date(match.parsed, text)
    lead = _dates.leading_date(text, today, year_hint)
    if lead is not None:
        _check_date(lead.parsed, text)
    # the unguarded internals: an exception here is a date silently lost by the public functions
    if hasattr(_dates, "_parse_date"):
        _dates._parse_date(text, today, year_hint)
    if hasattr(_dates, "_scan") and hasattr(_dates, "_norm"):
        _dates._scan(_dates._norm(text), today, year_hint)


def check_document(content: bytes | str) -> None:
    try:
        parsed = parse_document("fuzz.txt", content, today=TODAY)
    except DocumentError as exc:
        if "\n" in exc.reason:
            raise AssertionError(f"multi-line reason {exc.reason!r}") from None
        return
    for event in parsed.events:
        _check_date(event.date, event.title)
        if not event.title or "\n" in event.title:
            raise AssertionError(f"bad title {event.title!r}")


def check_formats(data: bytes) -> None:
    """The format readers on any bytes: a document or a one-line `DocumentError`."""
    try:
        document = read_document("fuzz.bin", data)
    except DocumentError as exc:
        if "\n" in exc.reason:
            raise AssertionError(f"multi-line reason {exc.reason!r}") from None
        return
    for line in document.lines():
        if not isinstance(line.text, str):
            raise AssertionError(f"bad line {line!r}")
    check_document(data)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0] % 4, data[1:]
    if mode == 3:
        check_formats(body)
    elif mode == 0:
        check_document(body)
    elif mode == 1:
        check_document(body.decode("utf-8", errors="replace"))
    else:
        # two bytes of reference date and one of year hint, then the text
        head, text = body[:3], body[3:].decode("utf-8", errors="replace")
        head = head.ljust(3, b"\0")
        today = dt.date(1990 + head[0] % 60, 1 + head[1] % 12, 1 + head[1] % 28)
        year_hint = None if head[2] < 128 else 1950 + head[2] % 100
        check_dates(text, today, year_hint)


def _pdf_seed(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer, written with pypdfium2 (a few hundred bytes per line)."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    for index, line in enumerate(lines):
        text = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 11.0)
        wide = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(text, ctypes.cast(wide, ctypes.POINTER(ctypes.c_ushort)))
        pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, 60, 780 - 16 * index)
        pdfium_c.FPDFPage_InsertObject(page.raw, text)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_DOCX_PARTS = {
    "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>",
    "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{_PACKAGE}/relationships">'
    '<Relationship Id="rId1"'
    ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="word/document.xml"/></Relationships>',
}


def _docx_seed(lines: list[str]) -> bytes:
    """A minimal DOCX package: paragraphs and a two-column table with a merged cell."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    paragraphs = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in lines)
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    cells = "".join(cell.format(escape(line[:40])) for line in lines[:2])
    merged = '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc>'
    body = f"<w:tbl><w:tr>{cells}</w:tr><w:tr>{merged}</w:tr></w:tbl>"
    document = f'<?xml version="1.0"?><w:document {_W}><w:body>{paragraphs}{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**_DOCX_PARTS, "word/document.xml": document}.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _html_seed(lines: list[str]) -> bytes:
    from html import escape

    row = "<tr><td rowspan='1'>{}</td><td>{}</td></tr>"
    rows = "".join(row.format(escape(line[:20]), escape(line)) for line in lines)
    return (
        "<!doctype html><html><head><script>x()</script></head><body><h1>Events</h1>"
        f"<ul><li>{escape(lines[0])}<ul><li>nested</li></ul></li></ul><table>{rows}</table></body></html>"
    ).encode()


def make_seeds(folder: Path) -> int:
    """Seed corpus from the sample documents: date lines in mode 2, excerpts in modes 0 and 1, small PDF,
    DOCX and HTML files of sample lines in mode 3."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        text = sample.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line.strip()]
        for index, line in enumerate(lines[::7][:60]):
            (folder / f"{sample.stem[:3]}-line{index:03d}").write_bytes(b"\x02\x1f\x05\x00" + line.encode())
            count += 1
        for index, start in enumerate(range(0, len(lines), max(1, len(lines) // 6))):
            excerpt = "\n".join(lines[start : start + 40]).encode()
            (folder / f"{sample.stem[:3]}-doc{index:02d}").write_bytes(b"\x01" + excerpt)
            (folder / f"{sample.stem[:3]}-cp1252-{index:02d}").write_bytes(
                b"\x00" + excerpt.decode().encode("cp1252", errors="replace")
            )
            count += 2
        head = lines[:6]
        for kind, make in (("pdf", _pdf_seed), ("docx", _docx_seed), ("html", _html_seed)):
            (folder / f"{sample.stem[:3]}-{kind}").write_bytes(b"\x03" + make(head))
            count += 1
    return count


def main(argv: list[str]) -> None:
    if len(argv) > 2 and argv[1] == "--make-seeds":
        print(f"{make_seeds(Path(argv[2]))} seeds in {argv[2]}")
        return
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    assert parsers  # instrumented above
    main(sys.argv)
