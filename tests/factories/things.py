"""One of each thing a patient owns, each made by the action the app itself uses."""

import datetime as dt

from django.utils import timezone
from helpers import FULL, PASSWORD, post, token_client

from rewire.accounts.actions import create_api_token, create_user
from rewire.care import actions as care
from rewire.exposure import actions as exposure
from rewire.exposure.rules import (
    ActivityEntry,
    AttemptAfter,
    AttemptBefore,
    PacingBoutEntry,
    PacingPlanEntry,
    Rating,
    RungEntry,
)
from rewire.goals import actions as goals
from rewire.insights import actions as insights
from rewire.insights.experiments import ExperimentEntry
from rewire.measures import actions as measures
from rewire.program import actions as program
from rewire.program.rules import (
    AttributionEntry,
    PracticeEntry,
    ThoughtRecordEntry,
    WritingEntry,
)

SECRET_NOTE = "alice-only-secret-note"


def one_of_each_thing(user, *, secret: str = SECRET_NOTE) -> dict:
    """One of each thing `user` owns, each holding `secret` where it has words, and bob
    (bob@example.com) as the user's clinician, with an invitation not yet used besides.

    Returns each thing's id by name (the names factories.walk's OBJECT_FOR and API_OBJECT_FOR
    use); "experiment_day" is the experiment's first day.
    """
    # With a key, as an app would send it: the key's row is the person's too.
    checkin = post(
        token_client(user), {**FULL, "note": secret}, **{"Idempotency-Key": "one-of-each"}
    ).json()
    token, _ = create_api_token(user=user, name="alice's script")
    now = timezone.now()
    practice = program.record_practice(
        user=user,
        entry=PracticeEntry(
            kind="somatic_tracking",
            started_at=now - dt.timedelta(minutes=6),
            finished_at=now,
            ratings={"pain": (6, 4), "threat": (7, 3)},
            note=secret,
        ),
    )
    attribution = program.record_attribution(
        user=user, entry=AttributionEntry(recorded_at=now, causes=[(secret, "mind")])
    )
    record = program.record_thought_record(
        user=user,
        entry=ThoughtRecordEntry(
            recorded_at=now,
            automatic_thought=secret,
            checkin=checkin["id"],
            emotions=[("worried", 7, 4)],
        ),
    )
    writing = program.record_writing(
        user=user,
        entry=WritingEntry(
            kind="timeline",
            title=secret,
            text=secret,
            events=[(12, secret, "hard")],
            distress_before=4,
            distress_after=6,
        ),
    )
    program.set_flare_plan(user=user, steps=[secret])
    program.set_pace(user=user, pace="every_day")
    program.complete_session(user=user, session_id="intake")
    response = measures.record_response(
        user=user, instrument_id="phq9", answers={f"phq9_{n}": 1 for n in range(1, 10)}
    )
    screening = measures.record_screening(
        user=user, answers={flag.id: flag.id == "night_pain" for flag in measures.red_flags()}
    )
    # Answers that do not fit (worse leg pain), with the clinician's agreement recorded.
    fit = measures.record_suitability(
        user=user,
        answers={
            "adult": "yes",
            "pain_duration": "3_months_or_more",
            "where": "leg_worse",
            "diagnosis": "no",
            "pregnant": "no",
        },  # fmt: skip
    )
    measures.confirm_clinician_agreed(user=user, pk=fit.pk, clinician=secret)
    rung = exposure.add_rung(user=user, entry=RungEntry(activity=secret, rating=Rating(40, 4, 20)))
    attempt = exposure.start_attempt(
        user=user,
        entry=AttemptBefore(
            rung=rung.pk,
            started_at=now - dt.timedelta(minutes=20),
            fear_before=60,
            predicted_pain=7,
            predicted_harm=40,
            prediction=secret,
        ),
        after=AttemptAfter(actual_pain=3, outcome="no", fear_after=20, learned=secret),
    )
    experiment = insights.start_experiment(
        user=user,
        entry=ExperimentEntry(
            intervention=secret,
            outcome="day_average",
            days=14,
            start_date=user.today(),
        ),
    )
    insights.answer_day(user=user, pk=experiment.pk, date=experiment.start_date, done=True)
    activity = exposure.log_activity(
        user=user,
        entry=ActivityEntry(activity=secret, minutes=20, local_date=now.date(), note=secret),
    )
    # A plan for after the course, in the person's own words.
    from rewire.program import after

    after.save_plan(user=user, keep_doing=secret, warning_signs=secret, what_helped="")
    # A goal rated this week (its title holds the secret).
    goal = goals.add_goal(user=user, title=secret, why=secret)
    goals.rate_goal(user=user, pk=goal.pk, week=user.today(), done=4)
    pacing_plan = exposure.add_pacing_plan(
        user=user, entry=PacingPlanEntry(activity=secret, activity_minutes=15, break_minutes=5)
    )
    pacing_bout = exposure.log_pacing_bout(
        user=user,
        entry=PacingBoutEntry(
            plan=pacing_plan.pk, minutes=30, breaks=1, local_date=user.today(), note=secret
        ),
    )
    # A reminder by email, one sent today (its token opens and turns off).
    from rewire.reminders import actions as reminders
    from rewire.reminders.messages import token_for
    from rewire.reminders.models import Delivery

    reminders.set_reminders(
        user=user,
        quiet_from=None,
        quiet_until=None,
        daily_cap=3,
        by_email=True,
        times={},
        enabled={"checkin"},
    )
    delivery = Delivery.objects.create(user=user, kind="checkin", local_date=user.today())
    from rewire.reminders.calendar import new_feed

    calendar_key = new_feed(user=user)
    reminders.add_push_subscription(
        user=user, endpoint="https://push.example.org/alice-1", p256dh="BPk3", auth="a2b"
    )
    # The user shares with their clinician, bob, and has an invitation not yet used.
    bob = create_user(email="bob@example.com", password=PASSWORD, role="clinician")
    _, code = care.create_invitation(user=user, scopes=["diary", "thoughts"])
    share = care.accept_invitation(clinician=bob, code=code)
    invitation, _ = care.create_invitation(user=user, scopes=["diary"])
    return {
        "goal": goal.pk,
        "goal_week": user.today().isoformat(),
        "share": share.pk,
        "invitation": invitation.pk,
        "experiment": experiment.pk,
        "experiment_day": experiment.start_date.isoformat(),
        "rung": rung.pk,
        "attempt": attempt.pk,
        "activity": activity.pk,
        "pacing_plan": pacing_plan.pk,
        "pacing_bout": pacing_bout.pk,
        "response": response.pk,
        "screening": screening.pk,
        "suitability": fit.pk,
        "reminder_open_token": token_for(delivery, "open"),
        "reminder_off_token": token_for(delivery, "off"),
        "calendar_key": calendar_key,
        "checkin": checkin["id"],
        "token": token.pk,
        "practice": practice.pk,
        "safety_message": program.add_safety_message(user=user, text=secret).pk,
        "evidence": program.add_evidence(user=user, kind="delayed", example=secret).pk,
        "attribution": attribution.pk,
        "thought_record": record.pk,
        "writing": writing.pk,
    }
