"""After the four weeks, in a real Chromium on a phone: the "keeping going" lesson drafts a
maintenance plan from the person's own records, the person changes it and saves it, and the
check-ups at 8 and 12 weeks are listed with the day each opens. axe finds nothing serious."""

import datetime as dt

import pytest
from helpers import finish_sessions, open_programme, serious_violations
from playwright.sync_api import Page, expect

from rewire.program.models import MaintenancePlan, Practice, SessionCompletion

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


def test_a_maintenance_plan_drafted_from_the_records_is_changed_and_saved(
    alice_page: Page, live_server, alice, watch
):
    open_programme(alice)
    finish_sessions(alice)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=5)
    SessionCompletion.objects.filter(user=alice, session="intake").update(completed_at=started)
    now = dt.datetime.now(dt.UTC)
    for threat_before, threat_after in ((8, 5), (7, 4), (6, 4)):
        Practice.objects.create(
            user=alice,
            kind="somatic_tracking",
            started_at=now - dt.timedelta(minutes=9),
            finished_at=now,
            local_date=alice.today(),
            threat_before=threat_before,
            threat_after=threat_after,
        )
    page = alice_page
    page.goto(f"{live_server.url}/programme")
    page.get_by_role("link", name="Keeping going after the four weeks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keeping going after the four weeks")

    plan = page.get_by_role("region", name="Your maintenance plan")
    expect(plan).to_contain_text(
        "Somatic tracking: done 3 times; your sense of threat fell by 2.7 on average."
    )
    expect(plan.get_by_label("What helped me most")).to_have_value(
        "Somatic tracking: done 3 times; your sense of threat fell by 2.7 on average."
    )
    keep = plan.get_by_label("What I will keep doing")
    expect(keep).to_contain_text("A short check-in each day")
    keep.fill("Somatic tracking on Monday, Wednesday and Friday.\nA walk with Sam on Saturdays.")
    plan.get_by_label("My signs of slipping back").fill("I stop going up the stairs.")
    plan.get_by_role("button", name="Save my plan").click()

    expect(page.get_by_role("status")).to_contain_text("Your plan is saved")
    plan = page.get_by_role("region", name="Your maintenance plan")
    expect(plan.get_by_label("My signs of slipping back")).to_have_value(
        "I stop going up the stairs."
    )
    expect(plan).to_contain_text("Last saved")
    saved = MaintenancePlan.objects.get(user=alice)
    assert saved.keep_doing.splitlines() == [
        "Somatic tracking on Monday, Wednesday and Friday.",
        "A walk with Sam on Saturdays.",
    ]

    # Printed, the plan is its words, whole, and no form.
    page.emulate_media(media="print")
    expect(plan.locator(".print-only")).to_be_visible()
    expect(plan.locator(".print-only")).to_contain_text("A walk with Sam on Saturdays.")
    expect(plan.get_by_role("button", name="Save my plan")).to_be_hidden()
    page.emulate_media(media="screen")

    checkups = page.get_by_role("region", name="Your check-ups")
    # Five weeks over the sessions, the last done today: 4 weeks after the last, not 8 after
    # the first.
    opens = (alice.today() + dt.timedelta(weeks=4)).strftime("%A %-d %B")
    expect(checkups).to_contain_text(f"8-week check-up: opens on {opens}.")
    checkups.get_by_role("link", name="8-week check-up").click()
    expect(page.get_by_text("This check-up opens on")).to_be_visible()
    page.go_back()

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []
    watch.assert_clean()
