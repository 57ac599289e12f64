"""A lint for event titles: the marks of a sentence fragment that names no event.

`findings(title)` returns the problems found, as short codes, empty for a title that reads as the name of
an event. It is pure and looks at the title alone, so it runs on any layout's and any format's output;
given the sentence the title was written from (`findings(title, sentence)`), it also flags a title cut
inside a noun phrase the sentence goes on with ("… and a readmission" + " agreement with Kazakhstan").
"""

from __future__ import annotations

import re

from parsers.dates import find_dates

ONE_WORD = "one-word"
LEADING = "leading-fragment"
DANGLING = "dangling-end"
BRACKETS = "unbalanced-brackets"
PARTICIPLE = "bare-participle"
QUANTITY = "lone-quantity"
DATE_CUT = "date-cut"
STATE = "state-clause"
ACTORS = "actor-list"

_CONNECTOR = (
    r"and|or|but|nor|of|to|for|with|by|from|in|on|at|as|than|that|which|who|whose|whom|where|while|when|"
    r"whereas|because|since|until|into|onto|upon|via|per|among|between|against|towards|about|also|then|thus|"
    r"hence|however|furthermore|moreover|respectively|namely|including|under|within|after|before|during|over|"
    r"through|without|regarding|concerning|across|beyond|whether|if|so|i\.a\.|e\.g\."
)
_AUXILIARY = r"is|are|was|were|be|been|being|will|would|shall|should|can|could|may|might|must|has|have|had"
# a clause's subject or verb missing: "It is planned to ...", "Both presented", "Be organised by ..."
_LEADING_WORD = re.compile(
    rf"^(?:{_CONNECTOR}|{_AUXILIARY}|i|we|you|he|she|it|they|both|this|these|those|its|their|my|our|"
    r"provide|ensure|allow|enable|continue|explore|address|promote|conduct|help|make|take|up\s+on|"
    r"currently|still|working\s+to|an?other\s+(?:to|is|are|will|was|were)|no\s+change|one\s+of\s+the|"
    r"line\s+with|view\s+of|light\s+of|addition\s+to|"
    r"[\d.,]+\s+(?:million|billion|thousand))\b",
    re.I,
)
# the second half of a verb phrase without its subject: "Negotiation and expected to be finalised"
_HALF = re.compile(r"^\w+\s+and\s+(?:expected|planned|due|foreseen|envisaged|to)\b", re.I)
#: gerunds that open a clause naming no event: "Allowing for new projects to start" ("Programming for" is a
#: noun); the repair drops them as a lead
GERUNDS = "Allowing|Enabling|Ensuring|Helping|Making|Leading|Paving|Aiming|Contributing|Seeking"
_GERUND = re.compile(rf"^(?:{GERUNDS})\s+(?:for|to|that|the\s+way)\b")
#: a hyphenated modifier, not a phrasal noun ("third-country", not "follow-up"); the repair cuts it too
OPEN_MODIFIER = r"[a-z]+-(?!(?:up|off|out|in|over|on|down|back)\b)[a-z]+"
# a noun phrase cut before its noun: "… return of illegally staying third-country" (not "follow-up")
_OPEN_PHRASE = re.compile(rf"\b(?:{OPEN_MODIFIER}|in\s+partnership)$")
# … or a short name with an appositive cut before what it says: "Monitoring Mechanism, the methodology" (of
# which …); a list's last item is none ("…, the Coast Guard, the gendarmerie")
_CUT_APPOSITIVE = re.compile(r"^[^,]{3,60},\s+(?:the|an?)\s+[a-z][\w-]*$")
# a statement of a state, not an event: "Frontex and the Egyptian authorities are in contact"
_STATE = re.compile(
    r"\b(?:is|are)\s+(?:still\s+|currently\s+|now\s+)?(?:in\s+(?:contact|place|progress|preparation)|"
    r"under\s+(?:discussion|negotiation|preparation|way|implementation)|ongoing|underway|on\s+track)\b",
    re.I,
)
_QUOTED = re.compile(r"[“„\"‘][^”\"’“]*[”\"’“]")
_LEADING_MARK = re.compile(r"^[)\]},;:.!?/&+–—-]")
# a lower-case start is a fragment, unless the word is a brand with capitals inside ("eu-LISA", "iMAP")
_LOWER_START = re.compile(r"^[a-z](?![\w-]*[A-Z])")
#: words a title cannot end on (the repair strips them)
DANGLING_WORDS = (
    rf"{_CONNECTOR}|{_AUXILIARY}|the|a|an|its|their|his|her|our|this|these|those|do|does|did|not|"
    r"an?other|additional|provides|includes|supports|allows|aims|seeks|plans|intends|covers|requires|ensures|"
    r"enables|ensure|allow|enable|provide|undergo|all|each|every|member|common|new|further|remaining|"
    r"dedicated|related|establishing|concerning|addressing|supporting|covering|targeting|aiming|adding|leading|"
    r"working|resulting|allowing|underlining"
)
_DANGLING_WORD = re.compile(rf"\b(?:{DANGLING_WORDS})$", re.I)
_PARTICIPLE_WORD = re.compile(
    r"(?:\w+ed|held|led|met|set|put|sent|made|done|given|taken|begun|drawn|undertaken|shown|seen|known|"
    r"written|reviewed|signed|"
    r"launched|adopted|entered|concluded|taken\s+place)",
    re.I,
)
_PHRASAL = re.compile(r"\b(?:handed|taken|carried|set|rolled|called|scaled|stepped)\s+(?:over|up|out|off)$")
_AFTER_VERB = re.compile(r"by|with|into|and|or|on|to|in|at|the|a|an|place|up|out|for|as|from|its|their", re.I)
_ADVERB = re.compile(r"(?:\w+ly|also|already|jointly|then|further|recently|finally|officially|first)", re.I)
_QUANTITY = re.compile(
    r"^(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|some|many|a\s+few|few|"
    r"various|numerous|multiple|an?other|an\s+additional|a\s+further|\d+)\s+"
    r"(?:(?:additional|new|more|further|other|separate|different|such)\s+)?"
    r"(?:[\w-]+|(?:[a-z][\w-]*(?<!ed)\s+){1,2}[a-z][\w-]*s)$",
    re.I,
)
_DATE_FILLER = re.compile(
    r"\b(?:and|or|to|on|in|at|of|by|from|until|till|the|between|during|since|as|tbc|tbd|early|mid|late|end|"
    r"beginning|start|first|second|half|week|weeks|month|months|year|years|respectively)\b|[\W\d_]",
    re.I,
)


def findings(title: str, sentence: str = "") -> list[str]:
    """The fragment marks of a title (codes above, in a fixed order); an empty list is a clean title.
    `sentence`, when given, is the text the title was written from."""
    text = title.strip()
    if not text:
        return [ONE_WORD]
    words = text.split()
    found: list[str] = []
    if _date_cut(text):
        found.append(DATE_CUT)
    if len(words) == 1:
        found.append(ONE_WORD)
    if any(pattern.match(text) for pattern in (_LEADING_MARK, _LEADING_WORD, _LOWER_START, _HALF, _GERUND)):
        found.append(LEADING)
    dangling = _DANGLING_WORD.search(text.rstrip(" .,;:")) and not _PHRASAL.search(text)
    open_phrase = _OPEN_PHRASE.search(text.rstrip(" .,;:")) or _CUT_APPOSITIVE.match(text)
    cut = _cut_in(text, sentence) if sentence else False
    if len(words) > 1 and (dangling or open_phrase or cut) or re.search(r"\bto\s+be$", text, re.I):
        found.append(DANGLING)
    if not (_quotes_balanced(text) and singles_balanced(text)):
        found.append(BRACKETS)
    if not _balanced(text) and BRACKETS not in found:
        found.append(BRACKETS)
    if _bare_participle(words):
        found.append(PARTICIPLE)
    if _QUANTITY.match(text):
        found.append(QUANTITY)
    if _STATE.search(_QUOTED.sub(" ", text)):
        found.append(STATE)
    if _ACTOR_LIST.fullmatch(text) and not _EVENT_END.search(text):
        found.append(ACTORS)
    return found


# a list of three or more names and nothing else: "Frontex, Commission, EEAS and EUDEL"
_NAME = r"(?:the\s+)?[A-Z][\w'’./-]*(?:\s+[A-Z][\w'’./-]*){0,2}"
_ACTOR_LIST = re.compile(rf"{_NAME}(?:,\s+{_NAME}){{1,}},?\s+(?:and|or)\s+{_NAME}")
# … unless the last name is the event's body: "Justice, Freedom and Security Subcommittee"
_EVENT_END = re.compile(
    r"(?:committee|group|council|process|processes|meeting|dialogue|platform|network|forum|board|party|"
    r"conference|summit|session|workshop|days?|week)$",
    re.I,
)
# a coordinated noun phrase cut after its modifier: "… and a readmission" (+ " agreement with …")
_OPEN_COORDINATE = re.compile(r"\b(?:and|or)\s+(?:a|an|the)\s+[\w-]+$", re.I)
_NOUN_NEXT = re.compile(rf"^\s*(?!(?:{_CONNECTOR}|{_AUXILIARY}|\w+ed|\w+ly)\b)[a-z][\w-]*", re.I)


def _cut_in(title: str, sentence: str) -> bool:
    """The sentence goes on with the noun a coordinated noun phrase at the title's end lacks ("… and a
    readmission" + " agreement with Kazakhstan")."""
    if not _OPEN_COORDINATE.search(title):
        return False
    at = sentence.find(title)
    return at >= 0 and bool(_NOUN_NEXT.match(sentence[at + len(title) :]))


_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(/„“:-]))['‘’](?=\w)")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.!?])['’](?=[\s,.;:)!?]|$)")


def singles_balanced(text: str) -> bool:
    """Single quotes pair up: a ' or ‘ opening a word is closed by a ' or ’ ending one, and a closing mark
    has an opening one before it; an apostrophe inside a word ("Commission's", "l'Homme") or after a plural
    s ("Member States' meeting") is no quote."""
    marks = [(m.start(), 1) for m in _SINGLE_OPEN.finditer(text)]
    marks += [(m.start(), -1) for m in _SINGLE_CLOSE.finditer(text)]
    depth = 0
    for at, step in sorted(marks):
        if step < 0 and not depth and (text[at - 1 : at].lower() == "s" or re.search("[“„]", text[:at])):
            continue  # a plural possessive, or the ’ that closes a “
        depth += step
        if depth < 0:
            return False
    return depth == 0


def _quotes_balanced(text: str) -> bool:
    """A quotation opened is closed: after the last “ or „ comes a closing mark (documents mix ” " ’), and
    straight double quotes alone come in pairs."""
    opening = max(text.rfind("“"), text.rfind("„"))
    if 0 <= opening == len(text) - 1 and opening > 0:
        return True  # a “ used as the closing mark ("… Policies?“")
    if opening >= 0:
        return any(mark in text[opening + 1 :] for mark in '”"’“')
    return text.count('"') % 2 == 0 or "”" in text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _bare_participle(words: list[str]) -> bool:
    """A verb form with no subject: "Signed", "Entered into force", "Followed by an expert mission", "Taken
    place with Senegal"; a participle used as an adjective ("Revised Schengen Borders Code") is fine."""
    bare = [w.strip(",.;:()") for w in words]
    while len(bare) > 1 and _ADVERB.fullmatch(bare[0]):
        bare = bare[1:]  # "First proposed", "Officially launched"
    if not bare or not _PARTICIPLE_WORD.fullmatch(bare[0]):
        return False
    rest = [w for w in bare[1:] if not _ADVERB.fullmatch(w)]
    return not rest or bool(_AFTER_VERB.fullmatch(rest[0]))


def _date_cut(text: str) -> bool:
    """A title that is only dates and the words between them ("– 15 March and", "2023 to early 2024")."""
    dated = [m for m in find_dates(text) if m.parsed.start is not None]
    if not dated:
        return False
    rest = text
    for match in sorted(dated, key=lambda m: m.start, reverse=True):
        rest = rest[: match.start] + " " + rest[match.end :]
    return not _DATE_FILLER.sub(" ", rest).strip()
