"""Tags an event gets from its context: the plan its document follows up, the process its section is for."""

from __future__ import annotations

import re

from parsers.blocks import Block, Document, Heading, Origin, Paragraph, Table
from parsers.catalogue import PROCESS_BY_SLUG, PROCESSES, heading_process, processes_in
from parsers.model import ParsedEvent, Source
from parsers.reasons import SECTION
from parsers.tagging import REGION_COUNTRIES
from parsers.text import squeeze

_HEAD_LINES = 60
_HEADING_CHARS = 300  # the samples' longest section heading: 237 (an action of 004)
_HEAD_CHARS = 10_000  # more than the first 60 lines of any sample (001's wide table rows: 9,200)
# "Action File to follow up on the EU action plan for the Eastern Mediterranean route",
# "follow-up to the Joint Valletta Action Plan", "following up the ..."
_FOLLOW_UP = re.compile(
    r"\bfollow(?:s|ing|ed)?[\s-]+up\s+(?:(?:on|to|of)\s+)?(?P<what>[^.;:\n]{5,160})", re.I
)


def followed_up(doc: Document) -> list[str]:
    """Processes the document says, in its first lines, that it follows up (its subject or title)."""
    found: list[str] = []
    for text in _head_texts(doc):
        for match in _FOLLOW_UP.finditer(text):
            for slug in processes_in(match.group("what")):
                if slug not in found:
                    found.append(slug)
    return found


def _head_texts(doc: Document) -> list[str]:
    """The whole texts (paragraphs, headings, cells) that start in the document's first lines: a subject
    wrapped over two lines of a PDF or a narrow cell is read as one. A flattened extraction has a page or a
    paragraph on one line, so the head also ends after _HEAD_CHARS characters."""
    texts: list[str] = []
    lines = 0
    for block in doc.blocks:
        if lines >= _HEAD_LINES:
            break
        if isinstance(block, Table):
            for row in block.rows:
                texts += [squeeze(cell.text) for cell in row.cells]
                lines += max((len(cell.blocks) or 1 for cell in row.cells), default=1)
        elif isinstance(block, Heading):
            texts.append(squeeze(block.text))
            lines += 1
        else:
            texts.append(squeeze(block.text))
            lines += len(block.lines) or 1
    kept: list[str] = []
    for text in texts:
        budget = _HEAD_CHARS - sum(map(len, kept))
        if budget <= 0:
            break
        kept.append(text[:budget])
    return kept


def tag_with(events: list[ParsedEvent], slugs: list[str]) -> None:
    """Add the document's processes to every event (after the event's own)."""
    for event in events:
        event.processes += [slug for slug in slugs if slug not in event.processes]


def route_plans(events: list[ParsedEvent]) -> None:
    """In a document that follows the route action plans (an event carries one), an event tagged with a
    region that has a route action plan of its own gets that plan too ("Western Balkans" among the routes);
    an event of the plan for a region of fixed partners that has no country gets the region's."""
    carried = {slug for event in events for slug in event.processes}
    if not any(PROCESS_BY_SLUG[slug].route for slug in carried if slug in PROCESS_BY_SLUG):
        return
    plans = {p.region: p.slug for p in PROCESSES if p.route and p.region}
    for event in events:
        regional = [PROCESS_BY_SLUG[slug] for slug in event.processes if slug in PROCESS_BY_SLUG]
        tag_with([event], [plans[p.region] for p in regional if p.kind == "region" and p.region in plans])
        _plan_region(event)


def _plan_region(event: ParsedEvent) -> None:
    """An event of a route plan for a region of fixed partners ("WESTERN BALKANS ACTION PLAN" over a part)
    that names no country has the region's countries, as an event under the region's heading has."""
    if event.countries:
        return
    for slug in event.processes:
        plan = PROCESS_BY_SLUG.get(slug)
        codes = REGION_COUNTRIES.get(plan.region.lower(), ()) if plan and plan.route and plan.region else ()
        if codes:
            event.countries = list(codes)
            event.country_reasons = {code: [SECTION] for code in codes}
            return


def section_processes(section: str | None) -> list[str]:
    """The process a section heading is titled for ("Making the Pact a reality", "Schengen governance"); a
    "heading" longer than _HEADING_CHARS is text a flattened extraction ran into it, titled for nothing."""
    slug = heading_process(section) if section and len(section) <= _HEADING_CHARS else None
    return [slug] if slug else []


# A line of a heading in capitals ("WESTERN", "BALKANS", "ACTION PLAN", "DECEMBER 2022").
_CAPS_LINE = 40


Parts = list[tuple[tuple[int, int], list[str]]]


def process_parts(doc: Document) -> Parts:
    """Where the parts of a document begin that a heading broken over several short lines in capitals titles
    for a process ("WESTERN / BALKANS / ACTION PLAN / DECEMBER 2022"), with that process; the next heading in
    capitals ends the part (its entry then has no process). A paragraph whose first sentence names a process
    is a part of its own (`_topic_parts`)."""
    return _topic_parts(doc, _heading_parts(doc))


def _heading_parts(doc: Document) -> Parts:
    parts: Parts = []
    run: list[Block] = []
    for block in [*doc.blocks, None]:
        if block is not None and _caps_line(block):
            run.append(block)
            continue
        if run:
            slug = heading_process(" ".join(squeeze(b.text) for b in run)) if len(run) > 1 else None
            parts.append((_place(run[0].origin), [slug] if slug else []))
            run = []
    return parts


_FIRST_SENTENCE = re.compile(r".+?[.;](?=\s|$)|.+", re.S)
_TOPIC_CHARS = 1500  # a paragraph; a longer block is a page or more run together (a flattened extraction)


def _topic_parts(doc: Document, parts: Parts) -> Parts:
    """Within `parts`, a paragraph whose first sentence names a process ("The delivery on the Western Balkans
    Action Plan has been effective, …", "In parallel, a Global Alliance to Counter Migrant Smuggling was
    launched …") adds it for the events of that paragraph; a heading part starting where it ends wins."""
    topics: Parts = []
    for block, following in zip(doc.blocks, [*doc.blocks[1:], None], strict=True):
        text = squeeze(block.text) if isinstance(block, Paragraph) else ""
        match = _FIRST_SENTENCE.match(text) if len(text) <= _TOPIC_CHARS else None
        slugs = processes_in(match.group(0)) if match else []
        if slugs:
            start = _place(block.origin)
            around = part_processes(parts, Source("", start[1], None, page=start[0] or None))
            topics.append((start, list(dict.fromkeys(around + slugs))))
            if following is not None:
                topics.append((_place(following.origin), around))
    return [part for _, _, part in sorted([(p[0], 0, p) for p in topics] + [(p[0], 1, p) for p in parts])]


def part_processes(parts: Parts, source: Source) -> list[str]:
    """The process of the part an event is listed in (`process_parts`)."""
    place = _place(Origin(source.line, source.page))
    found: list[str] = []
    for start, slugs in parts:
        if start > place:
            break
        found = slugs
    return found


def _caps_line(block: Block) -> bool:
    text = squeeze(block.text) if isinstance(block, Paragraph | Heading) else ""
    return 0 < len(text) <= _CAPS_LINE and text.isupper()


def _place(origin: Origin) -> tuple[int, int]:
    return (origin.page or 0, origin.line)
