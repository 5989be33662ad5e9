"""Values and goals (CBT for chronic pain): up to three things that matter to the person and
that pain has taken, each rated once a week for how much they did it (0-10). Plain Python, no
Django.

The weekly rating is Rewire's own measure: it is not a validated questionnaire, and every
place that shows it says so (NOT_VALIDATED).
"""

import datetime as dt
from dataclasses import dataclass

MAX_GOALS = 3
MAX_TITLE_LENGTH = 80
MAX_WHY_LENGTH = 500
WEEKS_SHOWN = 8
NOT_VALIDATED = "Rewire's own measure, not a validated questionnaire."
DONE_QUESTION = "How much did you do it that week?"
DONE_HELP = "0 = not at all, 10 = as much as you wanted to."


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week that holds `day`: a week's rating is kept under its Monday."""
    return day - dt.timedelta(days=day.weekday())


def goal_problems(*, title: str, why: str, others: list[str]) -> dict[str, str]:
    """What is wrong with a goal's words; `others` are the person's other goals' titles."""
    problems = {}
    if not title:
        problems["title"] = "Name something that matters to you, such as “a walk with a friend”."
    elif len(title) > MAX_TITLE_LENGTH:
        problems["title"] = f"Keep it to {MAX_TITLE_LENGTH} characters (this has {len(title)})."
    elif title.casefold() in {other.casefold() for other in others}:
        problems["title"] = "You have this one already."
    if len(why) > MAX_WHY_LENGTH:
        problems["why"] = f"Keep it to {MAX_WHY_LENGTH} characters (this has {len(why)})."
    return problems


def week_problem(week: dt.date, *, today: dt.date) -> str | None:
    if week > week_of(today):
        return "A week that has not started yet cannot be rated."
    return None


@dataclass(frozen=True)
class Week:
    monday: dt.date
    done: int | None  # None: not rated that week


@dataclass(frozen=True)
class Trend:
    weeks: list[Week]  # the last WEEKS_SHOWN weeks, oldest first, up to the current one
    first: Week | None  # the first week ever rated
    latest: Week | None  # the latest week rated
    rated: int  # weeks ever rated

    @property
    def words(self) -> str:
        if self.latest is None:
            return "Not rated yet."
        if self.first is None or self.first.monday == self.latest.monday:
            return f"{self.latest.done} of 10 in the week of {_day(self.latest.monday)}."
        change = self.latest.done - self.first.done
        direction = "up" if change > 0 else "down" if change < 0 else "the same"
        by = f" by {abs(change)}" if change else ""
        return (
            f"{self.latest.done} of 10 in the week of {_day(self.latest.monday)}: {direction}{by} "
            f"since the first week you rated it ({self.first.done} in the week of "
            f"{_day(self.first.monday)})."
        )


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B}"


def trend(
    ratings: dict[dt.date, int],
    *,
    today: dt.date,
    since: dt.date | None = None,
    weeks: int = WEEKS_SHOWN,
) -> Trend:
    """`ratings` ({Monday: done}) as the last `weeks` weeks up to today's (none before the
    week of `since` that is not rated), with the first and the latest rated weeks."""
    this_week = week_of(today)
    shown = [this_week - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    if since is not None:
        shown = [
            week for week in shown if week >= week_of(since) or week in ratings or week == this_week
        ]
    rated = sorted(week for week in ratings if week <= this_week)
    return Trend(
        weeks=[Week(monday, ratings.get(monday)) for monday in shown],
        first=Week(rated[0], ratings[rated[0]]) if rated else None,
        latest=Week(rated[-1], ratings[rated[-1]]) if rated else None,
        rated=len(rated),
    )
