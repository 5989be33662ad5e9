"""Every page a patient opens fits a 320 px screen, even with a long unbroken word in what
they wrote: no sideways scrolling (issue 17). Walks every URL pattern with one of each thing
the person owns, as the access sweeps do."""

import pytest
from browser_helpers import walk_pages
from django.contrib.auth import get_user_model
from factories import one_of_each_thing
from factories.walk import PUBLIC
from helpers import PASSWORD, open_programme
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
# A word with no place to break it, as people do write ("aaaaargh", a pasted link).
LONG_WORD = "Unbreakable" * 7


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": NARROW}


def too_wide(page: Page) -> int | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    return width if width > NARROW["width"] else None


def test_no_page_scrolls_sideways_at_320_px(alice_page: Page, live_server, alice, watch):
    open_programme(alice)
    ids = one_of_each_thing(alice, secret=LONG_WORD)
    wide, checked = [], []
    for url in walk_pages(alice_page, live_server.url, ids):
        checked.append(url)
        if width := too_wide(alice_page):
            wide.append((url, width))
    assert wide == []
    # The walk reached the pages (a broken walk would pass with nothing checked).
    assert len(checked) >= 60 and "/programme/goals" in checked and "/settings" in checked


def test_signed_out_and_clinician_pages_fit_320_px(page: Page, live_server, alice, watch):
    """The pages before signing in, and a clinician's pages with a patient's long word in
    them, fit as well."""
    ids = one_of_each_thing(alice, secret=LONG_WORD)
    signed_out = [(url, too_wide(page)) for url in walk_pages(page, live_server.url, ids)]
    assert {"/accounts/login", "/accounts/signup", "/urgent-help"} <= {u for u, _ in signed_out}
    assert [(url, width) for url, width in signed_out if width] == []
    assert all(name in PUBLIC for name in ("login", "signup", "urgent_help"))

    page.goto(live_server.url + "/accounts/login")
    page.get_by_label("Email").fill(get_user_model().objects.get(email="bob@example.com").email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/care")
    clinician = [(url, too_wide(page)) for url in walk_pages(page, live_server.url, ids)]
    assert f"/care/patients/{ids['share']}" in {url for url, _ in clinician}
    assert [(url, width) for url, width in clinician if width] == []


@pytest.mark.parametrize("width", [720, 800, 900, 1024, 1180, 1280, 1440])
def test_the_flare_button_stays_on_the_headers_row_on_wide_screens(
    alice_page: Page, live_server, alice, width
):
    """On a desktop the menu may wrap within itself, but the flare button never drops to a
    second row (it did on the programme and questionnaire pages at 1024–1440 px)."""
    open_programme(alice)
    alice_page.set_viewport_size({"width": width, "height": 800})
    for path in ("/programme", "/questionnaires", "/"):
        alice_page.goto(live_server.url + path)
        brand = alice_page.locator(".brand").bounding_box()
        flare = alice_page.locator(".flare > summary").bounding_box()
        assert abs(flare["y"] + flare["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 4, path
        assert flare["height"] < 60, path  # one line of text
