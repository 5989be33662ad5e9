"""The shapes every app's API schemas and export sections are made of. Unknown fields are
errors, and input never appears in an error message."""

import datetime as dt
import re
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict, Field, StrictInt

from rewire.core.validation import (
    KNOWN_TIMEZONES,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    SCALE_MAX,
    SCALE_MIN,
)

Scale = Annotated[
    StrictInt, Field(ge=SCALE_MIN, le=SCALE_MAX, description="0 (none) to 10 (worst)")
]


def not_blank(value: str) -> str:
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
    str, Field(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(not_blank), Plain
]
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH), Plain]
ContentId = Annotated[str, Field(min_length=1, max_length=40), Plain]


def _known_timezone(value):
    if value not in KNOWN_TIMEZONES:
        raise ValueError("Not a known timezone; use a name such as Europe/London.")
    return value


TimezoneName = Annotated[
    str, AfterValidator(_known_timezone), Field(description="An IANA name, e.g. Europe/London.")
]


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


class ErrorItem(Quiet):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Quiet):
    detail: list[ErrorItem]


class MessageOut(Quiet):
    detail: str
