"""A new warning sign after a strong flare pauses the programme, in a real Chromium against a
real server thread."""

import re

import pytest
from helpers import open_programme
from playwright.sync_api import Page, expect

from rewire.measures import actions

pytestmark = pytest.mark.browser


def test_a_strong_flare_brings_the_questions_back_and_a_new_yes_pauses_the_programme(
    alice_page: Page, live_server, alice, watch
):
    open_programme(alice)
    page = alice_page
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="Programme").click()
    expect(page).to_have_url(f"{live_server.url}/programme")

    # A flare of 9, in one tap.
    page.locator("summary", has_text="Flare").first.click()
    page.locator("form.flare-panel").get_by_role("button", name="9", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Flare recorded: pain 9")

    # The programme now asks the warning signs again first.
    menu.get_by_role("link", name="Programme").click()
    expect(page).to_have_url(f"{live_server.url}/safety")
    expect(page.get_by_role("status")).to_contain_text(
        "Time to answer the warning-sign questions again"
    )
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        question = questions.nth(index)
        new = "osteoporosis" in (question.text_content() or "")
        question.get_by_role("radio", name="Yes" if new else "No").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(
        page.get_by_role("heading", name=re.compile("see a clinician before you start"))
    ).to_be_visible()

    # Paused: the programme leads back here until the person confirms an assessment.
    menu.get_by_role("link", name="Programme").click()
    expect(page).to_have_url(re.compile(r"/safety$"))
    assert actions.programme_state(alice) == actions.LOCKED
    watch.assert_clean()
