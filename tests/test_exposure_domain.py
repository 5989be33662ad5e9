"""The fear ladder's and the graded-activity plan's reasoning, in plain Python (no database)."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from rewire.core.content import ContentError
from rewire.exposure import ladder, pacing
from rewire.exposure.library import CONTENT_ROOT, load_library
from rewire.exposure.rules import (
    ActivityEntry,
    AttemptAfter,
    AttemptBefore,
    Rating,
    RungEntry,
    activity_entry_problems,
    after_problems,
    before_problems,
    rung_problems,
)

LIBRARY = load_library(CONTENT_ROOT / "en" / "activities.yaml")
NOW = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


@dataclass
class R:  # a rung
    id: int
    fear: int
    harm: int = 50
    expected_pain: int = 5
    mastered: bool = False


@dataclass
class A:  # an attempt
    fear_before: int = 60
    predicted_pain: int = 7
    predicted_harm: int = 60
    actual_pain: int | None = 4
    outcome: str = "no"
    fear_after: int | None = 20

    @property
    def finished(self):
        return self.actual_pain is not None


# The starter library


def test_the_library_has_about_thirty_everyday_activities_in_groups():
    activities = LIBRARY.activities
    assert 28 <= len(activities) <= 40
    assert {"bend_pick_up", "lift_shopping_bag", "sit_one_hour", "run", "vacuum"} <= set(activities)
    assert all(group.activities for group in LIBRARY.groups)
    assert "Carrying the shopping home" in {a.label for a in activities.values()}


@pytest.mark.parametrize(
    "text, reason",
    [
        ("groups: []\n", "needs groups and activities"),
        (
            "groups: [{id: a, label: A}]\nactivities: [{id: x, group: b, label: X}]\n",
            "unknown group",
        ),
        (
            "groups: [{id: a, label: A}]\n"
            "activities: [{id: x, group: a, label: X}, {id: x, group: a, label: Y}]\n",
            "appears twice",
        ),
        ("groups: [{id: a, label: A}, {id: b, label: B}]\n"
         "activities: [{id: x, group: a, label: X}]\n", "groups without activities"),
        ("groups: [{id: a, label: A}]\nactivities: [{id: X-1, group: a, label: X}]\n", "id"),
        ("groups: [{id: a, label: A}]\nactivities: [{id: x, group: a, label: ''}]\n", "label"),
    ],
)  # fmt: skip
def test_a_broken_library_is_refused_with_the_reason(tmp_path: Path, text, reason):
    path = tmp_path / "activities.yaml"
    path.write_text(text)
    with pytest.raises(ContentError, match=reason):
        load_library(path)


# The ladder


def test_the_ladder_goes_from_easiest_to_hardest_by_fear_then_harm_then_pain():
    rungs = [
        R(1, fear=70),
        R(2, fear=20, harm=80),
        R(3, fear=20, harm=30),
        R(4, fear=20, harm=30, expected_pain=2),
    ]
    assert [r.id for r in ladder.in_order(rungs)] == [4, 3, 2, 1]


def test_the_next_step_is_the_easiest_rung_not_mastered():
    rungs = [R(1, fear=10, mastered=True), R(2, fear=40), R(3, fear=90)]
    assert ladder.next_step(rungs).id == 2
    assert ladder.next_step([R(1, fear=10, mastered=True)]) is None
    assert ladder.next_step([]) is None


def test_a_next_step_far_above_the_last_rung_mastered_is_called_big():
    mastered = R(1, fear=20, mastered=True)
    assert ladder.step_is_big([mastered, R(2, fear=51)], R(2, fear=51))
    assert not ladder.step_is_big([mastered, R(2, fear=50)], R(2, fear=50))
    # Nothing mastered yet: the first step is whatever the person chose.
    assert not ladder.step_is_big([R(2, fear=90)], R(2, fear=90))


@pytest.mark.parametrize(
    "predicted, actual, words",
    [
        (8, 4, "You expected pain of 8, it was 4: 4 points less than you feared."),
        (5, 4, "You expected pain of 5, it was 4: 1 point less than you feared."),
        (3, 3, "You expected pain of 3, it was 3: just as you predicted."),
        (3, 5, "You expected pain of 3, it was 5: 2 points more than you predicted."),
    ],
)
def test_the_gap_between_predicted_and_actual_pain_is_said_in_plain_words(predicted, actual, words):
    found = ladder.violation(A(predicted_pain=predicted, actual_pain=actual))
    assert found.pain_gap == predicted - actual
    assert found.pain_words().startswith(words)


def test_more_pain_than_predicted_is_met_without_alarm_or_blame():
    words = ladder.violation(A(predicted_pain=3, actual_pain=6)).pain_words()
    assert "Hurt is not the same as harm" in words
    assert "fail" not in words.lower()


@pytest.mark.parametrize(
    "outcome, words, surprised",
    [
        ("no", "what you feared did not happen", True),
        ("partly", "happened only in part", False),
        ("yes", "talk to a clinician", False),
    ],
)
def test_the_feared_outcome_and_the_harm_predicted(outcome, words, surprised):
    found = ladder.violation(A(predicted_pain=5, actual_pain=5, predicted_harm=70, outcome=outcome))
    assert found.harm_words().startswith(
        "You thought there was a 70% chance it would damage your body"
    )
    assert words in found.harm_words()
    assert found.surprised is surprised


def test_the_lesson_names_what_the_alarm_got_wrong_and_nothing_else():
    assert "your alarm was wrong" in ladder.violation(A(outcome="no", actual_pain=9)).lesson()
    assert ladder.violation(A(outcome="partly", predicted_pain=6, actual_pain=4)).lesson() == (
        "It hurt less than your alarm predicted."
    )
    assert ladder.violation(A(outcome="yes", predicted_pain=4, actual_pain=5)).lesson() == ""


def test_a_try_where_the_feared_thing_happened_is_hard_even_with_less_pain():
    found = ladder.violation(A(predicted_pain=8, actual_pain=4, outcome="yes"))
    assert found.hard and not found.surprised and found.lesson() == ""
    assert ladder.violation(A(predicted_pain=3, actual_pain=5, outcome="no")).hard
    assert not ladder.violation(A(predicted_pain=5, actual_pain=4, outcome="partly")).hard


def test_fear_before_and_after():
    assert ladder.violation(A(fear_before=70, fear_after=30)).fear_words() == (
        "Your fear went down from 70 to 30."
    )
    assert "stayed at 50" in ladder.violation(A(fear_before=50, fear_after=50)).fear_words()
    assert "went up" in ladder.violation(A(fear_before=20, fear_after=40)).fear_words()


def test_an_unfinished_attempt_has_no_violation_yet():
    assert ladder.violation(A(actual_pain=None, fear_after=None)) is None


def test_mastery_is_suggested_after_three_tries_ending_with_low_fear():
    rung = R(1, fear=40)
    low = [A(fear_after=30), A(fear_after=10), A(fear_after=20)]
    assert ladder.mastery_suggested(rung, low)
    assert not ladder.mastery_suggested(rung, low[:2])  # not yet repeated enough
    assert not ladder.mastery_suggested(rung, [A(fear_after=31), *low])  # the latest counts
    assert not ladder.mastery_suggested(rung, [A(outcome="yes", fear_after=0), *low])
    assert ladder.mastery_suggested(rung, [A(actual_pain=None, fear_after=None), *low])
    assert not ladder.mastery_suggested(R(1, fear=40, mastered=True), low)


def test_levels_count_rungs_mastered():
    assert ladder.level(0) == 1
    assert ladder.level(3) == 4


def _facts(**changes):
    base = {
        "rungs_added_on": [],
        "tries_finished_on": [],
        "surprises_on": [],
        "mastered_on": [],
        "goal_weeks_met_on": [],
        "active_runs_on": [],
    }
    return ladder.Facts(**{**base, **changes})


def test_milestones_say_when_each_was_reached_and_how_far_towards_the_others():
    days = [dt.date(2026, 3, d) for d in range(1, 7)]
    found = {m.id: m for m in ladder.milestones(_facts(tries_finished_on=days[::-1]))}
    assert found["first_try"].reached_on == days[0]
    assert found["five_tries"].reached_on == days[4]
    assert found["twenty_five_tries"].reached_on is None
    assert found["twenty_five_tries"].progress == (6, 25)
    assert found["first_rung"].reached_on is None
    empty = ladder.milestones(_facts())
    assert all(m.reached_on is None for m in empty)
    runs = {m.id: m for m in ladder.milestones(_facts(active_runs_on=days[:4]))}
    assert runs["four_active_weeks"].reached_on == days[3]


# Pacing


def _days(start: dt.date, minutes: list[int | None], flares=()) -> dict:
    checkins = [
        (start + dt.timedelta(days=i), m, i in flares)
        for i, m in enumerate(minutes)
        if m is not None or i in flares
    ]
    return pacing.days_from(checkins, [])


START = dt.date(2026, 1, 5)


def test_a_days_minutes_take_the_larger_of_check_ins_and_logged_activities():
    day = START
    days = pacing.days_from(
        [(day, 20, False), (day, 30, False), (day + dt.timedelta(1), None, True)],
        [(day, 15), (day, 10), (day + dt.timedelta(2), 40)],
    )
    assert days[day].minutes == 30  # "minutes today", answered twice: the larger
    assert days[day + dt.timedelta(1)].flare and not days[day + dt.timedelta(1)].recorded
    assert days[day + dt.timedelta(2)].minutes == 40
    more_logged = pacing.days_from([(day, 20, False)], [(day, 15), (day, 10)])
    assert more_logged[day].minutes == 25


def test_nothing_recorded_means_no_plan_yet():
    found = pacing.plan({}, today=START)
    assert found.start is None and found.weeks == [] and found.streak == 0


def test_the_baseline_is_the_first_weeks_average_and_week_one_keeps_it():
    days = _days(START, [20] * 7 + [25] * 3)
    found = pacing.plan(days, today=START + dt.timedelta(days=9))
    assert found.baseline == 20
    baseline, week1 = found.weeks
    assert baseline.goal is None and baseline.complete and baseline.met is None
    assert week1.goal == 140 and not week1.complete and week1.met is None
    assert week1.minutes == 75


def test_a_day_with_nothing_recorded_counts_as_none_in_the_baseline():
    # Three 30-minute walks in the first week and nothing else: the first goal is those 90
    # minutes, not 30 a day for seven days.
    walks = pacing.days_from([], [(START + dt.timedelta(days=n), 30) for n in (0, 2, 4)])
    found = pacing.plan(walks, today=START + dt.timedelta(days=7))
    assert found.baseline == pytest.approx(90 / 7)
    assert found.weeks[1].goal == 90


def test_a_run_reached_in_the_week_under_way_is_dated_today_not_at_the_weeks_end():
    minutes = [20] * 7 + [20] * 5
    today = START + dt.timedelta(days=11)
    found = pacing.plan(_days(START, minutes), today=today)
    assert found.active_runs_on == [START + dt.timedelta(days=6), today]


def test_the_baseline_week_is_not_over_until_its_seventh_day_has_passed():
    found = pacing.plan(_days(START, [20] * 7), today=START + dt.timedelta(days=6))
    assert found.baseline is None and len(found.weeks) == 1


def test_goals_rise_about_ten_percent_after_a_week_met_and_hold_after_one_missed():
    minutes = [20] * 7 + [20] * 7 + [30] * 7 + [5] * 7 + [30] * 7
    found = pacing.plan(_days(START, minutes), today=START + dt.timedelta(days=35))
    goals = [week.goal for week in found.weeks[1:]]
    met = [week.met for week in found.weeks[1:]]
    assert goals == [140, 154, 169, 169, 186]
    assert met == [True, True, False, True, None]


def test_a_small_baseline_starts_from_five_minutes_a_day():
    found = pacing.plan(_days(START, [0] * 7 + [5]), today=START + dt.timedelta(days=7))
    assert found.baseline == 0
    assert found.weeks[1].goal == pacing.MIN_WEEKLY_GOAL


def test_goals_stop_rising_at_the_ceiling_unless_the_baseline_was_above_it():
    rising = [40] * 7 + [300] * 70
    found = pacing.plan(_days(START, rising), today=START + dt.timedelta(days=77))
    assert max(week.goal for week in found.weeks[1:]) == pacing.MAX_WEEKLY_GOAL
    high = pacing.plan(_days(START, [60] * 21), today=START + dt.timedelta(days=21))
    assert [week.goal for week in high.weeks[1:]] == [420, 420, 420]


def test_flare_days_come_out_of_the_goal_and_a_week_of_flares_is_a_rest_week():
    minutes = [20] * 7 + [20, 20, 20, 20, 20, 0, 0] + [None] * 7
    flares = {12, 13, *range(14, 21)}
    found = pacing.plan(_days(START, minutes, flares), today=START + dt.timedelta(days=21))
    week1, week2 = found.weeks[1], found.weeks[2]
    assert week1.needed == 100 and week1.minutes == 100 and week1.met is True
    assert week2.flare_days == 7 and week2.needed == 0 and week2.met is None
    assert week2.goal == week1.goal + 14  # a rest week does not move the goal


def test_the_streak_forgives_two_days_a_week_and_counts_flare_days_as_moved():
    moved_5 = [20, 20, 0, 20, 20, 0, 20]
    moved_4_and_a_flare = [20, 0, 20, 0, 20, 20, 0]
    minutes = moved_5 + moved_4_and_a_flare + moved_5
    found = pacing.plan(_days(START, minutes, flares={8}), today=START + dt.timedelta(days=21))
    assert [w.active for w in found.weeks] == [True, True, True, False]  # the last: today
    assert found.streak == 3
    assert found.active_runs_on == [w.end for w in found.weeks[:3]]


def test_a_quiet_week_starts_a_new_run_and_the_week_under_way_never_ends_one():
    quiet = [0] * 7
    minutes = [20] * 7 + quiet + [20] * 7 + [20] * 7 + [0, 0]
    found = pacing.plan(_days(START, minutes), today=START + dt.timedelta(days=29))
    assert [w.active for w in found.weeks] == [True, False, True, True, False]
    assert found.streak == 2  # the current week has 2 days of 7: it may still count
    assert len(found.active_runs_on) == 2  # the longest run so far


def test_the_week_under_way_adds_to_the_streak_once_it_has_five_days():
    minutes = [20] * 7 + [20] * 5
    found = pacing.plan(_days(START, minutes), today=START + dt.timedelta(days=11))
    assert found.streak == 2


# The rules each entry follows


def test_a_rung_needs_words_and_three_ratings_in_range():
    good = RungEntry(activity="Lifting a bag", rating=Rating(fear=40, expected_pain=3, harm=20))
    assert rung_problems(good, library=LIBRARY) == {}
    bad = RungEntry(
        activity="", rating=Rating(fear=101, expected_pain=11, harm=-1), library_id="nope"
    )
    assert set(rung_problems(bad, library=LIBRARY)) == {
        "activity",
        "fear",
        "expected_pain",
        "harm",
        "library_id",
    }
    assert rung_problems(RungEntry(activity="x" * 201, rating=good.rating), library=LIBRARY) == {
        "activity": "At most 200 characters."
    }
    assert RungEntry(activity="  Lift   a bag ", rating=good.rating).normalised().activity == (
        "Lift a bag"
    )


def test_an_attempts_prediction_and_outcome_are_checked():
    before = AttemptBefore(
        rung=1, started_at=NOW, fear_before=50, predicted_pain=6, predicted_harm=40
    )
    assert before_problems(before, now=NOW) == {}
    late = AttemptBefore(
        rung=1,
        started_at=NOW + dt.timedelta(hours=1),
        fear_before=500,
        predicted_pain=None,
        predicted_harm=True,
    )
    assert set(before_problems(late, now=NOW)) == {
        "started_at",
        "fear_before",
        "predicted_pain",
        "predicted_harm",
    }
    after = AttemptAfter(actual_pain=3, outcome="partly", fear_after=20)
    assert after_problems(after, started_at=NOW, now=NOW) == {}
    wrong = AttemptAfter(
        actual_pain=12, outcome="maybe", fear_after=None, finished_at=NOW - dt.timedelta(1)
    )
    assert after_problems(wrong, started_at=NOW, now=NOW) == {
        "actual_pain": "Must be between 0 and 10.",
        "outcome": "Must be one of: no, partly, yes.",
        "fear_after": "This is required.",
        "finished_at": "Must not be before the try started.",
    }


def test_an_activity_needs_words_minutes_and_a_date_not_in_the_future():
    today = dt.date(2026, 3, 2)
    good = ActivityEntry(activity="Walk", minutes=30, local_date=today)
    assert activity_entry_problems(good, today=today) == {}
    tomorrow_elsewhere = ActivityEntry(
        activity="Walk", minutes=30, local_date=today + dt.timedelta(1)
    )
    assert activity_entry_problems(tomorrow_elsewhere, today=today) == {}
    bad = ActivityEntry(activity="", minutes=0, local_date=today + dt.timedelta(2))
    assert set(activity_entry_problems(bad, today=today)) == {"activity", "minutes", "local_date"}
