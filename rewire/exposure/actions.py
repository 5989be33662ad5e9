"""Every write to the fear ladder, the tries and the movement log, and the reads that gather
what the pages and the API show. Views, the API and the import call these."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.core.validation import scale_problem
from rewire.diary.actions import local_date_of
from rewire.diary.models import CheckIn
from rewire.exposure import ladder, pacing
from rewire.exposure.library import Library, library_for
from rewire.exposure.models import (
    ActivitySession,
    ExposureAttempt,
    PacedActivity,
    PacingBout,
    Rung,
    RungRating,
)
from rewire.exposure.rules import (
    MAX_PACED_ACTIVITIES,
    MAX_RUNGS,
    ActivityEntry,
    AttemptAfter,
    AttemptBefore,
    PacingBoutEntry,
    PacingPlanEntry,
    Rating,
    RungEntry,
    activity_entry_problems,
    activity_key,
    activity_problem,
    after_problems,
    before_problems,
    pacing_bout_problems,
    pacing_plan_problems,
    rating_problems,
    rung_problems,
    step_up_suggested,
)


def library() -> Library:
    return library_for(settings.LANGUAGE_CODE)


def _check(problems: dict) -> None:
    if problems:
        raise InvalidEntry(problems)


# One access helper per object type: the user's own, or 404.
def get_rung_for(user, pk) -> Rung:
    return get_object_or_404(Rung.objects.for_user(user), pk=pk)


def get_attempt_for(user, pk) -> ExposureAttempt:
    return get_object_or_404(ExposureAttempt.objects.for_user(user).select_related("rung"), pk=pk)


def get_activity_for(user, pk) -> ActivitySession:
    return get_object_or_404(ActivitySession.objects.for_user(user), pk=pk)


def _same_activity(user, activity: str, *, excluding=None):
    rungs = Rung.objects.for_user(user).filter(activity_key=activity_key(activity))
    if excluding is not None:
        rungs = rungs.exclude(pk=excluding.pk)
    return rungs.first()


@transaction.atomic
def add_rung(*, user, entry: RungEntry, at: dt.datetime | None = None) -> Rung:
    """Put an activity on the ladder, rated (`at`: when, for the demo; else now)."""
    entry = entry.normalised()
    _check(rung_problems(entry, library=library()))
    if _same_activity(user, entry.activity):
        raise InvalidEntry({"activity": "This activity is on your ladder already."})
    if Rung.objects.for_user(user).count() >= MAX_RUNGS:
        raise InvalidEntry({"activity": f"A ladder holds at most {MAX_RUNGS} activities."})
    now = at or timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the same words sent twice at once
            rung = rung_row(user, entry, created_at=now, rated_at=now)
            rung.save()
    except IntegrityError:
        raise InvalidEntry({"activity": "This activity is on your ladder already."}) from None
    RungRating.objects.create(rung=rung, rated_at=now, **vars(entry.rating))
    return rung


def rung_row(user, entry: RungEntry, *, created_at, rated_at, mastered_at=None) -> Rung:
    """The row a checked rung is stored as (one write, and the import's bulk write)."""
    return Rung(
        user=user,
        activity=entry.activity,
        activity_key=activity_key(entry.activity),
        library_id=entry.library_id,
        fear=entry.rating.fear,
        expected_pain=entry.rating.expected_pain,
        harm=entry.rating.harm,
        created_at=created_at,
        rated_at=rated_at,
        mastered_at=mastered_at,
    )


@transaction.atomic
def rate_rung(*, user, pk, rating: Rating) -> Rung:
    """Rate a rung again: its place on the ladder follows; the earlier ratings are kept."""
    rung = get_rung_for(user, pk)
    _check(rating_problems(rating))
    now = timezone.now()
    rung.fear, rung.expected_pain, rung.harm, rung.rated_at = (
        rating.fear,
        rating.expected_pain,
        rating.harm,
        now,
    )
    rung.save(update_fields=["fear", "expected_pain", "harm", "rated_at"])
    RungRating.objects.create(rung=rung, rated_at=now, **vars(rating))
    return rung


@transaction.atomic
def rename_rung(*, user, pk, activity: str) -> Rung:
    rung = get_rung_for(user, pk)
    activity = " ".join(activity.split())
    _check({"activity": problem} if (problem := activity_problem(activity)) else {})
    if _same_activity(user, activity, excluding=rung):
        raise InvalidEntry({"activity": "This activity is on your ladder already."})
    if activity != rung.activity:
        rung.activity, rung.activity_key = activity, activity_key(activity)
        try:
            with transaction.atomic():  # a savepoint: the same words saved at once elsewhere
                rung.save(update_fields=["activity", "activity_key"])
        except IntegrityError:
            raise InvalidEntry({"activity": "This activity is on your ladder already."}) from None
    return rung


@transaction.atomic
def set_mastered(*, user, pk, mastered: bool, at: dt.datetime | None = None) -> Rung:
    rung = get_rung_for(user, pk)
    if mastered != rung.mastered:
        rung.mastered_at = (at or timezone.now()) if mastered else None
        rung.save(update_fields=["mastered_at"])
    return rung


@transaction.atomic
def delete_rung(*, user, pk) -> None:
    """The rung goes with its ratings and its tries."""
    get_rung_for(user, pk).delete()


@transaction.atomic
def start_attempt(*, user, entry: AttemptBefore, after: AttemptAfter | None = None):
    """Record a try's prediction; with `after`, what happened too (an app that saved both)."""
    entry.prediction = entry.prediction.strip()
    now = timezone.now()
    problems = before_problems(entry, now=now)
    if not Rung.objects.for_user(user).filter(pk=entry.rung).exists():
        problems["rung"] = "No such rung on your ladder."
    if after is not None:
        after.learned = after.learned.strip()
        problems |= after_problems(after, started_at=entry.started_at, now=now)
    _check(problems)
    attempt = attempt_row(user, entry, local_date_of(user, entry.started_at), after, now=now)
    attempt.save()
    return attempt


def attempt_row(
    user, entry: AttemptBefore, local_date, after: AttemptAfter | None = None, *, now
) -> ExposureAttempt:
    """The row a checked try is stored as, with what happened when `after` is given (one
    write, and the import's bulk write). `entry.rung` is the rung's id."""
    attempt = ExposureAttempt(
        user=user,
        rung_id=entry.rung,
        started_at=entry.started_at,
        local_date=local_date,
        fear_before=entry.fear_before,
        predicted_pain=entry.predicted_pain,
        predicted_harm=entry.predicted_harm,
        prediction=entry.prediction,
    )
    if after is not None:
        _write_after(attempt, after, now=now)
    return attempt


def _write_after(attempt: ExposureAttempt, after: AttemptAfter, *, now) -> None:
    attempt.finished_at = after.finished_at or max(now, attempt.started_at)
    attempt.actual_pain = after.actual_pain
    attempt.outcome = after.outcome
    attempt.fear_after = after.fear_after
    attempt.learned = after.learned


@transaction.atomic
def finish_attempt(*, user, pk, after: AttemptAfter) -> ExposureAttempt:
    """Record what happened. Doing it again corrects it; the prediction stays as written."""
    attempt = get_attempt_for(user, pk)
    after.learned = after.learned.strip()
    now = timezone.now()
    _check(after_problems(after, started_at=attempt.started_at, now=now))
    if after.finished_at is None and attempt.finished:
        after.finished_at = attempt.finished_at  # a correction keeps when it was done
    _write_after(attempt, after, now=now)
    attempt.save()
    return attempt


@transaction.atomic
def record_next_day_pain(*, user, pk, pain: int | None) -> ExposureAttempt:
    """The next day's pain after a try; None: the person chose not to say."""
    attempt = get_attempt_for(user, pk)
    if pain is not None:
        _check({"pain": problem} if (problem := scale_problem(pain, required=True)) else {})
    if not attempt.finished:
        raise InvalidEntry({"pain": "Say how the try went first."})
    if user.today() <= attempt.local_date:
        raise InvalidEntry({"pain": "The next day's pain can be given from the day after the try."})
    attempt.next_day_pain = pain
    attempt.next_day_declined = pain is None
    attempt.save(update_fields=["next_day_pain", "next_day_declined"])
    return attempt


@transaction.atomic
def delete_attempt(*, user, pk) -> None:
    get_attempt_for(user, pk).delete()


@transaction.atomic
def log_activity(*, user, entry: ActivityEntry) -> ActivitySession:
    entry.activity = " ".join(entry.activity.split())
    entry.note = entry.note.strip()
    _check(activity_entry_problems(entry, today=user.today()))
    activity = activity_row(user, entry, created_at=timezone.now())
    activity.save()
    return activity


def activity_row(user, entry: ActivityEntry, *, created_at) -> ActivitySession:
    """The row a checked activity is stored as (one write, and the import's bulk write)."""
    return ActivitySession(
        user=user,
        local_date=entry.local_date,
        activity=entry.activity,
        minutes=entry.minutes,
        note=entry.note,
        created_at=created_at,
    )


@transaction.atomic
def delete_activity(*, user, pk) -> None:
    get_activity_for(user, pk).delete()


# Time-based pacing

PLAN_TAKEN = "You have a pacing plan for this activity already."


def get_pacing_plan_for(user, pk) -> PacedActivity:
    return get_object_or_404(PacedActivity.objects.for_user(user), pk=pk)


def get_pacing_bout_for(user, pk) -> PacingBout:
    return get_object_or_404(PacingBout.objects.for_user(user).select_related("plan"), pk=pk)


def _save_plan(plan: PacedActivity, **kwargs) -> None:
    try:
        with transaction.atomic():  # a savepoint: the same words saved twice at once
            plan.save(**kwargs)
    except IntegrityError:
        raise InvalidEntry({"activity": PLAN_TAKEN}) from None


@transaction.atomic
def add_pacing_plan(*, user, entry: PacingPlanEntry) -> PacedActivity:
    """A quota of time for an activity and the break after it."""
    entry = entry.normalised()
    _check(pacing_plan_problems(entry))
    plans = PacedActivity.objects.for_user(user)
    if plans.filter(activity_key=activity_key(entry.activity)).exists():
        raise InvalidEntry({"activity": PLAN_TAKEN})
    if plans.count() >= MAX_PACED_ACTIVITIES:
        raise InvalidEntry({"activity": f"You can have at most {MAX_PACED_ACTIVITIES} plans."})
    now = timezone.now()
    plan = pacing_plan_row(user, entry, created_at=now, updated_at=now)
    _save_plan(plan)
    return plan


def pacing_plan_row(user, entry: PacingPlanEntry, *, created_at, updated_at) -> PacedActivity:
    """The row a checked plan is stored as (one write, and the import's bulk write)."""
    return PacedActivity(
        user=user,
        activity=entry.activity,
        activity_key=activity_key(entry.activity),
        activity_minutes=entry.activity_minutes,
        break_minutes=entry.break_minutes,
        created_at=created_at,
        updated_at=updated_at,
    )


@transaction.atomic
def update_pacing_plan(*, user, pk, entry: PacingPlanEntry) -> PacedActivity:
    """New words or times; the bouts already logged keep the quota they were done with."""
    plan = get_pacing_plan_for(user, pk)
    entry = entry.normalised()
    _check(pacing_plan_problems(entry))
    key = activity_key(entry.activity)
    if PacedActivity.objects.for_user(user).filter(activity_key=key).exclude(pk=pk).exists():
        raise InvalidEntry({"activity": PLAN_TAKEN})
    plan.activity, plan.activity_key = entry.activity, key
    plan.activity_minutes, plan.break_minutes = entry.activity_minutes, entry.break_minutes
    plan.updated_at = timezone.now()
    _save_plan(plan)
    return plan


@transaction.atomic
def delete_pacing_plan(*, user, pk) -> None:
    """The plan goes with the bouts logged with it."""
    get_pacing_plan_for(user, pk).delete()


@transaction.atomic
def log_pacing_bout(*, user, entry: PacingBoutEntry) -> PacingBout:
    entry.note = entry.note.strip()
    problems = pacing_bout_problems(entry, today=user.today())
    plan = PacedActivity.objects.for_user(user).filter(pk=entry.plan).first()
    if plan is None:
        problems["plan"] = "No such pacing plan of yours."
    _check(problems)
    bout = pacing_bout_row(
        user, entry, planned_minutes=plan.activity_minutes, created_at=timezone.now()
    )
    bout.save()
    return bout


def pacing_bout_row(user, entry: PacingBoutEntry, *, planned_minutes, created_at) -> PacingBout:
    """The row a checked bout is stored as (one write, and the import's bulk write).
    `entry.plan` is the plan's id."""
    return PacingBout(
        user=user,
        plan_id=entry.plan,
        local_date=entry.local_date,
        minutes=entry.minutes,
        breaks=entry.breaks,
        rounds_to_time=entry.rounds_to_time,
        planned_minutes=planned_minutes,
        note=entry.note,
        created_at=created_at,
    )


@transaction.atomic
def delete_pacing_bout(*, user, pk) -> None:
    get_pacing_bout_for(user, pk).delete()


@dataclass(frozen=True)
class PacingPlanRow:
    plan: PacedActivity
    bouts: int
    last_bout: dt.date | None
    step_up_to: int | None  # a slightly longer quota to try, once the full time comes easily


def pacing_plans_for(user) -> list[PacingPlanRow]:
    """The plans, by name, each with its bouts counted and a step up when one is due."""
    plans = list(PacedActivity.objects.for_user(user))
    bouts: dict[int, list[tuple]] = {}
    for plan_id, *bout in (
        PacingBout.objects.for_user(user)
        .order_by()
        .values_list(
            "plan_id", "local_date", "minutes", "breaks", "planned_minutes", "rounds_to_time"
        )
    ):
        bouts.setdefault(plan_id, []).append(tuple(bout))
    return [
        PacingPlanRow(
            plan=plan,
            bouts=len(bouts.get(plan.pk, [])),
            last_bout=max((date for date, *_ in bouts.get(plan.pk, [])), default=None),
            step_up_to=step_up_suggested(plan.activity_minutes, bouts.get(plan.pk, [])),
        )
        for plan in plans
    ]


def pacing_plan_row_for(user, pk) -> PacingPlanRow:
    plan = get_pacing_plan_for(user, pk)
    return next(row for row in pacing_plans_for(user) if row.plan.pk == plan.pk)


# Reads


def awaiting_next_day(user, *, today: dt.date):
    """Yesterday's finished tries whose next-day pain is not yet answered (a queryset)."""
    return ExposureAttempt.objects.for_user(user).filter(
        local_date=today - dt.timedelta(days=1),
        finished_at__isnull=False,
        next_day_pain__isnull=True,
        next_day_declined=False,
    )


def next_day_questions(user, *, today: dt.date) -> list[ExposureAttempt]:
    """The questions the home page asks: awaiting_next_day, with their rungs."""
    return list(awaiting_next_day(user, today=today).select_related("rung"))


def unfinished_attempts(user, *, since: dt.date) -> list[ExposureAttempt]:
    """Tries predicted since `since` whose outcome is still to be said (the home page)."""
    return list(
        ExposureAttempt.objects.for_user(user)
        .filter(finished_at__isnull=True, local_date__gte=since)
        .select_related("rung")
    )


def movement_days(user, *, last: dt.date, first: dt.date | None = None) -> dict:
    """Each day's movement (pacing.Day) from the check-ins' minutes and flares and the
    activities logged, from `first` (or the beginning) to `last`."""
    checkins = CheckIn.objects.for_user(user).filter(
        Q(movement_minutes__isnull=False) | Q(is_flare=True), local_date__lte=last
    )
    activities = ActivitySession.objects.for_user(user).filter(local_date__lte=last)
    if first is not None:
        checkins = checkins.filter(local_date__gte=first)
        activities = activities.filter(local_date__gte=first)
    return pacing.days_from(
        checkins.values_list("local_date", "movement_minutes", "is_flare"),
        activities.values_list("local_date", "minutes"),
    )


def movement_plan(user, *, today: dt.date) -> pacing.Plan:
    return pacing.plan(movement_days(user, last=today), today=today)


def milestone_facts(user, plan: pacing.Plan) -> ladder.Facts:
    rungs = Rung.objects.for_user(user)
    tries = list(
        ExposureAttempt.objects.for_user(user)
        .filter(finished_at__isnull=False)
        .only(
            "local_date",
            "predicted_pain",
            "actual_pain",
            "outcome",
            "predicted_harm",
            "fear_before",
            "fear_after",
            "finished_at",
        )  # fmt: skip
    )
    zone = user.zone
    return ladder.Facts(
        rungs_added_on=[
            timezone.localtime(at, zone).date() for at in rungs.values_list("created_at", flat=True)
        ],
        tries_finished_on=[attempt.local_date for attempt in tries],
        surprises_on=[
            attempt.local_date for attempt in tries if ladder.violation(attempt).surprised
        ],
        mastered_on=[
            timezone.localtime(at, zone).date()
            for at in rungs.filter(mastered_at__isnull=False).values_list("mastered_at", flat=True)
        ],
        goal_weeks_met_on=plan.goal_weeks_met_on,
        active_runs_on=plan.active_runs_on,
    )


@dataclass(frozen=True)
class RungRow:
    rung: Rung
    tries: int  # finished tries
    last_try: dt.date | None
    mastery_suggested: bool
    is_next: bool  # the next step up the ladder
    big_step: bool  # much scarier than the last rung mastered: a step between may help
    waiting: ExposureAttempt | None  # the latest try still to be finished


@dataclass(frozen=True)
class Ladder:
    rows: list[RungRow]  # easiest first
    next_step: Rung | None
    mastered: int
    level: int


def ladder_for(user) -> Ladder:
    """The ladder in order, each rung with its tries and what the app suggests for it."""
    rungs = ladder.in_order(Rung.objects.for_user(user))
    attempts: dict[int, list[ExposureAttempt]] = {}
    waiting: dict[int, ExposureAttempt] = {}
    for attempt in ExposureAttempt.objects.for_user(user):  # newest first
        if attempt.finished:
            attempts.setdefault(attempt.rung_id, []).append(attempt)
        else:
            waiting.setdefault(attempt.rung_id, attempt)
    step = ladder.next_step(rungs)
    rows = [
        RungRow(
            rung=rung,
            tries=len(attempts.get(rung.pk, [])),
            last_try=attempts[rung.pk][0].local_date if rung.pk in attempts else None,
            mastery_suggested=ladder.mastery_suggested(rung, attempts.get(rung.pk, [])),
            is_next=step is not None and rung.pk == step.pk,
            big_step=step is not None and rung.pk == step.pk and ladder.step_is_big(rungs, step),
            waiting=waiting.get(rung.pk),
        )
        for rung in rungs
    ]
    mastered = sum(rung.mastered for rung in rungs)
    return Ladder(rows=rows, next_step=step, mastered=mastered, level=ladder.level(mastered))


@dataclass(frozen=True)
class Movement:
    plan: pacing.Plan
    level: int
    mastered: int
    milestones: list[ladder.Milestone]


def movement_for(user, *, today: dt.date) -> Movement:
    """The movement page: the pacing plan, the level and the milestones."""
    plan = movement_plan(user, today=today)
    facts = milestone_facts(user, plan)
    mastered = len(facts.mastered_on)
    return Movement(
        plan=plan,
        level=ladder.level(mastered),
        mastered=mastered,
        milestones=ladder.milestones(facts),
    )
