"""The HTML reader, `fragment_blocks` for HTML inside cells, and format detection from content."""

from __future__ import annotations

from pathlib import Path

import pytest
from formats_render import Style, html_document, sections

from parsers.blocks import Heading, ListItem, Origin, Paragraph, Table
from parsers.errors import DocumentError
from parsers.formats import read_document, sniff
from parsers.formats.html import fragment_blocks
from parsers.text import squeeze

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_samples_and_plain_text_sniff_as_text():
    for sample in sorted(SAMPLES.glob("*.txt")):
        assert sniff(sample.read_bytes()) == "text", sample.name
    assert sniff(b"| a | b |\n|---|---|\n") == "text"
    assert sniff(b"Action\tLead actor(s)\n<b>1.</b>\t<ul><li>x</li></ul>") == "text"


@pytest.mark.parametrize(
    "head",
    [b"<!DOCTYPE html><html>", b"\xef\xbb\xbf  <html lang='en'>", b"<!-- saved --><div>", b"<table><tr>",
     b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", "<p>Réunion</p>".encode("utf-16")],
)  # fmt: skip
def test_html_sniffed_from_structure(head):
    assert sniff(head + b"<p>x</p>") == "html" or sniff(head) == "html"


def test_magic_bytes_win_over_names_and_extensions():
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"PK\x03\x04 not a zip") == "text"


def test_sample_page_reads_headings_tables_and_skips_boilerplate():
    content = sections(20)
    document = read_document("state.html", html_document(content, Style()).encode())
    assert document.format == "html"
    text = document.text()
    assert "Search the register" not in text and "not text" not in text and "cookies" not in text
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    assert [h.level for h in headings[:3]] == [1, 2, 3]
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == len(content)
    for table, (_name, rows) in zip(tables, content, strict=True):
        assert table.rows[0].header and [c.text for c in table.rows[0].cells] == ["Date", "Event", "Comments"]
        assert [tuple(c.text for c in r.cells) for r in table.rows[1:]] == [
            tuple(map(squeeze, r)) for r in rows
        ]


def test_spans_lists_and_origins():
    page = """<html><body>
<h2>Actions</h2>
<ul><li>First<ul><li>nested in <b>bold</b></li></ul></li><li>Second<br>on two lines</li></ul>
<table>
<thead><tr><th colspan="2">Action</th><th>Status</th></tr></thead>
<tbody><tr><td rowspan="2">A</td><td>b</td><td><p>one</p><p>two</p></td></tr>
<tr><td>c</td><td>d</td></tr></tbody>
</table>
<template><p>never shown</p></template><aside>aside</aside>
</body></html>"""
    blocks = read_document("spans.html", page).blocks
    assert isinstance(blocks[0], Heading) and blocks[0].level == 2 and blocks[0].origin.line == 2
    items = [(b.text, b.level) for b in blocks if isinstance(b, ListItem)]
    assert items == [("First", 1), ("nested in bold", 2), ("Second on two lines", 1)]
    second = next(b for b in blocks if isinstance(b, ListItem) and b.text.startswith("Second"))
    assert [line.text for line in second.lines] == ["Second", "on two lines"]
    table = next(b for b in blocks if isinstance(b, Table))
    assert [(c.text, c.rowspan, c.colspan) for c in table.rows[0].cells] == [
        ("Action", 1, 2),
        ("Status", 1, 1),
    ]
    assert table.rows[1].cells[0].rowspan == 2
    assert [b.text for b in table.rows[1].cells[2].blocks] == ["one", "two"]
    assert table.rows[2].origin.line == 7
    assert "never shown" not in "".join(b.text for b in blocks if not isinstance(b, Table))


def test_fragment_blocks_read_the_004_cells_as_items():
    sample = next(SAMPLES.glob("004_*.txt")).read_text(encoding="utf-8")
    row = next(line for line in sample.splitlines() if "<ul" in line and "EASTEAMS" in line)
    way_ahead = row.split("\t")[3]
    blocks = fragment_blocks(way_ahead, Origin(40))
    assert all(isinstance(b, ListItem) and b.level == 1 and b.origin == Origin(40) for b in blocks)
    assert len(blocks) == way_ahead.count("<li>")
    assert blocks[0].text.startswith("- Support the implementation of programmes")
    bold = fragment_blocks("<p><b>1. Strengthen</b> engagement</p><i>Note</i>", Origin(3, 2))
    assert [(type(b), b.text, b.origin) for b in bold] == [
        (Paragraph, "1. Strengthen engagement", Origin(3, 2)),
        (Paragraph, "Note", Origin(3, 2)),
    ]
    assert fragment_blocks("", Origin(1)) == [] and fragment_blocks("  ", Origin(1)) == []


@pytest.mark.parametrize("page", ["<html><body></body></html>", "<html><script>x()</script></html>"])
def test_html_without_text_is_refused(page):
    with pytest.raises(DocumentError, match="no text"):
        read_document("blank.html", page)


def test_deep_nesting_is_refused_or_read_not_crashed():
    page = "<html><body>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "</body></html>"
    try:
        document = read_document("deep.html", page)
    except DocumentError as exc:
        assert "\n" not in exc.reason
    else:
        assert "deep" in document.text()


def test_dumps_that_open_with_markup_stay_text():
    assert sniff(b"<b>Action file</b>\nAction\tLead actor(s)\tStatus\n") == "text"
    row = b"<p>1. Strengthen</p>\tCommission\tOngoing\t<ul><li>x</li></ul>\t<p>y</p>\n"
    assert sniff(row * 4) == "text"
    assert sniff(b"<p>One paragraph.</p>\n<p>Another.</p>") == "html"
