"""Query and path parameter validation shared by the JSON API, the feeds and the OpenAPI description.

Each parameter is declared once, as a `Param` with its JSON schema and its parser. The views parse
requests with these declarations and `calendar_svc.openapi` describes them from the same objects, so the
published schema and the behaviour cannot drift apart. A bad value raises `BadParam`, which the
blueprints turn into a 400 JSON error naming the parameter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pycountry

from calendar_svc.queries import STATUSES, decode_cursor
from feeds import FUZZY_POLICIES
from parsers.catalogue import canonical_slug
from parsers.tagging import PROCESSES

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MAX_Q = 200
MAX_CURSOR = 200

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?)?$"
)
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CURSOR_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class BadParam(ValueError):
    """A parameter value the service refuses (HTTP 400)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code pycountry knows, plus XK (Kosovo), sorted."""
    return tuple(sorted({c.alpha_2 for c in pycountry.countries} | {"XK"}))


def process_slugs() -> tuple[str, ...]:
    return tuple(sorted(p.slug for p in PROCESSES))


def is_country_code(value: str) -> bool:
    return value in _country_set()


@lru_cache(maxsize=1)
def _country_set() -> frozenset[str]:
    return frozenset(country_codes())


# ------------------------------------------------------------------------------------------- parsers


def parse_country(name: str, raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2}", raw):
        raise BadParam(name, f"{name} must be an ISO 3166-1 alpha-2 country code such as MA, not {raw!r}")
    code = raw.upper()
    if not is_country_code(code):
        raise BadParam(name, f"{name}: {raw!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def parse_process(name: str, raw: str) -> str:
    raw = canonical_slug(raw)  # a former slug still selects the renamed process
    if raw not in process_slugs():
        shown = ", ".join(process_slugs())
        raise BadParam(name, f"{name} must be one of the process slugs ({shown}), not {raw!r}")
    return raw


def parse_date(name: str, raw: str) -> dt.date:
    if not _DATE_RE.match(raw):
        raise BadParam(name, f"{name} must be an ISO date YYYY-MM-DD, not {raw!r}")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadParam(name, f"{name}: {raw!r} is not a valid calendar date") from None


def parse_moment(name: str, raw: str) -> dt.datetime:
    """An ISO 8601 / RFC 3339 date or date-time; naive values are UTC."""
    match = _MOMENT_RE.match(raw)
    if not match:
        example = "2025-05-14T09:00:00Z"
        raise BadParam(name, f"{name} must be an ISO date or date-time such as {example}, not {raw!r}")
    day, hour, minute, second, fraction, offset = match.groups()
    try:
        date = dt.date.fromisoformat(day)
        if hour is None:
            return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
        sec = min(int(second or 0), 59)  # RFC 3339 allows a leap second (60)
        micro = int((fraction or ".0")[1:7].ljust(6, "0"))
        tz = dt.UTC
        if offset and offset not in ("Z", "z"):
            sign = 1 if offset[0] == "+" else -1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        moment = dt.datetime(date.year, date.month, date.day, int(hour), int(minute), sec, micro, tzinfo=tz)
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise BadParam(name, f"{name}: {raw!r} is not a valid date or date-time") from None


TRUE_SPELLINGS = ("true", "1", "yes")
FALSE_SPELLINGS = ("false", "0", "no")


def parse_bool(name: str, raw: str) -> bool:
    """true/1/yes or false/0/no, in any case; anything else (blank, padded, on/off) is refused."""
    value = raw.lower()
    if value in TRUE_SPELLINGS:
        return True
    if value in FALSE_SPELLINGS:
        return False
    accepted = "/".join(f"{t}/{f}" for t, f in zip(TRUE_SPELLINGS, FALSE_SPELLINGS, strict=True))
    raise BadParam(name, f"{name} must be true or false ({accepted}, any case), not {raw!r}")


def parse_q(name: str, raw: str) -> str | None:
    if len(raw) > MAX_Q:
        raise BadParam(name, f"{name} must be at most {MAX_Q} characters")
    if _CONTROL_RE.search(raw):
        raise BadParam(name, f"{name} must not contain control characters")
    return raw.strip() or None


def parse_status(name: str, raw: str) -> str:
    if raw not in STATUSES:
        raise BadParam(name, f"{name} must be one of {', '.join(STATUSES)}, not {raw!r}")
    return raw


def parse_limit(name: str, raw: str) -> int:
    if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadParam(name, f"{name} must be an integer from 1 to {MAX_LIMIT}, not {raw!r}")
    return int(raw)


def parse_cursor(name: str, raw: str) -> str:
    message = f"{name} is not a cursor this service issued (use the 'next' URL as given)"
    if len(raw) > MAX_CURSOR or not _CURSOR_RE.match(raw):
        raise BadParam(name, message)
    try:
        decode_cursor(raw)
    except ValueError:
        raise BadParam(name, message) from None
    return raw


def parse_fuzzy(name: str, raw: str) -> str:
    if raw not in FUZZY_POLICIES:
        raise BadParam(name, f"{name} must be one of {', '.join(FUZZY_POLICIES)}, not {raw!r}")
    return raw


# ------------------------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[str, str], Any]
    schema: dict[str, Any]
    description: str
    location: str = "query"
    required: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def openapi(self) -> dict[str, Any]:
        spec = {
            "name": self.name,
            "in": self.location,
            "required": self.required or self.location == "path",
            "description": self.description,
            "schema": self.schema,
        }
        spec.update(self.extra)
        return spec


def _country_schema(both_cases: bool) -> dict[str, Any]:
    codes = list(country_codes())
    return {"type": "string", "enum": codes + [c.lower() for c in codes] if both_cases else codes}


DATE_SCHEMA = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
# An enum of the spellings parse_bool accepts (each also in any case, as the descriptions say).
BOOL_SCHEMA = {"type": "string", "enum": [*TRUE_SPELLINGS, *FALSE_SPELLINGS]}
BOOL_NOTE = " Booleans are true/1/yes or false/0/no, case-insensitive."

COUNTRY = Param(
    "country",
    parse_country,
    _country_schema(both_cases=True),
    "ISO 3166-1 alpha-2 code of a partner country (Kosovo: XK), upper or lower case. Codes that are not "
    "countries give 400.",
)
PROCESS = Param("process", parse_process, {"type": "string", "enum": list(process_slugs())}, "Process slug.")
FROM = Param(
    "from", parse_date, DATE_SCHEMA, "Only events whose window ends on or after this date (YYYY-MM-DD)."
)
TO = Param(
    "to", parse_date, DATE_SCHEMA, "Only events whose window starts on or before this date (YYYY-MM-DD)."
)
UPCOMING = Param(
    "upcoming",
    parse_bool,
    BOOL_SCHEMA,
    "true: only events that have not ended yet (window end on or after today, in the service's time zone, "
    "relative to the server clock or to `now`). false (the default): no such filter." + BOOL_NOTE,
)
NOW = Param(
    "now",
    parse_moment,
    {
        "type": "string",
        "anyOf": [{"format": "date"}, {"format": "date-time"}],
        "pattern": _MOMENT_RE.pattern,
    },
    "What-if: the current time to use instead of the server clock (ISO date or date-time; no offset "
    "means UTC). Used by `upcoming` and, in feeds, by the cancellation grace period.",
)
Q = Param(
    "q",
    parse_q,
    {"type": "string", "maxLength": MAX_Q, "pattern": r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"},
    "Text search: every whitespace-separated word must occur (case-insensitive) in the title, "
    "description or location. Empty: no filter.",
)
STATUS = Param(
    "status", parse_status, {"type": "string", "enum": list(STATUSES)}, "Only events with this status."
)
TENTATIVE = Param(
    "tentative",
    parse_bool,
    BOOL_SCHEMA,
    "false: leave out tentative (tbc) events; true: only tentative events. Absent: both." + BOOL_NOTE,
)
LIMIT = Param(
    "limit",
    parse_limit,
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    f"Page size, 1 to {MAX_LIMIT}.",
)
CURSOR = Param(
    "cursor",
    parse_cursor,
    {"type": "string", "minLength": 1, "maxLength": MAX_CURSOR, "pattern": _CURSOR_RE.pattern},
    "Opaque position from a previous page's `next` URL. Values this service did not issue give 400.",
)
FUZZY = Param(
    "fuzzy",
    parse_fuzzy,
    {"type": "string", "enum": list(FUZZY_POLICIES), "default": "auto"},
    "Fuzzy-date policy (docs/feeds.md): auto (windows up to 7 days span their days, longer ones are a "
    "one-day marker at the window start), span, start (always a marker) or omit (leave long windows out).",
)

EVENT_PARAMS = (COUNTRY, PROCESS, FROM, TO, UPCOMING, NOW, Q, STATUS, TENTATIVE, LIMIT, CURSOR)
FEED_PARAMS = (FUZZY, FROM, TO, UPCOMING, NOW, TENTATIVE)


def parse_args(
    args: Mapping[str, Any], params: Iterable[Param], *, strict: bool = True
) -> dict[str, Any]:
    """Parse a werkzeug MultiDict against `params`: {name: value} for those present.

    strict: unknown parameters are refused (API); otherwise they are ignored (feeds, so that calendar
    clients appending their own parameters keep working). A parameter given twice is refused.
    """
    declared = {p.name: p for p in params}
    values: dict[str, Any] = {}
    getlist = getattr(args, "getlist", None)
    for key in args:
        if key not in declared:
            if strict:
                known = f"known: {', '.join(declared)}" if declared else "this endpoint takes no parameters"
                raise BadParam(key, f"unknown parameter {key!r}; {known}")
            continue
        raw_values = getlist(key) if getlist else [args[key]]
        if len(raw_values) > 1:
            raise BadParam(key, f"{key} must be given at most once")
        values[key] = declared[key].parse(key, raw_values[0])
    return values


def check_range(values: Mapping[str, Any]) -> None:
    start, end = values.get("from"), values.get("to")
    if start is not None and end is not None and start > end:
        raise BadParam("from", f"from ({start}) is after to ({end})")
