"""Document layouts. Each module offers NAME, matches(doc) -> bool and parse(doc, document, today).

Layouts read the document model (`parsers.blocks.Document`) whatever the format it came from; a `str`
is accepted as a text dump (`parsers.formats.text.as_document`).
"""

from __future__ import annotations

from types import ModuleType

from parsers.layouts import action_file, communication, event_tables, letter_annex, markdown_tables, prose

# Most specific first; the first layout whose matches() accepts a document reads it. `prose` accepts
# any document and must stay last.
LAYOUTS: tuple[ModuleType, ...] = (
    event_tables, action_file, markdown_tables, letter_annex, communication, prose
)
