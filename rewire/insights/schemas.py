"""The insights' and the personal experiments' API request and response shapes. Unknown fields are
errors.

The fields a new experiment shares with the export document are defined once, here, and shared
by the export section (portability.py).
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictInt

from rewire.core.schemas import CalendarDate, ContentId, Moment, Plain, Quiet, Strict, not_blank
from rewire.insights.experiments import MAX_DAYS, MAX_INTERVENTION_LENGTH, MIN_DAYS
from rewire.insights.experiments import OUTCOMES as EXPERIMENT_OUTCOMES
from rewire.insights.sleep import BANDS

# The statistics of the diary


# Personal experiments. The fields the API takes are shared with the export document; the rules
# beyond their shapes are in rewire/insights/experiments.py (experiment_problems).

InterventionText = Annotated[
    str,
    Field(min_length=1, max_length=MAX_INTERVENTION_LENGTH),
    AfterValidator(not_blank),
    Plain,
]
ExperimentOutcome = Literal[tuple(EXPERIMENT_OUTCOMES)]  # type: ignore[valid-type]
ExperimentDays = Annotated[
    StrictInt,
    Field(
        ge=MIN_DAYS,
        le=MAX_DAYS,
        multiple_of=2,
        description=f"An even number of days, {MIN_DAYS} to {MAX_DAYS}.",
    ),
]


class ExperimentFields(Strict):
    intervention: InterventionText = Field(
        description=(
            "What to do on the on days, in words. A new experiment that names a medicine "
            "(docs/insights.md) is refused with a 422 at body.intervention; an imported one "
            "is kept as it was."
        )
    )
    preset: ContentId | None = Field(
        None,
        description="An id from GET /api/v1/experiments/presets when it came from there; "
        "null: own words.",
    )
    outcome: ExperimentOutcome = Field(
        description="day_average (the day's average pain) or next_morning_pain (the first "
        "check-in of the next day)."
    )
    days: ExperimentDays


class ExportedExperimentDay(Strict):
    date: CalendarDate
    done: StrictBool = Field(description="Whether the person did it that day.")
    answered_at: Moment


class ExportedExperiment(ExperimentFields):
    start_date: CalendarDate
    schedule: Annotated[list[StrictBool], Field(max_length=MAX_DAYS)] = Field(
        description="One boolean a day from start_date, true on the on days, in pairs of one "
        "on and one off day."
    )
    created_at: Moment
    stopped_on: CalendarDate | None = Field(
        None, description="The last day it ran, when it was stopped early."
    )
    answers: Annotated[list[ExportedExperimentDay], Field(max_length=MAX_DAYS)] = Field(
        default_factory=list, description='The answers to "did you do it?", by date.'
    )


class FindingOut(Quiet):
    factor: str = Field(
        description="The factor's id: sleep_hours, short_sleep, sleep_quality, "
        "movement_minutes, moved_enough, stress, practice, exposure, emotion:<name> or "
        "tag:<context|helped>:<name>."
    )
    label: str = Field(description="What the factor is, in words.")
    kind: Literal["yes_no", "numeric"]
    unit: str = Field(description="One step of the effect: 'hour of sleep'; 'day' for yes/no.")
    outcome: str = Field(description="pain_mean: the day's average pain, 0 to 10.")
    lag_days: int = Field(description="0: pain the same day; 1: pain the next day.")
    effect: float = Field(
        description="Points of pain: with minus without (yes/no), or per unit (numeric)."
    )
    ci_low: float = Field(description="The 95% interval of the effect, lower end.")
    ci_high: float
    p: float
    q: float = Field(description="The Benjamini-Hochberg adjusted p across every test.")
    n_days: int = Field(description="Days used in the fit.")
    n_yes: int | None = Field(description="Days with the factor (yes/no factors only).")
    n_no: int | None
    significant: bool = Field(description="q at most the false discovery rate, fdr.")
    typical_change: float | None = Field(
        description="A typical change of a numeric factor, in its unit: the interquartile range "
        "on the days fitted (the standard deviation if half the days share one value); null "
        "for yes/no factors."
    )
    typical_effect: float = Field(
        description="The effect over that typical change (yes/no: the effect itself): what "
        "the findings are ranked by, so factors in different units compare fairly."
    )
    words: str = Field(description="The finding in one plain sentence.")


class NotEnoughOut(Quiet):
    factor: str
    label: str
    kind: Literal["yes_no", "numeric"]
    n_days: int
    n_yes: int | None
    n_no: int | None
    needed: str = Field(description="What it needs to be tested, in words.")
    lag_days: int | None = Field(
        description="Not tested for this lag only (0: same day, 1: next day), while it was "
        "tested for the other; null when it could not be tested at either."
    )


class WeekStatusOut(Quiet):
    start: dt.date
    average: float | None = Field(description="The mean of the days' average pain.")
    days: int = Field(description="Days with a check-in.")
    pain_free_or_nearly: bool | None = Field(
        description="The week's average at most 1 of 10; null with fewer than 4 days."
    )


class TrendsOut(Quiet):
    average_7: float | None
    average_28: float | None
    first_week_average: float | None
    change_since_start: float | None
    weeks: list[WeekStatusOut] = Field(description="Oldest first, the week with today last.")


class InsightsOut(Quiet):
    findings: list[FindingOut] = Field(
        description="The clear ones by the size of their typical effect, largest first; then "
        "the rest by p."
    )
    not_enough: list[NotEnoughOut]
    tested: int = Field(description="(factor, lag) pairs tested.")
    fdr: float = Field(description="The false discovery rate the q-values are held to.")
    days: int = Field(description="Days with a check-in.")
    trends: TrendsOut


class SleepBandOut(Quiet):
    id: Literal[tuple(band.id for band in BANDS)]  # type: ignore[valid-type]
    label: str = Field(description="The band in words: 'Under 5 hours', '5 to 5.9 hours', ...")
    at_least_hours: float | None = Field(description="Its lower end (included); null: from 0.")
    below_hours: float | None = Field(description="Its upper end (left out); null: none.")
    nights: int = Field(description="Nights in the band that have a next day's pain.")
    average_pain: float | None = Field(
        description="The mean of those next days' pain (each day's average, 0 to 10); null "
        "with no nights."
    )


class SleepNightOut(Quiet):
    date: dt.date = Field(
        description="The day after the night: the day its sleep was logged, at that day's "
        "first check-in."
    )
    sleep_hours: float
    pain: float = Field(description="That day's average pain, 0 to 10.")


class SleepAndPainOut(Quiet):
    nights: int = Field(description="Nights with hours of sleep logged and the next day's pain.")
    enough: bool = Field(
        description="At least min_nights nights: the sleep lesson shows its chart from then."
    )
    min_nights: int
    first: dt.date | None = Field(description="The first paired day; null with none.")
    last: dt.date | None
    days_without_sleep: int = Field(
        description="Days with a check-in but no hours of sleep logged: left out."
    )
    bands: list[SleepBandOut] = Field(description="Every band, shortest sleep first.")
    paired: list[SleepNightOut] = Field(description="Every paired night, oldest first.")


# Personal experiments


class PresetOut(Quiet):
    id: str
    label: str
    outcome: str = Field(description="The outcome that usually fits it.")
    help: str


class ExperimentIn(ExperimentFields):
    start_date: CalendarDate | None = Field(
        None,
        description="The first day: from yesterday to 7 days ahead; today in the account's "
        "timezone when left out.",
    )


class AnswerIn(Strict):
    done: StrictBool = Field(description="Whether the person did it that day.")


class ExperimentDayOut(Quiet):
    date: dt.date
    on: bool | None = Field(
        description="An on day (do it) or an off day; null for the days still to come while "
        "the experiment is scheduled or running."
    )
    done: bool | None = Field(description="The person's answer; null: not answered.")
    outcome: float | None = Field(description="The pain the day is judged by, once known.")


class ResultOut(Quiet):
    pairs: int = Field(description="Pairs of days whose two outcomes are both known.")
    pairs_planned: int
    effect: float | None = Field(description="On minus off, points of pain; from 2 pairs.")
    ci_low: float | None
    ci_high: float | None
    p: float | None = Field(description="The randomisation test's two-sided p-value.")
    on_average: float | None
    off_average: float | None
    adherence: float | None = Field(
        description="The share (0 to 1) of answered days on which the person did what the "
        "day asked."
    )
    stopped_early: bool
    verdict: str = Field(description="The answer in plain words, with its uncertainty.")


class ExperimentOut(Quiet):
    id: int
    intervention: str
    preset: str | None
    outcome: str
    start_date: dt.date
    last_day: dt.date
    days: int
    created_at: dt.datetime
    stopped_on: dt.date | None
    status: Literal["scheduled", "running", "finished", "stopped"]
    today_is_on: bool | None = Field(description="While it runs: is today an on day?")
    schedule: list[ExperimentDayOut] = Field(description="Every day, from the first.")
    result: ResultOut
