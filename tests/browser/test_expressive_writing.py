"""Expressive writing in a real Chromium on a phone-sized screen: the lesson with its rules
for going gently and stopping, an unsent letter written and saved, the check-in on how upset
the person feels, and at 8 out of 10 the support route (stop for today, slow breathing, someone
to talk to, Urgent help). A timeline's rows fit the screen. axe finds nothing serious."""

import re

import pytest
from helpers import open_programme, serious_violations
from playwright.sync_api import Page, expect

from rewire.program.models import Writing

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


def choose(page: Page, legend: str, value: int) -> None:
    group = page.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))
    group.get_by_role("radio", name=str(value), exact=True).check()


def fits_the_screen(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_letter_written_then_rated_as_very_upsetting_shows_the_support_route(
    alice_page: Page, live_server, alice, watch
):
    open_programme(alice)
    page = alice_page
    page.goto(f"{live_server.url}/programme")
    page.get_by_role("link", name="Writing about stress and feelings").click()

    # The lesson: why, the two exercises, how much, when to stop, and privacy.
    expect(page.get_by_role("heading", level=1)).to_have_text("Writing about stress and feelings")
    for heading in (
        "Exercise 1: the unsent letter",
        "Exercise 2: the life-stress timeline",
        "Go gently: how much, and when",
        "When to stop at once",
        "Your writing is private",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("Private: only you see what you write here.")).to_be_visible()
    fits_the_screen(page)
    assert serious_violations(page) == []

    # The timeline's rows of age, event and feeling fit a phone too.
    page.get_by_role("link", name="Make a life-stress timeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A life-stress timeline")
    fits_the_screen(page)
    assert serious_violations(page) == []
    page.go_back()

    page.get_by_role("link", name="Write an unsent letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("An unsent letter")
    expect(page.get_by_text("Stop at once if you feel overwhelmed")).to_be_visible()
    choose(page, "Before you start: how upset do you feel right now?", 3)
    page.get_by_label("A title, if you like").fill("To the pain")
    page.get_by_label("Your letter").fill(
        "You came in the year everything fell apart.\n\nI have been so angry with you."
    )
    fits_the_screen(page)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save").click()

    # The check-in after writing.
    expect(page.get_by_role("heading", name="Your writing is saved")).to_be_visible()
    assert serious_violations(page) == []
    choose(page, "How upset do you feel now?", 8)
    page.get_by_role("button", name="Go on").click()

    # Very upset: the support route.
    support = page.locator(".writing-support")
    expect(page.get_by_role("heading", name="Take care of yourself now")).to_be_visible()
    expect(support).to_contain_text("You said you feel 8 out of 10, up from 3")
    expect(support).to_contain_text("Stop writing for today.")
    expect(support.get_by_role("link", name="Slow belly breathing")).to_have_attribute(
        "href", "/programme/practice/breathing"
    )
    expect(support).to_contain_text("Talk to someone you trust")
    expect(support.get_by_role("link", name="Urgent help")).to_have_attribute(
        "href", "/urgent-help"
    )
    fits_the_screen(page)
    assert serious_violations(page) == []

    piece = Writing.objects.get(user=alice)
    assert (piece.title, piece.distress_before, piece.distress_after) == ("To the pain", 3, 8)

    # The letter reads back as written, and the urgent-help page is one tap away.
    page.get_by_role("link", name="Read what you wrote").click()
    expect(page.get_by_text("I have been so angry with you.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Urgent help").first.click()
    expect(page.get_by_role("heading", name="Urgent help", level=1)).to_be_visible()
    watch.assert_clean()
