"""WCAG 2.1 AA (EN 301 549) of the pages: axe-core, installed from npm in tests/js, in Chromium.

The pages (index, country, process, event, search, the upcoming events, and the states that change what
they show) are checked at desktop and phone widths over the ingested samples, on the real server of
tests/test_browser.py, with every <details> opened so that its content is checked too. A page fails on any
serious or critical result of the WCAG 2.0/2.1 A and AA rules or of axe's best practices: a violation, or an
element axe could not decide ("needs review"); the message lists everything found (rule, impact, selectors,
help). axe comes from tests/js/node_modules, never a CDN, and goes in with Playwright's add_init_script
(evaluated in each new document through the DevTools protocol): add_script_tag would insert an inline
<script>, which the pages' Content-Security-Policy (script-src 'self') rightly blocks, and the policy stays on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_browser import COUNTRY, browser, sample_db, server, store  # noqa: F401 - fixtures
from test_feeds_checks import JS_DIR, node_ready

from calendar_svc.models import Event, EventSource

AXE = JS_DIR / "node_modules" / "axe-core" / "axe.min.js"
OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations", "incomplete"],  # the others list one element each
}
BLOCKING = ("serious", "critical")
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def event_path(*where) -> Callable[[Session], str]:
    """The page of the first event (by id) matching the conditions."""

    def path(session: Session) -> str:
        return f"/events/{session.scalar(select(Event.uid).where(*where).order_by(Event.id).limit(1))}"

    return path


def most_revised_event(session: Session) -> str:
    """The page of the event with the most revisions and sources: change history and several sources."""
    sources = select(func.count()).where(EventSource.event_id == Event.id).scalar_subquery()
    uid = session.scalar(select(Event.uid).order_by(Event.sequence.desc(), sources.desc(), Event.id).limit(1))
    return f"/events/{uid}"


@dataclass(frozen=True)
class Case:
    """A page in one state: its path (or how to find it in the store), its status, an element it shows."""

    path: str | Callable[[Session], str]
    status: int
    shows: str


CASES = {
    "index": Case("/", 200, ".upcoming ol.events"),
    "index-nothing-upcoming": Case("/?now=2099-01-01", 200, "p.nothing-upcoming"),
    "country": Case(f"/countries/{COUNTRY}", 200, "section.timeline .tl-bar"),
    "process": Case("/processes/rabat-process", 200, "section.timeline .tl-bar"),
    "event-revised": Case(most_revised_event, 200, "section.history table"),
    "event-cancelled": Case(event_path(Event.status == "cancelled"), 200, ".event-badges .badge-cancelled"),
    "event-postponed": Case(event_path(Event.status == "postponed"), 200, ".event-badges .badge-postponed"),
    "event-tentative": Case(
        event_path(Event.tentative.is_(True), Event.status == "scheduled"),
        200,
        ".event-badges .badge-tentative",
    ),
    "event-window": Case(event_path(Event.precision == "quarter"), 200, ".event-badges .badge-window"),
    "search": Case("/search", 200, "form.search-form"),
    "search-results": Case("/search?q=readmission", 200, "ol.events a.event-title"),
    "search-no-results": Case("/search?q=zqxjv", 200, "p.empty"),
    "search-bad-query": Case("/search?q=visa&status=bogus", 400, "p.lead"),
    # no page of its own: the index's section and the full list it links to (/search?when=upcoming)
    "upcoming": Case("/search?when=upcoming", 200, "ol.events li.upcoming"),
    "documents": Case("/documents", 200, "tr.document"),
    "not-found": Case("/events/no-such-event", 404, "p.lead"),
}


@pytest.fixture(scope="module")
def axe_script() -> str:
    node_ready()  # runs `npm ci` in tests/js when a package is missing
    return str(AXE)


@pytest.fixture(params=list(VIEWPORTS), scope="module")
def viewport(request) -> str:
    return request.param


@pytest.fixture
def axe_page(browser, server, axe_script, viewport):  # noqa: F811
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        base_url=server,
        viewport={"width": width, "height": height},
        is_mobile=viewport == "phone",
        locale="en-GB",
    )
    context.add_init_script(path=axe_script)
    yield context.new_page()
    context.close()


def describe(violations: list[dict], shown: int = 10) -> str:
    """One block per violation: rule, impact, help and its link, then the selectors of the first failing
    elements."""
    lines = []
    for v in violations:
        nodes = v["nodes"]
        lines.append(f"{v['id']} ({v['impact']}, {len(nodes)} elements): {v['help']} <{v['helpUrl']}>")
        lines += [f"    {' '.join(map(str, node['target']))}" for node in nodes[:shown]]
        if len(nodes) > shown:
            lines.append(f"    … and {len(nodes) - shown} more")
    return "\n".join(lines) or "    none"


@pytest.mark.parametrize("name", list(CASES))
def test_no_serious_or_critical_accessibility_findings(axe_page: Page, store, name: str):  # noqa: F811
    case = CASES[name]
    if isinstance(case.path, str):
        path = case.path
    else:
        with store() as session:
            path = case.path(session)
    response = axe_page.goto(path)
    assert response is not None and response.status == case.status, path
    expect(axe_page.locator(case.shows).first).to_be_visible()
    axe_page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
    result = axe_page.evaluate("options => axe.run(document, options)", OPTIONS)
    assert result["testEngine"]["name"] == "axe-core"
    blocking = [r for r in result["violations"] + result["incomplete"] if r["impact"] in BLOCKING]
    assert not blocking, (
        f"{path}: serious or critical accessibility findings\nviolations:\n{describe(result['violations'])}"
        f"\nneeds review (axe could not decide):\n{describe(result['incomplete'])}"
    )
