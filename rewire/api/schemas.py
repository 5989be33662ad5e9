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

Scale = Annotated[StrictInt, Field(ge=0, le=10, description="0 (none) to 10 (worst)")]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("Must not be blank.")
    return value


Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(_not_blank)]
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH)]
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


class ExportDocument(Strict):
    """The whole diary as one document: `GET /api/v1/export`, `POST /api/v1/import`."""

    format: Literal["rewire-export"] = "rewire-export"
    version: Literal[1] = 1
    exported_at: Moment | None = None
    account: ExportedAccount
    tags: list[ExportedTag]
    checkins: list[ExportedCheckIn]


class ImportResult(Quiet):
    checkins: int
    tags: int
