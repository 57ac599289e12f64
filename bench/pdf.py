"""PDF reading speed on a ~50-page Council-style note, next to `pdftotext -layout` on the same file.

Run: python bench/pdf.py [--repeat N] [--rows N] [--keep FILE.pdf]

Builds the PDF with LibreOffice (a DOCX of sample 000's event tables: country headings, bordered
three-column tables broken across pages, a footer with the document number and "LIMITE EN"), then times
in one process, median of N runs: `pdftotext -layout` (poppler, the baseline: text only, no tables),
`parsers.formats.read_document` (blocks: tables as cells, furniture dropped, reading order) and
`parsers.parse_document` (blocks, layout and events). Target (issue 15): a 50-page PDF under 10 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from formats_render import Style, docx_document, sections, soffice_pdf  # noqa: E402

from parsers import parse_document  # noqa: E402
from parsers.formats import read_document  # noqa: E402


def _median(action, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=400, help="event rows of sample 000 to lay out")
    parser.add_argument("--keep", type=Path, help="also write the generated PDF here")
    args = parser.parse_args()
    if not shutil.which("pdftotext") or not shutil.which("soffice"):
        sys.exit("needs pdftotext (poppler-utils) and soffice (libreoffice-writer-nogui)")

    with tempfile.TemporaryDirectory() as folder:
        data = soffice_pdf(docx_document(sections(args.rows), Style()), ".docx", Path(folder))
        path = Path(folder) / "note.pdf"
        path.write_bytes(data)
        if args.keep:
            args.keep.write_bytes(data)
        baseline, _ = _median(
            lambda: subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True),
            args.repeat,
        )
        blocks_time, document = _median(lambda: read_document("note.pdf", data), args.repeat)
        parse_time, parsed = _median(lambda: parse_document("note.pdf", data), args.repeat)

    pages = max(block.origin.page or 0 for block in document.blocks)
    tables = sum(1 for block in document.blocks if block.kind == "table")
    print(f"PDF: {pages} pages, {len(data) / 1024:.0f} KiB, {args.rows} event rows (median of {args.repeat})")
    print(f"  pdftotext -layout (baseline, text only)   {baseline:7.2f} s")
    per_page = blocks_time / pages * 1000
    print(f"  read_document (blocks, {tables} tables)        {blocks_time:7.2f} s   {per_page:5.0f} ms/page")
    print(f"  parse_document ({len(parsed.events)} events, {parsed.layout}) {parse_time:7.2f} s")
    print(f"  target: 50 pages < 10 s -> {'met' if parse_time / pages * 50 < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
