"""Document layouts. Each module offers NAME, matches(text) -> bool and parse(text, document, today)."""

from __future__ import annotations

from types import ModuleType

from parsers.layouts import action_file, communication, event_tables, letter_annex, markdown_tables, prose

# Most specific first; the first layout whose matches() accepts a text reads it. `prose` accepts any
# text and must stay last.
LAYOUTS: tuple[ModuleType, ...] = (
    event_tables, action_file, markdown_tables, letter_annex, communication, prose
)
