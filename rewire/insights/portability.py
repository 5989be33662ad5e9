"""The personal experiments in the export document, and back in: the document's `experiments`
section (docs/api.md), registered with core.portability.

Every experiment read from a document is checked by the rules a new one must follow
(experiments.experiment_problems), but for its first day, which may be in the past: its days
were drawn when it was planned, and for the names of medicines: an experiment planned before
that rule, or in another Rewire, is the person's history and comes back as it was. The
schedule is the person's own data and comes whole.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from rewire.core.portability import Section, grouped, iso, problems_at, register
from rewire.core.validation import moment_problem
from rewire.insights import actions
from rewire.insights.experiments import ExperimentEntry, experiment_problems
from rewire.insights.models import Experiment, ExperimentDay
from rewire.insights.schemas import ExportedExperiment

EXPERIMENT_FIELDS = (
    "intervention", "preset", "outcome", "start_date", "days", "schedule", "created_at",
    "stopped_on",
)  # fmt: skip
ANSWER_FIELDS = ("date", "done", "answered_at")
EARLIEST_START = dt.date(1900, 1, 1)


def export_experiments(user) -> list[dict]:
    """Every experiment, oldest first, with its whole schedule and its answers by date."""
    experiments = list(
        Experiment.objects.for_user(user)
        .order_by("created_at", "id")
        .values("id", *EXPERIMENT_FIELDS)
    )
    answers = grouped(
        [row["id"] for row in experiments],
        ExperimentDay.objects.order_by("date"),
        *ANSWER_FIELDS,
        parent="experiment_id",
    )
    for row in experiments:
        row["preset"] = row["preset"] or None
        row["answers"] = [
            iso(dict(zip(ANSWER_FIELDS, values, strict=True)), "date", "answered_at")
            for values in answers.get(row.pop("id"), [])
        ]
        iso(row, "start_date", "created_at", "stopped_on")
    return experiments


@dataclass
class ParsedExperiment:
    entry: ExperimentEntry
    schedule: list[bool]
    created_at: dt.datetime
    stopped_on: dt.date | None
    answers: list = field(default_factory=list)  # (date, done, answered_at)


def _schedule_problem(schedule: list[bool], days: int) -> str | None:
    if len(schedule) != days:
        return f"Must have one value a day: {days}, not {len(schedule)}."
    if any(schedule[day] == schedule[day + 1] for day in range(0, days, 2)):
        return "Each pair of days, from the first, must be one on day and one off day."
    return None


def _experiment(row, *, presets: set, now, today: dt.date) -> tuple[ParsedExperiment, dict]:
    entry = ExperimentEntry(
        intervention=" ".join(row.intervention.split()),  # as start_experiment normalises it
        outcome=row.outcome,
        days=row.days,
        start_date=row.start_date,
        preset=row.preset or "",
    )
    if row.start_date < EARLIEST_START:
        problems = experiment_problems(entry, today=today, presets=presets, medicines=None)
        problems["start_date"] = "Must be after 1900."
    else:
        # A past first day is fine (judged from that day itself); more than a week ahead not.
        problems = experiment_problems(
            entry, today=min(today, row.start_date), presets=presets, medicines=None
        )
    if problem := _schedule_problem(row.schedule, row.days):
        problems["schedule"] = problem
    if problem := moment_problem(row.created_at, now=now):
        problems["created_at"] = problem
    # Stopped at the earliest the day before the first (stopped before it began).
    if row.stopped_on is not None and not -1 <= (row.stopped_on - row.start_date).days < row.days:
        problems["stopped_on"] = "Must be from the day before the first day to the last day."
    seen = set()
    for number, answer in enumerate(row.answers):
        if not 0 <= (answer.date - row.start_date).days < row.days:
            problems["answers", number, "date"] = "Not a day of this experiment."
        elif answer.date in seen:
            problems["answers", number, "date"] = "Each day can be answered only once."
        seen.add(answer.date)
        if problem := moment_problem(answer.answered_at, now=now):
            problems["answers", number, "answered_at"] = problem
    parsed = ParsedExperiment(
        entry=entry,
        schedule=list(row.schedule),
        created_at=row.created_at,
        stopped_on=row.stopped_on,
        answers=[(a.date, a.done, a.answered_at) for a in row.answers],
    )
    return parsed, problems


def parse_experiments(document, *, prefix=()) -> tuple[list[ParsedExperiment], list]:
    """Check every experiment. Returns the parsed experiments and the problems found,
    [{loc, msg, type}], each loc under `experiments`."""
    parsed, errors = [], []
    presets, now = {preset.id for preset in actions.presets()}, timezone.now()
    # The actions judge a day by the person's today: here, in the document's timezone.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(document.account.timezone))
    for index, row in enumerate(document.experiments):
        experiment, problems = _experiment(row, presets=presets, now=now, today=today)
        errors += problems_at([*prefix, "experiments", index], problems)
        parsed.append(experiment)
    return parsed, errors


def write_experiments(user, experiments: list[ParsedExperiment]) -> None:
    """Bulk-write checked experiments with their own dates and times, and their answers."""
    written = Experiment.objects.bulk_create(
        (
            actions.experiment_row(
                user,
                parsed.entry,
                schedule=parsed.schedule,
                created_at=parsed.created_at,
                stopped_on=parsed.stopped_on,
            )
            for parsed in experiments
        ),
        batch_size=2000,
    )
    ExperimentDay.objects.bulk_create(
        (
            ExperimentDay(experiment=experiment, date=date, done=done, answered_at=answered_at)
            for experiment, parsed in zip(written, experiments, strict=True)
            for date, done, answered_at in parsed.answers
        ),
        batch_size=2000,
    )


@register
class ExperimentsSection(Section):
    name = "insights"
    order = 50
    fields = {"experiments": (list[ExportedExperiment], list)}
    exported = {
        "insights.Experiment": ("experiments",),
        "insights.ExperimentDay": ("experiments", "*", "answers"),
    }
    counts = {
        "experiments_records": (
            "Personal experiments written (each with its schedule and answers).",
            "{} personal experiments",
        )
    }
    conflict = "This account has personal experiments already; import needs an empty account."

    def export(self, user, links):
        return {"experiments": export_experiments(user)}

    def parse(self, document, *, prefix):
        return parse_experiments(document, prefix=prefix)

    def write(self, user, parsed, links):
        write_experiments(user, parsed)
        return {"experiments_records": len(parsed)}
