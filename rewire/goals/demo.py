"""The demo account's goals: three things pain had taken, added when the programme began
and rated each week since, doing a little more of each as the weeks go by. Plain Python, no
Django."""

import datetime as dt
import random
from dataclasses import dataclass

from rewire.goals.rules import week_of

GOALS = (
    ("A Saturday walk with Sam", "We used to walk for hours. I miss talking on the way.", 2),
    ("Gardening", "Growing things makes me feel like myself.", 3),
    ("A full day at work without leaving early", "", 4),
)


@dataclass(frozen=True)
class DemoGoal:
    title: str
    why: str
    added_on: dt.date
    ratings: tuple[tuple[dt.date, int], ...]  # (Monday, done)


def demo_goals(*, start: dt.date, today: dt.date, seed: int = 7) -> list[DemoGoal]:
    rng = random.Random(seed)
    weeks = []
    week = week_of(start)
    while week <= week_of(today):
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    found = []
    for title, why, first in GOALS:
        ratings = tuple(
            (monday, max(0, min(10, first + round(number * 1.2 + rng.uniform(-1, 1)))))
            for number, monday in enumerate(weeks)
        )
        found.append(DemoGoal(title, why, start, ratings))
    return found
