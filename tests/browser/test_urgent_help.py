"""Urgent help on a phone-sized screen in a real Chromium: one tap from the header of the home
page (and of a signed-out page) shows the configured helplines as tap-to-call links, and axe
finds nothing serious on the page."""

import time

import pytest
from browser_helpers import wait_until_pages_kept
from helpers import serious_violations
from playwright.sync_api import Page, expect

from rewire.measures import helplines

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


@pytest.fixture
def helpline_file(tmp_path, settings):
    path = tmp_path / "helplines.yaml"
    path.write_text(
        "en:\n"
        '  - {name: "Test Listening Line", phone: "0800 000 111", hours: "Every day, all day"}\n'
        '  - {name: "Test Night Line", phone: "+00 0000 0000", hours: "Evenings"}\n'
        '  - {name: "Test Text Line", text: "Text TALK to 00000", url: "https://help.invalid/"}\n',
        encoding="utf-8",
    )
    settings.REWIRE_HELPLINES_FILE = str(path)
    helplines.helplines_for.cache_clear()
    yield path
    helplines.helplines_for.cache_clear()


def tap_urgent_help(page: Page) -> None:
    link = page.locator("header").get_by_role("link", name="Urgent help")
    # In sight without scrolling the page or the sideways menu.
    expect(link).to_be_in_viewport(ratio=1)
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] + box["height"] <= PHONE["height"]
    assert box["height"] >= 44  # big enough to tap
    link.tap()


def test_one_tap_from_home_shows_the_configured_helplines(
    alice_page: Page, live_server, helpline_file, watch
):
    page = alice_page
    assert page.viewport_size == PHONE
    tap_urgent_help(page)
    expect(page).to_have_url(f"{live_server.url}/urgent-help")
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent help")
    main = page.get_by_role("main")
    expect(main).to_contain_text("call your local emergency number")
    expect(main.get_by_role("link", name="Call 0800 000 111")).to_have_attribute(
        "href", "tel:0800000111"
    )
    expect(main.get_by_role("link", name="Call +00 0000 0000")).to_have_attribute(
        "href", "tel:+0000000000"
    )
    expect(main).to_contain_text("Every day, all day")
    expect(main).to_contain_text("Text TALK to 00000")
    expect(main.get_by_role("link", name="https://help.invalid/")).to_be_visible()
    # Nothing runs off the side of a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []
    watch.assert_clean()


def test_signed_out_the_link_works_too_and_the_page_passes_axe(
    page: Page, live_server, helpline_file, watch
):
    page.goto(f"{live_server.url}/accounts/login")
    tap_urgent_help(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent help")
    expect(page.get_by_role("main").get_by_role("link", name="Call 0800 000 111")).to_be_visible()
    assert serious_violations(page) == []
    watch.assert_clean()


def test_without_a_file_the_page_gives_the_emergency_advice(page: Page, live_server, settings):
    settings.REWIRE_HELPLINES_FILE = ""
    helplines.helplines_for.cache_clear()
    try:
        page.goto(f"{live_server.url}/urgent-help")
        main = page.get_by_role("main")
        expect(main).to_contain_text("call your local emergency number")
        expect(main).to_contain_text("no helplines set up for your language")
        expect(main.locator('a[href^="tel:"]')).to_have_count(0)
        assert serious_violations(page) == []
    finally:
        helplines.helplines_for.cache_clear()


def wait_for_offline_copy(page: Page, showing: str) -> None:
    """Until the service worker is active with its copy of Urgent help `showing` this text
    (an older worker's copy is deleted when the newer one takes over). Polled from here:
    wait_for_function does not wait for a promise."""
    check = """async (showing) => {
      const registration = await navigator.serviceWorker.ready;
      // Only the signed-out copies' cache counts (the person's own is rewire-user-…).
      const names = (await caches.keys()).filter((name) => name.startsWith("rewire-offline-"));
      const copy = names.length === 1 &&
        await caches.match("/urgent-help", { cacheName: names[0] });
      if (copy && (await copy.text()).includes(showing)) return true;
      await registration.update();  // as a later visit would
      return false;
    }"""
    deadline = time.monotonic() + 15
    while not page.evaluate(check, showing):
        assert time.monotonic() < deadline, f"no offline copy showing {showing!r}"
        page.wait_for_timeout(200)


def test_once_any_page_was_visited_urgent_help_opens_with_no_connection(
    helpline_file, alice_page: Page, live_server, watch, alice
):
    page = alice_page  # signed in, on the home page: nothing else visited
    wait_for_offline_copy(page, "Test Listening Line")
    wait_until_pages_kept(page)
    page.context.set_offline(True)
    try:
        tap_urgent_help(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Urgent help")
        main = page.get_by_role("main")
        expect(main).to_contain_text("call your local emergency number")
        expect(main.get_by_role("link", name="Call 0800 000 111")).to_have_attribute(
            "href", "tel:0800000111"
        )
        # Styled as usual: the style sheet was kept too.
        assert page.evaluate("[...document.styleSheets].some(sheet => sheet.cssRules.length > 0)")
        # The kept copy is the signed-out page: nothing of the person is stored.
        kept = page.evaluate("caches.match('/urgent-help').then(copy => copy.text())")
        assert "Test Listening Line" in kept
        assert alice.email not in kept and "Sign out" not in kept
    finally:
        page.context.set_offline(False)
    # Back online, the page comes from the server again (signed in: the menu is there, the
    # phone's bottom bar at this width).
    page.reload()
    expect(page.get_by_role("navigation")).to_be_visible()
    assert serious_violations(page) == []
    watch.assert_clean()


def test_a_new_helpline_list_renews_the_kept_copy(
    page: Page, live_server, helpline_file, settings, watch
):
    page.goto(f"{live_server.url}/accounts/login")
    wait_for_offline_copy(page, "Test Listening Line")
    helpline_file.write_text(
        'en:\n  - {name: "Test Second Line", phone: "0800 000 222", hours: "Weekdays"}\n',
        encoding="utf-8",
    )
    helplines.helplines_for.cache_clear()
    # The next visit finds a new service worker (its version follows the helplines), which
    # keeps a new copy.
    page.goto(f"{live_server.url}/accounts/login")
    wait_for_offline_copy(page, "Test Second Line")
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/urgent-help")
        expect(page.get_by_role("main")).to_contain_text("Test Second Line")
        expect(page.get_by_role("main")).not_to_contain_text("Test Listening Line")
    finally:
        page.context.set_offline(False)
    watch.assert_clean()
