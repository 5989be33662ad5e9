"""The rules every app's records share: scales, times, names and lengths. Plain Python, no
Django, so the forms, the API, the import and the domain modules apply the same rule."""

import datetime as dt
import zoneinfo

SCALE_MIN, SCALE_MAX = 0, 10
MAX_MOVEMENT_MINUTES = 24 * 60
MAX_NAME_LENGTH = 40
MAX_TEXT_LENGTH = 5000
MAX_LIST_LENGTH = 50  # tags, things that helped, emotions: per record

# A clock a few minutes fast on the phone should not block a record.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)

# Reading the list scans the system's time zone files (~12 ms): once is enough.
KNOWN_TIMEZONES = frozenset(zoneinfo.available_timezones())


def scale_problem(value, *, required=False) -> str | None:
    if value is None:
        return "This is required." if required else None
    if isinstance(value, bool) or not isinstance(value, int):
        return "Must be a whole number."
    if not SCALE_MIN <= value <= SCALE_MAX:
        return f"Must be between {SCALE_MIN} and {SCALE_MAX}."
    return None


def moment_problem(moment: dt.datetime, *, now: dt.datetime) -> str | None:
    """What is wrong with the time something happened, if anything."""
    if moment.tzinfo is None:
        return "Must include a timezone offset, such as +01:00 or Z."
    if moment > now + FUTURE_TOLERANCE:
        return "Cannot be in the future."
    if moment.year < 1900:
        return "Must be after 1900."
    return None


def emotion_names_problem(names: list[str]) -> str | None:
    """What is wrong with a list of (normalised) emotion names, if anything."""
    if len(names) > MAX_LIST_LENGTH:
        return f"At most {MAX_LIST_LENGTH} emotions."
    if any(not name for name in names):
        return "Each emotion needs a name."
    if any(len(name) > MAX_NAME_LENGTH for name in names):
        return f"Emotion names are at most {MAX_NAME_LENGTH} characters."
    if len(names) != len(set(names)):
        return "Each emotion can appear only once."
    return None
