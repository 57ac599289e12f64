"""Reminder and change-notice messages, rendered as plain text, Markdown or HTML.

An event is named by its summary (the title with its process or country, calendar_svc/serialize.py),
without the location, which has a line of its own.
Everything taken from the documents (title, date text, location, ...) is untrusted: the Markdown
rendering backslash-escapes it and the HTML rendering entity-escapes it, so a title such as
`[click](https://evil.example)` cannot become a link. Each target gets the format it wants (sender.py):
HTML for e-mail, Markdown for Slack and the like, text otherwise.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from calendar_svc.models import Event
from calendar_svc.reminders.planner import EXACT_PRECISIONS, Schedule
from calendar_svc.serialize import event_summary
from parsers.tagging import country_name, process_name

_TBC = re.compile(
    r"\s*[(\[]?\s*\b(?:tbc|tbd|to be confirmed|to be determined|tentative(?:ly)?|provisional)\b\.?\s*[)\]]?",
    re.IGNORECASE,
)
LATE_AFTER = dt.timedelta(hours=1)  # a reminder sent this much after its due time says so
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=])")


@dataclass
class Message:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, value); label "" = paragraph
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)

    def text(self) -> str:
        out = [f"{label}: {value}" if label else value for label, value in self.lines]
        out += [f"{label}: {url}" for label, url in self.links]
        return "\n".join(out)

    def markdown(self) -> str:
        out = [
            f"**{md_escape(label)}:** {md_escape(value)}" if label else md_escape(value)
            for label, value in self.lines
        ]
        out += [f"[{md_escape(label)}](<{url}>)" for label, url in self.links]
        return "\n\n".join(out)

    def html(self) -> str:
        out = [
            f"<b>{html.escape(label)}:</b> {html.escape(value)}" if label else html.escape(value)
            for label, value in self.lines
        ]
        # the URL is shown too: e-mail's plain-text part, which Apprise derives from this HTML, keeps it
        out += [
            f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>: {html.escape(url)}'
            for label, url in self.links
        ]
        return "<br>\n".join(out)

    def render(self, fmt: str) -> str:
        return {"markdown": self.markdown, "html": self.html}.get(fmt, self.text)()


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _clean(text: str) -> str:
    return " ".join(str(text or "").split())


def _interval(event: Event) -> str:
    if event.start == event.end:
        return event.start.isoformat()
    return f"{event.start.isoformat()} to {event.end.isoformat()}"


def is_fuzzy(event: Event) -> bool:
    return event.precision not in EXACT_PRECISIONS


def fuzzy_phrase(date_text: str) -> str:
    """'Q2 2025 (tbc)' -> 'expected in Q2 2025, date to be confirmed'."""
    core = _TBC.sub("", _clean(date_text)).strip(" ,;-") or _clean(date_text)
    if re.match(r"(?i)^(in|by|during|around|before|after|early|late|mid|end|beginning)\b", core):
        return f"expected {core}, date to be confirmed"
    return f"expected in {core}, date to be confirmed"


def when_text(event: Event) -> str:
    """The date as the document writes it, and as an interval."""
    written = _clean(event.date_text)
    if is_fuzzy(event):
        return f"{fuzzy_phrase(written)} (window {_interval(event)})"
    text = f"{written} ({_interval(event)})" if written else _interval(event)
    if event.tentative:
        text += ", to be confirmed"
    return text


def _countdown(starts: dt.datetime, now: dt.datetime) -> str:
    delta = starts - now
    days = delta.days + (1 if delta.seconds >= 12 * 3600 else 0)
    if delta < dt.timedelta(hours=20):
        hours = max(1, round(delta.total_seconds() / 3600))
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    if days <= 1:
        return "tomorrow"
    if days % 7 == 0:
        weeks = days // 7
        return f"in {weeks} week{'s' if weeks != 1 else ''}"
    return f"in {days} days"


def _tags(event: Event) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    countries = sorted(c.code for c in event.countries)
    processes = sorted(p.slug for p in event.processes)
    if countries:
        lines.append(("Countries", ", ".join(f"{country_name(c)} ({c})" for c in countries)))
    if processes:
        lines.append(("Processes", ", ".join(process_name(p) for p in processes)))
    return lines


def feed_paths(sub_countries, sub_processes, event: Event) -> list[str]:
    """The feeds this subscription's filters point at for this event (all.ics without filters)."""
    paths = [
        f"/feeds/countries/{c}.ics"
        for c in sorted(set(sub_countries or ()) & {x.code for x in event.countries})
    ]
    paths += [
        f"/feeds/processes/{p}.ics"
        for p in sorted(set(sub_processes or ()) & {x.slug for x in event.processes})
    ]
    return paths or ["/feeds/all.ics"]


def _links(event: Event, base_url: str, feeds: list[str]) -> list[tuple[str, str]]:
    base = base_url.rstrip("/")
    links = [("Event page", f"{base}/events/{event.uid}")]
    links += [("Calendar feed", f"{base}{path}") for path in feeds]
    return links


def human_lead(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"


def reminder_message(
    event: Event,
    *,
    now: dt.datetime,
    schedule: Schedule,
    base_url: str,
    feeds: list[str],
    lead_seconds: int | None = None,
    due_at: dt.datetime | None = None,
) -> Message:
    title = _clean(event_summary(event, located=False))
    starts = schedule.start_moment(event.start)
    if is_fuzzy(event):
        subject = f"Reminder: {title}, {fuzzy_phrase(event.date_text)}"
        lead = f"{title} is {fuzzy_phrase(event.date_text)}; its window opens {_countdown(starts, now)}."
    else:
        countdown = _countdown(starts, now)
        subject = f"Reminder: {title}, {countdown} ({_clean(event.date_text) or event.start.isoformat()})"
        lead = f"{title} starts {countdown}."
    msg = Message(subject, [("", lead), ("When", when_text(event))])
    if lead_seconds:
        note = f"{human_lead(lead_seconds)} ahead"
        if due_at is not None and now - due_at > LATE_AFTER:
            note += f", sent late (it was due {due_at.astimezone(schedule.zone):%Y-%m-%d %H:%M %Z})"
        msg.lines.append(("Reminder", note))
    if event.location:
        msg.lines.append(("Where", _clean(event.location)))
    msg.lines += _tags(event)
    msg.links = _links(event, base_url, feeds)
    return msg


def change_kind(fields: dict, event: Event) -> str:
    """cancelled | postponed | confirmed | moved | rescheduled | updated."""
    status = fields.get("status")
    if status and status[1] == "cancelled":
        return "cancelled"
    if status and status[1] == "postponed":
        return "postponed"
    tentative = fields.get("tentative")
    precision = fields.get("precision")
    firmed = bool(tentative and tentative[0] and not tentative[1]) or bool(
        precision and precision[0] not in EXACT_PRECISIONS and precision[1] in EXACT_PRECISIONS
    )
    old_start = (fields.get("start") or [event.start.isoformat()])[0]
    old_end = (fields.get("end") or [event.end.isoformat()])[0]
    within = str(old_start) <= event.start.isoformat() and event.end.isoformat() <= str(old_end)
    if firmed and within:
        return "confirmed"  # a tbc date or a fuzzy window firmed up inside what was announced
    if any(k in fields for k in ("start", "end")):
        return "moved"
    if firmed:
        return "confirmed"
    if status and status[1] == "scheduled":
        return "rescheduled"
    return "updated"


_FIELD_LABELS = {
    "date_text": "Date",
    "start": "Start",
    "end": "End",
    "precision": "Precision",
    "tentative": "Tentative",
    "status": "Status",
    "location": "Location",
}


def change_message(event: Event, detail: dict, *, base_url: str, feeds: list[str]) -> Message:
    fields = detail.get("fields") or {}
    kind = change_kind(fields, event)
    title = _clean(event_summary(event, located=False))
    heading = {
        "cancelled": f"Cancelled: {title}",
        "postponed": f"Postponed: {title}",
        "moved": f"Moved: {title}, now {_clean(event.date_text)}",
        "confirmed": f"Confirmed: {title}, {_clean(event.date_text)}",
        "rescheduled": f"Back on the calendar: {title}, {_clean(event.date_text)}",
    }.get(kind, f"Updated: {title}")
    msg = Message(
        heading, [("", f"{title} has been {kind}." if kind != "updated" else f"{title} was updated.")]
    )
    msg.lines.append(("When", when_text(event)))
    if event.status != "scheduled":
        msg.lines.append(("Status", event.status))
    for name, label in _FIELD_LABELS.items():
        if name in fields:
            old, new = fields[name]
            msg.lines.append((f"{label} changed", f"{_clean(str(old))} -> {_clean(str(new))}"))
    if event.location:
        msg.lines.append(("Where", _clean(event.location)))
    msg.lines += _tags(event)
    msg.links = _links(event, base_url, feeds)
    return msg


def test_message(base_url: str) -> Message:
    return Message(
        "calendar-svc test notification",
        [("", "This subscription's notification target works: reminders will arrive here.")],
        [("Calendar", base_url.rstrip("/") + "/")],
    )
