"""The admin page and the documents page in Chromium (Playwright, /usr/bin/chromium) against a real
HTTP server: sign in with the admin token, upload editions, retract one, CSRF and cookie flags,
sign out; axe-core finds no serious or critical accessibility problem on the admin page in its states.
Skipped like tests/test_browser.py when Chromium is missing outside CI."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_NOW, serving
from editions import NEWER_NAME, SAMPLE, newer_edition
from playwright.sync_api import Page, expect
from test_browser import browser  # noqa: F401 - fixture (module-scoped Chromium)
from test_browser_a11y import BLOCKING, OPTIONS, VIEWPORTS, axe_script, describe  # noqa: F401 - fixture

from calendar_svc.app import create_app
from calendar_svc.clock import fixed_clock
from calendar_svc.config import Settings
from calendar_svc.db import make_engine
from calendar_svc.schema import upgrade

TOKEN = "browser-admin-token-7f3c9a"


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'admin.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app(Settings(database_url=url, admin_token=TOKEN), clock=fixed_clock(SAMPLE_NOW))
    try:
        with serving(app) as base:
            yield base
    finally:
        app.extensions["calendar_svc.engine"].dispose()


@pytest.fixture
def failed() -> list[str]:
    """Responses of 400 and above the page received ("status url")."""
    return []


@pytest.fixture
def page(browser, server, failed):  # noqa: F811
    context = browser.new_context(base_url=server, locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page
    context.close()
    assert problems == [], f"browser console errors (CSP violations, script errors): {problems}"


def row(page: Page, name: str):
    return page.locator("tr.document", has=page.locator(".document-name", has_text=name))


def test_admin_signs_in_uploads_retracts_and_signs_out(page: Page, server, tmp_path, failed):
    page.goto("/admin")
    expect(page.locator("#login")).to_be_visible()
    page.fill("#token", "not-the-token")
    page.click("#login button[type=submit]")
    expect(page.locator(".flash.error")).to_have_text("That token is not valid.")
    expect(page.locator("#upload")).to_have_count(0)

    page.fill("#token", TOKEN)
    page.click("#login button[type=submit]")
    expect(page.locator("#upload")).to_be_visible()
    assert TOKEN not in page.content()
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "calendar_svc_admin"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and TOKEN not in cookie["value"]

    page.set_input_files("#file", str(SAMPLE))
    page.click("#upload button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text(f"{SAMPLE.name} ingested: layout event-tables")
    newer = tmp_path / NEWER_NAME
    newer.write_bytes(newer_edition())
    page.set_input_files("#file", str(newer))
    page.click("#upload button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("(1 new, 1 updated,")
    expect(row(page, NEWER_NAME).locator(".state")).to_have_text("active")

    page.click(f"button[aria-label='Retract {NEWER_NAME}']")
    expect(page.locator(".flash.ok")).to_have_text(f"{NEWER_NAME} retracted: 1 events reverted, 1 cancelled.")
    expect(row(page, NEWER_NAME).locator(".state")).to_have_text("retracted")
    expect(row(page, SAMPLE.name).locator(".state")).to_have_text("active")

    page.goto("/documents")  # the public list
    expect(row(page, NEWER_NAME).locator(".state")).to_have_text("retracted")
    expect(page.locator("form")).to_have_count(0)

    page.goto("/admin")
    page.click("text=Sign out")
    expect(page.locator("#login")).to_be_visible()
    page.goto("/admin")
    expect(page.locator("#upload")).to_have_count(0)
    assert failed == []


def test_a_cross_site_form_cannot_retract(page: Page, server, failed):
    page.goto("/admin")
    page.fill("#token", TOKEN)
    page.click("#login button[type=submit]")
    page.set_input_files("#file", str(SAMPLE))
    page.click("#upload button[type=submit]")
    expect(row(page, SAMPLE.name).locator(".state")).to_have_text("active")
    document_id = row(page, SAMPLE.name).get_attribute("data-id")

    # another site's page posting to the admin page with the signed-in browser: no valid CSRF token
    # (and the SameSite=Strict cookie is not even sent)
    page.set_content(
        f'<form method="post" action="{server}/admin/documents/{document_id}/retract">'
        '<input name="csrf" value="guessed"></form>'
    )
    with page.expect_navigation():
        page.evaluate("document.forms[0].submit()")
    assert "did not come from this site" in page.content()
    assert failed == [f"400 {server}/admin/documents/{document_id}/retract"]
    page.goto("/admin")
    expect(row(page, SAMPLE.name).locator(".state")).to_have_text("active")


def _blocking_findings(page: Page) -> list[dict]:
    page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
    result = page.evaluate("options => axe.run(document, options)", OPTIONS)
    return [r for r in result["violations"] + result["incomplete"] if r["impact"] in BLOCKING]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_admin_page_has_no_serious_accessibility_findings(browser, server, axe_script, viewport):  # noqa: F811
    """Signed out (with the error of a wrong token), then signed in with documents and a notice."""
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        base_url=server, viewport={"width": width, "height": height}, is_mobile=viewport == "phone"
    )
    context.add_init_script(path=axe_script)
    page = context.new_page()
    try:
        page.goto("/admin")
        page.fill("#token", "not-the-token")
        page.click("#login button[type=submit]")
        expect(page.locator(".flash.error")).to_be_visible()
        found = _blocking_findings(page)
        assert not found, f"/admin signed out:\n{describe(found)}"
        page.fill("#token", TOKEN)
        page.click("#login button[type=submit]")
        page.set_input_files("#file", str(SAMPLE))
        page.click("#upload button[type=submit]")
        expect(page.locator(".flash.ok")).to_be_visible()
        expect(row(page, SAMPLE.name)).to_be_visible()
        found = _blocking_findings(page)
        assert not found, f"/admin signed in:\n{describe(found)}"
    finally:
        context.close()
