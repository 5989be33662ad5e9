"""The sleep lesson in a real Chromium on a phone-sized screen: with six nights logged it says
what to log; one more check-in with last night's sleep, made through the check-in form, brings
the chart and its table of the person's own nights against the next day's pain. axe finds
nothing serious, and the page fits the phone."""

import datetime as dt
from decimal import Decimal

import pytest
from helpers import open_programme, serious_violations
from playwright.sync_api import Page, expect

from rewire.diary.actions import record_checkin
from rewire.diary.entry import CheckInEntry

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


def six_nights(user):
    """7.5 hours each of the last six nights, and pain 3 on each day after."""
    for back in range(1, 7):
        day = user.today() - dt.timedelta(days=back)
        record_checkin(
            user=user,
            entry=CheckInEntry(
                pain=3,
                recorded_at=dt.datetime.combine(day, dt.time(8), tzinfo=user.zone),
                sleep_hours=Decimal("7.5"),
            ),
        )


def test_the_sleep_lesson_charts_the_persons_own_nights_once_there_are_enough(
    alice_page: Page, live_server, alice, watch
):
    open_programme(alice)
    six_nights(alice)
    page = alice_page
    page.goto(f"{live_server.url}/programme/topics/sleep")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sleep and pain")
    tool = page.get_by_role("region", name="Your sleep and the next day’s pain")
    expect(tool).to_contain_text("Not enough nights yet: 6 nights so far.")
    expect(tool).to_contain_text("Hours of sleep last night")
    expect(page.get_by_role("table")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []

    # Today's first check-in, with last night's sleep, through the form.
    tool.get_by_role("link", name="Check in now").click()
    page.get_by_role("radio", name="5", exact=True).click()
    page.locator("summary", has_text="Add details").click()
    page.get_by_label("Hours of sleep last night").fill("4.5")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("status")).to_contain_text("Saved: pain 5")

    page.goto(f"{live_server.url}/programme/topics/sleep")
    tool = page.get_by_role("region", name="Your sleep and the next day’s pain")
    expect(tool).to_contain_text("From the 7 nights you logged between")
    table = tool.get_by_role("table", name="Your average pain the day after, by hours of sleep")
    expect(table.get_by_role("row")).to_have_count(6)  # the header and five bands
    expect(table.get_by_role("row", name="Under 5 hours")).to_have_text(
        "Under 5 hours15.0 (few nights)"
    )
    expect(table.get_by_role("row", name="7 to 7.9 hours")).to_have_text("7 to 7.9 hours63.0")
    expect(table.get_by_role("row", name="5 to 5.9 hours")).to_have_text("5 to 5.9 hours0–")
    # The drawing says the same, beside each bar.
    values = tool.locator(".sleep-value")
    expect(values).to_have_text(
        ["5.0 · 1 night", "no nights", "no nights", "3.0 · 6 nights", "no nights"]
    )
    expect(tool).to_contain_text("not proof that one causes the other")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []
    watch.assert_clean()
