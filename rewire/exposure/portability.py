"""The fear ladder, its tries and the movement log in the export document, and back in: the
document's `exposure` section (docs/api.md), registered with core.portability.

Every record read from a document is checked by the same rules.py functions the actions use.
"""

import zoneinfo
from dataclasses import dataclass, field, replace

from django.utils import timezone

from rewire.core.portability import Section, date_problem, grouped, iso, problems_at, register
from rewire.core.validation import moment_problem, scale_problem
from rewire.exposure import actions
from rewire.exposure.models import (
    ActivitySession,
    ExposureAttempt,
    PacedActivity,
    PacingBout,
    Rung,
    RungRating,
)
from rewire.exposure.rules import (
    ActivityEntry,
    AttemptAfter,
    AttemptBefore,
    PacingBoutEntry,
    PacingPlanEntry,
    Rating,
    RungEntry,
    activity_entry_problems,
    activity_key,
    after_problems,
    before_problems,
    pacing_bout_problems,
    pacing_plan_problems,
    rating_problems,
    rung_problems,
)
from rewire.exposure.schemas import ExportedExposure

RUNG_FIELDS = (
    "activity", "library_id", "fear", "expected_pain", "harm", "created_at", "rated_at",
    "mastered_at",
)  # fmt: skip
RATING_FIELDS = ("fear", "expected_pain", "harm", "rated_at")
BEFORE_FIELDS = (
    "started_at", "local_date", "fear_before", "predicted_pain", "predicted_harm", "prediction",
)  # fmt: skip
AFTER_FIELDS = ("actual_pain", "outcome", "fear_after", "learned", "finished_at")
ACTIVITY_FIELDS = ("activity", "minutes", "local_date", "note", "created_at")
PLAN_FIELDS = ("activity", "activity_minutes", "break_minutes", "created_at", "updated_at")
BOUT_FIELDS = (
    "local_date", "minutes", "breaks", "rounds_to_time", "planned_minutes", "note", "created_at",
)  # fmt: skip


def export_exposure(user) -> dict:
    """The rungs (oldest first, each with every rating), the tries (oldest first, each naming
    its rung by the rung's place in `rungs`) and the activities logged (by day)."""
    rungs = list(
        Rung.objects.for_user(user).order_by("created_at", "id").values("id", *RUNG_FIELDS)
    )
    ratings = grouped(
        [row["id"] for row in rungs],
        RungRating.objects.order_by("rated_at", "id"),
        *RATING_FIELDS,
        parent="rung_id",
    )
    rung_index = {}
    for index, row in enumerate(rungs):
        pk = row.pop("id")
        rung_index[pk] = index
        row["library_id"] = row["library_id"] or None
        row["ratings"] = [
            iso(dict(zip(RATING_FIELDS, values, strict=True)), "rated_at")
            for values in ratings.get(pk, [])
        ]
        iso(row, "created_at", "rated_at", "mastered_at")
    attempts = []
    for row in (
        ExposureAttempt.objects.for_user(user)
        .order_by("started_at", "id")
        .values("rung_id", *BEFORE_FIELDS, *AFTER_FIELDS, "next_day_pain", "next_day_declined")
    ):
        after = {name: row.pop(name) for name in AFTER_FIELDS}
        row["rung_index"] = rung_index[row.pop("rung_id")]
        row["after"] = iso(after, "finished_at") if after["finished_at"] else None
        attempts.append(iso(row, "started_at", "local_date"))
    plan_index = {}
    plans = []
    for index, row in enumerate(
        PacedActivity.objects.for_user(user).order_by("created_at", "id").values("id", *PLAN_FIELDS)
    ):
        plan_index[row.pop("id")] = index
        plans.append(iso(row, "created_at", "updated_at"))
    bouts = []
    for row in (
        PacingBout.objects.for_user(user)
        .order_by("local_date", "created_at", "id")
        .values("plan_id", *BOUT_FIELDS)
    ):
        row["plan_index"] = plan_index[row.pop("plan_id")]
        bouts.append(iso(row, "local_date", "created_at"))
    return {
        "rungs": rungs,
        "attempts": attempts,
        "pacing_plans": plans,
        "pacing_bouts": bouts,
        "activity_sessions": [
            iso(row, "local_date", "created_at")
            for row in ActivitySession.objects.for_user(user)
            .order_by("local_date", "created_at", "id")
            .values(*ACTIVITY_FIELDS)
        ],
    }


@dataclass
class ParsedExposure:
    """The exposure records from a document, checked and normalised as the actions do."""

    # (RungEntry, created_at, rated_at, mastered_at, [(Rating, rated_at)])
    rungs: list = field(default_factory=list)
    # (rung index, AttemptBefore, local_date, AttemptAfter or None, next-day pain, declined)
    attempts: list = field(default_factory=list)
    activity_sessions: list = field(default_factory=list)  # (ActivityEntry, created_at)
    pacing_plans: list = field(default_factory=list)  # (PacingPlanEntry, created_at, updated_at)
    # (PacingBoutEntry with the plan's index, planned_minutes, created_at)
    pacing_bouts: list = field(default_factory=list)

    def count(self) -> int:
        """How many records: rungs, tries, activities, pacing plans and bouts (not the rungs'
        ratings)."""
        return (
            len(self.rungs)
            + len(self.attempts)
            + len(self.activity_sessions)
            + len(self.pacing_plans)
            + len(self.pacing_bouts)
        )


def _moments(row, names, *, now) -> dict:
    return {
        name: problem
        for name in names
        if getattr(row, name) is not None
        and (problem := moment_problem(getattr(row, name), now=now))
    }


def _rung(row, *, library, now, seen: set) -> tuple[tuple, dict]:
    entry = RungEntry(
        activity=row.activity,
        rating=Rating(fear=row.fear, expected_pain=row.expected_pain, harm=row.harm),
        library_id=row.library_id or "",
    ).normalised()
    problems = rung_problems(entry, library=library)
    # The same words twice, whatever their case, as add_rung refuses them.
    if "activity" not in problems and activity_key(entry.activity) in seen:
        problems["activity"] = "This activity is on the ladder already."
    seen.add(activity_key(entry.activity))
    problems |= _moments(row, ("created_at", "rated_at", "mastered_at"), now=now)
    ratings = []
    for number, earlier in enumerate(row.ratings):
        rating = Rating(fear=earlier.fear, expected_pain=earlier.expected_pain, harm=earlier.harm)
        found = rating_problems(rating) | _moments(earlier, ("rated_at",), now=now)
        problems |= {("ratings", number, name): reason for name, reason in found.items()}
        ratings.append((rating, earlier.rated_at))
    # As the actions keep them: every rating in time order from the first, the latest being
    # the rung's own, and nothing before the rung was added.
    if not row.ratings:
        problems["ratings"] = "A rung has at least its first rating."
    else:
        latest = row.ratings[-1]
        if (latest.fear, latest.expected_pain, latest.harm, latest.rated_at) != (
            row.fear,
            row.expected_pain,
            row.harm,
            row.rated_at,
        ):
            problems["ratings"] = "The last rating must be the rung's own (fear, pain, harm, time)."
        elif any(
            a.rated_at > b.rated_at for a, b in zip(row.ratings, row.ratings[1:], strict=False)
        ):
            problems["ratings"] = "Ratings must be in time order."
        elif row.ratings[0].rated_at < row.created_at:
            problems["ratings"] = "A rating cannot come before the rung was added."
    if row.mastered_at is not None and row.mastered_at < row.created_at:
        problems["mastered_at"] = "Cannot be before the rung was added."
    return (entry, row.created_at, row.rated_at, row.mastered_at, ratings), problems


def _attempt(row, *, rungs: int, now, today) -> tuple[tuple, dict]:
    before = AttemptBefore(
        rung=row.rung_index,
        started_at=row.started_at,
        fear_before=row.fear_before,
        predicted_pain=row.predicted_pain,
        predicted_harm=row.predicted_harm,
        prediction=row.prediction.strip(),
    )
    problems = before_problems(before, now=now)
    if row.rung_index >= rungs:
        problems["rung_index"] = f"The document has {rungs} rungs, numbered from 0."
    if problem := date_problem(row.local_date, row.started_at, "started_at"):
        problems["local_date"] = problem
    after = None
    if row.after is not None:
        after = AttemptAfter(
            actual_pain=row.after.actual_pain,
            outcome=row.after.outcome,
            fear_after=row.after.fear_after,
            learned=row.after.learned.strip(),
            finished_at=row.after.finished_at,
        )
        found = after_problems(after, started_at=row.started_at, now=now)
        problems |= {("after", name): reason for name, reason in found.items()}
    # As record_next_day_pain: only for a finished try, and from the day after it.
    answered = row.next_day_pain is not None or row.next_day_declined
    if row.next_day_pain is not None and (problem := scale_problem(row.next_day_pain)):
        problems["next_day_pain"] = problem
    elif answered and row.after is None:
        problems["next_day_pain"] = "Say how the try went first."
    elif answered and today <= row.local_date:
        problems["next_day_pain"] = "The next day's pain can be given from the day after the try."
    elif row.next_day_pain is not None and row.next_day_declined:
        problems["next_day_declined"] = "Must be false when the next day's pain is given."
    return (
        (row.rung_index, before, row.local_date, after, row.next_day_pain, row.next_day_declined),
        problems,
    )


def parse_exposure(document, *, prefix=()) -> tuple[ParsedExposure, list]:
    """Check every rung, try and activity against the rules the actions apply. Returns the
    parsed records and the problems found, [{loc, msg, type}], each loc under `exposure`."""
    exposure, parsed, errors = document.exposure, ParsedExposure(), []
    where = [*prefix, "exposure"]
    library, now = actions.library(), timezone.now()
    # The actions judge a day by the person's today: here, in the document's timezone.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(document.account.timezone))
    seen: set[str] = set()
    for index, row in enumerate(exposure.rungs):
        rung, problems = _rung(row, library=library, now=now, seen=seen)
        errors += problems_at([*where, "rungs", index], problems)
        parsed.rungs.append(rung)
    for index, row in enumerate(exposure.attempts):
        attempt, problems = _attempt(row, rungs=len(exposure.rungs), now=now, today=today)
        errors += problems_at([*where, "attempts", index], problems)
        parsed.attempts.append(attempt)
    for index, row in enumerate(exposure.activity_sessions):
        entry = ActivityEntry(
            activity=" ".join(row.activity.split()),  # as log_activity normalises it
            minutes=row.minutes,
            local_date=row.local_date,
            note=row.note.strip(),
        )
        problems = activity_entry_problems(entry, today=today)
        problems |= _moments(row, ("created_at",), now=now)
        errors += problems_at([*where, "activity_sessions", index], problems)
        parsed.activity_sessions.append((entry, row.created_at))
    _parse_pacing(exposure, parsed, errors, where=where, now=now, today=today)
    return parsed, errors


def _parse_pacing(exposure, parsed: ParsedExposure, errors: list, *, where, now, today) -> None:
    """The pacing plans and bouts, checked as add_pacing_plan and log_pacing_bout check them."""
    seen: set[str] = set()
    for index, row in enumerate(exposure.pacing_plans):
        entry = PacingPlanEntry(
            activity=row.activity,
            activity_minutes=row.activity_minutes,
            break_minutes=row.break_minutes,
        ).normalised()
        problems = pacing_plan_problems(entry)
        if "activity" not in problems and activity_key(entry.activity) in seen:
            problems["activity"] = "There is a pacing plan for this activity already."
        seen.add(activity_key(entry.activity))
        problems |= _moments(row, ("created_at", "updated_at"), now=now)
        if row.updated_at < row.created_at:
            problems["updated_at"] = "Cannot be before the plan was made."
        errors += problems_at([*where, "pacing_plans", index], problems)
        parsed.pacing_plans.append((entry, row.created_at, row.updated_at))
    plans = len(exposure.pacing_plans)
    for index, row in enumerate(exposure.pacing_bouts):
        entry = PacingBoutEntry(
            plan=row.plan_index,
            minutes=row.minutes,
            breaks=row.breaks,
            local_date=row.local_date,
            note=row.note.strip(),
            rounds_to_time=row.rounds_to_time,
        )
        problems = pacing_bout_problems(entry, today=today)
        problems |= _moments(row, ("created_at",), now=now)
        if row.plan_index >= plans:
            problems["plan_index"] = f"The document has {plans} pacing plans, numbered from 0."
        errors += problems_at([*where, "pacing_bouts", index], problems)
        parsed.pacing_bouts.append((entry, row.planned_minutes, row.created_at))


def write_exposure(user, exposure: ParsedExposure) -> None:
    """Bulk-write checked exposure records with their own times and dates (the import), each
    try linked to the new copy of the rung it names."""
    rungs = Rung.objects.bulk_create(
        (
            actions.rung_row(
                user, entry, created_at=created_at, rated_at=rated_at, mastered_at=mastered_at
            )
            for entry, created_at, rated_at, mastered_at, _ in exposure.rungs
        ),
        batch_size=2000,
    )
    RungRating.objects.bulk_create(
        (
            RungRating(rung=rung, rated_at=rated_at, **vars(rating))
            for rung, (*_, ratings) in zip(rungs, exposure.rungs, strict=True)
            for rating, rated_at in ratings
        ),
        batch_size=2000,
    )
    now = timezone.now()
    attempts = []
    for index, before, local_date, after, next_day_pain, declined in exposure.attempts:
        # The document names the rung by its place; the row by the new copy's id.
        attempt = actions.attempt_row(
            user, replace(before, rung=rungs[index].pk), local_date, after, now=now
        )
        attempt.next_day_pain, attempt.next_day_declined = next_day_pain, declined
        attempts.append(attempt)
    ExposureAttempt.objects.bulk_create(attempts, batch_size=2000)
    ActivitySession.objects.bulk_create(
        (
            actions.activity_row(user, entry, created_at=created_at)
            for entry, created_at in exposure.activity_sessions
        ),
        batch_size=2000,
    )
    plans = PacedActivity.objects.bulk_create(
        (
            actions.pacing_plan_row(user, entry, created_at=created_at, updated_at=updated_at)
            for entry, created_at, updated_at in exposure.pacing_plans
        ),
        batch_size=2000,
    )
    # The document names the plan by its place; the row by the new copy's id.
    PacingBout.objects.bulk_create(
        (
            actions.pacing_bout_row(
                user,
                replace(entry, plan=plans[entry.plan].pk),
                planned_minutes=planned_minutes,
                created_at=created_at,
            )
            for entry, planned_minutes, created_at in exposure.pacing_bouts
        ),
        batch_size=2000,
    )


@register
class ExposureSection(Section):
    name = "exposure"
    order = 40
    fields = {"exposure": (ExportedExposure, ExportedExposure)}
    exported = {
        "exposure.Rung": ("exposure", "rungs"),
        "exposure.RungRating": ("exposure", "rungs", "*", "ratings"),
        "exposure.ExposureAttempt": ("exposure", "attempts"),
        "exposure.ActivitySession": ("exposure", "activity_sessions"),
        "exposure.PacedActivity": ("exposure", "pacing_plans"),
        "exposure.PacingBout": ("exposure", "pacing_bouts"),
    }
    counts = {
        "exposure_records": (
            "Rungs of the fear ladder, tries at them, activities logged, pacing plans and "
            "paced bouts, written.",
            "{} fear-ladder, movement and pacing records",
        )
    }
    conflict = (
        "This account has a fear ladder, tries, activities or pacing plans already; import "
        "needs an empty account."
    )

    def export(self, user, links):
        return {"exposure": export_exposure(user)}

    def parse(self, document, *, prefix):
        return parse_exposure(document, prefix=prefix)

    def write(self, user, parsed, links):
        write_exposure(user, parsed)
        return {"exposure_records": parsed.count()}
