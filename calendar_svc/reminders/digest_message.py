"""What a digest says: the coming events of its countries/processes and what changed since the last one.

Built when its outbox row is sent, from the row's window (`Delivery.detail`: the period's local start
date, event and change id watermarks), so a retry reports the same period. Rendered as plain text,
Markdown (document text backslash-escaped) or HTML (entity-escaped), like every other message
(messages.py): a title such as `[click](https://evil.example)` stays text.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from calendar_svc.models import Delivery, Event, EventChange, Subscription
from calendar_svc.reminders.messages import change_kind, md_escape, when_text
from calendar_svc.reminders.planner import NOTICE_FIELDS, matches
from calendar_svc.serialize import event_summary
from parsers.tagging import country_name, process_name

LABELS = {
    "new": "New",
    "moved": "Re-dated",
    "confirmed": "Confirmed",
    "cancelled": "Cancelled",
    "postponed": "Postponed",
    "rescheduled": "Back on the calendar",
    "updated": "Updated",
}
_ORDER = list(LABELS)
NOTHING = "no events"
# Items listed per section; chat services cap message sizes (Telegram 4096 characters, Slack 40 000).
MAX_ITEMS = 50


@dataclass
class DigestItem:
    """One line of a digest: an event (with what happened to it, in the changes section)."""

    when: str
    title: str
    url: str
    label: str = ""  # New, Re-dated, ... (changes section)
    note: str = ""  # the old date of a re-dated event, the location of a coming one


@dataclass
class Section:
    """A heading and its items; `more` items beyond MAX_ITEMS are counted, not listed."""

    heading: str
    items: list[DigestItem]
    more: int = 0

    @classmethod
    def capped(cls, heading: str, items: list[DigestItem]) -> Section:
        return cls(heading, items[:MAX_ITEMS], max(0, len(items) - MAX_ITEMS))

    @property
    def tail(self) -> str:
        """The line that stands for what is left out (or for nothing at all)."""
        if self.more:
            return f"… and {self.more} more: see the calendar feed"
        return "" if self.items else NOTHING


@dataclass
class DigestMessage:
    title: str
    intro: str
    sections: list[Section] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        out = [self.intro]
        for section in self.sections:
            out += ["", section.heading]
            for item in section.items:
                head = f"{item.label}: " if item.label else ""
                note = f" ({item.note})" if item.note else ""
                out += [f"- {head}{item.title}, {item.when}{note}", f"  {item.url}"]
            if section.tail:
                out.append(f"- {section.tail}")
        if self.links:
            out.append("")
            out += [f"{label}: {url}" for label, url in self.links]
        return "\n".join(out)

    def markdown(self) -> str:
        out = [md_escape(self.intro)]
        for section in self.sections:
            lines = [f"**{md_escape(section.heading)}**", ""]
            for item in section.items:
                head = f"**{md_escape(item.label)}:** " if item.label else ""
                note = f" ({md_escape(item.note)})" if item.note else ""
                lines.append(f"- {head}[{md_escape(item.title)}](<{item.url}>), {md_escape(item.when)}{note}")
            if section.tail:
                lines.append(f"- {md_escape(section.tail)}")
            out.append("\n".join(lines))
        out += [f"[{md_escape(label)}](<{url}>)" for label, url in self.links]
        return "\n\n".join(out)

    def html(self) -> str:
        esc = html.escape
        out = [f"<p>{esc(self.intro)}</p>"]
        for section in self.sections:
            out.append(f"<h3>{esc(section.heading)}</h3>")
            out.append("<ul>")
            for item in section.items:
                head = f"<b>{esc(item.label)}:</b> " if item.label else ""
                note = f" ({esc(item.note)})" if item.note else ""
                link = f'<a href="{esc(item.url, quote=True)}">{esc(item.title)}</a>'
                out.append(f"<li>{head}{link}, {esc(item.when)}{note}</li>")
            if section.tail:
                out.append(f"<li>{esc(section.tail)}</li>")
            out.append("</ul>")
        if self.links:
            links = " | ".join(
                f'<a href="{esc(url, quote=True)}">{esc(label)}</a>' for label, url in self.links
            )
            out.append(f"<p>{links}</p>")
        return "\n".join(out)

    def render(self, fmt: str) -> str:
        return {"markdown": self.markdown, "html": self.html}.get(fmt, self.text)()


def _clean(text: str | None) -> str:
    return " ".join(str(text or "").split())


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _with_tags(query):
    return query.options(selectinload(Event.countries), selectinload(Event.processes))


def coming_events(session: Session, sub: Subscription, day: dt.date) -> list[Event]:
    """Scheduled events of the subscription overlapping [day, day + digest_weeks weeks)."""
    horizon = day + dt.timedelta(weeks=sub.digest_weeks)
    found = session.scalars(
        _with_tags(select(Event))
        .where(Event.end >= day, Event.start < horizon, Event.status == "scheduled")
        .order_by(Event.start, Event.end, Event.uid)
    )
    return [event for event in found if matches(sub, event)]


def _merged_changes(session: Session, after: int, upto: int, day: dt.date) -> list[tuple[Event, dict]]:
    """Per event not over by `day`: its notice-worthy changes in (after, upto], merged to [first old,
    last new] per field (a field changed back and forth drops out)."""
    rows = session.execute(
        _with_tags(select(EventChange, Event).join(Event, EventChange.event_id == Event.id))
        .where(
            EventChange.id > after, EventChange.id <= upto, EventChange.kind == "updated", Event.end >= day
        )
        .order_by(EventChange.id)
    ).all()
    merged: dict[int, tuple[Event, dict]] = {}
    for change, event in rows:
        fields = merged.setdefault(event.id, (event, {}))[1]
        for name, (old, new) in (change.fields or {}).items():
            if name in NOTICE_FIELDS:
                fields[name] = [fields[name][0] if name in fields else old, new]
    out = []
    for event, fields in merged.values():
        fields = {name: pair for name, pair in fields.items() if pair[0] != pair[1]}
        if fields:
            out.append((event, fields))
    return out


def _old_date(fields: dict) -> str:
    if "date_text" in fields and fields["date_text"][0]:
        return f"was {_clean(fields['date_text'][0])}"
    start, end = (fields.get(name, [None])[0] for name in ("start", "end"))
    if start and end and start != end:
        return f"was {start} to {end}"
    return f"was {start or end}" if start or end else ""


def changes_since(session: Session, sub: Subscription, detail: dict, base: str) -> list[DigestItem]:
    """New, re-dated, confirmed, cancelled, ... events of the subscription in the row's window."""
    day = dt.date.fromisoformat(detail["day"])
    items: list[tuple[int, dt.date, DigestItem]] = []
    new = session.scalars(
        _with_tags(select(Event)).where(
            Event.id > detail["events_after"], Event.id <= detail["events_upto"], Event.end >= day
        )
    )
    new_ids = set()
    for event in new:
        new_ids.add(event.id)
        if matches(sub, event):
            items.append((0, event.start, _item(event, base, label=LABELS["new"])))
    for event, fields in _merged_changes(session, detail["changes_after"], detail["changes_upto"], day):
        if event.id in new_ids or not matches(sub, event):
            continue
        kind = change_kind(fields, event)
        note = _old_date(fields) if kind == "moved" else ""
        items.append((_ORDER.index(kind), event.start, _item(event, base, label=LABELS[kind], note=note)))
    return [item for _order, _start, item in sorted(items, key=lambda x: (x[0], x[1], x[2].url))]


def _item(event: Event, base: str, *, label: str = "", note: str = "") -> DigestItem:
    """The event named by its summary, without the location (a coming event's `note`)."""
    summary = _clean(event_summary(event, located=False))
    return DigestItem(when_text(event), summary, f"{base}/events/{event.uid}", label, note)


def _scope(sub: Subscription) -> str:
    names = [country_name(c) for c in sub.countries or []] + [process_name(p) for p in sub.processes or []]
    return ", ".join(names) if names else "all countries and processes"


def _feed_links(sub: Subscription, base: str) -> list[tuple[str, str]]:
    paths = [f"/feeds/countries/{c}.ics" for c in sub.countries or []]
    paths += [f"/feeds/processes/{p}.ics" for p in sub.processes or []]
    return [("Calendar feed", f"{base}{path}") for path in paths or ["/feeds/all.ics"]]


def digest_message(
    session: Session, sub: Subscription, row: Delivery, *, base_url: str
) -> DigestMessage | None:
    """The digest of the row's period, or None when it is empty and the subscription skips empty ones."""
    base = base_url.rstrip("/")
    detail = row.detail or {}
    day = dt.date.fromisoformat(detail["day"])
    coming = [_item(event, base, note=_clean(event.location)) for event in coming_events(session, sub, day)]
    changes = changes_since(session, sub, detail, base)
    if not coming and not changes and not sub.digest_empty:
        return None
    period = "Weekly" if sub.digest == "weekly" else "Daily"
    horizon = day + dt.timedelta(weeks=sub.digest_weeks) - dt.timedelta(days=1)
    summary = (
        f"{_plural(len(coming), 'event')} in the next {_plural(sub.digest_weeks, 'week')}, "
        f"{_plural(len(changes), 'change')} since the last digest"
    )
    opening = f"Week of {_long_date(day)}" if sub.digest == "weekly" else _long_date(day)
    message = DigestMessage(
        title=f"{period} digest ({_scope(sub)}): {summary}",
        intro=f"{opening}, {_scope(sub)}: {summary}.",
        links=_feed_links(sub, base),
    )
    if changes:
        message.sections.append(Section.capped("Changes since the last digest", changes))
    message.sections.append(Section.capped(f"Coming up, {_long_date(day)} to {_long_date(horizon)}", coming))
    return message
