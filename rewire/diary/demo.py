"""A realistic synthetic diary for the demo account. Plain Python, no Django.

The day's pain is built from parts that later analyses should be able to find: a slow
improvement, a weekly rhythm (work days worse), a short night raising the pain of the day
after it (the day whose first check-in gives those hours), stress and conflict raising the
same day's, walks lowering it, flares that last a few days, and day-to-day noise that
carries over. "weather change" is recorded but has no effect, as a null factor.
"""

import datetime as dt
import math
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from rewire.diary.entry import CheckInEntry

THOUGHTS = [
    "What if this never gets better?",
    "I must have damaged something.",
    "I can't cope with work like this.",
    "It always flares when I sit too long.",
    "This is my alarm system being over-protective.",
    "I'll never be able to run again.",
    "I did too much yesterday.",
]
NOTES = ["Long meeting day.", "Good walk by the river.", "Rough night.", "Visited family."]
CHECKIN_HOURS = [7.5, 10.5, 13.5, 16.5, 19.5, 22.0]


def _clamp(value: float, low: int = 0, high: int = 10) -> int:
    return max(low, min(high, round(value)))


def demo_diary(
    *, days: int, today: dt.date, zone: str = "Europe/London", seed: int = 7
) -> list[tuple[CheckInEntry, dt.date]]:
    """About five check-ins a day for `days` days ending today, oldest first."""
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    entries = []
    carried_noise = 0.0
    flare_left = 0
    for index in range(days):
        day = today - dt.timedelta(days=days - 1 - index)
        progress = index / max(days - 1, 1)
        work_day = day.weekday() < 5
        sleep_hours = round(min(10.0, max(3.5, rng.gauss(6.9, 1.0))) * 2) / 2
        sleep_quality = _clamp(sleep_hours - 1.5 + rng.gauss(0, 1.2))
        stress = _clamp(rng.gauss(5.0 if work_day else 3.0, 1.7))
        conflict = rng.random() < 0.08
        weather = rng.random() < 0.12
        walked = rng.random() < 0.45
        if flare_left == 0 and rng.random() < 0.035:
            flare_left = rng.randint(2, 4)
        in_flare = flare_left > 0
        flare_left = max(0, flare_left - 1)
        carried_noise = 0.6 * carried_noise + rng.gauss(0, 0.55)

        level = (
            5.6
            - 2.0 * progress  # slow improvement
            + 0.3 * math.sin(2 * math.pi * index / 180)  # a season-long wave
            + (0.5 if work_day else -0.2)  # weekly rhythm
            # A short night (the hours a day's first check-in gives are the night before it):
            # that day is worse.
            + (1.2 if sleep_hours < 6 else 0.0)
            + 0.22 * (stress - 4)
            + (1.0 if conflict else 0.0)
            - (0.7 if walked else 0.0)
            + (2.6 if in_flare else 0.0)
            + carried_noise
        )

        count = rng.choice([4, 5, 5, 5, 6])
        hours = sorted(rng.sample(CHECKIN_HOURS, count))
        for position, hour in enumerate(hours):
            local = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                hours=hour, minutes=rng.randint(-40, 40)
            )
            pain = _clamp(level + 0.25 * (hour - 14) / 4 + rng.gauss(0, 0.7))
            tags = []
            if work_day and hour < 18:
                tags.append("work")
                if rng.random() < 0.5:
                    tags.append("long sitting")
            if conflict and position == count - 1:
                tags.append("conflict")
            if weather and position == 0:
                tags.append("weather change")
            if sleep_hours < 6 and position == 0:
                tags.append("poor sleep")
            helped = ["walk"] if walked and position == count - 1 else []
            if rng.random() < 0.08:
                helped.append(rng.choice(["heat", "stretching", "breathing", "somatic tracking"]))
            areas = [("lower_back", pain)]
            if rng.random() < 0.3:
                areas.append(("neck", _clamp(pain - 2)))
            if in_flare and rng.random() < 0.5:
                areas.append(("left_hip", _clamp(pain - 1)))
            emotions = []
            if stress >= 6:
                emotions.append(("anxious", _clamp(stress + rng.gauss(0, 1))))
            if pain >= 6:
                emotions.append(("frustrated", _clamp(pain - 1 + rng.gauss(0, 1))))
            if pain <= 3 and rng.random() < 0.5:
                emotions.append(("calm", _clamp(7 + rng.gauss(0, 1))))
            first = position == 0
            entries.append(
                (
                    CheckInEntry(
                        pain=pain,
                        recorded_at=local.replace(tzinfo=tz),
                        is_flare=in_flare and position == 1,
                        body_areas=areas,
                        emotions=emotions,
                        stress=stress if rng.random() < 0.8 else None,
                        tags=tags,
                        thought=rng.choice(THOUGHTS) if pain >= 6 and rng.random() < 0.3 else "",
                        helped=list(dict.fromkeys(helped)),
                        movement_minutes=(
                            # Walks grow longer as the months go by: pacing at work.
                            round(rng.randint(20, 50) * (1 + 0.8 * progress))
                            if walked
                            else rng.randint(0, 15)
                        )
                        if position == count - 1
                        else None,
                        sleep_hours=Decimal(str(sleep_hours)) if first else None,
                        sleep_quality=sleep_quality if first else None,
                        note=rng.choice(NOTES) if rng.random() < 0.02 else "",
                    ),
                    day,
                )
            )
    return entries
