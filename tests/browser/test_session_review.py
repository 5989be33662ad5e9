"""A guide that comes back, in a real Chromium on a phone-sized screen: the session opens with
a review built from the person's own seeded data (practices, threat before and after, the
ladder's predicted against actual, the causes, the pain and sleep trend); the home page says
when the next session opens and suggests one practice from their data, with why, and starts
it in one tap. axe finds nothing serious."""

import datetime as dt
import re

import pytest
from helpers import open_programme, serious_violations
from playwright.sync_api import Page, expect

from rewire.diary.models import CheckIn
from rewire.exposure.models import ExposureAttempt, Rung
from rewire.exposure.rules import activity_key
from rewire.program import actions
from rewire.program.models import Attribution, Cause, Practice, SessionCompletion

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


def at(user, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=user.zone)


def seed(alice) -> dt.date:
    """Sessions 0 and 1 done 4 days ago; a week of higher pain and shorter sleep before, and
    four days of practice, a ladder try and lower pain since. Returns the day of session 1."""
    open_programme(alice)
    today = alice.today()
    since = today - dt.timedelta(days=4)
    for session in ("intake", "evidence"):
        actions.complete_session(user=alice, session_id=session)
    SessionCompletion.objects.filter(user=alice).update(completed_at=at(alice, since, 9))
    for back in range(1, 12):
        day = today - dt.timedelta(days=back)
        before = day < since
        CheckIn.objects.create(
            user=alice,
            recorded_at=at(alice, day, 20),
            local_date=day,
            pain=6 if before else 4,
            sleep_hours=6 if before else 7,
        )
    for back, (threat_before, threat_after) in enumerate([(7, 4), (6, 3), (6, 4)], 1):
        day = today - dt.timedelta(days=back)
        Practice.objects.create(
            user=alice,
            kind="somatic_tracking",
            started_at=at(alice, day, 18),
            finished_at=at(alice, day, 18) + dt.timedelta(minutes=8),
            local_date=day,
            threat_before=threat_before,
            threat_after=threat_after,
            pain_before=5,
            pain_after=4,
        )
    rung = Rung.objects.create(
        user=alice,
        activity="Bending to load the dishwasher",
        activity_key=activity_key("Bending to load the dishwasher"),
        fear=60,
        expected_pain=7,
        harm=40,
    )
    tried = at(alice, today - dt.timedelta(days=2), 11)
    ExposureAttempt.objects.create(
        user=alice,
        rung=rung,
        started_at=tried,
        local_date=tried.date(),
        fear_before=60,
        predicted_pain=7,
        predicted_harm=40,
        finished_at=tried + dt.timedelta(minutes=5),
        actual_pain=3,
        outcome="no",  # what was feared did not happen
        fear_after=30,
    )
    for back, categories in ((20, ["body", "body"]), (1, ["body", "mind"])):
        day = today - dt.timedelta(days=back)
        answer = Attribution.objects.create(
            user=alice, recorded_at=at(alice, day, 8), local_date=day
        )
        for position, category in enumerate(categories):
            Cause.objects.create(
                attribution=answer, position=position, text=f"cause {position}", category=category
            )
    return since


def test_a_session_opens_with_a_review_of_the_persons_own_data_and_home_suggests_a_practice(
    alice_page: Page, live_server, alice, watch
):
    seed(alice)
    page = alice_page
    page.goto(f"{live_server.url}/programme/sessions/tracking")
    review = page.get_by_role("region", name="Since your last session")
    expect(review).to_be_visible()
    items = review.get_by_role("listitem")
    expect(items.nth(0)).to_have_text(
        "You logged 3 rounds of somatic tracking and check-ins on 4 days."
    )
    expect(review).to_contain_text(
        "How threatening the pain felt: 6.3 before and 3.7 after, on average over 3 rounds."
    )
    expect(review).to_contain_text(
        "On your fear ladder you tried 1 activity: you predicted pain of 7.0 on average, and it "
        "was 3.0. It was less than you predicted."
    )
    expect(review).to_contain_text(
        "you put 50% of the causes of your pain down to the brain, mind or stress, up from 0%"
    )
    expect(review).to_contain_text(
        "Your average pain was 4.0 since then, against 6.0 in the days before. That is lower."
    )
    expect(review).to_contain_text("You slept 7.0 hours a night on average since then")
    expect(review).not_to_contain_text("There is not much to look back on yet")
    # The review comes before the lesson, and fits the phone's width.
    assert review.bounding_box()["y"] < page.locator("article.lesson").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []

    # Marking it done: the next session opens in 4 days (after session 2), and the home page
    # says so and suggests the practice that eased the threat most, starting it in one tap.
    page.get_by_role("button", name="Mark as done").click()
    expect(page).to_have_url(f"{live_server.url}/")
    opens = alice.today() + dt.timedelta(days=4)
    expect(page.get_by_role("status").filter(has_text="is done")).to_contain_text(
        f"The next session opens on {opens:%A %-d %B}; until then, today's practice is below."
    )
    card = page.get_by_role("region", name="Your programme")
    expect(card).to_contain_text(f"opens on {opens:%A %-d %B}")
    today = card.get_by_role("heading", name="Today’s practice: Somatic tracking")
    expect(today).to_be_visible()
    expect(card).to_contain_text(
        "Why this one: Across your 3 rounds of somatic tracking, how threatening the pain felt "
        "eased by 2.7 points on average"
    )
    assert serious_violations(page) == []
    card.get_by_role("link", name="Start somatic tracking").click()
    expect(page).to_have_url(re.compile(r"/programme/practice/somatic_tracking$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Somatic tracking")
    watch.assert_clean()
