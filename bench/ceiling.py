"""The framework's ceiling for bench/feeds.sh: a bare Flask app that returns the feed files written by
`calendar-svc export-feeds` (the bytes the app serves) from memory, run on gunicorn like the app.

    CEILING_DIR=/path/to/export python -m gunicorn -k gthread --threads 4 --chdir bench ceiling:app
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, abort

_ROOT = Path(os.environ["CEILING_DIR"])
FEEDS = {path.relative_to(_ROOT).as_posix(): path.read_bytes() for path in _ROOT.rglob("*.ics")}

app = Flask(__name__)


@app.get("/feeds/<path:name>")
def feed(name: str) -> Response:
    body = FEEDS.get(name)
    if body is None:
        abort(404)
    return Response(body, content_type="text/calendar; charset=utf-8")
