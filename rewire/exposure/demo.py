"""The demo account's fear ladder and movement log. Plain Python, no Django.

Someone with long-lasting back pain built a ladder of everyday activities about two weeks before
today (or on the diary's first day, if it is shorter) and has been trying the two or three
easiest ones since: the pain is usually less than predicted and the fear falls from try to try,
with a try or two that hurt more than expected and one where the feared thing partly happened.
The easiest rung is mastered; the second has earned the app's suggestion to mark it mastered,
which the person has not acted on yet. Yesterday's last try waits for its next-day pain.
Walks, swims and classes are logged on about three days a week over the last four weeks, a
little longer as the weeks go by, so the pacing plan has a baseline week and goal weeks.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from rewire.exposure import ladder
from rewire.exposure.library import Library
from rewire.exposure.rules import (
    ActivityEntry,
    AttemptAfter,
    AttemptBefore,
    PacingPlanEntry,
    Rating,
    RungEntry,
)

LADDER_DAYS_AGO = 14
ACTIVITY_DAYS = 28
# Starter-library ids that fit chronic back pain, roughly from least to most feared.
BACK_PAIN_ACTIVITIES = [
    "walk_30_minutes",
    "bend_pick_up",
    "sit_one_hour",
    "tie_shoes",
    "lift_shopping_bag",
    "vacuum",
    "touch_toes",
    "carry_shopping_home",
    "long_car_trip",
    "gardening",
    "lift_laundry_basket",
    "lift_box_floor",
    "carry_child",
    "run",
]
# Where each of the three rungs being tried has its tries, as parts of the days since the ladder
# was built: the easiest first, the third only lately.
TRY_SPANS = [(0.0, 0.7), (0.15, 1.0), (0.55, 0.95)]
PREDICTIONS = [
    "My back will lock up.",
    "I'll feel something go in my lower back.",
    "The pain will flare for days afterwards.",
    "I'll have to stop halfway.",
]
LEARNED_BETTER = [
    "It was stiff at first and eased as I kept going.",
    "Less pain than I thought, and nothing went.",
    "My back coped. The alarm was louder than the danger.",
    "I expected days of pain; it had settled by the evening.",
]
LEARNED_WORSE = "It hurt more than I expected, but it settled and nothing was damaged."
SESSIONS = ["Walk", "Walk", "Walk", "Swimming", "Stretching class", "Cycling"]
SESSION_NOTES = ["Felt stiff for the first ten minutes.", "Went with a friend.", "Easy pace."]


@dataclass
class DemoAttempt:
    # before.rung is the rung's position in DemoExposure.rungs: the database id is not known
    # here, so whoever writes the rungs swaps it in.
    before: AttemptBefore
    after: AttemptAfter
    next_day_pain: int | None


@dataclass
class DemoExposure:
    rungs: list[RungEntry] = field(default_factory=list)  # in the order they were added
    attempts: list[DemoAttempt] = field(default_factory=list)  # oldest first
    mastered: list[int] = field(default_factory=list)  # positions in rungs
    activities: list[ActivityEntry] = field(default_factory=list)  # oldest first
    pacing_plan: PacingPlanEntry | None = None
    # (local_date, minutes, breaks, rounds that ran to time), oldest first
    pacing_bouts: list[tuple[dt.date, int, int, int]] = field(default_factory=list)


# Time-based pacing of the gardening that used to end in a boom and a bust.
PACING_PLAN = PacingPlanEntry(activity="Gardening", activity_minutes=15, break_minutes=5)


def _pacing_bouts(*, days: int, today: dt.date, seed: int) -> list[tuple]:
    """Some days of the last three weeks: one to three rounds, a break after each, now and
    then a round cut short. Its own random numbers, so the rest of the demo is unchanged."""
    rng = random.Random(seed + 1)
    quota = PACING_PLAN.activity_minutes
    bouts = []
    for back in range(min(days, 21) - 1, -1, -1):
        if rng.random() >= 0.4:
            continue
        rounds = rng.choice([1, 2, 2, 3])
        short = rng.random() < 0.2
        minutes = rounds * quota - (rng.randint(3, 8) if short else 0)
        bouts.append((today - dt.timedelta(days=back), minutes, rounds, rounds - short))
    return bouts


_NOT_MASTERED = SimpleNamespace(mastered=False)


def _clamp(value: float, high: int, low: int = 0) -> int:
    return max(low, min(high, round(value)))


def _at(day: dt.date, hour: float, tz) -> dt.datetime:
    return (dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hour)).replace(tzinfo=tz)


def _rungs(rng: random.Random, library: Library) -> list[RungEntry]:
    count = rng.randint(6, 8)
    chosen = sorted(rng.sample(range(len(BACK_PAIN_ACTIVITIES)), count))
    rungs = []
    fear = 0
    for position, index in enumerate(chosen):
        # Spread from about 20 to 90, each rung scarier than the one before.
        target = 20 + 70 * position / (count - 1) + rng.randint(-4, 4)
        fear = max(fear + 1, min(90, max(20, round(target))))
        library_id = BACK_PAIN_ACTIVITIES[index]
        rungs.append(
            RungEntry(
                activity=library.activities[library_id].label,
                library_id=library_id,
                rating=Rating(
                    fear=fear,
                    expected_pain=_clamp(3 + fear / 15 + rng.uniform(-0.8, 0.8), 10),
                    harm=_clamp(fear - 10 + rng.uniform(-8, 8), 100),
                ),
            )
        )
    return rungs


@dataclass
class _Answers:
    """A finished try's answers (so ladder.mastery_suggested can judge a list of them)."""

    fear_before: int
    predicted_pain: int
    predicted_harm: int
    prediction: str
    actual_pain: int
    outcome: str
    fear_after: int
    learned: str
    finished: bool = True


def _tries(rng: random.Random, rung: RungEntry, *, count: int, easiest: int) -> list[_Answers]:
    """`count` tries at the rung `easiest` steps from the bottom of the ladder, oldest first.
    Fear falls from try to try, coming back a little before each. The last three tries at the
    two easiest rungs end with little fear (mastery); the first try at the second and third
    hurt more than predicted, and at the third the feared thing partly happened."""
    tries: list[_Answers] = []
    for number in range(count):
        share = number / max(count - 1, 1)
        if tries:
            fear_before = min(rung.rating.fear, tries[-1].fear_after + rng.randint(3, 9))
        else:
            fear_before = min(100, rung.rating.fear + rng.randint(0, 6))
        hurt_more = number == 0 and easiest > 0
        fear_after = fear_before * (rng.uniform(0.9, 1) if hurt_more else rng.uniform(0.6, 0.85))
        if easiest < 2 and number >= count - ladder.MASTERY_TRIES:
            fear_after = min(fear_after, ladder.LOW_FEAR - rng.randint(2, 8))
        if tries:
            fear_after = min(fear_after, tries[-1].fear_after - 1)
        predicted_pain = _clamp(
            rung.rating.expected_pain - 1.5 * share + rng.uniform(-0.5, 0.5), 10, low=2
        )
        if hurt_more:
            actual_pain = _clamp(predicted_pain + rng.randint(1, 2), 10)
        else:  # a back that hurts most days: rarely no pain at all
            actual_pain = _clamp(predicted_pain - rng.choice([1, 1, 2, 2, 3]), 10, low=1)
        tries.append(
            _Answers(
                fear_before=fear_before,
                predicted_pain=predicted_pain,
                predicted_harm=_clamp(rung.rating.harm * (1 - 0.6 * share), 100),
                prediction=rng.choice(PREDICTIONS),
                actual_pain=actual_pain,
                outcome="partly" if number == 0 and easiest == 2 else "no",
                fear_after=max(0, round(fear_after)),
                learned=LEARNED_WORSE if hurt_more else rng.choice(LEARNED_BETTER),
            )
        )
    return tries


def _activities(
    rng: random.Random, *, days: int, today: dt.date, now_local: dt.datetime
) -> list[ActivityEntry]:
    """Sessions on about three days a week, oldest first."""
    span = min(days, ACTIVITY_DAYS)
    start = today - dt.timedelta(days=span - 1)
    chosen = []
    for week in range(0, span, 7):
        week_days = range(week, min(week + 7, span))
        count = min(len(week_days), rng.choice([2, 3, 3, 3, 4]))
        chosen += sorted(rng.sample(week_days, count))
    sessions = []
    for index in chosen:
        day = start + dt.timedelta(days=index)
        if day == today and now_local.hour < 12:
            continue  # nothing done yet this morning
        grown = index / max(span - 1, 1)  # a little longer as the weeks go by
        minutes = min(45, max(10, 5 * round(rng.uniform(2 + 3 * grown, 6 + 3 * grown))))
        sessions.append(
            ActivityEntry(
                activity=rng.choice(SESSIONS),
                minutes=minutes,
                local_date=day,
                note=rng.choice(SESSION_NOTES) if rng.random() < 0.15 else "",
            )
        )
    return sessions


def demo_exposure(
    *,
    days: int,
    today: dt.date,
    zone: str,
    now: dt.datetime,
    library: Library,
    seed: int = 7,
) -> DemoExposure:
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    now_local = now.astimezone(tz)
    demo = DemoExposure(rungs=_rungs(rng, library))

    built = today - dt.timedelta(days=min(LADDER_DAYS_AGO, days - 1))
    # Tries run up to yesterday, so its last one can wait for its next-day pain; on a ladder
    # built today, they are today's.
    last_day = max(built, today - dt.timedelta(days=1))
    span = (last_day - built).days
    counts = [rng.randint(4, 5), rng.randint(4, 5), rng.randint(1, 3)]
    planned = []  # (when, as a part of the span; which rung; its answers)
    for easiest, (count, (first, last)) in enumerate(zip(counts, TRY_SPANS, strict=True)):
        for number, answers in enumerate(
            _tries(rng, demo.rungs[easiest], count=count, easiest=easiest)
        ):
            share = first + (last - first) * number / max(count - 1, 1)
            planned.append((share, easiest, answers))
    planned.sort(key=lambda item: item[0])  # stable: a rung's tries stay in their order

    by_day: dict[dt.date, list] = {}
    for share, easiest, answers in planned:
        by_day.setdefault(built + dt.timedelta(days=round(share * span)), []).append(
            (easiest, answers)
        )
    yesterday = today - dt.timedelta(days=1)
    finished: dict[int, list[_Answers]] = {}
    for day, tries in sorted(by_day.items()):
        gap = min(2.5, 14 / len(tries))  # hours between tries on the same day
        first_hour = rng.uniform(8, max(8, 20 - gap * (len(tries) - 1)))
        for position, (easiest, answers) in enumerate(tries):
            started_at = _at(day, first_hour + gap * position + rng.uniform(0, gap / 2), tz)
            finished_at = started_at + dt.timedelta(minutes=rng.randint(5, 25))
            if finished_at > now_local:
                continue  # not yet done
            next_day_pain = None
            if day < yesterday:
                next_day_pain = _clamp(
                    answers.actual_pain + rng.choice([-1, -1, 0, 0, 1]), 10, low=1
                )
            demo.attempts.append(
                DemoAttempt(
                    before=AttemptBefore(
                        rung=easiest,
                        started_at=started_at,
                        fear_before=answers.fear_before,
                        predicted_pain=answers.predicted_pain,
                        predicted_harm=answers.predicted_harm,
                        prediction=answers.prediction,
                    ),
                    after=AttemptAfter(
                        actual_pain=answers.actual_pain,
                        outcome=answers.outcome,
                        fear_after=answers.fear_after,
                        learned=answers.learned,
                        finished_at=finished_at,
                    ),
                    next_day_pain=next_day_pain,
                )
            )
            finished.setdefault(easiest, []).append(answers)

    # The easiest rung is marked mastered once its tries earn it; the second is left for the
    # person to decide.
    if ladder.mastery_suggested(_NOT_MASTERED, list(reversed(finished.get(0, [])))):
        demo.mastered.append(0)
    demo.activities = _activities(rng, days=days, today=today, now_local=now_local)
    demo.pacing_plan = PACING_PLAN
    demo.pacing_bouts = _pacing_bouts(days=days, today=today, seed=seed)
    return demo
