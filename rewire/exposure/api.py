"""The fear ladder, its tries, the movement log and time-based pacing in the JSON API
(/api/v1/). Thin: every write goes through rewire/exposure/actions.py.

rewire.api.api mounts this router (and authenticates its requests as it does the
check-ins'); the API is that module's.
"""

import dataclasses

from django.db import transaction
from django.utils import timezone
from ninja import Query, Router, Status
from pydantic import Field

from rewire.core.api import (
    ERRORS,
    DateFilter,
    create_once,
    dated_page,
    idempotency_key_header,
    unprocessable,
    unprocessable_body,
)
from rewire.core.errors import InvalidEntry
from rewire.core.schemas import MessageOut
from rewire.exposure import actions, ladder
from rewire.exposure.models import ActivitySession, ExposureAttempt, PacingBout, Rung
from rewire.exposure.rules import (
    ActivityEntry,
    AttemptAfter,
    AttemptBefore,
    PacingBoutEntry,
    PacingPlanEntry,
    Rating,
    RungEntry,
)
from rewire.exposure.schemas import (
    ActivitySessionIn,
    ActivitySessionOut,
    ActivitySessionPage,
    AttemptAfterIn,
    AttemptIn,
    AttemptOut,
    AttemptPage,
    LadderOut,
    LibraryGroupOut,
    MovementOut,
    NextDayIn,
    PacingBoutIn,
    PacingBoutOut,
    PacingBoutPage,
    PacingPlanIn,
    PacingPlanOut,
    PacingPlanPatch,
    RatingIn,
    RungDetailOut,
    RungIn,
    RungPatch,
)
from rewire.measures.gate import LOCKED_409, programme_open_api

router = Router()
# Writes answer the programme's 409 while it waits for the warning signs: the ladder and the
# movement plan are part of the programme. Reading and deleting stay open.
CREATED = {410: MessageOut, **LOCKED_409, **ERRORS}


# The starter library


@router.get("/exposure/library", response={200: list[LibraryGroupOut], **ERRORS}, tags=["ladder"])
def read_library(request):
    """Everyday activities people with long-lasting pain often fear, in groups, to pick from."""
    return [
        {
            "id": group.id,
            "label": group.label,
            "activities": [{"id": a.id, "label": a.label} for a in group.activities],
        }
        for group in actions.library().groups
    ]


# The ladder


def _rung_data(row: actions.RungRow) -> dict:
    rung = row.rung
    return {
        "id": rung.pk,
        "activity": rung.activity,
        "library_id": rung.library_id or None,
        "fear": rung.fear,
        "expected_pain": rung.expected_pain,
        "harm": rung.harm,
        "rated_at": rung.rated_at,
        "created_at": rung.created_at,
        "mastered": rung.mastered,
        "mastered_at": rung.mastered_at,
        "tries": row.tries,
        "last_try": row.last_try,
        "mastery_suggested": row.mastery_suggested,
        "is_next": row.is_next,
        "big_step": row.big_step,
        "waiting_try": row.waiting.pk if row.waiting else None,
    }


def _rung_detail(user, pk) -> dict:
    """The rung as on the ladder, with its ratings and its tries; 404 for a stranger."""
    rung = actions.get_rung_for(user, pk)
    row = next(row for row in actions.ladder_for(user).rows if row.rung.pk == rung.pk)
    return {
        **_rung_data(row),
        "ratings": list(rung.ratings.values("fear", "expected_pain", "harm", "rated_at")),
        "attempts": [_attempt_data(attempt) for attempt in rung.attempts.all()],
    }


def _rung_or_none(user, pk) -> dict | None:
    if not Rung.objects.for_user(user).filter(pk=pk).exists():
        return None
    return _rung_detail(user, pk)


@router.get("/ladder", response={200: LadderOut, **ERRORS}, tags=["ladder"])
def read_ladder(request):
    """The rungs, easiest first, with the next step, the level and how many are mastered."""
    found = actions.ladder_for(request.auth)
    return {
        "rungs": [_rung_data(row) for row in found.rows],
        "next_step": found.next_step.pk if found.next_step else None,
        "level": found.level,
        "mastered": found.mastered,
    }


@router.post("/ladder/rungs", response={201: RungDetailOut, **CREATED}, tags=["ladder"])
@programme_open_api
def create_rung(request, payload: RungIn, idempotency_key: str | None = idempotency_key_header()):
    """Put an activity on the ladder with its first rating. Send an Idempotency-Key so a retry
    never adds it twice."""
    entry = RungEntry(
        activity=payload.activity,
        rating=Rating(fear=payload.fear, expected_pain=payload.expected_pain, harm=payload.harm),
        library_id=payload.library_id or "",
    )
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="rung",
        create=lambda user: actions.add_rung(user=user, entry=entry),
        fetch=_rung_or_none,
    )


@router.get("/ladder/rungs/{int:rung_id}", response={200: RungDetailOut, **ERRORS}, tags=["ladder"])
def read_rung(request, rung_id: int):
    return _rung_detail(request.auth, rung_id)


@router.patch(
    "/ladder/rungs/{int:rung_id}",
    response={200: RungDetailOut, **LOCKED_409, **ERRORS},
    tags=["ladder"],
)
@programme_open_api(get_object=actions.get_rung_for, id_param="rung_id")
def update_rung(request, rung_id: int, payload: RungPatch):
    """Change the words, or mark the rung mastered (or not). Both or nothing."""
    user = request.auth
    try:
        with transaction.atomic():
            if payload.activity is not None:
                actions.rename_rung(user=user, pk=rung_id, activity=payload.activity)
            if payload.mastered is not None:
                actions.set_mastered(user=user, pk=rung_id, mastered=payload.mastered)
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _rung_detail(user, rung_id))


@router.post(
    "/ladder/rungs/{int:rung_id}/ratings",
    response={200: RungDetailOut, **LOCKED_409, **ERRORS},
    tags=["ladder"],
)
@programme_open_api(get_object=actions.get_rung_for, id_param="rung_id")
def rate_rung(request, rung_id: int, payload: RatingIn):
    """Rate the rung again: its place on the ladder follows; the earlier ratings are kept."""
    user = request.auth
    rating = Rating(fear=payload.fear, expected_pain=payload.expected_pain, harm=payload.harm)
    try:
        actions.rate_rung(user=user, pk=rung_id, rating=rating)
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _rung_detail(user, rung_id))


@router.delete("/ladder/rungs/{int:rung_id}", response={204: None, **ERRORS}, tags=["ladder"])
def delete_rung(request, rung_id: int):
    """Delete the rung with its ratings and its tries."""
    actions.delete_rung(user=request.auth, pk=rung_id)
    return Status(204, None)


# Tries


def _violation_data(attempt) -> dict | None:
    found = ladder.violation(attempt)
    if found is None:
        return None
    return {
        **dataclasses.asdict(found),
        "pain_gap": found.pain_gap,
        "surprised": found.surprised,
        "lesson": found.lesson() or None,
        "words": found.words(),
    }


def _attempt_data(attempt: ExposureAttempt) -> dict:
    return {
        "id": attempt.pk,
        "rung": attempt.rung_id,
        "activity": attempt.rung.activity,
        "started_at": attempt.started_at,
        "local_date": attempt.local_date,
        "fear_before": attempt.fear_before,
        "predicted_pain": attempt.predicted_pain,
        "predicted_harm": attempt.predicted_harm,
        "prediction": attempt.prediction,
        "finished": attempt.finished,
        "after": {
            "actual_pain": attempt.actual_pain,
            "outcome": attempt.outcome,
            "fear_after": attempt.fear_after,
            "learned": attempt.learned,
            "finished_at": attempt.finished_at,
        }
        if attempt.finished
        else None,
        "next_day_pain": attempt.next_day_pain,
        "next_day_declined": attempt.next_day_declined,
        "violation": _violation_data(attempt),
    }


def _attempts(user):
    return ExposureAttempt.objects.for_user(user).select_related("rung")


def _attempt_or_none(user, pk) -> dict | None:
    attempt = _attempts(user).filter(pk=pk).first()
    return None if attempt is None else _attempt_data(attempt)


def _after_entry(payload: AttemptAfterIn) -> AttemptAfter:
    return AttemptAfter(
        actual_pain=payload.actual_pain,
        outcome=payload.outcome,
        fear_after=payload.fear_after,
        learned=payload.learned,
        finished_at=payload.finished_at,
    )


AFTER_FIELDS = frozenset(AttemptAfterIn.model_fields)


def _attempt_refused(invalid: InvalidEntry) -> dict:
    """The action names each field; what happened belongs under `after` in the body."""
    before = {name: r for name, r in invalid.problems.items() if name not in AFTER_FIELDS}
    after = {name: r for name, r in invalid.problems.items() if name in AFTER_FIELDS}
    return {
        "detail": unprocessable_body(before)["detail"]
        + unprocessable_body(after, prefix=("body", "after"))["detail"]
    }


class AttemptFilter(DateFilter):
    rung: int | None = Field(None, ge=1, le=2**63 - 1, description="Only the tries at this rung.")


@router.get("/exposure-attempts", response={200: AttemptPage, **ERRORS}, tags=["exposure-attempts"])
def list_attempts(request, filters: Query[AttemptFilter]):
    """The tries, newest first, filtered by local date and rung."""
    attempts = _attempts(request.auth)
    if filters.rung is not None:
        attempts = attempts.filter(rung_id=filters.rung)
    return dated_page(attempts, filters, lambda page: [_attempt_data(a) for a in page])


@router.post(
    "/exposure-attempts", response={201: AttemptOut, **CREATED}, tags=["exposure-attempts"]
)
@programme_open_api
def create_attempt(
    request, payload: AttemptIn, idempotency_key: str | None = idempotency_key_header()
):
    """Record a try's prediction, before it; with `after`, what happened too. Send an
    Idempotency-Key so a retry never records it twice."""
    entry = AttemptBefore(
        rung=payload.rung,
        started_at=payload.started_at or timezone.now(),
        fear_before=payload.fear_before,
        predicted_pain=payload.predicted_pain,
        predicted_harm=payload.predicted_harm,
        prediction=payload.prediction,
    )
    after = None if payload.after is None else _after_entry(payload.after)
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="exposure_attempt",
        create=lambda user: actions.start_attempt(user=user, entry=entry, after=after),
        fetch=_attempt_or_none,
        refused=(InvalidEntry, _attempt_refused),
    )


@router.get(
    "/exposure-attempts/{int:attempt_id}",
    response={200: AttemptOut, **ERRORS},
    tags=["exposure-attempts"],
)
def read_attempt(request, attempt_id: int):
    return _attempt_data(actions.get_attempt_for(request.auth, attempt_id))


@router.post(
    "/exposure-attempts/{int:attempt_id}/after",
    response={200: AttemptOut, **LOCKED_409, **ERRORS},
    tags=["exposure-attempts"],
)
@programme_open_api(get_object=actions.get_attempt_for, id_param="attempt_id")
def record_after(request, attempt_id: int, payload: AttemptAfterIn):
    """Record what happened. Sending it again corrects it; the prediction stays as written."""
    user = request.auth
    try:
        attempt = actions.finish_attempt(user=user, pk=attempt_id, after=_after_entry(payload))
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _attempt_data(attempt))


@router.post(
    "/exposure-attempts/{int:attempt_id}/next-day",
    response={200: AttemptOut, **LOCKED_409, **ERRORS},
    tags=["exposure-attempts"],
)
@programme_open_api(get_object=actions.get_attempt_for, id_param="attempt_id")
def record_next_day(request, attempt_id: int, payload: NextDayIn):
    """The pain the day after a finished try, or null: the person would rather not say."""
    user = request.auth
    try:
        attempt = actions.record_next_day_pain(user=user, pk=attempt_id, pain=payload.pain)
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _attempt_data(attempt))


@router.delete(
    "/exposure-attempts/{int:attempt_id}",
    response={204: None, **ERRORS},
    tags=["exposure-attempts"],
)
def delete_attempt(request, attempt_id: int):
    actions.delete_attempt(user=request.auth, pk=attempt_id)
    return Status(204, None)


# Movement


@router.get(
    "/activity-sessions", response={200: ActivitySessionPage, **ERRORS}, tags=["activities"]
)
def list_activities(request, filters: Query[DateFilter]):
    """The activities logged, newest day first, filtered by local date."""
    return dated_page(ActivitySession.objects.for_user(request.auth), filters)


@router.post(
    "/activity-sessions", response={201: ActivitySessionOut, **CREATED}, tags=["activities"]
)
@programme_open_api
def create_activity(
    request, payload: ActivitySessionIn, idempotency_key: str | None = idempotency_key_header()
):
    """Log movement done: a walk, a swim, a class. Send an Idempotency-Key so a retry never
    logs it twice."""
    user = request.auth
    entry = ActivityEntry(
        activity=payload.activity,
        minutes=payload.minutes,
        local_date=payload.local_date or user.today(),
        note=payload.note,
    )
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="activity_session",
        create=lambda user: actions.log_activity(user=user, entry=entry),
        fetch=lambda user, pk: ActivitySession.objects.for_user(user).filter(pk=pk).first(),
    )


@router.get(
    "/activity-sessions/{int:activity_id}",
    response={200: ActivitySessionOut, **ERRORS},
    tags=["activities"],
)
def read_activity(request, activity_id: int):
    return actions.get_activity_for(request.auth, activity_id)


@router.delete(
    "/activity-sessions/{int:activity_id}", response={204: None, **ERRORS}, tags=["activities"]
)
def delete_activity(request, activity_id: int):
    actions.delete_activity(user=request.auth, pk=activity_id)
    return Status(204, None)


def _week_data(week) -> dict:
    return {**dataclasses.asdict(week), "end": week.end}


@router.get("/movement", response={200: MovementOut, **ERRORS}, tags=["movement"])
def read_movement(request):
    """The graded-activity plan: the baseline, each week's goal and minutes, the streak, the
    level and the milestones. Days are the account's own."""
    user = request.auth
    movement = actions.movement_for(user, today=user.today())
    plan = movement.plan
    weeks = [_week_data(week) for week in plan.weeks]
    return {
        "start": plan.start,
        "baseline": plan.baseline,
        "weeks": weeks,
        "current_week": weeks[-1] if weeks else None,
        "streak": plan.streak,
        "level": movement.level,
        "mastered": movement.mastered,
        "milestones": [dataclasses.asdict(milestone) for milestone in movement.milestones],
    }


# Time-based pacing: plans (a quota of time, then a break) and the bouts done with them


def _plan_data(row: actions.PacingPlanRow) -> dict:
    plan = row.plan
    return {
        "id": plan.pk,
        "activity": plan.activity,
        "activity_minutes": plan.activity_minutes,
        "break_minutes": plan.break_minutes,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "bouts": row.bouts,
        "last_bout": row.last_bout,
        "step_up_to": row.step_up_to,
    }


def _plan_or_none(user, pk) -> dict | None:
    row = next((row for row in actions.pacing_plans_for(user) if row.plan.pk == pk), None)
    return None if row is None else _plan_data(row)


@router.get("/pacing-plans", response={200: list[PacingPlanOut], **ERRORS}, tags=["pacing"])
def list_pacing_plans(request):
    """The time-based pacing plans, by activity, each with its bouts counted and a step up
    when one is due."""
    return [_plan_data(row) for row in actions.pacing_plans_for(request.auth)]


@router.post("/pacing-plans", response={201: PacingPlanOut, **CREATED}, tags=["pacing"])
@programme_open_api
def create_pacing_plan(
    request, payload: PacingPlanIn, idempotency_key: str | None = idempotency_key_header()
):
    """A quota of time for an activity and the break after it. Send an Idempotency-Key so a
    retry never adds it twice."""
    entry = PacingPlanEntry(
        activity=payload.activity,
        activity_minutes=payload.activity_minutes,
        break_minutes=payload.break_minutes,
    )
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="pacing_plan",
        create=lambda user: actions.add_pacing_plan(user=user, entry=entry),
        fetch=_plan_or_none,
    )


@router.get("/pacing-plans/{int:plan_id}", response={200: PacingPlanOut, **ERRORS}, tags=["pacing"])
def read_pacing_plan(request, plan_id: int):
    return _plan_data(actions.pacing_plan_row_for(request.auth, plan_id))


@router.patch(
    "/pacing-plans/{int:plan_id}",
    response={200: PacingPlanOut, **LOCKED_409, **ERRORS},
    tags=["pacing"],
)
@programme_open_api(get_object=actions.get_pacing_plan_for, id_param="plan_id")
def update_pacing_plan(request, plan_id: int, payload: PacingPlanPatch):
    """Change the words or the minutes; the bouts logged keep the quota they were done with."""
    user = request.auth
    plan = actions.get_pacing_plan_for(user, plan_id)
    entry = PacingPlanEntry(
        activity=plan.activity if payload.activity is None else payload.activity,
        activity_minutes=payload.activity_minutes or plan.activity_minutes,
        break_minutes=payload.break_minutes or plan.break_minutes,
    )
    try:
        actions.update_pacing_plan(user=user, pk=plan_id, entry=entry)
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _plan_data(actions.pacing_plan_row_for(user, plan_id)))


@router.delete("/pacing-plans/{int:plan_id}", response={204: None, **ERRORS}, tags=["pacing"])
def delete_pacing_plan(request, plan_id: int):
    """Delete the plan with the bouts logged with it."""
    actions.delete_pacing_plan(user=request.auth, pk=plan_id)
    return Status(204, None)


def _bout_data(bout: PacingBout) -> dict:
    return {
        "id": bout.pk,
        "plan": bout.plan_id,
        "activity": bout.plan.activity,
        "local_date": bout.local_date,
        "minutes": bout.minutes,
        "breaks": bout.breaks,
        "rounds_to_time": bout.rounds_to_time,
        "planned_minutes": bout.planned_minutes,
        "note": bout.note,
        "created_at": bout.created_at,
    }


def _bouts(user):
    return PacingBout.objects.for_user(user).select_related("plan")


def _bout_or_none(user, pk) -> dict | None:
    bout = _bouts(user).filter(pk=pk).first()
    return None if bout is None else _bout_data(bout)


class BoutFilter(DateFilter):
    plan: int | None = Field(None, ge=1, le=2**63 - 1, description="Only this plan's bouts.")


@router.get("/pacing-bouts", response={200: PacingBoutPage, **ERRORS}, tags=["pacing"])
def list_pacing_bouts(request, filters: Query[BoutFilter]):
    """The paced bouts done, newest day first, filtered by local date and plan."""
    bouts = _bouts(request.auth)
    if filters.plan is not None:
        bouts = bouts.filter(plan_id=filters.plan)
    return dated_page(bouts, filters, lambda page: [_bout_data(bout) for bout in page])


@router.post("/pacing-bouts", response={201: PacingBoutOut, **CREATED}, tags=["pacing"])
@programme_open_api
def create_pacing_bout(
    request, payload: PacingBoutIn, idempotency_key: str | None = idempotency_key_header()
):
    """Log a paced bout: the minutes of activity in all and the breaks taken. Send an
    Idempotency-Key so a retry never logs it twice."""
    entry = PacingBoutEntry(
        plan=payload.plan,
        minutes=payload.minutes,
        breaks=payload.breaks,
        local_date=payload.local_date or request.auth.today(),
        note=payload.note,
        rounds_to_time=payload.rounds_to_time,
    )
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="pacing_bout",
        create=lambda user: actions.log_pacing_bout(user=user, entry=entry),
        fetch=_bout_or_none,
    )


@router.get("/pacing-bouts/{int:bout_id}", response={200: PacingBoutOut, **ERRORS}, tags=["pacing"])
def read_pacing_bout(request, bout_id: int):
    return _bout_data(actions.get_pacing_bout_for(request.auth, bout_id))


@router.delete("/pacing-bouts/{int:bout_id}", response={204: None, **ERRORS}, tags=["pacing"])
def delete_pacing_bout(request, bout_id: int):
    actions.delete_pacing_bout(user=request.auth, pk=bout_id)
    return Status(204, None)
