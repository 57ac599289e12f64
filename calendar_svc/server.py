"""Run the app on gunicorn (the production WSGI server), configured from code."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from calendar_svc.wsgi import app

        return app


def run_server(*, host: str, port: int, workers: int, db_url: str | None = None) -> None:
    if db_url:
        os.environ["CALENDAR_SVC_DATABASE_URL"] = db_url
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": max(1, workers),
            "worker_class": "gthread",
            "threads": 4,
            # no gunicorn access log: its request line has the query string (tokens); the app logs
            # every request as JSON with a request id (calendar_svc.logging_setup)
            "accesslog": None,
            "timeout": 60,
            "graceful_timeout": 10,
        }
    ).run()
