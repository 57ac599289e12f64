"""The pages in a real browser: Playwright for Python driving Debian's chromium against a real HTTP server.

The app runs on werkzeug's threaded server on 127.0.0.1 (a free port) over a database holding the sample
documents, with the clock stopped inside the samples' period. Screenshots of the index, a country page and an
event page are saved to a temporary folder, or to the folder CALENDAR_SVC_SCREENSHOTS names: the README's
images are regenerated with `CALENDAR_SVC_SCREENSHOTS=docs/screenshots python -m pytest tests/test_browser.py`.

Chromium is never downloaded: the tests use /usr/bin/chromium (override with CALENDAR_SVC_CHROMIUM). When it
is missing they are skipped on a developer machine, but fail in CI (the `CI` variable is set), where
`.ci/run` installs it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from conftest import SAMPLE_NOW, serving
from sqlalchemy import select

from calendar_svc.app import create_app
from calendar_svc.clock import fixed_clock
from calendar_svc.config import Settings
from calendar_svc.db import make_engine, session_factory
from calendar_svc.ingest import ingest_bytes
from calendar_svc.models import Event, EventCountry, EventSource
from calendar_svc.schema import upgrade

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CHROMIUM = os.environ.get("CALENDAR_SVC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Feed URLs shown on the pages use the configured public base URL (stable screenshots).
PUBLIC_BASE = "https://calendar.example.org"
SCREENSHOTS = Path(
    os.environ.get("CALENDAR_SVC_SCREENSHOTS") or Path(tempfile.gettempdir()) / "calendar-svc-screenshots"
)
COUNTRY = "MA"

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); required in CI", allow_module_level=True)

if not os.environ.get("CI"):
    pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402  (fails loudly in CI when missing)

# -- the server and the browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'samples.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    for path in sorted(SAMPLES.glob("*.txt")):
        ingest_bytes(sessions, path.name, path.read_bytes(), clock=fixed_clock(SAMPLE_NOW))
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(sample_db):
    """A real HTTP server on a free port; yields its base URL."""
    app = create_app(Settings(database_url=sample_db, base_url=PUBLIC_BASE), clock=fixed_clock(SAMPLE_NOW))
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000
            )
        except Exception as exc:  # never a silent skip: a browser that will not start is a failure
            pytest.fail(f"cannot start {CHROMIUM}: {exc}")
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-GB"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield page
    context.close()
    assert problems == [], f"browser console errors (CSP violations, 404s, script errors): {problems}"


@pytest.fixture(scope="module")
def store(sample_db):
    engine = make_engine(sample_db)
    yield session_factory(engine)
    engine.dispose()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False, animations="disabled")


# -- tests -------------------------------------------------------------------------------------------


def test_index_lists_countries_by_region_and_subscribe_links(page: Page):
    page.goto("/")
    expect(page).to_have_title(re.compile("EU migration dialogue calendars"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("migration dialogues")
    expect(page.get_by_role("heading", name="African countries")).to_be_visible()
    expect(page.get_by_role("heading", name="Western Balkans")).to_be_visible()
    expect(page.locator("#countries a.directory-name", has_text="Morocco")).to_have_attribute(
        "href", "/countries/MA"
    )
    upcoming = page.locator(".upcoming ol.events > li")
    expect(upcoming.first).to_be_visible()
    assert upcoming.count() >= 1
    # every feed link points at an .ics file; the combined feed has a webcal:// variant and a copy button
    feed_hrefs = page.locator(".feed-links a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert feed_hrefs and all(h.endswith(".ics") for h in feed_hrefs)
    # a feed link's name starts with its visible text and says whose feed it is (WCAG 2.5.3)
    expect(page.get_by_role("link", name=".ics feed for Morocco", exact=True)).to_have_attribute(
        "href", "/feeds/countries/MA.ics"
    )
    webcal = page.locator("a.webcal")
    expect(webcal).to_have_attribute("href", "webcal://calendar.example.org/feeds/all.ics")
    expect(page.locator("#all-url")).to_have_value(f"{PUBLIC_BASE}/feeds/all.ics")
    expect(page.locator("button.copy-button")).to_be_visible()  # revealed by app.js
    screenshot(page, "index")


def test_index_with_nothing_upcoming_shows_the_latest_events(page: Page):
    page.goto("/?now=2099-01-01")
    notice = page.locator("p.nothing-upcoming")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("No upcoming events in the documents as of 1 January 2099")
    expect(page.get_by_role("heading", name="Latest events")).to_be_visible()
    assert page.locator(".upcoming ol.events > li.past").count() >= 1
    expect(page.locator("#countries .directory-item .latest").first).to_contain_text("Latest:")
    expect(page.get_by_text("No upcoming events")).to_have_count(1)
    notice.get_by_role("link", name=re.compile("as it stood on")).click()
    expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible()


def test_search_from_the_index(page: Page):
    page.goto("/")
    page.get_by_label("Search events").fill("readmission")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?q=readmission"))
    expect(page.get_by_role("heading", name=re.compile("Results"))).to_be_visible()
    results = page.locator("ol.events a.event-title")
    expect(results.first).to_be_visible()
    titles = results.all_inner_texts()
    assert titles
    assert any("readmission" in t.lower() for t in titles)
    expect(page.get_by_label("Words in the title, description or location")).to_have_value("readmission")


def test_search_works_without_javascript(browser, server):
    context = browser.new_context(base_url=server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_label("Search events").fill("visa")
        page.get_by_label("Search events").press("Enter")
        page.wait_for_url(re.compile(r"/search\?q=visa"))
        expect(page.locator("ol.events a.event-title").first).to_be_visible()
        # the URL stays selectable for copying by hand; the button needs script and stays hidden
        page.goto(f"/countries/{COUNTRY}")
        expect(page.locator("#feed-url")).to_be_visible()
        expect(page.locator("button.copy-button")).to_be_hidden()
    finally:
        context.close()


def test_country_page_timeline_and_subscribe_panel(page: Page, server):
    page.goto("/")
    page.locator("#countries a.directory-name", has_text="Morocco").click()
    page.wait_for_url(f"{server}/countries/{COUNTRY}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Morocco")
    # subscribe panel: webcal link, https URL with copy button, steps for Google and Outlook on the web
    expect(page.locator("a.webcal")).to_have_attribute(
        "href", f"webcal://calendar.example.org/feeds/countries/{COUNTRY}.ics"
    )
    expect(page.locator("a.ics")).to_have_attribute("href", re.compile(rf"/feeds/countries/{COUNTRY}\.ics$"))
    expect(page.locator("#feed-url")).to_have_value(f"{PUBLIC_BASE}/feeds/countries/{COUNTRY}.ics")
    copy = page.get_by_role("button", name="Copy URL")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator("#feed-status")).not_to_be_empty()
    google = page.locator("details", has_text="Google Calendar")
    google.locator("summary").click()
    expect(google).to_contain_text("From URL")
    expect(google).to_contain_text("about a day")
    assert "cid=" not in page.content()
    # timeline: one block per year, bars in the grid, past and upcoming, today's marker
    timeline = page.locator("section.timeline")
    expect(timeline.locator(".tl-year").first).to_be_visible()
    assert timeline.locator(".tl-bar.past").count() >= 1
    assert timeline.locator(".tl-bar.upcoming").count() >= 1
    assert timeline.locator(".tl-now").count() >= 1
    bar = timeline.locator(".tl-bar").first.bounding_box()
    track = timeline.locator(".tl-track").first.bounding_box()
    assert bar and track and bar["width"] > 0 and track["x"] <= bar["x"] <= track["x"] + track["width"]
    windows = timeline.locator(".tl-bar.window")
    if windows.count():  # fuzzy windows are drawn wider than one-day events
        one_day = timeline.locator(".tl-bar:not(.window)").first.bounding_box()
        widest = max(b["width"] for b in (windows.nth(i).bounding_box() for i in range(windows.count())))
        assert widest > one_day["width"]
    expect(page.locator("#upcoming-heading")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 1250})
    page.reload()  # a fresh page (no "Copied", steps closed) for the screenshot
    screenshot(page, "country")


def test_event_page_provenance_and_add_to_calendar(page: Page, store, server):
    with store() as session:
        source = session.scalar(
            select(EventSource)
            .join(Event)
            .join(EventCountry, EventCountry.event_id == Event.id)
            .where(
                EventCountry.code == COUNTRY, Event.location.is_not(None), EventSource.section.is_not(None)
            )
            .order_by(Event.start, EventSource.id)
            .limit(1)
        )
        uid, title = source.event.uid, source.event.title
        document, line, section = source.document, source.line, source.section
    page.goto(f"/countries/{COUNTRY}")
    page.locator("ol.events a.event-title", has_text=title).first.click()
    page.wait_for_url(f"{server}/events/{uid}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)  # the summary holds the title
    provenance = page.locator("section.provenance")
    expect(provenance.locator(".document-name").first).to_have_text(document)
    expect(provenance.locator("dd.line").first).to_have_text(str(line))
    expect(provenance).to_contain_text(section)
    expect(provenance.locator("pre.raw").first).to_be_visible()
    expect(page.locator("a.tag", has_text="Morocco")).to_have_attribute("href", f"/countries/{COUNTRY}")
    add = page.get_by_role("link", name=re.compile("Add this event"))
    expect(add).to_have_attribute("href", f"/events/{uid}.ics")
    with page.expect_download() as download_info:
        add.click()
    download = download_info.value
    body = Path(download.path()).read_text(encoding="utf-8")
    assert body.startswith("BEGIN:VCALENDAR") and f"UID:{uid}@calendar.example.org" in body
    screenshot(page, "event")


def test_keyboard_navigation_reaches_search_and_skip_link(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    expect(page.locator(".skip-link")).to_be_in_viewport()
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    else:
        pytest.fail("Tab never reached the search box")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focused elements must show a focus style"
    page.keyboard.type("Rabat")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Rabat"))
    expect(page.locator("ol.events a.event-title").first).to_be_visible()


def test_pages_fit_a_phone_screen(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 375, "height": 812}, is_mobile=True)
    try:
        page = context.new_page()
        for path in ("/", f"/countries/{COUNTRY}", "/search?q=visa"):
            page.goto(path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    finally:
        context.close()


def test_unknown_pages_are_404_in_the_browser(browser, server):
    context = browser.new_context(base_url=server)
    try:
        page = context.new_page()
        response = page.goto("/events/no-such-event")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Not Found")
        expect(page.get_by_role("link", name="Back to all calendars")).to_have_attribute("href", "/")
        headers = response.headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
    finally:
        context.close()
