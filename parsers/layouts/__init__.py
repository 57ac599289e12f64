"""Document layouts. Each module offers NAME, matches(text) -> bool and parse(text, document, today)."""

from __future__ import annotations

from types import ModuleType

from parsers.layouts import action_file, event_tables, markdown_tables

# Most specific first; the first layout whose matches() accepts a text reads it.
LAYOUTS: tuple[ModuleType, ...] = (event_tables, action_file, markdown_tables)
