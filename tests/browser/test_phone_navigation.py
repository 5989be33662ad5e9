"""The navigation on a phone and on a wide screen, and the dark colour scheme (issue 17).

On a phone the sections are a bar at the bottom of the screen (Check in, Programme, History,
Insights, More) and "More" opens a sheet with the rest; from 44rem the whole menu is in the
header. Dark mode follows the system's setting. The HTML side: tests/test_navigation.py."""

import re

import pytest
from browser_helpers import sign_in
from helpers import open_programme, serious_violations
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}
BAR = ["Check in", "Programme", "History", "Insights"]
SHEET = ["Movement", "Questionnaires", "Settings"]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def bar(page: Page):
    return page.get_by_role("navigation", name="Sections")


def fits(page: Page, locator) -> None:
    """On screen, not cut off at either side, and a 44 px target."""
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], box
    assert box["width"] >= 44 and box["height"] >= 44, box


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_every_section_is_one_or_two_taps_away_on_a_phone(alice_page: Page, live_server, alice):
    open_programme(alice)
    page = alice_page
    # One navigation landmark at a time: the header's menu is hidden on a phone.
    expect(page.get_by_role("navigation")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    no_sideways_scroll(page)
    for name in BAR:
        fits(page, bar(page).get_by_role("link", name=name, exact=True))
    more = bar(page).get_by_text("More", exact=True)
    fits(page, more)
    expect(bar(page).get_by_role("link", name="Check in")).to_have_attribute("aria-current", "page")
    # The urgent help link and the flare button keep their places in the header's one row.
    brand = page.locator(".brand").bounding_box()
    for where in (page.locator(".urgent-help"), page.locator(".flare > summary")):
        box = where.bounding_box()
        assert abs(box["y"] + box["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 4
    for name in SHEET:
        url = {"Movement": "/movement", "Questionnaires": "/questionnaires"}.get(name, "/settings")
        expect(bar(page).get_by_role("link", name=name)).to_be_hidden()
        more.click()  # a tap opens the sheet
        link = bar(page).get_by_role("link", name=name)
        fits(page, link)
        fits(page, bar(page).get_by_role("button", name="Sign out"))
        link.click()
        expect(page).to_have_url(live_server.url + url)
        no_sideways_scroll(page)
        # The sheet is closed again on the new page; its link marks the page, and so does
        # "More" (the link itself is hidden until the sheet opens).
        expect(page.locator(f'.tab-bar a[href="{url}"]')).to_have_attribute("aria-current", "page")
        expect(page.locator(".more-sheet > summary")).to_have_class("holds-current")
    for name in BAR:
        bar(page).get_by_role("link", name=name, exact=True).click()
        no_sideways_scroll(page)
        expect(bar(page).get_by_role("link", name=name, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        expect(page.locator(".more-sheet > summary")).not_to_have_class("holds-current")


def test_the_more_sheet_works_with_the_keyboard(alice_page: Page):
    page = alice_page
    summary = page.locator(".more-sheet > summary")
    summary.focus()
    page.keyboard.press("Enter")
    movement = bar(page).get_by_role("link", name="Movement")
    expect(movement).to_be_visible()
    page.keyboard.press("Tab")
    expect(movement).to_be_focused()
    # Escape closes it and gives the focus back to "More".
    page.keyboard.press("Escape")
    expect(movement).to_be_hidden()
    expect(summary).to_be_focused()
    page.keyboard.press("Space")
    expect(movement).to_be_visible()
    # A tap elsewhere closes it too.
    page.locator("h1").first.click()
    expect(movement).to_be_hidden()


def test_the_more_sheet_opens_without_javascript(browser, live_server, alice):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, alice.email)
        bar(page).get_by_text("More", exact=True).click()
        bar(page).get_by_role("link", name="Settings").click()
        expect(page).to_have_url(live_server.url + "/settings")
        bar(page).get_by_text("More", exact=True).click()
        bar(page).get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        # Signed out: no navigation at all.
        expect(page.get_by_role("navigation")).to_have_count(0)
    finally:
        context.close()


def test_the_bar_covers_neither_the_page_nor_its_footer(alice_page: Page):
    page = alice_page
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    footer = page.locator(".site-footer").bounding_box()
    top_of_bar = bar(page).bounding_box()["y"]
    assert footer["y"] + footer["height"] <= top_of_bar + 0.5
    # The page's last line of content too.
    last = page.locator("main > *").last.bounding_box()
    assert last["y"] + last["height"] <= top_of_bar + 0.5


def test_the_flare_button_opens_its_panel_over_the_bar_in_one_tap(alice_page: Page):
    page = alice_page
    page.locator(".flare > summary").click()
    scale = page.get_by_role("group", name="How strong is the pain right now?")
    expect(scale).to_be_visible()
    fits(page, scale.get_by_role("button", name="10"))


def test_sign_out_from_the_sheet_posts_the_form(alice_page: Page, live_server):
    page = alice_page
    bar(page).get_by_text("More", exact=True).click()
    bar(page).get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/accounts/login"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_a_wide_screen_has_the_whole_menu_in_the_header(alice_page: Page, live_server, alice):
    open_programme(alice)
    page = alice_page
    page.set_viewport_size(WIDE)
    page.goto(live_server.url + "/programme")
    expect(page.get_by_role("navigation")).to_have_count(1)
    menu = page.get_by_role("navigation", name="Main")
    for name in [*BAR, *SHEET]:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    expect(menu.get_by_role("link", name="Programme")).to_have_attribute("aria-current", "page")
    expect(bar(page)).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.body).paddingBottom") == "0px"
    no_sideways_scroll(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_key_pages_pass_axe_in_both_colour_schemes(
    alice_page: Page, live_server, alice, alices_things, scheme
):
    """Contrast (axe's color-contrast among the rest) in the light and the dark scheme, at a
    phone's width and a desktop's."""
    open_programme(alice)
    page = alice_page
    page.emulate_media(color_scheme=scheme)
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == ("rgb(18, 20, 22)" if scheme == "dark" else "rgb(247, 246, 242)")
    for viewport in (PHONE, WIDE):
        page.set_viewport_size(viewport)
        for path in ("/", "/programme", "/history", "/insights", "/settings", "/movement"):
            page.goto(live_server.url + path)
            assert serious_violations(page) == [], (scheme, viewport["width"], path)
        if viewport is PHONE:
            bar(page).get_by_text("More", exact=True).click()
            assert serious_violations(page) == [], (scheme, "the More sheet")
            page.keyboard.press("Escape")
            page.locator(".flare > summary").click()
            assert serious_violations(page) == [], (scheme, "the flare panel")
