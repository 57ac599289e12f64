"""Document layouts. Each module offers NAME, matches(text) -> bool and parse(text, document, today)."""

from __future__ import annotations

from types import ModuleType

from parsers.layouts import event_tables

# Most specific first; the first layout whose matches() accepts a text reads it.
LAYOUTS: tuple[ModuleType, ...] = (event_tables,)
