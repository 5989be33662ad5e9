"""The reminders' API request and response shapes, shared with the export section. Unknown
fields are errors."""

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer, PlainValidator, StrictBool, StrictInt, WithJsonSchema

from rewire.core.schemas import Moment, Quiet, Strict
from rewire.reminders.actions import MAX_DAILY_CAP, SNOOZES
from rewire.reminders.schedule import KINDS, LONGEST_GAP_DAYS

Kind = Literal[KINDS]  # type: ignore[valid-type]
HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _time_of_day(value) -> dt.time:
    """A wall-clock time with no zone: the person's own clock gives the zone."""
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str) and HH_MM.match(value):
        return dt.time.fromisoformat(value)
    raise ValueError("A time of day on your own clock, as HH:MM (24 hours), such as 20:00.")


TimeOfDay = Annotated[
    dt.time,
    PlainValidator(_time_of_day),
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": HH_MM.pattern,
            "description": "A time of day on the person's own clock, HH:MM (24 hours).",
        }
    ),
]


class ReminderFields(Strict):
    kind: Kind
    at: TimeOfDay
    enabled: StrictBool


class ReminderOut(Quiet):
    kind: Kind
    at: TimeOfDay
    enabled: bool
    every_days: int = Field(
        description="1: every day; more after three ignored in a row (the rate halves)."
    )
    ask_to_keep: bool = Field(description="It slowed down: ask the person whether to keep it.")
    label: str


class ReminderChoices(Strict):
    quiet_from: TimeOfDay | None = Field(None, description="No reminder from this time...")
    quiet_until: TimeOfDay | None = Field(
        None, description="...until this one (across midnight is fine)."
    )
    daily_cap: StrictInt = Field(3, ge=1, le=MAX_DAILY_CAP)
    by_email: StrictBool = False
    reminders: list[ReminderFields] = Field(
        default_factory=list, max_length=len(KINDS), description="Each kind at most once."
    )


class RemindersOut(Quiet):
    quiet_from: TimeOfDay | None
    quiet_until: TimeOfDay | None
    daily_cap: int
    by_email: bool
    snoozed_until: dt.datetime | None
    reminders: list[ReminderOut]


class SnoozeIn(Strict):
    days: Literal[tuple(SNOOZES)] | None = Field(  # type: ignore[valid-type]
        description="A break of 1, 3 or 7 days; null ends a break."
    )


class ExportedReminder(ReminderFields):
    every_days: StrictInt = Field(1, ge=1, le=LONGEST_GAP_DAYS)


class ExportedReminders(Strict):
    quiet_from: TimeOfDay | None = None
    quiet_until: TimeOfDay | None = None
    daily_cap: StrictInt = Field(3, ge=1, le=MAX_DAILY_CAP)
    by_email: StrictBool = False
    snoozed_until: Moment | None = None
    reminders: list[ExportedReminder] = Field(default_factory=list, max_length=len(KINDS))


class PushKeys(Strict):
    p256dh: str = Field(max_length=200, description="The browser's public key, base64url.")
    auth: str = Field(max_length=100, description="The browser's auth secret, base64url.")


class PushSubscriptionIn(Strict):
    endpoint: str = Field(max_length=1000, description="The push service's https address.")
    keys: PushKeys
    expirationTime: int | None = Field(  # noqa: N815 - the browser's own name for it
        None, description="As PushSubscription.toJSON() gives it; not used."
    )


class PushOut(Quiet):
    application_server_key: str = Field(
        description="The server's VAPID public key, base64url: subscribe with it."
    )
    devices: int = Field(description="How many devices show the reminders as notifications.")


class CalendarOut(Quiet):
    address: str = Field(description="The private calendar address, shown only now.")
