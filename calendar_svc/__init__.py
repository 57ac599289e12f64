"""calendar-svc: the store, web app, reminders and CLI that wire parsers and feeds together."""

__version__ = "0.1.0"
