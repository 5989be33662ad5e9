"""Every page a patient opens fits a 320 px screen, even with a long unbroken word in what
they wrote: no sideways scrolling (issue 17). Walks every URL pattern with one of each thing
the person owns, as the access sweeps do."""

import re

import pytest
from factories import one_of_each_thing
from factories.walk import PUBLIC, fill, web_patterns
from helpers import open_programme
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
# A word with no place to break it, as people do write ("aaaaargh", a pasted link).
LONG_WORD = "Unbreakable" * 7
# Not pages: files, redirects after an action, the service worker, sign-out.
NOT_PAGES = re.compile(r"(pdf|json|csv|fhir|calendar|service_worker|logout|_off|_open|flare)$")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": NARROW}


def test_no_page_scrolls_sideways_at_320_px(alice_page: Page, live_server, alice, watch):
    open_programme(alice)
    ids = one_of_each_thing(alice, secret=LONG_WORD)
    wide, checked = [], []
    for name, pattern in web_patterns():
        if name in PUBLIC or NOT_PAGES.search(name or "") or name in ("patient", "patient_report"):
            continue
        url = fill(pattern, ids, name)
        if "<" in url:
            continue
        # Asked first with the context's own cookies: a POST-only address answers 405, and
        # Chromium's error page for it would race the next navigation.
        probe = alice_page.request.get(live_server.url + url)
        if probe.status != 200 or "html" not in probe.headers.get("content-type", ""):
            continue
        alice_page.goto(live_server.url + url)
        checked.append(url)
        width = alice_page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            wide.append((url, width))
    assert wide == []
    # The walk reached the pages (a broken walk would pass with nothing checked).
    assert len(checked) >= 60 and "/programme/goals" in checked and "/settings" in checked


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
