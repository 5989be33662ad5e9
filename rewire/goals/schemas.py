"""The goals' API request and response shapes, shared with the export section. Unknown
fields are errors."""

from typing import Annotated

from pydantic import Field

from rewire.core.schemas import CalendarDate, Moment, Plain, Quiet, Scale, Strict
from rewire.goals.rules import (
    DONE_HELP,
    MAX_GOALS,
    MAX_TITLE_LENGTH,
    MAX_WHY_LENGTH,
    NOT_VALIDATED,
    WEEKS_SHOWN,
)

Title = Annotated[str, Field(max_length=MAX_TITLE_LENGTH), Plain]
Why = Annotated[str, Field(max_length=MAX_WHY_LENGTH), Plain]


class GoalIn(Strict):
    title: Title = Field(description="Something that matters and that pain has taken.")
    why: Why = Field("", description="Why it matters, in the person's words (optional).")


class RatingIn(Strict):
    done: Scale = Field(description=f"How much the person did it that week. {DONE_HELP}")


class WeekOut(Quiet):
    week: CalendarDate = Field(description="The week's Monday.")
    done: int | None = Field(description="0-10; null: not rated that week.")


class GoalOut(Quiet):
    id: int
    title: str
    why: str
    created_at: Moment
    weeks: list[WeekOut] = Field(
        description=f"The last {WEEKS_SHOWN} weeks up to this one, oldest first (none before "
        "the goal was added unless rated)."
    )
    first_rated: WeekOut | None
    latest_rated: WeekOut | None
    weeks_rated: int
    summary: str = Field(description="The latest week against the first, in words.")
    measure: str = Field(NOT_VALIDATED, description="What the rating is (and is not).")


class RatingOut(Quiet):
    goal: int
    week: CalendarDate
    done: int
    rated_at: Moment


class ExportedRating(Strict):
    week: CalendarDate = Field(description="The week's Monday.")
    done: Scale
    rated_at: Moment


class ExportedGoal(Strict):
    title: Title
    why: Why = ""
    created_at: Moment
    ratings: list[ExportedRating] = Field(default_factory=list, description="Oldest first.")


ExportedGoals = Annotated[list[ExportedGoal], Field(max_length=MAX_GOALS)]
