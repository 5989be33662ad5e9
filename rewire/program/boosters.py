"""After the four weeks: the check-ups ("booster reviews") at 8 and 12 weeks, and what the
maintenance plan suggests from the person's own data. Plain Python, no Django.

A check-up repeats the weekly pain, PHQ-9 and GAD-7 and compares each with its answer at the
end of the programme. The 8-week check-up opens 8 weeks after the intake was done, the
12-week one 12 weeks after; someone who took longer than four weeks over the sessions gets
them 4 and 8 weeks after the last session instead, whichever is later, so a check-up always
looks back on a finished programme.
"""

import datetime as dt
from dataclasses import dataclass

CHECKUP_WEEKS = (8, 12)
COURSE_WEEKS = 4  # the programme's length in the trial
CHECKUP_INSTRUMENTS = ("weekly_pain", "phq9", "gad7")
# An answer up to two weeks after the last session still counts as the programme's end.
END_SLACK = dt.timedelta(days=14)


def opens_on(weeks: int, *, started: dt.date, finished: dt.date) -> dt.date:
    return max(
        started + dt.timedelta(weeks=weeks),
        finished + dt.timedelta(weeks=weeks - COURSE_WEEKS),
    )


@dataclass(frozen=True)
class Answer:
    day: dt.date
    total: int
    # Answered after the intake was done: an answer from before (the starting point) is never
    # taken for the course's end.
    after_start: bool = True
    crisis: bool = False  # PHQ-9 question 9 above 0


@dataclass(frozen=True)
class Row:
    instrument: str
    at_end: Answer | None  # the last answer by the programme's end (with END_SLACK)
    now: Answer | None  # the latest answer since the check-up opened (before the next one)


@dataclass(frozen=True)
class Checkup:
    weeks: int
    opens_on: dt.date
    open: bool
    rows: tuple[Row, ...]

    @property
    def answered(self) -> bool:
        return all(row.now is not None for row in self.rows)

    @property
    def waiting(self) -> list[str]:
        return [row.instrument for row in self.rows if row.now is None]

    @property
    def crisis(self) -> bool:
        """The check-up's PHQ-9 said thoughts of being better off dead or of self-harm."""
        return any(row.now is not None and row.now.crisis for row in self.rows)


def checkups(
    answers: dict[str, list[Answer]],
    *,
    started: dt.date | None,
    finished: dt.date | None,
    today: dt.date,
) -> list[Checkup]:
    """The check-ups of someone who finished the programme (none before), with each
    instrument's answer at the end and in the check-up. `answers`: {instrument: scored answers,
    oldest first}."""
    if started is None or finished is None:
        return []
    days = [opens_on(weeks, started=started, finished=finished) for weeks in CHECKUP_WEEKS]
    found = []
    for index, weeks in enumerate(CHECKUP_WEEKS):
        first = days[index]
        until = days[index + 1] if index + 1 < len(days) else None
        rows = []
        for instrument in CHECKUP_INSTRUMENTS:
            taken = answers.get(instrument, [])
            at_end = [
                a for a in taken if a.after_start and started <= a.day <= finished + END_SLACK
            ]
            since = [a for a in taken if a.day >= first and (until is None or a.day < until)]
            rows.append(
                Row(instrument, at_end[-1] if at_end else None, since[-1] if since else None)
            )
        found.append(Checkup(weeks, first, today >= first, tuple(rows)))
    return found


def due_checkup(found: list[Checkup]) -> Checkup | None:
    """The open check-up still waiting for answers: the latest one, if any."""
    waiting = [checkup for checkup in found if checkup.open and not checkup.answered]
    return waiting[-1] if waiting else None


@dataclass(frozen=True)
class PracticeUse:
    kind: str
    title: str
    times: int
    eased: float | None  # mean fall in the rating it eases (threat, else tension; never pain)
    rating: str  # which rating that is, in words


def helped_lines(
    practices: list[PracticeUse], helped_tags: list[tuple[str, int]], mastered: list[str]
) -> list[str]:
    """What helped most, in plain words, from the person's own records: the practices done
    most (and what they eased), what their check-ins say helped, and the fear-ladder steps
    mastered. Empty when there is nothing to go on."""
    lines = []
    for use in sorted(practices, key=lambda p: (-p.times, p.title))[:3]:
        line = f"{use.title}: done {use.times} time{'s' if use.times != 1 else ''}"
        if use.eased is not None and use.eased > 0:
            line += f"; your {use.rating} fell by {use.eased:.1f} on average"
        lines.append(line + ".")
    for name, times in helped_tags[:3]:
        lines.append(f"“{name}”: you noted it helped on {times} day{'s' if times != 1 else ''}.")
    if mastered:
        shown = ", ".join(mastered[:3]) + (" and more" if len(mastered) > 3 else "")
        lines.append(f"Facing feared movements: you mastered {shown}.")
    return lines
