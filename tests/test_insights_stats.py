"""The insights' statistics against simulated diaries with planted effects, hand-made cases,
and statsmodels. No database.

The simulation: 200 diaries of 365 days, each with pain that has a weekly rhythm, a slow
fall over the first months, a seasonal swing and AR(1) day-to-day noise (phi 0.5); three
planted effects (an hour of sleep, a tag, and a fear-ladder try on the next day's pain) and
null factors, some of which follow the weekday or drift over the months as the pain does, so
that the adjustments for day of week and trend are needed to leave them alone.

Monte Carlo error sets the bands. Coverage of one effect over 200 diaries has standard error
sqrt(0.95 * 0.05 / 200) = 0.015, so [0.90, 0.99] is about three standard errors either side
of 0.95 (two would fail a true 0.935 one time in five); over the ~5,800 intervals with a
known truth it is ~0.003 if they were independent, and [0.935, 0.965] allows for the
intervals of one diary being related.

Measured once with 1,000 diaries of a year (not run here): coverage 0.945 over all known
truths (sleep 0.934, tag 0.950, fear-ladder try 0.948), power 0.98-1.00, p <= 0.05 for 5.5%
of null tests and p <= 0.005 for 0.6%, false discovery proportion 0.047 (standard error
0.003). With 800 diaries of 5 and of 10 years: p <= 0.05 for 5.3% of null tests, false
discovery proportion 0.054 (standard error 0.004) for both. The Newey-West errors run
slightly small (the trend cosines take some of the noise's slow part with them), hence the
sleep effect's 0.934 at a year. stats.py uses the small-sample factor n / (n - k) and
Satterthwaite degrees of freedom; with neither, a year gave coverage 0.931, p <= 0.05 for
6.9% of null tests and a false discovery proportion of 0.069.
"""

import datetime as dt
import math
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import statsmodels.api as sm
from scipy.signal import lfilter
from scipy.special import stdtrit
from statsmodels.stats.multitest import multipletests

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
SEEDS = range(200)
FDR = 0.05


def simulate(seed: int, days: int = 365) -> list[DayRow]:
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    weekday = (START.weekday() + t) % 7
    weekend = weekday >= 5
    phi = 0.5
    innovations = rng.normal(0, 1, days)
    innovations[0] /= math.sqrt(1 - phi**2)  # start the AR(1) noise in its steady state
    noise = lfilter([1.0], [1.0, -phi], innovations)
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
    quality = np.where(rng.random(days) < 0.8, rng.integers(2, 10, days), -1)
    minutes = np.maximum(0, np.round(rng.normal(25 + 20 * weekend, 15))).astype(int)
    stress = np.clip(np.round(rng.normal(5.5 - 2 * t / days, 1.5)), 0, 10)  # drifts down
    anxious = np.where(rng.random(days) < 0.5, rng.integers(0, 11, days), -1)
    calm = np.where(rng.random(days) < 0.04, rng.integers(0, 11, days), -1)  # too few days
    practices = (rng.random(days) < np.where(t < 60, 0.7, 0.2)).astype(int)  # the programme
    tags = {
        "context:argument": argument,
        "context:work": rng.random(days) < np.where(weekend, 0.1, 0.7),
        "context:screen time": rng.random(days) < 0.5,
        "context:travel": rng.random(days) < 0.05,
        "helped:walk": rng.random(days) < 0.1 + 0.4 * t / days,  # more often as pain falls
        "helped:rest": rng.random(days) < 0.3,
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
                pain_max=math.ceil(pain[i]) if c else None,
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
def simulations() -> list[Analysis]:
    return [analyse(simulate(seed), fdr=FDR) for seed in SEEDS]


# --- The simulation study ------------------------------------------------------------------


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_planted_effects_are_found(simulations, planted):
    found = []
    for analysis in simulations:
        (finding,) = [f for f in analysis.findings if (f.factor.id, f.lag_days) == planted]
        found.append(finding.significant and np.sign(finding.effect) == np.sign(PLANTED[planted]))
    assert np.mean(found) >= 0.9


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
    covered = [
        f.ci_low <= truth(f) <= f.ci_high
        for analysis in simulations
        for f in analysis.findings
        if truth(f) is not None
    ]
    assert len(covered) > 5000
    assert 0.935 <= np.mean(covered) <= 0.965


def test_null_tests_reject_about_five_percent(simulations):
    p = [f.p for analysis in simulations for f in analysis.findings if truth(f) == 0.0]
    assert 0.035 <= np.mean(np.array(p) <= 0.05) <= 0.065


def test_false_discovery_proportion_stays_within_the_level(simulations):
    proportions = []
    for analysis in simulations:
        found = [f for f in analysis.findings if f.significant]
        false = [f for f in found if truth(f) == 0.0]
        proportions.append(len(false) / max(len(found), 1))
    standard_error = np.std(proportions) / math.sqrt(len(proportions))
    assert np.mean(proportions) <= FDR + 3 * standard_error


def test_rare_factors_are_listed_with_their_counts(simulations):
    for seed, analysis in zip(SEEDS, simulations, strict=True):
        rows = simulate(seed)
        checked_in = [row for row in rows if row.pain_mean is not None]
        weather = [row for row in checked_in if "context:weather change" in row.tags]
        calm = [row for row in checked_in if "calm" in row.emotions]
        listed = {entry.factor.id: entry for entry in analysis.not_enough}
        tested = {f.factor.id for f in analysis.findings}
        if not weather:  # a tag never used is no factor at all
            assert "tag:context:weather change" not in listed | {t: t for t in tested}
        elif len(weather) < 7:
            entry = listed["tag:context:weather change"]
            assert (entry.n_days, entry.n_yes, entry.n_no) == (
                len(checked_in),
                len(weather),
                len(checked_in) - len(weather),
            )
            assert entry.needed == "7 days with and 7 without"
        if 0 < len(calm) < 21:
            entry = listed["emotion:calm"]
            assert (entry.n_days, entry.n_yes, entry.n_no) == (len(calm), None, None)
            assert entry.needed == "21 days"
        assert not tested & set(listed)
        assert analysis.tested == len(analysis.findings)
        assert analysis.days == len(checked_in)


# --- Hand-made diaries ---------------------------------------------------------------------


def day(number: int, pain: float | None = 4.0, **fields) -> DayRow:
    values = {
        "date": START + dt.timedelta(days=number),
        "pain_mean": pain,
        "pain_max": None if pain is None else math.ceil(pain),
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
    assert (listed["tag:context:six"].n_yes, listed["tag:context:six"].n_no) == (6, 54)
    assert listed["emotion:angry"].n_days == 20


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


def test_findings_are_ordered_and_adjusted(simulations):
    for analysis in simulations[:20]:
        significant = [f for f in analysis.findings if f.significant]
        rest = analysis.findings[len(significant) :]
        assert not any(f.significant for f in rest)
        assert [abs(f.effect) for f in significant] == sorted(
            (abs(f.effect) for f in significant), reverse=True
        )
        assert [f.p for f in rest] == sorted(f.p for f in rest)
        p = np.array([f.p for f in analysis.findings])
        expected = multipletests(p, method="fdr_bh")[1]
        assert np.allclose([f.q for f in analysis.findings], expected)


def test_benjamini_hochberg_by_hand():
    assert np.allclose(benjamini_hochberg([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02])
    assert benjamini_hochberg([]).size == 0


# --- Against statsmodels -------------------------------------------------------------------


@pytest.mark.parametrize(
    "factor_id, lag",
    [("sleep_hours", 0), ("tag:context:travel", 1), ("emotion:anxious", 0), ("exposure", 1)],
)
def test_newey_west_matches_statsmodels(factor_id, lag):
    rows = simulate(7, days=500)
    diary = stats._diary(rows)
    number = [factor.id for factor in diary.factors].index(factor_id)
    x_all = diary.values[number]
    length = len(diary.pain)
    used = ~np.isnan(x_all[: length - lag]) & ~np.isnan(diary.pain[lag:])
    days = np.flatnonzero(used)
    y, x = diary.pain[days + lag], x_all[days]
    nuisance = stats.adjustment_columns(days + lag, diary.first.weekday())
    lags = stats.newey_west_lags(len(y))
    reference = sm.OLS(y, np.column_stack([x, nuisance])).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
    )
    fit = stats._fit_group(y, x[:, None], nuisance)
    assert fit.effect[0] == pytest.approx(reference.params[0], rel=1e-9)
    assert fit.se[0] == pytest.approx(reference.bse[0], rel=1e-9)
    assert fit.df[0] <= reference.df_resid

    finding = by_id(analyse(rows), factor_id, lag)
    half_width = stdtrit(fit.df[0], 0.975) * reference.bse[0]
    assert finding.effect == pytest.approx(reference.params[0], rel=1e-9)
    assert finding.ci_low == pytest.approx(reference.params[0] - half_width, rel=1e-9)
    assert finding.ci_high == pytest.approx(reference.params[0] + half_width, rel=1e-9)
    assert finding.n_days == len(y)


def test_degrees_of_freedom_follow_the_rare_state():
    rng = np.random.default_rng(1)
    n = 300
    nuisance = stats.adjustment_columns(np.arange(n))
    rare = np.zeros(n)
    rare[rng.choice(n, 10, replace=False)] = 1
    common = (rng.random(n) < 0.5).astype(float)
    fit = stats._fit_group(rng.normal(size=n), np.column_stack([rare, common]), nuisance)
    assert 5 <= fit.df[0] <= 15  # about the number of "yes" days, as in Welch's t-test
    bartlett = 1 + 2 * sum((1 - j / 6) ** 2 for j in range(1, 6))  # 5 lags at n = 300
    assert fit.df[1] == pytest.approx(n / bartlett, rel=0.1)


def test_newey_west_lags():
    assert [stats.newey_west_lags(n) for n in (10, 100, 365, 3650)] == [2, 4, 5, 8]
    assert stats.newey_west_lags(1) == 1


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
            "For each extra hour of sleep the night before, your pain the next day averaged "
            "0.3 points lower (0.1 to 0.5).",
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


def test_words_never_claim_a_cause(simulations):
    for analysis in simulations[:10]:
        for f in analysis.findings:
            words = finding_words(f).lower()
            assert not any(word in words for word in ("because", "cause", "due to", "makes"))
            assert "-0.0" not in words
            assert words.endswith(").")


def test_words_say_which_day():
    same = finding(stats.STRESS, 0.5, 0.2, 0.8)
    assert "that day" in finding_words(same)
    assert "the next day" in finding_words(replace(same, lag_days=1))
