"""The DOCX reader on files written by python-docx; zip bombs and broken archives refused before parsing."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from formats_render import Style, docx_document, sections

from parsers.blocks import Heading, ListItem, Paragraph, Table
from parsers.errors import DocumentError
from parsers.formats import read_document, sniff
from parsers.formats.docx import MAX_MEMBERS
from parsers.text import squeeze


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_sample_rendering_gives_headings_paragraphs_and_tables_in_body_order():
    content = sections(30)
    data = docx_document(content, Style(borders=False))
    assert sniff(data) == "docx"
    document = read_document("note.docx", data)
    assert document.format == "docx"
    kinds = [type(b).__name__ for b in document.blocks]
    # title, then per section: heading, sentence, "Recent and upcoming events", table
    assert kinds == ["Heading"] + ["Heading", "Paragraph", "Heading", "Table"] * len(content)
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    assert [h.level for h in headings[:3]] == [1, 2, 3]
    tables = [b for b in document.blocks if isinstance(b, Table)]
    for table, (_name, rows) in zip(tables, content, strict=True):
        assert [c.text for c in table.rows[0].cells] == ["Date", "Event", "Comments"]
        assert table.rows[0].header
        assert [tuple(c.text for c in r.cells) for r in table.rows[1:]] == [
            tuple(map(squeeze, r)) for r in rows
        ]
    lines = [b.origin.line for b in document.blocks]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


def test_merged_cells_give_spans_and_lists_give_levels():
    document = docx.Document()
    document.add_paragraph("Next steps", style="Title")
    document.add_paragraph("Meeting in Praia on 12 May 2021", style="List Bullet")
    document.add_paragraph("Preparatory call in April 2021", style="List Bullet 2")
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 1))  # gridSpan
    table.cell(1, 2).merge(table.cell(2, 2))  # vMerge
    document.add_paragraph("After the table.")
    blocks = read_document("merged.docx", _save(document)).blocks
    assert isinstance(blocks[0], Heading) and blocks[0].text == "Next steps"
    items = [b for b in blocks if isinstance(b, ListItem)]
    assert [(i.text, i.level) for i in items] == [
        ("Meeting in Praia on 12 May 2021", 1),
        ("Preparatory call in April 2021", 2),
    ]
    grid = next(b for b in blocks if isinstance(b, Table))
    spans = [[(c.text.split("\n")[0], c.rowspan, c.colspan) for c in row.cells] for row in grid.rows]
    assert spans == [
        [("r0c0", 1, 2), ("r0c2", 1, 1)],
        [("r1c0", 1, 1), ("r1c1", 1, 1), ("r1c2", 2, 1)],
        [("r2c0", 1, 1), ("r2c1", 1, 1)],
    ]
    assert isinstance(blocks[-1], Paragraph) and blocks[-1].text == "After the table."


def test_numbered_paragraphs_are_list_items():
    document = docx.Document()
    document.add_paragraph("First step in June 2021", style="List Number")
    document.add_paragraph("Second step in July 2021", style="List Number")
    items = read_document("numbered.docx", _save(document)).blocks
    assert [type(b) for b in items] == [ListItem, ListItem]


def _bomb(member_size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(member_size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_inflating():
    data = _bomb(80 * 1024 * 1024)
    assert len(data) < 1024 * 1024 and sniff(data) == "docx"
    with pytest.raises(DocumentError, match="zip bomb"):
        read_document("bomb.docx", data)


def test_archive_with_too_many_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(MAX_MEMBERS + 1):
            archive.writestr(f"word/media/{index}.bin", b"")
    with pytest.raises(DocumentError, match="archive members"):
        read_document("many.docx", buffer.getvalue())


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_truncated_docx_is_refused(cut):
    data = docx_document(sections(5), Style())
    with pytest.raises(DocumentError, match="DOCX"):
        read_document("cut.docx", data[: int(len(data) * cut)])


def test_docx_of_a_zip_version_python_cannot_read_is_refused():
    """A central directory asking for a newer zip version than Python reads (zipfile raises
    NotImplementedError, found by the atheris run) is refused like any unreadable archive."""
    data = bytearray(docx_document(sections(2), Style()))
    directory = data.find(b"PK\x01\x02")
    data[directory + 6 : directory + 8] = (116).to_bytes(2, "little")  # "version needed to extract": 11.6
    with pytest.raises(DocumentError, match="DOCX"):
        read_document("future.docx", bytes(data))


def test_docx_without_its_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not-word/>")
    with pytest.raises(DocumentError, match="corrupt DOCX"):
        read_document("parts.docx", buffer.getvalue())


def test_empty_docx_is_refused():
    with pytest.raises(DocumentError, match="no text"):
        read_document("empty.docx", _save(docx.Document()))


def test_other_office_files_are_named_in_the_refusal():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(DocumentError, match="not a DOCX"):
        read_document("note.odt", buffer.getvalue())
    with pytest.raises(DocumentError, match="legacy Office file"):
        read_document("note.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))


def test_content_controls_are_read_in_place():
    """Text inside content controls (w:sdt, common in Council templates) is read where it stands."""
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("Before the control.")
    inside = document.add_paragraph("Meeting in Rabat on 3 May 2021.")
    document.add_paragraph("After the control.")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inside._p.addprevious(sdt)
    sdt.append(content)
    content.append(inside._p)
    texts = [b.text for b in read_document("sdt.docx", _save(document)).blocks]
    assert texts == ["Before the control.", "Meeting in Rabat on 3 May 2021.", "After the control."]
