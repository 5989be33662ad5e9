"""When a reminder is due: the person's own time of day in their own time zone, quiet hours, a
daily cap, snooze, nothing once the thing is done, and a slower rate after reminders ignored.
Plain Python, no Django: every rule has tests in tests/test_reminders_schedule.py.

Times of day are wall-clock times in the person's zone. On the day a clock goes forward, a
time that does not exist (02:30 in a spring-forward gap) is read as the same time after the
change (03:30); on the day it goes back, a time that happens twice is the first of the two.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

KINDS = ("checkin", "practice", "session", "questionnaires", "ladder_next_day")
IGNORED_BEFORE_SLOWING = 3  # reminders of a kind ignored in a row before the rate halves
LONGEST_GAP_DAYS = 8  # the rate halves down to once every 8 days, never slower


@dataclass(frozen=True)
class Reminder:
    """One kind the person turned on: at `at` (their wall clock) every `every_days` days."""

    kind: str
    at: dt.time
    every_days: int = 1


@dataclass(frozen=True)
class Limits:
    """What holds across kinds: no reminder in quiet hours (`quiet_from` to `quiet_until`,
    possibly across midnight), at most `daily_cap` a day, none until `snoozed_until`."""

    zone: ZoneInfo
    quiet_from: dt.time | None = None
    quiet_until: dt.time | None = None
    daily_cap: int = 3
    snoozed_until: dt.datetime | None = None


@dataclass(frozen=True)
class Sent:
    """What was sent of one kind: the local date of the last one (None: never)."""

    last_on: dt.date | None = None


def wall_clock(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The moment (UTC) `at` o'clock on `day` in `zone`. zoneinfo reads a wall-clock time
    with fold 0 by the offset in force before a change: a time skipped by the clock going
    forward lands the length of the gap later, and a time that happens twice is the first."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


def in_quiet_hours(moment: dt.datetime, limits: Limits) -> bool:
    if limits.quiet_from is None or limits.quiet_until is None:
        return False
    if limits.quiet_from == limits.quiet_until:
        return False
    local = moment.astimezone(limits.zone).time()
    start, end = limits.quiet_from, limits.quiet_until
    if start < end:
        return start <= local < end
    return local >= start or local < end  # across midnight, e.g. 22:00 to 07:00


def due_on(reminder: Reminder, day: dt.date, sent: Sent) -> bool:
    """Whether `day` is one of the reminder's days: every day, or every `every_days` counted
    from the last one sent."""
    if sent.last_on is None or reminder.every_days <= 1:
        return sent.last_on != day
    return (day - sent.last_on).days >= reminder.every_days


def due_now(
    reminders: list[Reminder],
    limits: Limits,
    *,
    now: dt.datetime,
    sent: dict[str, Sent],
    sent_today: int,
    done_today: set[str],
    grace: dt.timedelta = dt.timedelta(hours=2),
) -> list[str]:
    """The kinds to send at `now`, in the order given, within the day's cap. A reminder is
    due from its time until `grace` after it (a server down at that moment catches up, but
    never sends yesterday's reminder today); not in quiet hours, not while snoozed, not once
    the thing it is for is done today, and not twice on one day."""
    if limits.snoozed_until is not None and now < limits.snoozed_until:
        return []
    if in_quiet_hours(now, limits):
        return []
    today = now.astimezone(limits.zone).date()
    room = max(limits.daily_cap - sent_today, 0)
    due = []
    for reminder in reminders:
        if len(due) >= room:
            break
        if reminder.kind in done_today or not due_on(
            reminder, today, sent.get(reminder.kind, Sent())
        ):
            continue
        at = wall_clock(today, reminder.at, limits.zone)
        if at <= now < at + grace:
            due.append(reminder.kind)
    return due


def next_time(reminder: Reminder, limits: Limits, *, after: dt.datetime, sent: Sent) -> dt.datetime:
    """The next moment the reminder will be sent (quiet hours and snooze push it to its next
    day), for the settings page and the calendar feed."""
    day = after.astimezone(limits.zone).date()
    for offset in range(0, 2 * LONGEST_GAP_DAYS + 2):
        candidate_day = day + dt.timedelta(days=offset)
        at = wall_clock(candidate_day, reminder.at, limits.zone)
        if at <= after or not due_on(reminder, candidate_day, sent):
            continue
        if in_quiet_hours(at, limits):
            continue
        if limits.snoozed_until is not None and at < limits.snoozed_until:
            continue
        return at
    raise ValueError("no time found: the reminder falls in quiet hours every day")


@dataclass(frozen=True)
class Backoff:
    every_days: int
    ask_to_keep: bool  # say so to the person: keep this reminder, or turn it off?


def after_ignored(ignored_in_a_row: int, every_days: int) -> Backoff:
    """Reminders never nag: after IGNORED_BEFORE_SLOWING ignored in a row the rate halves
    (every 1 day becomes every 2, then 4, up to LONGEST_GAP_DAYS), and the person is asked
    whether to keep it."""
    if ignored_in_a_row < IGNORED_BEFORE_SLOWING:
        return Backoff(every_days, ask_to_keep=False)
    return Backoff(min(every_days * 2, LONGEST_GAP_DAYS), ask_to_keep=True)
