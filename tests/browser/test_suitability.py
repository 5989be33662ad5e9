"""Who the programme is for, on a phone-sized screen in a real Chromium: answers that do not fit
explain why and what to do instead, logging goes on, and a clinician's agreement recorded by
the person lets the programme go on to the warning signs. axe finds nothing serious."""

import re

import pytest
from helpers import serious_violations
from playwright.sync_api import Page, expect

from rewire.measures import actions
from rewire.measures.models import Suitability

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


def test_answers_that_do_not_fit_explain_and_a_clinicians_agreement_lets_the_person_go_on(
    alice_page: Page, live_server, alice, watch
):
    page = alice_page
    # On a phone the sections are in the bar at the bottom.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Programme").click()
    expect(page).to_have_url(f"{live_server.url}/who-it-is-for")
    assert serious_violations(page) == []

    # One question left out: it is named, and nothing is saved.
    answers = [
        ("Are you 18 or older?", "Yes"),
        ("How long have you had this pain?", "3 months or more"),
        ("Where is your main pain?", "In my back, but the pain down my leg is worse"),
        ("Are you pregnant, or could you be?", "No"),
    ]
    for question, answer in answers:
        group = page.get_by_role("group", name=re.compile(re.escape(question)))
        group.get_by_role("radio", name=answer, exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Question 4: Choose an answer.")
    assert watch.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    watch.console_errors.clear()
    assert not Suitability.objects.exists()
    # What was ticked is kept; the missing answer is added.
    group = page.get_by_role("group", name=re.compile("needs its own treatment first"))
    group.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()

    expect(page.get_by_role("heading", name="The programme may not suit you now")).to_be_visible()
    result = page.locator("#result")
    expect(result).to_contain_text("can come from a nerve being pressed on")
    expect(result).to_contain_text("What to do instead:")
    expect(result.get_by_role("link", name="other help for long-lasting pain")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []
    assert actions.programme_state(alice) == actions.NOT_SUITED

    # Logging goes on: the check-in page works as always.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Check in").click()
    expect(page.locator(".programme-card")).to_contain_text("may not suit you now")
    page.locator(".programme-card").get_by_role("link", name="See why, and what to do").click()

    # A clinician agrees: the person records it, and goes on to the warning signs.
    form = page.locator("#agree")
    form.get_by_label("Who agreed").fill("Sam, my physiotherapist")
    form.get_by_role("button", name="Record that a clinician agrees").click()
    # Without the tick: the reason beside the box, and the name typed is kept.
    expect(form.locator("#clinician-agrees-error")).to_have_text(re.compile("^Tick the box"))
    expect(form.get_by_role("checkbox")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Who agreed")).to_have_value("Sam, my physiotherapist")
    assert serious_violations(page) == []
    assert watch.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    watch.console_errors.clear()
    form.get_by_label(re.compile("agrees that I can use the programme")).check()
    form.get_by_role("button", name="Record that a clinician agrees").click()
    expect(page).to_have_url(f"{live_server.url}/safety")
    expect(page.get_by_role("status").first).to_contain_text(
        "a clinician agrees you can use the programme"
    )
    [answers] = Suitability.objects.for_user(alice)
    assert answers.clinician == "Sam, my physiotherapist" and answers.clinician_agreed_at
    assert actions.programme_state(alice) == actions.NOT_SCREENED
    watch.assert_clean()
