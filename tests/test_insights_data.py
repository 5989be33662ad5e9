"""Reading the diary as columns over calendar days (rewire.insights.data), on the real database:
the same columns stats.Daily.from_rows builds from one DayRow per day written by hand."""

import datetime as dt
from decimal import Decimal

import numpy as np

from rewire.diary.actions import record_checkin
from rewire.diary.entry import CheckInEntry
from rewire.exposure import actions as exposure
from rewire.exposure.rules import ActivityEntry, AttemptAfter, AttemptBefore, Rating, RungEntry
from rewire.insights.data import daily
from rewire.insights.stats import MEASURES, Daily, DayRow
from rewire.program.actions import record_practice
from rewire.program.rules import PracticeEntry

MOVEMENT = MEASURES.index("movement_minutes")


def at(user, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=user.zone)


def checkin(user, day, hour, pain, **details):
    return record_checkin(
        user=user, entry=CheckInEntry(pain=pain, recorded_at=at(user, day, hour), **details)
    )


def practised(user, day):
    return record_practice(
        user=user,
        entry=PracticeEntry(
            kind="somatic_tracking",
            started_at=at(user, day, 20),
            finished_at=at(user, day, 20) + dt.timedelta(minutes=6),
            ratings={"pain": (6, 4), "threat": (7, 3)},
        ),
    )


def moved(user, day, minutes, activity="Walking"):
    return exposure.log_activity(
        user=user, entry=ActivityEntry(activity=activity, minutes=minutes, local_date=day)
    )


def assert_same(found: Daily, expected: Daily) -> None:
    assert found.first == expected.first
    assert (found.emotion_names, found.tag_names) == (expected.emotion_names, expected.tag_names)
    for name in ("measures", "emotions", "tags"):
        # nan where nothing was recorded, on both sides
        np.testing.assert_array_equal(getattr(found, name), getattr(expected, name), err_msg=name)


def test_each_day_is_summarised_from_its_own_records_only(alice, carol):
    today = alice.today()
    # Three days with records, and a day between them with nothing.
    first, second, third = (today - dt.timedelta(days=back) for back in (5, 4, 2))
    checkin(
        alice,
        first,
        9,
        6,
        stress=4,
        sleep_hours=Decimal("6.5"),
        sleep_quality=5,
        movement_minutes=10,
        emotions=[("anxious", 6), ("calm", 2)],
        tags=["work"],
        helped=["walk"],
    )
    checkin(
        alice,
        first,
        18,
        3,
        stress=7,
        movement_minutes=30,
        emotions=[("anxious", 3)],
        tags=["work", "rain"],
    )
    checkin(alice, second, 12, 5)
    practised(alice, second)
    moved(alice, third, 45, "Swimming")
    rung = exposure.add_rung(
        user=alice, entry=RungEntry(activity="Bending", rating=Rating(40, 4, 20))
    )
    exposure.start_attempt(
        user=alice,
        entry=AttemptBefore(
            rung=rung.pk,
            started_at=at(alice, third, 10),
            fear_before=60,
            predicted_pain=7,
            predicted_harm=40,
        ),
        after=AttemptAfter(actual_pain=3, outcome="no", fear_after=20),
    )
    # After the last day asked for: left out.
    checkin(alice, today - dt.timedelta(days=1), 12, 9, tags=["late"])
    # Someone else's records on the same days are never counted.
    checkin(carol, first, 12, 10, stress=10, emotions=[("anxious", 10)], tags=["work"])
    moved(carol, third, 90, "Running")

    expected = [
        DayRow(
            date=first,
            pain_mean=4.5,
            sleep_hours=6.5,
            sleep_quality=5,
            movement_minutes=30,
            stress=5.5,
            emotions={"anxious": 4.5, "calm": 2.0},
            tags=frozenset({"context:work", "context:rain", "helped:walk"}),
            practices=0,
            exposure_attempts=0,
        ),
        DayRow(
            date=second,
            pain_mean=5.0,
            sleep_hours=None,
            sleep_quality=None,
            movement_minutes=None,
            stress=None,
            emotions={},
            tags=frozenset(),
            practices=1,
            exposure_attempts=0,
        ),
        DayRow(
            date=third,
            pain_mean=None,
            sleep_hours=None,
            sleep_quality=None,
            movement_minutes=45,  # logged, with no check-in that day
            stress=None,
            emotions={},
            tags=frozenset(),
            practices=0,
            exposure_attempts=1,
        ),
    ]
    assert_same(daily(alice, last=third), Daily.from_rows(expected))


def test_the_larger_of_the_check_ins_and_the_logged_minutes_counts(alice):
    day = alice.today() - dt.timedelta(days=1)
    checkin(alice, day, 9, 4, movement_minutes=50)
    moved(alice, day, 20, "Walking")
    moved(alice, day, 15, "Yoga")
    assert daily(alice).measures[:, MOVEMENT].tolist() == [50]
    moved(alice, day, 30, "Swimming")
    assert daily(alice).measures[:, MOVEMENT].tolist() == [65]


def test_an_empty_diary_has_no_days(alice, carol):
    checkin(carol, carol.today() - dt.timedelta(days=1), 12, 4)
    assert len(daily(alice)) == 0


def test_a_diary_before_its_first_record_is_empty_and_records_without_check_ins_count(alice):
    day = alice.today() - dt.timedelta(days=3)
    practised(alice, day)
    moved(alice, day, 25, "Walking")
    assert len(daily(alice, last=day - dt.timedelta(days=1))) == 0
    expected = DayRow(
        date=day,
        pain_mean=None,
        sleep_hours=None,
        sleep_quality=None,
        movement_minutes=25,
        stress=None,
        emotions={},
        tags=frozenset(),
        practices=1,
        exposure_attempts=0,
    )
    assert_same(daily(alice), Daily.from_rows([expected]))


def test_a_link_to_someone_elses_tag_is_left_out_not_shown(alice, carol):
    # The app never links a check-in to another person's tag; if a database ever did, their
    # tag's name must not reach this person's insights, and the insights must still work.
    day = alice.today() - dt.timedelta(days=1)
    mine = checkin(alice, day, 9, 5, tags=["work"])
    theirs = checkin(carol, day, 9, 5, tags=["secret"]).tags.get()
    mine.tags.add(theirs)
    assert daily(alice).tag_names == ["context:work"]
