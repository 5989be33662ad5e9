"""Where a person is in the course, and what to suggest today. Plain Python, no Django."""

import datetime as dt
from dataclasses import dataclass

from rewire.program.content import Course, Session

ATTRIBUTION_EVERY = dt.timedelta(days=7)  # asked at the start, then weekly


@dataclass(frozen=True)
class SessionState:
    session: Session
    done: bool
    open: bool  # every earlier session is done


def session_states(course: Course, done: set[str]) -> list[SessionState]:
    states, all_earlier_done = [], True
    for session in course.sessions:
        states.append(SessionState(session, session.id in done, all_earlier_done))
        all_earlier_done = all_earlier_done and session.id in done
    return states


def next_session(course: Course, done: set[str]) -> Session | None:
    """The first session not yet done; None when the course is finished."""
    return next((s for s in course.sessions if s.id not in done), None)


def todays_practice(course: Course, done: set[str]) -> Session | None:
    """The latest session done, whose daily practice is today's suggestion."""
    finished = [s for s in course.sessions if s.id in done]
    return finished[-1] if finished else None


def attribution_due(*, last: dt.date | None, today: dt.date, intake_done: bool) -> bool:
    """The causes question comes at the start (with the intake) and then weekly."""
    if last is None:
        return intake_done
    return today - last >= ATTRIBUTION_EVERY
