"""Time-based pacing in a real Chromium on a phone-sized screen: a plan made beside the lesson,
the timer counting the activity (Playwright's clock moves the time), the break prompt said on
the page and to screen readers, a second round, and "Finish and save" logging the bout. axe
finds nothing serious on the lesson's page or the timer's."""

import pytest
from helpers import open_programme, serious_violations
from playwright.sync_api import Page, expect

from rewire.exposure.models import PacedActivity, PacingBout

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


@pytest.fixture(autouse=True)
def alice_answered_the_warning_signs(request):
    if "alice" in request.fixturenames:
        open_programme(request.getfixturevalue("alice"))


def test_a_plan_is_made_timed_with_a_break_and_its_bout_logged(
    alice_page: Page, alice, live_server, watch
):
    page = alice_page
    page.clock.install()
    page.goto(f"{live_server.url}/programme/topics/pacing")
    expect(
        page.get_by_role("heading", name="Pacing: steady days instead of boom and bust")
    ).to_be_visible()
    expect(page.get_by_text("No pacing plans yet.")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_label("The activity").fill("Gardening")
    page.get_by_label("Minutes of activity").fill("1")
    page.get_by_label("Minutes of break").fill("1")
    page.get_by_role("button", name="Save the plan").click()

    expect(page.get_by_role("heading", name="Pacing: Gardening")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your plan for “Gardening” is ready.")
    assert PacedActivity.objects.for_user(alice).get().activity_minutes == 1
    timer = page.get_by_role("region", name="Timer")
    expect(timer.get_by_role("timer")).to_have_text("1:00")
    assert serious_violations(page) == []

    timer.get_by_role("button", name="Start").click()
    expect(timer.get_by_text("Round 1: activity")).to_be_visible()
    expect(timer.get_by_role("button", name="Take my break now")).to_be_visible()
    page.clock.fast_forward(30_000)
    expect(timer.get_by_role("timer")).to_have_text("0:30")
    expect(timer.get_by_text("So far: 0 minutes of activity, 0 breaks.")).to_be_visible()

    # The quota is up: the break is said on the page and announced, before the pain rises.
    page.clock.fast_forward(31_000)
    expect(timer.get_by_text("Round 1: break")).to_be_visible()
    expect(timer.locator("[data-prompt]")).to_contain_text("Time for your break. Stop now")
    page.clock.fast_forward(100)
    expect(timer.locator("[aria-live]")).to_contain_text("Time for your break.")
    expect(timer.get_by_role("button", name="Take my break now")).to_be_hidden()
    expect(timer.get_by_text("So far: 1 minute of activity, 1 break.")).to_be_visible()

    page.clock.fast_forward(61_000)
    expect(timer.get_by_text("Break over")).to_be_visible()
    expect(timer.locator("[data-prompt]")).to_contain_text("Your break is over.")

    # Another round, half of it, then finish: the bout is logged with both rounds' minutes.
    timer.get_by_role("button", name="Another round").click()
    expect(timer.get_by_text("Round 2: activity")).to_be_visible()
    page.clock.fast_forward(30_000)
    page.get_by_label("A note (optional)").fill("Weeding, then a sit on the bench.")
    timer.get_by_role("button", name="Finish and save").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Saved: 2 minutes of Gardening, with 1 break."
    )
    bouts = page.get_by_role("region", name="Bouts with this plan")
    expect(bouts).to_contain_text("2 minutes with 1 break")
    expect(bouts).to_contain_text("Weeding, then a sit on the bench.")
    bout = PacingBout.objects.for_user(alice).get()
    assert (bout.minutes, bout.breaks, bout.planned_minutes) == (2, 1, 1)
    # One round ran its whole quota; the second was cut short: a step up waits for more.
    assert bout.rounds_to_time == 1
    assert bout.local_date == alice.today()

    # The plan is listed beside the lesson, with its bout.
    page.goto(f"{live_server.url}/programme/topics/pacing")
    expect(page.get_by_text("1 bout logged")).to_be_visible()
    watch.assert_clean()
