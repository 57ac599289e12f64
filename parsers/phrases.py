"""Event titles from prose: the short phrase a date in a sentence belongs to.

Rules, tried in order for one date inside one sentence:
1. a name right after an adjectival date: "the April 2024 European Council" -> "European Council";
2. the noun phrase the date is attached to: "AMMR Contact Group on 18-19 March", "JHA Council meeting of
   5 March", "missions to Libya (February, June and December 2024)", "rules to be adopted in 2025";
3. the subject of the date's clause: "Resettlement Expert Group (5 March) discussed ...";
4. the subject of the sentence (for "..., and discussed (14 February) the AMMR provisions");
5. the clause without its date, cut at a natural boundary.
Generic subjects ("the Commission", "Member States", a bare country) never make a title on their own.
"""

from __future__ import annotations

import re

from parsers.tagging import countries_in
from parsers.title_lint import QUANTITY, findings
from parsers.title_lint import singles_balanced as _singles_balanced
from parsers.titles import clean_title

VERBS = (
    r"took\s+place|takes\s+place|take\s+place|is\s+taking\s+place|was|were|is|are|has|have|had|will|would|should|"
    r"can|could|may|might|must|shall|discussed|discusses|met|meets|adopted|presented|launched|signed|held|hosted|"
    r"co-hosted|organised|organized|started|agreed|endorsed|completed|concluded|issued|delivered|submitted|"
    r"published|decided|established|approved|voted|exchanged|covered|confirmed|finalised|entered|announced|"
    r"reached|initiated|created|reactivated|received|continued|continues|focused|focuses|looked|explored|tackled|"
    r"chaired|visited|called|recalled|underlined|informed|joined|resumed|expressed|allowed|led|brought|gave|"
    r"provided|proposed|put|planned|expected|envisaged|scheduled|tentatively|aims|aimed|supported|supports|"
    r"increased|took|re-started|restarted|contributed|outlines|sets|set|showed|shows|falls|remains|remain|"
    r"continue|serves|guides|followed|reacted|organized|extended|deployed|sent|shared|opened|contracted|"
    r"allocated|handed|proceeding|implemented|agreed|developed|became|accounted|saw|reported|dropped|fell|take|"
    r"takes|taking|"
    r"increased|covers|constitutes|includes|included|took|made|consented|underwent|hosts|hosting"
)
_VERB_RE = re.compile(rf"(?:^|\s)\(?(?:{VERBS})\b(?!-)", re.I)
_VERB_WORD = re.compile(rf"(?:{VERBS})", re.I)
_GENERIC = re.compile(
    r"^(?:the\s+)?(?:european\s+)?(?:commission|council|eu|union|european\s+union|member\s+states|parliament|"
    r"european\s+parliament|frontex|europol|eurojust|euaa|it|they|this|these|that|he|she|we|i|both|"
    r"both\s+parties|president[\w\s'’-]*|commissioner[\w\s'’-]*|vice-president[\w\s'’-]*|vp\s+\w+|"
    r"the\s+agency|agency|com|tr|[\w\s]*authorities|implementation|work|contacts?|discussions?|which.*|who.*|"
    r"next\s+steps|progress|cooperation|engagement|support|funding|there|which|who|and|or|but|"
    r"the\s+eu\s+and\s+its\s+member\s+states|eu\s+and\s+its\s+member\s+states|commission\s+and\s+\w+|"
    r"(?:several|all|most|many|some|\d+)\s+member\s+states|member\s+states?\s+and\s+[\w\s]+|"
    # ordinals, time words and bare nouns that name no event on their own
    r"first|second|third|(?:this|next|last|the)\s+year|year|plan|service|negotiations|contracting|signed)$",
    re.I,
)
_STOP = re.compile(
    r"^(?:at|during|by|following|after|before|under|from|but|since|including|within|through|via|"
    r"between|among|while|when|where|which|that|who|also|then|than|into|once|until|whereas|as|notably|"
    r"respectively|i\.a\.|namely|such)$",
    re.I,
)
_DETERMINER = re.compile(r"^(?:the|a|an|its|their|this|these|his|her|our)$", re.I)
_NP_JOIN = re.compile(r"^(?:of|on|for|to|and|against|with)$", re.I)
_PARTICIPLE = re.compile(r"^(?:[\w-]+ed|held|led|co-hosted|chaired)$", re.I)
_LEAD_PREP = re.compile(r"^(?:(?:to|for|with|by|from|in|on|of|at|and|or|under|against|up)\s+)+", re.I)
_AMOUNT = re.compile(
    r"\s*\((?:total\s+)?(?:EU\s+contribution\s+of\s+)?EUR\s+[^)]*\)|\s*\((?:out\s+of|around|approx)[^)]*\)|"
    r"\s*(?:of|worth|for|totalling)\s+(?:around\s+|about\s+|approximately\s+|an\s+additional\s+)?EUR\s+[\d.,]+\s*(?:million|billion|m|bn)?"
    r"|\bEUR\s+[\d.,]+\s*(?:million|billion|m\b|bn\b)?(?:\s+worth)?",
    re.I,
)
_NOMINAL = re.compile(
    r"^(?:launch|adoption|signature|signing|organisation|organization|preparation|deployment|review|"
    r"conclusion|contracting|expansion|start|presentation|publication|continuation|finalisation|finalization|"
    r"proposal|examination|entry\s+into|roll[\s-]?out|implementation\s+report|mid-term\s+review|opening|"
    r"delivery|submission|establishment|completion|approval|evaluation|negotiations?|kick-off|meeting|"
    r"visit|mission|workshop|roundtable|conference|second|third|first|next)\b",
    re.I,
)
LEAD_NOISE = re.compile(r"^(?:[\s•➢≻۶×>\-–*·▪]|o(?=\s)|\d{1,2}\.\s|[ivx]{1,4}\)\s|\(\w\)\s)+")
_SUBORDINATE = re.compile(
    r"^(?:until|since|once|when|whereas|while|after|before|following|as\s+well\s+as|and|or|but|also|then|notably|"
    r"under|in\s+view\s+of|in\s+the\s+context\s+of|based\s+on\s+[^,]{0,40},|in\s+line\s+with\s+[^,]{0,60},|"
    r"in\s+line\s+with(?=\s+the\b)|"
    r"in\s+(?=the\b)|at\s+(?=the\b)|during\s+(?=the\b)|with\s+(?=the\b)|"
    r"(?:the\s+)?(?:context|framework|margins?|occasion)\s+of(?=\s)|"
    r"in\s+addition,?|furthermore,?|moreover,?|however,?|meanwhile,?|likewise,?|similarly,?|finally,?)\s+",
    re.I,
)
PREFIX_WORDS = re.compile(
    r"(?:\b(?:on|in|at|of|from|during|by|before|since|until|as\s+of|as\s+from|in\s+the\s+course\s+of|within|for|"
    r"starting|around|after|early|late|mid|the|end\s+of|beginning\s+of|planned\s+for|scheduled\s+for|"
    r"tentatively|expected\s+(?:for|in)|planned|envisaged\s+for|set\s+for|respectively|dated)\s*)+$",
    re.I,
)
ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_ORDINAL_OCR = re.compile(r"\b(\d{1,2})\s?(?:lh|th|st|nd|rd|\^\{?(?:th|st|nd|rd)\}?)(?![\w])")
_CUT = re.compile(
    r"\s(?:to\s+(?!be\b)(?=\w+\s)|led\s+to\b|resulted\s+in\b|in\s+order\s+to|with\s+a\s+view|which|who|where|so\s+as|aiming|aimed\s+at|"
    r"including|in\s+view\s+of|in\s+line\s+with|as\s+part\s+of|as\s+well\s+as|following|focusing|focused|"
    r"in\s+particular|notably|i\.a\.|based\s+on|together\s+with|back-to-back|pending|subject\s+to|"
    r"that|(?:,\s*)?and\s+(?=discussed|exchanged|was|were|is|are|has|have|will|led|resulted)|[,;:])",
    re.I,
)
_MAX_WORDS = 14
# "in relation | to", "a Decision | to suspend": a preposition or a noun's own complement, not a purpose
_TO_PREPOSITION = re.compile(
    r"\b(?:relation|regard|respect|addition|prior|due|according|next|close|contrary|Decision|Proposal)$"
)
_TRAVEL = re.compile(r"\b(?:visits?|missions?|trips?|journey|travel)$")
_DOER = re.compile(
    r"^[\s,;]*(?:the\s+)?(?:European\s+)?(?:Commission|Council|EU|Parliament)\s+(?P<verb>put\s+forward|proposed|"
    r"presented|adopted|issued|launched|published)\s+(?:a|an|the)\s+(?P<obj>[a-z].+)$"
)
_PHRASE_START = re.compile(r"^(?:on|for|to|with|in|under|during|by|at|from|following|after|before)$")
EVENT_NOUN = re.compile(
    r"\b(?:meetings?|summit|councils?|committees?|subcommittees?|sub-committees?|conferences?|dialogues?|forum|"
    r"roundtables?|round\s+tables?|rounds?|workshops?|seminars?|webinars?|visits?|missions?|sessions?|"
    r"consultations?|talks|negotiations?|group|groups|party|network|platform|board|hearing|trilogues?|"
    r"kick-off|SOM|commission|exercise|event|gathering|JAD|EUCO|Coreper|start|launch|entry|cycle|vote|"
    r"signature|adoption|presentation|publication|deadline|conclusions|communication|statement|declaration|"
    r"plan|roadmap|agreement|package|programme|proposal|call|report|decision|regulation|directive|"
    r"strategy|partnership|toolbox|recommendations?|opinion|approach|position|contract|project|action)\b",
    re.I,
)
_STRONG_EVENT = re.compile(
    r"\b(?:meetings?|summit|councils?|committees?|subcommittees?|conferences?|dialogues?|forum|roundtables?|"
    r"round\s+tables?|workshops?|seminars?|webinars?|visits?|missions?|sessions?|consultations?|"
    r"negotiations?|group|party|network|platform|board|trilogues?|kick-off|SOM|EUCO|Coreper|JAD)\b",
    re.I,
)
_LABEL = re.compile(r"^(?P<label>[^:]{2,70}?):\s+(?=\S)")
_GENERIC_TITLE = re.compile(
    r"^(?:(?:the\s+)?(?:next|first|second|third|last|latest)\s+)?meeting$|^its\s+", re.I
)
# Well-known recurring events get one spelling so the store can match them across documents.
_CANONICAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"high[\s-]+level\s+dialogue\b.*\bmigration\s+and\s+security|\bHLD\b", re.I),
        "EU-Türkiye High Level Dialogue on Migration and Security",
    ),
    (
        re.compile(
            r"(?:conference|call\s+to\s+action)\b.*global\s+alliance|global\s+alliance\b.*\bconference\b",
            re.I,
        ),
        "International Conference on a Global Alliance to Counter Migrant Smuggling",
    ),
)


_INDICATIVE = re.compile(
    r"\s*\b(?:of\s+)?(?:indicatively|around|about|approximately|some|up\s+to)\s+EUR\s+[\d.,]+\s*(?:million|billion|m\b|bn\b)?",
    re.I,
)
_REMAINING = re.compile(r"\b(remaining)\s+EUR\s+[\d.,]+\s*(?:million|billion|m\b|bn\b)?", re.I)
_DANGLING = re.compile(
    r"(?:\s+(?:on|in|at|of|by|for|to|and|or|with|the|from|during|that|which|a|an|\w+ly))+$"
)


def tidy(title: str) -> str:
    """Clean a title: bullets, OCR ordinals ("4lh" -> "4th"), amounts, articles, dangling words."""
    title = _strip_quotes(LEAD_NOISE.sub("", title))
    title = _ORDINAL_OCR.sub(lambda m: m.group(1) + _suffix(int(m.group(1))), title)
    title = title.replace("Tiirkiye", "Türkiye").replace("[REDACTED]", "")
    title = drop_amounts(title)
    title = re.sub(r"\(\s*\)|\(\s*$", "", title)
    for _ in range(2):
        title = _SUBORDINATE.sub("", clean_title(title))
        title = ARTICLE.sub("", clean_title(title))
    title = _DANGLING.sub("", title.strip())
    title = clean_title(title.rstrip(" .,;:(-–"))
    if title.count("(") > title.count(")"):
        title = clean_title(title[: title.rfind("(")])
    if title.count(")") > title.count("("):
        title = title.replace(")", "")
    title = re.sub(r"\s*[\"“”]\s*$", "", title)
    title = re.sub(r"(?<=[a-z]{3})\d{1,2}$", "", title)  # a footnote mark: "Anti-smuggling package2"
    if re.match(r"[a-z][\w-]*[A-Z]", title):  # a brand keeps its own capitals: "eu-LISA", "iMAP"
        return title
    return title[:1].upper() + title[1:] if title else title


_QUOTES = "“”\"'‘’ "


def _strip_quotes(title: str) -> str:
    """A title without the quote marks around it, keeping one that closes or opens a quotation inside it
    ("the Solidarity Platform 'Pact'" keeps its closing ')."""
    bare = title.strip(_QUOTES)
    head, tail = title[: len(title) - len(title.lstrip(_QUOTES))], title[len(title.rstrip(_QUOTES)) :]
    if not _singles_balanced(bare) and tail.strip() and _singles_balanced(bare + tail.strip()[0]):
        return bare + tail.strip()[0]
    if not _singles_balanced(bare) and head.strip() and _singles_balanced(head.strip()[-1] + bare):
        return head.strip()[-1] + bare
    return bare


_QUOTED_NAME = re.compile(r"[“\"](?P<name>[^”\"]{20,}?)\s*\((?P<abbr>[A-Z][A-Za-z-]{2,})\)\s*[”\"]")


# "… Conference on Returns (Budapest, November 2024)": the venue before the date is no part of the name
_VENUE_OPEN = re.compile(r"\s*\((?=[A-Z])[^(),]{2,30},\s*$")
_SHOWN_AT = re.compile(
    r"\b(?:presented|shared|discussed|launched|endorsed|adopted)\s+(?:at|during)\s+(?:the\s+)?$"
)
_PART_OF = re.compile(
    r"^(?:the\s+)?(?P<head>[a-z][a-z\s-]{2,30}?)\s+(?:of|created\s+by|generated\s+by)\s+(?:the\s+)?(?P<name>[A-Z].+)$"
)


def _named_head(title: str) -> str:
    """A part of a named event gives way to the name ("the suggestions of the Commission / HRVP Joint
    Communication on …" -> "Commission / HRVP Joint Communication on …"); an event word as the head stays
    ("launch of the …", "first meeting of …")."""
    part = _PART_OF.match(title)
    if not part or EVENT_NOUN.search(part.group("head")) or not EVENT_NOUN.search(part.group("name")):
        return title
    return part.group("name")


_LONG_NAME = re.compile(
    r"\b[A-Z][\w-]*(?:,?\s+(?:for|and|of|on|the|[A-Z][\w-]*)){3,}\s*\((?P<abbr>[A-Z]{2,}[A-Za-z-]*)\)"
)


def abbreviate(text: str) -> str:
    """A long name that gives its own abbreviation stands as the abbreviation: 'contract on “Promoting
    Action … against Trafficking (PACTS)”' -> 'contract on PACTS', 'the European Migration Network (EMN)
    Working Group' -> 'the EMN Working Group'."""
    return _LONG_NAME.sub(lambda m: m.group("abbr"), _QUOTED_NAME.sub(lambda m: m.group("abbr"), text))


def drop_amounts(text: str) -> str:
    """Text without money amounts; "the remaining EUR 82 million" keeps a noun: "the remaining funding"; an
    amount that tells a thing apart stays ("Another top-up of EUR 90 million", not "Another top-up")."""
    dropped = _AMOUNT.sub("", _INDICATIVE.sub("", _REMAINING.sub(r"\1 funding", text)))
    dropped = re.sub(r"\b([Aa])n\s+(?=[b-df-hj-np-tv-z])", r"\1 ", dropped)  # "an EUR 11 million contract"
    return text if QUANTITY in findings(clean_title(dropped)) else dropped


def _suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def shorten(text: str) -> str:
    """Cut a clause to a short phrase at a natural boundary."""
    text = drop_amounts(text).strip()
    if len(text.split()) <= 6:
        return text
    for match in _CUT.finditer(text):
        head = text[: match.start()]
        if len(head.split()) < 3 or re.search(r"\b(?:the|a|an|of|for|on|in|to|its|their)$", head, re.I):
            continue  # "Signature of the | pending action": not a boundary
        if match.group(0).strip().startswith("to") and not _STRONG_EVENT.search(head):
            continue
        if match.group(0).strip().startswith("to") and _TO_PREPOSITION.search(head):
            continue  # "in relation | to", "with regard | to": a preposition, not a purpose
        if _TRAVEL.search(head) and text[match.end() :][:1].isupper():
            continue  # "visit | to Mauritania": the destination, not a purpose
        text = head
        break
    doer = _DOER.match(text) if len(text.split()) > _MAX_WORDS else None
    if doer:  # "Commission put forward a proposal for … on returns": the act is named by what was put forward
        done = re.split(r",\s", doer.group("obj")[:1].upper() + doer.group("obj")[1:])[0]
        text = f"{done} {doer.group('verb')}" if len(done.split()) < _MAX_WORDS - 1 else done
    words = text.split()
    if len(words) > _MAX_WORDS:
        # cut before the last preposition that opens a phrase, not inside a noun phrase ("… on Georgian")
        joins = [
            i
            for i in range(8, _MAX_WORDS + 1)
            if _PHRASE_START.match(words[i])
            and not (words[i] == "to" and words[i - 1].endswith("ed"))  # "related to", "dedicated to"
            and words[i - 2].lower() != "to"  # "to allow for", "to focus on"
            and not (words[i - 2].lower() == "in" and words[i] == "with")  # "in partnership with"
        ]
        # a noun phrase open at the cut ("… and a readmission | agreement with") runs on to its next phrase
        open_np = any(ARTICLE.match(w + " ") for w in words[_MAX_WORDS - 2 : _MAX_WORDS])
        ahead = range(_MAX_WORDS + 1, min(len(words), _MAX_WORDS + 4)) if open_np else range(0)
        later = [i for i in ahead if _PHRASE_START.match(words[i])]
        text = " ".join(words[: joins[-1] if joins else later[0] if later else _MAX_WORDS])
    return text


def canonical(title: str, context: str = "") -> str:
    """The shared spelling of a well-known recurring event, or the title itself."""
    for pattern, replacement in _CANONICAL:
        if pattern.search(title):
            return replacement
    alliance = re.search(r"global\s+alliance", context, re.I)
    other = re.search(r"second|mutual|legal", title, re.I)
    if alliance and re.search(r"\bconference\b", title, re.I) and not other:
        return _CANONICAL[1][1]
    return title


def _words(phrase: str) -> int:
    return len(ARTICLE.sub("", phrase.strip()).split())


def _generic(phrase: str) -> bool:
    bare = ARTICLE.sub("", LEAD_NOISE.sub("", phrase)).strip(" ,")
    if not bare or _GENERIC.match(bare):
        return True
    # a bare list of countries ("Switzerland, Slovenia and Austria") names no event
    named = countries_in(bare, partners_only=False)
    leftover = re.sub(r"\b(?:and|the)\b|,", " ", bare)
    return bool(named) and len(leftover.split()) <= 2 * len(named) and not EVENT_NOUN.search(bare)


_LEAD_DATE = re.compile(
    r"^(?:on|in|at|by|during)\s+[^,\u2007]{0,12}\u2007+[^,]{0,12},\s*"
    r"|^(?:on|in|at|by|during|since)?\s*\u2007+\s*,?\s*",
    re.I,
)


_ADVERBIAL = re.compile(
    r"(?:in|on|at|under|following|after|before|next\s+to|as\s+regards|based\s+on|with|for|during|since|given|"
    r"despite|beyond|through|by|to|when|while|once|as)\b",
    re.I,
)


def subject(clause: str) -> tuple[str | None, bool]:
    """(the noun phrase before a clause's first verb, whether the clause has a subject at all)."""
    original = LEAD_NOISE.sub("", clause.strip())
    clause = _LEAD_DATE.sub("", _SUBORDINATE.sub("", original))
    match = _VERB_RE.search(clause)
    if not match or match.start() == 0:
        return None, False
    found = clause[: match.start()].strip(" ,")
    if ", " in found:
        tail = found.rsplit(", ", 1)[1]
        relative = re.match(r"(?:which|who|that|where)\b", tail, re.I)
        adverbial = _ADVERBIAL.match(found) or _SUBORDINATE.match(original) or _ADVERBIAL.match(original)
        if len(tail.split()) >= 2 and adverbial and not relative:
            found = tail
        elif re.match(r"(?:which|who|that|where)\b", tail, re.I):
            found = found.rsplit(", ", 1)[0]
    if not found:
        return None, False
    found = _head(found) if len(found.split()) > _LONG else found
    if not found or _generic(found):
        return None, True
    return found, True


_LONG = 24
_PREDICATE = re.compile(r"\b(?:is|are|was|were)\s+(?:the|a|an)\s")
_GROUND = re.compile(r"^(?:the\s+)?(?:basis|framework|foundation|ground)\s+(?:for|of)\s+", re.I)
_POST_MODIFIER = re.compile(r"\s(?:to\s+(?!be\b)[a-z]+|which|that|who|whose)\b|,\s|\s\(")


def _head(phrase: str) -> str:
    """The head of a long subject, without what follows it ("The remaining the EUR 5 million (out of …)
    funding to strengthen the assistance, … of migrants, asylum seekers, and refugees" -> "The remaining
    funding"), or "" when it has none of a few words."""
    bare = re.sub(r"\s*\([^()]*\)", "", drop_amounts(phrase))
    head = _POST_MODIFIER.split(bare, maxsplit=1)[0]
    head = re.sub(r"\b((?:the|a|an)\s+[a-z]+)\s+the\s+", r"\1 ", head, flags=re.I)  # "the remaining the"
    return head if 2 <= _words(head) <= 8 else ""


def attached(before: str, bracket: bool) -> str:
    """The noun phrase a date hangs on: the words right before it, back to a verb or a clause boundary."""
    words = PREFIX_WORDS.sub("", before.rstrip(" (,[")).split()
    kept: list[str] = []
    skip = len(words)
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        bare = word.strip(",;:()“”\"'")
        if index >= skip:
            continue
        if kept and word.endswith((",", ";", ":", "(")) and not (word.endswith(",") and _name_list(kept)):
            break
        if word.endswith(")") and "(" not in word:
            skip = _aside(words, index) if kept else -1
            if skip < 0:
                break
            continue
        crossing = index > 1 and not _VERB_WORD.fullmatch(words[index - 2].strip(",;:()"))
        if bare.lower() == "by" and index > 0 and _PARTICIPLE.match(words[index - 1]) and kept and crossing:
            kept.extend([word, words[index - 1]])  # "conference hosted by the Commission"
            words[index - 1] = "\u2007"
            continue
        if bare == "\u2007":
            continue
        entry = bare.lower() == "into" and index > 0 and words[index - 1].lower() == "entry"
        if bare.lower() == "place" and index > 0 and words[index - 1].lower() in _TAKE:
            break  # "took place with Senegal (5 December)": no noun phrase
        if (_STOP.match(bare) and not entry) or _VERB_WORD.fullmatch(bare):
            break
        kept.append(word)
        if word.startswith("("):
            break
        previous = words[index - 1] if index > 0 else ""
        by_agent = previous.lower() == "by" and index > 2 and _PARTICIPLE.match(words[index - 2]) and not (
            _VERB_WORD.fullmatch(words[index - 3].strip(",;:()"))
        )
        if _DETERMINER.match(bare) and not (_NP_JOIN.match(previous) or by_agent):
            break
        if len(kept) > 18:
            return ""
    phrase = _LEAD_PREP.sub("", _SUBORDINATE.sub("", " ".join(reversed(kept)).strip(" ,;:(")))
    return phrase if (bracket or EVENT_NOUN.search(phrase)) else ""


_TAKE = frozenset({"take", "takes", "took", "taken", "taking"})


def _name_list(kept: list[str]) -> bool:
    """The words kept so far (last first) are the end of a list of names, "B and C" of "A, B and C"."""
    text = " ".join(reversed(kept))
    return "," not in text and bool(_LIST_END.fullmatch(text))


# the end of a list: "Middle East and Africa", "transit and destination" (of "origin, transit and …")
_LIST_END = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s+and\s+[A-Z][\w'’ -]*|[a-z]+\s+and\s+[a-z]+")


def _aside(words: list[str], close: int) -> int:
    """Where a bracketed aside inside a coordinated name opens ("the Hellenic Police (Ministry of Citizens
    Protection) and Ministry of …"): the index of its "(" when a name comes before it, else -1."""
    opening = next((i for i in range(close, max(close - 8, 0) - 1, -1) if words[i].startswith("(")), -1)
    named = opening > 0 and words[opening - 1][:1].isupper() and not words[opening - 1].endswith((",", ";"))
    joined = close + 1 < len(words) and words[close + 1].lower() == "and"
    return opening if named and joined else -1


_PASSIVE = re.compile(
    r"\s(?P<verb>(?:is\s+|are\s+)?(?:to\s+be|will\s+be|should\s+be|expected\s+to\s+be|due\s+to\s+be|"
    r"planned\s+to\s+be|is\s+expected\s+to\s+be|are\s+expected\s+to\s+be|foreseen\s+to\s+be|"
    r"envisaged\s+to\s+be)\s+\w+(?:ed|en|t))(?:\s+(?:to|in|at|with)\s+[^,()]{0,40})?\s*$",
    re.I,
)
_APPLYING = re.compile(
    r"\b(?:start|begin)s?\s+(?:to\s+)?apply(?:ing)?(?:\s+(?P<np>(?:the|a|an)\s+[\w\s-]{3,60}?))?$", re.I
)
_IDIOM_OF = re.compile(r"(?:course|end|beginning|start|middle|half|part)\s+of\s*$")
_REDUCED = re.compile(
    r"\s(?P<verb>launched|adopted|signed|presented|agreed|established|concluded|endorsed|initiated|approved|"
    r"organised|organized|held|completed|issued|published|set\s+up|created|reactivated|reached)"
    r"(?:\s+(?:with|by|between)\s+[^,()]{1,40})?\s*$",
    re.I,
)
_PAREN_VERB = re.compile(r"^(?P<np>.*?)\s*\((?P<inner>[^()]{0,40}?\b(?:\w+ed|to\s+be\s+\w+ed))\s*$", re.I)
_BODY = re.compile(r"EUCO|Coreper|SCIFA|COSI|LIBE|IMEX")
_ADJ_DATE = re.compile(r"(?:^|\s)(?:the|a|an|its|their)\s*$", re.I)
_NAME_AFTER = re.compile(
    r"^\s*(?P<np>(?:[A-Z][\w'’\-/]*\s*){1,6}(?:(?:on|of|to|for)\s+(?:the\s+)?[\w'’\-/ ]+?)?)(?=\s+(?:"
    + VERBS + r")\b|[,.;(]|$)"
)


_GLUED_HEADING = re.compile(
    r"\W*[A-Z][\w-]*(?:\s+[a-z][\w-]*){0,3}\s+(?=(?:In|On|At|By|Following|After|Since|During|Under)\s+[a-z])"
)


def make_title(sentence: str, start: int, end: int, floor: int = 0) -> str:
    """A short phrase naming the event a date in a sentence belongs to (`floor`: end of the previous date)."""
    lo = max(sentence.rfind(";", 0, start) + 1, 0)
    hi = sentence.find(";", end)
    clause = sentence[lo : len(sentence) if hi < 0 else hi]
    glued = _GLUED_HEADING.match(sentence, lo)  # "Visa facilitation In response to …": a heading run in
    lo = glued.end() if glued and glued.end() < start else lo
    clause = sentence[lo : len(sentence) if hi < 0 else hi]
    s, e, floor = start - lo, end - lo, max(0, floor - lo)
    label = None
    colon = clause.rfind(": ", 0, s)
    if colon > 0 and len(clause[colon + 2 : s].split()) >= 1:
        label = LEAD_NOISE.sub("", clause[:colon]).strip()
        clause, s, e, floor = clause[colon + 2 :], s - colon - 2, e - colon - 2, max(0, floor - colon - 2)
    its = _ITS.match(clause[:s]) if label else None
    if its:  # "Directive …: the JHA Council agreed on its position on" -> "JHA Council position on the …"
        return canonical(tidy(shorten(f"{its.group('who')} {its.group('noun')} on the {label}")), clause)
    topic = _meeting_on(label, clause[floor:s]) if label else ""
    title = topic or _named_head(abbreviate(_title(clause, s, e, floor)))
    if title and _GENERIC_TITLE.match(tidy(title)):
        owner = label if label and len(label.split()) <= 8 else subject(sentence)[0]
        owner = re.split(r",\s", owner)[0] if owner else owner  # "X, tasked to …, is mapping" -> "X"
        if owner:
            title = shorten(owner) + " " + re.sub(r"^(?:the\s+)?its\s+", "", tidy(title), flags=re.I).lower()
    if (not title or _words(tidy(title)) < 1) and label and len(label.split()) <= 10:
        title = label
    return canonical(tidy(shorten(title or "")), clause)


_MEETINGS = re.compile(
    r"\b(?:(?:two|three|four|five|several|a\s+series\s+of|a\s+number\s+of)\s+)?"
    r"(?P<np>(?:[a-z-]+\s+){0,3}?(?:meeting|workshop|seminar|session|webinar|roundtable|consultation))s\b"
)
_ON_TOPIC = re.compile(
    r"^\W*(?:and\s+)?on\s+(?P<topic>[a-z][^,;()]+?)(?=\s+and\s+on\b|\s+in\s+view\s+of\b|[,;(]|$)"
)


def _meeting_on(label: str, item: str) -> str:
    """A date in a list of topics after meetings were announced names its meeting: "The Commission held two
    informal thematic meetings …:" + "on efficient management of reception systems and on … (23 January)"
    -> "Informal thematic meeting on efficient management of reception systems"."""
    meetings = _MEETINGS.search(label)
    topic = _ON_TOPIC.match(item)
    if not meetings or not topic:
        return ""
    return f"{meetings.group('np')[:1].upper()}{meetings.group('np')[1:]} on {topic.group('topic')}"


# the object of a verb that follows an earlier date, up to this date: the subject's verb is the earlier
# date's event, the object this one's
_AFTER_VERB = re.compile(
    r"^\s*[a-z]+ed(?:\s+(?:at|on|into))?\s+(?:an?|the)\s+(?P<np>[a-z][^,;()]{6,80}?)\s+(?:in|on|by|at|for)\s*$"
)


def _title(clause: str, s: int, e: int, floor: int) -> str:
    before, after = clause[floor:s], clause[e:]
    # 1. "the April 2024 European Council", "a February visit of the Director-General"
    if _ADJ_DATE.search(before):
        name = _NAME_AFTER.match(after)
        if name and name.group("np")[:1].isupper():
            return name.group("np")
        rest = re.match(r"\s*([a-z][\w\-]*(?:\s+[\w\-'’]+){0,8}?)(?=\s+(?:" + VERBS + r")\b|[,.;]|$)", after)
        if rest and EVENT_NOUN.search(rest.group(1)):  # "… of the Commission's newly" ends at the owner
            return re.sub(r"\s+of\s+(?:the\s+)?[\w-]+['’]s(?:\s+\w+ly)?$", "", rest.group(1))
    act = _ACT_OF.search(before)
    done = _OF_NAME.match(after) if act else None
    if act and done:  # "the activation in March 2022, upon a proposal …, of the Temporary Protection …"
        return f"{act.group('noun').capitalize()} of the {done.group('name')}"
    listed = _listed(clause[:s], after)
    if listed:
        return listed
    purpose = _FOR_NOUN.match(LEAD_NOISE.sub("", clause[:s]))
    if purpose:  # "X under discussion, for finalisation during …" -> "Finalisation of X"
        return f"{purpose.group('noun').capitalize()} of the {ARTICLE.sub('', purpose.group('owner'))}"
    named = attached(_VENUE_OPEN.sub("", before), False)
    shown = _SHOWN_AT.search(before[: before.rfind(named)]) if named else None
    owner = subject(clause[: floor + shown.start()] + " is")[0] if shown else None
    owner = re.split(r",\s", shorten(owner))[0].rstrip(" ,") if owner else None
    if named and shown and owner and _STRONG_EVENT.search(named) and len(owner.split()) <= 8:
        return f"{owner} {shown.group(0).strip()} {named}"  # "Pilot project … presented at the … Conference"
    if named and _STRONG_EVENT.search(named) and (_words(named) >= 2 or floor > 0) and not _generic(named):
        return named
    head = PREFIX_WORDS.sub("", _SUBORDINATE.sub("", LEAD_NOISE.sub("", clause[:s]))).strip(" ,(")
    # 2. a clause opening with a nominalisation: "Launch of the ... action, targeted by the end of March"
    if _NOMINAL.match(head) and not _VERB_RE.search(head):
        head = re.sub(r"\s*\([^()]*\)", "", drop_amounts(head))  # "Launch of the EUR 13 m (IPA-funded) …"
        return re.split(r",\s|\s\(", head)[0] if len(head.split()) > 3 else head
    # "X will start applying in June 2026", "… start applying the new legislation by 2026"
    applying = _APPLYING.search(PREFIX_WORDS.sub("", before).rstrip())
    if applying:
        np = applying.group("np") or subject(clause)[0]
        if np:
            return "Start of application of " + ARTICLE.sub(lambda m: m.group(0).lower(), np)
    # 3. "(contract signed in November 2024)", "NP to be adopted in 2025", "NP on 17 March"
    paren = _PAREN_VERB.match(PREFIX_WORDS.sub("", before))
    if paren:
        inner = paren.group("inner").strip()
        if len(inner.split()) >= 2 and not _VERB_WORD.fullmatch(inner.split()[0]):
            return _for_whom(inner, paren.group("np"))
        np = attached(paren.group("np"), True)
        if np and not _generic(np):
            return f"{np} {inner}"
    relative = _relative(before)
    if relative:
        return relative
    passive = _PASSIVE.search(" " + PREFIX_WORDS.sub("", before.rstrip(" (,")))
    if passive:
        head_text = before[: before.rfind(passive.group("verb"))] if passive.group("verb") in before else ""
        part = _part(head_text, len(head_text), len(head_text)) if head_text else ""
        found, _ = subject(part + " is") if part else (None, False)
        if len(head_text.split()) > _LONG:  # a long subject's comma-part is its tail: take its head
            found = subject(head_text + " is")[0] or found
        if found and _PREDICATE.search(head_text[head_text.find(found) + len(found) :]):
            found = None  # "The results … are the basis for the new rules to be adopted": not their subject
        np = found or _GROUND.sub("", attached(head_text, True))
        if np and not _generic(np) and _words(np) >= 2:
            return f"{np} {passive.group('verb')}"
    bracket = bool(re.search(r"(?:\(|,)\s*$", before)) or bool(
        re.search(r"\bof\s*$", before) and not _IDIOM_OF.search(before)
    )
    reduced = _REDUCED.search(PREFIX_WORDS.sub("", before.rstrip(" (,")))
    if reduced:
        head = before[: before.rfind(reduced.group("verb"))]
        np = _outer_name(head, attached(head, True))
        # "(BMVI), launched": the abbreviation of a longer subject; "Regulation (EU) 2018/1806 adopted": a
        # reference cut at its bracket, inside the subject's name
        if re.search(r"\(\w+\)\s*,\s*$", head) or re.match(r"[^()]*\)\s*\S", np):
            np = subject(clause[:s] + " is")[0] or np
        if _BOTH_DONE.search(head):  # "An action …, and a contract … were both signed": the first named
            np = re.split(r",?\s+and\s+", shorten(subject(clause[:s] + " is")[0] or ""))[0] or np
        if np and not _generic(np) and _words(np) >= 1 and (_words(np) >= 2 or np.isupper()):
            return f"{np} {reduced.group('verb')}"
    np = attached(before, bracket)
    if np and (_words(np) >= 2 or _BODY.fullmatch(np)) and not _generic(np):
        return np
    done_to = _AFTER_VERB.match(before) if floor > 0 else None
    if done_to:  # "X in January looked at a possible resumption of … in April"
        return f"{done_to.group('np')[:1].upper()}{done_to.group('np')[1:]}"
    # 4. the subject of the date's comma-part; 5. of the whole clause when the part has none
    part = _part(clause, s, e)
    masked = clause[:s] + "\u2007" * (e - s) + clause[e:]
    whole, _ = subject(masked)
    spans_part = masked.find(whole) + len(whole) > max(clause.find(part), 0) + 2 if whole else False
    lead = masked[: masked.find(whole)] if whole else ""
    leading_date = re.fullmatch(r"\W*(?:on|in|at|by|during|since)?\s*\u2007+\s*,?\s*", lead, re.I)
    if whole and spans_part and (masked.find(whole) < s or leading_date) and "\u2007" not in whole:
        return whole
    found, has_subject = subject(part)
    if found:
        return found
    if not has_subject:
        found, has_subject = subject(clause)
        if found and clause.find(found) < s:
            return found
        if not has_subject or not found:
            part = part if has_subject else part
    # 6. the part without its date
    offset = max(clause.find(part), 0)
    left = PREFIX_WORDS.sub("", clause[max(offset, floor) : s].rstrip(" (")) if s >= offset else ""
    right = clause[e : offset + len(part)].lstrip(" )") if e <= offset + len(part) else ""
    text = (left + " " + right).strip()
    text = _END_PREP.sub(" ", text + " ").strip()
    text = _PRONOUN.sub("", text)
    if len(text.split()) <= 3 and offset > 0:
        head = LEAD_NOISE.sub("", clause[:offset]).strip(" ,")
        if 2 <= len(head.split()) <= 20:
            return head
    return _SUBORDINATE.sub("", LEAD_NOISE.sub("", text))


_DONE_ON = r"\s+(?:was|were|has\s+been|had\s+been)\s+(?P<verb>\w+ed)\s+(?:on|in|at|by|during)?\s*$"
_RELATIVE = re.compile(r"\b(?:the|an?|its|their)\s+(?P<np>[A-Z0-9][^,;()]*?),?\s+(?:that|which)" + _DONE_ON)
_OF_WHICH = re.compile(
    r"(?:^|\b(?:the|an?)\s+)(?P<owner>[A-Z][^,;()]*?),\s+(?:the\s+)?(?P<part>[a-z][\w\s-]{2,40}?)\s+of\s+which"
    + _DONE_ON
)


def _relative(before: str) -> str:
    """What a relative clause holding the date says was done: "… its 10-Point Plan for Lampedusa that was
    presented on" -> "10-Point Plan for Lampedusa presented"; "A Monitoring Mechanism, the methodology of
    which was prepared in" -> "Methodology of the Monitoring Mechanism prepared"."""
    part = _OF_WHICH.search(before)
    if part:
        owner = ARTICLE.sub("", part.group("owner"))
        return f"{part.group('part').capitalize()} of the {owner} {part.group('verb')}"
    relative = _RELATIVE.search(before)
    return f"{relative.group('np')} {relative.group('verb')}" if relative else ""
_BOTH_DONE = re.compile(r"\b(?:were|are|have\s+been)\s+(?:both|all)\s*$")
_IN_PLACE = re.compile(r"\bin\s+(?:the\s+)?$")


def _outer_name(head: str, np: str) -> str:
    """A place that ends a longer name gives way to the name: "the Rome Action Plan for Development and
    Migration in the Mediterranean region, Middle East and Africa" + "launched" -> "Rome Action Plan for
    Development and Migration" (not "Mediterranean region, Middle East and Africa")."""
    before = head[: head.rfind(np)] if np and np in head else ""
    place = _IN_PLACE.search(before)
    listed = "," in np or " and " in np
    outer = attached(before[: place.start()], True) if place and listed else ""
    outer = ARTICLE.sub("", outer)
    return outer if outer[:1].isupper() and _words(outer) >= 3 else np


_ACT_OF = re.compile(r"\bthe\s+(?P<noun>[a-z]+(?:tion|ment|sal|ure))\s+(?:in|on)?\s*$")
_OF_NAME = re.compile(
    r"^\s*(?:,[^,;]{0,80},)?\s*of\s+(?:the\s+)?(?P<name>[A-Z][^,;.()]+?)(?=[,;.(]|\s+(?:which|that|to|in|on|by)\b|$)"
)
_ITS = re.compile(
    r"^\W*(?:the\s+)?(?P<who>[A-Z][\w\s-]{1,40}?)\s+(?:agreed|adopted|endorsed|reached)\s+(?:on\s+)?(?:its|their)\s+"
    r"(?P<noun>[a-z][a-z\s]{2,30}?)\s+(?:on|in)?\s*$"
)
_FOR_NOUN = re.compile(
    r"^(?P<owner>[^,;]{6,90}?)(?:\s+(?:is\s+|are\s+)?(?:currently\s+|still\s+)?(?:under\s+\w+|ongoing|in\s+preparation))?"
    r",\s*(?:for|with\s+a\s+view\s+to)\s+(?P<noun>finalisation|adoption|signature|launch|contracting|completion|"
    r"conclusion)\s+(?:during|in|by|before|at)?\s*(?:the\s+)?$",
    re.I,
)
_ITEM = re.compile(r"^\s*(?:for\s+)?(?:the\s+)?(?P<name>[A-Z][^()]*?)(?=\s+and\s+\d|\s*\)|$)")


def _listed(head: str, after: str) -> str:
    """A date in a bracketed list of meetings names its item: "Subcommittees in 2025 (8 April Human Rights and
    Democracy and 13 May for the Subcommittee on Migration, …)" -> "Subcommittee on Human Rights and
    Democracy", "Subcommittee on Migration, …"."""
    opening = head.rfind("(")
    if opening < 0 or ")" in head[opening:]:
        return ""
    owner = LEAD_NOISE.sub("", head[:opening]).split()
    item = _ITEM.match(after)
    if not owner or not item or not _STRONG_EVENT.fullmatch(owner[0]):
        return ""
    name, noun = item.group("name").strip(" ,"), re.sub(r"s$", "", owner[0])
    return name if name.lower().startswith(noun.lower()) else f"{noun} on {name}"


_THING_DONE = re.compile(r"^(?P<thing>[a-z][\w-]*)\s+(?P<rest>(?:to\s+be\s+)?\w+ed\b.*)$")
_WHOM = re.compile(
    r"(?:\b(?P<prep>for|with|to)\s+)?(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|and|of|with|the))*)\s*$"
)


def _for_whom(inner: str, before: str) -> str:
    """A bracketed "(project signed in …)" after whom it is for names them: "… for the Talent Partnership
    with Bangladesh (projects signed in July 2024)" -> "Projects for the Talent Partnership with Bangladesh
    signed", "planned with Guinea (contract signed …)" -> "Contract with Guinea signed"."""
    done = _THING_DONE.match(inner)
    whom = _WHOM.search(drop_amounts(before))
    if not done or not whom:
        return inner
    who = whom.group("who")
    if not whom.group("prep") and not countries_in(who, partners_only=False):
        return inner
    return f"{done.group('thing')} {whom.group('prep') or 'with'} {who} {done.group('rest')}"


_END_PREP = re.compile(r"\s+(?:on|in|at|of|by|during|since|from|as\s+of|for)\s+(?=[,.;)]|$)")
_PRONOUN = re.compile(
    r"^(?:it|they|this|these)\s+(?:is|are|was|were|will\s+be)?\s*(?:planned\s+|expected\s+)?(?:to\s+)?", re.I
)


def _part(clause: str, s: int, e: int) -> str:
    """The comma-separated part of a clause holding a date; "On 11 March, the X ..." takes the rest."""
    left = clause.rfind(", ", 0, s)
    right = clause.find(", ", e)
    right = len(clause) if right < 0 else right
    rest = PREFIX_WORDS.sub("", clause[left + 1 : s]).strip(" ,.()") + clause[e:right].strip(" ,.()")
    if len(rest.split()) <= 1:
        if right < len(clause):
            return clause[right + 2 :]
        if left > 0:
            return clause[: left]
    return clause[left + 1 : right]
