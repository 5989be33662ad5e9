"""What each fear-ladder and movement record holds and the rules it must follow. Plain Python,
no Django. The web forms, the API and the import build these entries and call the matching
`*_problems` function, so each rule exists once. Problems are {field name: reason}.
"""

import datetime as dt
from dataclasses import dataclass

from rewire.core.validation import (
    MAX_MOVEMENT_MINUTES,
    MAX_TEXT_LENGTH,
    moment_problem,
    scale_problem,
)
from rewire.exposure.ladder import FEAR_MAX, HARM_MAX, OUTCOMES
from rewire.exposure.library import MAX_ACTIVITY_LENGTH, Library

MAX_RUNGS = 100
MAX_PREDICTION_LENGTH = 1000


def percent_problem(value, *, required=True, top=FEAR_MAX) -> str | None:
    if value is None:
        return "This is required." if required else None
    if isinstance(value, bool) or not isinstance(value, int):
        return "Must be a whole number."
    if not 0 <= value <= top:
        return f"Must be between 0 and {top}."
    return None


def _text_problem(text: str, limit: int, *, required: bool) -> str | None:
    if required and not text:
        return "This is required."
    if len(text) > limit:
        return f"At most {limit} characters."
    return None


@dataclass
class Rating:
    fear: int  # 0-100: how scary the activity feels
    expected_pain: int  # 0-10: the pain expected while doing it
    harm: int  # 0-100: how likely it feels that it would damage the body


def rating_problems(rating: Rating) -> dict:
    problems = {}
    for name, problem in (
        ("fear", percent_problem(rating.fear)),
        ("expected_pain", scale_problem(rating.expected_pain, required=True)),
        ("harm", percent_problem(rating.harm, top=HARM_MAX)),
    ):
        if problem:
            problems[name] = problem
    return problems


@dataclass
class RungEntry:
    activity: str  # the words on the ladder
    rating: Rating
    library_id: str = ""  # the starter library's id, when it came from there

    def normalised(self) -> "RungEntry":
        return RungEntry(
            activity=" ".join(self.activity.split()),
            rating=self.rating,
            library_id=self.library_id.strip(),
        )


def activity_key(activity: str) -> str:
    """What makes two activities the same: their words, whatever the case or spacing (in any
    alphabet: "Straße" and "STRASSE" are one)."""
    return " ".join(activity.split()).casefold()


def activity_problem(activity: str) -> str | None:
    return _text_problem(activity, MAX_ACTIVITY_LENGTH, required=True)


def rung_problems(entry: RungEntry, *, library: Library) -> dict:
    problems = rating_problems(entry.rating)
    if problem := activity_problem(entry.activity):
        problems["activity"] = problem
    if entry.library_id and entry.library_id not in library.activities:
        problems["library_id"] = "Not in the starter library; leave it out for your own words."
    return problems


@dataclass
class AttemptBefore:
    """Before a try: the rung, and the prediction."""

    rung: int  # the rung's id
    started_at: dt.datetime
    fear_before: int  # 0-100
    predicted_pain: int  # 0-10
    predicted_harm: int  # 0-100: how likely it feels that it will damage the body
    prediction: str = ""  # in words: "my back will lock up"


@dataclass
class AttemptAfter:
    """After a try: what happened."""

    actual_pain: int  # 0-10, during
    outcome: str  # did the feared outcome happen: yes | partly | no
    fear_after: int  # 0-100
    learned: str = ""
    finished_at: dt.datetime | None = None  # the moment it was recorded, when not given


def before_problems(entry: AttemptBefore, *, now: dt.datetime) -> dict:
    problems = {}
    for name, problem in (
        ("started_at", moment_problem(entry.started_at, now=now)),
        ("fear_before", percent_problem(entry.fear_before)),
        ("predicted_pain", scale_problem(entry.predicted_pain, required=True)),
        ("predicted_harm", percent_problem(entry.predicted_harm, top=HARM_MAX)),
        ("prediction", _text_problem(entry.prediction, MAX_PREDICTION_LENGTH, required=False)),
    ):
        if problem:
            problems[name] = problem
    return problems


def after_problems(entry: AttemptAfter, *, started_at: dt.datetime, now: dt.datetime) -> dict:
    problems = {}
    for name, problem in (
        ("actual_pain", scale_problem(entry.actual_pain, required=True)),
        ("fear_after", percent_problem(entry.fear_after)),
        ("learned", _text_problem(entry.learned, MAX_TEXT_LENGTH, required=False)),
    ):
        if problem:
            problems[name] = problem
    if entry.outcome not in OUTCOMES:
        problems["outcome"] = f"Must be one of: {', '.join(OUTCOMES)}."
    if entry.finished_at is not None:
        if problem := moment_problem(entry.finished_at, now=now):
            problems["finished_at"] = problem
        elif entry.finished_at < started_at:
            problems["finished_at"] = "Must not be before the try started."
    return problems


@dataclass
class ActivityEntry:
    """A logged activity session: a walk, a swim, a class."""

    activity: str
    minutes: int
    local_date: dt.date
    note: str = ""


def activity_entry_problems(entry: ActivityEntry, *, today: dt.date) -> dict:
    problems = {}
    if problem := _text_problem(entry.activity, MAX_ACTIVITY_LENGTH, required=True):
        problems["activity"] = problem
    if entry.minutes is None:
        problems["minutes"] = "This is required."
    elif isinstance(entry.minutes, bool) or not isinstance(entry.minutes, int):
        problems["minutes"] = "Must be a whole number."
    elif not 1 <= entry.minutes <= MAX_MOVEMENT_MINUTES:
        problems["minutes"] = f"Must be between 1 and {MAX_MOVEMENT_MINUTES}."
    # The person's today, with a day's slack for a device a time zone ahead.
    if entry.local_date > today + dt.timedelta(days=1):
        problems["local_date"] = "Cannot be in the future."
    elif entry.local_date.year < 1900:
        problems["local_date"] = "Must be after 1900."
    if problem := _text_problem(entry.note, MAX_TEXT_LENGTH, required=False):
        problems["note"] = problem
    return problems


# Time-based pacing: a quota of time for a chosen activity, a planned break before the pain
# rises, then more of it (time-contingent: the clock says when to stop, not the pain).

MAX_PACED_ACTIVITIES = 20
MAX_PACING_MINUTES = 240  # a quota of activity, in one go
MAX_BREAK_MINUTES = 120
MAX_BREAKS = 100  # breaks taken in one bout
STEP_UP_BOUTS = 3  # full-time bouts, on different days, before a step up is suggested


@dataclass
class PacingPlanEntry:
    """A plan: do `activity` for `activity_minutes`, then rest for `break_minutes`."""

    activity: str
    activity_minutes: int
    break_minutes: int

    def normalised(self) -> "PacingPlanEntry":
        return PacingPlanEntry(
            activity=" ".join(self.activity.split()),
            activity_minutes=self.activity_minutes,
            break_minutes=self.break_minutes,
        )


def _minutes_problem(
    value, *, top: int, bottom: int = 1, missing: str = "This is required."
) -> str | None:
    if value is None:
        return missing
    if isinstance(value, bool) or not isinstance(value, int):
        return "Must be a whole number."
    if not bottom <= value <= top:
        return f"Must be between {bottom} and {top}."
    return None


def pacing_plan_problems(entry: PacingPlanEntry) -> dict:
    problems = {}
    for name, problem in (
        (
            "activity",
            "Name the activity to pace, such as gardening."
            if not entry.activity
            else activity_problem(entry.activity),
        ),
        (
            "activity_minutes",
            _minutes_problem(
                entry.activity_minutes,
                top=MAX_PACING_MINUTES,
                missing=f"Say how many minutes you will do it before a break (1 to "
                f"{MAX_PACING_MINUTES}).",
            ),
        ),
        (
            "break_minutes",
            _minutes_problem(
                entry.break_minutes,
                top=MAX_BREAK_MINUTES,
                missing=f"Say how many minutes the break lasts (1 to {MAX_BREAK_MINUTES}).",
            ),
        ),
    ):
        if problem:
            problems[name] = problem
    return problems


@dataclass
class PacingBoutEntry:
    """A paced bout done: the minutes of activity in all, and the breaks taken between."""

    plan: int  # the plan's id
    minutes: int
    breaks: int
    local_date: dt.date
    note: str = ""
    # Rounds that ran their whole quota, counted by the timer; None: logged by hand.
    rounds_to_time: int | None = None


def pacing_bout_problems(entry: PacingBoutEntry, *, today: dt.date) -> dict:
    problems = {}
    for name, problem in (
        (
            "minutes",
            _minutes_problem(
                entry.minutes,
                top=MAX_MOVEMENT_MINUTES,
                missing="Say how many minutes of the activity you did, in all.",
            ),
        ),
        (
            "breaks",
            _minutes_problem(
                entry.breaks,
                top=MAX_BREAKS,
                bottom=0,
                missing="Say how many breaks you took (0 if none).",
            ),
        ),
        (
            "rounds_to_time",
            entry.rounds_to_time is not None
            and _minutes_problem(entry.rounds_to_time, top=MAX_BREAKS + 1, bottom=0),
        ),
        ("note", _text_problem(entry.note, MAX_TEXT_LENGTH, required=False)),
    ):
        if problem:
            problems[name] = problem
    # The person's today, with a day's slack for a device a time zone ahead.
    if entry.local_date > today + dt.timedelta(days=1):
        problems["local_date"] = "Cannot be in the future."
    elif entry.local_date.year < 1900:
        problems["local_date"] = "Must be after 1900."
    return problems


def ran_to_time(minutes: int, breaks: int, quota: int, rounds_to_time: int | None) -> bool:
    """Whether a bout had a round that ran its whole quota: as the timer counted it, or, for
    a bout logged by hand, one stretch of at least the quota with no break (minutes in all
    cannot say whether any round between breaks was whole)."""
    if rounds_to_time is not None:
        return rounds_to_time >= 1
    return breaks == 0 and minutes >= quota


def step_up_suggested(activity_minutes: int, bouts) -> int | None:
    """A slightly longer quota to try, once a round ran its whole quota on STEP_UP_BOUTS
    different days with the quota as it is now; else None. `bouts`: (local_date, minutes,
    breaks, the quota then, rounds to time or None), any order. About 10% more, at least a
    minute: slowly, never a jump."""
    full_days = {
        date
        for date, minutes, breaks, quota, rounds in bouts
        if quota == activity_minutes and ran_to_time(minutes, breaks, quota, rounds)
    }
    if len(full_days) < STEP_UP_BOUTS or activity_minutes >= MAX_PACING_MINUTES:
        return None
    return min(MAX_PACING_MINUTES, max(activity_minutes + 1, round(activity_minutes * 1.1)))
