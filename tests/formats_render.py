"""Real PDF, DOCX and HTML files for the format reader tests, made by independent generators.

Content comes from the sample documents (the text path's events of sample 000: date, title, comments,
grouped by country section), rendered as HTML (Chromium prints it to PDF) or as DOCX with python-docx
(LibreOffice converts it to PDF). Several typographies: bordered or borderless tables, narrow or wide
columns, A4 or Letter, one or two text columns, page furniture (Council document number, "LIMITE EN",
page numbers) on every page.
"""

from __future__ import annotations

import html
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from parsers import parse_document
from parsers.blocks import Document, Heading, ListItem, Paragraph, Table
from parsers.text import squeeze

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CHROMIUM = os.environ.get("CALENDAR_SVC_CHROMIUM", "/usr/bin/chromium")
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
FOOTER_NUMBER = "11389/21 PR/ik"
HEADER_MARK = "LIMITE EN"
PAGES = {
    "A4": (210, 297),
    "Letter": (215.9, 279.4),
    "A4-landscape": (297, 210),
    "Letter-landscape": (279.4, 215.9),
}


@dataclass(frozen=True)
class Style:
    """One typography."""

    borders: bool = True
    page: str = "A4"
    widths: tuple[int, int, int] = (18, 37, 45)  # per cent of the text width
    font_pt: float = 11
    furniture: bool = True
    row_rules: bool = False  # no cell borders: a frame around the table and a rule under each row


Row = tuple[str, str, str]


@lru_cache(maxsize=1)
def sample_sections() -> list[tuple[str, list[Row]]]:
    """(section, rows of date | event | comments) from the text path's reading of sample 000."""
    path = next(SAMPLES.glob("000_*.txt"))
    parsed = parse_document(path.name, path.read_bytes())
    sections: list[tuple[str, list[Row]]] = []
    for event in parsed.events:
        section = event.source.section or "General"
        row = (event.date.text, event.title, event.description[:240])
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        sections[-1][1].append(row)
    return sections


def sections(rows: int) -> list[tuple[str, list[Row]]]:
    """The first sections of sample 000 holding about `rows` rows in all."""
    out: list[tuple[str, list[Row]]] = []
    total = 0
    for name, section_rows in sample_sections():
        if total >= rows:
            break
        out.append((name, section_rows))
        total += len(section_rows)
    return out


# -- HTML ------------------------------------------------------------------------------------------


def html_document(content: list[tuple[str, list[Row]]], style: Style, *, intro: str = "") -> str:
    """An HTML rendering: a title, then per section a heading, a sentence and a three-column table."""
    width, height = PAGES[style.page]
    border = "1px solid #000" if style.borders else "none"
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>State of play</title><style>",
        f"@page {{ size: {width}mm {height}mm; margin: 22mm 18mm 24mm 18mm; }}",
        f"body {{ font-family: 'DejaVu Serif', serif; font-size: {style.font_pt}pt; }}",
        "h1 { font-size: 20pt; } h2 { font-size: 15pt; } h3 { font-size: 12.5pt; }",
        "table { border-collapse: collapse; width: 100%; }",
        f"td, th {{ border: {border}; vertical-align: top; padding: 4pt 6pt; text-align: left; }}",
        "tr { break-inside: auto; }",
        "table { border: 1px solid #000; } tr { border-bottom: 1px solid #000; }" if style.row_rules else "",
        "</style></head><body>",
        "<nav><a href='/'>Home</a> | <a href='/search'>Search the register</a></nav>",
        "<script>document.title = 'not text';</script>",
    ]
    if style.furniture:  # page margin boxes: on every page, with the page number
        parts[2] += (
            f"@page {{ @top-right {{ content: '{HEADER_MARK}'; font-size: 9pt; }}"
            f" @bottom-left {{ content: '{FOOTER_NUMBER} ' counter(page); font-size: 9pt; }}"
            " @bottom-right { content: counter(page); font-size: 9pt; } }"
        )
    parts.append("<h1>Update on state of play of external cooperation in the field of migration policy</h1>")
    if intro:
        parts.append(f"<p>{html.escape(intro)}</p>")
    for name, rows in content:
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(f"<p>The dialogue with {html.escape(name)} continued over the period covered.</p>")
        parts.append("<h3>Recent and upcoming events</h3>")
        parts.append(
            "<table><colgroup>" + "".join(f"<col style='width:{w}%'>" for w in style.widths) + "</colgroup>"
        )
        parts.append("<thead><tr><th>Date</th><th>Event</th><th>Comments</th></tr></thead><tbody>")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("<footer>Published by the register - cookies - legal notice</footer></body></html>")
    return "\n".join(parts)


def chromium_pdf(source_html: str, folder: Path, *, page_numbers: bool = False) -> bytes:
    """Chromium's print-to-PDF of an HTML page (its own header and footer carry page numbers)."""
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "page.html"
    page.write_text(source_html, encoding="utf-8")
    target = folder / "page.pdf"
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={target}", page.as_uri(),
    ]  # fmt: skip
    if not page_numbers:
        command.insert(4, "--no-pdf-header-footer")
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return target.read_bytes()


# -- DOCX ------------------------------------------------------------------------------------------


def _borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "6")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _page_field(paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def docx_document(content: list[tuple[str, list[Row]]], style: Style, *, intro: str = "") -> bytes:
    """A DOCX rendering with python-docx: heading styles, a repeated header row, footer with page number."""
    document = docx.Document()
    section = document.sections[0]
    width, height = PAGES[style.page]
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.left_margin = section.right_margin = Mm(20)
    document.styles["Normal"].font.size = Pt(style.font_pt)
    if style.furniture:
        section.header.paragraphs[0].text = HEADER_MARK
        footer = section.footer.paragraphs[0]
        footer.text = f"{FOOTER_NUMBER} "
        _page_field(footer)
    document.add_heading(
        "Update on state of play of external cooperation in the field of migration policy", 1
    )
    if intro:
        document.add_paragraph(intro)
    text_width = width - 40
    for name, rows in content:
        document.add_heading(name, 2)
        document.add_paragraph(f"The dialogue with {name} continued over the period covered.")
        document.add_heading("Recent and upcoming events", 3).paragraph_format.space_after = Pt(8)
        table = document.add_table(rows=1, cols=3)
        if style.borders:
            _borders(table)
        header = table.rows[0]
        header_pr = header._tr.get_or_add_trPr()
        header_pr.append(OxmlElement("w:tblHeader"))
        for cell, text in zip(header.cells, ("Date", "Event", "Comments"), strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        for column, share in zip(table.columns, style.widths, strict=True):
            for cell in column.cells:
                cell.width = Mm(text_width * share / 100)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def soffice_pdf(data: bytes, suffix: str, folder: Path, export: str = "pdf") -> bytes:
    """LibreOffice's headless conversion of a DOCX (or HTML) file to PDF, in a private profile."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"source{suffix}"
    source.write_bytes(data)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to", export,
         "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (folder / "source.pdf").read_bytes()


def generators_available() -> str | None:
    """Why the generator tests cannot run here, or None."""
    missing = [tool for tool in (CHROMIUM, SOFFICE) if not Path(tool).exists()]
    return (
        f"missing {', '.join(missing)} (apt-get install chromium libreoffice-writer-nogui)"
        if missing
        else None
    )


# -- any document of the model, rendered back -------------------------------------------------------


def _html_blocks(blocks) -> str:
    out: list[str] = []
    open_lists = 0
    for block in blocks:
        level = block.level if isinstance(block, ListItem) else 0
        while open_lists < level:
            out.append("<ul>")
            open_lists += 1
        while open_lists > level:
            out.append("</ul>")
            open_lists -= 1
        if isinstance(block, Heading):
            out.append(f"<h{min(block.level, 6)}>{html.escape(block.text)}</h{min(block.level, 6)}>")
        elif isinstance(block, ListItem):
            out.append(f"<li>{html.escape(block.text)}</li>")
        elif isinstance(block, Table):
            out.append("<table>")
            for row in block.rows:
                out.append("<tr>")
                for cell in row.cells:
                    spans = f" rowspan='{cell.rowspan}' colspan='{cell.colspan}'"
                    inner = _html_blocks(cell.blocks) if cell.blocks else html.escape(cell.text)
                    out.append(f"<td{spans}>{inner}</td>")
                out.append("</tr>")
            out.append("</table>")
        else:  # a paragraph keeps its physical lines
            lines = [line.text for line in block.lines] or [block.text]
            out.append("<p>" + "<br>".join(html.escape(squeeze(line)) for line in lines) + "</p>")
    out.extend("</ul>" for _ in range(open_lists))
    return "\n".join(out)


def model_html(document: Document, style: Style = Style()) -> str:
    """An HTML page of a document in the model: headings, paragraphs, lists, tables with spans."""
    width, height = PAGES[style.page]
    border = "1px solid #000" if style.borders else "none"
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        f"@page {{ size: {width}mm {height}mm; margin: 20mm 18mm; }}"
        f"body {{ font: {style.font_pt}pt 'DejaVu Serif', serif; }}"
        f"table {{ border-collapse: collapse; width: 100%; }} td {{ border: {border}; vertical-align: top;"
        " padding: 3pt 5pt; }</style></head><body>\n" + _html_blocks(document.blocks) + "\n</body></html>"
    )


def model_docx(document: Document, style: Style = Style()) -> bytes:
    """A DOCX of a document in the model (python-docx): heading and list styles, tables with merges."""
    out = docx.Document()
    section = out.sections[0]
    width, height = PAGES[style.page]
    section.page_width, section.page_height = Mm(width), Mm(height)
    out.styles["Normal"].font.size = Pt(style.font_pt)
    for block in document.blocks:
        if isinstance(block, Heading):
            out.add_heading(block.text, min(block.level, 9))
        elif isinstance(block, ListItem):
            out.add_paragraph(block.text, style="List Bullet" if block.level == 1 else "List Bullet 2")
        elif isinstance(block, Table):
            _docx_table(out, block, style)
        else:  # a paragraph keeps its physical lines
            paragraph = out.add_paragraph()
            for index, line in enumerate([line.text for line in block.lines] or [block.text]):
                if index:
                    paragraph.runs[-1].add_break()
                paragraph.add_run(squeeze(line))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _docx_table(out, block: Table, style: Style) -> None:
    columns = max(sum(cell.colspan for cell in row.cells) for row in block.rows)
    table = out.add_table(rows=len(block.rows), cols=columns)
    if style.borders:
        _borders(table)
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(block.rows):
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            if c >= columns:
                break
            last_row = min(r + cell.rowspan, len(block.rows)) - 1
            last_column = min(c + cell.colspan, columns) - 1
            target = table.cell(r, c)
            if (last_row, last_column) != (r, c):
                target = target.merge(table.cell(last_row, last_column))
            taken.update((i, j) for i in range(r, last_row + 1) for j in range(c, last_column + 1))
            inner = cell.blocks or [Paragraph(cell.text, cell.origin)]
            target.text = inner[0].text
            if isinstance(inner[0], ListItem):
                target.paragraphs[0].style = "List Bullet"
            for extra in inner[1:]:
                style_name = "List Bullet" if isinstance(extra, ListItem) else None
                target.add_paragraph(extra.text, style=style_name)
            c = last_column + 1
