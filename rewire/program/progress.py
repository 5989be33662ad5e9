"""Where a person is in the course, and what to suggest today. Plain Python, no Django."""

import datetime as dt
from dataclasses import dataclass

from rewire.program.content import Course, Session

ATTRIBUTION_EVERY = dt.timedelta(days=7)  # asked at the start, then weekly


# How fast sessions open. The trial met twice a week for four weeks; a person may go faster.
TWICE_A_WEEK, EVERY_DAY, NO_WAIT = "twice_a_week", "every_day", "no_wait"
PACES = {
    TWICE_A_WEEK: "Twice a week, as in the trial (recommended)",
    EVERY_DAY: "One a day",
    NO_WAIT: "As soon as I finish one",
}
DEFAULT_PACE = TWICE_A_WEEK


def days_to_next(number: int, pace: str) -> int:
    """Days from the local day session `number` was done to the day the next one opens.

    The intake leads straight into session 1. Twice a week alternates 3 and 4 days, so the
    eight sessions fall on the same two weekdays for four weeks, as in the trial."""
    if number == 0 or pace == NO_WAIT:
        return 0
    if pace == EVERY_DAY:
        return 1
    return 3 if number % 2 else 4


@dataclass(frozen=True)
class SessionState:
    session: Session
    done: bool
    open: bool  # every earlier session is done, and its day has come
    # The day it opens, once every earlier session is done (None before that).
    opens_on: dt.date | None = None

    @property
    def waiting_for_its_day(self) -> bool:
        return not self.done and not self.open and self.opens_on is not None


def session_states(
    course: Course, done: dict[str, dt.date], *, pace: str = NO_WAIT, today: dt.date | None = None
) -> list[SessionState]:
    """Each session in order. `done` maps the sessions done to the local day each was done."""
    states, earlier_done, previous = [], True, None
    for session in course.sessions:
        opens_on = None
        if earlier_done:
            opens_on = (
                done[previous.id] + dt.timedelta(days=days_to_next(previous.number, pace))
                if previous is not None
                else None
            )
        is_open = earlier_done and (
            session.id in done or opens_on is None or today is None or opens_on <= today
        )
        states.append(SessionState(session, session.id in done, is_open, opens_on))
        earlier_done = earlier_done and session.id in done
        previous = session
    return states


def next_state(states: list[SessionState]) -> SessionState | None:
    """The first session not done, open or waiting for its day; None when all are done."""
    return next((state for state in states if not state.done), None)


def next_session(course: Course, done) -> Session | None:
    """The first session not yet done; None when the course is finished."""
    return next((s for s in course.sessions if s.id not in done), None)


def attribution_due(*, last: dt.date | None, today: dt.date, intake_done: bool) -> bool:
    """The causes question comes at the start (with the intake) and then weekly."""
    if last is None:
        return intake_done
    return today - last >= ATTRIBUTION_EVERY
