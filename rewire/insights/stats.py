"""What goes with higher or lower pain in one person's diary, and how pain is trending.

Plain Python with numpy and scipy; no Django, so it is fast to test and easy to read. The
diary comes in as `Daily`, columns over consecutive calendar days (the Django side reads them
straight from the database: rewire/insights/data.py), or as `DayRow`s, one per local date
(easier to write by hand, as the tests do), and the Django side shows what comes back.

The model, for each factor and each lag (0: pain the same day, 1: the next calendar day's):

    pain[d + lag] = effect * factor[d] + day of week + slow trend + error

fitted by ordinary least squares on the days where both the factor and that pain are known.
The next-day fit is not adjusted for the factor's value on the next day, so for a factor
that persists (stress, a busy week) a next-day finding mostly repeats the same-day one.

- Day of week: one indicator per weekday, so a weekend habit is not mistaken for its effect.
- Slow trend: cosines of time, cos(pi j (d - first + 1/2) / span) for j = 1..k (the discrete
  cosine basis used to remove drift from brain scans), one per 60 days of the fit's span,
  at least 1, at most 24 and at most one per 10 days of data. Pain in this programme falls
  over weeks and then levels off, and seasons come round; a straight line or a parabola
  cannot follow that, and drift the trend misses can make a habit that changed over the same
  months look like an effect. The cosines follow drift with a period longer than four months;
  beyond four years of diary the cap lengthens that to at most ten months, which still
  follows the seasons. Day-to-day and week-to-week variation, where the effect is estimated
  from, is left alone.
- Errors: pain persists from day to day, and so do stress, sleep, moods and busy weeks. When
  both do, the effect's standard error needs the pain errors' correlation over as many days
  as the factor's swings last; Newey-West with a handful of lags misses most of it, and then
  a factor unrelated to pain reached p <= 0.05 in 14% of simulated years at persistence 0.8
  for both, 20% at 0.9. So the pain errors are modelled as AR(1) on the calendar (a missed
  day is a gap, not closed up), their coefficient estimated once per diary
  (`pain_persistence`), and the least-squares effect's variance is computed through that
  model's whitening, with a Newey-West step on the whitened scores for what the AR(1) misses
  and for errors whose spread changes with the factor (`_fit_group`). This keeps the
  ordinary least-squares effect, "pain averaged 0.4 points higher on those days", which GLS
  (Cochrane-Orcutt) would replace by an estimate from day-to-day changes that feedback from
  pain to the factor would bias; and unlike prewhitening the scores (Andrews-Monahan: still
  9% at 0.9 in a year), whose persistence is the product of the factor's and the pain's and
  is badly underestimated from a year of residuals, the one coefficient needed here comes
  from the pain alone, on every day with a check-in, with the bias the trend fit gives it
  corrected. Fixed-b style errors (equal-weight cosines with Student's t) still gave 9-12%
  at 0.9 in a year: the trouble is mostly the bias of the variance, not its spread. The
  p-value and 95% interval use Student's t with Satterthwaite degrees of freedom, which
  matter for yes/no factors with few "yes" days and for persistent factors.
- Many factors are tested, so the q-value of each test is its Benjamini-Hochberg adjusted
  p-value across every (factor, lag) tested; `significant` means q <= the FDR level.
  Significant findings come first, ordered by the effect of a typical change in the factor
  (with against without for yes/no, the interquartile range for numeric factors), so that
  an hour of sleep, 10 minutes of movement and a tag compare.

In simulated diaries (tests/test_insights_stats.py: 1,000 years with pain persistence 0.5 to
0.8 and null factors persisting 0.5 to 0.9) the 95% intervals cover the truth 95.4% of the
time, null factors reach p <= 0.05 4.6% of the time (persistent ones 5.2%), and the share of
false findings is 0.035 against an FDR level of 0.05 (before: 93.5%, 6.6%, 9.5% and 0.073).
At five and ten years: 5.2% and 5.5% of nulls (persistent ones 5.8% and 6.2%), false
findings 0.053 and 0.046. A factor and pain that both persist 0.5, 0.8 or 0.9 give 4-5%, 4%
and 3.5% in a year and 4% at 0.8 over ten (before 7%, 14%, 21% and 8-9%). Still above 5%:
pain that is a persistent level plus much day-to-day noise, with a factor that persists as
long, e.g. 6.5% in a year and 7.4% over ten for 0.9, 0.9 and noise as large as the level.

A factor is tested when it has enough data: a yes/no factor needs 7 days in each state, a
numeric one 21 days, counted on the days used for that lag; a factor that moves only with
the weekday and the trend cannot be told apart from them and is listed with the rest that
could not be tested, once if at neither lag, or for the one lag it could not be tested at.
Emotions are numeric on the days they were rated; a day without a rating for an emotion is
missing for it, not zero, since not rating "anxious" is not the same as rating it 0. Tags
are present or absent on days with a check-in, from the tag's first use: before it, a day
is not "without" the tag (that would confound a tag taken up later with everything else
that changed since), and those days enter the fit with a level of their own, so that they
still inform the weekday and the trend. Practices and fear-ladder tries are known on every
day (the app records them).

Only the coefficient of the factor is needed, so each fit partials out day of week and trend
first (Frisch-Waugh-Lovell): the effect and residuals are those of the full regression, and
factors known on the same days share one decomposition. Ten years of the demo diary (21
factors, 39 tests) take about 23 ms of CPU on a busy two-core machine (16 ms before the
errors were whitened); a diary with 43 factors, 86 tests and 29 separate fits (emotions
rated on different days) about 47 ms (33 ms before); the cost grows linearly with the days.
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.signal import lfilter
from scipy.special import stdtr, stdtrit
from threadpoolctl import ThreadpoolController

from rewire.measures.outcome import PAIN_FREE_OR_NEARLY

MIN_DAYS_EACH_STATE = 7  # a yes/no factor: this many days with and this many without
MIN_DAYS_NUMERIC = 21
SHORT_SLEEP_HOURS = 6
MOVED_ENOUGH_MINUTES = 30
MOVEMENT_UNIT_MINUTES = 10
LAGS = (0, 1)
DAYS_PER_TREND_COSINE = 60
MAX_TREND_COSINES = 24
CONFIDENCE = 0.95
# A week's status needs most of the week: one good day is not a pain-free week.
MIN_DAYS_FOR_WEEK_STATUS = 4

OUTCOME = "pain_mean"
SLEEP_FACTORS = ("sleep_hours", "short_sleep", "sleep_quality")  # about the night before


@dataclass(frozen=True)
class DayRow:
    """One local date with at least one check-in, practice, attempt or activity."""

    date: dt.date
    pain_mean: float | None  # mean of the day's check-in pain (0-10); None: no check-in that day
    sleep_hours: float | None  # recorded at the day's first check-in about the night BEFORE
    sleep_quality: int | None  # 0-10, same night
    movement_minutes: int | None
    stress: float | None  # mean of the day's stress ratings 0-10
    emotions: dict[str, float]  # emotion name -> mean intensity 0-10 that day (absent: not rated)
    tags: frozenset[str]  # "context:work", "helped:walk", ... present that day
    practices: int  # guided practices done that day
    exposure_attempts: int  # fear-ladder tries that day


@dataclass(frozen=True)
class Factor:
    id: str
    label: str  # yes/no: what the person did ("did a guided practice"); numeric: what is measured
    kind: Literal["yes_no", "numeric"]
    unit: str  # numeric: one step of the effect, e.g. "hour of sleep"; yes/no: "day"


@dataclass(frozen=True)
class Finding:
    factor: Factor
    outcome: str  # "pain_mean": the day's average pain
    lag_days: int  # 0: same day; 1: next day's pain
    effect: float  # pain points: on-minus-off difference (yes/no) or per unit (numeric)
    ci_low: float
    ci_high: float
    p: float
    q: float  # Benjamini-Hochberg adjusted p across every test in the analysis
    n_days: int  # days with the factor known and the pain (a tag: from its first use)
    n_yes: int | None  # yes/no factors only
    n_no: int | None
    significant: bool  # q <= the FDR level
    # Numeric factors: a typical change in the factor on the days used, in its unit (the
    # interquartile range; see `typical_changes`); None for yes/no factors.
    typical_change: float | None = None
    # effect * typical_change for numeric factors, effect for yes/no (with vs without): what
    # the significant findings are ranked by.
    typical_effect: float | None = None


@dataclass(frozen=True)
class NotEnough:
    factor: Factor
    n_days: int  # days with the factor and a pain rating that day (or the next, at lag 1)
    n_yes: int | None
    n_no: int | None
    needed: str  # e.g. "7 days with and 7 without"
    # None: not enough at either lag (the counts are the same day's); 0 or 1: tested at the
    # other lag but not this one (the counts are this lag's).
    lag_days: int | None = None


@dataclass(frozen=True)
class Analysis:
    findings: list[Finding]  # significant ones by typical effect, largest first; then by p
    not_enough: list[NotEnough]
    tested: int  # (factor, lag) pairs tested
    fdr: float
    days: int  # days with a pain rating
    persistence: float = 0.0  # the AR(1) coefficient of the pain errors (`pain_persistence`)


@dataclass(frozen=True)
class WeekStatus:
    start: dt.date
    average: float | None  # mean of the daily averages on the days with a check-in
    days: int  # days with a check-in
    pain_free_or_nearly: bool | None  # None: fewer than MIN_DAYS_FOR_WEEK_STATUS days


@dataclass(frozen=True)
class Trends:
    average_7: float | None  # the last 7 days, today included
    average_28: float | None
    first_week_average: float | None  # the 7 days from the first check-in
    change_since_start: float | None  # average_7 - first_week_average, once they do not overlap
    weeks: list[WeekStatus]  # 7-day weeks from the first check-in up to the one with today


# --- The daily series ----------------------------------------------------------------------


def _tag_label(tag: str) -> str:
    kind, _, name = tag.partition(":")
    if not name:
        return f'tagged "{kind}"'
    if kind == "helped":
        return f'noted "{name}" as helping'
    return f'tagged "{name}"'


SLEEP_HOURS = Factor("sleep_hours", "hours of sleep", "numeric", "hour of sleep")
SHORT_SLEEP = Factor("short_sleep", f"slept under {SHORT_SLEEP_HOURS} hours", "yes_no", "day")
SLEEP_QUALITY = Factor("sleep_quality", "sleep quality", "numeric", "point of sleep quality")
MOVEMENT = Factor(
    "movement_minutes",
    "minutes of movement",
    "numeric",
    f"{MOVEMENT_UNIT_MINUTES} minutes of movement",
)
MOVED_ENOUGH = Factor(
    "moved_enough", f"moved {MOVED_ENOUGH_MINUTES} minutes or more", "yes_no", "day"
)
STRESS = Factor("stress", "stress", "numeric", "point of stress")
PRACTICE = Factor("practice", "did a guided practice", "yes_no", "day")
EXPOSURE = Factor("exposure", "did a fear-ladder try", "yes_no", "day")


def _emotion_factor(name: str) -> Factor:
    return Factor(f"emotion:{name}", f"feeling {name}", "numeric", f"point of feeling {name}")


def _tag_factor(tag: str) -> Factor:
    return Factor(f"tag:{tag}", _tag_label(tag), "yes_no", "day")


@dataclass
class _Diary:
    first: dt.date
    pain: np.ndarray  # one per calendar day from `first`; nan: no check-in
    factors: list[Factor]
    values: np.ndarray  # factors x calendar days; nan: not known that day
    # Per factor, the first calendar day it is known on: a tag's first use (before it, its
    # value is 0 but it is not counted as absent; see `_fit_group`), 0 for the rest.
    known_from: np.ndarray


# Daily.measures' columns, in the order `_diary` unpacks them.
MEASURES = (
    "pain_mean",
    "sleep_hours",
    "sleep_quality",
    "movement_minutes",
    "stress",
    "practices",
    "exposure_attempts",
)


@dataclass(frozen=True, eq=False)
class Daily:
    """The diary as columns over consecutive calendar days, from `first` to the last day with
    any check-in, practice, try or activity. Read-only: `analyse` and `trends` share one."""

    first: dt.date
    measures: np.ndarray  # days x MEASURES; nan: nothing recorded (no row, or None)
    emotion_names: list[str]  # sorted
    emotions: np.ndarray  # names x days: the day's mean intensity; nan: not rated that day
    tag_names: list[str]  # sorted; "context:work", "helped:walk", ...
    tags: np.ndarray  # names x days: 1.0 on a day the tag was used; nan otherwise

    def __post_init__(self):
        for values in (self.measures, self.emotions, self.tags):
            values.flags.writeable = False

    def __len__(self) -> int:
        return len(self.measures)

    @classmethod
    def empty(cls) -> "Daily":
        nothing = np.empty((0, 0))
        return cls(dt.date.min, np.empty((0, len(MEASURES))), [], nothing, [], nothing)

    @classmethod
    def from_rows(cls, rows: list[DayRow]) -> "Daily":
        if not rows:
            return cls.empty()
        rows = sorted(rows, key=lambda row: row.date)
        first = rows[0].date.toordinal()
        day_numbers = [row.date.toordinal() - first for row in rows]
        if len(set(day_numbers)) < len(day_numbers):
            raise ValueError("Two rows for one date: one DayRow per date.")
        measures = np.full((day_numbers[-1] + 1, len(MEASURES)), math.nan)
        measures[day_numbers] = np.array(
            [[getattr(row, name) for name in MEASURES] for row in rows], dtype=float
        )  # None becomes nan
        emotions = [
            (day, name, value)
            for day, row in zip(day_numbers, rows, strict=True)
            for name, value in row.emotions.items()
        ]
        tags = [
            (day, tag, 1.0) for day, row in zip(day_numbers, rows, strict=True) for tag in row.tags
        ]
        return cls(
            rows[0].date,
            measures,
            *named_columns(emotions, len(measures)),
            *named_columns(tags, len(measures)),
        )


def named_columns(entries, length: int) -> tuple[list[str], np.ndarray]:
    """From (day number, name, value) entries: the sorted names, and one row per name of
    `length` days holding the values, nan where a name has none."""
    names = sorted({name for _, name, _ in entries})
    position = {name: number for number, name in enumerate(names)}
    values = np.full((len(names), length), math.nan)
    if entries:
        days, named, numbers = zip(*entries, strict=True)
        values[[position[name] for name in named], list(days)] = numbers
    return names, values


def _as_daily(diary: "Daily | list[DayRow]") -> Daily | None:
    if isinstance(diary, Daily):
        return diary if len(diary) else None
    return Daily.from_rows(diary) if diary else None


def _diary(daily: Daily) -> _Diary:
    """The calendar-day arrays of the pain and of every factor with any data."""
    length = len(daily)
    pain, sleep, quality, minutes, stress, practices, attempts = daily.measures.T
    checked_in = ~np.isnan(pain)
    factors: list[tuple[Factor, np.ndarray]] = []

    def add(factor: Factor, values: np.ndarray, derived: np.ndarray | None = None):
        if not np.isnan(values).all():
            factors.append((factor, values if derived is None else derived))

    add(SLEEP_HOURS, sleep)
    add(SHORT_SLEEP, sleep, np.where(np.isnan(sleep), math.nan, sleep < SHORT_SLEEP_HOURS))
    add(SLEEP_QUALITY, quality)
    add(MOVEMENT, minutes / MOVEMENT_UNIT_MINUTES)
    moved = np.where(np.isnan(minutes), math.nan, minutes >= MOVED_ENOUGH_MINUTES)
    add(MOVED_ENOUGH, minutes, moved)
    add(STRESS, stress)

    for name, daily_values in zip(daily.emotion_names, daily.emotions, strict=True):
        factors.append((_emotion_factor(name), daily_values))
    first_use: dict[str, int] = {}
    for name, used in zip(daily.tag_names, daily.tags, strict=True):
        first_use[f"tag:{name}"] = int(np.argmax(~np.isnan(used)))
        present = np.where(np.isnan(used), 0.0, 1.0)
        present[~checked_in] = math.nan  # present or absent is known only with a check-in
        factors.append((_tag_factor(name), present))

    # Known on every day: the app records each practice and try (nan > 0 is False).
    for factor, counts in ((PRACTICE, practices), (EXPOSURE, attempts)):
        if (counts > 0).any():
            factors.append((factor, (counts > 0).astype(float)))
    values = np.array([values for _, values in factors]).reshape(len(factors), length)
    known_from = np.array([first_use.get(factor.id, 0) for factor, _ in factors], dtype=np.intp)
    return _Diary(daily.first, pain, [factor for factor, _ in factors], values, known_from)


def factors_for(diary: "Daily | list[DayRow]") -> list[Factor]:
    """The factors this diary has any data for, in the order they are analysed."""
    daily = _as_daily(diary)
    return [] if daily is None else _diary(daily).factors


# --- Adjusting for the day of the week and the slow trend ----------------------------------


MAX_PERSISTENCE = 0.97  # the pain errors' AR(1) coefficient is capped here
PERSISTENCE_LAGS = 5  # the lags whose autocorrelations estimate it


def trend_cosines(span_days: int, n: int) -> int:
    """How many trend cosines a fit over `span_days` calendar days and `n` days of data gets."""
    return max(1, min(span_days // DAYS_PER_TREND_COSINE, MAX_TREND_COSINES, n // 10))


def adjustment_columns(day_numbers: np.ndarray, first_weekday: int = 0) -> np.ndarray:
    """Intercept, day-of-week indicators and trend cosines for the outcome days of one fit.

    `day_numbers`: increasing day numbers of the outcome days (day 0 is a `first_weekday`,
    Monday = 0). Weekdays absent from the fit get no column; the first present is the
    reference. The cosines are cos(pi j (d - d0 + 1/2) / span), j = 1..k, over the fit's own
    span, built by the Chebyshev recurrence cos(j a) = 2 cos(a) cos((j-1) a) - cos((j-2) a).
    """
    n = len(day_numbers)
    weekday = (day_numbers + first_weekday) % 7
    present = np.flatnonzero(np.bincount(weekday, minlength=7))
    span = int(day_numbers[-1] - day_numbers[0]) + 1
    cosines = trend_cosines(span, n)
    start = len(present)
    columns = np.empty((start + cosines, n))  # one row per column: contiguous to fill
    columns[0] = 1.0
    columns[1:start] = weekday == present[1:, None]
    columns[start] = np.cos(np.pi * (day_numbers - day_numbers[0] + 0.5) / span)
    twice = 2 * columns[start]
    if cosines > 1:
        np.multiply(twice, columns[start], out=columns[start + 1])
        columns[start + 1] -= 1
    for j in range(start + 2, start + cosines):
        np.multiply(twice, columns[j - 1], out=columns[j])
        columns[j] -= columns[j - 2]
    return columns.T


def _partial_out(nuisance: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, int]:
    """The residuals of each column of `data` on the nuisance columns, and their rank.

    By the normal equations: the nuisance columns are few (at most 31) and well conditioned
    (indicators and cosines), and a few small matrix products are much faster than a QR
    decomposition of the tall matrix, above all when the server's cores are busy.
    """
    gram = nuisance.T @ nuisance
    try:
        factor = np.linalg.cholesky(gram)
        diagonal = np.diag(factor)
        if diagonal.min() > 1e-6 * diagonal.max():
            coefficients = np.linalg.solve(gram, nuisance.T @ data)
            return data - nuisance @ coefficients, nuisance.shape[1]
    except np.linalg.LinAlgError:
        pass
    left, singular, _ = np.linalg.svd(nuisance, full_matrices=False)  # collinear: rare
    basis = left[:, singular > 1e-9 * singular[0]]
    return data - basis @ (basis.T @ data), basis.shape[1]


# --- How long pain stays up or down --------------------------------------------------------


def _adjustment_frequencies(span_days: int, n: int) -> np.ndarray:
    """The frequencies (radians a day) the adjustment columns take out of a fit's residuals:
    0 (the intercept), pi j / span for the trend cosines, and the weekly 2 pi m / 7, m = 1..3,
    twice each (the six weekday indicators span a cosine and a sine at each)."""
    trend = np.pi * np.arange(1, trend_cosines(span_days, n) + 1) / span_days
    weekly = np.repeat(2 * np.pi * np.arange(1, 4) / 7, 2)
    return np.concatenate([[0.0], trend, weekly])


def expected_autocorrelation(rho: float, lag: int, n: int, span_days: int) -> float:
    """The lag-`lag` autocorrelation that the residuals of a fit are expected to show when the
    errors are AR(1) with coefficient `rho` (variance 1).

    Each adjustment column at frequency w takes with it about f(w) of the residuals'
    variance and f(w) cos(lag w) of their lag-`lag` autocovariance, f being the AR(1)
    spectrum (1 - rho^2) / (1 - 2 rho cos w + rho^2). The cosines are nearly eigenvectors of
    the errors' covariance, so this is close to the exact E[u'M A M u] / E[u'M u] (tested:
    within 0.01 up to rho = 0.6; at 0.9 up to 0.05 low at lag 5, which corrects a little too
    much). Low-frequency columns take much of a persistent series, so the residuals look
    less persistent than the errors are.
    """
    frequencies = _adjustment_frequencies(span_days, n)
    spectrum = (1 - rho**2) / (1 - 2 * rho * np.cos(frequencies) + rho**2)
    kept = n - spectrum.sum()
    if kept < n / 4:  # the adjustment would take most of it: no reliable correction
        return math.nan
    return float((n * rho**lag - (spectrum * np.cos(lag * frequencies)).sum()) / kept)


def pain_persistence(day_numbers: np.ndarray, pain: np.ndarray, first_weekday: int = 0) -> float:
    """The AR(1) coefficient of the day-to-day pain errors, 0 to MAX_PERSISTENCE.

    From the residuals of pain on the adjustment columns over every day with a check-in: for
    each lag l = 1..PERSISTENCE_LAGS the autocorrelation r_l over the pairs of days exactly l
    days apart, corrected once for the bias the adjustment columns give it (r_l + rho_0^l -
    E[r_l | rho_0], rho_0 = r_l^(1/l), see `expected_autocorrelation`), then the largest
    r_l^(1/l). Taking the slowest decay of the first five lags, not lag 1 alone, whitens
    more nearly enough when pain is a persistent level plus day-to-day noise (then r_1
    understates the persistence); whitening too much leaves only short negative correlation,
    which the Newey-West step takes care of (see `_fit_group`). With pure AR(1) errors the
    largest of five estimates is a little above the truth in a short diary (about +0.05 in a
    year), which errs on the side of wider intervals.
    """
    n = len(day_numbers)
    if n < MIN_DAYS_NUMERIC:
        return 0.0
    nuisance = adjustment_columns(day_numbers, first_weekday)
    residuals = _partial_out(nuisance, pain[:, None])[0][:, 0]
    span = int(day_numbers[-1] - day_numbers[0]) + 1
    grid = np.full(span + PERSISTENCE_LAGS, math.nan)
    grid[day_numbers - day_numbers[0]] = residuals
    variance = (residuals**2).sum() / n
    if variance <= 0:
        return 0.0
    persistence = 0.0
    for lag in range(1, PERSISTENCE_LAGS + 1):
        products = grid[:-lag] * grid[lag:]
        pairs = ~np.isnan(products)
        if pairs.sum() < MIN_DAYS_NUMERIC:
            break
        r = products[pairs].mean() / variance
        if r <= 0:
            break
        start = min(r ** (1 / lag), MAX_PERSISTENCE)
        expected = expected_autocorrelation(start, lag, n, span)
        if math.isnan(expected):
            return MAX_PERSISTENCE
        corrected = r + start**lag - expected
        if corrected > 0:
            persistence = max(persistence, corrected ** (1 / lag))
    return min(persistence, MAX_PERSISTENCE)


def _whiten(series: np.ndarray, decay: np.ndarray) -> np.ndarray:
    """L @ each row: the AR(1) innovations of a series on some days, in units of its standard
    deviation: e_0 = s_0 and e_t = (s_t - a_t s_{t-1}) / sqrt(1 - a_t^2), where `decay` holds
    a_t = rho^(d_t - d_{t-1}), rho to the gap in days since the previous day with data.
    L'L is the inverse of the AR(1) correlation matrix R = rho^|d_t - d_s| of those days."""
    whitened = np.empty_like(series)
    whitened[:, 0] = series[:, 0]
    whitened[:, 1:] = (series[:, 1:] - decay * series[:, :-1]) / np.sqrt(1 - decay**2)
    return whitened


def _recolour(
    series: np.ndarray, day_numbers: np.ndarray, decay: np.ndarray, rho: float
) -> np.ndarray:
    """L R @ each row (= L'^-1 @ it), with L and R as in `_whiten`: b_t sqrt(1 - a_t^2) (the
    root is 1 at t = 0), where b_t = sum over s >= t of rho^(d_s - d_t) x_s is the backward
    AR(1) filter, run over the calendar (zero on the days without data)."""
    backwards = day_numbers[-1] - day_numbers  # calendar positions, last day first
    calendar = np.zeros((len(series), backwards[0] + 1))
    calendar[:, backwards] = series
    filtered = lfilter([1.0], [1.0, -rho], calendar, axis=1)[:, backwards]
    filtered[:, 1:] *= np.sqrt(1 - decay**2)
    return filtered


# --- The fits ------------------------------------------------------------------------------


def andrews_lags(first_autocorrelation: np.ndarray, n: int) -> np.ndarray:
    """Andrews' (1991) AR(1) plug-in bandwidth for the Bartlett kernel, 1.1447 (alpha n)^(1/3)
    with alpha = 4 a^2 / ((1 - a)^2 (1 + a)^2), as whole lags L (weights 1 - l / (L + 1))."""
    a = np.clip(first_autocorrelation, -MAX_PERSISTENCE, MAX_PERSISTENCE)
    alpha = 4 * a**2 / ((1 - a) ** 2 * (1 + a) ** 2)
    return np.minimum(np.floor(1.1447 * (alpha * n) ** (1 / 3)), max(n - 1, 0)).astype(int)


def bartlett_sums(series: np.ndarray, lags: np.ndarray, squared_from: int | None = None):
    """For each row s with its L: sum over |l| <= L of w_l sum_t s_t s_{t-l}, with the Bartlett
    weights w_l = 1 - |l| / (L + 1): the Newey-West sum of statsmodels' `S_hac_simple(s,
    nlags=L)`. Rows from `squared_from` on get the squared weights w_l^2 instead."""
    total = np.einsum("ij,ij->i", series, series)
    power = np.ones(len(series))
    if squared_from is not None:
        power[squared_from:] = 2
    for lag in range(1, int(lags.max(initial=0)) + 1):
        weight = np.maximum(1 - lag / (lags + 1), 0.0) ** power
        total += 2 * weight * np.einsum("ij,ij->i", series[:, lag:], series[:, :-lag])
    return total


@dataclass(frozen=True)
class _Fit:
    effect: np.ndarray
    se: np.ndarray
    df: np.ndarray  # degrees of freedom of the t reference
    testable: np.ndarray  # False: the factor moves only with weekday and trend
    lags: np.ndarray  # Newey-West lags of the whitened scores


def _fit_group(
    y: np.ndarray,
    x: np.ndarray,
    nuisance: np.ndarray,
    day_numbers: np.ndarray | None = None,
    persistence: float = 0.0,
    starts: np.ndarray | None = None,
) -> _Fit:
    """OLS of y on each column of x (separately) plus the nuisance columns, by partialling out,
    with a standard error that allows for pain errors that persist from day to day.

    The coefficient is the full regression's (Frisch-Waugh-Lovell): x_r' y / (x_r' x_r), x_r
    the factor's residual on the nuisance columns, and the residuals u are those of y's
    residual on x_r. Its variance is Var(x_r' u) / (x_r' x_r)^2. With R the AR(1)
    correlation of the errors on the days used (coefficient `persistence`, gaps included)
    and L'L = R^-1 (`_whiten`): x_r' u = z' e with z = L R x_r and e = L u, and e is about
    uncorrelated from day to day when the errors are AR(1), so Var(z' e) is estimated by the
    Newey-West sum of the scores z_t e_t (Bartlett kernel, Andrews' plug-in number of lags
    from their lag-1 autocorrelation, usually 0 to 2: what the AR(1) missed), times the
    small-sample factor n / (n - k). Without persistence, z = x_r and e = u: exactly
    statsmodels' `OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction":
    True})` (tested; with persistence, the scores are tested against statsmodels'
    `S_hac_simple` and L, R against their definitions). It stays robust to errors whose
    spread changes with the factor. z' z = x_r' R x_r is the variance the AR(1) model alone
    would give.

    `starts`: per factor, the first row it is known on (a tag's first use; 0 for the rest).
    The rows before get x = 0 and an indicator column of their own for that factor, which is
    partialled out of x_r and y factor by factor (one more column in k), so that those days
    are not counted as "without" but still inform the weekday and trend columns.

    Degrees of freedom: a Satterthwaite approximation to the spread of that variance were
    the whitened errors independent, (sum z^2)^2 / sum_l w_l^2 sum_t z[t]^2 z[t-l]^2 over lags
    -L..L, at most n - k. It is about the number of "yes" days for a rare yes/no factor (as
    in Welch's t-test), and falls as factor and pain persist together: z then carries the
    factor's slow swings, and few of them fit in the diary.
    """
    n, count = x.shape
    if day_numbers is None:
        day_numbers = np.arange(n)
    starts = np.zeros(count, dtype=np.intp) if starts is None else starts
    late = np.flatnonzero(starts > 0)
    data = np.empty((n, 1 + count + len(late)))
    data[:, 0] = y
    data[:, 1 : 1 + count] = x
    data[:, 1 + count :] = np.arange(n)[:, None] < starts[late]  # before: its own level
    residuals, rank = _partial_out(nuisance, data)
    residuals = np.ascontiguousarray(residuals.T)  # one row per column from here on
    y_resid = np.broadcast_to(residuals[0], (count, n))
    x_resid = residuals[1 : 1 + count]
    k = np.full(count, rank + 1)
    if len(late):  # partial the factor and y out of that level too, factor by factor
        before = residuals[1 + count :]
        size = np.maximum(np.einsum("ij,ij->i", before, before), 1e-300)
        x_resid[late] -= before * (np.einsum("ij,ij->i", x_resid[late], before) / size)[:, None]
        y_resid = y_resid.copy()
        y_resid[late] -= before * ((before @ residuals[0]) / size)[:, None]
        k[late] += 1
    sxx = np.einsum("ij,ij->i", x_resid, x_resid)
    testable = sxx > 1e-8 * np.einsum("ij,ij->j", x, x)
    sxx = np.where(testable, sxx, 1.0)
    effect = np.einsum("ij,ij->i", x_resid, y_resid) / sxx
    errors = y_resid - x_resid * effect[:, None]
    if persistence > 0:
        gaps = np.diff(day_numbers)
        decay = (persistence ** np.arange(gaps.max(initial=1) + 1))[gaps]  # rho^gap
        errors = _whiten(errors, decay)
        x_resid = _recolour(x_resid, day_numbers, decay, persistence)
    scores = x_resid * errors
    ahead, behind = scores[:, 1:], scores[:, :-1]
    first = np.einsum("ij,ij->i", ahead, behind) / np.maximum(
        np.einsum("ij,ij->i", behind, behind), 1e-300
    )
    lags = andrews_lags(first, n)
    squares = x_resid**2
    sums = bartlett_sums(np.concatenate([scores, squares]), np.tile(lags, 2), count)
    variance = np.maximum(sums[:count], 0.0) / sxx**2 * n / np.maximum(n - k, 1)
    df = np.minimum(squares.sum(axis=1) ** 2 / np.maximum(sums[count:], 1e-300), n - k)
    return _Fit(effect, np.sqrt(variance), df, testable & (n > k), lags)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the order given."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    q = np.empty(m)
    q[order] = adjusted
    return q


def _needed(factor: Factor) -> str:
    if factor.kind == "yes_no":
        return f"{MIN_DAYS_EACH_STATE} days with and {MIN_DAYS_EACH_STATE} without"
    return f"{MIN_DAYS_NUMERIC} days"


UNIDENTIFIED = "changes apart from the day of the week and the slow trend"


# Many small matrix products: numpy's BLAS threads only wait for each other, and for the
# cores, when the server is busy (measured: 3-10 times slower); one thread is fastest.
_BLAS = ThreadpoolController()


def analyse(diary: "Daily | list[DayRow]", *, fdr: float = 0.05) -> Analysis:
    """Every factor with enough data against same-day and next-day pain; see the module text."""
    with _BLAS.limit(limits=1, user_api="blas"):
        return _analyse(_as_daily(diary), fdr)


def _analyse(daily: Daily | None, fdr: float) -> Analysis:
    if daily is None:
        return Analysis([], [], 0, fdr, 0)
    diary = _diary(daily)
    pain = diary.pain
    length = len(pain)
    first_weekday = diary.first.weekday()
    yes_no = np.array([factor.kind == "yes_no" for factor in diary.factors], dtype=bool)
    known = ~np.isnan(diary.values)
    # (factor number, lag) -> days used, "yes" days and "no" days (None for numeric factors)
    counts: dict[tuple[int, int], tuple[int, int | None, int | None]] = {}
    groups: dict[tuple[int, bytes], list[int]] = {}  # factors that share their days are
    masks: dict[tuple[int, bytes], np.ndarray] = {}  # fitted together
    for lag in LAGS:
        used = known[:, : max(length - lag, 0)] & ~np.isnan(pain[lag:])
        # Counted: the days used on which the factor is known (a tag: from its first use).
        counted = used & (np.arange(used.shape[1]) >= diary.known_from[:, None])
        n = counted.sum(axis=1)
        n_yes = (counted & (diary.values[:, : used.shape[1]] == 1)).sum(axis=1)
        enough = np.where(
            yes_no,
            np.minimum(n_yes, n - n_yes) >= MIN_DAYS_EACH_STATE,
            n >= MIN_DAYS_NUMERIC,
        )
        for number in range(len(diary.factors)):
            if yes_no[number]:
                counts[number, lag] = (
                    int(n[number]),
                    int(n_yes[number]),
                    int(n[number] - n_yes[number]),
                )
            else:
                counts[number, lag] = (int(n[number]), None, None)
            if enough[number]:
                key = (lag, used[number].tobytes())
                groups.setdefault(key, []).append(number)
                masks[key] = used[number]

    pain_days = np.flatnonzero(~np.isnan(pain))
    persistence = pain_persistence(pain_days, pain[pain_days], first_weekday)
    # (factor number, lag) -> (effect, standard error, degrees of freedom, typical change)
    results: dict[tuple[int, int], tuple[float, float, float, float | None]] = {}
    unidentified: set[tuple[int, int]] = set()
    for key, numbers in groups.items():
        lag = key[0]
        days = np.flatnonzero(masks[key])
        x = diary.values[numbers][:, days].T
        outcome_days = days + lag
        nuisance = adjustment_columns(outcome_days, first_weekday)
        starts = np.searchsorted(days, diary.known_from[numbers])
        fit = _fit_group(pain[outcome_days], x, nuisance, outcome_days, persistence, starts)
        numeric = ~yes_no[numbers]
        typical = np.full(len(numbers), math.nan)
        if numeric.any():
            typical[numeric] = typical_changes(x[:, numeric])
        for column, number in enumerate(numbers):
            if not fit.testable[column]:
                unidentified.add((number, lag))
                continue
            change = None if yes_no[number] else float(typical[column])
            results[number, lag] = (
                float(fit.effect[column]),
                float(fit.se[column]),
                float(fit.df[column]),
                change,
            )

    not_enough = []
    for number, factor in enumerate(diary.factors):
        untested = [lag for lag in LAGS if (number, lag) not in results]
        if len(untested) == len(LAGS):
            untested = [None]  # at neither lag: said once, with the same-day counts
        for lag in untested:
            n, n_yes, n_no = counts[number, lag or 0]
            reason = UNIDENTIFIED if (number, lag or 0) in unidentified else _needed(factor)
            not_enough.append(NotEnough(factor, n, n_yes, n_no, reason, lag_days=lag))

    findings = []
    if results:
        keys = list(results)
        effect, se, df = (np.array([results[key][i] for key in keys]) for i in range(3))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(se > 0, np.abs(effect) / se, np.where(effect == 0, 0.0, np.inf))
        p = 2 * stdtr(df, -t)
        q = benjamini_hochberg(p)
        half_width = stdtrit(df, 0.5 + CONFIDENCE / 2) * se
        for i, (number, lag) in enumerate(keys):
            n, n_yes, n_no = counts[number, lag]
            change = results[number, lag][3]
            findings.append(
                Finding(
                    factor=diary.factors[number],
                    outcome=OUTCOME,
                    lag_days=lag,
                    effect=float(effect[i]),
                    ci_low=float(effect[i] - half_width[i]),
                    ci_high=float(effect[i] + half_width[i]),
                    p=float(p[i]),
                    q=float(q[i]),
                    n_days=n,
                    n_yes=n_yes,
                    n_no=n_no,
                    significant=bool(q[i] <= fdr),
                    typical_change=change,
                    typical_effect=float(effect[i] * (1.0 if change is None else change)),
                )
            )
    findings.sort(key=_order)
    return Analysis(
        findings=findings,
        not_enough=not_enough,
        tested=len(findings),
        fdr=fdr,
        days=len(pain_days),
        persistence=persistence,
    )


def typical_changes(x: np.ndarray) -> np.ndarray:
    """For each column of factor values: its interquartile range, or, where the middle half of
    the days share one value, its standard deviation (0 only for a constant column)."""
    ordered = np.sort(x, axis=0)
    # The quartiles as numpy's default (linear) percentile has them, without its overhead.
    low, high = (_quantile(ordered, fraction) for fraction in (0.25, 0.75))
    return np.where(high > low, high - low, x.std(axis=0))


def _quantile(ordered: np.ndarray, fraction: float) -> np.ndarray:
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def _order(finding: Finding) -> tuple:
    """Significant findings first, by the size of the typical effect (what a typical change in
    the factor went with, so that an hour of sleep, 10 minutes of movement and a yes/no
    compare); then the rest by p."""
    size = finding.typical_effect if finding.typical_effect is not None else finding.effect
    return (
        not finding.significant,
        -abs(size) if finding.significant else finding.p,
        finding.factor.id,
        finding.lag_days,
    )


# --- Trends --------------------------------------------------------------------------------


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def trends(diary: "Daily | list[DayRow]", *, today: dt.date) -> Trends:
    """Recent averages of the daily mean pain, the change since the first week, and each
    week's status against the PRT trial's outcome (a week's average pain 0 or 1 of 10).

    Days without a check-in are left out of every average rather than counted as zero pain.
    A week's average counts as "pain-free or nearly" when it is at most 1 (not rounded: the
    app errs on the side of not claiming it), and only with MIN_DAYS_FOR_WEEK_STATUS days.
    Like `analyse`, it takes one DayRow per date: two for one date are refused (ValueError).
    """
    daily = _as_daily(diary)
    pain = []
    if daily is not None:
        first = daily.first.toordinal()
        means = daily.measures[:, MEASURES.index(OUTCOME)]
        pain = [
            (dt.date.fromordinal(first + day), float(means[day]))
            for day in np.flatnonzero(~np.isnan(means[: max(today.toordinal() - first + 1, 0)]))
        ]
    if not pain:
        return Trends(None, None, None, None, [])

    def average_between(first: dt.date, last: dt.date) -> float | None:
        return _mean([value for day, value in pain if first <= day <= last])

    start = pain[0][0]
    last_week_starts = today - dt.timedelta(days=6)
    first_week_ends = start + dt.timedelta(days=6)
    average_7 = average_between(last_week_starts, today)
    first_week_average = average_between(start, first_week_ends)
    change = None
    if average_7 is not None and last_week_starts > first_week_ends:
        change = average_7 - first_week_average

    by_week: dict[int, list[float]] = {}
    for day, value in pain:
        by_week.setdefault((day - start).days // 7, []).append(value)
    weeks = []
    for number in range((today - start).days // 7 + 1):
        values = by_week.get(number, [])
        average = _mean(values)
        status = None
        if len(values) >= MIN_DAYS_FOR_WEEK_STATUS:
            status = average <= PAIN_FREE_OR_NEARLY
        weeks.append(
            WeekStatus(start + dt.timedelta(days=7 * number), average, len(values), status)
        )
    return Trends(
        average_7=average_7,
        average_28=average_between(today - dt.timedelta(days=27), today),
        first_week_average=first_week_average,
        change_since_start=change,
        weeks=weeks,
    )


# --- Words ---------------------------------------------------------------------------------


def _number(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _relative(value: float, digits: int = 1) -> str:
    if round(value, digits) == 0:
        return _number(0.0, digits)
    return f"{abs(value):.{digits}f} {'higher' if value > 0 else 'lower'}"


def finding_words(finding: Finding) -> str:
    """One plain sentence: what went with the factor, by how much, and the 95% interval.

    Describes an association in the diary, never a cause. Sleep is recorded on the day after
    the night, so at lag 1 a sleep factor's pain is two days after the night: "For each extra
    hour of sleep the night before a day, your pain the day after that averaged ...".

    The interval is written as magnitudes in the direction stated ("0.4 points lower (0.1 to
    0.7)"); an interval that crosses zero says both ends in words ("0.2 points higher (from
    0.2 lower to 0.6 higher)"), since a signed range in a sentence that already says "lower"
    reads backwards.
    """
    factor = finding.factor
    sleep = factor.id in SLEEP_FACTORS
    same_day = finding.lag_days == 0
    if factor.kind == "yes_no":
        opening = f"On days {'after ' if sleep else ''}you {factor.label}"
    elif sleep:  # the night before the day it is recorded on
        opening = f"For each extra {factor.unit} the night before{'' if same_day else ' a day'}"
    else:
        opening = f"For each extra {factor.unit}"
    if same_day:
        pain = "your pain averaged" if factor.kind == "yes_no" else "your pain that day averaged"
    elif sleep:  # not "the next day", which could be read as the day after the night
        pain = "your pain the day after that averaged"
    else:
        pain = "your pain the next day averaged"
    return _worded_effect(f"{opening}, {pain}", finding) + _over_usual_range(finding) + "."


def _worded_effect(start: str, finding: Finding) -> str:
    effect, low, high = finding.effect, finding.ci_low, finding.ci_high
    # A clear per-unit effect too small for one decimal (per 10 minutes of movement, say)
    # gets two, rather than reading "about the same" beside its size over the usual range.
    small = finding.factor.kind == "numeric" and finding.significant and round(effect, 1) == 0
    digits = 2 if small else 1
    if round(effect, digits) == 0:
        return f"{start} about the same (from {_relative(low)} to {_relative(high)})"
    said = f"{start} {abs(effect):.{digits}f} points {'higher' if effect > 0 else 'lower'}"
    if low < 0 < high:
        return f"{said} (from {_relative(low, digits)} to {_relative(high, digits)})"
    direction = 1 if effect > 0 else -1
    low, high = sorted((direction * low, direction * high))
    return f"{said} ({_number(low, digits)} to {_number(high, digits)})"


def _over_usual_range(finding: Finding) -> str:
    """For a clear finding about a numeric factor, what the findings are ranked by: the
    difference in pain across the factor's usual range on the person's days (see
    `typical_changes`), with its direction."""
    if finding.factor.kind != "numeric" or not finding.significant or not finding.typical_effect:
        return ""
    size = finding.typical_effect
    if round(size, 1) == 0:
        return f"; across your usual range of {finding.factor.label}, almost no difference"
    direction = "higher" if size > 0 else "lower"
    return (
        f"; across your usual range of {finding.factor.label}, about {abs(size):.1f} points "
        f"{direction}"
    )
