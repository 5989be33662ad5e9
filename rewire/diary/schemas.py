"""The check-in's shapes in the API and in the export document (its `tags` and `checkins`).
The rules beyond their shapes are in entry.py, checked by the actions."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from rewire.core.schemas import CalendarDate, Moment, Name, Quiet, Scale, Strict, Text
from rewire.core.validation import MAX_LIST_LENGTH, MAX_MOVEMENT_MINUTES
from rewire.diary.vocabulary import BODY_AREA_SLUGS, MAX_SLEEP_HOURS

BodyAreaSlug = Literal[tuple(BODY_AREA_SLUGS)]  # type: ignore[valid-type]


SleepHours = Annotated[float, Field(strict=True, ge=0, le=MAX_SLEEP_HOURS)]


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


class ExportedCheckIn(CheckInFields):
    recorded_at: Moment
    local_date: CalendarDate
    created_at: Moment
    updated_at: Moment


class ExportedTag(Strict):
    kind: Literal["context", "helped"]
    name: Name
