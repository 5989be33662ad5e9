"""The PRT trial's outcome beside the person's own. Plain Python, no Django.

The trial's primary outcome was average pain over the past week, 0-10; "pain-free or nearly
pain-free" is 0 or 1 (Ashar et al., JAMA Psychiatry 2022; figures from the project brief).
"""

import datetime as dt
from dataclasses import dataclass

PAIN_FREE_OR_NEARLY = 1  # a weekly average of 0 or 1

TRIAL = {
    "citation": "Ashar et al., JAMA Psychiatry 2022 (NCT03294148)",
    "participants": "151 adults with chronic back pain (on average about 10 years), aged 21-70",
    "pain_free_or_nearly_after_4_weeks": {"PRT": 66, "Placebo injection": 20, "Usual care": 10},
    "mean_pain_after_4_weeks": {"PRT": 1.18, "Placebo injection": 2.84, "Usual care": 3.13},
    "mean_pain_after_1_year": {"PRT": 1.51, "Placebo injection": 2.79, "Usual care": 3.00},
}
CAVEATS = (
    "This was one trial.",
    "Most participants were white and highly educated.",
    "The developers of PRT were among its authors.",
    "It studied chronic back pain; effects for other kinds of pain are less certain.",
    "Your own numbers are yours alone: they are not a trial, and the app makes no cure claims.",
)


@dataclass(frozen=True)
class Week:
    number: int  # 0 = the baseline week
    starts: dt.date
    pain: int | None  # the weekly-pain answer given in that week, latest if several
    pain_free_or_nearly: bool | None


def weekly_outcome(answers: list[tuple[dt.date, int]]) -> list[Week]:
    """Weeks counted from the first weekly-pain answer; each with its answer, if any.
    `answers` in the order they were given: of two on one day, the later counts."""
    if not answers:
        return []
    answers = sorted(answers, key=lambda answer: answer[0])  # stable: keeps that order
    first = answers[0][0]
    by_week: dict[int, int] = {}
    for day, pain in answers:
        by_week[(day - first).days // 7] = pain
    weeks = []
    for number in range(max(by_week) + 1):
        pain = by_week.get(number)
        weeks.append(
            Week(
                number=number,
                starts=first + dt.timedelta(days=7 * number),
                pain=pain,
                pain_free_or_nearly=None if pain is None else pain <= PAIN_FREE_OR_NEARLY,
            )
        )
    return weeks
