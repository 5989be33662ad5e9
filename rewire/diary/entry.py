"""What one check-in holds, and the rules it must follow. Plain Python, no Django.

The web form, the API and the import all turn their input into a `CheckInEntry` and
call `problems_with`, so a rule exists once.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from rewire.core.validation import (
    MAX_LIST_LENGTH,
    MAX_MOVEMENT_MINUTES,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    emotion_names_problem,
    moment_problem,
    scale_problem,
)
from rewire.diary.vocabulary import BODY_AREA_SLUGS, MAX_SLEEP_HOURS, normalise_name


@dataclass
class CheckInEntry:
    pain: int
    recorded_at: dt.datetime
    is_flare: bool = False
    body_areas: list[tuple[str, int]] = field(default_factory=list)
    emotions: list[tuple[str, int]] = field(default_factory=list)
    stress: int | None = None
    tags: list[str] = field(default_factory=list)
    thought: str = ""
    helped: list[str] = field(default_factory=list)
    movement_minutes: int | None = None
    sleep_hours: Decimal | None = None
    sleep_quality: int | None = None
    note: str = ""

    def normalised(self) -> "CheckInEntry":
        return CheckInEntry(
            pain=self.pain,
            recorded_at=self.recorded_at,
            is_flare=self.is_flare,
            body_areas=list(self.body_areas),
            emotions=[(normalise_name(name), value) for name, value in self.emotions],
            stress=self.stress,
            tags=_unique(normalise_name(tag) for tag in self.tags),
            thought=self.thought.strip(),
            helped=_unique(normalise_name(tag) for tag in self.helped),
            movement_minutes=self.movement_minutes,
            sleep_hours=self.sleep_hours,
            sleep_quality=self.sleep_quality,
            note=self.note.strip(),
        )


def _unique(names) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))


def problems_with(entry: CheckInEntry, *, now: dt.datetime) -> dict[str, str]:
    """Every rule the entry breaks, as {field name: reason}. Empty when it is valid."""
    problems: dict[str, str] = {}

    def check(name, problem):
        if problem:
            problems[name] = problem

    check("pain", scale_problem(entry.pain, required=True))
    check("stress", scale_problem(entry.stress))
    check("sleep_quality", scale_problem(entry.sleep_quality))

    check("recorded_at", moment_problem(entry.recorded_at, now=now))

    areas = [area for area, _ in entry.body_areas]
    unknown = sorted(set(areas) - set(BODY_AREA_SLUGS))
    if unknown:
        problems["body_areas"] = f"Unknown body area: {', '.join(unknown)}."
    elif len(areas) != len(set(areas)):
        problems["body_areas"] = "Each body area can appear only once."
    else:
        for _, intensity in entry.body_areas:
            check("body_areas", scale_problem(intensity, required=True))

    names_problem = emotion_names_problem([name for name, _ in entry.emotions])
    if names_problem:
        problems["emotions"] = names_problem
    else:
        for _, intensity in entry.emotions:
            check("emotions", scale_problem(intensity, required=True))

    for name in ("tags", "helped"):
        if len(getattr(entry, name)) > MAX_LIST_LENGTH:
            problems[name] = f"At most {MAX_LIST_LENGTH} tags."
        elif any(len(tag) > MAX_NAME_LENGTH for tag in getattr(entry, name)):
            problems[name] = f"Tags are at most {MAX_NAME_LENGTH} characters."

    if entry.movement_minutes is not None and not (
        0 <= entry.movement_minutes <= MAX_MOVEMENT_MINUTES
    ):
        problems["movement_minutes"] = f"Must be between 0 and {MAX_MOVEMENT_MINUTES}."
    if entry.sleep_hours is not None:
        if not 0 <= entry.sleep_hours <= MAX_SLEEP_HOURS:
            problems["sleep_hours"] = f"Must be between 0 and {MAX_SLEEP_HOURS}."
        elif entry.sleep_hours != entry.sleep_hours.quantize(Decimal("0.1")):
            problems["sleep_hours"] = "Use at most one decimal place, such as 6.5."
    for name in ("thought", "note"):
        if len(getattr(entry, name)) > MAX_TEXT_LENGTH:
            problems[name] = f"At most {MAX_TEXT_LENGTH} characters."
    return problems
