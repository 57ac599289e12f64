"""HTML reader: headings, paragraphs, list items and tables in document order.

Scripts, styles and navigation (`nav`, `header`, `footer`, `aside`, `noscript`, `template`, elements
`hidden` or `display: none`, ARIA navigation, banner and contentinfo roles) are ignored.
`fragment_blocks` reads an HTML fragment, such as the HTML inside a table cell of a text dump, into
paragraphs and list items the same way.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from parsers.blocks import Document, Heading, ListItem, Origin, Paragraph, Row, Table, TextLine
from parsers.errors import DocumentError
from parsers.formats.cells import cell_blocks, make_cell
from parsers.text import squeeze

_IGNORED = frozenset(
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "button",
        "select",
        "option",
        "form",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "body",
        "html",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "address",
        "center",
        "fieldset",
        "hr",
        "caption",
        "details",
        "summary",
    }
)
_HEADING = re.compile(r"^h([1-6])$")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
_NAVIGATION_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar"})
_MAX_SPAN = 1000
# one block per element at most; a deeper tree is refused rather than recursed into
_MAX_DEPTH = 200


class _Walker:
    """Turns an element tree into blocks; `origin` fixes every block's origin (fragments), else sourceline."""

    def __init__(self, origin: Origin | None = None) -> None:
        self.origin = origin
        self.blocks: list[Heading | Paragraph | ListItem | Table] = []
        self._lines: list[str] = [""]
        self._start: Origin | None = None
        self._items: list[int] = []  # levels of the open list items
        self._depth = 0  # open lists

    def _origin(self, element: lxml.html.HtmlElement) -> Origin:
        return self.origin or Origin(element.sourceline or 1)

    def _text(self, text: str | None, element: lxml.html.HtmlElement) -> None:
        if text and text.strip():
            if self._start is None:
                self._start = self._origin(element)
            self._lines[-1] += text
        elif text:
            self._lines[-1] += " "

    def flush(self) -> None:
        lines = [squeeze(line) for line in self._lines]
        lines = [line for line in lines if line]
        if lines and self._start is not None:
            text = " ".join(lines)
            kept = [TextLine(line, self._start) for line in lines] if len(lines) > 1 else []
            if self._items:
                self.blocks.append(ListItem(text, self._start, self._items[-1], kept))
            else:
                self.blocks.append(Paragraph(text, self._start, kept))
        self._lines, self._start = [""], None

    def walk(self, element: lxml.html.HtmlElement, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError("HTML nested too deeply")
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if not tag or tag in _IGNORED or _hidden(element):
            return
        heading = _HEADING.match(tag)
        if heading:
            self.flush()
            text = squeeze(element.text_content())
            if text:
                self.blocks.append(Heading(text, int(heading.group(1)), self._origin(element)))
        elif tag == "table":
            self.flush()
            table = self._table(element, depth)
            if table.rows:
                self.blocks.append(table)
        elif tag == "br":
            self._lines.append("")
        elif tag in ("ul", "ol"):
            self.flush()
            self._depth += 1
            self._children(element, depth)
            self._depth -= 1
            self.flush()
        elif tag == "li":
            self.flush()
            self._items.append(max(self._depth, 1))
            self._children(element, depth)
            self.flush()
            self._items.pop()
        elif tag in _BLOCK or tag in ("td", "th", "tr"):
            self.flush()
            self._children(element, depth)
            self.flush()
        else:
            self._children(element, depth)

    def _children(self, element: lxml.html.HtmlElement, depth: int) -> None:
        self._text(element.text, element)
        for child in element:
            self.walk(child, depth + 1)
            self._text(child.tail, element)

    def _table(self, element: lxml.html.HtmlElement, depth: int) -> Table:
        rows: list[Row] = []
        for tr in _rows(element):
            cells = []
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                inner = _Walker(self.origin)
                inner._children(td, depth + 1)
                inner.flush()
                rowspan, colspan = _span(td.get("rowspan")), _span(td.get("colspan"))
                cells.append(make_cell(inner.blocks, self._origin(td), rowspan, colspan))
            if cells:
                in_head = tr.getparent() is not None and tr.getparent().tag == "thead"
                header = in_head or all(td.tag.lower() == "th" for td in tr if isinstance(td.tag, str))
                rows.append(Row(cells, self._origin(tr), header))
        return Table(rows, self._origin(element))


def _hidden(element: lxml.html.HtmlElement) -> bool:
    """Hidden (`hidden`, `display: none`) or navigation by its ARIA role."""
    if element.get("hidden") is not None or _DISPLAY_NONE.search(element.get("style") or ""):
        return True
    return (element.get("role") or "").lower() in _NAVIGATION_ROLES


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's own rows (thead, tbody, tfoot or direct), not those of nested tables."""
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr")
    return rows


def _span(value: str | None) -> int:
    digits = re.match(r"\s*(\d{1,6})", value or "")
    return min(max(int(digits.group(1)), 1), _MAX_SPAN) if digits else 1


def _parse(html: str, name: str) -> lxml.html.HtmlElement:
    # libxml2 refuses str input carrying an encoding declaration; bytes with UTF-8 avoid that
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise DocumentError(name, f"unreadable HTML ({squeeze(str(exc))[:80] or 'empty'})") from None
    return root


def fragment_blocks(html: str, origin: Origin) -> list[Paragraph | ListItem]:
    """The paragraphs and list items (with levels) of an HTML fragment, all at `origin`.

    Inline markup (`<b>`, `<i>`, `<sup>`) is kept as plain text; `<br>` breaks a block into lines.
    """
    if not html.strip():
        return []
    try:
        root = _parse(f"<html><body>{html}</body></html>", "fragment")
    except DocumentError:
        return [Paragraph(squeeze(html), origin)] if squeeze(html) else []
    walker = _Walker(origin)
    try:
        walker.walk(root)
    except ValueError:
        return [Paragraph(squeeze(root.text_content()), origin)]
    walker.flush()
    return cell_blocks(walker.blocks)


def read_html(name: str, html: str) -> Document:
    """Read an HTML page (already decoded) into the document model."""
    root = _parse(html, name)
    walker = _Walker()
    try:
        walker.walk(root)
    except ValueError as exc:
        raise DocumentError(name, str(exc)) from None
    walker.flush()
    if not walker.blocks:
        raise DocumentError(name, "no text in the HTML document")
    return Document(name, "html", walker.blocks)
