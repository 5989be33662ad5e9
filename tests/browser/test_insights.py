"""Insights in a real Chromium against a real server thread and database: a person with a
few months of diary opens insights, reads what goes with their pain, and starts an experiment."""

import io
import re

import pytest
from browser_helpers import sign_in
from django.core.management import call_command
from helpers import PASSWORD
from playwright.sync_api import Page, expect

from rewire.accounts.models import User
from rewire.insights.models import Experiment

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_person(db):
    """The demo account with 120 days of diary (the same data `rewire demo` makes)."""
    call_command("demo", "--days", "120", "--email", "dana@rewire.invalid", stdout=io.StringIO())
    person = User.objects.get(email="dana@rewire.invalid")
    person.set_password(PASSWORD)
    person.save()
    return person


def test_insights_on_demo_data_and_starting_an_experiment(
    page: Page, live_server, demo_person, watch
):
    sign_in(page, live_server.url, demo_person.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights", exact=True)).to_be_visible()
    expect(page.get_by_text("associations, not proof of cause")).to_be_visible()

    # What goes with the pain: at least one clear link in the demo diary, said in words with
    # its interval, and the averages over time.
    findings = page.locator("ol.findings > li")
    expect(findings.first).to_be_visible()
    expect(findings.first).to_contain_text(re.compile(r"points (higher|lower) \(\d"))
    expect(page.get_by_text(re.compile(r"Last 7 days:"))).to_be_visible()
    page.get_by_text("Needs more data").click()  # a details summary: it opens

    # Start an experiment.
    page.get_by_role("link", name="Start an experiment").click()
    page.get_by_role("radio", name="A 20-minute walk").check()
    page.get_by_role("radio", name="The day's average pain").check()
    page.get_by_label("How many days?").select_option("14")
    page.get_by_role("button", name="Plan my experiment").click()
    expect(page.get_by_role("status")).to_contain_text("Your experiment is planned")
    # The demo has a finished experiment already: this is the new one.
    experiment = Experiment.objects.for_user(demo_person).latest("id")
    assert len(experiment.schedule) == 14 and sum(experiment.schedule) == 7
    today_heading = page.get_by_role("heading", name=re.compile(r"^Today, day 1: an (on|off) day"))
    expect(today_heading).to_be_visible()
    on_today = experiment.schedule[0]
    expect(today_heading).to_contain_text("an on day" if on_today else "an off day")
    # Days still to come are not shown, so knowing them cannot change how a day goes.
    expect(page.locator("table.history-table tbody tr").nth(1)).to_contain_text("to come")

    page.get_by_role("button", name="Yes, I did").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you, noted.")
    assert experiment.answers.get().done is True

    # The home page says what today is.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Experiment, day 1"))).to_be_visible()
    watch.assert_clean()
