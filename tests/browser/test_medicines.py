"""A medicine experiment is refused in a real Chromium: a person who wants to try "take
ibuprofen before bed" reads why Rewire will not run it, then plans a warm bath instead."""

import pytest
from playwright.sync_api import Page, expect

from rewire.insights.medicines import CONTENT_ROOT, load_medicines
from rewire.insights.models import Experiment

pytestmark = pytest.mark.browser

MEDICINES = load_medicines(CONTENT_ROOT / "en" / "medicines.yaml")


def test_a_medicine_experiment_is_refused_with_the_reason(
    alice_page: Page, live_server, alice, watch
):
    page = alice_page
    page.goto(f"{live_server.url}/insights/experiments/new")
    # The statement about medicines is on the page before anything is chosen.
    expect(page.get_by_text(MEDICINES.statement)).to_be_visible()

    page.get_by_role("radio", name="Something else, in my own words").check()
    page.get_by_label("Your own idea").fill("take ibuprofen before bed")
    page.get_by_role("radio", name="The next morning's pain").check()
    page.get_by_role("button", name="Plan my experiment").click()

    reason = MEDICINES.refusal.format(word="ibuprofen")
    expect(page.locator(".field.has-error")).to_contain_text(reason)
    expect(page.get_by_text("could harm you").first).to_be_visible()
    assert not Experiment.objects.for_user(alice).exists()
    # The browser logs the 422 of a form sent back with its errors: expected here.
    assert watch.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    watch.console_errors.clear()

    page.get_by_label("Your own idea").fill("a warm bath before bed")
    page.get_by_role("button", name="Plan my experiment").click()
    expect(page.get_by_role("status")).to_contain_text("Your experiment is planned")
    assert Experiment.objects.for_user(alice).get().intervention == "a warm bath before bed"
    watch.assert_clean()
