"""The fear ladder's reasoning: the order of the rungs, what each attempt taught (predicted
against actual), when a rung looks mastered, what to try next, and the milestones.

Plain Python, no Django. Rungs and attempts are any objects with the attributes named below
(the models, or simple records in tests).

A rung has: id, fear (0-100), harm (0-100), expected_pain (0-10), mastered (bool).
An attempt has: fear_before, predicted_pain, predicted_harm, and once finished: actual_pain,
outcome ("yes" | "partly" | "no"), fear_after; `finished` is true when those are set.
"""

import datetime as dt
from dataclasses import dataclass

FEAR_MAX = 100
HARM_MAX = 100
OUTCOMES = {
    "no": "No, it did not happen",
    "partly": "Partly",
    "yes": "Yes, it happened",
}
# A rung looks mastered when its last few tries all ended with little fear.
MASTERY_TRIES = 3
LOW_FEAR = 30  # fear after a try, 0-100
# A next rung this much scarier than the last one mastered is a big step: suggest one between.
BIG_STEP = 30


def difficulty(rung) -> tuple:
    """Easiest first: by fear, then how likely harm feels, then the pain expected."""
    return (rung.fear, rung.harm, rung.expected_pain, rung.id)


def in_order(rungs) -> list:
    return sorted(rungs, key=difficulty)


def next_step(rungs):
    """The easiest rung not yet mastered: the next step up the ladder (None at the top)."""
    return next((rung for rung in in_order(rungs) if not rung.mastered), None)


def step_is_big(rungs, step) -> bool:
    """Whether `step` is much scarier than the hardest rung mastered below it."""
    mastered = [rung.fear for rung in rungs if rung.mastered and rung.fear <= step.fear]
    return bool(mastered) and step.fear - max(mastered) > BIG_STEP


def _points(n: int) -> str:
    return f"{n} point{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Violation:
    """How an attempt compared with its prediction: the gap that teaches the alarm."""

    predicted_pain: int
    actual_pain: int
    predicted_harm: int
    outcome: str
    fear_before: int
    fear_after: int

    @property
    def pain_gap(self) -> int:
        """Points of pain fewer than predicted (negative: more than predicted)."""
        return self.predicted_pain - self.actual_pain

    @property
    def surprised(self) -> bool:
        """The alarm was wrong in the hopeful direction: less pain, or the feared thing did
        not happen; never when the feared thing did happen."""
        return self.outcome != "yes" and (self.pain_gap > 0 or self.outcome == "no")

    @property
    def hard(self) -> bool:
        """The feared thing happened, or it hurt more than predicted: rest comes first."""
        return self.outcome == "yes" or self.pain_gap < 0

    def pain_words(self) -> str:
        said = f"You expected pain of {self.predicted_pain}, it was {self.actual_pain}"
        if self.pain_gap > 0:
            return f"{said}: {_points(self.pain_gap)} less than you feared."
        if self.pain_gap == 0:
            return f"{said}: just as you predicted."
        return (
            f"{said}: {_points(-self.pain_gap)} more than you predicted. Hurt is not the same "
            "as harm. A smaller step next time is fine."
        )

    def harm_words(self) -> str:
        thought = f"You thought there was a {self.predicted_harm}% chance it would damage your body"
        if self.outcome == "no":
            return f"{thought}, and what you feared did not happen."
        if self.outcome == "partly":
            return f"{thought}, and what you feared happened only in part."
        return (
            f"{thought}, and what you feared happened. If it worries you, or something new "
            "happened, talk to a clinician before the next try."
        )

    def lesson(self) -> str:
        """What the alarm got wrong, when it got something wrong; else nothing."""
        if self.outcome == "no":
            return "What you feared did not happen: your alarm was wrong about this one."
        if self.pain_gap > 0 and self.outcome != "yes":
            return "It hurt less than your alarm predicted."
        return ""

    def fear_words(self) -> str:
        change = self.fear_after - self.fear_before
        if change < 0:
            return f"Your fear went down from {self.fear_before} to {self.fear_after}."
        if change == 0:
            return f"Your fear stayed at {self.fear_before}."
        return f"Your fear went up from {self.fear_before} to {self.fear_after}."

    def words(self) -> list[str]:
        return [self.pain_words(), self.harm_words(), self.fear_words()]


def violation(attempt) -> Violation | None:
    if not attempt.finished:
        return None
    return Violation(
        predicted_pain=attempt.predicted_pain,
        actual_pain=attempt.actual_pain,
        predicted_harm=attempt.predicted_harm,
        outcome=attempt.outcome,
        fear_before=attempt.fear_before,
        fear_after=attempt.fear_after,
    )


def mastery_suggested(rung, attempts_newest_first) -> bool:
    """Suggest marking a rung mastered when its last MASTERY_TRIES finished tries each ended
    with fear at LOW_FEAR or less and without the feared outcome in full. Only a suggestion:
    the person decides."""
    if rung.mastered:
        return False
    finished = [attempt for attempt in attempts_newest_first if attempt.finished]
    recent = finished[:MASTERY_TRIES]
    return len(recent) == MASTERY_TRIES and all(
        attempt.fear_after <= LOW_FEAR and attempt.outcome != "yes" for attempt in recent
    )


def level(mastered_count: int) -> int:
    """Everyone starts at level 1; each rung mastered is a level up."""
    return 1 + mastered_count


@dataclass(frozen=True)
class Milestone:
    id: str
    label: str
    reached_on: dt.date | None
    # Towards it: (how many so far, how many it needs), for the ones that count up.
    progress: tuple[int, int] | None = None


@dataclass(frozen=True)
class Facts:
    """What the milestones are judged on, each list in time order."""

    rungs_added_on: list[dt.date]
    tries_finished_on: list[dt.date]
    surprises_on: list[dt.date]  # finished tries where the alarm was wrong (Violation.surprised)
    mastered_on: list[dt.date]
    goal_weeks_met_on: list[dt.date]  # the last day of each week whose movement goal was met
    # The last day of each week that made a run of weeks moving on most days 1, 2, 3 ... long
    # (pacing.run_lengths_reached): the 4th is when four weeks in a row were reached.
    active_runs_on: list[dt.date]


def _nth(dates: list[dt.date], n: int) -> dt.date | None:
    return sorted(dates)[n - 1] if len(dates) >= n else None


def _counting(milestone_id: str, label: str, dates: list[dt.date], n: int) -> Milestone:
    return Milestone(milestone_id, label, _nth(dates, n), (min(len(dates), n), n))


def milestones(facts: Facts) -> list[Milestone]:
    """Every milestone, reached or not, in the order they usually come."""
    return [
        _counting("first_rung", "Your first rung on the ladder", facts.rungs_added_on, 1),
        _counting("first_try", "Your first try", facts.tries_finished_on, 1),
        _counting(
            "first_surprise", "The alarm was wrong for the first time", facts.surprises_on, 1
        ),
        _counting("five_tries", "Five tries", facts.tries_finished_on, 5),
        _counting("first_mastered", "Your first rung mastered", facts.mastered_on, 1),
        _counting("first_goal_week", "A week's movement goal met", facts.goal_weeks_met_on, 1),
        _counting("ten_surprises", "Ten times the alarm was wrong", facts.surprises_on, 10),
        _counting("three_mastered", "Three rungs mastered", facts.mastered_on, 3),
        _counting(
            "four_active_weeks",
            "Four weeks in a row of moving most days",
            facts.active_runs_on,
            4,
        ),
        _counting("twenty_five_tries", "Twenty-five tries", facts.tries_finished_on, 25),
    ]
