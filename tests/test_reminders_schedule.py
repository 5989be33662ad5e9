"""When a reminder is due (rewire/reminders/schedule.py, plain Python): the person's own time
zone across clock changes, quiet hours, the daily cap, snooze, nothing once done, never twice a
day, and a slower rate after reminders are ignored."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rewire.reminders.schedule import (
    LONGEST_GAP_DAYS,
    Limits,
    Reminder,
    Sent,
    after_ignored,
    due_now,
    in_quiet_hours,
    next_time,
    wall_clock,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")


def utc(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def due(reminders, limits, now, **state):
    state = {"sent": {}, "sent_today": 0, "done_today": set(), **state}
    return due_now(reminders, limits, now=now, **state)


# The person's own clock


@pytest.mark.parametrize(
    "zone, day, at, expected",
    [
        (LONDON, dt.date(2026, 1, 15), dt.time(20, 0), utc(2026, 1, 15, 20, 0)),  # GMT
        (LONDON, dt.date(2026, 7, 15), dt.time(20, 0), utc(2026, 7, 15, 19, 0)),  # BST
        (NEW_YORK, dt.date(2026, 7, 15), dt.time(8, 30), utc(2026, 7, 15, 12, 30)),
        (KOLKATA, dt.date(2026, 7, 15), dt.time(9, 0), utc(2026, 7, 15, 3, 30)),  # +05:30
        # The clock goes forward at 01:00 on 29 March 2026 in London: 01:30 does not exist
        # and is read as 02:30 BST, the gap later.
        (LONDON, dt.date(2026, 3, 29), dt.time(1, 30), utc(2026, 3, 29, 1, 30)),
        # It goes back at 02:00 on 25 October 2026: 01:30 happens twice, the first is BST.
        (LONDON, dt.date(2026, 10, 25), dt.time(1, 30), utc(2026, 10, 25, 0, 30)),
        (NEW_YORK, dt.date(2026, 3, 8), dt.time(2, 30), utc(2026, 3, 8, 7, 30)),  # gap
        (NEW_YORK, dt.date(2026, 11, 1), dt.time(1, 30), utc(2026, 11, 1, 5, 30)),  # twice
    ],
)
def test_a_time_of_day_is_the_persons_own_across_clock_changes(zone, day, at, expected):
    assert wall_clock(day, at, zone) == expected


def test_the_gap_time_reads_as_the_same_wall_clock_after_the_change():
    moment = wall_clock(dt.date(2026, 3, 29), dt.time(1, 30), LONDON)
    assert moment.astimezone(LONDON).time() == dt.time(2, 30)


def test_a_daily_reminder_keeps_its_local_time_over_the_change():
    reminder, limits = Reminder("checkin", dt.time(20, 0)), Limits(LONDON)
    before = next_time(reminder, limits, after=utc(2026, 3, 28, 12), sent=Sent())
    after = next_time(reminder, limits, after=utc(2026, 3, 29, 12), sent=Sent())
    assert before == utc(2026, 3, 28, 20) and after == utc(2026, 3, 29, 19)
    assert {m.astimezone(LONDON).time() for m in (before, after)} == {dt.time(20, 0)}


# Due now: the window, once a day, done, snooze, quiet hours, the cap


CHECKIN = Reminder("checkin", dt.time(20, 0))
PRACTICE = Reminder("practice", dt.time(20, 0))


def test_due_from_its_time_for_two_hours_and_not_before_or_after():
    limits = Limits(LONDON)
    assert due([CHECKIN], limits, utc(2026, 1, 15, 19, 59)) == []
    assert due([CHECKIN], limits, utc(2026, 1, 15, 20, 0)) == ["checkin"]
    assert due([CHECKIN], limits, utc(2026, 1, 15, 21, 59)) == ["checkin"]  # caught up
    assert due([CHECKIN], limits, utc(2026, 1, 15, 22, 0)) == []  # too late: not today


def test_never_twice_on_one_day_and_again_the_next():
    limits = Limits(LONDON)
    sent = {"checkin": Sent(last_on=dt.date(2026, 1, 15))}
    assert due([CHECKIN], limits, utc(2026, 1, 15, 20, 30), sent=sent) == []
    assert due([CHECKIN], limits, utc(2026, 1, 16, 20, 30), sent=sent) == ["checkin"]


def test_nothing_once_the_thing_is_done_today():
    limits = Limits(LONDON)
    now = utc(2026, 1, 15, 20, 5)
    assert due([CHECKIN, PRACTICE], limits, now, done_today={"checkin"}) == ["practice"]


def test_nothing_while_snoozed_and_again_after():
    limits = Limits(LONDON, snoozed_until=utc(2026, 1, 15, 21, 0))
    assert due([CHECKIN], limits, utc(2026, 1, 15, 20, 30)) == []
    assert due([CHECKIN], limits, utc(2026, 1, 15, 21, 0)) == ["checkin"]


@pytest.mark.parametrize(
    "quiet_from, quiet_until, local, quiet",
    [
        (dt.time(22), dt.time(7), dt.time(23, 30), True),  # across midnight
        (dt.time(22), dt.time(7), dt.time(6, 59), True),
        (dt.time(22), dt.time(7), dt.time(7, 0), False),  # the end is not quiet
        (dt.time(22), dt.time(7), dt.time(21, 59), False),
        (dt.time(13), dt.time(14), dt.time(13, 30), True),  # within a day
        (dt.time(13), dt.time(14), dt.time(14, 0), False),
        (None, None, dt.time(3, 0), False),
        (dt.time(9), dt.time(9), dt.time(9, 0), False),  # empty: never quiet
    ],
)
def test_quiet_hours(quiet_from, quiet_until, local, quiet):
    limits = Limits(NEW_YORK, quiet_from=quiet_from, quiet_until=quiet_until)
    moment = dt.datetime.combine(dt.date(2026, 7, 15), local, tzinfo=NEW_YORK)
    assert in_quiet_hours(moment, limits) is quiet


def test_nothing_in_quiet_hours_in_the_persons_zone():
    late = Reminder("checkin", dt.time(22, 30))
    limits = Limits(NEW_YORK, quiet_from=dt.time(22), quiet_until=dt.time(7))
    assert due([late], limits, utc(2026, 7, 16, 2, 35)) == []  # 22:35 in New York


def test_the_daily_cap_counts_what_was_sent_today():
    limits = Limits(LONDON, daily_cap=2)
    now = utc(2026, 1, 15, 20, 1)
    questionnaires = Reminder("questionnaires", dt.time(20, 0))
    assert due([CHECKIN, PRACTICE, questionnaires], limits, now) == ["checkin", "practice"]
    assert due([CHECKIN, PRACTICE], limits, now, sent_today=1) == ["checkin"]
    assert due([CHECKIN], limits, now, sent_today=2) == []


# A slower rate after reminders are ignored


def test_three_ignored_in_a_row_halve_the_rate_and_ask_whether_to_keep_it():
    assert after_ignored(2, 1).every_days == 1 and not after_ignored(2, 1).ask_to_keep
    slower = after_ignored(3, 1)
    assert slower.every_days == 2 and slower.ask_to_keep
    assert after_ignored(3, 2).every_days == 4
    assert after_ignored(3, LONGEST_GAP_DAYS).every_days == LONGEST_GAP_DAYS  # no slower


def test_a_slower_reminder_comes_every_few_days_from_the_last_one():
    every_other = Reminder("checkin", dt.time(20, 0), every_days=2)
    limits = Limits(LONDON)
    sent = {"checkin": Sent(last_on=dt.date(2026, 1, 15))}
    assert due([every_other], limits, utc(2026, 1, 16, 20, 5), sent=sent) == []
    assert due([every_other], limits, utc(2026, 1, 17, 20, 5), sent=sent) == ["checkin"]
    assert next_time(every_other, limits, after=utc(2026, 1, 15, 21), sent=sent["checkin"]) == (
        utc(2026, 1, 17, 20)
    )


def test_the_next_time_skips_quiet_hours_and_snooze():
    limits = Limits(
        LONDON, quiet_from=dt.time(19), quiet_until=dt.time(21), snoozed_until=utc(2026, 1, 16, 9)
    )
    morning = Reminder("practice", dt.time(8, 0))
    assert next_time(morning, limits, after=utc(2026, 1, 15, 12), sent=Sent()) == utc(
        2026, 1, 17, 8
    )
    with pytest.raises(ValueError, match="quiet hours every day"):
        next_time(CHECKIN, limits, after=utc(2026, 1, 15, 12), sent=Sent())
