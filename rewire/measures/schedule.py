"""Which questionnaires are due. Plain Python, no Django.

A baseline at onboarding (weekly pain, PHQ-9, GAD-7, STarT Back), weekly pain every week,
PHQ-9 and GAD-7 every two weeks, PGIC once the programme is finished. Any questionnaire can
be taken at any time; "due" only decides what the home page suggests.
"""

import datetime as dt
from dataclasses import dataclass

BASELINE = ("weekly_pain", "phq9", "gad7", "start_back")
EVERY = {"weekly_pain": 7, "phq9": 14, "gad7": 14}


@dataclass(frozen=True)
class Due:
    instrument: str
    reason: str


def due(
    *, last_taken: dict[str, dt.date], today: dt.date, programme_done_on: dt.date | None
) -> list[Due]:
    """`last_taken`: each instrument's latest local date; `programme_done_on`: the local date
    the last session was done, if it was."""
    result = []
    for instrument in BASELINE:
        last = last_taken.get(instrument)
        if last is None:
            result.append(Due(instrument, "Your starting point, to compare with later."))
        elif instrument in EVERY and (today - last).days >= EVERY[instrument]:
            weeks = EVERY[instrument] // 7
            result.append(Due(instrument, "Every week." if weeks == 1 else f"Every {weeks} weeks."))
    pgic = last_taken.get("pgic")
    if programme_done_on is not None and (pgic is None or pgic < programme_done_on):
        result.append(Due("pgic", "You have finished the programme: how has it changed things?"))
    return result
