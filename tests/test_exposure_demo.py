"""The demo account's fear ladder and movement log (rewire/exposure/demo.py), without a database."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from rewire.diary.demo import demo_diary
from rewire.exposure import ladder, pacing
from rewire.exposure.demo import demo_exposure
from rewire.exposure.library import library_for
from rewire.exposure.rules import (
    activity_entry_problems,
    after_problems,
    before_problems,
    rung_problems,
)

LONDON = "Europe/London"
LIBRARY = library_for("en")


def make(*, days, now, zone=LONDON, seed=7):
    today = now.astimezone(ZoneInfo(zone)).date()
    demo = demo_exposure(days=days, today=today, zone=zone, now=now, library=LIBRARY, seed=seed)
    return demo, today


def moment(text, zone=LONDON):
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def rungs_of(demo):
    """The rungs as ladder.py sees them, each with its position as its id."""
    return [
        SimpleNamespace(
            id=position,
            fear=entry.rating.fear,
            harm=entry.rating.harm,
            expected_pain=entry.rating.expected_pain,
            mastered=position in demo.mastered,
        )
        for position, entry in enumerate(demo.rungs)
    ]


def tries_newest_first(demo, position):
    return [
        SimpleNamespace(finished=True, fear_after=a.after.fear_after, outcome=a.after.outcome)
        for a in reversed(demo.attempts)
        if a.before.rung == position
    ]


NOWS = [
    moment("2026-03-10T00:20"),  # just after midnight: nothing done yet today
    moment("2026-03-29T09:30"),  # the morning the clocks go forward
    moment("2026-07-01T23:50"),
    moment("2026-11-01T14:00", "America/New_York"),
]


@pytest.mark.parametrize("seed", [1, 7, 42])
@pytest.mark.parametrize("days", [1, 2, 3, 8, 15, 28, 90, 3650])
@pytest.mark.parametrize("now", NOWS, ids=lambda now: now.isoformat())
def test_every_record_is_valid_and_nothing_is_in_the_future(seed, days, now):
    zone = str(now.tzinfo)
    demo, today = make(days=days, now=now, zone=zone, seed=seed)
    first_day = today - dt.timedelta(days=days - 1)
    assert 6 <= len(demo.rungs) <= 8
    assert len({entry.library_id for entry in demo.rungs}) == len(demo.rungs)
    for entry in demo.rungs:
        assert rung_problems(entry, library=LIBRARY) == {}
        assert entry.activity == LIBRARY.activities[entry.library_id].label
    for attempt in demo.attempts:
        before, after = attempt.before, attempt.after
        assert before_problems(before, now=now) == {}
        assert after_problems(after, started_at=before.started_at, now=now) == {}
        assert before.started_at < after.finished_at <= now
        assert after.finished_at - before.started_at <= dt.timedelta(minutes=30)
        assert first_day <= before.started_at.astimezone(ZoneInfo(zone)).date() <= today
    for entry in demo.activities:
        assert activity_entry_problems(entry, today=today) == {}
        assert max(first_day, today - dt.timedelta(days=27)) <= entry.local_date <= today
        assert 10 <= entry.minutes <= 45
    # A rung marked mastered has earned it by the rule the app suggests it with.
    for position in demo.mastered:
        unmarked = SimpleNamespace(mastered=False)
        assert ladder.mastery_suggested(unmarked, tries_newest_first(demo, position))


@pytest.mark.parametrize("seed", [1, 7, 42, 2026])
@pytest.mark.parametrize("days", [2, 15, 90, 3650])
def test_the_ladder_tells_the_story_of_two_weeks_of_tries(seed, days):
    now = moment("2026-03-10T08:15")
    demo, today = make(days=days, now=now, seed=seed)
    rungs = rungs_of(demo)
    fears = [rung.fear for rung in rungs]
    assert [rung.id for rung in ladder.in_order(rungs)] == list(range(len(rungs)))
    assert 20 <= fears[0] <= 30 and 80 <= fears[-1] <= 90
    assert len(set(fears)) == len(fears)
    assert all(0 <= entry.rating.expected_pain <= 10 for entry in demo.rungs)
    assert rungs[-1].expected_pain > rungs[0].expected_pain

    # Tries on the two or three easiest rungs, the second still to be marked by the person.
    assert 8 <= len(demo.attempts) <= 14
    assert {a.before.rung for a in demo.attempts} <= {0, 1, 2}
    assert demo.mastered == [0]
    suggested = [
        rung.id
        for rung in rungs
        if ladder.mastery_suggested(rung, tries_newest_first(demo, rung.id))
    ]
    assert suggested == [1]
    assert ladder.next_step(rungs).id == 1

    violations = [
        ladder.violation(SimpleNamespace(finished=True, **vars(a.before), **vars(a.after)))
        for a in demo.attempts
    ]
    hurt_more = [v for v in violations if v.pain_gap < 0]
    assert 1 <= len(hurt_more) <= 2
    assert sum(v.pain_gap > 0 for v in violations) > len(violations) / 2
    assert [v.outcome for v in violations].count("partly") == 1
    assert "yes" not in [v.outcome for v in violations]
    for position in (0, 1, 2):
        fear_after = [a.after.fear_after for a in demo.attempts if a.before.rung == position]
        assert fear_after == sorted(fear_after, reverse=True)  # falling from try to try
        assert len(set(fear_after)) == len(fear_after)

    # The tries are spread over the days since the ladder was built; yesterday's last waits for
    # its next-day pain.
    yesterday = today - dt.timedelta(days=1)
    dates = [a.before.started_at.date() for a in demo.attempts]
    assert dates == sorted(dates)
    assert max(dates) == yesterday
    assert min(dates) == today - dt.timedelta(days=min(days - 1, 14))
    if days >= 15:
        assert len(set(dates)) >= 7
    for attempt in demo.attempts:
        if attempt.before.started_at.date() < yesterday:
            assert attempt.next_day_pain is not None
    assert demo.attempts[-1].next_day_pain is None


@pytest.mark.parametrize("seed", [1, 7, 42])
@pytest.mark.parametrize("days", [14, 28, 90])
def test_the_movement_log_gives_the_pacing_plan_a_baseline_and_goal_weeks(seed, days):
    now = moment("2026-03-10T19:00")
    demo, today = make(days=days, now=now, seed=seed)
    span = min(days, 28)
    # About three days a week.
    active_days = {entry.local_date for entry in demo.activities}
    assert span * 2 / 7 <= len(active_days) <= span * 4.5 / 7
    checkins = [
        (day, entry.movement_minutes, entry.is_flare)
        for entry, day in demo_diary(days=days, today=today, zone=LONDON, seed=seed)
    ]
    activities = [(entry.local_date, entry.minutes) for entry in demo.activities]
    plan = pacing.plan(pacing.days_from(checkins, activities), today=today)
    assert plan.baseline is not None
    assert plan.weeks[0].number == 0 and plan.weeks[0].complete
    assert any(week.goal for week in plan.weeks[1:])


def test_the_same_seed_gives_the_same_ladder_and_another_seed_another():
    now = moment("2026-03-10T12:00")
    assert make(days=90, now=now, seed=3) == make(days=90, now=now, seed=3)
    assert make(days=90, now=now, seed=3) != make(days=90, now=now, seed=4)


def test_a_ladder_built_today_holds_only_what_was_done_before_now():
    early, _ = make(days=1, now=moment("2026-03-10T00:20"))
    assert early.attempts == [] and early.activities == [] and early.mastered == []
    late, today = make(days=1, now=moment("2026-03-10T23:50"))
    assert late.attempts
    assert all(a.before.started_at.date() == today for a in late.attempts)
    assert all(a.next_day_pain is None for a in late.attempts)


@pytest.mark.parametrize("seed", [1, 7, 42])
@pytest.mark.parametrize("days", [1, 8, 90])
def test_the_demo_paces_gardening_on_some_days_of_the_last_three_weeks(seed, days):
    from rewire.exposure.rules import pacing_plan_problems

    demo, today = make(days=days, now=NOWS[0], seed=seed)
    assert pacing_plan_problems(demo.pacing_plan) == {}
    quota = demo.pacing_plan.activity_minutes
    first = today - dt.timedelta(days=min(days, 21) - 1)
    for local_date, minutes, breaks, rounds_to_time in demo.pacing_bouts:
        assert first <= local_date <= today
        # A break after each round; a round cut short is neither whole nor counted as one.
        assert 0 <= rounds_to_time <= breaks and minutes <= breaks * quota
        assert (rounds_to_time == breaks) == (minutes == breaks * quota)
    assert len({b[0] for b in demo.pacing_bouts}) == len(demo.pacing_bouts)
    if days == 90:
        assert len(demo.pacing_bouts) >= 3
