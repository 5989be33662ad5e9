"""The fear ladder's and the movement log's API request and response shapes. Unknown fields are
errors.

The fields a request shares with the export document (a rung, a try, an activity) are defined
once, here, and shared by the export section (portability.py).
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictInt

from rewire.core.schemas import CalendarDate, Moment, Plain, Quiet, Scale, Strict, Text, not_blank
from rewire.core.validation import MAX_MOVEMENT_MINUTES
from rewire.exposure.ladder import FEAR_MAX, HARM_MAX, OUTCOMES
from rewire.exposure.library import MAX_ACTIVITY_LENGTH
from rewire.exposure.rules import (
    MAX_BREAK_MINUTES,
    MAX_BREAKS,
    MAX_PACED_ACTIVITIES,
    MAX_PACING_MINUTES,
    MAX_PREDICTION_LENGTH,
    MAX_RUNGS,
)

# The starter library


# The fear ladder, its tries and the movement log. The fields the API takes are shared with the
# export document; the rules beyond their shapes are in rewire/exposure/rules.py.

Fear = Annotated[
    StrictInt, Field(ge=0, le=FEAR_MAX, description="0 (no fear at all) to 100 (the most afraid)")
]
HarmLikelihood = Annotated[
    StrictInt,
    Field(
        ge=0, le=HARM_MAX, description="0 to 100: how sure it feels that it would damage the body"
    ),
]
ActivityText = Annotated[
    str, Field(min_length=1, max_length=MAX_ACTIVITY_LENGTH), AfterValidator(not_blank), Plain
]
LibraryId = Annotated[
    str,
    Field(min_length=1, max_length=40, description="An id from GET /api/v1/exposure/library."),
    Plain,
]
Outcome = Literal[tuple(OUTCOMES)]  # type: ignore[valid-type]
ActivityMinutes = Annotated[StrictInt, Field(ge=1, le=MAX_MOVEMENT_MINUTES)]


class RatingFields(Strict):
    fear: Fear
    expected_pain: Scale = Field(description="The pain expected while doing it, 0 to 10.")
    harm: HarmLikelihood


class RungFields(RatingFields):
    activity: ActivityText = Field(description="The words on the ladder.")
    library_id: LibraryId | None = Field(
        None, description="The starter library's id when it came from there; null: own words."
    )


class AttemptBeforeFields(Strict):
    fear_before: Fear
    predicted_pain: Scale
    predicted_harm: HarmLikelihood
    prediction: Annotated[str, Field(max_length=MAX_PREDICTION_LENGTH), Plain] = Field(
        "", description='What the person fears will happen, in words: "my back will lock up".'
    )


class AttemptAfterFields(Strict):
    actual_pain: Scale = Field(description="The pain during the try.")
    outcome: Outcome = Field(description="Did the feared outcome happen: yes, partly or no.")
    fear_after: Fear
    learned: Text = ""


class ActivityFields(Strict):
    activity: ActivityText = Field(description="A walk, a swim, a class.")
    minutes: ActivityMinutes
    note: Text = ""


class ExportedRating(RatingFields):
    rated_at: Moment


class ExportedRung(RungFields):
    created_at: Moment
    rated_at: Moment
    mastered_at: Moment | None = None
    ratings: list[ExportedRating] = Field(
        default_factory=list, description="Every rating, the first too, oldest first."
    )


class ExportedAttemptAfter(AttemptAfterFields):
    finished_at: Moment


class ExportedAttempt(AttemptBeforeFields):
    rung_index: Annotated[StrictInt, Field(ge=0)] = Field(
        description="The rung tried: its place in `rungs`, from 0."
    )
    started_at: Moment
    local_date: CalendarDate
    after: ExportedAttemptAfter | None = None
    next_day_pain: Scale | None = None
    next_day_declined: StrictBool = False


class ExportedActivitySession(ActivityFields):
    local_date: CalendarDate
    created_at: Moment


class PacingPlanFields(Strict):
    activity: ActivityText = Field(description="The activity paced, in the person's words.")
    activity_minutes: Annotated[StrictInt, Field(ge=1, le=MAX_PACING_MINUTES)] = Field(
        description="The quota: minutes of the activity before a planned break."
    )
    break_minutes: Annotated[StrictInt, Field(ge=1, le=MAX_BREAK_MINUTES)] = Field(
        description="Minutes of the break, taken before the pain rises."
    )


class PacingBoutFields(Strict):
    minutes: ActivityMinutes = Field(description="Minutes of the activity done, in all.")
    breaks: Annotated[StrictInt, Field(ge=0, le=MAX_BREAKS)] = Field(
        description="Planned breaks taken."
    )
    note: Text = ""
    rounds_to_time: Annotated[StrictInt, Field(ge=0, le=MAX_BREAKS + 1)] | None = Field(
        None,
        description="Rounds that ran their whole quota, as a timer counted them; null: "
        "logged by hand. A step up is suggested only after whole rounds.",
    )


class ExportedPacingPlan(PacingPlanFields):
    created_at: Moment
    updated_at: Moment


class ExportedPacingBout(PacingBoutFields):
    plan_index: Annotated[StrictInt, Field(ge=0)] = Field(
        description="The plan followed: its place in `pacing_plans`, from 0."
    )
    planned_minutes: Annotated[StrictInt, Field(ge=1, le=MAX_PACING_MINUTES)] = Field(
        description="The plan's minutes of activity when the bout was done."
    )
    local_date: CalendarDate
    created_at: Moment


class ExportedExposure(Strict):
    rungs: list[ExportedRung] = Field(default_factory=list, max_length=MAX_RUNGS)
    attempts: list[ExportedAttempt] = Field(default_factory=list)
    activity_sessions: list[ExportedActivitySession] = Field(default_factory=list)
    pacing_plans: list[ExportedPacingPlan] = Field(
        default_factory=list, max_length=MAX_PACED_ACTIVITIES
    )
    pacing_bouts: list[ExportedPacingBout] = Field(default_factory=list)


class LibraryActivityOut(Quiet):
    id: str
    label: str


class LibraryGroupOut(Quiet):
    id: str
    label: str
    activities: list[LibraryActivityOut]


# The ladder


class RatingIn(RatingFields):
    pass


class RungIn(RungFields):
    pass


class RungPatch(Strict):
    """Only the fields given change."""

    activity: ActivityText | None = Field(None, description="New words; null or left out: kept.")
    mastered: StrictBool | None = Field(
        None, description="true: mastered now; false: not mastered; null or left out: kept."
    )


class RatingOut(Quiet):
    fear: int
    expected_pain: int
    harm: int
    rated_at: dt.datetime


class RungOut(Quiet):
    id: int
    activity: str
    library_id: str | None = Field(description="The starter library's id; null: own words.")
    fear: int = Field(description="The latest rating, 0 to 100.")
    expected_pain: int
    harm: int
    rated_at: dt.datetime = Field(description="When it was last rated.")
    created_at: dt.datetime
    mastered: bool
    mastered_at: dt.datetime | None
    tries: int = Field(description="Tries finished (what happened recorded).")
    last_try: dt.date | None = Field(description="The local date of the latest finished try.")
    mastery_suggested: bool = Field(
        description="The last three tries ended with little fear: suggest marking it mastered."
    )
    is_next: bool = Field(description="The easiest rung not yet mastered: the next step.")
    big_step: bool = Field(
        description="The next step is much scarier than the hardest rung mastered: a step "
        "between may help."
    )
    waiting_try: int | None = Field(
        description="The latest try on this rung whose outcome is still to be said (its id)."
    )


class LadderOut(Quiet):
    rungs: list[RungOut] = Field(description="Easiest first.")
    next_step: int | None = Field(description="The next rung to try; null at the top.")
    level: int = Field(description="1, and one more for each rung mastered.")
    mastered: int


# Tries


class AttemptAfterIn(AttemptAfterFields):
    finished_at: Moment | None = Field(
        None,
        description="ISO 8601 with offset; left out: now (a correction keeps the first time).",
    )


class AttemptIn(AttemptBeforeFields):
    rung: StrictInt = Field(description="The id of a rung on the person's own ladder.")
    started_at: Moment | None = Field(None, description="ISO 8601 with offset; now when left out.")
    after: AttemptAfterIn | None = Field(
        None, description="What happened, when the app records both at once."
    )


class NextDayIn(Strict):
    pain: Scale | None = Field(description="The pain the day after; null: rather not say.")


class AttemptAfterOut(Quiet):
    actual_pain: int
    outcome: Outcome
    fear_after: int
    learned: str
    finished_at: dt.datetime


class ViolationOut(Quiet):
    predicted_pain: int
    actual_pain: int
    pain_gap: int = Field(description="Points of pain fewer than predicted (negative: more).")
    predicted_harm: int
    outcome: Outcome
    fear_before: int
    fear_after: int
    surprised: bool = Field(
        description="The alarm was wrong the hopeful way: less pain, or the feared thing did "
        "not happen."
    )
    lesson: str | None = Field(
        description="What the alarm got wrong, in words; null when it got nothing wrong."
    )
    words: list[str] = Field(description="What the try showed, in plain sentences.")


class AttemptOut(Quiet):
    id: int
    rung: int
    activity: str = Field(description="The rung's words.")
    started_at: dt.datetime
    local_date: dt.date
    fear_before: int
    predicted_pain: int
    predicted_harm: int
    prediction: str
    finished: bool
    after: AttemptAfterOut | None = Field(description="What happened; null until recorded.")
    next_day_pain: int | None
    next_day_declined: bool = Field(description="The person chose not to say.")
    violation: ViolationOut | None = Field(
        description="The prediction against what happened; null until finished."
    )


class AttemptPage(Quiet):
    count: int = Field(description="How many tries match the filter in all.")
    limit: int
    offset: int
    items: list[AttemptOut]


class RungDetailOut(RungOut):
    ratings: list[RatingOut] = Field(description="Every rating, the first too, oldest first.")
    attempts: list[AttemptOut] = Field(description="Its tries, newest first.")


# Movement


class ActivitySessionIn(ActivityFields):
    local_date: CalendarDate | None = Field(
        None, description="The day it was done; today in the account's timezone when left out."
    )


class ActivitySessionOut(Quiet):
    id: int
    activity: str
    minutes: int
    local_date: dt.date
    note: str
    created_at: dt.datetime


class ActivitySessionPage(Quiet):
    count: int
    limit: int
    offset: int
    items: list[ActivitySessionOut]


class WeekOut(Quiet):
    number: int = Field(description="0 is the baseline week.")
    start: dt.date
    end: dt.date
    minutes: int
    flare_days: int
    moved_days: int
    goal: int | None = Field(description="Minutes for the week; null for the baseline week.")
    needed: int | None = Field(description="The goal less the flare days' share.")
    complete: bool = Field(description="The week is over.")
    met: bool | None = Field(description="null: the baseline, a rest week, or not over yet.")
    active: bool = Field(description="Moved (or a flare) on at least 5 of its days.")


class MilestoneOut(Quiet):
    id: str
    label: str
    reached_on: dt.date | None
    progress: tuple[int, int] | None = Field(description="[so far, needed]; null: not counted.")


class MovementOut(Quiet):
    start: dt.date | None = Field(description="The first day with movement; null: none yet.")
    baseline: float | None = Field(
        description="Minutes a day in the baseline week; null until that week is over."
    )
    weeks: list[WeekOut] = Field(description="Oldest first, the week under way last.")
    current_week: WeekOut | None
    streak: int = Field(description="Weeks in a row moving on most days, up to now.")
    level: int
    mastered: int = Field(description="Rungs of the ladder mastered.")
    milestones: list[MilestoneOut]


# Time-based pacing


class PacingPlanIn(PacingPlanFields):
    pass


class PacingPlanPatch(Strict):
    """Only the fields given change."""

    activity: ActivityText | None = Field(None, description="New words; null or left out: kept.")
    activity_minutes: Annotated[StrictInt, Field(ge=1, le=MAX_PACING_MINUTES)] | None = None
    break_minutes: Annotated[StrictInt, Field(ge=1, le=MAX_BREAK_MINUTES)] | None = None


class PacingPlanOut(Quiet):
    id: int
    activity: str
    activity_minutes: int = Field(description="Minutes of the activity before a break.")
    break_minutes: int
    created_at: dt.datetime
    updated_at: dt.datetime
    bouts: int = Field(description="Bouts logged with this plan.")
    last_bout: dt.date | None = Field(description="The local date of the latest bout.")
    step_up_to: int | None = Field(
        description="The full time was done on three days since the quota was set: a slightly "
        "longer quota to try, if it felt all right; null: not yet."
    )


class PacingBoutIn(PacingBoutFields):
    plan: StrictInt = Field(description="The id of one of the person's own pacing plans.")
    local_date: CalendarDate | None = Field(
        None, description="The day it was done; today in the account's timezone when left out."
    )


class PacingBoutOut(Quiet):
    id: int
    plan: int
    activity: str = Field(description="The plan's activity.")
    local_date: dt.date
    minutes: int
    breaks: int
    rounds_to_time: int | None
    planned_minutes: int = Field(description="The plan's quota when the bout was done.")
    note: str
    created_at: dt.datetime


class PacingBoutPage(Quiet):
    count: int
    limit: int
    offset: int
    items: list[PacingBoutOut]
