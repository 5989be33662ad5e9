"""Personal experiments: the randomised schedule, the outcomes, the analysis and the verdict.
Plain Python, no database."""

import datetime as dt
import itertools

import numpy as np
import pytest

from rewire.insights import experiments
from rewire.insights.experiments import analyse, randomisation_p, schedule, verdict


@pytest.mark.parametrize("days", [14, 20, 28])
def test_the_schedule_is_balanced_in_pairs(days):
    plan = schedule(days, seed=3)
    assert len(plan) == days
    for first, second in zip(plan[::2], plan[1::2], strict=True):
        assert first != second  # one on and one off in every pair
    assert sum(plan) == days // 2


def test_the_schedule_is_random_but_repeatable():
    plans = {tuple(schedule(28, seed=seed)) for seed in range(50)}
    assert len(plans) == 50
    assert schedule(14, seed=9) == schedule(14, seed=9)
    # Over many schedules the first day of a pair is "on" about half the time.
    firsts = [schedule(28, seed=seed)[::2] for seed in range(400)]
    assert 0.45 < np.mean(firsts) < 0.55


@pytest.mark.parametrize("days", [12, 15, 30])
def test_a_schedule_needs_an_even_number_of_days_from_14_to_28(days):
    with pytest.raises(ValueError):
        schedule(days, seed=1)


def test_the_outcomes_come_from_the_check_ins():
    day = dt.date(2026, 3, 2)
    checkins = {day: [4, 6], day + dt.timedelta(1): [3, 2, 1]}  # in the order recorded
    assert experiments.outcome_for(day, "day_average", checkins) == 5
    # The first check-in of the next day.
    assert experiments.outcome_for(day, "next_morning_pain", checkins) == 3
    assert experiments.outcome_for(day + dt.timedelta(1), "next_morning_pain", checkins) is None
    assert experiments.outcome_for(day - dt.timedelta(1), "day_average", checkins) is None


def test_the_randomisation_test_is_exact_for_small_experiments():
    # Every difference in the same direction: only the all-same flips are as extreme.
    differences = np.array([-1.0] * 7)
    assert randomisation_p(differences) == pytest.approx(2 / 2**7)
    # No effect at all: every flip is as extreme.
    assert randomisation_p(np.zeros(7)) == 1.0
    mixed = np.array([-2.0, 1.0, -1.0, -1.5, 0.5])
    flips = np.array(list(itertools.product([-1, 1], repeat=5)))
    expected = np.mean(np.abs((flips * mixed).mean(axis=1)) >= abs(mixed.mean()) - 1e-12)
    assert randomisation_p(mixed) == pytest.approx(expected)


def test_the_analysis_compares_each_pair_by_the_schedule():
    plan = [True, False, False, True, True, False, False, True]
    outcomes = [3.0, 5.0, 6.0, 4.0, 2.0, 3.0, None, 1.0]
    done = [True, False, False, True, False, False, None, True]
    result = analyse(plan, outcomes, done)
    assert result.pairs == 3  # the last pair misses an outcome
    assert result.effect == pytest.approx(np.mean([3 - 5, 4 - 6, 2 - 3]))
    assert result.on_average == pytest.approx(3.0)
    assert result.off_average == pytest.approx((5 + 6 + 3) / 3)
    assert result.adherence == pytest.approx(6 / 7)  # day 5 was an on day not done
    assert result.ci_low < result.effect < result.ci_high
    assert not result.stopped_early


def test_stopping_early_counts_only_complete_pairs_and_says_so():
    plan = schedule(14, seed=2)
    outcomes = [4.0] * 14
    result = analyse(plan, outcomes, [None] * 14, days_run=7)
    assert result.pairs == 3 and result.pairs_planned == 7
    assert result.stopped_early
    assert result.adherence is None


def _simulate(effect, seed, days=28, noise=1.0):
    rng = np.random.default_rng(seed)
    plan = schedule(days, seed=seed)
    drift = np.linspace(0, -1.5, days)  # a slow improvement over the weeks
    outcomes = [
        float(5 + drift[i] + (effect if on else 0) + rng.normal(0, noise))
        for i, on in enumerate(plan)
    ]
    return analyse(plan, outcomes, [on for on in plan])


def test_a_real_effect_is_found_and_the_interval_covers_it_about_95_percent_of_the_time():
    results = [_simulate(-1.5, seed) for seed in range(300)]
    found = np.mean([r.p < 0.05 and r.ci_high < 0 for r in results])
    covered = np.mean([r.ci_low <= -1.5 <= r.ci_high for r in results])
    assert found > 0.9
    # 300 experiments: the Monte Carlo error of a 95% coverage is about 1.3 points.
    assert 0.91 <= covered <= 0.99


def test_with_no_effect_the_test_says_so_about_as_often_as_it_should():
    results = [_simulate(0.0, seed) for seed in range(400)]
    false_alarms = np.mean([r.p < 0.05 for r in results])
    assert false_alarms <= 0.08  # 5% expected; 400 runs


def _result(differences, *, stopped_early=False):
    """A Result from on-minus-off differences, one per pair (the on day first)."""
    plan = [True, False] * len(differences)
    outcomes = [value for d in differences for value in (5.0 + d, 5.0)]
    result = analyse(plan, outcomes, [None] * len(plan))
    return experiments.Result(**{**result.__dict__, "stopped_early": stopped_early})


def test_a_clear_large_effect_is_said_to_matter():
    words = verdict(
        _simulate(-2.5, seed=1), intervention="A 20-minute walk", outcome="next_morning_pain"
    )
    assert words.startswith("On days with “A 20-minute walk”, the next morning's pain was")
    assert "unlikely to be chance, and large enough to matter to most people" in words


def test_no_effect_is_said_to_be_no_clear_difference():
    result = _result([1, -1, 0, 1, -1, 0, 1, -1])
    words = verdict(result, intervention="No screens after 10 pm", outcome="day_average")
    assert "That is no clear difference: the interval includes no change" in words


def test_a_leaning_interval_that_the_test_cannot_confirm_is_not_called_no_change():
    # 7 pairs: the t interval excludes 0, but the exact test gives p = 0.06.
    result = _result([-2, -1, -2, -2, 0, -2, 0])
    assert result.ci_high < 0 and result.p > 0.05
    words = verdict(result, intervention="x", outcome="day_average")
    assert "the randomisation test cannot rule out chance, although the interval leans lower" in (
        words
    )
    assert "includes no change" not in words


def test_with_few_pairs_even_a_steady_difference_could_be_chance():
    words = verdict(_result([-2, -2, -2]), intervention="x", outcome="day_average")
    assert "With 3 pairs even a perfectly steady difference could be chance" in words
    assert "p = 0.25" in words


def test_identical_whole_number_differences_keep_an_honest_interval():
    result = _result([-2] * 7)
    assert result.ci_high - result.ci_low > 0.5  # rounding noise is never zero
    words = verdict(result, intervention="x", outcome="day_average")
    # The point is 2 points, but the interval reaches below 2: it may not matter.
    assert "it may matter, though it could be as small as" in words


def test_not_enough_pairs_and_stopping_early_are_said():
    early = analyse(schedule(14, seed=1), [4.0] * 14, [None] * 14, days_run=4)
    assert verdict(early, intervention="x", outcome="day_average").startswith(
        "Not enough days to compare: 2 complete pairs"
    )
    assert verdict(early, intervention="x", outcome="day_average", final=False).startswith(
        "Not enough days yet to compare"
    )
    stopped = _result([-2, -1, -2, -3, -2, -1, -2], stopped_early=True)
    assert "stopping after looking at the results can make chance look real" in verdict(
        stopped, intervention="x", outcome="day_average"
    )


@pytest.mark.parametrize(
    "low, high, words",
    [
        (-1.4, -0.2, "0.2 to 1.4 points lower"),
        (0.3, 1.1, "0.3 to 1.1 points higher"),
        (-0.5, 0.9, "from 0.5 lower to 0.9 higher"),
    ],
)
def test_intervals_are_said_in_the_direction_of_the_effect(low, high, words):
    assert experiments.interval_words(low, high) == words
