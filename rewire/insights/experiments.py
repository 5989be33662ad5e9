"""Personal experiments (randomised N-of-1 trials): the schedule, and what the days showed.

Plain Python (numpy and scipy), no Django. The design, in words (docs/insights.md says the same):

- The days are cut into pairs. In each pair, one day is an "on" day (do the thing) and the
  other an "off" day (do not), chosen at random: balanced blocks of two, so on and off days are
  spread evenly over the weeks and a slow change in the pain cannot pass for an effect.
- The outcome is the day's average pain, or the next morning's pain (the first check-in of the
  next day, whatever its hour: a time of day would shift when the person changes time zone),
  taken from the check-ins.
- Each pair whose two outcomes are both known gives one difference: on minus off. The effect is
  their mean, with a t-based 95% interval; the p-value is an exact randomisation test: every
  way the coin could have fallen in each pair (2^pairs sign flips), how often the effect is at
  least as far from 0 as the one seen. The analysis is by the schedule (intention to treat);
  how often the person did what the day asked is reported beside it.
- Stopping early is allowed: only complete pairs count, and the report says it stopped early.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

from rewire.insights.medicines import Medicines

MIN_DAYS, MAX_DAYS = 14, 28
OUTCOMES = {
    "day_average": "the day's average pain",
    "next_morning_pain": "the next morning's pain",
}
# Enumerate every sign flip up to this many pairs (2^14 = 16,384); above, sample this many.
EXACT_PAIRS = 14
SAMPLED_FLIPS = 20_000
MCID_POINTS = 2  # the change in pain (0-10) that people usually notice as mattering
MIN_PAIRS = 3  # fewer complete pairs give no answer at all
# Below this many pairs even a perfectly steady difference cannot reach p < 0.05 (2/2^6 = 0.03).
PAIRS_TO_RULE_OUT_CHANCE = 6
# Ratings are whole numbers: a difference of two carries rounding noise with this SD even when
# every pair gives the same difference, so the interval never shrinks below it.
ROUNDING_SD = math.sqrt(1 / 6)


def schedule(days: int, *, seed: int) -> list[bool]:
    """`days` booleans (True: an on day), in balanced random pairs."""
    if days % 2 or not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(f"days must be even, from {MIN_DAYS} to {MAX_DAYS}")
    rng = random.Random(seed)
    plan: list[bool] = []
    for _ in range(days // 2):
        first_on = rng.random() < 0.5
        plan += [first_on, not first_on]
    return plan


def outcome_for(day: dt.date, outcome: str, checkins) -> float | None:
    """`checkins`: {local date: [pain, ...]} in the order recorded. The outcome of `day`, if
    known: the day's average pain, or the next morning's, the first check-in of the next day
    (by its own date, fixed when it was recorded: no clock time is needed, so a change of time
    zone moves nothing)."""
    if outcome == "day_average":
        pains = checkins.get(day, [])
        return sum(pains) / len(pains) if pains else None
    following = checkins.get(day + dt.timedelta(days=1), [])
    return float(following[0]) if following else None


@dataclass(frozen=True)
class Result:
    pairs: int  # complete pairs used
    pairs_planned: int
    effect: float | None  # on minus off, pain points (negative: less pain on "on" days)
    ci_low: float | None
    ci_high: float | None
    p: float | None  # the randomisation test's two-sided p-value
    on_average: float | None
    off_average: float | None
    adherence: float | None  # share of answered days on which the person did what the day asked
    stopped_early: bool

    @property
    def enough(self) -> bool:
        return self.pairs >= MIN_PAIRS

    @property
    def smallest_p(self) -> float:
        """However steady the difference, the test cannot give less than this."""
        return 2 / 2**self.pairs if self.pairs else 1.0


def _flips(pairs: int, rng: np.random.Generator) -> np.ndarray:
    if pairs <= EXACT_PAIRS:
        codes = np.arange(2**pairs)[:, None] >> np.arange(pairs) & 1
        return 1 - 2 * codes  # every pattern of +1/-1
    return rng.choice([-1, 1], size=(SAMPLED_FLIPS, pairs))


def randomisation_p(differences: np.ndarray, *, seed: int = 0) -> float:
    """Two-sided: the share of sign-flip patterns whose mean is at least as far from 0."""
    flips = _flips(len(differences), np.random.default_rng(seed))
    means = (flips * differences).mean(axis=1)
    observed = abs(differences.mean())
    return float(np.mean(np.abs(means) >= observed - 1e-12))


def analyse(
    plan: list[bool],
    outcomes: list[float | None],
    done: list[bool | None],
    *,
    days_run: int | None = None,
) -> Result:
    """`plan`, `outcomes` and `done` run day by day from the first day. `days_run`: how many
    days the experiment ran before it was stopped (None: all of them)."""
    ran = len(plan) if days_run is None else min(days_run, len(plan))
    differences, on_values, off_values = [], [], []
    for start in range(0, ran - ran % 2, 2):
        pair = list(zip(plan[start : start + 2], outcomes[start : start + 2], strict=True))
        if any(value is None for _, value in pair):
            continue
        on = next(value for is_on, value in pair if is_on)
        off = next(value for is_on, value in pair if not is_on)
        differences.append(on - off)
        on_values.append(on)
        off_values.append(off)
    answered = [(is_on, did) for is_on, did in zip(plan[:ran], done[:ran], strict=True)]
    answered = [(is_on, did) for is_on, did in answered if did is not None]
    adherence = sum(is_on == did for is_on, did in answered) / len(answered) if answered else None
    count = len(differences)
    result = {
        "pairs": count,
        "pairs_planned": len(plan) // 2,
        "adherence": adherence,
        "stopped_early": ran < len(plan),
        "on_average": float(np.mean(on_values)) if on_values else None,
        "off_average": float(np.mean(off_values)) if off_values else None,
        "effect": None,
        "ci_low": None,
        "ci_high": None,
        "p": None,
    }
    if count >= 2:
        values = np.array(differences, dtype=float)
        mean = float(values.mean())
        spread = max(float(values.std(ddof=1)), ROUNDING_SD) / math.sqrt(count)
        margin = float(scipy_stats.t.ppf(0.975, count - 1)) * spread
        result |= {
            "effect": mean,
            "ci_low": mean - margin,
            "ci_high": mean + margin,
            "p": randomisation_p(values),
        }
    return Result(**result)


def _points(value: float) -> str:
    return f"{abs(value):.1f} point{'' if round(abs(value), 1) == 1 else 's'}"


def interval_words(low: float, high: float) -> str:
    """A 95% interval of an on-minus-off difference, in the words the effect is said in."""
    if high < 0:
        return f"{abs(high):.1f} to {abs(low):.1f} points lower"
    if low > 0:
        return f"{low:.1f} to {high:.1f} points higher"
    return f"from {abs(low):.1f} lower to {high:.1f} higher"


def verdict(result: Result, *, intervention: str, outcome: str, final: bool = True) -> str:
    """The answer in plain words, with its uncertainty. `final`: the experiment is over."""
    what = OUTCOMES[outcome]
    if not result.enough or result.effect is None:
        return (
            f"Not enough days{'' if final else ' yet'} to compare: {result.pairs} complete pair"
            f"{'' if result.pairs == 1 else 's'} of on and off days ({MIN_PAIRS} or more are "
            "needed). A pair counts when both of its days have the pain it looks at."
        )
    low, high = result.ci_low, result.ci_high
    direction = "lower" if result.effect < 0 else "higher"
    said = (
        f"On days with “{intervention}”, {what} was {_points(result.effect)} {direction} than on "
        f"days without (95% interval: {interval_words(low, high)}; randomisation test "
        f"p = {result.p:.2f})."
    )
    early = (
        " It was stopped early: with fewer days the answer is less sure, and stopping after "
        "looking at the results can make chance look real."
        if result.stopped_early
        else ""
    )
    if result.pairs < PAIRS_TO_RULE_OUT_CHANCE:
        return (
            f"{said} With {result.pairs} pairs even a perfectly steady difference could be "
            f"chance (the test cannot go below p = {result.smallest_p:.2f}): it takes "
            f"{PAIRS_TO_RULE_OUT_CHANCE} pairs or more to tell.{early}"
        )
    if result.p < 0.05:
        near = min(abs(low), abs(high)) if low * high > 0 else 0.0
        if near >= MCID_POINTS:
            size = "unlikely to be chance, and large enough to matter to most people"
        elif abs(result.effect) >= MCID_POINTS:
            size = (
                f"unlikely to be chance; it may matter, though it could be as small as "
                f"{near:.1f} points (most people notice 2 or more)"
            )
        else:
            size = (
                "unlikely to be chance, but small: most people notice a change of 2 points or more"
            )
        return (
            f"{said} In this experiment that is {size}. One experiment is one look; repeating "
            f"it would make the answer surer.{early}"
        )
    if low <= 0 <= high:
        return (
            f"{said} That is no clear difference: the interval includes no change, so it may "
            "help a little, do nothing, or make it a little worse. More days would narrow "
            f"it.{early}"
        )
    return (
        f"{said} That is not clear: the randomisation test cannot rule out chance, although the "
        f"interval leans {direction}. More days would tell.{early}"
    )


# What a new experiment must hold (the form, the API and the import all check this; the
# import leaves out the medicines, see experiment_problems).

MAX_INTERVENTION_LENGTH = 200
LATEST_START = dt.timedelta(days=7)  # an experiment may be planned to start up to a week ahead


@dataclass
class ExperimentEntry:
    intervention: str
    outcome: str
    days: int
    start_date: dt.date
    preset: str = ""


def experiment_problems(
    entry: ExperimentEntry, *, today: dt.date, presets=(), medicines: Medicines | None
) -> dict:
    """`medicines`: refuse an intervention that names one (a new experiment), or None to
    leave the names unchecked: an experiment already run, read back from an export, is the
    person's history, kept as it was."""
    problems = {}
    if not entry.intervention:
        problems["intervention"] = "Say what you will try."
    elif len(entry.intervention) > MAX_INTERVENTION_LENGTH:
        problems["intervention"] = f"At most {MAX_INTERVENTION_LENGTH} characters."
    elif medicines is not None and (problem := medicines.problem(entry.intervention)):
        problems["intervention"] = problem
    if entry.outcome not in OUTCOMES:
        problems["outcome"] = f"Must be one of: {', '.join(OUTCOMES)}."
    if isinstance(entry.days, bool) or not isinstance(entry.days, int):
        problems["days"] = "Must be a whole number."
    elif entry.days % 2 or not MIN_DAYS <= entry.days <= MAX_DAYS:
        problems["days"] = f"Must be an even number from {MIN_DAYS} to {MAX_DAYS}."
    if entry.start_date < today:
        problems["start_date"] = "Start today or later: the days are chosen at random first."
    elif entry.start_date > today + LATEST_START:
        problems["start_date"] = "Start within the next 7 days."
    if entry.preset and entry.preset not in presets:
        problems["preset"] = "Not one of the suggestions; leave it out for your own idea."
    return problems
