"""The sleep lesson's chart and GET /api/v1/insights/sleep-and-pain, through the real views,
actions and database: each night's sleep against the next day's pain, the owner's only."""

import datetime as dt
import re
from decimal import Decimal

from helpers import open_programme, signed_in, token_client

from rewire.diary.actions import record_checkin
from rewire.diary.entry import CheckInEntry
from rewire.insights.data import sleep_and_pain

LESSON = "/programme/topics/sleep"
API = "/api/v1/insights/sleep-and-pain"


def checkin(user, back: int, hour: int, pain: int, sleep: str | None = None):
    """A check-in `back` days ago; `sleep`: the hours of the night before, as the day's first
    check-in asks."""
    day = user.today() - dt.timedelta(days=back)
    return record_checkin(
        user=user,
        entry=CheckInEntry(
            pain=pain,
            recorded_at=dt.datetime.combine(day, dt.time(hour), tzinfo=user.zone),
            sleep_hours=None if sleep is None else Decimal(sleep),
        ),
    )


def nine_nights(user):
    """Nine nights and their next days, and one day with no sleep logged:
    under 5 h twice (pain 7 and 8), 6 to 6.9 h once (5, from check-ins of 4 and 6),
    7 to 7.9 h five times (3, 3, 2, 4, 3), 8 h or more once (2)."""
    for back, sleep, pains in (
        (12, "4.5", [7]),
        (11, "4.9", [8]),
        (10, "6.5", [4, 6]),
        (9, "7", [3]),
        (8, "7.5", [3]),
        (7, "7.9", [2]),
        (6, "7.2", [4]),
        (5, "7.0", [3]),
        (4, "8", [2]),
    ):
        checkin(user, back, 8, pains[0], sleep)
        for hour, pain in enumerate(pains[1:], 20):
            checkin(user, back, hour, pain)
    checkin(user, 3, 9, 6)  # no sleep logged that day


def html(response) -> str:
    return response.content.decode()


def row(label: str, nights: int, average: str) -> str:
    return (
        f'<th scope="row">{label}</th><td class="number">{nights}</td>'
        f'<td class="number">{average}</td>'
    )


def test_the_data_pairs_each_night_with_that_days_average_pain(alice):
    nine_nights(alice)
    found = sleep_and_pain(alice, last=alice.today())
    assert found.paired == 9
    assert found.days_without_sleep == 1
    night = next(n for n in found.nights if n.sleep_hours == 6.5)
    assert (night.day, night.pain) == (alice.today() - dt.timedelta(days=10), 5.0)
    averages = {s.band.id: (s.nights, s.average_pain) for s in found.bands}
    assert averages == {
        "under_5": (2, 7.5),
        "5_to_6": (0, None),
        "6_to_7": (1, 5.0),
        "7_to_8": (5, 3.0),
        "8_or_more": (1, 2.0),
    }


def test_the_data_stops_at_the_day_asked_for(alice):
    nine_nights(alice)
    found = sleep_and_pain(alice, last=alice.today() - dt.timedelta(days=9))
    assert [night.sleep_hours for night in found.nights] == [4.5, 4.9, 6.5, 7.0]


def test_the_lesson_shows_the_persons_nights_by_band_in_a_chart_and_a_table(alice, alice_client):
    open_programme(alice)
    nine_nights(alice)
    page = html(alice_client.get(LESSON))
    assert "<h1>Sleep and pain</h1>" in page
    assert "Get up at the same time every day" in page  # the lesson itself
    assert "From the 9 nights you logged between" in page
    assert row("Under 5 hours", 2, "7.5 (few nights)") in page
    assert row("5 to 5.9 hours", 0, "–") in page
    assert row("6 to 6.9 hours", 1, "5.0 (few nights)") in page
    assert row("7 to 7.9 hours", 5, "3.0") in page
    assert row("8 hours or more", 1, "2.0 (few nights)") in page
    # The drawing: one bar per band, its length the average pain on the 0-10 scale.
    assert re.findall(r'class="sleep-bar[^"]*" x="0" y="1" width="([\d.]+)"', page) == [
        "75.0",
        "0.0",
        "50.0",
        "30.0",
        "20.0",
    ]
    assert "7.5 · 2 nights" in page and "2.0 · 1 night<" in page
    assert "not proof that one causes the other" in page
    assert "1 day with a check-in but no hours of sleep is left out." in page


def test_with_too_few_nights_the_lesson_says_what_to_log(alice, alice_client):
    open_programme(alice)
    page = html(alice_client.get(LESSON))
    assert "Not enough nights yet: none so far." in page
    assert "Hours of sleep last night" in page
    assert "sleep-table" not in page and "sleep-bar" not in page
    for back in range(6):
        checkin(alice, back + 1, 8, 4, "7")
    page = html(alice_client.get(LESSON))
    assert "Not enough nights yet: 6 nights so far." in page
    assert "The chart shows once 7 nights have hours of sleep logged." in page
    assert "sleep-table" not in page
    checkin(alice, 7, 8, 4, "6")
    assert "sleep-table" in html(alice_client.get(LESSON))


def test_the_lesson_shows_only_the_owners_nights(alice, carol):
    open_programme(alice)
    open_programme(carol)
    nine_nights(alice)
    page = html(signed_in(carol).get(LESSON))
    assert "Not enough nights yet: none so far." in page
    assert "7.5" not in page
    for back in range(7):
        checkin(carol, back + 1, 8, 9, "3")
    page = html(signed_in(carol).get(LESSON))
    assert row("Under 5 hours", 7, "9.0") in page
    assert row("7 to 7.9 hours", 0, "–") in page


def test_the_lesson_waits_for_the_programme_and_for_sign_in(alice, alice_client, client):
    assert alice_client.get(LESSON).status_code == 302  # the gate: questions first
    response = client.get(LESSON)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_the_insights_page_links_the_lesson(alice_client):
    assert f'href="{LESSON}"' in html(alice_client.get("/insights"))


def test_the_api_gives_the_same_numbers_to_the_owner_only(alice, carol, client):
    nine_nights(alice)
    body = token_client(alice).get(API).json()
    assert (body["nights"], body["enough"], body["min_nights"]) == (9, True, 7)
    assert body["days_without_sleep"] == 1
    assert body["first"] == (alice.today() - dt.timedelta(days=12)).isoformat()
    assert body["last"] == (alice.today() - dt.timedelta(days=4)).isoformat()
    assert [(b["id"], b["nights"], b["average_pain"]) for b in body["bands"]] == [
        ("under_5", 2, 7.5),
        ("5_to_6", 0, None),
        ("6_to_7", 1, 5.0),
        ("7_to_8", 5, 3.0),
        ("8_or_more", 1, 2.0),
    ]
    assert body["bands"][1] == {
        "id": "5_to_6",
        "label": "5 to 5.9 hours",
        "at_least_hours": 5.0,
        "below_hours": 6.0,
        "nights": 0,
        "average_pain": None,
    }
    assert body["paired"][2] == {
        "date": (alice.today() - dt.timedelta(days=10)).isoformat(),
        "sleep_hours": 6.5,
        "pain": 5.0,
    }
    # Carol's token reads carol's diary, which is empty; nobody's token reads nothing.
    theirs = token_client(carol).get(API).json()
    assert (theirs["nights"], theirs["paired"], theirs["first"]) == (0, [], None)
    assert client.get(API).status_code == 401


def test_the_api_does_not_wait_for_the_programme(alice):
    # Like GET /api/v1/insights, it only reads the diary.
    checkin(alice, 1, 8, 4, "7")
    assert token_client(alice).get(API).json()["nights"] == 1
