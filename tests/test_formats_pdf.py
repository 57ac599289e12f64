"""The PDF reader on real PDFs made by Chromium (print-to-PDF of HTML) and LibreOffice (DOCX to PDF).

The files are rendered in the tests from sample 000's events (tests/formats_render.py) in several
typographies; the assertions compare the blocks read back with what was put in: the table cells, one
table per section however many pages it runs over, headings and their levels, furniture gone, reading
order, page numbers in the origins.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib

import docx
import docx.oxml
import docx.oxml.ns
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from formats_render import (
    FOOTER_NUMBER,
    HEADER_MARK,
    Style,
    chromium_pdf,
    docx_document,
    generators_available,
    html_document,
    sections,
    soffice_pdf,
)

from parsers.blocks import Document, Heading, ListItem, Paragraph, Table
from parsers.errors import DocumentError
from parsers.formats import pdfparts, read_document, sniff
from parsers.formats.pdf import OCR_HINT, _join_pages
from parsers.formats.pdfpage import Word
from parsers.formats.pdfparts import TextRegion
from parsers.text import squeeze

pytestmark = pytest.mark.skipif(generators_available() is not None, reason=str(generators_available()))

TYPOGRAPHIES = {
    "chromium-bordered-A4-wide": ("chromium", Style(borders=True, page="A4", widths=(18, 37, 45))),
    "chromium-borderless-Letter-narrow": (
        "chromium",
        Style(borders=False, page="Letter", widths=(14, 26, 60), font_pt=10),
    ),
    "chromium-row-rules-A4": ("chromium", Style(borders=False, row_rules=True, widths=(20, 35, 45))),
    "libreoffice-bordered-Letter": ("libreoffice", Style(borders=True, page="Letter", widths=(20, 40, 40))),
    "libreoffice-borderless-A4": (
        "libreoffice",
        Style(borders=False, page="A4", widths=(16, 34, 50), font_pt=10.5),
    ),
}
ROWS = 50


def _render(generator: str, style: Style, folder) -> bytes:
    content = sections(ROWS)
    if generator == "chromium":
        return chromium_pdf(html_document(content, style), folder)
    return soffice_pdf(docx_document(content, style), ".docx", folder)


@pytest.fixture(scope="module", params=sorted(TYPOGRAPHIES))
def rendered(request, tmp_path_factory) -> tuple[Document, bytes]:
    generator, style = TYPOGRAPHIES[request.param]
    data = _render(generator, style, tmp_path_factory.mktemp(request.param))
    return read_document("note.pdf", data), data


def _same(text: str) -> str:
    """Text as a PDF can give it back: spaces squeezed; a line broken after a hyphen ("Europol- Morocco"
    wrapped after "Europol-") cannot tell whether a space followed it."""
    return re.sub(r"-\s+", "-", squeeze(text))


def _all_text(document: Document) -> list[str]:
    return [line.text for line in document.lines()]


def test_sniffed_as_pdf(rendered):
    assert sniff(rendered[1]) == "pdf"
    assert rendered[0].format == "pdf"


def test_tables_hold_the_cells_put_in_one_table_per_section(rendered):
    document, _ = rendered
    tables = [b for b in document.blocks if isinstance(b, Table)]
    content = sections(ROWS)
    assert len(tables) == len(content), "a section's table broken over pages must come back as one table"
    for table, (name, rows) in zip(tables, content, strict=True):
        read = [tuple(_same(c.text) for c in row.cells) for row in table.rows]
        assert read[0] == ("Date", "Event", "Comments"), name
        assert read[1:] == [tuple(_same(c) for c in row) for row in rows], name


def test_headings_have_levels(rendered):
    document, _ = rendered
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    by_text = {h.text: h.level for h in headings}
    title = next(h for h in headings if h.text.startswith("Update on state of play"))
    assert title.text.endswith("migration policy"), "a wrapped heading is one heading"
    for name, _rows in sections(ROWS):
        assert by_text[name] > title.level
    events = [h.level for h in headings if h.text == "Recent and upcoming events"]
    assert len(events) == len(sections(ROWS))
    assert min(events) > by_text[sections(ROWS)[0][0]]


def test_furniture_is_gone(rendered):
    document, _ = rendered
    for text in _all_text(document):
        assert FOOTER_NUMBER not in text and HEADER_MARK not in text, text
    for block in document.blocks:
        if not isinstance(block, Table):
            assert not re.fullmatch(r"\d{1,3}", block.text.strip()), f"page number left: {block.text!r}"


def test_origins_give_page_and_line_in_reading_order(rendered, request):
    document, data = rendered
    pages = int(re.findall(rb"/Count (\d+)", data)[-1]) if b"/Count" in data else None
    seen = []
    for block in document.blocks:
        assert block.origin.page is not None and block.origin.page >= 1 and block.origin.line >= 1
        seen.append((block.origin.page, block.origin.line))
    assert seen == sorted(seen), "blocks come in page order, and in line order within a page"
    last_page = max(page for page, _ in seen)
    assert last_page >= 4 and (pages is None or last_page <= pages)
    for line in document.lines():
        assert line.origin.page is not None and line.origin.line >= 1
    # rows continued on a new page keep the page of their first line
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert any(len({row.origin.page for row in table.rows}) > 1 for table in tables)


def test_paragraph_text_is_whole(rendered):
    document, _ = rendered
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    for name, _rows in sections(ROWS):
        assert f"The dialogue with {name} continued over the period covered." in paragraphs


# -- two columns, lists ------------------------------------------------------------------------------

COLUMN_TEXT = [
    f"Paragraph {n}. "
    + " ".join(["The Working Party discussed the state of play of the dialogue."] * (1 + n % 4))
    for n in range(1, 15)
]


def _two_columns(generator: str, folder) -> bytes:
    if generator == "chromium":
        body = "".join(f"<p>{text}</p>" for text in COLUMN_TEXT)
        page = (
            "<!doctype html><html><head><style>@page { size: A4; margin: 20mm }"
            " body { font: 10.5pt 'DejaVu Serif', serif } .cols { column-count: 2; column-gap: 12mm }"
            " p { margin: 0 0 8pt 0; text-align: justify }</style></head><body>"
            f"<h1>Two columns</h1><div class='cols'>{body}</div></body></html>"
        )
        return chromium_pdf(page, folder)
    document = docx.Document()
    document.add_heading("Two columns", 1)
    columns = docx.oxml.OxmlElement("w:cols")
    columns.set(docx.oxml.ns.qn("w:num"), "2")
    columns.set(docx.oxml.ns.qn("w:space"), "567")
    document.add_section(WD_SECTION.CONTINUOUS)._sectPr.append(columns)
    for text in COLUMN_TEXT:
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    buffer = io.BytesIO()
    document.save(buffer)
    return soffice_pdf(buffer.getvalue(), ".docx", folder)


@pytest.mark.parametrize("generator", ["chromium", "libreoffice"])
def test_two_column_page_is_read_column_by_column(tmp_path, generator):
    document = read_document("columns.pdf", _two_columns(generator, tmp_path))
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs == COLUMN_TEXT
    assert isinstance(document.blocks[0], Heading) and document.blocks[0].text == "Two columns"


def test_lists_become_list_items_with_levels(tmp_path):
    page = (
        "<!doctype html><html><head><style>body { font: 11pt 'DejaVu Serif', serif }</style></head><body>"
        "<p>Next steps:</p><ul><li>Joint Committee meeting in Praia on 12 May 2021.</li>"
        "<li>Technical talks on readmission, with a second round to be held in June 2021 in Brussels"
        " if the partners agree on the agenda beforehand.<ul><li>Working level in April 2021.</li></ul></li></ul>"
        "</body></html>"
    )
    document = read_document("list.pdf", chromium_pdf(page, tmp_path))
    items = [b for b in document.blocks if isinstance(b, ListItem)]
    assert [i.text for i in items] == [
        "Joint Committee meeting in Praia on 12 May 2021.",
        "Technical talks on readmission, with a second round to be held in June 2021 in Brussels if the"
        " partners agree on the agenda beforehand.",
        "Working level in April 2021.",
    ]
    assert [i.level for i in items] == [1, 1, 2]


def test_short_paragraphs_stay_apart_from_a_numbered_heading(tmp_path):
    """A text of one-line paragraphs: more gaps between paragraphs than inside them. A numbered heading
    line stays a block of its own, and so does each paragraph; a wrapped paragraph stays whole."""
    paragraphs = [f"Paragraph {n} of the note reports progress." for n in range(12)]
    long = " ".join(["The new legal framework will only be as effective as its implementation."] * 6)
    page = (
        "<!doctype html><html><head><style>body { font: 11pt 'DejaVu Serif', serif; width: 150mm }"
        "</style></head><body>"
        + "".join(f"<p>{text}</p>" for text in paragraphs[:6])
        + "<p>2. Making the Pact a reality</p>"
        + f"<p>{long}</p>"
        + "".join(f"<p>{text}</p>" for text in paragraphs[6:])
        + f"<p>{long}</p></body></html>"
    )
    document = read_document("short.pdf", chromium_pdf(page, tmp_path))
    texts = [squeeze(b.text) for b in document.blocks]
    assert "2. Making the Pact a reality" in texts
    assert texts.count(long) == 2
    assert [t for t in texts if t.startswith("Paragraph")] == paragraphs


# -- bad files ------------------------------------------------------------------------------------


def _png(width: int = 320, height: int = 120) -> bytes:
    """A grey-level PNG of stripes (a "scan" without any text layer)."""
    raw = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(width)) for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_scanned_pdf_asks_for_ocr(tmp_path):
    image = base64.b64encode(_png()).decode()
    page = f"<!doctype html><html><body><img src='data:image/png;base64,{image}' width='600'></body></html>"
    with pytest.raises(DocumentError) as caught:
        read_document("scan.pdf", chromium_pdf(page, tmp_path))
    assert caught.value.reason == OCR_HINT and "ocrmypdf" in caught.value.reason


def test_encrypted_pdf_is_refused(tmp_path):
    source = tmp_path / "secret.txt"
    source.write_text("Secret meeting on 5 March 2021.\n", encoding="utf-8")
    export = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    data = soffice_pdf(source.read_bytes(), ".txt", tmp_path, export=export)
    with pytest.raises(DocumentError, match="encrypted PDF"):
        read_document("secret.pdf", data)


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("small")
    return soffice_pdf(docx_document(sections(8), Style()), ".docx", folder)


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.9, 0.99])
def test_truncated_pdf_is_refused(small_pdf, cut):
    with pytest.raises(DocumentError, match="corrupt or truncated PDF"):
        read_document("cut.pdf", small_pdf[: int(len(small_pdf) * cut)])


def test_garbage_after_pdf_header_is_refused():
    with pytest.raises(DocumentError, match="corrupt or truncated PDF"):
        read_document("junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40)


def test_huge_page_is_refused(tmp_path):
    text = " ".join(f"word{n}" for n in range(30_000))  # ~ 200k characters on one page
    page = (
        "<!doctype html><html><head><style>@page { size: 500mm 500mm; margin: 2mm }"
        " body { font: 2pt sans-serif; margin: 0 }</style></head>"
        f"<body><p>{text}</p></body></html>"
    )
    data = chromium_pdf(page, tmp_path)
    with pytest.raises(DocumentError, match=r"page 1 has \d+ (characters|objects)"):
        read_document("huge.pdf", data)


def test_fifty_pages_of_tables_are_read_whole(tmp_path):
    """~50 pages of bordered tables (speed: bench/pdf.py prints it next to pdftotext): every page read."""
    content = sections(400)
    document = read_document("long.pdf", chromium_pdf(html_document(content, Style()), tmp_path))
    pages = {line.origin.page for line in document.lines()}
    assert len(pages) >= 40 and pages == set(range(1, max(pages) + 1))


def _row(page: int, top: float, *texts: str, size: float = 10.0) -> list[pdfparts.Cell]:
    cells = []
    for column, text in enumerate(texts):
        words = (
            [Word(text, 60 + 150 * column, 100 + 150 * column, top, top + size * 1.2, size, False)]
            if text
            else []
        )
        cells.append(pdfparts.Cell([pdfparts.Line(words, page, 1)] if words else [], column=column))
    return cells


def test_table_continues_after_footnotes_under_it():
    """A table broken by the page break joins its continuation even with footnotes set under it."""
    first = pdfparts.Table(
        [_row(1, 600, "10 May 2021", "Joint Committee", "Talks on")], [60, 210, 360], 600, 700, True, 1
    )
    footnote = TextRegion([pdfparts.Line([Word("1 See the annex.", 60, 200, 760, 768, 7.0, False)], 1, 2)])
    following = pdfparts.Table([_row(2, 80, "", "", "readmission went on."), _row(2, 120, "2 June 2021", "Visit", "")],
                                [60, 210, 360], 80, 160, True, 2)  # fmt: skip
    items = _join_pages([[first, footnote], [following]], 10.0)
    assert items == [first, footnote]
    assert [[" ".join(line.text for line in c.lines) for c in row] for row in first.rows] == [
        ["10 May 2021", "Joint Committee", "Talks on readmission went on."],
        ["2 June 2021", "Visit", ""],
    ]
    body = TextRegion([pdfparts.Line([Word("A closing paragraph.", 60, 200, 720, 732, 10.0, False)], 1, 2)])
    fresh = pdfparts.Table([_row(2, 80, "3 July 2021", "Meeting", "")], [60, 210, 360], 80, 100, True, 2)
    assert _join_pages([[first, body], [fresh]], 10.0) == [first, body, fresh], "body text ends the table"


LONG_COMMENT = " ".join(
    f"Point {n}: the Joint Committee reviewed the readmission cases of the quarter and agreed on next steps."
    for n in range(1, 41)
)


@pytest.mark.parametrize("generator", ["chromium", "libreoffice"])
@pytest.mark.parametrize("borders", [True, False], ids=["bordered", "borderless"])
def test_row_broken_by_a_page_break_is_one_row(tmp_path, generator, borders):
    """A row too tall for the page goes on at the top of the next one: read back as one row."""
    rows = [
        ("10 March 2021", f"Meeting {n} of the Joint Committee", "Held in Brussels.") for n in range(1, 12)
    ]
    rows[8] = ("18 March 2021", "Joint Committee on readmission", LONG_COMMENT)
    content = [("Cabo Verde", rows)]
    style = Style(borders=borders, furniture=False)
    if generator == "chromium":
        data = chromium_pdf(html_document(content, style), tmp_path)
    else:
        data = soffice_pdf(docx_document(content, style), ".docx", tmp_path)
    table = next(b for b in read_document("broken.pdf", data).blocks if isinstance(b, Table))
    read = [tuple(_same(c.text) for c in row.cells) for row in table.rows]
    assert read[1:] == [tuple(_same(c) for c in row) for row in rows]
    broken = table.rows[9]
    pages = {line.origin.page for block in broken.cells[2].blocks for line in block.lines}
    assert len(pages) >= 2 and broken.origin.page == min(pages)


def test_a_scanned_page_among_text_pages_is_a_warning(tmp_path):
    image = base64.b64encode(_png()).decode()
    page = (
        "<!doctype html><html><body><p>The Joint Committee met in Praia on 12 May 2021.</p>"
        f"<div style='break-before: page'><img src='data:image/png;base64,{image}' width='600'></div></body></html>"
    )
    document = read_document("mixed.pdf", chromium_pdf(page, tmp_path))
    assert [b.text for b in document.blocks] == ["The Joint Committee met in Praia on 12 May 2021."]
    assert document.warnings == [f"page 2: {OCR_HINT}"]
