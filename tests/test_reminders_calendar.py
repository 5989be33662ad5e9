"""The reminders as a private iCalendar feed (RFC 5545, built with icalendar): read back by the
same library as a calendar app would, one repeating event per reminder on the person's own
clock with its time zone's rules and an alert; the key in the address is the only way in."""

import datetime as dt
import re

import pytest
from icalendar import Calendar

from rewire.reminders import actions, calendar
from rewire.reminders.models import CalendarFeed, Reminder


@pytest.fixture
def two_reminders(alice):
    actions.set_reminders(
        user=alice, quiet_from=dt.time(22), quiet_until=dt.time(7), daily_cap=3,
        by_email=False, times={"checkin": dt.time(20, 30), "practice": dt.time(18)},
        enabled={"checkin", "practice"},
    )  # fmt: skip


def made_address(client) -> str:
    page = client.post("/settings/reminders/calendar", {"feed": "new"}).content.decode()
    return re.search(r'value="http://testserver(/reminders/calendar/[\w-]+\.ics)"', page).group(1)


def test_the_feed_is_a_calendar_of_repeating_reminders_on_the_persons_clock(
    alice, alice_client, client, two_reminders
):
    address = made_address(alice_client)
    response = client.get(address)  # a calendar app: no sign-in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = Calendar.from_ical(response.content)
    assert parsed["version"] == "2.0" and "Rewire" in str(parsed["prodid"])
    events = {str(event["summary"]): event for event in parsed.walk("VEVENT")}
    assert set(events) == {"Rewire: today's check-in", "Rewire: today's practice"}
    checkin = events["Rewire: today's check-in"]
    start = checkin.decoded("dtstart")
    assert start.time() == dt.time(20, 30) and str(start.tzinfo) == "Europe/London"
    assert checkin["rrule"]["FREQ"] == ["DAILY"] and checkin["rrule"]["INTERVAL"] == [1]
    [alarm] = checkin.walk("VALARM")
    assert alarm["action"] == "DISPLAY"
    # The time zone's rules travel with it, so the calendar follows the clock changes.
    [zone] = parsed.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/London"
    assert {c.name for c in zone.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    # Nothing but reminder times: no diary, no address.
    assert b"alice" not in response.content and b"pain" not in response.content.lower()


def test_a_new_address_stops_the_old_one_and_stop_stops_all(alice, alice_client, client):
    first = made_address(alice_client)
    second = made_address(alice_client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    alice_client.post("/settings/reminders/calendar", {"feed": "stop"})
    assert client.get(second).status_code == 404
    # Only the key's digest is stored.
    key = second.rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeed.objects.filter(key_digest=key).exists()
    assert CalendarFeed.objects.filter(key_digest=calendar.digest(key)).exists()


def test_a_made_up_key_is_404(client, db):
    assert client.get("/reminders/calendar/made-up-key.ics").status_code == 404


def test_a_reminder_turned_off_leaves_the_feed_and_a_slower_one_repeats_less(
    alice, alice_client, client, two_reminders
):
    address = made_address(alice_client)
    actions.turn_off(user=alice, kind="practice")
    Reminder.objects.filter(user=alice, kind="checkin").update(every_days=2)
    parsed = Calendar.from_ical(client.get(address).content)
    [event] = parsed.walk("VEVENT")
    assert str(event["summary"]) == "Rewire: today's check-in"
    assert event["rrule"]["INTERVAL"] == [2]


def test_the_api_makes_and_stops_the_address(alice, client, two_reminders):
    from helpers import token_client

    api = token_client(alice)
    made = api.post("/api/v1/reminders/calendar")
    assert made.status_code == 201
    address = made.json()["address"].removeprefix("http://testserver")
    assert client.get(address).status_code == 200
    assert api.delete("/api/v1/reminders/calendar").status_code == 204
    assert client.get(address).status_code == 404
