"""The insights' statistics against simulated diaries with planted effects, hand-made cases,
and statsmodels. No database.

The simulation: 200 diaries of 365 days, each with pain that has a weekly rhythm, a slow
fall over the first months, a seasonal swing and AR(1) day-to-day noise whose persistence
is 0.5, 0.65 or 0.8 (by seed); three planted effects (an hour of sleep, a tag, and a
fear-ladder try on the next day's pain) and null factors. Some nulls follow the weekday or
drift over the months as the pain does, so that the adjustments for day of week and trend
are needed to leave them alone; some persist from day to day as the pain does (stress 0.8,
feeling anxious 0.9 on the half of the days it is rated, sleep quality 0.5, a "busy period"
tag that lasts about ten days), which Newey-West errors with a few lags could not handle
(PERSISTENT); one tag is taken up in the fourth month.

The bands are Monte Carlo error. The seeds are fixed, so each check is deterministic; the
bands say how far an honest method could land from the truth by chance, and a method that
is off by more than the chance of these seeds allows fails (tested below with two worse
variants of stats.py). Over the ~6,000 null tests, p <= 0.05 has standard error
sqrt(0.05 * 0.95 / 6000) = 0.0028, about 0.0033 allowing for tests of one diary being
related: [0.04, 0.06] is three of those either side. The ~1,600 tests of persistent nulls
(a factor's two lags are closely related) count as about 1,000: standard error 0.007,
[0.03, 0.07]. Coverage over the ~6,600 intervals with a known truth: [0.94, 0.96]. One
planted effect's coverage over 200 diaries has standard error 0.015, so [0.90, 0.99]. The
mean false discovery proportion must stay at most the level itself: Benjamini-Hochberg keeps
it at most m0 / m * 0.05 (about 0.045 here) and these seeds give 0.032, three of its standard
errors (0.006) below the level. Without whitening the errors (persistence 0, leaving
Newey-West with Andrews' lags), the 200 diaries give coverage 0.936, p <= 0.05 for 6.5% of
nulls and 9.5% of persistent ones, and a false discovery proportion of 0.068; without the
small-sample steps, 0.939, 6.1%, 6.8% and 0.061; stats.py before whitening, 0.930, 7.1%,
9.9% and 0.066.

Measured once with 1,000 diaries of a year (not run here): coverage 0.954 over all known
truths (sleep 0.951, tag 0.946, fear-ladder try 0.952), power 0.97-0.99, p <= 0.05 for 4.6%
of null tests (5.2% of persistent ones) and p <= 0.005 for 0.4%, false discovery proportion
0.035 (standard error 0.003). Before the errors were whitened: coverage 0.935, 6.6% (9.5%),
0.9% and 0.073. With 400 diaries of five years and 200 of ten: coverage 0.949 and 0.946,
p <= 0.05 for 5.2% and 5.5% of nulls (persistent ones 5.8% and 6.2%), false discovery
proportion 0.053 (0.005) and 0.046 (0.007); before, 0.938 and 0.939, 6.4% and 6.2% (9.3% and
8.1%), 0.073 and 0.057.
"""

import datetime as dt
import math
import subprocess
import sys
from dataclasses import dataclass, replace

import numpy as np
import pytest
import statsmodels.api as sm
from scipy.signal import lfilter
from scipy.special import stdtrit
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.sandwich_covariance import S_hac_simple

from rewire.insights import stats
from rewire.insights.stats import (
    Analysis,
    DayRow,
    Factor,
    Finding,
    analyse,
    benjamini_hochberg,
    factors_for,
    finding_words,
    trends,
)

START = dt.date(2024, 1, 1)  # a Monday
WEEKLY = np.array([0.4, 0.1, 0.0, 0.0, 0.1, -0.3, -0.5])  # Monday worst, Sunday best
PLANTED = {
    ("sleep_hours", 0): -0.3,  # per hour of sleep the night before
    ("tag:context:argument", 0): 1.0,
    ("exposure", 1): -0.7,  # the day after a fear-ladder try
}
# Null factors that persist from day to day, with their AR(1) coefficient (the tag: of the
# latent series it is a threshold of).
PERSISTENT = {
    "stress": 0.8,
    "emotion:anxious": 0.9,
    "sleep_quality": 0.5,
    "tag:context:busy period": 0.9,
}
PAIN_PERSISTENCE = (0.5, 0.65, 0.8)  # seed % 3: the AR(1) coefficient of the pain's noise
SEEDS = range(200)
FDR = 0.05


def ar1(rng: np.random.Generator, phi: float, days: int) -> np.ndarray:
    """AR(1) noise with variance 1, started in its steady state."""
    innovations = rng.normal(0, math.sqrt(1 - phi**2), days)
    innovations[0] = rng.normal()
    return lfilter([1.0], [1.0, -phi], innovations)


def simulate(seed: int, days: int = 365, pain_persistence: float | None = None) -> list[DayRow]:
    rng = np.random.default_rng(seed)
    phi = PAIN_PERSISTENCE[seed % 3] if pain_persistence is None else pain_persistence
    t = np.arange(days)
    weekday = (START.weekday() + t) % 7
    weekend = weekday >= 5
    noise = 1.15 * ar1(rng, phi, days)  # the same spread whatever the persistence
    sleep = np.clip(np.round(rng.normal(7, 1.2, days) * 2) / 2, 3, 11)
    argument = rng.random(days) < 0.2
    tried = rng.random(days) < 0.4
    tried_yesterday = np.concatenate([[False], tried[:-1]])
    pain = (
        3.5
        + 1.5 * np.exp(-t / 90)  # the programme's early fall
        + 0.3 * np.sin(2 * np.pi * t / 365)  # seasons
        + WEEKLY[weekday]
        + noise
        + PLANTED["sleep_hours", 0] * (sleep - 7)
        + PLANTED["tag:context:argument", 0] * argument
        + PLANTED["exposure", 1] * tried_yesterday
    )
    checked_in = rng.random(days) < 0.9
    quality = np.clip(np.round(6 + 2 * ar1(rng, PERSISTENT["sleep_quality"], days)), 0, 10)
    quality[rng.random(days) < 0.2] = -1  # not rated
    minutes = np.maximum(0, np.round(rng.normal(25 + 20 * weekend, 15))).astype(int)
    stress = 5.5 - 2 * t / days + 1.5 * ar1(rng, PERSISTENT["stress"], days)  # drifts down
    stress = np.clip(np.round(stress), 0, 10)
    anxious = np.clip(np.round(4 + 2.5 * ar1(rng, PERSISTENT["emotion:anxious"], days)), 0, 10)
    anxious[rng.random(days) < 0.5] = -1  # rated on half the days
    calm = np.where(rng.random(days) < 0.04, rng.integers(0, 11, days), -1)  # too few days
    practices = (rng.random(days) < np.where(t < 60, 0.7, 0.2)).astype(int)  # the programme
    tags = {
        "context:argument": argument,
        "context:work": rng.random(days) < np.where(weekend, 0.1, 0.7),
        "context:screen time": rng.random(days) < 0.5,
        "context:travel": rng.random(days) < 0.05,
        "context:busy period": ar1(rng, PERSISTENT["tag:context:busy period"], days) > 0.7,
        "helped:walk": rng.random(days) < 0.1 + 0.4 * t / days,  # more often as pain falls
        "helped:rest": rng.random(days) < 0.3,
        "helped:stretching": (t >= 120) & (rng.random(days) < 0.3),  # taken up in month 4
        "context:weather change": rng.random(days) < 0.012,  # too few days
    }
    rows = []
    for i in np.flatnonzero(checked_in | (practices > 0) | tried):
        c = bool(checked_in[i])
        emotions = {}
        if c and anxious[i] >= 0:
            emotions["anxious"] = float(anxious[i])
        if c and calm[i] >= 0:
            emotions["calm"] = float(calm[i])
        rows.append(
            DayRow(
                date=START + dt.timedelta(days=int(i)),
                pain_mean=float(pain[i]) if c else None,
                sleep_hours=float(sleep[i]) if c else None,
                sleep_quality=int(quality[i]) if c and quality[i] >= 0 else None,
                movement_minutes=int(minutes[i]) if c else None,
                stress=float(stress[i]) if c else None,
                emotions=emotions,
                tags=frozenset(tag for tag, on in tags.items() if c and on[i]),
                practices=int(practices[i]),
                exposure_attempts=int(tried[i]),
            )
        )
    return rows


def truth(finding: Finding) -> float | None:
    """The true effect of a test; None where it follows from another (short sleep, same day)."""
    key = (finding.factor.id, finding.lag_days)
    if key in PLANTED:
        return PLANTED[key]
    if key == ("short_sleep", 0):
        return None
    return 0.0  # independent of the pain's noise and of every planted factor


@pytest.fixture(scope="module")
def diaries() -> list[list[DayRow]]:
    return [simulate(seed) for seed in SEEDS]


@pytest.fixture(scope="module")
def simulations(diaries) -> list[Analysis]:
    return [analyse(rows, fdr=FDR) for rows in diaries]


@dataclass(frozen=True)
class Study:
    coverage: float  # of the intervals with a known truth
    null_rejected: float  # share of null tests with p <= 0.05
    persistent_rejected: float  # the same for the PERSISTENT factors
    false_discovery: float  # mean false discovery proportion


def study(analyses: list[Analysis]) -> Study:
    covered, null, persistent, proportions = [], [], [], []
    for analysis in analyses:
        for f in analysis.findings:
            if truth(f) is None:
                continue
            covered.append(f.ci_low <= truth(f) <= f.ci_high)
            if truth(f) == 0.0:
                null.append(f.p <= 0.05)
                if f.factor.id in PERSISTENT:
                    persistent.append(f.p <= 0.05)
        found = [f for f in analysis.findings if f.significant]
        proportions.append(sum(truth(f) == 0.0 for f in found) / max(len(found), 1))
    return Study(*(float(np.mean(values)) for values in (covered, null, persistent, proportions)))


def failed_checks(result: Study) -> set[str]:
    """The checks of the simulation study that fail; the bands are explained above."""
    failed = set()
    if not 0.94 <= result.coverage <= 0.96:
        failed.add("coverage")
    if not 0.04 <= result.null_rejected <= 0.06:
        failed.add("null")
    if not 0.03 <= result.persistent_rejected <= 0.07:
        failed.add("persistent")
    if not result.false_discovery <= FDR:
        failed.add("false discoveries")
    return failed


# --- The simulation study ------------------------------------------------------------------


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_planted_effects_are_found(simulations, planted):
    found = []
    for analysis in simulations:
        (finding,) = [f for f in analysis.findings if (f.factor.id, f.lag_days) == planted]
        found.append(finding.significant and np.sign(finding.effect) == np.sign(PLANTED[planted]))
    assert np.mean(found) >= 0.95


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_intervals_cover_each_planted_effect(simulations, planted):
    covered = [
        f.ci_low <= PLANTED[planted] <= f.ci_high
        for analysis in simulations
        for f in analysis.findings
        if (f.factor.id, f.lag_days) == planted
    ]
    assert len(covered) == len(SEEDS)
    assert 0.90 <= np.mean(covered) <= 0.99


def test_intervals_cover_every_known_truth(simulations):
    assert sum(truth(f) is not None for a in simulations for f in a.findings) > 6000
    assert 0.94 <= study(simulations).coverage <= 0.96


def test_null_tests_reject_about_five_percent(simulations):
    assert sum(truth(f) == 0.0 for a in simulations for f in a.findings) > 5500
    assert 0.04 <= study(simulations).null_rejected <= 0.06


def test_persistent_null_factors_reject_about_five_percent(simulations):
    tested = [f for a in simulations for f in a.findings if f.factor.id in PERSISTENT]
    assert len(tested) == len(PERSISTENT) * 2 * len(SEEDS)
    assert 0.03 <= study(simulations).persistent_rejected <= 0.07


def test_false_discovery_proportion_stays_within_the_level(simulations):
    assert study(simulations).false_discovery <= FDR


def test_the_simulation_passes_every_check(simulations):
    assert failed_checks(study(simulations)) == set()


def _without_whitening(monkeypatch):
    monkeypatch.setattr(stats, "pain_persistence", lambda *args: 0.0)


def _without_small_sample_steps(monkeypatch):
    fit_group = stats._fit_group

    def crude(y, x, nuisance, day_numbers, persistence, starts):
        fit = fit_group(y, x, nuisance, day_numbers, persistence, starts)
        n, k = len(y), nuisance.shape[1] + 1 + (starts > 0)
        return replace(fit, se=fit.se * np.sqrt((n - k) / n), df=np.full(len(k), np.inf))

    monkeypatch.setattr(stats, "_fit_group", crude)


@pytest.mark.parametrize(
    "worse, caught",
    [
        (_without_whitening, {"coverage", "null", "persistent", "false discoveries"}),
        (_without_small_sample_steps, {"coverage", "null", "false discoveries"}),
    ],
)
def test_the_checks_catch_a_worse_method(diaries, monkeypatch, worse, caught):
    # Half the diaries, to save time: the honest method passes every check on them too.
    worse(monkeypatch)
    assert failed_checks(study([analyse(rows, fdr=FDR) for rows in diaries[:100]])) >= caught


def test_every_factor_is_tested_or_listed_at_each_lag(diaries, simulations):
    for rows, analysis in zip(diaries, simulations, strict=True):
        tested = {(f.factor.id, f.lag_days) for f in analysis.findings}
        listed = {(entry.factor.id, entry.lag_days) for entry in analysis.not_enough}
        for factor in factors_for(rows):
            ways = [(factor.id, 0) in tested, (factor.id, 1) in tested]
            if not any(ways):
                assert (factor.id, None) in listed
            for lag, tested_at in zip(stats.LAGS, ways, strict=True):
                assert tested_at != ((factor.id, lag) in listed or (factor.id, None) in listed)
        assert analysis.tested == len(analysis.findings)
        assert analysis.days == sum(row.pain_mean is not None for row in rows)


def test_rare_factors_are_listed_with_their_counts(diaries, simulations):
    for rows, analysis in zip(diaries, simulations, strict=True):
        checked_in = [row for row in rows if row.pain_mean is not None]
        weather = [row for row in checked_in if "context:weather change" in row.tags]
        calm = [row for row in checked_in if "calm" in row.emotions]
        listed = {entry.factor.id: entry for entry in analysis.not_enough}
        if not weather:  # a tag never used is no factor at all
            assert "tag:context:weather change" not in listed
        elif len(weather) < 7:
            entry = listed["tag:context:weather change"]
            since = [row for row in checked_in if row.date >= weather[0].date]  # first use
            assert (entry.n_days, entry.n_yes, entry.n_no, entry.lag_days) == (
                len(since),
                len(weather),
                len(since) - len(weather),
                None,
            )
            assert entry.needed == "7 days with and 7 without"
        if 0 < len(calm) < 21:
            entry = listed["emotion:calm"]
            assert (entry.n_days, entry.n_yes, entry.n_no) == (len(calm), None, None)
            assert entry.needed == "21 days"


# --- Hand-made diaries ---------------------------------------------------------------------


def day(number: int, pain: float | None = 4.0, **fields) -> DayRow:
    values = {
        "date": START + dt.timedelta(days=number),
        "pain_mean": pain,
        "sleep_hours": None,
        "sleep_quality": None,
        "movement_minutes": None,
        "stress": None,
        "emotions": {},
        "tags": frozenset(),
        "practices": 0,
        "exposure_attempts": 0,
    }
    values.update(fields)
    return DayRow(**values)


def noisy_days(count: int, seed: int = 0, **per_day) -> list[DayRow]:
    rng = np.random.default_rng(seed)
    return [
        day(i, float(rng.normal(4, 1)), **{k: f(i) for k, f in per_day.items()})
        for i in range(count)
    ]


def by_id(analysis: Analysis, factor_id: str, lag: int = 0) -> Finding:
    (finding,) = [f for f in analysis.findings if f.factor.id == factor_id and f.lag_days == lag]
    return finding


def test_thresholds_are_exact():
    rows = noisy_days(
        60,
        tags=lambda i: (
            frozenset({"context:seven"} if i % 8 == 3 and i < 56 else set())
            | frozenset({"context:six"} if i % 9 == 2 and i < 54 else set())
        ),
        emotions=lambda i: {"sad": float(i % 4)} | ({"angry": float(i % 5)} if i < 20 else {}),
    )
    analysis = analyse(rows)
    assert by_id(analysis, "tag:context:seven").n_yes == 7
    assert by_id(analysis, "emotion:sad").n_days == 60
    listed = {entry.factor.id: entry for entry in analysis.not_enough}
    assert listed.keys() == {"tag:context:six", "emotion:angry"}
    # "six" is first used on day 2: the 58 check-ins from then on, 6 of them with it.
    assert (listed["tag:context:six"].n_yes, listed["tag:context:six"].n_no) == (6, 52)
    assert listed["emotion:angry"].n_days == 20
    assert {entry.lag_days for entry in analysis.not_enough} == {None}


def test_a_factor_that_only_follows_the_weekday_cannot_be_told_apart():
    rows = noisy_days(
        70,
        tags=lambda i: frozenset({"context:work"} if (START.weekday() + i) % 7 < 5 else set()),
        emotions=lambda i: {"calm": 5.0},
    )
    listed = {entry.factor.id: entry for entry in analyse(rows).not_enough}
    assert listed["tag:context:work"].needed == stats.UNIDENTIFIED
    assert listed["tag:context:work"].n_yes == 50
    assert listed["emotion:calm"].needed == stats.UNIDENTIFIED


def test_next_day_means_the_calendar_day_after():
    # Check-ins on days 0-39 and 41-79: day 39's next day has no check-in.
    rows = noisy_days(80, movement_minutes=lambda i: 10 * (i % 6))
    rows = [row for row in rows if row.date != START + dt.timedelta(days=40)]
    analysis = analyse(rows)
    assert by_id(analysis, "movement_minutes", 0).n_days == 79
    assert by_id(analysis, "movement_minutes", 1).n_days == 77  # not 39 -> 41, not 79 -> none


def test_practices_and_tries_count_on_days_without_a_check_in():
    rows = noisy_days(60, practices=lambda i: int(i % 3 == 0))
    rows += [day(i, None, practices=1) for i in range(60, 70)]
    rows.append(day(70))
    analysis = analyse(rows)
    same_day = by_id(analysis, "practice", 0)
    next_day = by_id(analysis, "practice", 1)
    assert (same_day.n_days, same_day.n_yes) == (61, 20)
    assert (next_day.n_days, next_day.n_yes) == (60, 21)  # 59 -> 60 is gone; 69 -> 70 counts


def test_planted_difference_is_recovered_exactly_without_noise():
    # Weekday and a trend the cosines can follow exactly: only the tag is left.
    rows = [
        day(
            i,
            3.0
            + 2.0 * (i % 5 == 0)
            + WEEKLY[(START.weekday() + i) % 7]
            + 0.5 * math.cos(math.pi * (i + 0.5) / 100),
            tags=frozenset({"context:x"} if i % 5 == 0 else set()),
        )
        for i in range(100)
    ]
    finding = by_id(analyse(rows), "tag:context:x")
    assert finding.effect == pytest.approx(2.0, abs=1e-9)
    assert finding.significant


def test_factors_for_lists_only_what_the_diary_has():
    rows = noisy_days(
        10,
        sleep_hours=lambda i: 7.0,
        emotions=lambda i: {"tired": 3.0},
        tags=lambda i: frozenset({"helped:walk"}),
        exposure_attempts=lambda i: int(i == 2),
    )
    ids = [factor.id for factor in factors_for(rows)]
    assert ids == [
        "sleep_hours",
        "short_sleep",
        "emotion:tired",
        "tag:helped:walk",
        "exposure",
    ]
    assert factors_for([]) == []


def test_empty_and_tiny_diaries():
    assert analyse([]) == Analysis([], [], 0, 0.05, 0)
    analysis = analyse([day(0, stress=3.0)])
    assert analysis.findings == []
    assert [(e.factor.id, e.n_days) for e in analysis.not_enough] == [("stress", 1)]


def test_two_rows_for_one_date_are_refused():
    with pytest.raises(ValueError):
        analyse([day(0), day(0)])


def test_a_tag_counts_as_absent_only_from_its_first_use():
    # Pain falls from 6 to 3 on day 40, when "stretching" comes into use on about half the
    # days; the tag itself goes with nothing. Counted as absent before its first use, it would
    # look as if it went with 3 points less pain, through the fall.
    rng = np.random.default_rng(3)
    used = (np.arange(100) >= 40) & (rng.random(100) < 0.5)
    rows = [
        day(
            i,
            (6.0 if i < 40 else 3.0) + rng.normal(0, 0.5),
            tags=frozenset({"helped:stretching"} if used[i] else set()),
        )
        for i in range(100)
    ]
    finding = by_id(analyse(rows), "tag:helped:stretching")
    first = int(np.argmax(used))
    assert (finding.n_days, finding.n_yes, finding.n_no) == (
        100 - first,
        used.sum(),
        100 - first - used.sum(),
    )
    assert finding.ci_low < 0 < finding.ci_high
    assert abs(finding.effect) < 0.3


def test_a_factor_tested_at_one_lag_only_is_listed_at_the_other():
    # Check-ins every other day: stress has 30 days with that day's pain and none with the
    # next day's; "calm" has too few days at either lag.
    rows = noisy_days(
        30,
        stress=lambda i: float(i % 4),
        emotions=lambda i: {"calm": 3.0} if i < 10 else {},
    )
    rows = [replace(row, date=START + dt.timedelta(days=2 * i)) for i, row in enumerate(rows)]
    analysis = analyse(rows)
    assert by_id(analysis, "stress", 0).n_days == 30
    assert not [f for f in analysis.findings if f.lag_days == 1]
    listed = {(entry.factor.id, entry.lag_days): entry for entry in analysis.not_enough}
    assert listed.keys() == {("stress", 1), ("emotion:calm", None)}
    assert (listed["stress", 1].n_days, listed["stress", 1].needed) == (0, "21 days")
    assert listed["emotion:calm", None].n_days == 10


def test_typical_change_and_ranking_by_typical_effect():
    # 10 minutes of movement go with 0.15 points more pain, and movement typically changes by
    # 40 minutes (an interquartile range of 4 units): 0.6 points. A tag goes with 0.4. Per
    # unit the tag would come first, though the movement's typical effect is larger.
    rng = np.random.default_rng(5)
    minutes = rng.integers(0, 9, 200) * 10
    tagged = rng.random(200) < 0.5
    rows = [
        day(
            i,
            4 + 0.015 * minutes[i] + 0.4 * tagged[i] + rng.normal(0, 0.3),
            movement_minutes=int(minutes[i]),
            tags=frozenset({"context:x"} if tagged[i] else set()),
        )
        for i in range(200)
    ]
    analysis = analyse(rows)
    movement, tag = by_id(analysis, "movement_minutes"), by_id(analysis, "tag:context:x")
    low, high = np.percentile(minutes / 10, [25, 75])
    assert movement.typical_change == pytest.approx(high - low)
    assert movement.typical_effect == pytest.approx(movement.effect * (high - low))
    assert movement.effect == pytest.approx(0.15, abs=0.03)
    assert (tag.typical_change, tag.typical_effect) == (None, tag.effect)
    assert movement.significant and tag.significant
    order = [f.factor.id for f in analysis.findings if f.significant and f.lag_days == 0]
    assert order.index("movement_minutes") < order.index("tag:context:x")


def test_typical_changes_by_hand():
    rng = np.random.default_rng(0)
    spread = rng.normal(size=50)
    mostly_zero = np.array([0.0] * 8 + [5.0, 5.0])
    low, high = np.percentile(spread, [25, 75])
    assert stats.typical_changes(np.column_stack([spread])) == pytest.approx([high - low])
    assert stats.typical_changes(mostly_zero[:, None]) == pytest.approx([mostly_zero.std()])


def test_findings_are_ordered_and_adjusted(simulations):
    for analysis in simulations[:20]:
        significant = [f for f in analysis.findings if f.significant]
        rest = analysis.findings[len(significant) :]
        assert not any(f.significant for f in rest)
        sizes = [abs(f.typical_effect) for f in significant]
        assert sizes == sorted(sizes, reverse=True)
        assert [f.p for f in rest] == sorted(f.p for f in rest)
        p = np.array([f.p for f in analysis.findings])
        expected = multipletests(p, method="fdr_bh")[1]
        assert np.allclose([f.q for f in analysis.findings], expected)


def test_benjamini_hochberg_by_hand():
    assert np.allclose(benjamini_hochberg([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02])
    assert benjamini_hochberg([]).size == 0


# --- Against statsmodels -------------------------------------------------------------------

CROSS_CHECKED = [
    ("sleep_hours", 0),
    ("tag:context:travel", 1),
    ("emotion:anxious", 0),
    ("exposure", 1),
    ("tag:helped:stretching", 0),  # first used in month 4: a level of its own before
]


def one_fit(factor_id: str, lag: int, persistence: float):
    """A factor's fit from stats, its full design matrix (the factor first), y and the days."""
    rows = simulate(7, days=500)
    diary = stats._diary(stats.Daily.from_rows(rows))
    number = [factor.id for factor in diary.factors].index(factor_id)
    x_all = diary.values[number]
    length = len(diary.pain)
    used = ~np.isnan(x_all[: length - lag]) & ~np.isnan(diary.pain[lag:])
    days = np.flatnonzero(used)
    y, x = diary.pain[days + lag], x_all[days]
    nuisance = stats.adjustment_columns(days + lag, diary.first.weekday())
    start = np.searchsorted(days, diary.known_from[[number]])
    fit = stats._fit_group(y, x[:, None], nuisance, days + lag, persistence, start)
    columns = [x, nuisance] if start[0] == 0 else [x, np.arange(len(y)) < start[0], nuisance]
    return fit, np.column_stack(columns), y, days + lag, rows


@pytest.mark.parametrize("factor_id, lag", CROSS_CHECKED)
def test_without_persistence_the_errors_are_statsmodels_newey_west(factor_id, lag):
    fit, design, y, _, rows = one_fit(factor_id, lag, 0.0)
    reference = sm.OLS(y, design).fit(
        cov_type="HAC", cov_kwds={"maxlags": int(fit.lags[0]), "use_correction": True}
    )
    assert fit.effect[0] == pytest.approx(reference.params[0], rel=1e-9)
    assert fit.se[0] == pytest.approx(reference.bse[0], rel=1e-9)
    assert fit.df[0] <= reference.df_resid


@pytest.mark.parametrize("factor_id, lag", CROSS_CHECKED)
def test_with_persistence_the_errors_are_newey_west_of_the_whitened_scores(factor_id, lag):
    rho = 0.7
    fit, design, y, days, rows = one_fit(factor_id, lag, rho)
    reference = sm.OLS(y, design).fit()
    assert fit.effect[0] == pytest.approx(reference.params[0], rel=1e-9)
    # The factor's residual on the other columns, the AR(1) correlation of the days used and
    # its whitening, from their definitions, as dense matrices.
    x_r = sm.OLS(design[:, 0], design[:, 1:]).fit().resid
    gaps = np.abs(days[:, None] - days[None, :])
    correlation = rho**gaps
    decay = rho ** np.diff(days)
    whitening = np.eye(len(y))
    whitening[1:, 1:] /= np.sqrt(1 - decay**2)[:, None]
    whitening[np.arange(1, len(y)), np.arange(len(y) - 1)] = -decay / np.sqrt(1 - decay**2)
    assert np.allclose(whitening.T @ whitening, np.linalg.inv(correlation), atol=1e-6)
    z = whitening @ correlation @ x_r
    assert z @ z == pytest.approx(x_r @ correlation @ x_r, rel=1e-9)  # x_r'u = z'(L u)
    scores = z * (whitening @ reference.resid)
    meat = S_hac_simple(scores, nlags=int(fit.lags[0]))[0, 0]
    n, k = design.shape
    assert fit.se[0] == pytest.approx(math.sqrt(meat / (x_r @ x_r) ** 2 * n / (n - k)), rel=1e-8)

    analysis = analyse(rows)
    fit = one_fit(factor_id, lag, analysis.persistence)[0]
    finding = by_id(analysis, factor_id, lag)
    half_width = stdtrit(fit.df[0], 0.975) * fit.se[0]
    assert finding.effect == pytest.approx(reference.params[0], rel=1e-9)
    assert finding.ci_low == pytest.approx(reference.params[0] - half_width, rel=1e-9)
    assert finding.ci_high == pytest.approx(reference.params[0] + half_width, rel=1e-9)


def test_degrees_of_freedom_follow_the_rare_state_and_the_persistence():
    rng = np.random.default_rng(1)
    n = 300
    nuisance = stats.adjustment_columns(np.arange(n))
    rare = np.zeros(n)
    rare[rng.choice(n, 10, replace=False)] = 1
    common = (rng.random(n) < 0.5).astype(float)
    fit = stats._fit_group(rng.normal(size=n), np.column_stack([rare, common]), nuisance)
    assert 5 <= fit.df[0] <= 15  # about the number of "yes" days, as in Welch's t-test
    window = 1 + 2 * sum((1 - j / (fit.lags[1] + 1)) ** 2 for j in range(1, fit.lags[1] + 1))
    assert fit.df[1] == pytest.approx(n / window, rel=0.15)
    # A factor that persists, with pain that persists: few of its slow swings fit in a year.
    slow = np.column_stack([ar1(rng, 0.9, n)])
    pain = ar1(rng, 0.8, n)
    assert stats._fit_group(pain, slow, nuisance, np.arange(n), 0.8).df[0] < n / 5


def test_andrews_lags():
    # 1.1447 (alpha n)^(1/3), alpha = 4 a^2 / ((1 - a)^2 (1 + a)^2): for a = 0.5, 16 / 9.
    assert list(stats.andrews_lags(np.array([0.0, 0.5, -0.5, 0.5]), 365)) == [0, 9, 9, 9]
    assert stats.andrews_lags(np.array([0.5]), 3650)[0] == 21
    assert stats.andrews_lags(np.array([0.99]), 10)[0] == 9  # at most n - 1


# --- How long pain stays up or down ---------------------------------------------------------


def test_expected_autocorrelation_matches_the_trace_formula():
    # E[u'M A M u] / E[u'M u] for AR(1) errors u, M taking out the adjustment columns and A
    # the pairs of days `lag` apart, per pair and per day. The spectral approximation is close
    # and errs low where it errs (a persistent series over long lags), which corrects the
    # persistence slightly too much: the side of wider intervals.
    rng = np.random.default_rng(2)
    days = np.flatnonzero(rng.random(365) < 0.9)
    n, span = len(days), int(days[-1] - days[0]) + 1
    basis = np.linalg.qr(stats.adjustment_columns(days))[0]
    keep = np.eye(n) - basis @ basis.T
    gaps = np.abs(days[:, None] - days[None, :])
    for rho in (0.3, 0.6, 0.9):
        correlation = rho**gaps
        for lag in (1, 2, 5):
            pairs = (gaps == lag) / 2
            exact = np.trace(keep @ pairs @ keep @ correlation) / pairs.sum()
            exact /= np.trace(keep @ correlation) / n
            approximate = stats.expected_autocorrelation(rho, lag, n, span)
            assert exact - (0.01 if rho < 0.9 else 0.05) <= approximate <= exact + 0.002


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.8])
def test_pain_persistence_is_recovered(phi):
    estimates = []
    for seed in range(30):
        rng = np.random.default_rng(seed)
        days = np.flatnonzero(rng.random(730) < 0.9)
        t = np.arange(730)
        pain = 4 + 1.5 * np.exp(-t / 90) + WEEKLY[t % 7] + ar1(rng, phi, 730)
        estimates.append(stats.pain_persistence(days, pain[days]))
    # The slowest decay of five lags: a little above the truth on average, never well below.
    assert phi - 0.02 <= np.mean(estimates) <= phi + 0.08


def test_pain_persistence_sees_a_persistent_level_under_daily_noise():
    # A level with persistence 0.9 plus as much day-to-day noise: the lag-1 correlation is
    # about 0.45, but whitening needs the level's persistence; five lags get most of the way.
    rng = np.random.default_rng(4)
    estimates = []
    for _ in range(20):
        pain = ar1(rng, 0.9, 730) + rng.normal(size=730)
        estimates.append(stats.pain_persistence(np.arange(730), pain))
    assert np.mean(estimates) >= 0.7


def test_the_persistence_is_reported():
    analysis = analyse(simulate(0, pain_persistence=0.8))
    assert 0.75 <= analysis.persistence <= 0.9
    assert analyse(noisy_days(10)).persistence == 0.0  # too few days to tell


def test_stats_imports_no_django():
    code = (
        "import sys, rewire.insights.stats; "
        "loaded = {name.split('.')[0] for name in sys.modules}; "
        "print(sorted(loaded & {'django', 'pandas', 'statsmodels'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


# --- Trends --------------------------------------------------------------------------------


def test_trends_by_hand():
    # Week 0 (days 0-6): 3 each day. Week 1: 1.0 on 4 days. Week 2: 0, 2 on 2 days only
    # (too few for a status). Week 3 (days 21-27): 1.1 on 5 days. Today: day 27.
    pain = {i: 3.0 for i in range(7)}
    pain |= {7: 1.0, 9: 1.0, 10: 1.0, 12: 1.0}
    pain |= {15: 0.0, 16: 2.0}
    pain |= {21: 1.1, 22: 1.1, 24: 1.1, 25: 1.1, 27: 1.1}
    rows = [day(i, value) for i, value in pain.items()]
    rows += [day(13, None, practices=1), day(30, 9.0)]  # no check-in; after today
    today = START + dt.timedelta(days=27)
    result = trends(rows, today=today)
    assert result.average_7 == pytest.approx(1.1)
    assert result.average_28 == pytest.approx((21 + 4 + 2 + 5.5) / 18)
    assert result.first_week_average == pytest.approx(3.0)
    assert result.change_since_start == pytest.approx(-1.9)
    assert [(w.start, w.days, w.pain_free_or_nearly) for w in result.weeks] == [
        (START, 7, False),
        (START + dt.timedelta(days=7), 4, True),
        (START + dt.timedelta(days=14), 2, None),
        (START + dt.timedelta(days=21), 5, False),
    ]
    assert [w.average for w in result.weeks] == pytest.approx([3.0, 1.0, 1.0, 1.1])


def test_trends_early_and_empty():
    today = START + dt.timedelta(days=9)
    result = trends([day(2, 5.0), day(9, 3.0)], today=today)
    assert result.first_week_average == 5.0
    assert result.average_7 == 3.0
    assert result.change_since_start is None  # the last 7 days overlap the first week
    assert [w.days for w in result.weeks] == [1, 1]
    assert [w.pain_free_or_nearly for w in result.weeks] == [None, None]
    quiet = trends([day(0, 5.0)], today=START + dt.timedelta(days=20))
    assert (quiet.average_7, quiet.average_28, quiet.change_since_start) == (None, 5.0, None)
    assert [w.average for w in quiet.weeks] == [5.0, None, None]
    assert trends([], today=today) == stats.Trends(None, None, None, None, [])


# --- Words ---------------------------------------------------------------------------------

SHORT_SLEEP = Factor("short_sleep", "slept under 6 hours", "yes_no", "day")


def finding(factor, effect, low, high, lag=0) -> Finding:
    return Finding(factor, "pain_mean", lag, effect, low, high, 0.01, 0.02, 100, None, None, True)


@pytest.mark.parametrize(
    "made, words",
    [
        (
            finding(SHORT_SLEEP, 1.23, 0.71, 1.68),
            "On days after you slept under 6 hours, your pain averaged 1.2 points higher "
            "(0.7 to 1.7).",
        ),
        (
            finding(SHORT_SLEEP, 1.23, 0.71, 1.68, lag=1),
            "On days after you slept under 6 hours, your pain the day after that averaged 1.2 "
            "points higher (0.7 to 1.7).",
        ),
        (
            finding(stats.EXPOSURE, -0.4, -0.7, -0.1, lag=1),
            "On days you did a fear-ladder try, your pain the next day averaged 0.4 points "
            "lower (0.1 to 0.7).",
        ),
        (
            finding(stats.SLEEP_HOURS, -0.3, -0.5, -0.1),
            "For each extra hour of sleep the night before, your pain that day averaged 0.3 "
            "points lower (0.1 to 0.5).",
        ),
        (
            finding(stats.SLEEP_HOURS, -0.3, -0.5, -0.1, lag=1),
            "For each extra hour of sleep the night before a day, your pain the day after "
            "that averaged 0.3 points lower (0.1 to 0.5).",
        ),
        (
            finding(stats.SLEEP_QUALITY, 0.1, -0.1, 0.3, lag=1),
            "For each extra point of sleep quality the night before a day, your pain the day "
            "after that averaged 0.1 points higher (from 0.1 lower to 0.3 higher).",
        ),
        (
            finding(stats._tag_factor("context:work"), 0.2, -0.2, 0.6),
            'On days you tagged "work", your pain averaged 0.2 points higher (from 0.2 lower to '
            "0.6 higher).",
        ),
        (
            finding(stats._tag_factor("helped:walk"), -0.24, -0.61, 0.18, lag=1),
            'On days you noted "walk" as helping, your pain the next day averaged 0.2 points '
            "lower (from 0.6 lower to 0.2 higher).",
        ),
        (
            finding(stats.MOVEMENT, -0.12, -0.2, -0.04),
            "For each extra 10 minutes of movement, your pain that day averaged 0.1 points "
            "lower (0.0 to 0.2).",
        ),
        (
            finding(stats._emotion_factor("anxious"), 0.26, 0.1, 0.4),
            "For each extra point of feeling anxious, your pain that day averaged 0.3 points "
            "higher (0.1 to 0.4).",
        ),
        (
            finding(stats.PRACTICE, 0.03, -0.3, 0.4),
            "On days you did a guided practice, your pain averaged about the same "
            "(from 0.3 lower to 0.4 higher).",
        ),
    ],
)
def test_finding_words(made, words):
    assert finding_words(made) == words


def test_a_numeric_finding_says_what_it_is_ranked_by():
    stress = replace(finding(stats.STRESS, 0.21, 0.1, 0.3), typical_change=3.0, typical_effect=0.63)
    assert finding_words(stress) == (
        "For each extra point of stress, your pain that day averaged 0.2 points higher "
        "(0.1 to 0.3); across your usual range of stress, about 0.6 points higher."
    )
    sleep = replace(
        finding(stats.SLEEP_HOURS, -0.42, -0.6, -0.2, lag=1),
        typical_change=2.0,
        typical_effect=-0.84,
    )
    assert finding_words(sleep) == (
        "For each extra hour of sleep the night before a day, your pain the day after that "
        "averaged 0.4 points lower (0.2 to 0.6); across your usual range of hours of sleep, "
        "about 0.8 points lower."
    )
    # Per 10 minutes too small for one decimal, yet clear over the usual range: two decimals,
    # never "about the same" beside a difference.
    moved = replace(
        finding(stats.MOVEMENT, -0.04, -0.06, -0.02), typical_change=20.0, typical_effect=-0.8
    )
    assert finding_words(moved) == (
        "For each extra 10 minutes of movement, your pain that day averaged 0.04 points lower "
        "(0.02 to 0.06); across your usual range of minutes of movement, about 0.8 points lower."
    )
    flat = replace(stress, typical_effect=0.02)
    assert finding_words(flat).endswith(
        "; across your usual range of stress, almost no difference."
    )
    # Only clear findings are ranked, so only they say it; yes/no factors never need it.
    assert finding_words(replace(stress, significant=False)).endswith("(0.1 to 0.3).")
    assert "usual range" not in finding_words(finding(SHORT_SLEEP, 1.2, 0.7, 1.7))


def test_words_never_claim_a_cause(simulations):
    for analysis in simulations[:10]:
        for f in analysis.findings:
            words = finding_words(f).lower()
            assert not any(word in words for word in ("because", "cause", "due to", "makes"))
            assert "-0.0" not in words
            assert words.endswith((").", " points higher.", " points lower.", "no difference."))
            assert ") " not in words or "; across your usual range of" in words


def test_words_say_which_day(simulations):
    same = finding(stats.STRESS, 0.5, 0.2, 0.8)
    assert "that day" in finding_words(same)
    assert "the next day" in finding_words(replace(same, lag_days=1))
    # Sleep is about the night before the day it is recorded on: at lag 1, never "the next
    # day", which reads as the day after the night.
    for f in simulations[0].findings:
        words = finding_words(f)
        if f.factor.id in stats.SLEEP_FACTORS and f.lag_days == 1:
            assert "the day after that" in words and "next day" not in words
        elif f.lag_days == 1:
            assert "your pain the next day" in words


def test_the_forest_plot_draws_what_the_list_is_ranked_by():
    from rewire.insights.charts import forest

    stress = replace(finding(stats.STRESS, 0.2, 0.1, 0.3), typical_change=3.0, typical_effect=0.6)
    walk = finding(stats._tag_factor("helped:walk"), 0.5, 0.2, 0.8)
    scale, (stress_bar, walk_bar) = forest([stress, walk])
    assert scale.limit == 1.0
    # Stress over its usual range (0.6, from 0.3 to 0.9) is drawn longer than the walk (0.5).
    assert stress_bar.effect == 80.0 and walk_bar.effect == 75.0
    assert (stress_bar.low, stress_bar.high) == (65.0, 95.0)
