"""The API's request and response shapes, and the export document. Unknown fields are errors."""

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
)

from rewire.accounts.models import KNOWN_TIMEZONES
from rewire.diary.vocabulary import (
    BODY_AREA_SLUGS,
    MAX_LIST_LENGTH,
    MAX_MOVEMENT_MINUTES,
    MAX_NAME_LENGTH,
    MAX_SLEEP_HOURS,
    MAX_TEXT_LENGTH,
)
from rewire.exposure.ladder import FEAR_MAX, HARM_MAX, OUTCOMES
from rewire.exposure.library import MAX_ACTIVITY_LENGTH
from rewire.exposure.rules import MAX_PREDICTION_LENGTH, MAX_RUNGS
from rewire.insights.experiments import MAX_DAYS, MAX_INTERVENTION_LENGTH, MIN_DAYS
from rewire.insights.experiments import OUTCOMES as EXPERIMENT_OUTCOMES
from rewire.program.content import GUIDED_PRACTICES, SESSION_COUNT
from rewire.program.rules import MAX_CAUSES, MAX_LIBRARY, MAX_SHORT_TEXT

Scale = Annotated[StrictInt, Field(ge=0, le=10, description="0 (none) to 10 (worst)")]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("Must not be blank.")
    return value


def _no_null_characters(value: str) -> str:
    # PostgreSQL cannot store them (it would be a 500), and Django's form fields refuse them.
    if "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    return value


Plain = AfterValidator(_no_null_characters)
Name = Annotated[
    str, Field(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(_not_blank), Plain
]
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH), Plain]
BodyAreaSlug = Literal[tuple(BODY_AREA_SLUGS)]  # type: ignore[valid-type]


def _known_timezone(value):
    if value not in KNOWN_TIMEZONES:
        raise ValueError("Not a known timezone; use a name such as Europe/London.")
    return value


TimezoneName = Annotated[
    str, AfterValidator(_known_timezone), Field(description="An IANA name, e.g. Europe/London.")
]
SleepHours = Annotated[float, Field(strict=True, ge=0, le=MAX_SLEEP_HOURS)]


def _calendar_date(value):
    # Only YYYY-MM-DD: pydantic would otherwise read "0" as 1 January 1970.
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Use a date as YYYY-MM-DD.")
    return value


CalendarDate = Annotated[dt.date, BeforeValidator(_calendar_date)]


def _iso_text(value):
    # Only ISO 8601 text: pydantic would otherwise read a number as seconds since 1970.
    if not isinstance(value, str | dt.datetime):
        raise ValueError("Use ISO 8601 with an offset, such as 2026-03-02T08:30:00+01:00.")
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_iso_text)]


class Quiet(Schema):
    # Input never appears in error messages (they may reach a log): only where and why.
    model_config = ConfigDict(hide_input_in_errors=True)


class Strict(Quiet):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class BodyAreaIn(Strict):
    area: BodyAreaSlug = Field(description="One of the body map's areas.")
    intensity: Scale


class EmotionIn(Strict):
    name: Name
    intensity: Scale


BodyAreas = Annotated[list[BodyAreaIn], Field(max_length=len(BODY_AREA_SLUGS))]
Emotions = Annotated[list[EmotionIn], Field(max_length=MAX_LIST_LENGTH)]
Tags = Annotated[list[Name], Field(max_length=MAX_LIST_LENGTH)]
Minutes = Annotated[StrictInt, Field(ge=0, le=MAX_MOVEMENT_MINUTES)]


class CheckInFields(Strict):
    pain: Scale
    is_flare: StrictBool = False
    body_areas: BodyAreas = Field(default_factory=list)
    emotions: Emotions = Field(default_factory=list)
    stress: Scale | None = None
    tags: Tags = Field(default_factory=list)
    thought: Text = ""
    helped: Tags = Field(default_factory=list)
    movement_minutes: Minutes | None = None
    sleep_hours: SleepHours | None = None
    sleep_quality: Scale | None = None
    note: Text = ""


class CheckInIn(CheckInFields):
    recorded_at: Moment | None = Field(None, description="ISO 8601 with offset; now when left out.")


class CheckInPatch(Strict):
    """Only the fields given change."""

    pain: Scale | None = None
    recorded_at: Moment | None = None
    is_flare: StrictBool | None = None
    body_areas: BodyAreas | None = None
    emotions: Emotions | None = None
    stress: Scale | None = None
    tags: Tags | None = None
    thought: Text | None = None
    helped: Tags | None = None
    movement_minutes: Minutes | None = None
    sleep_hours: SleepHours | None = None
    sleep_quality: Scale | None = None
    note: Text | None = None


class BodyAreaOut(Quiet):
    area: str
    intensity: int


class EmotionOut(Quiet):
    name: str
    intensity: int


class CheckInOut(Quiet):
    id: int
    pain: int
    recorded_at: dt.datetime
    local_date: dt.date
    is_flare: bool
    body_areas: list[BodyAreaOut]
    emotions: list[EmotionOut]
    stress: int | None
    tags: list[str]
    thought: str
    helped: list[str]
    movement_minutes: int | None
    sleep_hours: float | None
    sleep_quality: int | None
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime


class CheckInPage(Quiet):
    count: int = Field(description="How many check-ins match the filter in all.")
    limit: int
    offset: int
    items: list[CheckInOut]


class ErrorItem(Quiet):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Quiet):
    detail: list[ErrorItem]


class MessageOut(Quiet):
    detail: str


class ExportedCheckIn(CheckInFields):
    recorded_at: Moment
    local_date: CalendarDate
    created_at: Moment
    updated_at: Moment


class ExportedTag(Strict):
    kind: Literal["context", "helped"]
    name: Name


class ExportedAccount(Strict):
    timezone: TimezoneName


# The programme's records. The fields the API takes are shared with the export document,
# as the check-in's are; the rules beyond their shapes are in rewire/program/rules.py.

ShortText = Annotated[str, Field(max_length=MAX_SHORT_TEXT), Plain]
ContentId = Annotated[str, Field(min_length=1, max_length=40), Plain]
PracticeKind = Literal[GUIDED_PRACTICES]  # type: ignore[valid-type]
CauseCategory = Literal["body", "mind"]


class PracticeFields(Strict):
    kind: PracticeKind
    started_at: Moment
    finished_at: Moment
    pain_before: Scale | None = None
    pain_after: Scale | None = None
    threat_before: Scale | None = None
    threat_after: Scale | None = None
    mood_before: Scale | None = None
    mood_after: Scale | None = None
    note: Text = ""


class CauseFields(Strict):
    text: ShortText
    category: CauseCategory = Field(
        description="body (body or tissue) or mind (brain, mind, stress)"
    )


class ThoughtEmotionFields(Strict):
    name: Name
    before: Scale
    after: Scale | None = Field(None, description="Rated again after the reappraisal.")


class ThoughtRecordFields(Strict):
    situation: Text = ""
    automatic_thought: Text
    emotions: Annotated[list[ThoughtEmotionFields], Field(max_length=MAX_LIST_LENGTH)] = Field(
        default_factory=list
    )
    traps: Annotated[list[ContentId], Field(max_length=MAX_LIST_LENGTH)] = Field(
        default_factory=list, description="Ids from GET /api/v1/thinking-traps."
    )
    reappraisal: Text = ""


class ExportedSessionCompletion(Strict):
    session: ContentId
    completed_at: Moment


class ExportedPractice(PracticeFields):
    local_date: CalendarDate


class ExportedText(Strict):
    text: ShortText


class ExportedEvidence(Strict):
    kind: ContentId
    example: Text
    created_at: Moment


class ExportedAttribution(Strict):
    recorded_at: Moment
    local_date: CalendarDate
    causes: Annotated[list[CauseFields], Field(max_length=MAX_CAUSES)]


class ExportedThoughtRecord(ThoughtRecordFields):
    recorded_at: Moment
    local_date: CalendarDate
    checkin_index: Annotated[StrictInt, Field(ge=0)] | None = Field(
        None, description="The check-in it started from: its place in `checkins`, from 0."
    )
    created_at: Moment
    updated_at: Moment


class ExportedProgramme(Strict):
    # At most one per session (a longer list is refused before it is read row by row).
    session_completions: list[ExportedSessionCompletion] = Field(
        default_factory=list, max_length=SESSION_COUNT
    )
    practices: list[ExportedPractice] = Field(default_factory=list)
    safety_messages: Annotated[list[ExportedText], Field(max_length=MAX_LIBRARY)] = Field(
        default_factory=list
    )
    flare_plan: Annotated[list[ExportedText], Field(max_length=MAX_LIBRARY)] = Field(
        default_factory=list
    )
    evidence: list[ExportedEvidence] = Field(default_factory=list)
    attributions: list[ExportedAttribution] = Field(default_factory=list)
    thought_records: list[ExportedThoughtRecord] = Field(default_factory=list)


# Questionnaires and the warning signs. The answers' shapes are shared by the API
# (rewire/measures/schemas.py) and the export; what they must hold is checked by
# rewire/measures/scoring.py (questionnaires) and rewire/measures/actions.py (warning signs).

MAX_ANSWERS = 50  # more than any questionnaire or the warning-sign list has
MAX_EVENT_DETAIL = 500  # SafetyEvent.detail

Answers = Annotated[
    dict[ContentId, StrictInt | None],
    Field(
        max_length=MAX_ANSWERS,
        description="{item id: the option's value, or null when left unanswered}",
    ),
]
FlagAnswers = Annotated[
    dict[ContentId, StrictBool],
    Field(
        max_length=MAX_ANSWERS,
        description="{warning sign id: true (yes) or false (no)}, for every warning sign",
    ),
]


class ResponseFields(Strict):
    instrument: ContentId = Field(description="An id from GET /api/v1/instruments.")
    answers: Answers


class ExportedResponse(ResponseFields):
    answered_at: Moment
    local_date: CalendarDate
    # The score is worked out again on import, and must be this one.
    total: StrictInt | None
    band: str | None
    subscale: StrictInt | None
    prorated: StrictBool


class ExportedScreening(Strict):
    answered_at: Moment
    answers: FlagAnswers
    assessed_at: Moment | None = None


class ExportedSafetyEvent(Strict):
    kind: Literal["phq9_item9", "red_flag"]
    occurred_at: Moment
    detail: Annotated[str, Field(max_length=MAX_EVENT_DETAIL), Plain] = ""
    response_index: Annotated[StrictInt, Field(ge=0)] | None = Field(
        None, description="The questionnaire answers it came from: their place in `responses`."
    )
    screening_index: Annotated[StrictInt, Field(ge=0)] | None = Field(
        None, description="The warning-sign answers it came from: their place in `screenings`."
    )


class ExportedMeasures(Strict):
    responses: list[ExportedResponse] = Field(default_factory=list)
    screenings: list[ExportedScreening] = Field(default_factory=list)
    safety_events: list[ExportedSafetyEvent] = Field(default_factory=list)


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
    str, Field(min_length=1, max_length=MAX_ACTIVITY_LENGTH), AfterValidator(_not_blank), Plain
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


class ExportedExposure(Strict):
    rungs: list[ExportedRung] = Field(default_factory=list, max_length=MAX_RUNGS)
    attempts: list[ExportedAttempt] = Field(default_factory=list)
    activity_sessions: list[ExportedActivitySession] = Field(default_factory=list)


# Personal experiments. The fields the API takes are shared with the export document; the rules
# beyond their shapes are in rewire/insights/experiments.py (experiment_problems).

InterventionText = Annotated[
    str,
    Field(min_length=1, max_length=MAX_INTERVENTION_LENGTH),
    AfterValidator(_not_blank),
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
    intervention: InterventionText = Field(description="What to do on the on days, in words.")
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


class ExportDocument(Strict):
    """The whole diary as one document: `GET /api/v1/export`, `POST /api/v1/import`."""

    format: Literal["rewire-export"] = "rewire-export"
    version: Literal[1] = 1
    exported_at: Moment | None = None
    account: ExportedAccount
    tags: list[ExportedTag]
    checkins: list[ExportedCheckIn]
    # Optional, so a document from before the programme existed still imports.
    programme: ExportedProgramme = Field(default_factory=ExportedProgramme)
    # Optional too, for documents from before the questionnaires existed.
    measures: ExportedMeasures = Field(default_factory=ExportedMeasures)
    # And for documents from before the fear ladder.
    exposure: ExportedExposure = Field(default_factory=ExportedExposure)
    # And before the personal experiments.
    experiments: list[ExportedExperiment] = Field(default_factory=list)


class ImportResult(Quiet):
    checkins: int
    tags: int
    programme_records: int
    measures_records: int = Field(
        description="Questionnaire answers, warning-sign answers and safety events written."
    )
    exposure_records: int = Field(
        description="Rungs of the fear ladder, tries at them and activities logged, written."
    )
    experiments_records: int = Field(
        description="Personal experiments written (each with its schedule and answers)."
    )
