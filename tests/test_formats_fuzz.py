"""Fuzzing the format readers (issue 15) the way tests/test_fuzz_parsers.py fuzzes the text readers.

Real PDF, DOCX and HTML files (made once by Chromium, LibreOffice and python-docx) are mutated by
hypothesis: bytes overwritten, cut, inserted or repeated. `read_document` and `parse_document` must
return a document or raise `DocumentError` with a one-line reason, never anything else.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from formats_render import (
    Style,
    chromium_pdf,
    docx_document,
    generators_available,
    html_document,
    sections,
    soffice_pdf,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import parse_document
from parsers.errors import DocumentError
from parsers.formats import read_document

FUZZ = settings(
    max_examples=max(int(os.environ.get("FUZZ_EXAMPLES", "300")) // 3, 20),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, bytes]:
    content = sections(6)
    files = {
        "docx": docx_document(content, Style()),
        "html": html_document(content, Style()).encode("utf-8"),
    }
    if generators_available() is None:
        files["pdf-chromium"] = chromium_pdf(
            html_document(content, Style(borders=False)), tmp_path_factory.mktemp("c")
        )
        files["pdf-libreoffice"] = soffice_pdf(files["docx"], ".docx", tmp_path_factory.mktemp("l"))
    elif os.environ.get("CI"):
        pytest.fail(f"CI needs the PDF generators: {generators_available()}")
    return files


mutation = st.tuples(
    st.sampled_from(["overwrite", "cut", "insert", "repeat"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.binary(min_size=1, max_size=64),
)


def _mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    for kind, where, payload in mutations:
        at = int(where * len(data))
        if kind == "overwrite":
            data = data[:at] + payload + data[at + len(payload) :]
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + payload + data[at:]
        else:
            data = data[:at] + data[at : at + 512] * 3 + data[at + 512 :]
    return data


def _check(name: str, data: bytes) -> None:
    try:
        document = read_document(name, data)
    except DocumentError as exc:
        assert exc.reason and "\n" not in exc.reason
        return
    for line in document.lines():
        assert isinstance(line.text, str) and line.origin.line >= 0


@FUZZ
@given(
    kind=st.sampled_from(["docx", "html", "pdf-chromium", "pdf-libreoffice"]),
    mutations=st.lists(mutation, min_size=1, max_size=4),
)
def test_mutated_files_give_a_document_or_document_error(originals, kind, mutations):
    if kind not in originals:
        pytest.skip("PDF generators missing")
    _check(f"fuzz.{kind}", _mutate(originals[kind], mutations))


@FUZZ
@given(kind=st.sampled_from(["docx", "pdf-chromium"]), mutations=st.lists(mutation, min_size=1, max_size=3))
def test_parse_document_on_mutated_files_raises_only_document_error(originals, kind, mutations):
    if kind not in originals:
        pytest.skip("PDF generators missing")
    try:
        parsed = parse_document("fuzz.bin", _mutate(originals[kind], mutations), today=dt.date(2021, 9, 15))
    except DocumentError as exc:
        assert "\n" not in exc.reason
        return
    assert all(event.title and "\n" not in event.title for event in parsed.events)


@FUZZ
@given(text=st.text(max_size=400), tags=st.lists(st.sampled_from(
    ["<table>", "<tr>", "<td rowspan='9999999'>", "<th colspan='-3'>", "<ul>", "<li>", "</ul>", "<br>", "<h7>",
     "<script>", "</td>", "<p>", "<!--", "-->", "<svg>", "<![CDATA[", "&#0;", "&nbsp;", "<?xml version='1.0'?>"]),
    max_size=30))  # fmt: skip
def test_hostile_html_gives_a_document_or_document_error(text, tags):
    _check(
        "fuzz.html", ("<!doctype html><html><body>" + "".join(tags) + text).encode("utf-8", "surrogatepass")
    )
