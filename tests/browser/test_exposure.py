"""The fear ladder in a real Chromium against a real server thread and database: build a
ladder, make a prediction, try it, and see predicted against actual."""

import re

import pytest
from helpers import open_programme
from playwright.sync_api import Page, expect

from rewire.exposure.models import ExposureAttempt, Rung, RungRating

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def alice_answered_the_warning_signs(request):
    if "alice" in request.fixturenames:
        alice = request.getfixturevalue("alice")
        open_programme(alice)


def choose(page: Page, legend: str, value: int) -> None:
    group = page.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))
    group.get_by_role("radio", name=str(value), exact=True).check()


def add_rung(page: Page, *, listed: str = "", own: str = "", fear: int, pain: int, harm: int):
    if listed:
        page.get_by_label("Choose from the list").select_option(label=listed)
    if own:
        page.get_by_label("Or in your own words").fill(own)
    choose(page, "How scary does this feel?", fear)
    choose(page, "How much pain do you expect while doing it?", pain)
    choose(page, "How likely is it to damage your body?", harm)
    page.get_by_role("button", name="Add to my ladder").click()
    expect(page.get_by_role("status")).to_contain_text("is on your ladder")


def test_a_person_builds_a_ladder_tries_a_step_and_sees_predicted_against_actual(
    alice_page: Page, alice, watch
):
    page = alice_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Movement").click()
    expect(page.get_by_role("heading", name="Movement", exact=True)).to_be_visible()
    page.get_by_role("link", name="Build your fear ladder").click()
    expect(page.get_by_text("Your ladder is empty")).to_be_visible()

    # Three rungs: two from the library, one in her own words, entered in no particular order.
    add_rung(page, listed="Lifting a shopping bag", fear=30, pain=4, harm=20)
    add_rung(page, own="Running for the bus", fear=90, pain=7, harm=70)
    add_rung(page, listed="Sitting for an hour", fear=50, pain=5, harm=30)
    rungs = page.locator("ol.ladder .rung-name")
    # Drawn as a ladder: the hardest at the top.
    expect(rungs).to_have_text(
        ["Running for the bus", "Sitting for an hour", "Lifting a shopping bag"]
    )
    # ...on the screen as in the page's order (the hardest is not drawn at the bottom).
    tops = [rungs.nth(number).bounding_box()["y"] for number in range(3)]
    assert tops == sorted(tops), tops
    assert Rung.objects.for_user(alice).get(activity="Sitting for an hour").library_id == (
        "sit_one_hour"
    )
    next_step = page.locator(".next-step")
    expect(next_step).to_contain_text("Next step: Lifting a shopping bag")

    # Before: the prediction.
    next_step.get_by_role("link", name="Try it now").click()
    before = page.get_by_role("heading", name="Before you try: Lifting a shopping bag")
    expect(before).to_be_visible()
    choose(page, "How scary does it feel right now?", 60)
    choose(page, "How much pain do you expect during it?", 8)
    choose(page, "How likely is it to damage your body?", 50)
    page.get_by_label("What do you fear will happen?").fill("My back will lock up")
    page.get_by_role("button", name="Save my prediction").click()

    # After: what happened, then the gap in plain words.
    expect(page.get_by_role("heading", name="Afterwards: what happened?")).to_be_visible()
    expect(page.get_by_text("You wrote: “My back will lock up”")).to_be_visible()
    choose(page, "How much pain was there during it?", 3)
    page.get_by_role("radio", name="No, it did not happen").check()
    choose(page, "How scary does it feel now?", 20)
    page.get_by_label("What did you learn?").fill("The bag was lighter than my fear.")
    page.get_by_role("button", name="Save and compare").click()
    result = page.locator("#result")
    expect(result).to_contain_text(
        "You expected pain of 8, it was 3: 5 points less than you feared."
    )
    expect(result).to_contain_text("what you feared did not happen")
    expect(result).to_contain_text("Your fear went down from 60 to 20.")
    attempt = ExposureAttempt.objects.for_user(alice).get()
    assert (attempt.predicted_pain, attempt.actual_pain, attempt.outcome) == (8, 3, "no")

    # The rung's page plots predicted against actual, and lists the same numbers.
    page.locator(".breadcrumb").get_by_role("link", name="Lifting a shopping bag").click()
    chart = page.get_by_role("img", name=re.compile("Predicted against actual pain"))
    expect(chart).to_be_visible()
    expect(chart.locator("line.gap.less")).to_have_count(1)
    expect(page.locator("ol.tries")).to_contain_text("You expected pain of 8, it was 3")

    # Rating again keeps the history.
    page.get_by_role("link", name="Rate it again").click()
    choose(page, "How scary does this feel?", 10)
    page.get_by_role("button", name="Save the ratings").click()
    expect(page.get_by_role("status")).to_contain_text("The ladder is in its new order")
    assert list(RungRating.objects.filter(rung=attempt.rung).values_list("fear", flat=True)) == [
        30,
        10,
    ]
    watch.assert_clean()


def test_the_ladder_works_on_a_phone_with_the_keyboard(page: Page, live_server, alice, watch):
    from browser_helpers import sign_in

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/movement/ladder")
    page.get_by_label("Or in your own words").fill("Bending to tie my shoes")
    # Keyboard only: into the fear scale, then along it with the arrow keys.
    page.get_by_role("group", name=re.compile("^How scary does this feel")).get_by_role(
        "radio", name="0", exact=True
    ).focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    choose(page, "How much pain do you expect while doing it?", 3)
    choose(page, "How likely is it to damage your body?", 10)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("is on your ladder")
    assert Rung.objects.for_user(alice).get().fear == 40
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    # A name typed without spaces wraps on every page that shows it.
    add_rung(page, own="Liftingtheshoppingbag" * 9, fear=60, pain=5, harm=30)
    rung = Rung.objects.for_user(alice).get(fear=60)
    for path in (
        "/movement/ladder",
        f"/movement/ladder/{rung.pk}",
        f"/movement/ladder/{rung.pk}/try",
    ):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    watch.assert_clean()
