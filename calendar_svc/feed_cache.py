"""Building feeds from the store, and the render-once cache in front of them.

`build_feed` turns a feed (all / one country / one process) and its query parameters into the exact bytes
served, with their validators (strong ETags for the identity and the gzip variant, Last-Modified): it reads
the feed's events as plain columns and concatenates their stored VEVENT text (calendar_svc/feed_texts.py)
between a header and a footer; no ORM objects, and icalendar only for text that is missing or stale.
`FeedCache` keeps those per (feed, parameters, day) and checks, on every request, one cheap database
stamp (`catalog_stamp`): `catalog_state.changed_at` and a counter that triggers move on every write to
the event tables (`catalog_version`). Any ingest that changes anything changes the stamp, so every worker
process notices it with one query and assembles the feed again; nothing is assembled again while the
catalogue stays as it is.

Time-dependent content: cancelled events stay for `cancelled_grace_days` after their last change,
`feed_past_days` (when set) drops events that ended long ago, and `upcoming=true` drops events that have
ended. "Today" is taken in the service's time zone. The day is part of the cache key, and Last-Modified is
the later of `catalog_state.changed_at` and the last midnight at which one of these rules dropped an
event of the feed, so it never moves backwards and always moves when the bytes change with time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from calendar_svc.config import Settings
from calendar_svc.feed_texts import assemble, uid_host
from calendar_svc.models import CatalogState, Event
from calendar_svc.queries import EventFilter
from calendar_svc.serialize import aware
from feeds import FEED_FOOTER, FeedOptions, feed_header, fuzzy_form
from parsers.tagging import country_name, process_name

SITE_NAME = "EU migration dialogues"

_STAMP_SQL = (
    "SELECT (SELECT changed_at FROM catalog_state WHERE id = 1),"
    " (SELECT version FROM catalog_version WHERE id = 1)"
)


def catalog_stamp(engine: Engine) -> tuple:
    """One cheap query whose result changes whenever the catalogue does (the cache key's version): two
    single-row reads, `catalog_state.changed_at` and the counter the catalogue's triggers move
    (`catalog_version`, migration 0012), whatever the store's size.

    Runs on a pooled DBAPI connection directly: this is on every feed request's path, and skipping
    SQLAlchemy's statement machinery makes it several times cheaper."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(_STAMP_SQL)
            row = cursor.fetchone()
        finally:
            cursor.close()
        raw.rollback()  # end the read transaction (PostgreSQL would otherwise sit idle in one)
    finally:
        raw.close()  # back to the pool
    return tuple(row)


# ------------------------------------------------------------------------------------------- feed identity


@dataclass(frozen=True)
class FeedSpec:
    """Which feed: kind "all", "country" (code = ISO alpha-2) or "process" (code = slug)."""

    kind: str
    code: str | None = None

    @property
    def path(self) -> str:
        """The URL path below the site root, also the file name `export-feeds` writes."""
        if self.kind == "country":
            return f"feeds/countries/{self.code}.ics"
        if self.kind == "process":
            return f"feeds/processes/{self.code}.ics"
        return "feeds/all.ics"

    def label(self) -> str:
        if self.kind == "country":
            return feed_country_name(self.code or "")
        if self.kind == "process":
            return _safe(process_name(self.code or ""))
        return SITE_NAME


@dataclass(frozen=True)
class FeedQuery:
    """The feed query parameters, normalised (None = not given)."""

    fuzzy: str = "auto"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    upcoming: bool = False
    now: dt.datetime | None = None  # explicit what-if time
    tentative: bool | None = None

    @classmethod
    def from_values(cls, values: dict) -> FeedQuery:
        return cls(
            fuzzy=values.get("fuzzy", "auto"),
            date_from=values.get("from"),
            date_to=values.get("to"),
            upcoming=bool(values.get("upcoming", False)),
            now=values.get("now"),
            tentative=values.get("tentative"),
        )


#: Feeds up to this size are joined into one bytes object (one write per response); larger ones are kept
#: and sent as the parts they are assembled from (one per 500 events), so their bytes exist only once.
JOIN_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class RenderedFeed:
    parts: tuple[bytes, ...]  # the body, in one part or (large feeds) several
    etag: str  # strong, quoted, over the body
    last_modified: dt.datetime | None  # UTC, whole seconds
    event_count: int  # events the feed's filters and time rules keep, before the cap and "omit"

    @classmethod
    def of(cls, parts: Iterable[bytes], last_modified: dt.datetime | None, event_count: int) -> RenderedFeed:
        """A feed from its parts, hashed as they come."""
        digest, kept, length = hashlib.sha256(), [], 0
        for part in parts:
            digest.update(part)
            kept.append(part)
            length += len(part)
        if length <= JOIN_MAX_BYTES:
            kept = [b"".join(kept)]
        return cls(tuple(kept), '"' + digest.hexdigest()[:32] + '"', last_modified, event_count)

    @property
    def body(self) -> bytes:
        """The whole body as one bytes object (a copy when it is held in parts)."""
        return self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)

    @cached_property
    def length(self) -> int:
        return sum(map(len, self.parts))

    @cached_property
    def gzip_body(self) -> bytes:
        """The gzip representation, compressed on first use: exactly gzip.compress(body, 6, mtime=0)."""
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
        return b"".join([*map(compressor.compress, self.parts), compressor.flush()])

    @cached_property
    def gzip_etag(self) -> str:  # strong, quoted, over `gzip_body`
        return _etag(self.gzip_body)

    def size(self) -> int:
        """Bytes held: the body, and the gzip body once made."""
        return self.length + len(self.__dict__.get("gzip_body", b""))


def _safe(name: str) -> str:
    """Calendar names and descriptions free of ; , and backslash (clients differ on unescaping X-WR-*)."""
    return " ".join(name.replace(";", " ").replace(",", " ").replace("\\", " ").split())


def feed_country_name(code: str) -> str:
    """country_name(), with pycountry's inverted "Congo, The Democratic Republic of the" put straight."""
    name = country_name(code)
    if "," in name:
        head, tail = (part.strip() for part in name.split(",", 1))
        if tail.endswith((" of", " of the")) or " " not in tail or tail.endswith("."):
            name = f"{tail} {head}"
        else:
            name = f"{head} – {tail}"
    return _safe(name)


def time_zone(settings: Settings) -> dt.tzinfo:
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_today(moment: dt.datetime, settings: Settings) -> dt.date:
    return aware(moment).astimezone(time_zone(settings)).date()


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


# ------------------------------------------------------------------------------------------- building


def feed_filter(spec: FeedSpec, query: FeedQuery) -> EventFilter:
    """The store filter for a feed (the time-dependent rules are applied afterwards)."""
    return EventFilter(
        country=spec.code if spec.kind == "country" else None,
        process=spec.code if spec.kind == "process" else None,
        date_from=query.date_from,
        date_to=query.date_to,
        tentative=query.tentative,
    )


def _drop_day(
    status: str, last_modified: dt.datetime, end: dt.date, query: FeedQuery, settings: Settings
) -> dt.date | None:
    """The first day on which the time-dependent rules leave this event out (None: never)."""
    days: list[dt.date] = []
    if query.upcoming:
        days.append(end + dt.timedelta(days=1))
    if settings.feed_past_days is not None:
        days.append(end + dt.timedelta(days=settings.feed_past_days + 1))
    if status == "cancelled" and settings.cancelled_grace_days is not None:
        changed = aware(last_modified).astimezone(dt.UTC).replace(microsecond=0)
        # same rule as feeds.drop_expired_cancellations: dropped once changed.date() + grace < today
        days.append(changed.date() + dt.timedelta(days=settings.cancelled_grace_days + 1))
    try:
        return min(days) if days else None
    except OverflowError:  # pragma: no cover - dates near date.max
        return None


# What a feed reads of each event: no text, no ORM objects (the VEVENTs come from event_texts).
_FEED_COLUMNS = (
    Event.id, Event.uid, Event.start, Event.end, Event.status, Event.last_modified, Event.revision
)  # fmt: skip


@dataclass(frozen=True)
class _Shown:
    """An event a feed shows, and which of its stored forms."""

    start: dt.date
    end: dt.date
    uid: str
    id: int
    revision: int
    form: str


def feed_plan(
    engine: Engine, spec: FeedSpec, query: FeedQuery, options: FeedOptions, *, settings: Settings,
    now: dt.datetime,
) -> tuple[list[_Shown], int, int, dt.datetime | None, dt.datetime | None]:
    """The events a feed shows in feed order, how many before the cap, how many the "omit" policy left
    out, the latest moment a time rule removed one, and `catalog_state.changed_at`."""
    today = local_today(query.now or now, settings)
    tz = time_zone(settings)
    statement = feed_filter(spec, query).statement().with_only_columns(*_FEED_COLUMNS)
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
        changed = connection.scalar(select(CatalogState.changed_at).where(CatalogState.id == 1))
    shown: list[_Shown] = []
    omitted = 0
    crossing: dt.datetime | None = None
    for event_id, uid, start, end, status, last_modified, revision in rows:
        try:
            drop = _drop_day(status, last_modified, end, query, settings)
        except OverflowError:
            drop = None
        if drop is not None and drop <= today:
            moment = dt.datetime.combine(drop, dt.time(0), tz).astimezone(dt.UTC)
            crossing = moment if crossing is None or moment > crossing else crossing
            continue
        end = max(start, end)
        form = fuzzy_form(start, end, query.fuzzy) if end < dt.date.max else None
        if form is None:
            omitted += 1
            continue
        shown.append(_Shown(start, end, uid, event_id, revision, form))
    total = len(shown)
    if options.cap is not None and total > options.cap:
        shown.sort(key=lambda e: (e.end, e.start, e.uid), reverse=True)
        shown = shown[: options.cap]
    shown.sort(key=lambda e: (e.start, e.uid))
    return shown, total, omitted, crossing, aware(changed).astimezone(dt.UTC) if changed is not None else None


def _description(spec: FeedSpec, query: FeedQuery, base_url: str) -> str:
    if spec.kind == "country":
        text = f"Events of the EU's migration dialogues with {spec.label()} ({spec.code})"
        page = f"{base_url}/countries/{spec.code}" if base_url else ""
    elif spec.kind == "process":
        text = f"Events of the {spec.label()} ({SITE_NAME})"
        page = f"{base_url}/processes/{spec.code}" if base_url else ""
    else:
        text = f"All events of the {SITE_NAME} with partner countries and regional processes"
        page = f"{base_url}/" if base_url else ""
    text += " extracted from EU documents."
    filters = []
    if query.date_from:
        filters.append(f"from {query.date_from.isoformat()}")
    if query.date_to:
        filters.append(f"to {query.date_to.isoformat()}")
    if query.upcoming:
        filters.append("upcoming only")
    if query.tentative is False:
        filters.append("confirmed dates only")
    elif query.tentative is True:
        filters.append("tentative dates only")
    if filters:
        text += " Filtered: " + " ".join(filters) + "."
    if page:
        text += f" Web page: {page}"
    return _safe(text)


def build_feed(
    session: Session, spec: FeedSpec, query: FeedQuery, *, settings: Settings, now: dt.datetime, base_url: str
) -> RenderedFeed:
    """One feed's exact bytes, ETag and Last-Modified: a header, then the stored VEVENT text of the
    events it shows (rendered and stored first where missing or stale), then the footer."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    label = spec.label()
    name = SITE_NAME if spec.kind == "all" else f"{label} – {SITE_NAME}"
    options = FeedOptions(
        name=name,
        description=_description(spec, query, base_url),
        host=uid_host(base_url),
        fuzzy=query.fuzzy,
        cap=settings.feed_cap if settings.feed_cap and settings.feed_cap > 0 else None,
        cancelled_grace_days=settings.cancelled_grace_days,
    )
    plan = feed_plan(engine, spec, query, options, settings=settings, now=now)
    shown, total, omitted, crossing, changed = plan
    configured = bool(settings.base_url) and base_url == settings.base_url
    texts = assemble(engine, [(e.id, e.revision, e.form) for e in shown], base_url, configured=configured)
    last = max((m for m in (changed, crossing) if m is not None), default=None)
    if last is not None:
        last = last.replace(microsecond=0)
    parts = [feed_header(options, total=total, omitted=omitted), *texts, FEED_FOOTER]
    return RenderedFeed.of(parts, last, total + omitted)


# ------------------------------------------------------------------------------------------- the cache


class FeedCache:
    """Rendered feeds per key, each valid for one catalogue stamp. Thread-safe, bounded (LRU) by entry
    count and by bytes held (identity bodies, and gzip bodies once made; checked on every render), so a
    few very large feeds cannot grow a worker without limit. A feed larger than the bound is served
    without being kept."""

    def __init__(self, max_entries: int = 256, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, tuple[tuple, RenderedFeed]] = OrderedDict()
        self._lock = threading.Lock()
        self.renders = 0  # how many times something was rendered (for tests and diagnostics)

    def get(self, key: tuple, stamp: tuple, render: Callable[[], RenderedFeed]) -> RenderedFeed:
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[0] == stamp:
                self._items.move_to_end(key)
                return item[1]
        rendered = render()
        with self._lock:
            self.renders += 1
            self._items.pop(key, None)
            if rendered.size() <= self.max_bytes:
                self._items[key] = (stamp, rendered)
            held = sum(feed.size() for _stamp, feed in self._items.values())
            while self._items and (len(self._items) > self.max_entries or held > self.max_bytes):
                _key, (_stamp, dropped) = self._items.popitem(last=False)
                held -= dropped.size()
        return rendered

    def peek(self, key: tuple, stamp: tuple) -> RenderedFeed | None:
        """The feed held under `key` for `stamp`, if any; never renders."""
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != stamp:
                return None
            self._items.move_to_end(key)
            return item[1]

    def held(self) -> int:
        """Bytes held now."""
        with self._lock:
            return sum(feed.size() for _stamp, feed in self._items.values())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
