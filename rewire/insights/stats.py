"""What goes with higher or lower pain in one person's diary, and how pain is trending.

Plain Python with numpy and scipy; no Django, so it is fast to test and easy to read. The
Django side turns the diary into `DayRow`s (one per local date) and shows what comes back.

The model, for each factor and each lag (0: pain the same day, 1: the next calendar day's):

    pain[d + lag] = effect * factor[d] + day of week + slow trend + error

fitted by ordinary least squares on the days where both the factor and that pain are known.

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
- Errors: a day's pain is like the day before's, so ordinary standard errors are too narrow.
  The standard error is Newey-West (Bartlett kernel, floor(4 (n/100)^(2/9)) lags, at least
  one) with the small-sample factor n / (n - k), exactly statsmodels' `OLS(y, X).fit(
  cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True})` (tested). The days
  used are taken in date order and a missed day is closed up, as statsmodels does. The
  p-value and 95% interval use Student's t with Satterthwaite degrees of freedom (see
  `_fit_group`), which matter for yes/no factors with few "yes" days.
- Many factors are tested, so the q-value of each test is its Benjamini-Hochberg adjusted
  p-value across every (factor, lag) tested; `significant` means q <= the FDR level.

In simulated diaries (tests/test_insights_stats.py) the 95% intervals cover the truth
93-95% of the time, null factors reach p <= 0.05 5.3-5.5% of the time, and the share of
false findings is 0.047 at a year and 0.054 (+-0.004) at five and ten years, against an FDR
level of 0.05. Without the two small-sample steps a year gave 93.1% coverage and 0.069.

A factor is tested when it has enough data: a yes/no factor needs 7 days in each state, a
numeric one 21 days, counted on the days used for that lag; a factor that moves only with
the weekday and the trend cannot be told apart from them and is listed with the rest that
could not be tested. Emotions are numeric on the days they were rated; a day without a
rating for an emotion is missing for it, not zero, since not rating "anxious" is not the
same as rating it 0. Tags are present or absent on days with a check-in; practices and
fear-ladder tries are known on every day (the app records them).

Only the coefficient of the factor is needed, so each fit partials out day of week and
trend first (Frisch-Waugh-Lovell): the effect, residuals and Newey-West variance are those
of the full regression, and factors known on the same days share one decomposition. Ten
years with 37 factors take about 25 ms on a busy two-core machine, growing linearly with the
days.
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
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
    pain_max: int | None
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
    n_days: int  # days used in the fit
    n_yes: int | None  # yes/no factors only
    n_no: int | None
    significant: bool  # q <= the FDR level


@dataclass(frozen=True)
class NotEnough:
    factor: Factor
    n_days: int  # days with the factor and a pain rating that day
    n_yes: int | None
    n_no: int | None
    needed: str  # e.g. "7 days with and 7 without"


@dataclass(frozen=True)
class Analysis:
    findings: list[Finding]  # significant ones by size of effect, largest first; the rest by p
    not_enough: list[NotEnough]
    tested: int  # (factor, lag) pairs tested
    fdr: float
    days: int  # days with a pain rating


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


def _named_series(day_numbers: list[int], per_row: list, length: int, values: bool = True):
    """(name, one value per calendar day, nan where absent) for each name in the rows, sorted
    by name; `per_row` holds a {name: value} dict per row, or a set of names if not `values`
    (each then 1.0)."""
    days = [day for day, named in zip(day_numbers, per_row, strict=True) for _ in named]
    names = [name for named in per_row for name in named]
    unique = sorted(set(names))
    position = {name: number for number, name in enumerate(unique)}
    daily = np.full((len(unique), length), math.nan)
    numbers = [value for named in per_row for value in named.values()] if values else 1.0
    daily[[position[name] for name in names], days] = numbers
    return list(zip(unique, daily, strict=True))


def _diary(rows: list[DayRow]) -> _Diary:
    """The calendar-day arrays of the pain and of every factor with any data."""
    rows = sorted(rows, key=lambda row: row.date)
    first = rows[0].date.toordinal()
    day_numbers = [row.date.toordinal() - first for row in rows]
    index = np.array(day_numbers, dtype=np.intp)
    if (np.diff(index) == 0).any():
        raise ValueError("Two rows for one date: one DayRow per date.")
    length = day_numbers[-1] + 1
    measures = np.full((length, 7), math.nan)
    measures[index] = np.array(
        [
            (
                row.pain_mean,
                row.sleep_hours,
                row.sleep_quality,
                row.movement_minutes,
                row.stress,
                row.practices,
                row.exposure_attempts,
            )
            for row in rows
        ],
        dtype=float,
    )  # None becomes nan
    pain, sleep, quality, minutes, stress, practices, attempts = measures.T
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

    for name, daily in _named_series(day_numbers, [row.emotions for row in rows], length):
        factors.append((_emotion_factor(name), daily))
    tags = [row.tags for row in rows]
    for name, daily in _named_series(day_numbers, tags, length, values=False):
        daily[np.isnan(daily)] = 0.0
        daily[~checked_in] = math.nan  # present or absent is known only with a check-in
        factors.append((_tag_factor(name), daily))

    # Known on every day: the app records each practice and try (nan > 0 is False).
    for factor, counts in ((PRACTICE, practices), (EXPOSURE, attempts)):
        if (counts > 0).any():
            factors.append((factor, (counts > 0).astype(float)))
    values = np.array([daily for _, daily in factors]).reshape(len(factors), length)
    return _Diary(rows[0].date, pain, [factor for factor, _ in factors], values)


def factors_for(rows: list[DayRow]) -> list[Factor]:
    """The factors this diary has any data for, in the order they are analysed."""
    if not rows:
        return []
    return _diary(rows).factors


# --- The fits ------------------------------------------------------------------------------


def newey_west_lags(n: int) -> int:
    """The usual automatic bandwidth floor(4 (n/100)^(2/9)), at least one lag."""
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


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
    if cosines > 1:
        columns[start + 1] = 2 * columns[start] ** 2 - 1
    for j in range(start + 2, start + cosines):
        columns[j] = 2 * columns[start] * columns[j - 1] - columns[j - 2]
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


@dataclass(frozen=True)
class _Fit:
    effect: np.ndarray
    se: np.ndarray
    df: np.ndarray  # degrees of freedom of the t reference
    testable: np.ndarray  # False: the factor moves only with weekday and trend


def _fit_group(y: np.ndarray, x: np.ndarray, nuisance: np.ndarray) -> _Fit:
    """OLS of y on each column of x (separately) plus the nuisance columns, by partialling out.

    The coefficient and Newey-West standard error of each column equal those of the full
    regression (Frisch-Waugh-Lovell): the factor's row of (X'X)^-1 X' is x_r' / (x_r' x_r),
    with x_r the factor's residual on the nuisance columns, and the full regression's
    residuals are those of y's residual on x_r. The variance is statsmodels' HAC with
    `use_correction=True`: the Bartlett-weighted sum of the scores x_r * residual, over
    (x_r' x_r)^2, times n / (n - k).

    Degrees of freedom: a Satterthwaite approximation to the spread of that variance were the
    errors independent, (sum x_r^2)^2 / sum_l w_l^2 sum_t x_r[t]^2 x_r[t-l]^2 over lags
    -L..L, at most n - k. It is about the number of "yes" days for a rare yes/no factor (as
    in Welch's t-test) and about n / (1 + 2 sum w_l^2) for a common one (the Bartlett
    window's equivalent degrees of freedom). With n - k instead, rare factors' intervals were
    too narrow in simulation and the false discovery rate rose above its level.
    """
    data = np.empty((len(y), 1 + x.shape[1]))
    data[:, 0] = y
    data[:, 1:] = x
    residuals, rank = _partial_out(nuisance, data)
    y_resid = residuals[:, 0]
    x_resid = np.ascontiguousarray(residuals[:, 1:].T)  # one row per factor from here on
    x_squared = x_resid**2
    sxx = x_squared.sum(axis=1)
    testable = sxx > 1e-8 * (x**2).sum(axis=0)
    sxx = np.where(testable, sxx, 1.0)
    effect = (x_resid @ y_resid) / sxx
    scores = x_resid * (y_resid - x_resid * effect[:, None])
    n = len(y)
    k = rank + 1
    lags = newey_west_lags(n)
    meat = (scores**2).sum(axis=1)
    fourth = (x_squared**2).sum(axis=1)
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        meat += 2 * weight * (scores[:, lag:] * scores[:, :-lag]).sum(axis=1)
        fourth += 2 * weight**2 * (x_squared[:, lag:] * x_squared[:, :-lag]).sum(axis=1)
    variance = np.maximum(meat, 0.0) / sxx**2 * n / max(n - k, 1)
    df = np.minimum(sxx**2 / np.maximum(fourth, 1e-300), n - k)
    return _Fit(effect, np.sqrt(variance), df, testable & (n > k))


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


def analyse(rows: list[DayRow], *, fdr: float = 0.05) -> Analysis:
    """Every factor with enough data against same-day and next-day pain; see the module text."""
    with _BLAS.limit(limits=1, user_api="blas"):
        return _analyse(rows, fdr)


def _analyse(rows: list[DayRow], fdr: float) -> Analysis:
    if not rows:
        return Analysis([], [], 0, fdr, 0)
    diary = _diary(rows)
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
        n = used.sum(axis=1)
        n_yes = (used & (diary.values[:, : used.shape[1]] == 1)).sum(axis=1)
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

    results = []  # (factor number, lag, effect, standard error, degrees of freedom)
    unidentified: set[int] = set()
    for key, numbers in groups.items():
        lag = key[0]
        days = np.flatnonzero(masks[key])
        x = diary.values[numbers][:, days].T
        fit = _fit_group(pain[days + lag], x, adjustment_columns(days + lag, first_weekday))
        for column, number in enumerate(numbers):
            if fit.testable[column]:
                results.append((number, lag, fit.effect[column], fit.se[column], fit.df[column]))
            else:
                unidentified.add(number)

    tested_factors = {number for number, *_ in results}
    not_enough = []
    for number, factor in enumerate(diary.factors):
        if number in tested_factors:
            continue
        n, n_yes, n_no = counts[number, 0]
        needed = UNIDENTIFIED if number in unidentified else _needed(factor)
        not_enough.append(NotEnough(factor, n, n_yes, n_no, needed))

    findings = []
    if results:
        effect = np.array([r[2] for r in results])
        se = np.array([r[3] for r in results])
        df = np.array([r[4] for r in results], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(se > 0, np.abs(effect) / se, np.where(effect == 0, 0.0, np.inf))
        p = 2 * stdtr(df, -t)
        q = benjamini_hochberg(p)
        half_width = stdtrit(df, 0.5 + CONFIDENCE / 2) * se
        for i, (number, lag, *_) in enumerate(results):
            factor = diary.factors[number]
            n, n_yes, n_no = counts[number, lag]
            findings.append(
                Finding(
                    factor=factor,
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
                )
            )
    findings.sort(
        key=lambda f: (
            not f.significant,
            -abs(f.effect) if f.significant else f.p,
            f.factor.id,
            f.lag_days,
        )
    )
    return Analysis(
        findings=findings,
        not_enough=not_enough,
        tested=len(findings),
        fdr=fdr,
        days=int((~np.isnan(pain)).sum()),
    )


# --- Trends --------------------------------------------------------------------------------


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def trends(rows: list[DayRow], *, today: dt.date) -> Trends:
    """Recent averages of the daily mean pain, the change since the first week, and each
    week's status against the PRT trial's outcome (a week's average pain 0 or 1 of 10).

    Days without a check-in are left out of every average rather than counted as zero pain.
    A week's average counts as "pain-free or nearly" when it is at most 1 (not rounded: the
    app errs on the side of not claiming it), and only with MIN_DAYS_FOR_WEEK_STATUS days.
    """
    pain = sorted(
        (row.date, row.pain_mean) for row in rows if row.pain_mean is not None and row.date <= today
    )
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


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _relative(value: float) -> str:
    if round(value, 1) == 0:
        return "0.0"
    return f"{abs(value):.1f} {'higher' if value > 0 else 'lower'}"


def finding_words(finding: Finding) -> str:
    """One plain sentence: what went with the factor, by how much, and the 95% interval.

    Describes an association in the diary, never a cause. The interval is written as
    magnitudes in the direction stated ("0.4 points lower (0.1 to 0.7)"); an interval that
    crosses zero says both ends in words ("0.2 points higher (from 0.2 lower to 0.6 higher)"),
    since a signed range in a sentence that already says "lower" reads backwards.
    """
    factor = finding.factor
    sleep = factor.id in SLEEP_FACTORS
    if factor.kind == "yes_no":
        opening = f"On days {'after ' if sleep else ''}you {factor.label}"
        pain = "your pain averaged" if finding.lag_days == 0 else "your pain the next day averaged"
    else:
        opening = f"For each extra {factor.unit}{' the night before' if sleep else ''}"
        pain = f"your pain {'that day' if finding.lag_days == 0 else 'the next day'} averaged"
    effect, low, high = finding.effect, finding.ci_low, finding.ci_high
    if round(effect, 1) == 0:
        return f"{opening}, {pain} about the same (from {_relative(low)} to {_relative(high)})."
    said = f"{opening}, {pain} {abs(effect):.1f} points {'higher' if effect > 0 else 'lower'}"
    if low < 0 < high:
        return f"{said} (from {_relative(low)} to {_relative(high)})."
    direction = 1 if effect > 0 else -1
    low, high = sorted((direction * low, direction * high))
    return f"{said} ({_number(low)} to {_number(high)})."
