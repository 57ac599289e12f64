"""Titles that name an event: a prose title as a headline, repaired when the lint (`parsers.title_lint`)
flags it as a fragment.

`fit(title, sentence, start, end)` first puts a title in headline form ("X will be developed" -> "X to be
developed", "X was launched" -> "X launched"; a subject without its verb gets the participle that follows
it in the sentence: "Two legislative proposals" -> "Two legislative proposals adopted"). A clean title is
kept; otherwise the result is the first clean candidate of: the title trimmed (leading connectors,
auxiliaries and dates, dangling words; a leading verb made a noun: "present the plan" -> "Presentation of
the plan"); a one-word title or a lone quantity completed from the sentence ("SCIFA" -> "SCIFA meeting",
"MoU" + "was signed" -> "MoU signed", "Three meetings" of the group the sentence names); a participle's
missing subject or object put back ("Followed by an expert mission" -> "Expert mission", "Signed" after
"Albania:" -> "Albania: signature"); what the sentence sets out to do ("to conduct an analysis on X" ->
"Analysis on X"); the subject of the sentence; the date's clause without its date; the clause before it.
When none is clean the sentence names no event: "".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsers.dates import find_dates
from parsers.phrases import (
    ARTICLE,
    EVENT_NOUN,
    LEAD_NOISE,
    VERBS,
    abbreviate,
    drop_amounts,
    shorten,
    subject,
    tidy,
)
from parsers.tagging import countries_in, country_name
from parsers.title_lint import (
    ACTORS,
    DANGLING,
    DANGLING_WORDS,
    GERUNDS,
    LEADING,
    OPEN_MODIFIER,
    PARTICIPLE,
    QUANTITY,
    STATE,
    findings,
)

_NOUNS = {
    "adopt": "Adoption",
    "align": "Alignment",
    "conclude": "Conclusion",
    "contract": "Contracting",
    "deliver": "Delivery",
    "deploy": "Deployment",
    "develop": "Development",
    "finalise": "Finalisation",
    "launch": "Launch",
    "organise": "Organisation",
    "present": "Presentation",
    "publish": "Publication",
    "review": "Review",
    "sign": "Signature",
    "start": "Start",
    "submit": "Submission",
    "enter into force": "Entry into force",
    "follow up": "Follow-up",
}
_PARTICIPLES = {
    "adopted": "adoption",
    "concluded": "conclusion",
    "contracted": "contracting",
    "entered into force": "entry into force",
    "launched": "launch",
    "presented": "presentation",
    "published": "publication",
    "reviewed": "review",
    "signed": "signature",
}
_LEAD = re.compile(
    r"^(?:(?:it|this|they)\s+(?:is|are|was|were|will\s+be)\s+(?:planned|expected|envisaged|foreseen|due)\s+|"
    r"as\s+(?:shown|seen|demonstrated|illustrated)\s+(?:in|by)\s+|"
    rf"(?:{GERUNDS})(?:\s+the\s+way)?\s+(?:for|that)\s+|(?:is\s+|are\s+)?working\s+to\s+|up\s+on\s+|"
    r"(?:and|or|but|of|with|in|on|at|by|to|as|for|from|under|also|then|both|be|been|being|will|would|shall|"
    r"should|is|are|was|were|has|have|had|its|their|it|they|this|these|following)\b\s*|[)\],;:.&/–—-]\s*)+",
    re.I,
)
_END = re.compile(rf"(?:\s+(?:{DANGLING_WORDS}|to\s+be|in\s+partnership))+$", re.I)
# a noun phrase cut after a hyphenated modifier goes from the first preposition before the cut: "SWD on the
# return of illegally staying third-country" -> "SWD"
_OPEN_NP = re.compile(rf"\s+(?:of|on|for|with|from|to)\s+[^,;()]*\b{OPEN_MODIFIER}$")
_CUT_DATE = re.compile(r"\s+(?:on|in|of|by)\s+\d{1,2}$")  # "announcement on 2" (May cut off)
_BEFORE_COMMA = re.compile(r"\b(?:is|are|was|were)\s+(?P<np>[^,;]{3,80}),\s*$")
_BY_EVENT = re.compile(
    r"^(?:(?:followed|complemented|succeeded|preceded|accompanied)\s+by|based\s+on)\s+(?P<np>.+)$", re.I
)
_VERB_LEAD = re.compile(
    r"^(?P<verb>" + "|".join(sorted(_NOUNS, key=len, reverse=True)) + r")\s+(?P<rest>.+)$", re.I
)
_BODIES = re.compile(r"EUCO|Coreper(?:\s+II)?|SCIFA|COSI|LIBE|IMEX|JHA\s+Council")
_VERB_WORD = re.compile(rf"(?:{VERBS})", re.I)
_DATED = re.compile(r"\s+(?:in|on|at|by|during)\s*$")
_DATED_END = re.compile(r"\b(?:in|on|at|by|from|during|before|for|until)\s*\(?$")
_TO_DO = re.compile(
    r"\bto\s+(?P<verb>conduct|carry\s+out|prepare|hold|organise|launch|adopt|present|sign|publish|deploy|develop|"
    r"finalise|review|start|contract)\s+(?P<obj>[^,;()]{8,})",
    re.I,
)
_DONE = r"(?P<passive>has\s+been\s+|was\s+|were\s+)?(?P<verb>\w+ed)\b(?P<obj>[^,;.()]*)"
_EXPECTED = "expected|planned|due|foreseen|envisaged|scheduled"
_HEADLINE = (
    # "5th Article 25a report in preparation, foreseen to be adopted" -> "… report to be adopted"
    (re.compile(rf",?\s+(?:in|under)\s+(?:preparation|discussion|negotiation),?\s+(?:foreseen|{_EXPECTED})\s+to\s+be\s+",
                re.I), " to be "),
    # "… an EU Talent Pool, the first EU-wide platform" (cut before what it is for): the name is enough
    (re.compile(r"(?P<name>\b[A-Z][\w-]*),\s+the\s+(?:first|only|new)\s+[^,]{3,40}$"), r"\g<name>"),
    # "Contracting of projects by year end" dated early Q1 2024: the other date of the sentence goes
    (re.compile(r"\s+(?:by|before|until)\s+(?:the\s+)?(?:year[\s-]end|end\s+of\s+(?:the\s+)?year)\b", re.I),
     ""),
    (re.compile(rf"\b(?:is|are)\s+(?:currently\s+)?(?:{_EXPECTED})\s+to\s+", re.I), "to "),
    (re.compile(r"\b(?:will|shall|should|must)\s+(?:also\s+)?be\s+", re.I), "to be "),
    (re.compile(r"\b(?:is|are)\s+to\s+be\s+", re.I), "to be "),
    (re.compile(r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?=\w+(?:ed|en|t)\b|held\b)", re.I), ""),
    # "Developing a manual to guide …" -> "Development of a manual to guide …"
    (re.compile(r"^(?:Developing|Preparing|Organising|Organizing|Launching|Establishing)\s+(?=(?:a|an|the)\s)"),
     lambda m: {"Developing": "Development", "Preparing": "Preparation", "Launching": "Launch",
                "Establishing": "Establishment"}.get(m.group(0).split()[0], "Organisation") + " of "),
    (re.compile(r"\b(?:has|have|had)\s+(?=\w+ed\b)", re.I), ""),
    (re.compile(r"\bwill\s+(?=[a-z])"), "to "),
    # "X are in contact and working on making proposals" -> "X working on proposals"
    (re.compile(r"\b(?:is|are)\s+(?:[a-z]+\s+){0,3}?(?:and\s+)?(?=(?:working|preparing)\s+on\b)"), ""),
    (re.compile(r"\b(working|preparing)\s+on\s+(?:making|drawing\s+up|drafting)\s+"), r"\1 on "),
    # "an operation called SAHAN" -> "operation SAHAN"
    (re.compile(r"\b(?:an?|the)\s+(?P<noun>[a-z]+)\s+(?:called|named|dubbed)\s+(?=[A-Z])"), r"\g<noun> "),
)
_WORKING = re.compile(
    r"^[\w-]+(?:\s+[\w-]+)?\s+(?:is|are)\s+(?:working|preparing|planning|aiming)\s+to\s+"
    r"(?P<verb>" + "|".join(_NOUNS) + r")\s+(?P<obj>.+)$",
    re.I,
)
_OBJECT_DONE = re.compile(
    r"^[\w-]+(?:\s+[\w-]+)?\s+\w+ed\s+(?:the|a|an)\s+"
    r"(?P<rest>.+\s(?:announced|launched|adopted|signed|presented|agreed|endorsed|concluded))$"
)
# "Commission adopted a Skills and Talent Mobility package" -> "Skills and Talent Mobility package adopted"
_APPOSITIVE = re.compile(r"^[A-Z]?[a-z][a-z\s-]{2,80},\s+the\s+(?P<name>[A-Z][^,]{3,})$")
_DID = r"launched|adopted|signed|presented|endorsed|concluded|published|announced"
_GENERIC_DOER = re.compile(
    rf"^(?:the\s+)?(?:European\s+)?(?:Commission|Council|EU|Parliament)\s+(?P<verb>{_DID})\s+"
    r"(?:the|an?|(?P<n>two|three|four|five|several|new))\s+(?P<obj>[^,;]{6,})$"
)
_EVENT = re.compile(
    r"\b(?:meetings?|summit|councils?|committees?|conferences?|dialogues?|forum|roundtables?|workshops?|"
    r"seminars?|webinars?|visits?|missions?|sessions?|consultations?|negotiations?|group|platform|board|"
    r"launch|adoption|signature|signed|adopted|launched|presentation|publication|entry\s+into\s+force|start|deadline)\b",
    re.I,
)
_PASSIVE_AFTER = (
    r"[”\"’]?\)?(?:,\s+(?:after|following|upon)\s+[^,;()]{3,60})?,?\s+(?:\([^()]*\)\s+)?"
    r"(?:(?:has|have|had|was|were|is|are)\s+(?:been\s+)?"
    r"(?P<verb>handed\s+over|set\s+up|\w+ed)|(?P<did>entered\s+into\s+force|launched|adopted|signed)(?!\s+(?:by|an?|the|its|their)\b)|"
    r"will\s+(?P<will>start|enter\s+into\s+force)\s+(?:in|on|by|at)\b)\b"
    r"(?-i:(?P<agent>\s+by\s+(?!(?:Q[1-4]|January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\b)[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}\b))?"
)
# an event verb with a named object, up to the date or the end of the clause
_ACTIVE_AFTER = (
    r"\s+(?P<verb>visited|met|hosted|attended|held)\s+(?P<obj>[A-Z][^,;.()]*?)"
    r"(?=\s+(?:on|in|from|at|during|between)\s+\d|\s*[,;.(]|$)"
)
# a body that hosted an event: the event names the title, the body its host
_HOSTED_AFTER = (
    r"\s+(?P<verb>hosted|organised|convened)\s+(?:\([^()]*\)\s+)?(?:an?|the)\s+"
    r"(?P<obj>[^,;.()]+?)(?=\s+on\s|[,;.(]|$)"
)
_QUANTITY = re.compile(
    r"^(?P<n>two|three|four|five|six|seven|eight|nine|ten|several|\d+)\s+(?P<noun>[\w-]+)$", re.I
)
_NAMED = re.compile(
    r"(?:[A-Z][\w'’-]*\s+)(?:(?:[A-Z][\w'’-]*|and|of|on|for|the|to)\s+){0,6}?"
    r"(?:Group|Committee|Council|Dialogue|Platform|Network|Forum|Board|Partnership|Process|Working\s+Party)\b"
)


def fit(title: str, sentence: str, start: int, end: int) -> str:
    """`title` as a headline when it names an event; else the first clean repair from the sentence, or ""."""
    if not title.strip():
        return title
    title = _whole_list(title, sentence, start)
    title = _elided_act(_elided(title, sentence, start), sentence, start)
    title = _done_to(_with_verb(_ASIDE.sub("", title), sentence), sentence)
    title = _object_after(title, sentence, start, end)
    title = _next_of(headline(_acted(title, sentence, start) if " " in title else title), sentence)
    if not findings(title, sentence):
        return title
    for candidate in _candidates(title, sentence, start, end):
        candidate = tidy(shorten(headline(candidate))) if candidate else ""
        if candidate and len(candidate.split()) >= 2 and not findings(candidate, sentence):
            return candidate
    return ""


# a subject's comma aside: "Final assessment, after consultation of Member States"
_ASIDE = re.compile(r",\s+(?:after|following|upon)\s+[^,;()]{3,60}$")
_WITH_NAME = re.compile(r"\bwith\s+[A-Z][\w-]*$")
_REST_OF_LIST = re.compile(
    r"(?P<list>(?:,\s*[A-Z][\w-]*)*(?:,?\s+and\s+[A-Z][\w-]*(?:\s+[a-z]+)?)+)\s+(?:on|in|from|at|of)\s*"
)


def _whole_list(title: str, sentence: str, start: int) -> str:
    """A list of names after "with" is kept whole up to the date: "Kick-off meeting with DE" + ", HU and AT
    and Turkish authorities on 5-7 December" -> "Kick-off meeting with DE, HU and AT and Turkish
    authorities"."""
    at = sentence.find(title, 0, start)
    listed = at >= 0 and _WITH_NAME.search(title)
    rest = _REST_OF_LIST.fullmatch(sentence[at + len(title) : start]) if listed else None
    return f"{title}{rest.group('list')}" if rest else title


# the verb phrase after a subject: "finalised the Roadmap and discussed with the network", "became the EU
# Agency for Asylum (EUAA)"; a verb that stands for a later one ("adopted by X was completed") is none
_VERB_PHRASE = re.compile(
    r"^\)?,?\s+(?:\([^()]*\)\s+)?(?P<vp>(?P<will>will\s+)?(?P<verb>[a-z]+)\b(?!\s+by\b)(?!\s+no\b)[^,;:.()]*)"
)
_FINITE = re.compile(r"[a-z]+ed|became|took|met|held|made|gave|sent|led|brought|saw|set|put|began")
_AUX = re.compile(r"\b(?:is|are|was|were|has|have|had|be|been)\b")
_SHARED_OBJECT = re.compile(
    r"^(?P<v1>\w+ed)\s+(?P<obj>(?:the|a|an)\s+[^,]+?)\s+and\s+(?P<v2>\w+ed)\s+(?P<rest>(?:with|to|at)\s+.+)$"
)


def _acted(title: str, sentence: str, start: int) -> str:
    """A bare subject takes the verb phrase the sentence gives it, up to its date: "Return Coordinator" +
    "finalised the Roadmap and discussed with the network on 6-7 December" -> "Return Coordinator
    discussed the Roadmap with the network"; "EASO" + "became the EU Agency for Asylum (EUAA), a …" ->
    "EASO became the EU Agency for Asylum"."""
    words = title.split()
    if _EVENT.search(title) or EVENT_NOUN.search(title) or any(re.fullmatch(r"\w+ed", w) for w in words[1:]):
        return title
    if {LEADING, ACTORS} & set(findings(title)):
        return title
    at = sentence.find(title)
    found = _VERB_PHRASE.match(sentence[at + len(title) :]) if at >= 0 and title[:1].isupper() else None
    if not found or not (found.group("will") or _FINITE.fullmatch(found.group("verb"))):
        return title
    vp_at = at + len(title) + found.start("vp")
    vp = sentence[vp_at : min(vp_at + len(found.group("vp")), start if start > vp_at else len(sentence))]
    vp = _DATED_END.sub("", vp.rstrip()).rstrip(" ,(")
    if _AUX.search(vp[len(found.group("will") or "") :]) or len(vp.split()) < 2:
        return title
    shared = _SHARED_OBJECT.match(vp)
    if shared:
        vp = f"{shared.group('v2')} {shared.group('obj')} {shared.group('rest')}"
    return f"{title} {vp}"


_AND_PREP = re.compile(r"^\W*(?P<event>[A-Z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)\s+(?P<prep>with|to|in)\s")


def _elided(title: str, sentence: str, start: int) -> str:
    """The second half of a coordination names the event the first half does: "Consultations with the
    European Parliament (…), and with civil society organisations (19 February)" + "Civil society
    organisations" -> "Consultations with civil society organisations"."""
    lead = _AND_PREP.match(sentence)
    if not lead or _EVENT.search(title) or not _EVENT.search(lead.group("event")):
        return title
    second = rf"\band\s+{lead.group('prep')}\s+(?:the\s+)?(?P<np>{re.escape(title)})\s*\(?$"
    found = re.search(second, sentence[:start], re.I)
    return f"{lead.group('event')} {lead.group('prep')} {found.group('np')}" if found else title


_ACT_OF = re.compile(
    r"^\W*(?:The\s+)?(?P<act>signature|adoption|launch|conclusion|contracting|finalisation|delivery)\s+of\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,2}?(?P<noun>[a-z]+)s\b",
    re.I,
)


def _elided_act(title: str, sentence: str, start: int) -> str:
    """A clause after ";" that leaves out the verb names the act of the first clause: "The signature of
    additional contracts … will be finalised before the end of the year; one additional anti-smuggling
    contract … early next year" -> "Signature of one additional anti-smuggling contract …"."""
    act = _ACT_OF.match(sentence)
    clause = sentence[sentence.rfind(";", 0, start) + 1 : start].strip() if act else ""
    verbless = not re.search(r"\b(?:\w+ed|to\s+be|will|is|are|was|were|has|have)\b", f"{title} {clause}")
    kind = act and re.search(rf"\b{act.group('noun')}\b", title)
    same = kind and clause.lower().startswith(title.lower()[:12])
    if not (act and ";" in sentence[:start] and verbless and same):
        return title
    return f"{act.group('act').capitalize()} of {title[:1].lower()}{title[1:]}"


# a body's act (not a plan's adoption): "Schengen Council adopted"
_VERB_END = re.compile(
    r"\b(?:Council|Commission|Committee|Parliament|Group|Board|Presidency|Coreper(?:\s+II)?|Ministers?|Agency)\s"
    r"(?:adopted|approved|endorsed|presented|published|launched|signed|issued)$|\sjoined$"
)


_OBJECT = re.compile(
    r"\s*\)?,?\s*(?P<obj>(?:the\s+|a\s+|an\s+)?[a-z][\w-]*\b[^,;.()]*?)(?=\s+\w+ing\b|[,;.()]|$)"
)


def _object_after(title: str, sentence: str, start: int, end: int) -> str:
    """An active verb whose object follows the date takes it: "Schengen Council adopted" + " on 5 March
    recommendations on common areas for improvement flowing from …" -> "Schengen Council adopted
    recommendations on common areas for improvement"."""
    at = sentence.find(title)
    between = sentence[at + len(title) : start] if at >= 0 else "x"
    if not _VERB_END.search(title) or not re.fullmatch(r"\s*(?:on|in|at|by)?\s*", between):
        return title
    obj = _OBJECT.match(sentence[end:])
    if title.endswith("joined"):  # "Greece has joined in May 2024, Frontex EU Reintegration Programme"
        obj = re.match(r"\s*,?\s*(?P<obj>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)+)", sentence[end:])
    word = obj.group("obj").split()[0] if obj else "on"
    if not obj or re.fullmatch(r"(?:on|in|at|by|to|for|with|and|or|which|that|\w+ly|\w+ing)", word):
        return title
    return f"{title} {obj.group('obj').strip()}"


_WILL_DO = re.compile(
    r"\b(?:will|shall|to)\s+(?:then\s+|also\s+)?(?P<verb>"
    + "|".join(sorted(_NOUNS, key=len, reverse=True))
    + r")\s+(?P<det>the|its|their)\s+",
    re.I,
)


def _done_to(title: str, sentence: str) -> str:
    """A noun phrase the sentence says something will be done to is named with that act: "Frontex will
    follow up the Tunisian visit with an offer …" + "Tunisian visit with an offer …" -> "Follow-up of the
    Tunisian visit with an offer …"."""
    at = sentence.lower().find(title.lower())
    found = [m for m in _WILL_DO.finditer(sentence[: max(at, 0)]) if m.end() == at] if at > 0 else []
    if not found or _EVENT.search(title.split()[0]):
        return title
    return f"{_NOUNS[found[0].group('verb').lower()]} of {found[0].group('det').lower()} {title}"


_NEXT = re.compile(
    r"^(?:Next|First|Second|Third|Fourth|Fifth|Sixth|Last|Final|\d+(?:st|nd|rd|th)|[\w-]+-day|Technical|Expert)\s+"
    r"(?:(?:expert|technical|(?-i:[A-Z]{2,6}))\s+)?"
    r"(?P<noun>meeting|roundtable|session|round|edition|workshop|seminar|webinar|mission|visit)$",
    re.I,
)


def _next_of(title: str, sentence: str) -> str:
    """ "Next meeting" names what it is the next of when the sentence names a group before it: "European
    Contact Group on Search and Rescue (6 meetings so far; next meeting …)" -> "Next meeting of the …"."""
    before = sentence[: max(sentence.lower().find(title.lower()), 0)]
    return _by_whom(of_context(title, before), sentence) if _NEXT.match(title) else title


def of_context(title: str, before: str) -> str:
    """A title that is an event word with an ordinal or a generic modifier ("Third roundtable", "Next
    meeting", "Two-day workshop") names the group the text before it names, in its own list item ("… to
    support the EU-Pakistan Talent Partnership. Third roundtable …" -> "Third roundtable of the EU-Pakistan
    Talent Partnership", named in this sentence or the one before), else the partner the item is labelled
    with ("Bangladesh: Second roundtable …" -> "Second roundtable with Bangladesh")."""
    if not _NEXT.match(title):
        return title
    item = re.split(r"[•➢▪]\s", before)[-1]
    near = " ".join(re.split(r"(?<=[.!?])\s+(?=[A-Z])", item)[-2:])  # this sentence and the one before
    named = [m.group(0) + _topic(near, m.end()) for m in _NAMED.finditer(near)]
    named = [re.sub(r"^(?:The|Next|An?)\s+", "", name) for name in named if len(name.split()) >= 2]
    label = re.match(r"^\W*(?P<label>[A-Z][\w'’ -]{2,30}):\s", item)
    partner = label.group("label") if label else ""
    with_partner = f" with {partner}" if partner and countries_in(partner, partners_only=False) else ""
    if named and countries_in(named[-1], partners_only=False):
        return f"{title} of the {named[-1]}"
    if named or with_partner:
        return f"{title} of the {named[-1]}{with_partner}" if named else f"{title}{with_partner}"
    whole = _part_of(near)
    return f"{title} of the {whole}" if whole else f"{title}{_item_partner(item)}"


_PART_OF = re.compile(r"\b(?:as\s+part\s+of|under|within)\s+the\s+(?P<noun>[a-z]+)\b")
_WITH_NAMES = re.compile(r"^[^.;]*?\bwith\s+(?P<names>[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*)")


def _part_of(near: str) -> str:
    """What an event is "part of", named in full before: "Visa liberalisation dialogue launched … with
    Armenia. A Senior Officials Meeting was held … as part of the dialogue" -> "visa liberalisation dialogue
    with Armenia"."""
    part = _PART_OF.search(near)
    if not part:
        return ""
    noun = part.group("noun")
    whole = rf"\b[A-Z][a-z][\w-]*(?:\s+[a-z][\w-]*){{0,4}}?\s+{noun}\b"
    found = list(re.finditer(whole, near[: part.start()]))
    if not found:
        return ""
    name = found[-1].group(0)
    plain = all(w.islower() for w in name.split()[1:])
    name = name[:1].lower() + name[1:] if plain else name
    partner = _WITH_NAMES.match(near[found[-1].end() :])
    if partner and countries_in(partner.group("names"), partners_only=False):
        return f"{name} with {partner.group('names')}"
    return name


def _item_partner(item: str) -> str:
    """ " with X" when the list item or paragraph names one partner country X ("the Tunisian Coast Guard")."""
    partners = countries_in(item)
    return f" with {country_name(partners[0])}" if len(partners) == 1 else ""


_BY_AGENT = (
    r"\s+(?:was\s+|were\s+)?(?P<verb>held|organised|organized|hosted|co-organised|co-hosted)\s+by\s+"
    r"(?P<agent>[A-Z][^,;.()]*?)(?=\s*[,;.(]|\s+(?:on|in|from)\s|$)"
)


def _by_whom(title: str, sentence: str) -> str:
    """A generic event ("Two-day workshop") names who held it: "… a two-day workshop was held by OSCE and
    the Hungarian Ministry of Interior, …" -> "Two-day workshop held by OSCE and the Hungarian Ministry of
    Interior"."""
    found = re.search(re.escape(title) + _BY_AGENT, sentence, re.I) if _NEXT.match(title) else None
    return f"{title} {found.group('verb')} by {found.group('agent')}" if found else title


def _topic(text: str, at: int) -> str:
    """The capitalised "on …" that ends a body's name: " on Search and Rescue"."""
    found = re.match(r"\s+(?:on|for)\s+[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*", text[at:])
    return found.group(0) if found else ""


def headline(title: str) -> str:
    """A clause as a headline: "X will be developed" -> "X to be developed", "X is expected to be signed" ->
    "X to be signed", "X was launched" -> "X launched", "Greece has joined" -> "Greece joined"."""
    for pattern, replacement in _HEADLINE:
        title = pattern.sub(replacement, title)
    working = _WORKING.match(title)
    if working:  # "Commission is working to contract projects" -> "Contracting of projects"
        return f"{_NOUNS[working.group('verb').lower()]} of {working.group('obj')}"
    named = _APPOSITIVE.match(title)
    if named and " " in named.group("name"):  # "First building block, the Entry/Exit System …" -> "Entry/…"
        title = named.group("name")
    did = _GENERIC_DOER.match(title)
    if did:
        obj = " ".join(filter(None, (did.group("n"), did.group("obj"))))
        return f"{obj[:1].upper()}{obj[1:]} {did.group('verb')}"
    done = _OBJECT_DONE.match(title)
    if done:  # "Commission delivered the package announced" -> "Package announced"
        return done.group("rest")[:1].upper() + done.group("rest")[1:]
    return title


def _with_verb(title: str, sentence: str) -> str:
    """A subject without its verb gets the participle the sentence gives it: "Five Search and Rescue vessels"
    + "have been handed over" -> "Five Search and Rescue vessels handed over", "The revised Schengen Borders
    Code entered into force" -> "… Code entered into force"; a named agent stays ("signed by UNODC")."""
    if _EVENT.search(title) or len(title.split()) < 2:
        return title
    text = re.sub(r"\s+", " ", drop_amounts(abbreviate(sentence)))
    done = re.search(re.escape(title) + _PASSIVE_AFTER, text, re.I)
    active = re.search(re.escape(title) + _ACTIVE_AFTER, text)
    if not done and active:  # "Representatives of NACORAC" + "visited Frontex HQ on 29-31 January"
        return f"{title} {active.group('verb')} {active.group('obj')}"
    hosted = re.search(re.escape(title) + _HOSTED_AFTER, text)
    if not done and hosted and EVENT_NOUN.search(hosted.group("obj")):  # "EMN hosted (12 March) a workshop"
        obj = hosted.group("obj")
        return f"{obj[:1].upper()}{obj[1:]} {hosted.group('verb')} by {title}"
    last = title.rsplit(", ", 1)[-1]
    step = re.search(rf"{re.escape(last)},?\s+(?P<verb>started|began|{_DID})\s+(?:in|on|by)\b", text)
    if not done and last != title and len(last.split()) >= 2 and step:
        return f"{last} {step.group('verb')}"  # "Phase 6 under implementation, Phase 7" + "started in March"
    if not done:
        return title
    if done.group("will"):
        return f"{title} to {done.group('will')}"
    return f"{title} {done.group('verb') or done.group('did')}{done.group('agent') or ''}"


def _candidates(title: str, sentence: str, start: int, end: int) -> Iterator[str]:
    passive = re.search(re.escape(title.rstrip()) + r"\s+(?P<verb>\w+(?:ed|en))\b", sentence, re.I)
    if passive and title.lower().endswith(" to be"):
        yield f"{title} {passive.group('verb')}"  # "Tunisia window to be" + "contracted"
    yield _with_amount(title, sentence)
    yield _actors_doing(title, sentence)
    yield _both(title, sentence, start)
    yield _second_half(title, sentence)
    yield _to_date(title, sentence, start)
    trimmed = trim(title)
    yield trimmed
    yield from _completed(trimmed or title, sentence, end)
    yield _acted(trimmed or title, sentence, start)
    yield from _participle(trimmed or title, sentence, start)
    yield from _planned(sentence[:start])
    found, _ = subject(sentence)
    if found and not find_dates(found):
        yield found
    yield _clause(sentence, start, end)
    yield _previous(sentence, start)


_AMOUNT_AFTER = re.compile(r"\s+(?P<amount>of\s+EUR\s+[\d.,]+\s*(?:million|billion|m|bn)?)\b", re.I)


def _with_amount(title: str, sentence: str) -> str:
    """A lone "another top-up" is told apart by its amount: "Another top-up of EUR 90 million"."""
    at = sentence.lower().find(title.lower())
    lone = at >= 0 and QUANTITY in findings(title)
    found = _AMOUNT_AFTER.match(sentence, at + len(title)) if lone else None
    return f"{title} {found.group('amount')}" if found else ""


_DOING = re.compile(
    r"\s+(?:are\s+|is\s+)?(?:proceeding|working|moving\s+ahead|pressing\s+ahead)\s+(?:with|on)\s+(?:the\s+)?"
    r"(?P<np>[a-z][^,;.()]+?)(?=\s+(?:following|after|before|since|until|by|in\s+\d|on\s+\d)\b|[,;.(]|$)"
)


def _actors_doing(title: str, sentence: str) -> str:
    """A list of actors names what they are doing: "Frontex, Commission, EEAS and EUDEL" + "proceeding with
    the deployment of a Liaison Officer in Islamabad following …" -> "Deployment of a Liaison Officer in
    Islamabad"."""
    at = sentence.find(title)
    found = _DOING.match(sentence, at + len(title)) if at >= 0 and ACTORS in findings(title) else None
    return found.group("np") if found else ""


_SECOND_HALF = re.compile(rf"^\w+\s+and\s+(?P<rest>(?:{_EXPECTED})\s+to\s+.+)$", re.I)


def _second_half(title: str, sentence: str) -> str:
    """The second half of a verb phrase gets the sentence's subject, without its own reduced clause: "The
    contract of X to be implemented by GIZ, is under negotiation and expected to be finalised by …" +
    "Negotiation and expected to be finalised" -> "Contract of X to be finalised"."""
    half = _SECOND_HALF.match(title)
    found = subject(sentence)[0] if half else None
    if not half or not found:
        return ""
    found = re.sub(r"\s+to\s+be(?:\s+\w+(?:ed|en)\b.*)?$", "", found)
    return headline(f"{found} is {half.group('rest')}")


def _to_date(title: str, sentence: str, start: int) -> str:
    """A title cut at a dangling word or at a state, carried on to the date: "X are in contact (and working)"
    + " on making concrete proposals in December" -> "X working on concrete proposals"."""
    at = sentence.find(title, 0, start)
    if at < 0 or not {DANGLING, STATE} & set(findings(title)):
        return ""
    return headline(_DATED_END.sub("", sentence[at:start].rstrip()).rstrip(" ,("))


def trim(title: str) -> str:
    """A title without leading connectors, auxiliaries or a leading date ("In January 2023 border ...") and
    without dangling last words; a leading verb becomes its noun ("present X" -> "Presentation of X")."""
    text = title.strip()
    for _ in range(3):
        text = _LEAD.sub("", text).strip()
        dated = find_dates(text)
        lead = dated[0] if dated and dated[0].parsed.start is not None else None
        if lead and not text[: lead.start].strip(" ,"):
            text = text[lead.end :].strip(" ,")
        text = _END.sub("", _OPEN_NP.sub("", _CUT_DATE.sub("", text))).strip(" ,;:")
    verb = _VERB_LEAD.match(text)
    if verb and text[:1].islower():
        text = f"{_NOUNS[verb.group('verb').lower()]} of {verb.group('rest')}"
    return text


def _participle(title: str, sentence: str, start: int) -> Iterator[str]:
    """A participle without its subject: the event after "followed by", the label or subject put back."""
    if PARTICIPLE not in findings(title):
        return
    by_event = _BY_EVENT.match(title)
    if by_event:
        yield by_event.group("np")
    head = sentence[:start]
    label = re.match(r"^\W*(?P<label>[^:;.]{2,60}):\s", LEAD_NOISE.sub("", head))
    for verb, noun in _PARTICIPLES.items():
        if title.lower().startswith(verb) and label:
            yield f"{label.group('label').strip()}: {noun}"
    owner = _BEFORE_COMMA.search(head[: head.lower().rfind(title.split()[0].lower())])
    if owner:  # "One missed opportunity is the reform of the Return Directive, first proposed in 2018"
        yield f"{owner.group('np')} {title[:1].lower()}{title[1:]}"
    found, _ = subject(head + "is")
    if found and len(found.split()) <= 8 and found.lower() != title.lower():
        lead = re.match(r"taken\s+place\s+(?P<rest>.+)$", title, re.I)
        yield f"{found} {lead.group('rest')}" if lead else f"{found} {title[:1].lower()}{title[1:]}"


def _planned(head: str) -> Iterator[str]:
    """What the sentence sets out to do before the date: "to conduct an analysis on X" -> "Analysis on X",
    "to present the plan" -> "Presentation of the plan"."""
    for found in _TO_DO.finditer(head):
        verb, obj = found.group("verb").lower(), found.group("obj").strip()
        noun = _NOUNS.get(verb)
        yield f"{noun} of {obj}" if noun else ARTICLE.sub("", obj)


def _completed(title: str, sentence: str, end: int) -> Iterator[str]:
    """A lone quantity or a one-word title completed from the sentence around it."""
    words = title.split()
    if len(words) == 1 and _BODIES.fullmatch(title):
        yield f"{title} meeting"
    after = re.match(r"\s*\)?\s*of\s+(?P<np>[^,;.()]{3,80})", sentence[end:])
    if len(words) == 1 and after:
        yield f"{title} of {after.group('np')}"
    if len(words) == 1 and re.search(rf"\b{re.escape(title)}\s+met\b", sentence):
        yield f"{title} meeting"  # "The Network met on 14 January"
    if len(words) == 1:
        verb = re.search(rf"\b{re.escape(title)}\s+{_DONE}", sentence)
        if verb and _VERB_WORD.fullmatch(verb.group("verb")):
            obj = "" if verb.group("passive") else _DATED.sub("", verb.group("obj"))
            done = ARTICLE.match(obj.strip())
            if done:  # "ROCK launched an operation called SAHAN" -> "Operation SAHAN launched by ROCK"
                thing = ARTICLE.sub("", headline(obj.strip()))
                yield f"{thing[:1].upper()}{thing[1:]} {verb.group('verb').lower()} by {title}"
            yield f"{title} {verb.group('verb').lower()}{obj}"
    quantity = _QUANTITY.match(title)
    named = [re.sub(r"^.*\bof\s+the\s+|^The\s+", "", m.group(0)) for m in _NAMED.finditer(sentence)]
    named = [name for name in named if len(name.split()) >= 2]
    if quantity and named:
        noun = quantity.group("noun").rstrip("s")
        yield f"{quantity.group(0)} of the {named[0]}" if noun != "meeting" else f"{named[0]} meetings"
    if len(words) == 1 and named:
        yield f"{named[0]} {title.lower()}"


def _previous(sentence: str, start: int) -> str:
    """The comma-part before the one holding the date ("on the Dublin system, balanced with … (23 Jan)")."""
    parts = re.split(r"[,;:]\s", sentence[:start])
    return trim(parts[-2]) if len(parts) >= 2 else ""


def _clause(sentence: str, start: int, end: int) -> str:
    """The comma-part of the sentence holding the date, without the date and its preposition."""
    left = max(sentence.rfind(sep, 0, start) for sep in (", ", "; ", ": "))
    ends = [i for i in (sentence.find(", ", end), sentence.find("; ", end)) if i >= 0]
    right = min(ends, default=len(sentence))
    before = _DATED_END.sub("", sentence[left + 1 : start].strip())
    return trim(f"{before} {sentence[end:right].strip(' )')}")


_BOTH = re.compile(
    r"\b(?:in|of|on|from|by|to)\s+(?P<first>the\s+[^,;]+?)\s+and\s+(?P<second>the\s+[^,;]+?)"
    r",\s*(?:both|all|each)\s+(?P<verb>\w+ed)\s+(?:on|in|at|by|during)?\s*$",
    re.I,
)


def _both(title: str, sentence: str, start: int) -> str:
    """A title "Both presented" names the two things coordinated before it: "… identified in the Schengen
    thematic evaluation on return and the Commission SWD on the returns of …, both presented on 16 December"
    -> "Schengen thematic evaluation on return and the Commission SWD on the returns presented"."""
    if not re.match(r"(?:both|all|each)\s", title, re.I):
        return ""
    found = _BOTH.search(sentence[:start])
    if not found:
        return ""
    first, second = (re.split(r"\s+of\s+", found.group(part))[0] for part in ("first", "second"))
    return f"{ARTICLE.sub('', first)} and {second} {found.group('verb')}"


_BACK = re.compile(r"^(?P<noun>[A-Z][a-z]+)\s+(?P<rest>(?:\w+ed|to\s+be\s+\w+ed)\b.*)$")


def antecedent(title: str, sentence: str, before: str) -> str:
    """A title that is one generic noun the sentence calls "the Service" (+ a participle) names the thing
    the text before it named in full: "Frontex Joint Reintegration Services, which …. Since the Service was
    launched in April 2022" -> "Frontex Joint Reintegration Services launched"."""
    bare = _BACK.match(title)
    if not bare or not re.search(rf"\bthe\s+{bare.group('noun')}\b", sentence):
        return title
    names = re.findall(rf"\b((?:[A-Z][\w-]*\s+){{1,6}}{bare.group('noun')}s?)\b", before[-600:])
    names = [name for name in names if not name.lower().startswith("the ")]
    return f"{names[-1]} {bare.group('rest')}" if names else title


_BARE_STEP = re.compile(
    r"\b(?:to|of)\s+(?:conclusion|ratification|signature|entry\s+into\s+force)$|"
    r"^(?:Provisional\s+)?(?:entry\s+into\s+force|ratification)$",
    re.I,
)
_ITEM_LABEL = re.compile(r"^\W*(?P<label>[A-Z][^:.;]{1,40}):\s")
_LABELLED = re.compile(r"^(?P<label>[^:]{2,60}):\s(?P<noun>" + "|".join(_PARTICIPLES.values()) + r")$")
_LEAD_THING = re.compile(r"^\W*(?P<thing>(?:[A-Z][\w-]*\s+){0,4}[A-Z][\w-]*?)s?\b(?:\s+[a-z][^:]*)?:$")


def labelled(title: str, lead: str, item: str = "") -> str:
    """A labelled participle as a headline: "Status Agreement with Moldova: signature" -> "Signature of the
    Status Agreement with Moldova"; a bare country as label takes the thing the list's lead-in names
    ("Frontex Status Agreements under implementation:" + "North Macedonia: signature" -> "Signature of the
    Frontex Status Agreement with North Macedonia"), and so does a step without its object in that item
    ("Montenegro: …. European Parliament consented to conclusion" -> "… to conclusion of the Frontex Status
    Agreement with Montenegro")."""
    found = _LABELLED.match(title)
    bare = _BARE_STEP.search(title)
    label = _ITEM_LABEL.match(item)
    if not found and bare and label:
        thing = _LEAD_THING.match(lead.strip())
        country = label.group("label")
        if thing and EVENT_NOUN.search(thing.group("thing")) and countries_in(country, partners_only=False):
            return f"{title} of the {thing.group('thing')} with {country}"
    if not found:
        return title
    label, noun = found.group("label").strip(), found.group("noun")
    thing = _LEAD_THING.match(lead.strip())
    if EVENT_NOUN.search(label):
        return f"{noun[:1].upper()}{noun[1:]} of the {ARTICLE.sub('', label)}"
    country = countries_in(label, partners_only=False) and len(label.split()) <= 3
    if country and thing and EVENT_NOUN.search(thing.group("thing")):
        return f"{noun[:1].upper()}{noun[1:]} of the {thing.group('thing')} with {label}"
    return title


_THING = r"project|programme|action|contract|agreement|dialogue|scheme|facility|partnership"
_STEP = r"\s+(?:\w+ed|to\s+be\s+\w+)"
_DEFINITE = re.compile(rf"^(?P<head>.*\bof\s+the\s+)(?P<noun>{_THING})(?P<rest>(?:{_STEP})?)$")
_BARE_DEAL = re.compile(rf"^(?P<noun>(?:Grant\s+)?(?:Agreement|Contract))(?P<rest>{_STEP}\b.*)$")
_KIND = re.compile(r"\b(?:a|an|the)\s+(?P<np>(?:[\w-]+\s+){0,5}?(?:programme|project|action|scheme))\b")
_QUOTED = re.compile(r"[“\"](?P<name>[A-Z][^”\"]{8,150})[”\"]")
_ITEM_MARK = re.compile(r"(?:^|\s)[-•➢▪]\s|[.;:]\s+(?=[-•➢▪]\s)")


def referent(title: str, sentence: str, before: str) -> str:
    """A title naming its thing only as "the project" or a bare "Agreement" names what its list item calls
    it: "Implementation of the project" after "… under EMPATHY project with IOM." -> "Implementation of the
    EMPATHY project"; "Signature of the contract" after 'The action "Global Action …" is under preparation.'
    -> "Signature of the contract for the Global Action …"; "Agreement to be signed" in a sentence on "a new
    assisted voluntary return programme" -> "Agreement for the new assisted voluntary return programme to be
    signed". Nothing named in the item: unchanged."""
    item = _ITEM_MARK.split(before)[-1][-400:]
    the = _DEFINITE.match(title)
    if the:
        noun = the.group("noun")
        names = re.findall(rf"\b((?:[A-Z][\w-]*\s+){{1,6}}){noun}\b", item)
        names = [n.strip() for n in names if not re.match(r"(?:The|A|An|This|Its)\s", n)]
        if names:
            return f"{the.group('head')}{names[-1]} {noun}{the.group('rest')}"
        quoted = _QUOTED.findall(item) if noun in ("contract", "agreement") else []
        return f"{title} for the {quoted[-1]}" if len(quoted) == 1 and not the.group("rest") else title
    deal = _BARE_DEAL.match(title)
    at = sentence.find(title[:1].lower() + title[1:]) if deal else -1
    things = list(_KIND.finditer(sentence[: max(at, 0)]))
    if deal and things:
        return f"{deal.group('noun')} for the {things[-1].group('np')}{deal.group('rest')}"
    return _partner_after(_phase_of(title, sentence), sentence)


_PHASE = re.compile(
    r"^(?P<part>(?:New|Next|First|Second|Third|Final|Last)\s+(?:phase|stage|round|cycle))(?P<rest>\s.*)?$"
)
_NAMES = r"[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*"


def _phase_of(title: str, sentence: str) -> str:
    """A new phase names what it is a phase of and with whom, as the clause before it says: "A continuation
    of COPs will be concluded with Mauritania and The Gambia (new phase is to be concluded by …)" + "New
    phase to be concluded" -> "New phase of COPs with Mauritania and The Gambia to be concluded"."""
    phase = _PHASE.match(title)
    at = sentence.lower().find(phase.group("part").lower()) if phase else -1
    of = list(re.finditer(rf"\bof\s+(?P<x>{_NAMES})", sentence[: max(at, 0)]))
    if not phase or not of:
        return title
    partners = re.search(rf"\bwith\s+(?P<w>{_NAMES})", sentence[of[-1].end() : at])
    named = partners and countries_in(partners.group("w"), partners_only=False)
    whom = f" with {partners.group('w')}" if named else ""
    return f"{phase.group('part')} of {of[-1].group('x')}{whom}{phase.group('rest') or ''}"


_NOMINAL = (
    r"(?:adoption|publication|signature|launch|presentation|submission|finalisation|approval|endorsement|"
    r"implementation|translation)"
)
_BARE_NOMINAL = re.compile(rf"{_NOMINAL}(?:(?:,\s*|\s+and\s+){_NOMINAL})*", re.I)
_LABEL_AT = re.compile(r"(?:^|[•➢▪]\s|\s-\s)\W*(?P<label>[A-Z][^:.;•]{1,40}):\s")


def of_label(title: str, before: str) -> str:
    """A bare nominalisation ("Adoption and publication") takes the label of its list item or cell as its
    object: "Template for the national strategies: Positive opinion … Adoption and publication in March." ->
    "Adoption and publication of the template for the national strategies". A country label is a partner,
    not an object (see `labelled`); no label: unchanged."""
    labels = list(_LABEL_AT.finditer(before)) if _BARE_NOMINAL.fullmatch(title) else []
    label = ARTICLE.sub("", labels[-1].group("label").strip()) if labels else ""
    if not label or countries_in(label, partners_only=False):
        return title
    words = label.split()
    plain = words[0][1:].islower() and all(w.islower() or w in ("EU",) for w in words[1:])
    return f"{title} of the {label[:1].lower() + label[1:] if plain else label}"


def _partner_after(title: str, sentence: str) -> str:
    """A step named without its partner takes the one the sentence gives right after its verb: "First
    Partnership launched" + "was launched with Morocco in July 2022" -> "First Partnership launched with
    Morocco"; a title that names a country already, or a partner that is no country, leaves it."""
    done = re.search(r"\s(?P<verb>\w+ed)$", title)
    if not done or countries_in(title, partners_only=False):
        return title
    dated = r"(?:(?:in|on)\s+(?:\w+\s+){0,2}\d{4}\s+)?"  # "concluded in November 2024 with Guinea"
    found = re.search(rf"\b{done.group('verb')}\s+{dated}with\s+(?P<w>{_NAMES})", sentence)
    named = found and countries_in(found.group("w"), partners_only=False)
    return f"{title} with {found.group('w')}" if named else title
