"""What matters, in a real Chromium on a phone: a goal is named, rated for last week and for
this week, and the page compares the two weeks in words; the home page asks for this week's
rating until it is given. axe finds nothing serious."""

import datetime as dt
import re

import pytest
from helpers import open_programme, serious_violations
from playwright.sync_api import Page, expect

from rewire.goals.models import GoalRating
from rewire.goals.rules import week_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


def rating(goal, value: int):
    group = goal.get_by_role("group", name=re.compile(r"^How much did you do it that week"))
    return group.get_by_role("radio", name=str(value), exact=True)


def test_a_goal_rated_over_two_weeks(alice_page: Page, live_server, alice, watch):
    open_programme(alice)
    page = alice_page
    page.goto(f"{live_server.url}/programme/goals")
    expect(page.get_by_text("No goals yet")).to_be_visible()
    assert serious_violations(page) == []

    # A blank title is refused with the reason, at the field.
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Name something that matters to you")).to_be_visible()
    assert watch.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    watch.console_errors.clear()
    page.get_by_label("Something that matters to you").fill("A Saturday walk with Sam")
    page.get_by_label("Why it matters (optional)").fill("We used to talk the whole way.")
    page.get_by_role("button", name="Add", exact=True).click()
    goal = page.get_by_role("region", name="A Saturday walk with Sam")
    expect(goal).to_contain_text("Not rated yet.")

    # The home page asks for this week's rating.
    page.goto(f"{live_server.url}/")
    card = page.get_by_role("region", name="Your programme")
    expect(card).to_contain_text("1 goal to rate for this week")
    card.get_by_role("link", name="What matters to you").click()

    # Last week: 2 of 10.
    goal = page.get_by_role("region", name="A Saturday walk with Sam")
    goal.get_by_label("Last week").check()
    rating(goal, 2).check()
    goal.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: 2 of 10")

    # This week: 5 of 10, and the page compares the two.
    goal = page.get_by_role("region", name="A Saturday walk with Sam")
    goal.get_by_label("This week").check()
    rating(goal, 5).check()
    goal.get_by_role("button", name="Save rating").click()
    this_week = week_of(alice.today())
    last_week = this_week - dt.timedelta(weeks=1)
    goal = page.get_by_role("region", name="A Saturday walk with Sam")
    expect(goal).to_contain_text(
        f"5 of 10 in the week of {this_week.day} {this_week:%B}: up by 3 since the first week "
        f"you rated it (2 in the week of {last_week.day} {last_week:%B})."
    )
    weeks = goal.get_by_role("table")
    expect(weeks.get_by_role("row").nth(1)).to_contain_text("5")
    expect(weeks.get_by_role("row").nth(2)).to_contain_text("2")
    assert sorted(GoalRating.objects.values_list("week", "done")) == [
        (last_week, 2),
        (this_week, 5),
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("region", name="Your programme")).not_to_contain_text(
        "to rate for this week"
    )
    watch.assert_clean()
