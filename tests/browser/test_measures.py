"""Questionnaires and the warning signs in a real Chromium against a real server thread and
database: the red-flag path locks the programme, PHQ-9 question 9 shows crisis support, a
normal PHQ-9 shows its score and band."""

import re

import pytest
from helpers import suited
from playwright.sync_api import Page, expect

from rewire.measures import helplines
from rewire.measures.models import Response, SafetyEvent, Screening

pytestmark = pytest.mark.browser

PHQ9_FREQUENCY = ["Not at all", "Several days", "More than half the days", "Nearly every day"]


def answer(page: Page, number: int, label: str) -> None:
    page.get_by_role("group", name=re.compile(rf"^{number}\. ")).get_by_role(
        "radio", name=label, exact=True
    ).check()


def take_phq9(page: Page, values: list[int]) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Questionnaires").click()
    expect(page.get_by_role("heading", name="Questionnaires", exact=True)).to_be_visible()
    page.get_by_role("link", name="Patient Health Questionnaire (PHQ-9)").click()
    expect(page.get_by_text("Kurt Kroenke")).to_be_visible()  # the attribution line
    for number, value in enumerate(values, 1):
        answer(page, number, PHQ9_FREQUENCY[value])
    page.get_by_role("button", name="Save my answers").click()


def test_a_yes_to_the_bladder_sign_locks_the_programme_with_emergency_advice(
    alice_page: Page, live_server, alice, watch
):
    suited(alice)  # who the programme is for: answers that fit (the step before)
    page = alice_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programme").click()
    expect(page).to_have_url(f"{live_server.url}/safety")
    expect(page.get_by_role("status")).to_contain_text(
        "Before the programme: some yes-or-no questions about warning signs"
    )
    # No answer is ticked to start with, and every question needs one.
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Question 1: Answer yes or no.")
    # The browser logs the 422 of a form sent back with its errors: expected here.
    assert watch.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    watch.console_errors.clear()
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        questions.nth(index).get_by_role("radio", name="Yes" if index == 0 else "No").check()
    page.get_by_role("button", name="Save my answers").click()

    emergency = page.get_by_role("alert")
    expect(emergency).to_contain_text(
        "Go to an emergency department or call your local emergency number now."
    )
    expect(page.get_by_role("heading", name=re.compile("see a clinician before"))).to_be_visible()
    assert Screening.objects.for_user(alice).get().flags == ["bladder_bowel_saddle"]
    assert SafetyEvent.objects.for_user(alice).get().kind == SafetyEvent.RED_FLAG

    # The programme stays locked; the home page says why; logging still works.
    page.goto(f"{live_server.url}/programme/sessions/intake")
    expect(page).to_have_url(f"{live_server.url}/safety")
    expect(page.get_by_role("status")).to_contain_text("waits until a clinician has assessed")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(page.locator(".programme-card")).to_contain_text("waits until a clinician")
    page.get_by_role("radio", name="6", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("status")).to_contain_text("Saved: pain 6")

    # Once a clinician has assessed the signs, the programme opens.
    page.locator(".programme-card").get_by_role("link", name="See the warning signs").click()
    page.get_by_label("I have seen a clinician about these signs").check()
    page.get_by_role("button", name="A clinician has assessed these signs").click()
    expect(page.get_by_role("heading", name="Your programme")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("The programme is open.")
    watch.assert_clean()


def test_phq9_question_9_above_0_shows_crisis_support_first(
    alice_page: Page, live_server, alice, watch, tmp_path, settings
):
    path = tmp_path / "helplines.yaml"
    path.write_text('en:\n  - {name: "Test Listening Line", phone: "0800 000 111"}\n')
    settings.REWIRE_HELPLINES_FILE = str(path)
    helplines.helplines_for.cache_clear()
    try:
        take_phq9(alice_page, [1, 2, 1, 2, 1, 1, 0, 0, 1])
        page = alice_page
        crisis = page.get_by_role("alert")
        expect(crisis).to_be_visible()
        expect(crisis.get_by_role("heading", level=1)).to_have_text(
            "You do not have to carry this alone"
        )
        expect(crisis).to_contain_text("call your local emergency number")
        expect(crisis.get_by_role("link", name="0800 000 111")).to_have_attribute(
            "href", "tel:0800000111"
        )
        expect(crisis).to_contain_text("Nobody watches these around the clock")
        # The crisis support comes before the score.
        assert (
            page.locator(".crisis").bounding_box()["y"]
            < page.locator(".result").bounding_box()["y"]
        )
        assert SafetyEvent.objects.for_user(alice).get().kind == SafetyEvent.CRISIS
    finally:
        helplines.helplines_for.cache_clear()
    watch.assert_clean()


def test_a_normal_phq9_shows_its_score_and_band(alice_page: Page, live_server, alice, watch):
    page = alice_page
    take_phq9(page, [2, 1, 2, 1, 1, 1, 1, 1, 0])
    result = page.locator(".result")
    expect(result.get_by_role("heading", level=1)).to_contain_text("Your PHQ-9")
    expect(result).to_contain_text("Score 10 out of 27")
    expect(result).to_contain_text("Moderate")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert Response.objects.for_user(alice).get().total == 10
    # Over time: the chart with its bands, and the table.
    page.get_by_role("link", name="Your PHQ-9 over time").click()
    expect(page.get_by_role("img", name=re.compile("Your PHQ-9 scores"))).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Moderate")
    watch.assert_clean()
