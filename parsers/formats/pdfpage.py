"""What a PDF page holds, read with pypdfium2: words with their boxes and fonts, and ruling lines.

Coordinates are points from the top-left corner of the page (y grows downwards). Boxes are pdfium's loose
character boxes (font ascent to descent), so every word of a line has the line's height.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MAX_CHARS = 150_000  # per page; far above a dense A4 page of small print (~ 12k)
MAX_OBJECTS = 60_000  # per page
_BOLD_NAME = re.compile(rb"bold|black|heavy|semibold|demi|-bd\b|,b\b", re.I)
_FORCE_BOLD = 1 << 18
_THIN = 2.5  # points: a path thinner than this is a ruling line


class PageTooLarge(ValueError):
    """A page with more characters or objects than a document page can reasonably hold."""


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size in points
    bold: bool

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Edge:
    """A ruling line: horizontal (`y0 == y1`) or vertical (`x0 == x1`)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]
    edges: list[Edge]
    images: int


def read_page(document: pdfium.PdfDocument, index: int) -> Page:
    """Words, ruling lines and the number of images of one page."""
    page = document[index]
    try:
        width, height = page.get_size()
        objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        if objects > MAX_OBJECTS:
            raise PageTooLarge(f"page {index + 1} has {objects} objects (limit {MAX_OBJECTS})")
        edges, marks, images = _edges(page, index, width, height)
        textpage = page.get_textpage()
        try:
            words = _words(textpage, height, index)
        finally:
            textpage.close()
    finally:
        page.close()
    return Page(index + 1, width, height, words + _bullets(marks, words), edges, images)


def _bullets(marks: list[tuple[float, float, float, float]], words: list[Word]) -> list[Word]:
    """List bullets drawn as small shapes (discs, squares) just left of a line's first word, as "•"."""
    bullets = []
    for x0, y0, x1, y1 in marks:
        middle = (y0 + y1) / 2
        beside = [w for w in words if w.top <= middle <= w.bottom and x1 < w.x0 <= x1 + 2.5 * w.size]
        if beside:
            word = min(beside, key=lambda w: w.x0)
            bullets.append(Word("•", x0, x1, word.top, word.bottom, word.size, word.bold))
    return bullets


def _words(textpage: pdfium.PdfTextPage, height: float, index: int) -> list[Word]:
    count = textpage.count_chars()
    if count > MAX_CHARS:
        raise PageTooLarge(f"page {index + 1} has {count} characters (limit {MAX_CHARS})")
    raw = textpage.raw
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    box = pdfium_c.FS_RECTF()
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    words: list[Word] = []
    chars: list[str] = []
    current: list[float] = []  # x0, x1, top, bottom of the word being built
    matrix = pdfium_c.FS_MATRIX()
    bold_fonts: dict[int | None, bool] = {}
    last_object: int | None = -1
    last_bold = bold = False
    last_size = size = 0.0

    def finish() -> None:
        if chars:
            text = "".join(chars).strip()
            if text:
                x0, x1, y0, y1 = current
                words.append(Word(text, x0, x1, y0, y1, size or (y1 - y0), bold))
            chars.clear()

    for i in range(count):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in (0, 0xFFFE, 0xFFFF) or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            continue
        if pdfium_c.FPDFText_IsGenerated(raw, i) == 1 and code != 2:
            continue  # spaces and line ends pdfium guessed: the word boxes tell where words end
        char = "-" if code == 2 else chr(code)  # pdfium marks a hyphen that ends a line as U+0002
        if char.isspace() or code < 32 and code != 2:
            finish()
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, box):
            if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
                continue
            box.left, box.right, box.bottom, box.top = left.value, right.value, bottom.value, top.value
        x0, x1 = min(box.left, box.right), max(box.left, box.right)
        y0, y1 = height - max(box.top, box.bottom), height - min(box.top, box.bottom)
        if y1 - y0 <= 0.1:
            continue
        handle = pdfium_c.FPDFText_GetTextObject(raw, i)
        textobj = ctypes.cast(handle, ctypes.c_void_p).value
        if textobj != last_object:
            last_object = textobj
            font = (
                ctypes.cast(pdfium_c.FPDFTextObj_GetFont(handle), ctypes.c_void_p).value if handle else None
            )
            if font not in bold_fonts:
                bold_fonts[font] = _bold(raw, i, name, flags)
            last_bold, last_size = bold_fonts[font], _size(raw, i, matrix)
        if chars:
            wx0, wx1, wy0, wy1 = current
            height_ = wy1 - wy0
            same_line = abs((y0 + y1) / 2 - (wy0 + wy1) / 2) < height_ * 0.4
            # kerning and ligatures overlap the previous character; a gap of a fifth of a space splits
            touching = wx0 - 0.1 <= x0 <= wx1 + height_ * 0.12
            if same_line and touching:
                current[:] = [wx0, max(wx1, x1), min(wy0, y0), max(wy1, y1)]
                chars.append(char)
                continue
            finish()
        bold, size = last_bold, last_size
        current[:] = [x0, x1, y0, y1]
        chars.append(char)
    finish()
    return words


def _bold(raw, index: int, name, flags) -> bool:
    """Whether a character's font is bold (by its name, flags or weight)."""
    pdfium_c.FPDFText_GetFontInfo(raw, index, name, len(name), flags)
    weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
    return bool(_BOLD_NAME.search(name.value) or flags.value & _FORCE_BOLD or weight >= 600)


def _size(raw, index: int, matrix) -> float:
    """A character's font size in points: the font size scaled by its text matrix."""
    size = pdfium_c.FPDFText_GetFontSize(raw, index)
    if pdfium_c.FPDFText_GetMatrix(raw, index, matrix):
        size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    return round(size, 2)


def _objects(page: pdfium.PdfPage, index: int) -> list[tuple[int, object]]:
    """(type, handle) of every page object, inside form XObjects too; refuses pages with too many."""
    pending = [
        pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))
    ]
    out = []
    while pending:
        handle = pending.pop()
        if len(out) >= MAX_OBJECTS:
            raise PageTooLarge(f"page {index + 1} has over {MAX_OBJECTS} objects")
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            pending += [
                pdfium_c.FPDFFormObj_GetObject(handle, i)
                for i in range(pdfium_c.FPDFFormObj_CountObjects(handle))
            ]
        out.append((kind, handle))
    return out


def _edges(page: pdfium.PdfPage, index: int, width: float, height: float) -> tuple[list[Edge], list, int]:
    """Ruling lines drawn as thin paths or as rectangle outlines, small square shapes (bullets), and the
    number of image objects."""
    edges: list[Edge] = []
    marks: list[tuple[float, float, float, float]] = []
    images = 0
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for kind, handle in _objects(page, index):
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
            continue
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH or not pdfium_c.FPDFPageObj_GetBounds(
            handle, left, bottom, right, top
        ):
            continue
        x0, x1, y0, y1 = left.value, right.value, height - top.value, height - bottom.value
        w, h = x1 - x0, y1 - y0
        if 1 <= w <= 8 and 1 <= h <= 8 and abs(w - h) <= 0.3 * max(w, h):
            marks.append((x0, y0, x1, y1))
        elif h <= _THIN and w > _THIN:
            edges.append(Edge(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2))
        elif w <= _THIN and h > _THIN:
            edges.append(Edge((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))
        elif w > _THIN and h > _THIN and w * h < 0.5 * width * height:
            segments = pdfium_c.FPDFPath_CountSegments(handle)
            pdfium_c.FPDFPath_GetDrawMode(handle, fill, stroke)
            if 4 <= segments <= 6 and (stroke.value or fill.value):  # a rectangle: its four sides
                edges += [Edge(x0, y0, x1, y0), Edge(x0, y1, x1, y1)]
                edges += [Edge(x0, y0, x0, y1), Edge(x1, y0, x1, y1)]
    return edges, marks, images
