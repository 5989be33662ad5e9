"""A daily reminder, end to end in a real Chromium: the person turns it on for the time it is
now on their clock, the minute round runs, the email arrives at a real SMTP server (aiosmtpd)
with no health data, and its link opens the check-in; its other link turns it off."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from rewire.reminders.models import Reminder
from rewire.reminders.tasks import queue_due_reminders

pytestmark = pytest.mark.browser


def test_a_reminder_turned_on_arrives_by_email_and_its_link_opens_the_check_in(
    alice_page: Page, live_server, alice, smtp, watch
):
    page = alice_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="your reminders").click()
    expect(page.get_by_role("heading", name="Reminders", level=1)).to_be_visible()
    # A time of day well away from midnight, and the round's clock set to it.
    now = dt.datetime.now(alice.zone).replace(hour=14, minute=5, second=0, microsecond=0)
    page.get_by_label("Daily check-in", exact=True).check()
    page.locator("#id_checkin_at").fill(f"{now:%H:%M}")
    page.get_by_label("Quiet from").fill("")
    page.get_by_label("Quiet until").fill("")
    page.get_by_label("At most this many reminders a day").fill("3")
    page.get_by_label(re.compile("Send my reminders by email")).check()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_role("status").filter(has_text="Your reminders are saved.")).to_be_visible()
    assert Reminder.objects.get(user=alice, kind="checkin").enabled

    # The clock reaches the reminder's time: the round sends it.
    assert queue_due_reminders(now=now + dt.timedelta(seconds=30)) == 1
    [(to, message)] = smtp.received
    assert to == [alice.email]
    body = message.get_payload()
    assert "today's check-in" in body
    opened = re.search(r"Open Rewire: https://rewire\.example\.org(\S+)", body).group(1)
    off = re.search(r"Turn off this reminder: https://rewire\.example\.org(\S+)", body).group(1)

    page.goto(live_server.url + opened)
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
    page.goto(live_server.url + off)
    page.get_by_role("button", name="Turn it off").click()
    expect(page.get_by_role("heading", name="Turned off")).to_be_visible()
    assert not Reminder.objects.get(user=alice, kind="checkin").enabled
    watch.assert_clean()
