"""Format readers: bytes or text in, one `parsers.blocks.Document` out.

`sniff` tells the format from the content (never the file name); `read_document` dispatches to the
reader of that format: `pdf`, `docx`, `html`, or `text` (plain text, markdown, TSV dumps).
"""

from __future__ import annotations

import io
import re
import zipfile

from parsers.blocks import Document
from parsers.errors import DocumentError
from parsers.text import decode

FORMATS = ("pdf", "docx", "html", "text")

# an HTML document opens with a doctype, <html>, or an HTML element before any text (comments and a
# BOM/XML declaration allowed); text dumps with HTML inside tab-separated cells open with text
_LEADING_MARKUP = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(!doctype\s+html|[a-z][a-z0-9]*)",
    re.I | re.S,
)
_HTML_TAGS = frozenset(
    b"!doctype html head body table div p h1 h2 h3 h4 h5 h6 ul ol section article main meta title "
    b"header nav link style script".split()
)


def sniff(data: bytes) -> str:
    """The format of a document from its content: "pdf", "docx", "html" or "text"."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return "docx"
    head = data[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = data[:4096].decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return "text"
    match = _LEADING_MARKUP.match(head)
    tab_rows = sum(1 for line in head.splitlines() if b"\t" in line.strip())
    if match and re.sub(rb"\s+", b" ", match.group(1).lower()) in _HTML_TAGS and tab_rows < 3:
        return "html"  # (a tab-separated dump whose first cell is HTML stays text)
    if re.search(rb"<!doctype\s+html|<html[\s>]", head[:1024], re.I):
        return "html"
    return "text"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError):
        # a truncated DOCX keeps its first local header; the DOCX reader refuses it with a clear reason
        return b"word/" in data[:4096] or b"[Content_Types].xml" in data[:4096]


def read_document(name: str, data: bytes | str) -> Document:
    """Read a document of any supported format into the document model; only `DocumentError` escapes."""
    if isinstance(data, str):
        html = sniff(data[:4096].encode("utf-8", errors="replace")) == "html"
        return _read_decoded(name, data, "html" if html else "text")
    kind = sniff(data)
    if kind == "text" and data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DocumentError(name, "legacy Office file (.doc/.xls): save it as DOCX or PDF")
    if kind == "text" and data.startswith(b"PK\x03\x04"):
        raise DocumentError(name, "zip archive without word/document.xml: not a DOCX")
    if kind == "pdf":
        from parsers.formats.pdf import read_pdf

        return read_pdf(name, data)
    if kind == "docx":
        from parsers.formats.docx import read_docx

        return read_docx(name, data)
    return _read_decoded(name, decode(data, name), kind)


def _read_decoded(name: str, text: str, kind: str) -> Document:
    if kind == "html":
        from parsers.formats.html import read_html

        return read_html(name, text)
    # the text reader is imported here so that this module loads without it
    from parsers.formats.text import read_text

    return read_text(name, text)
