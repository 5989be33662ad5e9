"""The demo account's questionnaires, from the day its programme started: the baseline,
weekly pain every week, PHQ-9 and GAD-7 every two weeks, Rewire's own two ratings weekly;
all easing as the weeks go by. Plain Python, no Django."""

import datetime as dt
import random
from zoneinfo import ZoneInfo


def _phq_like(rng, items: int, level: float) -> list[int]:
    return [max(0, min(3, round(rng.gauss(level, 0.6)))) for _ in range(items)]


def demo_responses(
    *, start: dt.date, today: dt.date, zone: str, now: dt.datetime, seed: int = 7
) -> list[tuple[str, dict, dt.datetime]]:
    """(instrument id, answers, answered at), oldest first."""
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    responses = []
    day = start
    while day <= today:
        week = (day - start).days // 7
        moment = dt.datetime.combine(day, dt.time(19, 30), tzinfo=tz)
        if (day - start).days % 7 == 0 and moment <= now:
            pain = max(0, min(10, round(5.5 - 1.2 * week + rng.gauss(0, 0.5))))
            responses.append(("weekly_pain", {"average_pain": pain}, moment))
            for own, level in (("fear_of_movement", 7), ("pain_means_damage", 8)):
                value = max(0, min(10, round(level - 1.5 * week + rng.gauss(0, 0.6))))
                responses.append((own, {own: value}, moment + dt.timedelta(minutes=2)))
            if week % 2 == 0:
                later = moment + dt.timedelta(minutes=5)
                level = max(0.2, 1.3 - 0.35 * week)
                phq = _phq_like(rng, 9, level)
                phq[8] = 0
                responses.append(("phq9", {f"phq9_{i}": v for i, v in enumerate(phq, 1)}, later))
                gad = _phq_like(rng, 7, level + 0.2)
                responses.append(("gad7", {f"gad7_{i}": v for i, v in enumerate(gad, 1)}, later))
            if week == 0:
                start_back = [1, 0, 1, 1, 1, 1, 0, 0, 2]
                responses.append(
                    (
                        "start_back",
                        {f"sb_{i}": v for i, v in enumerate(start_back, 1)},
                        moment + dt.timedelta(minutes=8),
                    )
                )
        day += dt.timedelta(days=1)
    return sorted(responses, key=lambda response: response[2])
