"""Countries of an event, each with the reason it is tagged: the section it is listed under, the venue it is
held at in a partner country, or a country taking part or being the subject (docs/layouts.md, "Countries").

Layouts tag an event with the countries of its context; `tag_countries` adds the venue and the participants
its title names, fills the location from the title, and records a reason for every country.
"""

from __future__ import annotations

import re

from parsers.headings import fuzzy_countries
from parsers.model import ParsedEvent
from parsers.tagging import EU_MEMBER_STATES, countries_in, country_code, heading_countries
from parsers.titles import VIRTUAL, place_country, title_venue

SECTION, VENUE, PARTICIPANT = "section", "venue", "participant"

# Mentions in passing: "in the context of the Sahel tour", "following the visit to Niger".
_PASSING = re.compile(r"\b(?:in\s+the\s+context\s+of|on\s+the\s+margins?\s+of|following)\b[^,;()]*", re.I)

# EU member states as the subject or as a participant: "study visit to a German federal office" (or "to the
# Federal Office for Migration and Refugees of Germany"),
# "DE MoI", "Finnish Foreign Minister", "Dutch delegation", "Indian Diaspora in Ireland".
_MS_DEMONYMS = {
    "austrian": "AT", "belgian": "BE", "bulgarian": "BG", "croatian": "HR", "cypriot": "CY", "czech": "CZ",
    "danish": "DK", "estonian": "EE", "finnish": "FI", "french": "FR", "german": "DE", "greek": "GR",
    "hungarian": "HU", "irish": "IE", "italian": "IT", "latvian": "LV", "lithuanian": "LT",
    "luxembourgish": "LU", "maltese": "MT", "dutch": "NL", "polish": "PL", "portuguese": "PT",
    "romanian": "RO", "slovak": "SK", "slovenian": "SI", "spanish": "ES", "swedish": "SE",
}  # fmt: skip
_MS_DEMONYM = "(?:" + "|".join(_MS_DEMONYMS) + ")"
_MS_ACTOR = re.compile(  # "Italian and Maltese Foreign Ministers" names both
    rf"\b(?P<who>{_MS_DEMONYM}(?:\s*,\s*{_MS_DEMONYM}|\s+and\s+{_MS_DEMONYM})*)\s+(?:federal\s+)?"
    r"(?:delegations?|ministry|ministries|authorities|government|office|police|border\s+guards?|"
    r"(?:foreign\s+|interior\s+|prime\s+)?ministers?|state\s+secretary|mo[ij]|mfa)\b",
    re.I,
)
_MS_CODE_ACTOR = re.compile(r"\b(?P<code>[A-Z]{2})\s+(?:MoI|MFA|MoJ|Minister|Ministry|authorities)\b")
_MS_SUBJECT = re.compile(
    r"\b(?:study\s+visits?|visits?|missions?)\s+to\s+(?:an?\s+|the\s+)?(?:(?P<who>"
    + "|".join(_MS_DEMONYMS)
    + r")\b|(?-i:(?:[A-Z][\w'-]*\s+(?:(?:for|and|on|of\s+the)\s+)?){1,8}of\s+(?P<owner>[A-Z][a-z]+)))"
    + r"|\bdiaspora\s+in\s+(?P<where>[A-Z][a-z]+)",
    re.I,
)


# EU member states as parties: "between Frontex and Bulgaria (signed June 2023), Greece (...) and Cyprus",
# "agreed with Cyprus", "together with MoI and MFA of Italy"; in a title also "gap analysis with BG" (in a
# longer text "with" is too loose: "the border with Greece", "worked closely with Latvia"); a title's subject:
# "Bulgaria and Romania to undergo a full Schengen evaluation".
_MS_NAME = r"(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|[A-Z]{2})"
_MS_ITEM = rf"{_MS_NAME}(?:\s*\([^()]{{0,40}}\))?"
_MS_NAMES = rf"{_MS_ITEM}(?:(?:\s*,\s*|\s+and\s+){_MS_ITEM})*"
_MS_LIST = rf"(?:the\s+)?(?P<list>{_MS_NAMES})"
_MS_CUES = (
    r"between\s+[\w-]+\s+and|(?:agreed|signed|concluded)\s+with|(?:MoI|MFA|MoJ|[Mm]inistry|[Mm]inisters?|"
    r"authorities)(?:\s+(?:and|of|the|Interior|Foreign|Affairs|MoI|MFA)){0,4}\s+of"
)
_MS_PARTY_TEXT = re.compile(rf"\b(?:{_MS_CUES})\s+{_MS_LIST}")
_MS_PARTY_TITLE = re.compile(rf"(?:\b(?:{_MS_CUES}|with)\s+|^(?={_MS_NAMES}\s+[a-z])){_MS_LIST}")


def member_states_in(text: str, *, title: bool = True) -> list[str]:
    """EU member states a title (or, not `title`, a comment or sentence) makes its subject or participant
    ("DE MoI", "a German federal office", "between Frontex and Bulgaria", a title's "with BG")."""
    found: list[str] = []
    for match in (_MS_PARTY_TITLE if title else _MS_PARTY_TEXT).finditer(text):
        for name in re.findall(_MS_NAME, re.sub(r"\([^()]*\)", " ", match.group("list"))):
            code = "GR" if name == "EL" else (name if len(name) == 2 else country_code(name))
            if code in EU_MEMBER_STATES:
                found.append(code)
    for match in _MS_ACTOR.finditer(text):
        # in a comment, "authorities" are often only worked with: "with the Latvian authorities"
        if title or not match.group(0).lower().endswith("authorities"):
            found += [_MS_DEMONYMS[who.lower()] for who in re.findall(_MS_DEMONYM, match.group("who"), re.I)]
    for match in _MS_CODE_ACTOR.finditer(text):
        if match.group("code") in EU_MEMBER_STATES:
            found.append(match.group("code"))
    for match in _MS_SUBJECT.finditer(text):
        if match.group("who"):
            found.append(_MS_DEMONYMS[match.group("who").lower()])
        else:
            code = country_code(match.group("owner") or match.group("where"))
            if code in EU_MEMBER_STATES:
                found.append(code)
    for match in _MS_DESTINATION.finditer(text) if title else ():
        if country_code(match.group("to")) in EU_MEMBER_STATES:
            found.append(country_code(match.group("to")))
    return list(dict.fromkeys(found))


# a title's movement of people into a member state makes it a subject: "the scheme of short-stay tourist
# visits from certain Turkish areas to Greece" (not "Handover of the Chairmanship from Equatorial Guinea to
# Spain")
_MS_DESTINATION = re.compile(
    r"\b(?:visits?|returns?|transfers?|relocations?|arrivals?|crossings?|flights?)\s+from\s+(?:[\w'’-]+\s+){1,4}?"
    r"to\s+(?P<to>[A-Z][a-z]+)\b"
)


def participants_in(text: str) -> list[str]:
    """Non-EU countries a title names as participants or subjects (names, aliases, demonyms), leaving out
    mentions in passing; plus EU member states it makes its subject."""
    kept = _PASSING.sub(" ", text)
    return list(dict.fromkeys(countries_in(kept) + member_states_in(kept)))


def _named_in_description(description: str) -> set[str]:
    """Countries a description names as participants or subjects, leaving out a leading "Country:" label
    (a sub-heading run into the text, which stands for the section)."""
    label = _LABEL.match(description)
    if label and country_code(label.group(1)):
        description = description[label.end() :]
    return set(participants_in(description))


_LABEL = re.compile(r"^\s*([A-Z][\w' ]{2,30}):\s")


def _titled_for(section: str | None) -> list[str]:
    """The one country a section heading is titled for ("Implementation of MoU with Tunisia"); none when it
    names several or none. A numbered heading (an action plan's action: "21. Under the Bulgaria pilot project,
    enhance returns ...") may be longer and be titled for an EU member state; an unnumbered one longer than
    _TITLED_CHARS, or naming only a member state, may be a sentence a copy took for a heading ("In Greece, the
    European Commission has been supporting ...")."""
    numbered = bool(section and _NUMBERED.match(section))
    if not section or len(section) > (_ACTION_CHARS if numbered else _TITLED_CHARS):
        return []
    kept = _PASSING.sub(" ", section)
    members = [code for code in countries_in(kept, partners_only=False) if code in EU_MEMBER_STATES]
    named = countries_in(kept) or (members if numbered else [])
    return named if len(named) == 1 else []


_NUMBERED = re.compile(r"\d{1,2}\.\s")
_TITLED_CHARS = 80  # a heading, not a sentence read as one
_ACTION_CHARS = 300  # an action plan's numbered action, the longest heading of the samples (237 characters)


# Clauses of a sentence: "An agreement with Serbia should be signed soon, and negotiations were launched with
# ..." (not the last item of a list: "Tunisia, Egypt, and Libya").
_CLAUSE = re.compile(r";\s+|,\s+(?=(?:and|but|while|whereas)\s+[a-z])")


def _other_clauses(description: str, date_text: str) -> set[str]:
    """Partner countries a sentence names only outside the clause that holds the event's date, when that
    clause names a partner of its own, or only in a contrasting clause ("..., while another Team Europe
    Initiative addresses the Afghan regional displacement"): the layout read the countries of the whole
    sentence."""
    clauses = _CLAUSE.split(description)
    own = next((clause for clause in clauses if date_text and date_text in clause), None)
    if len(clauses) < 2 or own is None:
        return set()
    others = [clause for clause in clauses if clause is not own]
    if countries_in(own):
        return set(countries_in(description)) - set(countries_in(own))
    elsewhere = {code for clause in others if not _CONTRAST.match(clause) for code in countries_in(clause)}
    return {code for clause in others if _CONTRAST.match(clause) for code in countries_in(clause)} - elsewhere


_CONTRAST = re.compile(r"(?:while|whereas)\s")

# the third countries a visa measure concerns: "took decisions on visa alignment in December 2024 (Qatar,
# Kuwait, Oman and Mongolia)", "introduced visa requirements for nationals of Cuba and Burundi"
_VISA_LIST = re.compile(
    r"\bvisa\b[^.()]{0,80}?(?:\((?P<listed>[^()]{0,160})\)|\bfor\s+(?:the\s+)?(?:nationals|citizens)\s+of\s+"
    r"(?P<nationals>[^.;()]{0,160}))",
    re.I,
)


def _visa_subjects(description: str) -> set[str]:
    """Countries a sentence names only as those a visa measure concerns: the subjects of the measure, not
    participants in the event."""
    listed = [m.group("listed") or m.group("nationals") for m in _VISA_LIST.finditer(description)]
    rest = _VISA_LIST.sub(" ", description)
    return {code for text in listed for code in countries_in(text)} - set(countries_in(rest))


def _displaced(title: str, context: set[str]) -> set[str]:
    """The countries of the event's context (its section, region or label) that a title naming partner
    countries by name leaves out: the event is about those it names ("Joint Operation in Moldova launched"
    under a "Türkiye" heading, "Montenegro signed a working arrangement" among the Western Balkans); none when
    it names none by name, and not one it names by a demonym ("hosting Afghan refugees in Pakistan")."""
    kept = _PASSING.sub(" ", title)
    return context - set(countries_in(kept)) if countries_in(kept, demonyms=False) else set()


def section_countries(section: str | None) -> list[str]:
    """The countries a section heading stands for."""
    if not section:
        return []
    return heading_countries(section) or fuzzy_countries(section)


def tag_countries(event: ParsedEvent) -> None:
    """Venue and participant countries from the title, the location from the title when the layout found
    none, and a reason for every country (`event.country_reasons`); `event.countries` follows its keys."""
    reasons: dict[str, list[str]] = {}

    def add(code: str, reason: str) -> None:
        if reason not in reasons.setdefault(code, []):
            reasons[code].append(reason)

    venue = _venue(event)
    named = participants_in(event.title)
    for code, reason in _layout_reasons(event, named, venue):
        add(code, reason)
    if venue and venue not in EU_MEMBER_STATES:
        add(venue, VENUE)
    for code in named + member_states_in(_PASSING.sub(" ", event.description), title=False):
        if code != venue or code in EU_MEMBER_STATES:  # an EU venue is no tag: the subject still is
            add(code, PARTICIPANT)
    event.country_reasons = reasons
    event.countries = list(reasons)


def _venue(event: ParsedEvent) -> str | None:
    """The venue's country; fills the location from the title when the layout found none."""
    place = event.location
    if place is None or place == VIRTUAL:  # a virtual event may still name a venue ("(in Geneva, ...)")
        found = title_venue(event.title)
        place = found if found and found[:1].isupper() else None  # "... at of" names no town "Of"
        event.location = event.location or place
    return place_country(place) if place and place != VIRTUAL else None


def _layout_reasons(event: ParsedEvent, named: list[str], venue: str | None) -> list[tuple[str, str]]:
    """(country, reason) for the countries the layout gave (or, when it gave none, those of the section):
    the section's, or a participant the sentence or comment names; none that another partner displaces."""
    section = section_countries(event.source.section) or _titled_for(event.source.section)
    in_text = _named_in_description(event.description)
    dropped = (
        (_displaced(event.title, set(section) | set(event.countries)) - in_text)
        | (_other_clauses(event.description, event.date.text) - set(named) - set(section))
        | (_visa_subjects(event.description) - set(named) - set(section))
    )
    found: list[tuple[str, str]] = []
    for code in event.countries or section:
        if code in dropped:
            continue
        if code in section or (code not in named and code not in in_text and code != venue):
            found.append((code, SECTION))  # the section's, or the context the layout read it from
        elif code in in_text and code not in named and code != venue:
            found.append((code, PARTICIPANT))  # the sentence or comment the layout read it from names it
    return found
