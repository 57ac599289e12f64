"""Sentence-level event extraction shared by the prose-like layouts (001-004 and the fallback).

A layout turns its document into `Block`s: a run of text with the line each character came from, the
section it belongs to, the section's countries and whether it sits in a "next steps" context. The
`Extractor` then splits blocks into sentences, finds every date with `parsers.dates.find_dates`, drops
dates that are not events (statistics, counting periods, bare background years, names such as
"Plan 2026-2027") and turns each remaining date into one `ParsedEvent`: a short title naming the event,
the sentence as description, countries from the section or from the words next to the date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from parsers.dates import DateMatch, ParsedDate, find_dates, parse_date
from parsers.model import ParsedEvent, Source
from parsers.phrases import EVENT_NOUN, LEAD_NOISE, make_title
from parsers.tagging import countries_in, processes_in
from parsers.text import squeeze
from parsers.title_repair import antecedent, fit, labelled, of_context, of_label, referent

# ---------------------------------------------------------------------------------------------------------
# Blocks: text with its line numbers
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Block:
    """A run of text (a paragraph, a table cell, a list item) and where each part of it came from."""

    section: str | None = None
    countries: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    planned: bool = False  # in a "next steps" / "way ahead" context
    reported: bool = False  # in a status / comments context: undated-tense mentions are past
    text: str = ""
    _starts: list[int] = field(default_factory=list)
    _lines: list[int] = field(default_factory=list)
    _pages: list[int | None] = field(default_factory=list)

    def add(self, line: int, text: str, page: int | None = None) -> None:
        """Append one physical line (or cell fragment), re-joining words hyphenated across lines."""
        piece = squeeze(text)
        if not piece:
            return
        hyphenated = self.text.endswith("-") and not self.text.endswith(" -") and piece[:1].islower()
        if self.text and not hyphenated:
            self.text += " "
        self._starts.append(len(self.text))
        self._lines.append(line)
        self._pages.append(page)
        self.text += piece

    def line_at(self, offset: int) -> int:
        """The 1-based source line of a character offset."""
        if not self._lines:
            return 0
        return self._lines[max(0, bisect_right(self._starts, offset) - 1)]

    def page_at(self, offset: int) -> int | None:
        """The 1-based page of a character offset, when the format has pages."""
        if not self._pages:
            return None
        return self._pages[max(0, bisect_right(self._starts, offset) - 1)]

    def raw(self, start: int, end: int) -> str:
        return self.text[start:end]


# ---------------------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------------------

_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|i\.a|etc|vs|No|no|Art|Mr|Ms|Dr|St|para|cf|approx|incl|Ref|p|pp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
    r"Sep|Sept|Oct|Nov|Dec|D\.C|U\.S|[A-Z])\.)$"
)
_SENTENCE_END = re.compile(
    r"[.!?](?:[”\"')\]]*)\s+(?=[\"“(•➢>\-–]?\s*[A-Z0-9•➢])|\s+(?=[•➢≻]\s)|;\s+(?=[-•]\s)"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of a text; abbreviations such as "e.g." and "i.a." do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start() + 1]
        if _ABBREV.search(head.rstrip()):
            continue
        if match.start() + 1 - start >= 2:
            spans.append((start, match.start() + 1))
            start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# ---------------------------------------------------------------------------------------------------------
# Cues: held vs planned, next steps, statistics
# ---------------------------------------------------------------------------------------------------------

NEXT_STEPS = re.compile(r"^\W*(?:N\W*)?EXT\s+STEPS\b|^\W*next\s+steps\b", re.I)
_FUTURE = re.compile(
    r"\b(?:will|shall|to\s+be|to\s+take\s+place|planned|plans?\s+to|expected|envisaged|tentatively|scheduled|upcoming|"
    r"forthcoming|foreseen|should|would|aims?\s+to|intends?|is\s+due|are\s+due|is\s+to|are\s+to|next|to\s+(?:discuss|"
    r"present|launch|vote|decide|adopt|sign|hold|propose|organise|organize|continue)|going\s+to|tbc|"
    r"to\s+be\s+confirmed)\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:took\s+place|was|were|had|has\s+been|have\s+been|held|met|visited|hosted|discussed|adopted|signed|launched|"
    r"presented|organi[sz]ed|started|agreed|endorsed|completed|concluded|issued|delivered|submitted|published|"
    r"decided|established|approved|voted|exchanged|covered|confirmed|finalised|finalized|entered|announced|"
    r"reached|initiated|created|set\s+up|reactivated|received|handed|sent|shared|proposed|called|chaired|"
    r"focused|informed|joined|resumed|extended|contracted|allocated|opened|recalled|underlined|reiterated|"
    r"conducted|took|led|gave|made|brought|welcomed|expressed|deployed|ended|continued|mentioned)\b",
    re.I,
)
TENTATIVE = re.compile(
    r"\b(?:tbc|tbd|to\s+be\s+confirmed|tentative(?:ly)?|planned|envisaged|expected|foreseen|provisional(?:ly)?|"
    r"possibly)\b",
    re.I,
)
_STATS = re.compile(
    r"%|\bper\s+cent\b|\bcompared\s+(?:to|with)\b|\bincrease[ds]?\b|\bdecrease[ds]?\b|\bdropped\b|\bfell\b|"
    r"\brecorded\b|\bintercepted\b|\barrivals?\b|\bcrossings\b|\bdetections\b|\bdepartures\b|\bdeaths\b|"
    r"\bmissing\b|\breturnees\b|\bnumber\s+of\b|\bpledges\b|\bdeployments\b|\bbeneficiaries\b|\bmobilities\b|"
    r"\byear[-\s]on[-\s]year\b|\bmobilise\b|\bearmarked\b|\bdevoted\b|\btotal\s+of\b|\bover\s+\d|\bmore\s+than\b|\bstands\s+at\b|\bsessions\b",
    re.I,
)
_EVENT_WORD = re.compile(
    r"\b(?:meeting|meetings|met|summit|council|committee|subcommittee|sub-committee|conference|dialogue|dialogues|"
    r"forum|roundtable|round\s+table|round|workshop|seminar|webinar|visit|visits|visited|mission|missions|"
    r"session|consultations?|talks|negotiations?|group|party|network|platform|board|steering|hearing|trilogues?|"
    r"held|hosted|took\s+place|take\s+place|signed|signature|adopted|adoption|adopt|launched|launch|entered\s+into|"
    r"entry\s+into|enters?\s+into|application|apply|applying|presented|present|proposed|proposal|published|"
    r"publication|endorsed|agreed|agreement|decision|decided|vote|voted|deadline|deployed|deployment|started|"
    r"start|starting|kick-off|evaluation|evaluations|report|communication|statement|declaration|"
    r"exercise|operation|call|programme|project|action|package|measure|contract|contracts|contracted|"
    r"arrangement|strategy|roadmap|plan|initiative|partnership|concluded|conclusion|completed|issued|delivered|"
    r"handed|organised|organized|discussed|celebrates|anniversary|review|assessment|established|reactivated|"
    r"opened|approved|finalised|finalized|submitted|announced|joined|suspend|suspended|resumed|undergo|"
    r"recommendations?|response|responded|"
    r"examin\w+|revision|update|implementation|operations|published|sent|allocated|set\s+up|created|"
    r"initiated|shared|informed|conducted|launching|implementing|align)\b",
    re.I,
)
_ROUTINE = re.compile(r"\b(?:monthly|weekly|regularly|on\s+a\s+(?:monthly|weekly|regular)\s+basis)\b", re.I)

# Words right before a date that make it a period, a count or a background reference, not an event.
_BAD_PREFIX = re.compile(
    r"(?:\bsince(?:\s+at\s+least)?|\buntil|\btill|\bup\s+to|\bbetween|\bfrom|\bcompared\s+(?:to|with)|\bthan\s+in|\bthroughout|"
    r"(?<!planned\s)(?<!scheduled\s)(?<!envisaged\s)(?<!expected\s)(?<!foreseen\s)(?<!earmarked\s)\bfor|"
    r"\bduring\s+the\s+(?:period|years?)|\bover|\bper|\bsame\s+period|\bending|\bextended\s+to|"
    r"\b(?:the\s+)?(?:last|past)|\bin\s+the\s+(?:last|past)|\bto)\s*(?:the\s+)?$",
    re.I,
)
_YEAR_PREFIX = re.compile(
    r"(?:\bin|\bby|\bduring|\bin\s+the\s+course\s+of|\bwithin|\bfor|\bstarting\s+in|\bas\s+from|\bsince|\bstarting|"
    r"\blater\s+in|\bearly|\bend\s+of|\bin\s+early|\bin\s+mid-?|\bin\s+late|\bbefore)\s*(?:the\s+)?(?:end\s+of\s+)?$",
    re.I,
)
# A date glued to a noun is part of a name: "Plan 2026-2027", "AAP 2024", "the 2023 State of the Union".
_NAME_AFTER = re.compile(
    r"^\s*(?:[A-Z][a-z]+\s+(?:State|Report|Action|Plan|Programme|Policy)|State\s+of|funding|North\s+Africa|"
    r"Schengen\s+Cycle|EU\s+resettlement|resettlement|anti-smuggling\s+programme|programme|proposal|priorities|"
    r"policy\s+cycle|pledges|EU\s+Resettlement|Roadmap|Migrant\s+Smuggling|/\d|[-–]\d)",
)


def is_past(text: str) -> bool:
    """True when a stretch of text reports something as done."""
    return bool(_PAST.search(text))


def is_future(text: str) -> bool:
    """True when a stretch of text announces something to come."""
    return bool(_FUTURE.search(text))


# ---------------------------------------------------------------------------------------------------------
# The extractor
# ---------------------------------------------------------------------------------------------------------


def split_parts(parsed: ParsedDate, text: str, today: dt.date) -> list[ParsedDate]:
    """One date per event: "17 December 2024 and 21 January" -> two dates; "18-19 March" stays one."""
    if len(parsed.parts) > 1:
        return [_from_part(parsed, part) for part in parsed.parts]
    if parsed.precision == "months" and re.search(r",|\band\b", text) and not re.search(r"[-–]|\bto\b", text):
        pieces = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", text) if p.strip()]
        out = []
        for piece in pieces:
            one = parse_date(piece, today, parsed.end.year if parsed.end else None)
            if one.start is None or not (parsed.start <= one.start <= one.end <= parsed.end):
                return [parsed]
            out.append(dataclasses.replace(one, text=text, tentative=parsed.tentative, status=parsed.status))
        return out
    return [parsed]


def _from_part(parsed: ParsedDate, part) -> ParsedDate:
    s, e = part.start, part.end
    if part.precision == "day":
        edtf = s.isoformat()
    elif part.precision == "month":
        edtf = f"{s.year:04d}-{s.month:02d}"
    elif part.precision == "year":
        edtf = f"{s.year:04d}"
    else:
        edtf = f"{s.isoformat()}/{e.isoformat()}"
    if parsed.tentative:
        edtf = "/".join(x + "?" for x in edtf.split("/"))
    return dataclasses.replace(parsed, start=s, end=e, precision=part.precision, edtf=edtf, parts=(part,))


def retense(match: DateMatch, sentence: str, past: bool, future: bool, today: dt.date) -> ParsedDate | None:
    """Move a yearless date to the previous/next year when the text says it was held / is to come."""
    parsed = match.parsed
    if not parsed.year_inferred or parsed.start is None:
        return None
    if past and not future and parsed.start > today + dt.timedelta(days=7):
        hint = parsed.start.year - 1
    elif future and not past and parsed.end < today - dt.timedelta(days=45):
        hint = parsed.start.year + 1
    else:
        return None
    again = next((m.parsed for m in find_dates(sentence, today, hint) if m.start == match.start), None)
    if again is None or again.start is None:
        return None
    return dataclasses.replace(again, tentative=parsed.tentative or again.tentative, text=parsed.text)


_MONTH = dt.timedelta(days=31)


@dataclass
class Extractor:
    """Turns blocks into events for one document."""

    document: str
    today: dt.date
    events: list[ParsedEvent] = field(default_factory=list)
    lead: str = ""  # the lead-in of the list being read ("Frontex Status Agreements under implementation:")

    def read(self, block: Block) -> None:
        if not (LEAD_NOISE.match(block.text) or _ITEM_LABEL.match(block.text)):
            self.lead = block.text if block.text.endswith(":") and len(block.text.split()) <= 12 else ""
        for s, e in split_sentences(block.text):
            self.sentence(block, s, e)

    def sentence(self, block: Block, s: int, e: int) -> None:
        sentence = block.text[s:e]
        matches = [m for m in find_dates(sentence, self.today) if m.parsed.start is not None]
        kept = [m for m in matches if self._is_event(sentence, m, block.planned)]
        kept = [m for m in kept if not _covered(m, kept)]
        spans = [(m.start, m.end) for m in matches if not _in_name(sentence, m)]
        seen: set[tuple[str, str, str]] = set()
        last_title = ""
        for match in kept:
            prev_end = max([me for ms, me in spans if me <= match.start], default=0)
            next_start = min([ms for ms, me in spans if ms >= match.end], default=len(sentence))
            lo = max(prev_end, sentence.rfind(";", 0, match.start) + 1)
            hi = sentence.find(";", match.end)
            window = sentence[lo : next_start if hi < 0 else min(hi, next_start)]
            past, future = self._tense(block, sentence, window)
            local = sentence[max(lo, match.start - 100) : match.start]
            held_here = past and (is_past(local) or bool(_STRONG_PAST.search(window)) or block.reported)
            parsed = retense(match, sentence, held_here, future and not past, self.today) or match.parsed
            if past and future and parsed.end is not None:
                # both cues: the document date decides
                past, future = parsed.end <= self.today, parsed.end > self.today
            tentative = not past and (
                parsed.tentative
                or bool(TENTATIVE.search(window))
                or (block.planned and parsed.end is not None and parsed.end >= self.today - _MONTH)
            )
            title = make_title(sentence, match.start, match.end, prev_end)
            title = antecedent(fit(title, sentence, match.start, match.end), sentence, block.text[:s])
            title = of_label(referent(title, sentence, block.text[:s]), block.text[:s])
            title = of_context(title, block.text[: s + match.start])
            title = labelled(title, _lead_in(block.text[: s + match.start]) or self.lead, block.text)
            item = sentence[prev_end : match.start]
            if last_title and _LIST_ITEM.fullmatch(item) and countries_in(item, partners_only=False):
                title = _swap_country(last_title, item)  # "missions to Tunisia in July 2023, Mauritania in …"
            title = _with_party(title, sentence[: match.start])
            if not title or len(title) < 3:
                continue
            last_title = title
            multi = len(kept) > 1 or len(match.parsed.parts) > 1
            near = sentence[lo : match.end]
            countries = self._countries(block, sentence, near if multi else sentence)
            processes = list(dict.fromkeys(block.processes + processes_in(sentence)))
            line, page = block.line_at(s + match.start), block.page_at(s + match.start)
            for date in split_parts(parsed, match.parsed.text, self.today):
                date = dataclasses.replace(date, tentative=tentative, edtf=_edtf(date, tentative))
                key = (title.lower(), str(date.start), str(date.end))
                if key in seen:
                    continue
                seen.add(key)
                self.events.append(
                    ParsedEvent(
                        title=title,
                        date=date,
                        source=Source(self.document, line, block.section, squeeze(sentence), page),
                        description=squeeze(LEAD_NOISE.sub("", sentence)),
                        location=_location(sentence, match),
                        countries=countries,
                        processes=processes,
                    )
                )

    @staticmethod
    def _tense(block: Block, sentence: str, window: str) -> tuple[bool, bool]:
        """(held, to come) for the part of a sentence around one date."""
        if _STRONG_PAST.search(window):
            return True, False
        if is_past(window) and is_future(window):
            return True, True
        for text in (window, sentence):
            past, future = is_past(text), is_future(text)
            if past != future:
                return past, future
        return block.reported and not block.planned, block.planned

    def _countries(self, block: Block, sentence: str, window: str) -> list[str]:
        own = countries_in(window) or countries_in(sentence)
        if block.countries and window is not sentence and countries_in(window):
            return own
        return list(dict.fromkeys(block.countries + own))

    def _is_event(self, sentence: str, match: DateMatch, planned: bool) -> bool:
        parsed = match.parsed
        text = parsed.text
        before = sentence[max(0, match.start - 40) : match.start]
        after = sentence[match.end : match.end + 40]
        clause = _clause_of(sentence, match)
        if re.fullmatch(r"[A-Z]{3,4}\.?", text.strip()):
            return False  # "APR" (Asylum Procedure Regulation), not April
        if _BAD_PREFIX.search(before):
            return False
        if re.search(r"\b(?:my|our|your)\s*$", before, re.I) and re.match(r"\s*letter\b", after):
            return False  # "as announced in my October letter": the writer's own letter, a reference
        if _HOLDINGS.search(clause):
            return False  # "Frontex had over 500 officers in …": a status figure
        if re.search(r"\bas\s+of\s*$", before, re.I) and not is_future(sentence):
            return False
        if re.search(r"\bby\s*$", before, re.I) and _STATS.search(clause):
            return False
        if re.search(r"[-–]\s*$", before) or re.match(r"\s*[-–]\s*\d|s\b", after):
            return False  # part of a range or a decade ("the mid-1990s")
        if parsed.precision == "relative":
            return bool(EVENT_NOUN.search(clause)) and is_future(sentence) and not re.search(
                r"recent|past|last", text, re.I
            )
        span = (parsed.end - parsed.start).days if parsed.end and parsed.start else 0
        ranged = len(parsed.parts) <= 1 and bool(_RANGE.search(text))
        if ranged and (span > 80 or (span > 40 and _STATS.search(clause))):
            return False  # a project duration or a counting period: "April 2020 – September 2024"
        yearish = parsed.precision == "year" or (
            parsed.precision == "multi" and all(p.precision == "year" for p in parsed.parts)
        )
        if re.search(r"\byear\b", text, re.I) and not (is_future(clause) or planned or parsed.deadline):
            return False  # "the start of the year", "throughout the year": background
        if yearish:
            relative = bool(re.search(r"\byear\b", text, re.I))
            introduced = _YEAR_PREFIX.search(before) or parsed.deadline or relative
            if re.search(r"\d\s*[-–/]\s*\d", text) or not introduced:
                return False
            local = sentence[max(0, match.start - 120) : match.end + 60]
            if _STATS.search(clause) or not _EVENT_WORD.search(local) or _NAME_AFTER.match(after):
                return False
            return "EUR" not in clause or is_future(clause) or planned
        if _NAME_AFTER.match(after) and parsed.precision == "month" and not re.search(r"\bin\s*$", before):
            return False
        if _STATS.search(clause) and not _EVENT_WORD.search(clause):
            return False
        return not (_ROUTINE.search(sentence) and parsed.precision not in ("day", "days"))


_LIST_ITEM = re.compile(r"[\s,;)]*(?:and\s+)?[A-Z][\w'’ -]{2,40}?\s+(?:in|on|\((?:signed\s+)?(?:in|on)?)\s*")
_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def _swap_country(title: str, item: str) -> str:
    """The previous list item's title for this item: its country replaced by the one this item names
    ("Action Plan between Frontex and Bulgaria" + "), Greece (signed " -> "… Frontex and Greece")."""
    name = _NAME_RUN.search(item)
    for run in reversed(list(_NAME_RUN.finditer(title))):
        if name and countries_in(run.group(0), partners_only=False):
            return title[: run.start()] + name.group(0) + title[run.end() :]
    return title


_PARTY = re.compile(
    r"(?:\bwith\s+|[,;)]\s*(?:and\s+)?|\band\s+)(?P<party>[A-Z][\w'’ -]{2,30}?)\s*\((?:in\s+|on\s+)?$"
)


def _with_party(title: str, before: str) -> str:
    """A meeting in a list of partners, each with its date in brackets, names its partner: "Joint Working
    Groups planned with The Gambia (13 December), Guinea (12 December) and Ethiopia (in January)" ->
    "Joint Working Group with Ethiopia"; a title naming a country already keeps it."""
    party = _PARTY.search(before)
    if not party or countries_in(title, partners_only=False) or not EVENT_NOUN.search(title):
        return title
    if not countries_in(party.group("party"), partners_only=False) or " with " in title:
        return title
    last = title.rsplit(" ", 1)[-1]
    one = title[:-1] if last.endswith("s") and EVENT_NOUN.fullmatch(last[:-1]) else title  # one per partner
    return f"{one} with {party.group('party')}"


_HOLDINGS = re.compile(r"\b(?:has|had|have)\s+(?:over\s+|more\s+than\s+|some\s+|about\s+)?\d")
_RANGE = re.compile(r"(?<!mid)(?<!early)(?<!late)(?<!end)\s*[-–]\s*(?!\d\d?\b)|\bto\b|\buntil\b")


def _covered(match: DateMatch, kept: list[DateMatch]) -> bool:
    """A year closely followed by the dates it sums up: "three meetings in 2023 (January, June …)"."""
    parsed = match.parsed
    if parsed.precision != "year":
        return False
    return any(
        0 <= other.start - match.end <= 40
        and parsed.start <= other.parsed.start <= other.parsed.end <= parsed.end
        for other in kept
        if other is not match and other.parsed.precision != "year"
    )


_STRONG_PAST = re.compile(
    r"\b(?:took\s+place|was\s+held|were\s+held|has\s+been|have\s+been|had\s+been|was\s+(?:signed|adopted|launched|"
    r"presented|organi[sz]ed|conducted|chaired)|were\s+(?:signed|adopted|launched|presented|organi[sz]ed)|met|visited|"
    r"held\s+on)\b",
    re.I,
)


_ITEM_LABEL = re.compile(r"^[^:.;]{2,60}:\s")  # a list item in label form: "North Macedonia: Signed on …"
_LEAD_IN = re.compile(r"(?:^|[.;]\s)(?P<lead>[A-Z][^.:;•]{3,80}:)\s*[•➢>-]\s")


def _lead_in(before: str) -> str:
    """The lead-in of a list that runs on in one block ("… Agreements under implementation: • North
    Macedonia: Signed …"), when it is near."""
    found = list(_LEAD_IN.finditer(before[-1000:]))
    return found[-1].group("lead") if found else ""


_NAME_YEAR = re.compile(r"\b(?!(?:In|On|By|Of|Since|During|Until|And|The)\b)[A-Z][\w-]+\s+$")


def _in_name(sentence: str, match: DateMatch) -> bool:
    """A bare year that ends a name ("Joint Operation North Macedonia Land 2023 launched") bounds no title,
    nor does a date used as an adjective ("the March EUR 25 million maritime border surveillance action")."""
    year = match.parsed.precision == "year" and match.parsed.text.isdigit()
    adjective = re.search(r"\b(?:the|a|an|its|their)\s+$", sentence[: match.start], re.I) and re.match(
        r"\s+(?:EUR\s|[a-z])", sentence[match.end :]
    )
    return bool(adjective) or (year and bool(_NAME_YEAR.search(sentence[: match.start])))


def _clause_of(sentence: str, match: DateMatch) -> str:
    lo = sentence.rfind(";", 0, match.start) + 1
    hi = sentence.find(";", match.end)
    return sentence[lo : len(sentence) if hi < 0 else hi]


def _edtf(date: ParsedDate, tentative: bool) -> str | None:
    if date.edtf is None:
        return None
    plain = date.edtf.replace("?", "")
    if not tentative:
        return plain
    if plain.startswith("{"):
        return "{" + ",".join("/".join(x + "?" for x in p.split("/")) for p in plain[1:-1].split(",")) + "}"
    return "/".join(x + "?" for x in plain.split("/"))


_PLACE_AFTER = re.compile(r"^\s*\)?,?\s*in\s+([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)")
_PLACE_BEFORE = re.compile(r"\b(?:in|at)\s+([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s+(?:on|in)\s*$")
_NOT_PLACE = re.compile(
    r"^(?:Q[1-4]|January|February|March|April|May|June|July|August|September|October|November|December|"
    r"The|EU|European|Member|Council|Commission|Spring|Summer|Autumn|Winter|Line|View|Parliament|Support|"
    r"Addition|Particular|Total|Light|Response|Preparation|Relation|Order|Cooperation|Q\d)\b"
)


def _location(sentence: str, match: DateMatch) -> str | None:
    for found in (_PLACE_AFTER.match(sentence[match.end :]), _PLACE_BEFORE.search(sentence[: match.start])):
        place = found.group(1) if found else ""
        if place and not _NOT_PLACE.match(place) and not countries_in(place, partners_only=False):
            return found.group(1).strip()
    return None


def read_blocks(blocks: list[Block], document: str, today: dt.date) -> list[ParsedEvent]:
    """All events of a document's blocks, in reading order."""
    extractor = Extractor(document, today)
    for block in blocks:
        extractor.read(block)
    return extractor.events
