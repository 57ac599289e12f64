"""HTML pages: the index, search, country and process pages with a timeline, event pages with provenance.

Every page reads the app clock, or `?now=` (an ISO date or datetime) for what-if views; internal links keep
`now`. Pages carry a strict Content-Security-Policy (no inline script or style), added by `security_headers`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlencode

import pycountry
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from calendar_svc.clock import parse_moment
from calendar_svc.feed_cache import uid_host
from calendar_svc.models import Document, Event, EventCountry, EventProcess
from calendar_svc.queries import (
    STATUSES,
    EventFilter,
    find_events,
    get_event,
    latest_by_tag,
    latest_events,
    page_events,
    tag_counts,
)
from calendar_svc.regions import group_by_region, region_of
from calendar_svc.serialize import change_history, event_json, event_summary, sorted_sources
from calendar_svc.web import base_url, db_session
from feeds import FeedOptions, render_event
from feeds.text import format_window
from parsers.catalogue import FORMER_SLUGS
from parsers.tagging import PROCESS_BY_SLUG, country_name, process_name

bp = Blueprint("pages", __name__)

COUNTRY_RE = re.compile(r"[A-Za-z]{2}")
SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?")
UID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
QUERY_MAX = 200
UPCOMING_ON_INDEX = 12
SEARCH_PAGE_SIZE = 50
# Precisions that denote the event's actual days rather than a window it will fall in.
EXACT_PRECISIONS = frozenset({"day", "days"})
WEEK_COLUMNS = 53

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


@bp.after_request
def security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


# -- the clock and links ---------------------------------------------------------------------------


def _now_param(*, strict: bool = True) -> str | None:
    """The `?now=` parameter; invalid values are a 400 (strict) or ignored (links on error pages)."""
    raw = request.args.get("now")
    if raw is None or raw.strip() == "":
        return None
    try:
        parse_moment(raw)
    except ValueError:
        if not strict:
            return None
        abort(400, description=f"now={raw!r} is not an ISO date or datetime (e.g. 2021-09-15)")
    return raw.strip()


def today() -> dt.date:
    """The reference date: `?now=` when given, else the app clock."""
    raw = _now_param()
    moment = parse_moment(raw) if raw else current_app.config["CLOCK"]()
    return moment.date()


def link(endpoint: str, **values) -> str:
    """url_for that keeps the what-if `now` parameter."""
    now = _now_param(strict=False)
    if now:
        values.setdefault("now", now)
    return url_for(endpoint, **values)


def feed_links(path: str) -> dict[str, str]:
    """The https (or http) URL of a feed and its webcal:// form."""
    url = f"{base_url()}{path}"
    webcal = re.sub(r"^https?://", "webcal://", url)
    return {"path": path, "url": url, "webcal": webcal}


@bp.app_template_global("country_name")
def _country_name(code: str) -> str:
    return country_name(code)


@bp.app_template_global("process_name")
def _process_name(slug: str) -> str:
    return process_name(slug)


@bp.app_template_global("now_param")
def _template_now_param() -> str | None:
    return _now_param(strict=False)


# Globals (not a context processor) so that imported macros see them too.
bp.add_app_template_global(link, "link")
bp.add_app_template_global(format_window, "format_window")


# -- view models -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """An event as the templates show it, `label` being its summary (less what the page already says)."""

    event: Event
    today: dt.date
    label: str

    @property
    def uid(self) -> str:
        return self.event.uid

    @property
    def past(self) -> bool:
        return self.event.end < self.today

    @property
    def ongoing(self) -> bool:
        return self.event.start <= self.today <= self.event.end

    @property
    def window(self) -> bool:
        """A fuzzy date: the event falls somewhere in [start, end]."""
        return self.event.precision not in EXACT_PRECISIONS

    @property
    def interval(self) -> str:
        return format_window(self.event.start, self.event.end)

    @property
    def countries(self) -> list[str]:
        return [c.code for c in self.event.countries]

    @property
    def processes(self) -> list[str]:
        return [p.slug for p in self.event.processes]

    @property
    def flags(self) -> list[tuple[str, str]]:
        """(css class, label) badges: status, tentative, window."""
        flags: list[tuple[str, str]] = []
        if self.event.status != "scheduled":
            flags.append((self.event.status, self.event.status))
        if self.event.tentative:
            flags.append(("tentative", "tentative"))
        if self.window:
            flags.append(("window", f"date window ({self.event.precision})"))
        return flags

    @property
    def classes(self) -> str:
        names = [cls for cls, _ in self.flags]
        names.append("past" if self.past else "upcoming")
        return " ".join(names)


@dataclass(frozen=True)
class Bar:
    item: Item
    col_start: int  # 1..53, week column of the first day shown in this year
    col_end: int  # 2..54, exclusive
    clipped_left: bool
    clipped_right: bool


@dataclass(frozen=True)
class YearTrack:
    year: int
    bars: list[Bar]
    today_col: int | None


def _week_column(day: dt.date) -> int:
    return min((day.timetuple().tm_yday - 1) // 7, WEEK_COLUMNS - 1) + 1


def timeline(items: list[Item], today_: dt.date) -> list[YearTrack]:
    """One track per year that has events; each event is a bar over the weeks of its window in that year."""
    if not items:
        return []
    first = min(i.event.start.year for i in items)
    last = max(i.event.end.year for i in items)
    tracks: list[YearTrack] = []
    for year in range(first, last + 1):
        jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
        bars = []
        for item in items:
            if item.event.end < jan1 or item.event.start > dec31:
                continue
            start, end = max(item.event.start, jan1), min(item.event.end, dec31)
            clipped = (item.event.start < jan1, item.event.end > dec31)
            bars.append(Bar(item, _week_column(start), _week_column(end) + 1, *clipped))
        if bars:
            tracks.append(YearTrack(year, bars, _week_column(today_) if today_.year == year else None))
    return tracks


def _items(events: list[Event], today_: dt.date, *, known: Collection[str] = ()) -> list[Item]:
    """Events as list items; `known`: the country code or process slug of the page they are listed on,
    which their labels do not repeat ("Steering Committee" under the Rabat Process, "Rabat Process –
    Steering Committee" elsewhere)."""
    return [Item(e, today_, event_summary(e, known=known)) for e in events]


def _next_by_tag(upcoming: list[Event], attr: str, key: str) -> dict[str, Event]:
    """The first upcoming event per country code / process slug (events come ordered by start)."""
    found: dict[str, Event] = {}
    for event in upcoming:
        for tag in getattr(event, attr):
            found.setdefault(getattr(tag, key), event)
    return found


def _valid_country(code: str) -> bool:
    return code == "XK" or pycountry.countries.get(alpha_2=code) is not None


# -- pages -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A country or process in the index's directory: its next upcoming event, else its latest one."""

    key: str
    count: int
    next: Event | None
    latest: Event | None

    @property
    def label(self) -> str:
        """The shown event's summary, less the country or process the entry is for."""
        event = self.next or self.latest
        return event_summary(event, known={self.key}) if event else ""


@bp.get("/")
def index():
    """When nothing is upcoming, the page says so once and lists the latest events instead; a directory
    entry without an upcoming event shows its latest one, and a region with none says so once."""
    session = db_session()
    today_ = today()
    country_counts = tag_counts(session, EventCountry.code)
    process_counts = tag_counts(session, EventProcess.slug)
    upcoming = find_events(session, EventFilter(date_from=today_))
    next_country = _next_by_tag(upcoming, "countries", "code")
    next_process = _next_by_tag(upcoming, "processes", "slug")
    # the latest event only of those without an upcoming one: the only ones the page shows it for
    last_country = latest_by_tag(session, EventCountry.code, today_, country_counts.keys() - next_country)
    last_process = latest_by_tag(session, EventProcess.slug, today_, process_counts.keys() - next_process)
    codes = sorted(country_counts, key=lambda c: country_name(c).casefold())
    regions = [
        (
            label,
            [Entry(c, country_counts[c], next_country.get(c), last_country.get(c)) for c in members],
        )
        for label, members in group_by_region(codes)
    ]
    slugs = [p.slug for p in PROCESS_BY_SLUG.values() if p.slug in process_counts]
    slugs += sorted(s for s in process_counts if s not in PROCESS_BY_SLUG)
    processes = [Entry(s, process_counts[s], next_process.get(s), last_process.get(s)) for s in slugs]
    latest = [] if upcoming else latest_events(session, today_, limit=UPCOMING_ON_INDEX)
    return render_template(
        "index.html",
        today=today_,
        regions=regions,
        processes=processes,
        upcoming=_items(upcoming[:UPCOMING_ON_INDEX], today_),
        upcoming_total=len(upcoming),
        latest=_items(latest, today_),
        feed=feed_links("/feeds/all.ics"),
    )


@bp.get("/search")
def search():
    today_ = today()
    q = (request.args.get("q") or "").strip()
    if len(q) > QUERY_MAX:
        abort(400, description=f"the search text is limited to {QUERY_MAX} characters")
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        abort(400, description=f"status must be one of {', '.join(STATUSES)}")
    when = request.args.get("when") or "all"
    if when not in ("all", "upcoming", "past"):
        abort(400, description="when must be all, upcoming or past")
    flt = EventFilter(
        q=q or None,
        status=status,
        date_from=today_ if when == "upcoming" else None,
        date_to=today_ - dt.timedelta(days=1) if when == "past" else None,
    )
    cursor = request.args.get("after") or None
    results: list[Event] = []
    next_cursor = None
    searched = bool(q or status or when != "all")
    if searched:
        try:
            results, next_cursor = page_events(db_session(), flt, limit=SEARCH_PAGE_SIZE, cursor=cursor)
        except ValueError:
            abort(400, description="invalid page cursor")
    next_url = None
    if next_cursor:
        args = {k: v for k, v in request.args.items() if k != "after"}
        args["after"] = next_cursor
        next_url = f"{url_for('pages.search')}?{urlencode(args)}"
    return render_template(
        "search.html",
        today=today_,
        q=q,
        status=status or "",
        when=when,
        searched=searched,
        results=_items(results, today_),
        next_url=next_url,
        statuses=STATUSES,
    )


@bp.get("/countries/<code>")
def country(code: str):
    if not COUNTRY_RE.fullmatch(code):
        abort(404, description="a country is a two-letter ISO 3166 code, e.g. /countries/MA")
    if code != code.upper():
        return redirect(link("pages.country", code=code.upper()), code=308)
    if not _valid_country(code):
        abort(404, description=f"{code} is not an ISO 3166 country code")
    return _tag_page(
        "country.html",
        EventFilter(country=code),
        code,
        code=code,
        name=country_name(code),
        region=region_of(code),
        feed=feed_links(f"/feeds/countries/{code}.ics"),
    )


@bp.get("/processes/<slug>")
def process(slug: str):
    if slug in FORMER_SLUGS:  # a renamed process: old links keep working
        return redirect(url_for(".process", slug=FORMER_SLUGS[slug], **request.args), 301)
    if not SLUG_RE.fullmatch(slug):
        abort(404, description="a process is a lower-case slug, e.g. /processes/rabat-process")
    session = db_session()
    known = slug in PROCESS_BY_SLUG or session.scalar(
        select(EventProcess.slug).where(EventProcess.slug == slug).limit(1)
    )
    if not known:
        abort(404, description=f"no process called {slug}")
    return _tag_page(
        "process.html",
        EventFilter(process=slug),
        slug,
        slug=slug,
        name=process_name(slug),
        feed=feed_links(f"/feeds/processes/{slug}.ics"),
    )


def _tag_page(template: str, flt: EventFilter, tag: str, **context):
    today_ = today()
    items = _items(find_events(db_session(), flt), today_, known={tag})
    past = [i for i in items if i.past]
    upcoming = [i for i in items if not i.past]
    return render_template(
        template,
        today=today_,
        items=items,
        past=list(reversed(past)),
        upcoming=upcoming,
        tracks=timeline(items, today_),
        **context,
    )


def _event_or_404(uid: str) -> Event:
    if not UID_RE.fullmatch(uid):
        abort(404, description="not an event id")
    event = get_event(db_session(), uid)
    if event is None:
        abort(404, description=f"no event with id {uid}")
    return event


@bp.get("/events/<uid>")
def event(uid: str):
    found = _event_or_404(uid)
    today_ = today()
    names = {s.document for s in found.sources} | {c.document for c in found.changes}
    documents = {d.name: d for d in db_session().scalars(select(Document).where(Document.name.in_(names)))}
    sources = sorted_sources(found)
    return render_template(
        "event.html",
        today=today_,
        item=Item(found, today_, event_summary(found)),
        e=found,
        sources=sources,
        documents=documents,
        changes=list(reversed(change_history(found))),
        ics_url=link("pages.event_ics", uid=found.uid),
    )


@bp.get("/events/<uid>.ics")
def event_ics(uid: str):
    found = _event_or_404(uid)
    host = uid_host(base_url())  # the feeds' UID host: importing this event and subscribing agree
    body = render_event(
        event_json(found, base_url=base_url()),
        FeedOptions(name=event_summary(found)[:200], host=host),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{found.uid}.ics"'
    return response


# -- errors ------------------------------------------------------------------------------------------


@bp.errorhandler(400)
@bp.errorhandler(404)
def error_page(exc):
    code = getattr(exc, "code", 500) or 500
    now = _now_param(strict=False)
    today_ = parse_moment(now).date() if now else current_app.config["CLOCK"]().date()
    page = render_template("error.html", code=code, title=exc.name, message=exc.description, today=today_)
    return page, code
