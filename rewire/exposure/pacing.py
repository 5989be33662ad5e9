"""Graded activity (the pages called it "pacing" before issue 16; the module keeps its name):
minutes moved per day, a baseline from the first week, weekly goals that rise gently, and a
forgiving streak. Not pushing: a flare day never breaks anything. Time-based pacing of one
activity (a quota of time, then a break) is another thing: its rules are in rules.py.

Plain Python, no Django. The rules, in words (docs/exposure.md says the same):

- A day's minutes are the larger of what its check-ins say ("minutes of movement today": the
  largest answer that day) and the sum of the activities logged that day, so logging the same
  walk in both places never counts it twice.
- The plan starts on the first day with any movement recorded. Its first 7 days are the
  baseline week; the baseline is the average minutes a day over its days without a flare
  (all 7, if every day was one), a day with nothing recorded counting as 0.
- Week 1's goal is the baseline week's total (at least MIN_WEEKLY_GOAL): first, steadiness.
  After a week whose goal was met, the next goal is about 10% higher (never above
  MAX_WEEKLY_GOAL, unless the baseline already was); after a week not met, it stays the same.
  It never goes down, and a missed week says nothing bad.
- Flare days are taken out of a week's goal: a week with 2 flare days needs 5/7 of it.
  A week of only flare days is a rest week: it is neither met nor missed.
- A week counts towards the streak when the person moved on at least 5 of its 7 days; flare
  days count as moved. The streak is the run of such weeks up to now; the week under way adds
  to it once it has 5 days, and does not end it before it is over.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

WEEK = 7
WEEKLY_RISE = 0.10
MIN_WEEKLY_GOAL = 35  # 5 minutes a day
MAX_WEEKLY_GOAL = 300  # the upper end of the usual advice for adults: 150-300 minutes a week
ACTIVE_DAYS = 5  # of 7, for a week to count towards the streak


@dataclass
class Day:
    minutes: int = 0
    flare: bool = False
    recorded: bool = False  # any movement answer or activity that day (0 minutes counts)


def days_from(checkins, activities) -> dict[dt.date, Day]:
    """`checkins`: (local_date, movement minutes or None, is_flare); `activities`:
    (local_date, minutes). Returns each day's Day."""
    from_checkins: dict[dt.date, int] = {}
    days: dict[dt.date, Day] = {}
    for date, minutes, is_flare in checkins:
        day = days.setdefault(date, Day())
        day.flare = day.flare or bool(is_flare)
        if minutes is not None:
            day.recorded = True
            from_checkins[date] = max(from_checkins.get(date, 0), minutes)
    logged: dict[dt.date, int] = {}
    for date, minutes in activities:
        days.setdefault(date, Day()).recorded = True
        logged[date] = logged.get(date, 0) + minutes
    for date, day in days.items():
        day.minutes = max(from_checkins.get(date, 0), logged.get(date, 0))
    return days


@dataclass(frozen=True)
class Week:
    number: int  # 0 is the baseline week
    start: dt.date
    minutes: int
    flare_days: int
    moved_days: int  # days with minutes above 0
    goal: int | None  # None for the baseline week
    needed: int | None  # the goal less the flare days' share
    complete: bool  # the week is over
    met: bool | None  # None: the baseline, a rest week, or not over yet
    active: bool  # moved (or a flare) on ACTIVE_DAYS of its days

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=WEEK - 1)


@dataclass(frozen=True)
class Plan:
    start: dt.date | None  # None: nothing recorded yet
    baseline: float | None  # minutes a day; None until the baseline week is over
    weeks: list[Week] = field(default_factory=list)  # oldest first, the current one last
    streak: int = 0  # weeks in a row moving on most days, up to now
    active_runs_on: list[dt.date] = field(default_factory=list)  # see run_lengths_reached

    @property
    def current(self) -> Week | None:
        return self.weeks[-1] if self.weeks else None

    @property
    def goal_weeks_met_on(self) -> list[dt.date]:
        return [week.end for week in self.weeks if week.met]


def _rise(goal: int, baseline_goal: int) -> int:
    ceiling = max(MAX_WEEKLY_GOAL, baseline_goal)
    return min(max(goal + 1, round(goal * (1 + WEEKLY_RISE))), ceiling)


def _baseline(days: list[Day]) -> float:
    """Minutes a day over the week's days without a flare (all 7, if every day was one). A day
    with nothing recorded counts as 0: a goal must not outrun what was done."""
    calm = [day for day in days if not day.flare] or days
    return sum(day.minutes for day in calm) / len(calm)


def run_lengths_reached(weeks: list[Week], *, today: dt.date) -> list[dt.date]:
    """The day a run of active weeks first reached 1, 2, 3, ... weeks: the week's last day, or
    today for the week under way (never a day still to come)."""
    reached, run = [], 0
    for week in weeks:
        if not week.complete:
            if week.active:
                run += 1
                if run > len(reached):
                    reached.append(min(week.end, today))
            break
        run = run + 1 if week.active else 0
        if run > len(reached):
            reached.append(week.end)
    return reached


def _streak(weeks: list[Week]) -> int:
    run = 0
    for week in weeks:
        if week.complete:
            run = run + 1 if week.active else 0
        elif week.active:
            run += 1  # the week under way adds once it has its days; it never ends a run
    return run


def plan(days: dict[dt.date, Day], *, today: dt.date) -> Plan:
    recorded = sorted(date for date, day in days.items() if day.recorded and date <= today)
    if not recorded:
        return Plan(start=None, baseline=None)
    start = recorded[0]
    weeks: list[Week] = []
    baseline = None
    goal = baseline_goal = None
    number = 0
    while True:
        week_start = start + dt.timedelta(days=WEEK * number)
        if week_start > today:
            break
        dates = [week_start + dt.timedelta(days=offset) for offset in range(WEEK)]
        week_days = [days.get(date, Day()) for date in dates]
        complete = dates[-1] < today
        minutes = sum(day.minutes for day in week_days)
        flare_days = sum(day.flare for day in week_days)
        moved_days = sum(day.minutes > 0 for day in week_days)
        active = sum(day.minutes > 0 or day.flare for day in week_days) >= ACTIVE_DAYS
        needed = met = None
        if number == 0:
            if complete:
                baseline = _baseline(week_days)
                goal = baseline_goal = max(MIN_WEEKLY_GOAL, round(baseline * WEEK))
        else:
            # A week's goal was fixed when the week before it ended.
            needed = math.ceil(goal * (WEEK - flare_days) / WEEK)
            if complete and flare_days < WEEK:
                met = minutes >= needed
        weeks.append(
            Week(
                number=number,
                start=week_start,
                minutes=minutes,
                flare_days=flare_days,
                moved_days=moved_days,
                goal=goal if number else None,
                needed=needed,
                complete=complete,
                met=met,
                active=active,
            )
        )
        if number and met:
            goal = _rise(goal, baseline_goal)
        number += 1
    return Plan(
        start=start,
        baseline=baseline,
        weeks=weeks,
        streak=_streak(weeks),
        active_runs_on=run_lengths_reached(weeks, today=today),
    )
