"""nginx in front: feeds sent by nginx from the files `export-feeds` wrote, the app deciding what is sent.

With `CALENDAR_SVC_FEED_EXPORT_DIR` (where `calendar-svc export-feeds` writes) and
`CALENDAR_SVC_FEED_ACCEL_REDIRECT` (the URI prefix of an nginx `internal` location serving that
directory) both set, a feed request without query parameters that the app answers 200 with the identity
body gets no body but `X-Accel-Redirect: <prefix>/<path>`, when the exported file holds exactly the bytes
the app would send (its SHA-256 ETag is the feed's). nginx then sends the file. Anything else (a stale
or missing file, query parameters, gzip, a 304) the app answers itself. docs/deployment.md has the nginx
configuration.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from calendar_svc.feed_cache import FeedSpec, RenderedFeed


class ExportedFeeds:
    """The exported files a worker has checked: (inode, mtime, size) -> ETag of the contents, so a file is
    hashed once per export, and a request costs one stat()."""

    def __init__(self, directory: str, prefix: str) -> None:
        self.directory = Path(directory)
        self.prefix = prefix.rstrip("/")
        self._etags: dict[Path, tuple[tuple[int, int, int], str]] = {}
        self._lock = threading.Lock()

    def redirect(self, spec: FeedSpec, rendered: RenderedFeed) -> str | None:
        """The X-Accel-Redirect URI for the feed when its exported file is current, else None."""
        relative = spec.path.removeprefix("feeds/")
        path = self.directory / relative
        try:
            stat = os.stat(path)
        except OSError:
            return None
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if stat.st_size != rendered.length:
            return None
        with self._lock:
            known = self._etags.get(path)
        if known is None or known[0] != identity:
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
            except OSError:
                return None
            known = (identity, f'"{digest}"')
            with self._lock:
                self._etags[path] = known
        return f"{self.prefix}/{relative}" if known[1] == rendered.etag else None
