"""A worsening PHQ-9 in a real Chromium against a real server thread: the person sees graded
advice at once, and the clinician they share questionnaires with receives an email (a real
SMTP server in this process) and sees the alert first in their list."""

import re

import pytest
from helpers import PASSWORD
from playwright.sync_api import Page, expect

from rewire.accounts.actions import create_user
from rewire.care import actions as care
from rewire.measures.models import SafetyEvent

pytestmark = pytest.mark.browser

PHQ9_FREQUENCY = ["Not at all", "Several days", "More than half the days", "Nearly every day"]


def test_a_worsening_phq9_shows_advice_and_the_clinician_is_emailed_and_sees_it_first(
    alice_page: Page, live_server, alice, smtp, browser, watch
):
    bob = create_user(email="bob@example.com", password=PASSWORD, role="clinician")
    _, code = care.create_invitation(user=alice, scopes=["diary", "questionnaires"])
    care.accept_invitation(clinician=bob, code=code)

    page = alice_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Questionnaires").click()
    page.get_by_role("link", name="Patient Health Questionnaire (PHQ-9)").click()
    # A total of 15, and "not at all" to question 9: worsening, not the crisis path.
    for number, value in enumerate((2, 2, 2, 2, 2, 2, 2, 1, 0), 1):
        page.get_by_role("group", name=re.compile(rf"^{number}\. ")).get_by_role(
            "radio", name=PHQ9_FREQUENCY[value], exact=True
        ).check()
    page.get_by_role("button", name="Save my answers").click()

    advice = page.get_by_role("alert")
    expect(advice).to_contain_text("Please see a clinician this week")
    expect(advice).to_contain_text("moderately severe or severe low mood")
    expect(advice).to_contain_text("they are sent an email")
    assert SafetyEvent.objects.for_user(alice).get().rule == "phq9_moderately_severe"

    # The email reached the SMTP server, for bob, with nothing of alice's in it.
    [(to, message)] = smtp.received
    assert to == ["bob@example.com"] and "alice" not in message.get_payload()
    link = re.search(r"https?://\S+/care", message.get_payload()).group(0)
    assert link == "https://rewire.example.org/care"

    # bob signs in on his own device: the alert comes first, in words.
    clinician = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    clinician.goto(f"{live_server.url}/accounts/login")
    clinician.get_by_label("Email").fill(bob.email)
    clinician.get_by_label("Password").fill(PASSWORD)
    clinician.get_by_role("button", name="Sign in").click()
    first = clinician.locator(".entries.patients .entry").first
    expect(first).to_contain_text(alice.email)
    expect(first).to_contain_text("Safety alert: Getting worse")
    expect(clinician.get_by_text("not monitored around the clock")).to_be_visible()
    watch.assert_clean()
