"""Ingest: parse a document and merge its events into the store, one transaction per document."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Connection, Date, Integer, Text, delete, func, select, text
from sqlalchemy.orm import Session, selectinload, sessionmaker

from calendar_svc.clock import Clock, system_clock
from calendar_svc.config import Settings
from calendar_svc.feed_texts import chunks, store_for_bases
from calendar_svc.identity import (
    AMBIGUITY_MARGIN,
    Mention,
    Window,
    is_exact,
    match_score,
    mint_uid,
    names_apart,
    similar_indices,
)
from calendar_svc.models import (
    CatalogState,
    Document,
    Event,
    EventChange,
    EventCountry,
    EventProcess,
    EventSource,
)
from calendar_svc.queries import id_among
from calendar_svc.terms import months_filed, months_looked_up
from parsers import DocumentError, ParsedDocument, ParsedEvent, parse_document
from parsers.tagging import countries_in
from parsers.titles import canonical_title

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Fields a subscriber sees; a change to any of them bumps SEQUENCE and is recorded in the history.
VISIBLE_FIELDS = (
    "title",
    "description",
    "date_text",
    "start",
    "end",
    "precision",
    "tentative",
    "status",
    "location",
)
# How far before and after a mention's window candidates are looked up.
_SEARCH_MARGIN = dt.timedelta(days=100)
_UIDS_PER_QUERY = 500


@dataclass
class DocumentSummary:
    """What ingesting one document did."""

    name: str
    status: str = "ok"  # ok | unchanged | failed
    layout: str | None = None
    document_date: str | None = None
    events: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # mentions merged into an event another mention already gave
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "failed":
            return f"FAILED {self.name}: {self.error}"
        text = (
            f"{self.name}: layout {self.layout}, {self.events} events "
            f"({self.new} new, {self.updated} updated, {self.unchanged} unchanged"
            + (f", {self.merged} mentions merged" if self.merged else "")
            + ")"
        )
        if self.status == "unchanged":
            text += " - identical to the stored version"
        return text


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file, refusing what cannot be a document."""
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentError(path.name, f"file too large ({size} bytes; limit {max_bytes})")
    if size == 0:
        raise DocumentError(path.name, "empty file")
    return path.read_bytes()


def ingest_bytes(
    sessions: sessionmaker[Session],
    name: str,
    content: bytes,
    *,
    clock: Clock = system_clock,
    source_url: str | None = None,
) -> DocumentSummary:
    """Parse and store one document (fetched from `source_url`, if given). A document that fails
    changes nothing. A retracted document ingested again is active again (calendar_svc.documents)."""
    summary = DocumentSummary(name)
    digest = hashlib.sha256(content).hexdigest()
    try:
        with sessions() as session:
            stored = session.scalar(select(Document).where(Document.name == name))
            if stored is not None and stored.sha256 == digest and stored.state == "active":
                summary.status, summary.layout = "unchanged", stored.layout
                summary.events = summary.unchanged = stored.event_count
                summary.document_date = stored.document_date.isoformat() if stored.document_date else None
                return summary
        parsed = parse_document(name, content, today=clock().date())
    except DocumentError as exc:
        return _failed(summary, exc.reason)
    except Exception as exc:  # a parser bug must not take the whole run down
        log.exception("parser crashed on %s", name)
        return _failed(summary, f"internal parser error ({type(exc).__name__})")
    summary.layout, summary.document_date, summary.warnings = (
        parsed.layout,
        parsed.document_date,
        parsed.warnings,
    )
    try:
        with sessions.begin() as session:
            merger = _Merger(session, parsed, digest, clock(), summary)
            merger.run()
            from calendar_svc.documents import record_details

            record_details(session, merger, content, source_url)
    except Exception as exc:
        log.exception("storing %s failed", name)
        return _failed(summary, f"could not store events ({type(exc).__name__}: {exc})")
    _refresh_statistics(sessions)
    return summary


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a document merges. A merge into a large store
    holds some 10^5 rows, sets and ORM objects at once; each time they pass its thresholds the collector
    walks every live object of the process, a web worker's whole heap, and that took a third of the
    merge in bench/scale.py's process (124,000 objects live before it). Reference counting frees what it
    always frees; cycles are collected after, when the collector runs again. Process-wide: with merges in
    several threads, the one that paused it resumes it when it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _refresh_statistics(sessions: sessionmaker[Session]) -> None:
    """Planner statistics follow the store's growth (calendar_svc.statistics); the ingest is stored
    already, so a failure here is logged, not reported as the document's."""
    from calendar_svc import statistics

    try:
        with sessions() as session:
            analysed = statistics.refresh(session.get_bind())
    except Exception:
        log.exception("refreshing planner statistics failed")
        return
    if analysed:
        log.info("planner statistics gathered again for %s", ", ".join(analysed))


def _failed(summary: DocumentSummary, reason: str) -> DocumentSummary:
    summary.status, summary.error = "failed", reason
    summary.events = summary.new = summary.updated = summary.unchanged = 0
    return summary


@dataclass(eq=False, slots=True)
class _Stored:
    """A stored event as matching sees it: plain columns and its tags (space-separated, as the store
    aggregates them), loaded as an ORM object only if matched."""

    id: int
    uid: str
    key: str
    title: str
    start: dt.date
    end: dt.date
    precision: str
    countries: str | None
    processes: str | None


class _Pool:
    """Candidate events filed under their title terms (calendar_svc.terms): each word of their
    canonical titles and each month their windows cover. A mention is compared only with events that
    share a word with it and lie within its search window: exactly the ones match_score can accept (it
    needs a common word and near dates), found with a few dictionary lookups however large the store."""

    def __init__(self, words: frozenset[str] | None = None) -> None:
        self.words = words  # the only words looked up (a document's), None: all
        self.filed: dict[tuple[str, int], list] = defaultdict(list)

    def extend(self, events) -> None:
        for event in events:
            self.add(event)

    def add(self, event) -> None:
        """File an event (anything with a key, start and end) under its terms."""
        words = set(event.key.split()) if self.words is None else self.words.intersection(event.key.split())
        for month in months_filed(event.start, event.end):
            for word in words:
                self.filed[word, month].append(event)

    def near(self, low: dt.date, high: dt.date, words: frozenset[str]) -> list:
        """Events sharing a title word with a mention and dated within [low, high] (by month)."""
        months = months_looked_up(low, high)
        seen: dict = {}
        for word in words:
            for month in months:
                seen.update(dict.fromkeys(self.filed.get((word, month), ())))
        return list(seen)


class _Title(NamedTuple):
    """A stored event as the first reading sees it: its id, canonical title and window (the rows
    `_filed_under` reads have these fields)."""

    id: int
    key: str
    start: dt.date
    end: dt.date


def _looked_up(windows: list[tuple[str, dt.date, dt.date]]) -> dict[tuple[str, int], set[str]]:
    """The title terms a document's mentions look up (as _Pool.near does), each with the canonical titles
    of the mentions looking: `windows` holds each mention's title and search window [low, high]."""
    looking: dict[tuple[str, int], set[str]] = defaultdict(set)
    for key, low, high in windows:
        months = months_looked_up(low, high)
        for word in key.split():
            for month in months:
                looking[word, month].add(key)
    return looking


def _filed_under(connection: Connection, terms: Iterable[tuple[str, int]]) -> list[_Title]:
    """The stored events filed (event_terms) under any of `terms`."""
    statement = text(_FILED_UNDER.format(wanted=_WANTED[connection.dialect.name])).columns(
        id=Integer, key=Text, start=Date, end=Date
    )
    wanted = json.dumps(sorted(terms))
    return connection.execute(statement, {"pairs": wanted}).all()  # type: ignore[return-value]


# The (word, month) pairs looked up, as one JSON parameter: one statement for any number of them, compiled
# once (a VALUES list of thousands of rows costs SQLAlchemy ~0.2 s to compile each time).
_WANTED = {
    "sqlite": "SELECT json_extract(value, '$[0]') AS word, json_extract(value, '$[1]') AS month "
    "FROM json_each(:pairs)",
    "postgresql": "SELECT value ->> 0 AS word, CAST(value ->> 1 AS integer) AS month "
    "FROM json_array_elements(CAST(:pairs AS json))",
}
_FILED_UNDER = """
WITH wanted AS ({wanted})
SELECT events.id, events."key", events.start, events."end" FROM events
WHERE events.id IN (
    SELECT event_terms.event_id FROM wanted
    JOIN event_terms ON event_terms.word = wanted.word AND event_terms.month = wanted.month
)
"""


def _alike(titles: list[_Title], looking: dict[tuple[str, int], set[str]]) -> dict[str, set[int]]:
    """For each mention's canonical title, the ids of the `titles` that a mention with it looks up
    (`looking`, from `_looked_up`), as _Pool.near would find them, and whose title is similar enough to
    it for match_score to accept the pair. match_score needs at least SAME_DAYS_THRESHOLD, so an event
    outside these sets never scores with that mention: leaving it out changes no decision, and spares
    loading the tags of the many events that only share a word and a month."""
    looked_for = frozenset(word for word, _month in looking)
    near: dict[str, list[tuple[int, str]]] = defaultdict(list)  # a mention key -> the (id, title) it finds
    for event_id, title, start, end in titles:
        keys: set[str] = set()
        months = list(months_filed(start, end))
        for word in looked_for.intersection(title.split()):
            for month in months:
                keys.update(looking.get((word, month), ()))
        found = (event_id, title)
        for key in keys:
            near[key].append(found)
    return {
        key: {found[index][0] for index in similar_indices(key, [title for _id, title in found])}
        for key, found in near.items()
    }


class _Merger:
    """Merges one parsed document's events into the store inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        parsed: ParsedDocument,
        digest: str,
        now: dt.datetime,
        summary: DocumentSummary,
    ) -> None:
        self.session = session
        self.parsed = parsed
        self.digest = digest
        self.now = now
        self.summary = summary
        self.doc_date = dt.date.fromisoformat(parsed.document_date) if parsed.document_date else None
        self.created: set[Event] = set()
        self.touched: dict[Event, str] = {}  # event -> new | updated | unchanged
        self.changed = False
        self.pool = _Pool()
        self.profiles: dict[Event | _Stored, tuple[Mention, bool]] = {}  # what matching needs
        self.uids: set[str] = set()  # minted by this document (stored ones are looked up)
        self.stored_here: set[int] = set()  # stored events this document mentions (not loaded as ORM)
        self.alike: dict[str, set[int]] = {}  # a mention title -> the stored events alike enough (_alike)
        self.first_uids: set[str] = set()  # the uid each mention would mint first (see _stored_uid)
        self.stored_uids: set[str] = set()  # those of them the store holds
        self.loaded: dict[int, Event] = {}
        self.prefetched: dict[int, Event] = {}  # likely matches, loaded ahead (see _prefetch)

    def run(self) -> None:
        with collector_paused():
            self._run()

    def _run(self) -> None:
        document = self.session.scalar(select(Document).where(Document.name == self.parsed.name))
        if document is None:
            document = Document(name=self.parsed.name)
            self.session.add(document)
        else:  # a new version under the same name: its old mentions are replaced by the new ones
            self.session.execute(delete(EventSource).where(EventSource.document == self.parsed.name))
        document.sha256 = self.digest
        document.title = self.parsed.title
        document.document_date = self.doc_date
        document.layout = self.parsed.layout
        document.ingested_at = self.now
        mentions = [m for m in self.parsed.events if m.date.start is not None and m.date.end is not None]
        keyed = [(canonical_title(mention.title), mention) for mention in mentions]
        self._load_pool(keyed)
        self._load_uids(keyed)
        for key, mention in keyed:
            self._merge(key, mention)
        document.event_count = len(self.touched)
        states = list(self.touched.values())
        self.summary.events = len(states)
        self.summary.new = states.count("new")
        self.summary.updated = states.count("updated")
        self.summary.unchanged = states.count("unchanged")
        self.summary.merged = len(mentions) - len(states)
        if self.changed:
            _bump_catalog(self.session, self.now)
            self.session.flush()  # the revision triggers run: the text is rendered from what is stored
            store_for_bases(self.session.connection(), (e.id for e in self.touched), Settings().base_url)

    def _load_pool(self, keyed: list[tuple[str, ParsedEvent]]) -> None:
        """Read, once, what matching needs of every stored event a mention of this document (each with
        its canonical title) could match: which ones, from the events filed under a title term some
        mention looks up (`_filed_under`) whose title is alike enough to score (`_alike`); then their
        plain columns with the tags aggregated, not ORM objects."""
        if not keyed:
            return
        keys = {key for key, _mention in keyed}
        words = frozenset(word for key in keys for word in key.split())
        windows = [(key, m.date.start - _SEARCH_MARGIN, m.date.end + _SEARCH_MARGIN) for key, m in keyed]
        looking = _looked_up(windows)
        self.alike = _alike(_filed_under(self.session.connection(), looking), looking)
        ids = sorted(set().union(*self.alike.values()))
        columns = (Event.id, Event.uid, Event.key, Event.title, Event.start, Event.end, Event.precision)
        statement = select(*columns, _tags(EventCountry.code), _tags(EventProcess.slug))
        rows: list[_Stored] = []
        connection = self.session.connection()
        for chunk in chunks(ids):
            found = connection.execute(statement.where(id_among(connection, Event.id, chunk)))
            rows += (_Stored(*row) for row in found)
        self.pool = _Pool(words)
        self.pool.extend(rows)
        self._prefetch([row.id for row in rows if row.key in keys])
        self.stored_here = set(
            self.session.scalars(
                select(EventSource.event_id).where(EventSource.document == self.parsed.name).distinct()
            )
        )

    def _prefetch(self, ids: list[int]) -> None:
        """Load as ORM objects, in a few queries, the stored events worded exactly like a mention: the
        likely matches (`_resolve` loads any other match on its own)."""
        with self.session.no_autoflush:
            connection = self.session.connection()
            for chunk in chunks(ids):
                statement = (
                    select(Event)
                    .where(id_among(connection, Event.id, chunk))
                    .options(
                        selectinload(Event.sources),
                        selectinload(Event.countries),
                        selectinload(Event.processes),
                    )
                )
                self.prefetched.update((event.id, event) for event in self.session.scalars(statement))

    def _resolve(self, candidate: Event | _Stored) -> Event:
        """The ORM event behind a candidate, loaded (with its tags and sources) the first time."""
        if isinstance(candidate, Event):
            return candidate
        event = self.loaded.get(candidate.id)
        if event is None:
            event = self.prefetched.get(candidate.id)
        if event is None:
            with self.session.no_autoflush:  # a stored row: nothing pending changes how it loads
                event = self.session.scalar(
                    select(Event)
                    .where(Event.id == candidate.id)
                    .options(
                        selectinload(Event.sources),
                        selectinload(Event.countries),
                        selectinload(Event.processes),
                    )
                )
        self.loaded[candidate.id] = event
        return event

    # -- matching -------------------------------------------------------------------------------

    def _merge(self, key: str, mention: ParsedEvent) -> None:
        """Merge a mention (`key`: its canonical title) into the event it matches, or create one."""
        probe = Mention(
            key,
            _window(mention),
            frozenset(mention.countries),
            frozenset(mention.processes),
            _named_countries(mention.title),
        )
        event = self._match(probe, mention)
        if event is None:
            event = self._create(key, mention)
            self.touched[event] = "new"
            self.changed = True
            return
        self.touched.setdefault(event, "unchanged")
        if self._update(event, mention) and self.touched[event] == "unchanged":
            self.touched[event] = "updated"

    def _match(self, probe: Mention, mention: ParsedEvent) -> Event | None:
        low, high = probe.window.start - _SEARCH_MARGIN, probe.window.end + _SEARCH_MARGIN
        scored: list[tuple[float, Event | _Stored]] = []
        seen: set[int] = set()
        alike = self.alike.get(probe.key, set())
        for candidate in self.pool.near(low, high, probe.words):
            if isinstance(candidate, _Stored):
                if candidate.id not in alike:
                    continue  # its title is too unlike this mention's for any rule of match_score
                if candidate.id in self.loaded:
                    candidate = self.loaded[candidate.id]  # matched before: its ORM state is current
            if id(candidate) in seen or candidate.start > high or candidate.end < low:
                continue
            seen.add(id(candidate))
            score = self._score(probe, candidate)
            if score is not None:
                scored.append((score, candidate))
        if not scored:
            return None
        scored.sort(key=lambda pair: (-pair[0], pair[1].uid))
        best, runner_up = scored[0], scored[1] if len(scored) > 1 else None
        if (
            runner_up
            and not is_exact(best[0])
            and best[0] - runner_up[0] < AMBIGUITY_MARGIN
            and best[1].key != runner_up[1].key
        ):
            names = " / ".join(f"{e.title} ({e.start})" for _, e in scored[:2])
            page = f"page {mention.source.page}, " if mention.source.page else ""
            self.summary.ambiguous.append(
                f"{page}line {mention.source.line}: '{mention.title}' matches {names}; kept apart"
            )
            return None
        return self._resolve(best[1])

    def _profile(self, event: Event | _Stored) -> tuple[Mention, bool]:
        """The event as matching sees it, and whether this document already mentions it (cached).
        Without the partner countries its title names: `_score` looks at those last."""
        cached = self.profiles.get(event)
        if cached is None:
            window = Window(event.start, event.end, event.precision in ("day", "days"))
            if isinstance(event, _Stored):
                countries = frozenset((event.countries or "").split())
                processes = frozenset((event.processes or "").split())
                here = event.id in self.stored_here
            else:
                countries = frozenset(c.code for c in event.countries)
                processes = frozenset(p.slug for p in event.processes)
                here = any(s.document == self.parsed.name for s in event.sources)
            cached = (Mention(event.key, window, countries, processes), here)
            self.profiles[event] = cached
        return cached

    def _score(self, probe: Mention, candidate: Event | _Stored) -> float | None:
        """match_score of the mention and a candidate. The partner countries a title names only ever
        rule a pair out, so they are looked up last, for the few pairs that score: the same result as
        match_score on the full profiles, without scanning every candidate's title for country names."""
        other, same_document = self._profile(candidate)
        score = match_score(probe, other, same_document=same_document)
        if score is None or not probe.named:
            return score
        return None if names_apart(probe.named, _named_countries(candidate.title)) else score

    # -- writing --------------------------------------------------------------------------------

    def _create(self, key: str, mention: ParsedEvent) -> Event:
        attempt = 0
        uid = mint_uid(key, mention.countries, mention.processes)
        while uid in self.uids or self._stored_uid(uid):
            attempt += 1
            uid = mint_uid(key, mention.countries, mention.processes, attempt)
        self.uids.add(uid)
        event = Event(uid=uid, key=key, created_at=self.now, last_modified=self.now, sequence=0)
        for name, value in _visible(mention).items():
            setattr(event, name, value)
        event.deadline = mention.date.deadline
        event.edtf = mention.date.edtf
        event.dated_by = self.doc_date
        self.session.add(event)
        self.pool.add(event)
        self.created.add(event)
        self._add_tags_and_source(event, mention)
        return event  # its creation is history entry zero, derived from created_at (serialize.history)

    def _stored_uid(self, uid: str) -> bool:
        """Whether a stored event has this uid: the first uid each mention would mint was looked up
        with the pool (`_load_uids`), any other (a recurring title's "#n") is looked up now."""
        if uid in self.first_uids:
            return uid in self.stored_uids
        with self.session.no_autoflush:
            return self.session.scalar(select(Event.id).where(Event.uid == uid)) is not None

    def _load_uids(self, keyed: list[tuple[str, ParsedEvent]]) -> None:
        """Look up, in a few queries, which of the uids the mentions would mint first are taken."""
        self.first_uids = {mint_uid(key, m.countries, m.processes) for key, m in keyed}
        wanted = sorted(self.first_uids)
        connection = self.session.connection()
        for start in range(0, len(wanted), _UIDS_PER_QUERY):
            chunk = wanted[start : start + _UIDS_PER_QUERY]
            self.stored_uids.update(connection.scalars(select(Event.uid).where(Event.uid.in_(chunk))))

    def _update(self, event: Event, mention: ParsedEvent) -> bool:
        """Merge a further mention into an event; True when a subscriber-visible field changed."""
        added = self._add_tags_and_source(event, mention)
        newer = self.doc_date is not None and (event.dated_by is None or self.doc_date > event.dated_by)
        same = self.doc_date == event.dated_by
        incoming = _visible(mention)
        wanted: dict[str, object] = {}
        if newer:
            # the newest document decides; its later mentions of the same event only fill gaps
            event.dated_by = self.doc_date
            event.deadline = mention.date.deadline
            event.edtf = mention.date.edtf
            wanted = {k: v for k, v in incoming.items() if v not in (None, "") and k != "title"}
            if self._same_series(event):
                wanted["title"] = incoming["title"]  # a newer edition of the series may reword it
            elif _coarser(mention, event):
                # another kind of document naming the event vaguely ("in November 2023") confirms
                # the exact date it already has; it does not blur it
                for name in ("date_text", "start", "end", "precision", "tentative"):
                    wanted.pop(name, None)
        elif same and event in self.created:
            # several mentions in one document: keep the most precise date, fill gaps
            if (mention.date.end - mention.date.start) < (event.end - event.start):
                wanted = {k: incoming[k] for k in ("date_text", "start", "end", "precision")}
            for name in ("description", "location"):
                if not getattr(event, name) and incoming[name]:
                    wanted[name] = incoming[name]
        else:
            for name in ("description", "location"):
                if not getattr(event, name) and incoming[name]:
                    wanted[name] = incoming[name]
        diff = {k: (getattr(event, k), v) for k, v in wanted.items() if getattr(event, k) != v}
        if not diff:
            if added:
                self.changed = True
            return False
        for name, (_old, new) in diff.items():
            setattr(event, name, new)
        self.profiles.pop(event, None)
        if "start" in diff or "end" in diff:
            self.pool.add(event)  # file it under its new months too (duplicates are dropped)
        self.changed = True
        if event in self.created:
            return False
        event.sequence += 1
        event.last_modified = self.now
        event.changes.append(
            EventChange(
                changed_at=self.now,
                document=self.parsed.name,
                kind="updated",
                sequence=event.sequence,
                fields={k: [_jsonable(o), _jsonable(n)] for k, (o, n) in diff.items()},
            )
        )
        return True

    def _same_series(self, event: Event) -> bool:
        """Whether another document already mentioning the event has this document's layout."""
        others = {s.document for s in event.sources} - {self.parsed.name}
        if not others:
            return False
        layouts = self.session.scalars(select(Document.layout).where(Document.name.in_(others))).all()
        return self.parsed.layout in layouts

    def _add_tags_and_source(self, event: Event, mention: ParsedEvent) -> bool:
        """Add the mention's countries, processes and provenance; True when anything was new."""
        self.profiles.pop(event, None)
        added = _add_missing(event.countries, "code", mention.countries, EventCountry)
        _add_reasons(event.countries, mention.country_reasons)
        added = _add_missing(event.processes, "slug", mention.processes, EventProcess) or added
        source = mention.source
        page = source.page or 0  # the store's "no page"
        if not any(
            (s.document, s.page, s.line) == (source.document, page, source.line) for s in event.sources
        ):
            event.sources.append(
                EventSource(
                    document=source.document,
                    page=page,
                    line=source.line,
                    section=source.section,
                    raw=source.raw,
                    date_text=mention.date.text,
                    reading=_reading(mention),
                )
            )
            added = True
        return added


@lru_cache(maxsize=65536)
def _named_countries(title: str) -> frozenset[str]:
    """Partner countries a title names itself ("EU-Armenia …")."""
    return frozenset(countries_in(title))


def _tags(column):
    """The tags of the event of the enclosing query, space-separated (None: untagged)."""
    table = column.table
    return select(func.aggregate_strings(column, " ")).where(table.c.event_id == Event.id).scalar_subquery()


def _add_reasons(countries: list[EventCountry], reasons: dict[str, list[str]]) -> None:
    """Merge a mention's reasons into the event's countries (each reason once, in first-seen order)."""
    for country in countries:
        new = reasons.get(country.code, [])
        have = [r for r in (country.reasons or "").split(",") if r]
        merged = ",".join(dict.fromkeys(have + new))
        if merged != (country.reasons or ""):
            country.reasons = merged


def _add_missing(collection: list, attribute: str, values: list[str], make) -> bool:
    """Append a `make(**{attribute: value})` for each value the collection lacks; True if any."""
    present = {getattr(item, attribute) for item in collection}
    missing = [value for value in dict.fromkeys(values) if value not in present]
    collection.extend(make(**{attribute: value}) for value in missing)
    return bool(missing)


def _coarser(mention: ParsedEvent, event: Event) -> bool:
    """True when the mention's window strictly contains the event's."""
    start, end = mention.date.start, mention.date.end
    return start <= event.start and end >= event.end and (start, end) != (event.start, event.end)


def _visible(mention: ParsedEvent) -> dict[str, object]:
    date = mention.date
    return {
        "title": mention.title,
        "description": mention.description,
        "date_text": " ".join(date.text.split()),
        "start": date.start,
        "end": date.end,
        "precision": date.precision,
        "tentative": date.tentative,
        "status": date.status,
        "location": mention.location,
    }


def _reading(mention: ParsedEvent) -> dict[str, object]:
    """What a mention says, as stored with it (event_sources.reading, JSON): its visible fields, and its
    tags, so that a retraction can re-derive the event's countries (with their reasons) and processes."""
    reading = {name: _jsonable(value) for name, value in _visible(mention).items()}
    reasons = mention.country_reasons
    countries = {code: list(reasons.get(code, [])) for code in dict.fromkeys(mention.countries)}
    return {
        **reading,
        "deadline": mention.date.deadline,
        "edtf": mention.date.edtf,
        "countries": countries,
        "processes": list(dict.fromkeys(mention.processes)),
    }


def _window(mention: ParsedEvent) -> Window:
    date = mention.date
    assert date.start is not None and date.end is not None
    return Window(date.start, date.end, date.precision in ("day", "days"))


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _bump_catalog(session: Session, now: dt.datetime) -> None:
    """Record that the catalogue changed. The stamp only moves forward, by at least a second per
    change, so Last-Modified validators (Apple Calendar uses only those) always see a change."""
    state = session.get(CatalogState, 1)
    if state is None:
        session.add(CatalogState(id=1, changed_at=now))
        return
    previous = _aware(state.changed_at)
    state.changed_at = max(now, previous + dt.timedelta(seconds=1))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
