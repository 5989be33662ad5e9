"""The diary in a real Chromium against a real server thread and database."""

import re

import pytest
from browser_helpers import sign_in
from django.utils import timezone
from helpers import PASSWORD
from playwright.sync_api import Page, expect

from rewire.diary import actions
from rewire.diary.entry import CheckInEntry
from rewire.diary.models import CheckIn

pytestmark = pytest.mark.browser


def save(page: Page) -> None:
    # With the details open there is a second Save at the bottom; both submit the same form.
    page.get_by_role("button", name="Save", exact=True).first.click()


def htmx_settled(page: Page) -> None:
    """Wait until htmx has swapped, settled and wired up the new content."""
    # htmx wires new content up when it removes .htmx-added (a locator, because the CSP
    # rightly refuses the eval that wait_for_function needs).
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    expect(busy).to_have_count(0)


def open_section(page: Page, name: str) -> None:
    page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(name)}")).click()


def test_new_user_signs_up_checks_in_twice_and_finds_both_in_history(
    page: Page, live_server, watch
):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/signup$"))
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()

    # One tap on a number, then Save.
    page.get_by_role("radio", name="3", exact=True).click()
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved: pain 3")

    # The full check-in.
    page.get_by_role("radio", name="6", exact=True).click()
    open_section(page, "Add details")
    page.locator(".bodymap svg [data-area=lower_back]").click()  # on the back view only
    expect(page.get_by_label("Lower back")).to_be_checked()  # the area's own checkbox
    page.locator(".bodymap svg [data-area=left_knee]").first.click()
    strength = page.get_by_role("group", name="How strong in Left knee")
    expect(strength.get_by_role("radio", name="6", exact=True)).to_be_checked()  # the pain
    strength.get_by_role("radio", name="4", exact=True).click()
    left_knee_on_map = page.locator(".bodymap [data-area=left_knee]").first
    expect(left_knee_on_map).to_have_attribute("data-level", "4")
    expect(page.locator("[data-bodymap-status]")).to_have_text("Marked: Lower back 6, Left knee 4")

    page.locator(".rated-chip > summary", has_text="Anxious").click()
    anxious = page.get_by_role("group", name="How anxious (0–10)")
    anxious.get_by_role("radio", name="7", exact=True).click()
    page.get_by_text("more emotions, or your own").click()
    page.get_by_label("Another emotion, in your words").fill("Numb")
    numb = page.get_by_role("group", name="How strong (0–10)", exact=True)
    numb.get_by_role("radio", name="3", exact=True).click()
    page.get_by_label("long sitting").check()
    page.get_by_text("more contexts and triggers, or your own").click()
    page.get_by_label("Add your own context or trigger").fill("Carrying shopping")
    page.get_by_label("What went through your mind?").fill("I must have damaged something.")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved: pain 6")

    full = CheckIn.objects.get(pain=6)
    assert sorted(full.body_areas.values_list("area", "intensity")) == [
        ("left_knee", 4),
        ("lower_back", 6),
    ]
    assert sorted(full.emotions.values_list("name", "intensity")) == [("anxious", 7), ("numb", 3)]
    assert sorted(full.tags.values_list("name", flat=True)) == ["carrying shopping", "long sitting"]

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
    entries = page.locator("#history .entry")
    expect(entries).to_have_count(2)
    expect(entries.filter(has=page.get_by_role("img", name="Pain 3 out of 10"))).to_have_count(1)
    newest = entries.filter(has=page.get_by_role("img", name="Pain 6 out of 10"))
    expect(newest).to_contain_text("Lower back 6, Left knee 4")
    expect(newest).to_contain_text("anxious 7, numb 3")
    expect(newest).to_contain_text("carrying shopping")
    expect(newest).to_contain_text("I must have damaged something.")

    # The custom tag is now a filter; htmx (a deferred script) swaps the list in place.
    page.wait_for_load_state()
    page.get_by_label("Show check-ins tagged").select_option("carrying shopping")
    expect(page.get_by_role("heading", name=re.compile("“carrying shopping”"))).to_be_visible()
    expect(entries).to_have_count(1)
    expect(page).to_have_url(re.compile(r"tag=context(:|%3A)carrying(\+|%20)shopping"))
    # Choosing again replaces the filter in the address; it does not pile up on the old one.
    htmx_settled(page)  # the swapped-in form is wired up before it is used again
    page.get_by_label("Show check-ins tagged").select_option("")
    expect(entries).to_have_count(2)
    htmx_settled(page)
    page.get_by_label("Show check-ins tagged").select_option("carrying shopping")
    expect(entries).to_have_count(1)
    expect(page).to_have_url(
        re.compile(r"/history\?range=\d+&tag=context(:|%3A)carrying(\+|%20)shopping$")
    )
    watch.assert_clean()


def test_flare_button_records_a_flare_in_one_tap(alice_page: Page, alice, watch):
    page = alice_page
    open_section(page, "Flare")
    page.locator("form.flare-panel").get_by_role("button", name="8", exact=True).click()

    # Sent once offline.js has seen the server answer (a weak signal would keep it on the phone).
    expect(page).to_have_url(re.compile(r"/checkins/\d+/edit$"))
    flare = CheckIn.objects.for_user(alice).get()
    assert flare.is_flare and flare.pain == 8
    expect(page).to_have_url(re.compile(rf"/checkins/{flare.pk}/edit$"))
    expect(page.get_by_role("status")).to_contain_text("Flare recorded: pain 8")
    expect(page.get_by_label("This is a flare")).to_be_checked()
    watch.assert_clean()


def test_edit_then_delete_through_the_confirmation_page(alice_page: Page, alice, watch):
    page = alice_page
    checkin = actions.record_checkin(
        user=alice, entry=CheckInEntry(pain=5, recorded_at=timezone.now())
    )
    page.goto(page.url.rstrip("/") + "/history")
    page.get_by_role("link", name=re.compile(r"^Edit check-in at")).click()
    expect(page.get_by_role("heading", name="Edit check-in")).to_be_visible()
    pain = page.get_by_role("group", name=re.compile("^Pain right now"))
    expect(pain.get_by_role("radio", name="5", exact=True)).to_be_checked()
    pain.get_by_role("radio", name="2", exact=True).click()
    page.get_by_label("Note", exact=True).fill("Better after a walk.")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Check-in updated.")
    checkin.refresh_from_db()
    assert (checkin.pain, checkin.note) == (2, "Better after a walk.")

    # Keep it: back to the edit page, nothing deleted.
    page.get_by_role("link", name=re.compile(r"^Edit check-in at")).click()
    page.get_by_role("link", name="Delete this check-in").click()
    expect(page.get_by_role("heading", name="Delete this check-in?")).to_be_visible()
    expect(page.get_by_text("cannot be undone")).to_be_visible()
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_role("heading", name="Edit check-in")).to_be_visible()
    assert CheckIn.objects.filter(pk=checkin.pk).exists()

    page.get_by_role("link", name="Delete this check-in").click()
    page.get_by_role("button", name="Delete check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Check-in deleted.")
    expect(page.get_by_text("No check-ins in this period yet.")).to_be_visible()
    assert not CheckIn.objects.filter(pk=checkin.pk).exists()
    watch.assert_clean()


def test_every_page_stays_on_this_server_without_csp_violations(
    alice_page: Page, live_server, watch
):
    page = alice_page
    page.get_by_role("radio", name="4", exact=True).click()
    open_section(page, "Add details")
    page.locator(".bodymap svg [data-area=neck]").first.click()
    save(page)
    # Sent once offline.js has heard the server answer: wait, or the next page races it.
    expect(page.get_by_role("status")).to_contain_text("Saved: pain 4")
    open_section(page, "Flare")
    page.goto(live_server.url + "/history")
    # htmx swaps #history in place; wait for the new content, not only the pushed URL.
    page.get_by_role("link", name="90 days").click()
    expect(page.get_by_role("heading", name=re.compile("last 90 days$"))).to_be_visible()
    htmx_settled(page)
    page.get_by_label("Show check-ins tagged").select_option("work")
    expect(page.get_by_role("heading", name=re.compile("tagged “work”"))).to_be_visible()
    htmx_settled(page)
    expect(page).to_have_url(re.compile(r"range=90&tag=context(:|%3A)work"))
    for path in ("/settings", "/accounts/password", "/history?range=365"):
        page.goto(live_server.url + path)
    page.get_by_role("button", name="Sign out").click()
    # Signing out first wipes what the browser keeps for offline use (offline.js).
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto(live_server.url + "/accounts/login")

    hosts = {url.split("/")[2] for url in watch.requests}
    assert hosts == {watch.host}
    # The stylesheet and script really loaded (a 404 would also show as a console error).
    assert any(url.endswith("rewire.css") for url in watch.requests)
    assert any(url.endswith("rewire.js") for url in watch.requests)
    watch.assert_clean()


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_keyboard_only_check_in(alice_page: Page, alice, watch, key):
    page = alice_page
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "pain":
            break
    else:
        pytest.fail("Tab never reached the pain scale")
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="0", exact=True)).to_be_checked()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="3", exact=True)).to_be_checked()
    # The focused number is visibly marked.
    outline = page.locator("label.scale-option:has(input:focus-visible)")
    expect(outline).to_have_css("outline-style", "solid")

    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save", exact=True).first).to_be_focused()
    page.keyboard.press(key)
    expect(page.get_by_role("status")).to_contain_text("Saved: pain 3")
    assert list(CheckIn.objects.for_user(alice).values_list("pain", flat=True)) == [3]
    watch.assert_clean()


def test_check_in_works_without_javascript(browser, live_server, alice):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(5_000)
    sign_in(page, live_server.url, alice.email)
    page.get_by_role("radio", name="7", exact=True).click()
    open_section(page, "Add details")
    # The drawing needs JS; the areas' checkboxes, shown as chips, do not.
    expect(page.locator("[data-bodymap-figures]")).to_be_hidden()
    page.get_by_label("Lower back").check()  # takes the pain chosen above
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved: pain 7")
    page.goto(live_server.url + "/history?range=90")
    expect(page.locator("#history .entry")).to_contain_text("Lower back 7")
    context.close()


def test_history_period_switch_keeps_keyboard_focus(alice_page: Page, live_server, watch):
    page = alice_page
    page.goto(live_server.url + "/history")
    page.get_by_role("link", name="90 days").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("last 90 days$"))).to_be_visible()
    htmx_settled(page)
    # htmx swapped the block in place; focus stays where the person was, not back at the top.
    expect(page.get_by_role("link", name="90 days")).to_be_focused()
    expect(page.get_by_role("link", name="90 days")).to_have_attribute("aria-current", "true")
    watch.assert_clean()
