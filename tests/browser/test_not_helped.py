"""A person whose pain has not come down follows the link from the outcome page, on a 390 px
phone in a real Chromium, and reads the other options and the words to use with a GP."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


def test_from_the_outcome_page_a_person_reads_the_options_and_the_gp_script(
    alice_page: Page, live_server, watch
):
    page = alice_page
    page.goto(f"{live_server.url}/questionnaires/outcome")
    expect(
        page.get_by_role("heading", name="If your pain has not come down, or only partly")
    ).to_be_visible()
    page.get_by_role("link", name="If this has not helped").click()

    expect(page).to_have_url(f"{live_server.url}/if-this-has-not-helped")
    expect(page.get_by_role("heading", level=1)).to_have_text("If this has not helped")
    main = page.get_by_role("main")
    expect(main).to_contain_text("It is not your fault.")
    for option in (
        "CBT for chronic pain",
        "Acceptance and commitment therapy (ACT)",
        "Emotional awareness and expression therapy (EAET)",
        "Exercise therapy with a physiotherapist",
        "A pain service or pain clinic",
    ):
        expect(main.get_by_text(option, exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="What to say to your GP")).to_be_visible()
    script = main.locator("blockquote")
    script.scroll_into_view_if_needed()
    expect(script).to_be_in_viewport()
    expect(script).to_contain_text(
        "I have tried a pain reprocessing programme for (how many) weeks."
    )
    expect(main.get_by_role("link", name="printable report", exact=True)).to_have_attribute(
        "href", "/report"
    )
    expect(main.locator(".medicines-statement")).to_contain_text(
        "talk to the person who prescribed it"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a 390px phone"
    watch.assert_clean()
