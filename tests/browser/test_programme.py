"""The guided programme in a real Chromium against a real server thread and database."""

import re

import pytest
from helpers import PASSWORD, open_programme
from playwright.sync_api import Page, expect

from rewire.accounts.models import User
from rewire.program.models import Attribution, Practice, SessionCompletion, ThoughtRecord

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def alice_answered_the_warning_signs(request):
    """The programme opens once the warning signs are answered: alice answered no to each."""
    if "alice" in request.fixturenames:
        alice = request.getfixturevalue("alice")
        open_programme(alice)


def rating(page: Page, legend: str, value: int):
    """The radio button for `value` in the 0–10 scale whose legend starts with `legend`."""
    group = page.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))
    return group.get_by_role("radio", name=str(value), exact=True)


def test_a_new_person_works_through_the_start_of_the_programme(page: Page, live_server, watch):
    # Sign up.
    page.goto(live_server.url + "/")
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
    erin = User.objects.get(email="erin@example.com")
    card = page.locator(".programme-card")
    expect(card).to_contain_text("0 of 9 sessions done")

    # The programme asks who it is for first: answers that fit lead on to the warning signs.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programme").click()
    expect(page.get_by_role("status")).to_contain_text("five short questions on who it is for")
    for question, answer in [
        ("Are you 18 or older?", "Yes"),
        ("How long have you had this pain?", "3 months or more"),
        ("Where is your main pain?", "In my back, and any pain in a leg is milder"),
        ("needs its own treatment first?", "No"),
        ("Are you pregnant, or could you be?", "No"),
    ]:
        group = page.get_by_role("group", name=re.compile(re.escape(question)))
        group.get_by_role("radio", name=answer, exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("heading", name="The programme is likely to suit you")).to_be_visible()
    page.get_by_role("link", name="Answer the warning-sign questions").click()

    # Then the warning signs: no to each opens it.
    expect(page).to_have_url(f"{live_server.url}/safety")
    for question in page.locator("fieldset.question").all():
        question.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Save my answers").click()

    # The intake, marked done, leads to the causes question.
    expect(page.get_by_role("heading", name="Your programme")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Start: Your pain is real")).click()
    expect(page.get_by_role("heading", name="Your pain is real, and it can change")).to_be_visible()
    page.get_by_role("button", name="Mark as done").click()
    expect(
        page.get_by_role("heading", name="What are the main causes of your pain?")
    ).to_be_visible()
    assert list(SessionCompletion.objects.for_user(erin).values_list("session", flat=True)) == [
        "intake"
    ]

    # Two causes in her own words, one body, one brain/mind.
    first = page.get_by_role("group", name="Cause 1")
    first.get_by_label("In your own words").fill("An old lifting injury")
    first.get_by_role("radio", name=re.compile(r"Body or tissue")).check()
    second = page.get_by_role("group", name=re.compile(r"^Cause 2"))
    second.get_by_label("In your own words").fill("Stress at work")
    second.get_by_role("radio", name=re.compile(r"Brain, mind or stress")).check()
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("status")).to_contain_text("Your answer is saved.")
    expect(page.get_by_role("table")).to_contain_text("Stress at work")
    expect(page.get_by_role("table")).to_contain_text("50%")
    assert list(
        Attribution.objects.for_user(erin).get().causes.values_list("text", "category")
    ) == [("An old lifting injury", "body"), ("Stress at work", "mind")]

    # Somatic tracking: rate, begin, the timed steps one at a time, rate again.
    page.goto(live_server.url + "/programme")
    page.get_by_role("link", name="Somatic tracking").first.click()
    expect(page.get_by_role("heading", name="Somatic tracking", exact=True)).to_be_visible()
    steps = page.locator("[data-step-list]")
    expect(steps).to_be_hidden()  # with JavaScript, one step at a time instead
    page.get_by_role("button", name="Begin").click()
    expect(page.get_by_text("Choose a number from 0 to 10 for each rating")).to_be_visible()
    rating(page, "Before: Pain intensity", 6).click()
    rating(page, "Before: How threatening", 7).click()
    page.get_by_role("button", name="Begin").click()

    player = page.locator("[data-player]")
    expect(player).to_be_visible()
    expect(player.locator("[data-step-count]")).to_have_text("Step 1 of 9")
    expect(player.locator("[data-step-now]")).to_contain_text("Find a comfortable position")
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^0:(30|29|28)$"))
    expect(timer).not_to_have_text(re.compile(r"^0:30$"), timeout=3_000)  # it counts down
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    paused_at = timer.text_content()
    page.wait_for_timeout(1_200)
    expect(timer).to_have_text(paused_at)
    page.get_by_role("button", name="Resume").click()
    speech = page.get_by_label("Read aloud")
    if speech.is_visible():  # only where the browser has speech synthesis
        speech.check()
        speech.uncheck()
    for number in range(2, 10):
        page.get_by_role("button", name="Next step").click()
        expect(player.locator("[data-step-count]")).to_have_text(f"Step {number} of 9")
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", name="After")).to_be_focused()
    rating(page, "After: Pain intensity", 4).click()
    rating(page, "After: How threatening", 3).click()
    page.get_by_label("A note for yourself (optional)").fill("Warmth, then it eased.")
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("6 before, 4 after — went down by 2 points.")).to_be_visible()
    expect(page.get_by_text("7 before, 3 after — went down by 4 points.")).to_be_visible()
    done = Practice.objects.for_user(erin).get()
    assert (done.pain_before, done.pain_after, done.threat_before, done.threat_after) == (
        6,
        4,
        7,
        3,
    )
    assert done.finished_at > done.started_at

    # A check-in with a thought, then a thought record from it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    page.get_by_role("radio", name="5", exact=True).click()
    page.locator("summary", has_text=re.compile(r"^\s*Add details")).click()
    page.get_by_label("What went through your mind?").fill("This will never get better.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("status")).to_contain_text("Saved: pain 5")
    page.get_by_role("link", name=re.compile(r"^Write a thought record")).click()
    expect(page.get_by_role("heading", name="Write a thought record")).to_be_visible()
    expect(page.get_by_label("Automatic thought")).to_have_value("This will never get better.")
    page.get_by_label("Situation").fill("Sitting at my desk after lunch")
    rows = page.locator("[data-emotion-row]")
    expect(rows.locator("visible=true")).to_have_count(1)  # the blank rows wait for the button
    rows.nth(0).get_by_label("Emotion").fill("Worried")
    rows.nth(0).get_by_label("How strong (0–10)").select_option("7")
    page.get_by_role("button", name="Add another emotion").click()
    expect(rows.nth(1).get_by_label("Emotion")).to_be_focused()
    rows.nth(1).get_by_label("Emotion").fill("Sad")
    rows.nth(1).get_by_label("How strong (0–10)").select_option("4")
    page.get_by_label("Catastrophising").check()
    page.get_by_label("A balanced or safety reappraisal").fill("Last week had two good days.")
    rows.nth(0).get_by_label("Now, after (0–10)").select_option("3")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Thought record saved.")
    expect(page.locator(".thought-record")).to_contain_text("worried: 7 → 3 after")
    record = ThoughtRecord.objects.for_user(erin).get()
    assert record.checkin is not None and record.checkin.thought == "This will never get better."
    assert record.traps == ["catastrophising"]
    assert list(record.emotions.values_list("name", "before", "after")) == [
        ("worried", 7, 3),
        ("sad", 4, None),
    ]

    # The home page shows the progress and today's practice.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(card).to_contain_text("1 of 9 sessions done")
    expect(card.get_by_role("link", name="Log a check-in")).to_be_visible()
    expect(
        card.get_by_role("link", name=re.compile(r"^Next session: Looking for clues"))
    ).to_be_visible()
    expect(card).not_to_contain_text("Causes of your pain")  # answered this week
    watch.assert_clean()


def test_the_flare_button_leads_to_the_flare_plan_and_somatic_tracking(
    alice_page: Page, live_server, watch
):
    page = alice_page
    page.locator("summary", has_text=re.compile(r"^\s*Flare")).click()
    page.locator("form.flare-panel").get_by_role("button", name="8", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Flare recorded: pain 8")
    status = page.get_by_role("status")
    expect(status).to_contain_text("A flare is hard, and it passes.")
    status.get_by_role("link", name="Your flare plan").click()
    expect(page.get_by_role("heading", name="Your flare plan")).to_be_visible()
    expect(page.get_by_text("You have no plan yet")).to_be_visible()
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("status")).to_contain_text("Your flare plan is saved.")
    expect(page.locator("ol.plan li")).to_have_count(6)
    page.get_by_role("link", name="Start somatic tracking").click()
    expect(page.get_by_role("heading", name="Somatic tracking", exact=True)).to_be_visible()
    watch.assert_clean()


def test_a_practice_works_without_javascript(browser, live_server, alice):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(5_000)
    page.goto(live_server.url + "/accounts/login")
    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/programme/practice/savouring")
    expect(page.locator("[data-step-list]")).to_be_visible()
    expect(page.get_by_role("button", name="Begin")).to_be_hidden()
    rating(page, "Before: How is your mood?", 3).click()
    rating(page, "After: How is your mood?", 6).click()
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("3 before, 6 after — went up by 3 points.")).to_be_visible()
    page.goto(live_server.url + "/programme/thoughts/new")
    expect(page.locator("[data-emotion-row]")).to_have_count(3)
    expect(page.locator("[data-emotion-row]").nth(2)).to_be_visible()
    context.close()


def test_somatic_tracking_begins_without_a_pain_number(alice_page: Page, live_server, watch):
    """Outcome independence: only the threat is asked before; the pain is noticed if the person
    is curious, never required to begin or to save."""
    page = alice_page
    page.goto(live_server.url + "/programme/practice/somatic_tracking")
    page.get_by_role("button", name="Begin").click()
    expect(page.get_by_text("for each rating asked before you start")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("Before: Pain intensity"))).to_contain_text(
        "optional, only if you are curious"
    )
    rating(page, "Before: How threatening", 6).click()
    page.get_by_role("button", name="Begin").click()
    expect(page.locator("[data-player]")).to_be_visible()
    page.get_by_role("button", name="Stop and rate").click()
    rating(page, "After: How threatening", 4).click()
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("6 before, 4 after — went down by 2 points.")).to_be_visible()
    watch.assert_clean()


def test_a_relaxation_practice_is_done_in_the_player_and_its_tension_rated(
    alice_page: Page, live_server, alice, watch
):
    """Slow belly breathing, from the programme's tools: rate the tension, the timed steps,
    rate it again; the result says how it changed."""
    page = alice_page
    page.goto(live_server.url + "/programme")
    page.get_by_role("link", name="Slow belly breathing").click()
    expect(page.get_by_role("heading", name="Slow belly breathing", exact=True)).to_be_visible()
    rating(page, "Before: How tense does your body feel?", 7).click()
    page.get_by_role("button", name="Begin").click()
    player = page.locator("[data-player]")
    expect(player.locator("[data-step-count]")).to_have_text("Step 1 of 8")
    for number in range(2, 9):
        page.get_by_role("button", name="Next step").click()
        expect(player.locator("[data-step-count]")).to_have_text(f"Step {number} of 8")
    expect(player.locator("[data-step-now]")).to_contain_text("Let your breathing go back")
    page.get_by_role("button", name="Finish").click()
    rating(page, "After: How tense does your body feel?", 4).click()
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("7 before, 4 after — went down by 3 points.")).to_be_visible()
    done = Practice.objects.for_user(alice).get()
    assert (done.kind, done.tension_before, done.tension_after) == ("breathing", 7, 4)
    watch.assert_clean()
