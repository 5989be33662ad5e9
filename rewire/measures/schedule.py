"""Which questionnaires are due. Plain Python, no Django.

A baseline at onboarding (weekly pain, PHQ-9, GAD-7, STarT Back), weekly pain every week,
PHQ-9 and GAD-7 every two weeks, Rewire's own change question every two weeks from two weeks
after the first weekly pain, PGIC once the programme is finished. Any questionnaire can
be taken at any time; "due" only decides what the home page suggests.
"""

import datetime as dt
from dataclasses import dataclass

BASELINE = ("weekly_pain", "phq9", "gad7", "start_back")
EVERY = {"weekly_pain": 7, "phq9": 14, "gad7": 14}
CHANGE_EVERY = 14  # Rewire's own change question (worsening.yaml)


@dataclass(frozen=True)
class Due:
    instrument: str
    reason: str


def due(
    *,
    last_taken: dict[str, dt.date],
    today: dt.date,
    programme_done_on: dt.date | None,
    first_taken: dict[str, dt.date] | None = None,
) -> list[Due]:
    """`last_taken` and `first_taken`: each instrument's latest and first local date;
    `programme_done_on`: the local date the last session was done, if it was."""
    first_taken = first_taken or {}
    result = []
    for instrument in BASELINE:
        last = last_taken.get(instrument)
        if last is None:
            result.append(Due(instrument, "Your starting point, to compare with later."))
        elif instrument in EVERY and (today - last).days >= EVERY[instrument]:
            weeks = EVERY[instrument] // 7
            result.append(Due(instrument, "Every week." if weeks == 1 else f"Every {weeks} weeks."))
    # Rewire's own change question, every two weeks once the start is two weeks behind.
    start = first_taken.get("weekly_pain")
    change = last_taken.get("pain_change")
    if (
        start
        and (today - start).days >= CHANGE_EVERY
        and (change is None or (today - change).days >= CHANGE_EVERY)
    ):
        result.append(Due("pain_change", "Every 2 weeks: is it getting better or worse?"))
    pgic = last_taken.get("pgic")
    if programme_done_on is not None and (pgic is None or pgic < programme_done_on):
        result.append(Due("pgic", "You have finished the programme: how has it changed things?"))
    return result
