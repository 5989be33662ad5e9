"""The programme's plain-Python rules and progress. No database."""

import datetime as dt
import itertools

import pytest

from rewire.program.content import CONTENT_ROOT, load_course
from rewire.program.progress import (
    EVERY_DAY,
    NO_WAIT,
    TWICE_A_WEEK,
    attribution_due,
    days_to_next,
    next_session,
    next_state,
    session_states,
)
from rewire.program.rules import (
    AttributionEntry,
    PracticeEntry,
    ThoughtRecordEntry,
    attribution_problems,
    evidence_problems,
    mind_share,
    practice_problems,
    text_problem,
    thought_record_problems,
)

COURSE = load_course(CONTENT_ROOT / "en")
NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
IDS = [s.id for s in COURSE.sessions]


MONDAY = dt.date(2026, 11, 30)


def all_on(day: dt.date, ids) -> dict[str, dt.date]:
    return dict.fromkeys(ids, day)


def test_sessions_open_in_order_and_the_next_one_is_the_first_not_done():
    states = session_states(COURSE, {})
    assert [(s.done, s.open) for s in states[:2]] == [(False, True), (False, False)]
    assert next_session(COURSE, set()).id == "intake"
    assert next_state(states).session.id == "intake"

    done = all_on(MONDAY, IDS[:3])
    states = session_states(COURSE, done, pace=NO_WAIT, today=MONDAY)
    assert [s.open for s in states] == [True] * 4 + [False] * 5
    assert next_session(COURSE, done).id == IDS[3]
    assert next_session(COURSE, set(IDS)) is None
    assert next_state(session_states(COURSE, all_on(MONDAY, IDS))) is None


def test_a_session_done_out_of_order_does_not_open_the_ones_between():
    states = session_states(COURSE, all_on(MONDAY, ["intake", IDS[4]]))
    assert [s.open for s in states][:6] == [True, True, False, False, False, False]


def test_twice_a_week_puts_the_eight_sessions_on_two_weekdays_over_four_weeks():
    """Done each on the day it opens: Monday and Thursday, for four weeks."""
    done, day = {}, MONDAY
    for session in COURSE.sessions:
        state = next_state(session_states(COURSE, done, pace=TWICE_A_WEEK, today=day))
        assert state.session == session
        if state.opens_on and state.opens_on > day:
            assert not state.open  # not before its day; open on it
            day = state.opens_on
            state = next_state(session_states(COURSE, done, pace=TWICE_A_WEEK, today=day))
        assert state.open
        done[session.id] = day
    # The intake and session 1 on one day, then 3 and 4 days by turns.
    days = [done[session.id] for session in COURSE.sessions]
    assert days[0] == days[1] == MONDAY
    assert [(b - a).days for a, b in itertools.pairwise(days[1:])] == [3, 4, 3, 4, 3, 4, 3]
    assert {day.strftime("%A") for day in days} == {"Monday", "Thursday"}
    assert days[-1] - days[1] == dt.timedelta(days=24)


@pytest.mark.parametrize(
    ("pace", "waits"),
    [(TWICE_A_WEEK, 3), (EVERY_DAY, 1), (NO_WAIT, 0)],
)
def test_the_next_session_waits_for_its_day_at_the_persons_pace(pace, waits):
    done = {"intake": MONDAY, IDS[1]: MONDAY}
    for days_later in range(5):
        today = MONDAY + dt.timedelta(days=days_later)
        state = session_states(COURSE, done, pace=pace, today=today)[2]
        assert state.opens_on == MONDAY + dt.timedelta(days=waits)
        assert state.open is (days_later >= waits)
        assert state.waiting_for_its_day is (days_later < waits)
    # A session already done stays open, whatever the pace says now.
    done[IDS[2]] = MONDAY
    assert session_states(COURSE, done, pace=TWICE_A_WEEK, today=MONDAY)[2].open
    assert days_to_next(0, TWICE_A_WEEK) == 0  # the intake leads straight into session 1


@pytest.mark.parametrize(
    ("last", "intake_done", "due"),
    [
        (None, False, False),
        (None, True, True),
        (NOW.date() - dt.timedelta(days=6), True, False),
        (NOW.date() - dt.timedelta(days=7), True, True),
    ],
)
def test_the_causes_question_comes_at_the_start_and_then_weekly(last, intake_done, due):
    assert attribution_due(last=last, today=NOW.date(), intake_done=intake_done) is due


def practice(**changes):
    fields = {
        "kind": "somatic_tracking",
        "started_at": NOW - dt.timedelta(minutes=7),
        "finished_at": NOW,
        "ratings": {"pain": (6, 4), "threat": (7, 3)},
    }
    return PracticeEntry(**{**fields, **changes})


def test_a_complete_practice_is_valid_and_after_ratings_may_be_missing_when_stopped_early():
    assert practice_problems(practice(), course=COURSE, now=NOW) == {}
    stopped = practice(ratings={"pain": (6, None), "threat": (7, None)})
    assert practice_problems(stopped, course=COURSE, now=NOW) == {}


def test_in_somatic_tracking_the_pain_is_noticed_if_the_person_likes_never_required():
    """PRT's outcome independence: the practice is not about making the pain go away."""
    assert COURSE.practices["somatic_tracking"].optional_ratings == ("pain",)
    unscored = practice(ratings={"threat": (7, 4)})
    assert practice_problems(unscored, course=COURSE, now=NOW) == {}
    assert all(COURSE.practices[kind].optional_ratings == () for kind in ("movement", "emotions"))


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"kind": "yoga"}, "kind", "one of"),
        ({"ratings": {"pain": (6, 4), "threat": (None, 3)}}, "threat_before", "required"),
        (
            {"kind": "movement", "ratings": {"pain": (None, 4), "threat": (7, 3)}},
            "pain_before",
            "required",
        ),
        ({"ratings": {"pain": (6, 11), "threat": (7, 3)}}, "pain_after", "between 0 and 10"),
        (
            {"ratings": {"pain": (6, 4), "threat": (7, 3), "mood": (5, 5)}},
            "mood_before",
            "Not asked",
        ),
        ({"finished_at": NOW - dt.timedelta(hours=1)}, "finished_at", "before started_at"),
        ({"started_at": NOW - dt.timedelta(hours=4)}, "finished_at", "at most 3 hours"),
        ({"finished_at": NOW + dt.timedelta(hours=1)}, "finished_at", "future"),
        ({"started_at": NOW.replace(tzinfo=None)}, "started_at", "offset"),
        ({"note": "x" * 5001}, "note", "5000"),
    ],
)
def test_practice_rules_name_the_field_and_the_reason(changes, field, reason):
    problems = practice_problems(practice(**changes), course=COURSE, now=NOW)
    assert reason in problems[field]


def test_savouring_asks_only_mood():
    entry = practice(kind="savouring", ratings={"mood": (4, 7)})
    assert practice_problems(entry, course=COURSE, now=NOW) == {}


@pytest.mark.parametrize(
    ("causes", "reason"),
    [
        ([], "at least one"),
        ([("a", "body")] * 4, "At most 3"),
        ([("  ", "body")], "needs some words"),
        ([("x" * 501, "mind")], "500"),
        ([("stress", "soul")], "body, mind or both"),
    ],
)
def test_attribution_rules(causes, reason):
    problems = attribution_problems(AttributionEntry(recorded_at=NOW, causes=causes), now=NOW)
    assert reason in problems["causes"]


def test_mind_share_is_the_share_of_causes_put_down_to_brain_mind_or_stress():
    assert mind_share([]) is None
    assert mind_share(["body", "body", "mind"]) == pytest.approx(1 / 3)
    assert mind_share(["mind"]) == 1.0
    assert mind_share(["both", "body"]) == pytest.approx(0.25)  # "both" counts half


def thought(**changes):
    fields = {
        "recorded_at": NOW,
        "automatic_thought": "  This will never end  ",
        "emotions": [("  Afraid ", 8, 4)],
        "traps": ["catastrophising", "catastrophising"],
    }
    return ThoughtRecordEntry(**{**fields, **changes})


def test_a_thought_record_is_normalised_and_valid():
    entry = thought().normalised()
    assert entry.automatic_thought == "This will never end"
    assert entry.emotions == [("afraid", 8, 4)]
    assert entry.traps == ["catastrophising"]
    assert thought_record_problems(entry, course=COURSE, now=NOW) == {}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"automatic_thought": " "}, "automatic_thought", "required"),
        ({"traps": ["mind_bending"]}, "traps", "Unknown thinking trap: mind_bending"),
        ({"emotions": [("sad", 3, None), ("sad", 4, 1)]}, "emotions", "only once"),
        ({"emotions": [("sad", None, 3)]}, "emotions", "required"),
        ({"emotions": [("sad", 3, 12)]}, "emotions", "between 0 and 10"),
        ({"reappraisal": "x" * 5001}, "reappraisal", "5000"),
    ],
)
def test_thought_record_rules(changes, field, reason):
    entry = thought(**changes).normalised()
    assert reason in thought_record_problems(entry, course=COURSE, now=NOW)[field]


def test_evidence_and_short_texts():
    assert evidence_problems("moves_or_spreads", "Left knee, then right", course=COURSE) == {}
    assert "Unknown" in evidence_problems("vibes", "x", course=COURSE)["kind"]
    assert "required" in evidence_problems("moves_or_spreads", " ", course=COURSE)["example"]
    assert text_problem("I am safe") is None
    assert "500" in text_problem("x" * 501)


def test_the_demo_programme_is_under_way_and_shows_the_trials_mediator_moving():
    from rewire.program.demo import demo_programme

    now = dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC)
    demo = demo_programme(course=COURSE, days=365, today=now.date(), zone="Europe/London", now=now)
    assert [session for session, _ in demo.completions] == IDS[:6]
    shares = [mind_share([c for _, c in a.causes]) for a in demo.attributions]
    assert shares[0] == 0 and shares[-1] > shares[0]
    tracking = [p for p in demo.practices if p.kind == "somatic_tracking"]
    assert len(tracking) >= 8
    for practice in demo.practices:
        assert practice_problems(practice, course=COURSE, now=now) == {}
        assert practice.finished_at <= now
    falls = [p.ratings["threat"][0] - p.ratings["threat"][1] for p in tracking]
    assert sum(falls) / len(falls) >= 1
    assert demo == demo_programme(
        course=COURSE, days=365, today=now.date(), zone="Europe/London", now=now
    )
