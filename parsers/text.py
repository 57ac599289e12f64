"""Text helpers shared by the layouts: decoding, whitespace, page furniture, line joining."""

from __future__ import annotations

import re

import charset_normalizer

from parsers.errors import DocumentError

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f]+")
# PDF page footers and headers of Council documents: "11389/21 PR/ik 10", "ANNEX JAI.1 LIMITE EN".
_FURNITURE = re.compile(
    r"^\s*(?:\d{3,6}/\d{2}\s+[A-Za-z]{1,4}/[A-Za-z]{1,4}\s+\d{1,3}"
    r"|(?:ANNEX\s+)?[A-Z]{2,5}(?:\.\d+[A-Z]?)*\s+LIMITE\s+EN"
    r"|\d{1,3}\s*/\s*\d{1,3}"
    r"|Page\s+\d+(?:\s+of\s+\d+)?)\s*$"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def squeeze(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _SPACES.sub(" ", text.replace("\r", " ").replace("\n", " ")).strip()


# "Counter- Smuggling", "EU- Ukraine": a word broken at a line end and joined with a space; a suspended
# hyphen ("pre- and post-departure", "short- or medium-term") and a dash ("Council - This") stay.
_BROKEN_HYPHEN = re.compile(r"(?<=[^\W\d_])- +(?!(?:and|or|nor|to|as\s+well\s+as|&)\b)(?=[^\W\d_])")


def hygiene(text: str) -> str:
    """Text as a reader should see it: whitespace collapsed, words broken by PDF hyphenation re-joined."""
    return _BROKEN_HYPHEN.sub("-", squeeze(text))


def is_furniture(line: str) -> bool:
    """True for page headers and footers that interrupt the text flow."""
    return bool(_FURNITURE.match(line))


def is_justified(line: str) -> bool:
    """True when a line has the widened word gaps of justified (hence wrapped) PDF text."""
    return len(re.findall(r"\S {2,}(?=\S)", line.strip())) >= 1


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines, re-joining hyphenated words ("Sub-" + "Committee" -> "Sub-Committee")."""
    out = ""
    for raw in lines:
        line = squeeze(raw)
        if not line:
            continue
        if out.endswith("-") and not out.endswith(" -"):
            out += line
        elif out:
            out += " " + line
        else:
            out = line
    return out


def decode(data: bytes, name: str = "document") -> str:
    """Decode document bytes (UTF-8 with or without BOM, UTF-16, cp1252/latin-1); refuse binary data."""
    if not data.strip():
        raise DocumentError(name, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError(name, "invalid UTF-16 content") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Legacy EU documents are Windows-1252 (a superset of latin-1's printable range); charset-normalizer's
        # own first pick among the near-identical single-byte code pages is often cp850/cp1250, which
        # garbles "à" or "°". So cp1252 first when it reads as coherent text, else the best guess.
        match = charset_normalizer.from_bytes(data, cp_isolation=["cp1252"]).best()
        match = match or charset_normalizer.from_bytes(data).best()
        if match is None:
            raise DocumentError(name, "binary or undecodable content") from None
        text = str(match)
    if "\x00" in text or len(_CONTROL.findall(text[:4096])) > 8:
        raise DocumentError(name, "binary content, not a text document")
    return text
