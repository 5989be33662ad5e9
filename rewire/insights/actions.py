"""Every write to the personal experiments, and the reads the insights page and API share."""

import dataclasses
import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.insights import data, experiments, stats
from rewire.insights.experiments import ExperimentEntry, experiment_problems
from rewire.insights.medicines import Medicines, medicines_for
from rewire.insights.models import Experiment, ExperimentDay
from rewire.insights.presets import Preset, presets_for

SCHEDULED, RUNNING, FINISHED, STOPPED = "scheduled", "running", "finished", "stopped"


def presets() -> tuple[Preset, ...]:
    return presets_for(settings.LANGUAGE_CODE)


def medicines() -> Medicines:
    return medicines_for(settings.LANGUAGE_CODE)


def _check(problems: dict) -> None:
    if problems:
        raise InvalidEntry(problems)


def get_experiment_for(user, pk) -> Experiment:
    return get_object_or_404(Experiment.objects.for_user(user), pk=pk)


# The state of an experiment


def last_day(experiment: Experiment) -> dt.date:
    return experiment.start_date + dt.timedelta(days=experiment.days - 1)


def status(experiment: Experiment, *, today: dt.date) -> str:
    if experiment.stopped_on is not None:
        return STOPPED
    if today < experiment.start_date:
        return SCHEDULED
    # The last day's outcome may be the next morning's pain: it counts as running until then.
    end = last_day(experiment) + dt.timedelta(
        days=1 if experiment.outcome == "next_morning_pain" else 0
    )
    return RUNNING if today <= end else FINISHED


def day_of(experiment: Experiment, date: dt.date) -> int | None:
    """The day's place in the schedule (from 0), or None outside it."""
    index = (date - experiment.start_date).days
    return index if 0 <= index < experiment.days else None


def running_experiment(user, *, today: dt.date) -> Experiment | None:
    for experiment in Experiment.objects.for_user(user).filter(stopped_on__isnull=True)[:5]:
        if status(experiment, today=today) in (SCHEDULED, RUNNING):
            return experiment
    return None


# Writes


@transaction.atomic
def start_experiment(*, user, entry: ExperimentEntry, seed: int | None = None) -> Experiment:
    """Plan an experiment: its days are drawn at random now. One at a time, so two
    experiments never blur each other's answer."""
    entry = dataclasses.replace(entry, intervention=" ".join(entry.intervention.split()))
    today = user.today()
    _check(
        experiment_problems(
            entry, today=today, presets={p.id for p in presets()}, medicines=medicines()
        )
    )
    # Two starts at once (PostgreSQL): the second waits here, then finds the first.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if running_experiment(user, today=today) is not None:
        raise InvalidEntry(
            {"experiment": "One experiment at a time: finish or stop the one under way first."}
        )
    schedule = experiments.schedule(entry.days, seed=secrets.randbits(64) if seed is None else seed)
    experiment = experiment_row(user, entry, schedule=schedule, created_at=timezone.now())
    experiment.save()
    return experiment


def experiment_row(user, entry: ExperimentEntry, *, schedule, created_at, stopped_on=None):
    """The row a checked experiment is stored as (one write, and the import's bulk write)."""
    return Experiment(
        user=user,
        **dataclasses.asdict(entry),
        schedule=schedule,
        created_at=created_at,
        stopped_on=stopped_on,
    )


@transaction.atomic
def answer_day(*, user, pk, date: dt.date, done: bool) -> ExperimentDay:
    """Whether the person did the thing on one day of the experiment (answering again
    changes the answer)."""
    experiment = get_experiment_for(user, pk)
    if day_of(experiment, date) is None:
        raise InvalidEntry({"date": "Not a day of this experiment."})
    if date > user.today():
        raise InvalidEntry({"date": "That day has not come yet."})
    if experiment.stopped_on is not None and date > experiment.stopped_on:
        raise InvalidEntry({"date": "The experiment was stopped before that day."})
    try:
        with transaction.atomic():
            answer, _ = ExperimentDay.objects.update_or_create(
                experiment=experiment,
                date=date,
                defaults={"done": done, "answered_at": timezone.now()},
            )
    except IntegrityError:  # the same answer sent twice at once
        answer = ExperimentDay.objects.get(experiment=experiment, date=date)
    return answer


@transaction.atomic
def stop_experiment(*, user, pk) -> Experiment:
    """Stop early: the days so far are kept and analysed; the report says it stopped early."""
    experiment = get_experiment_for(user, pk)
    today = user.today()
    if status(experiment, today=today) == FINISHED:
        raise InvalidEntry({"experiment": "It has finished already."})
    if experiment.stopped_on is None and today > last_day(experiment):
        # The morning after the last day: every day has run; only its outcome is to come.
        raise InvalidEntry(
            {"experiment": "All its days are over; the result comes with this morning's check-in."}
        )
    if experiment.stopped_on is None:
        experiment.stopped_on = max(today, experiment.start_date - dt.timedelta(days=1))
        experiment.save(update_fields=["stopped_on"])
    return experiment


@transaction.atomic
def delete_experiment(*, user, pk) -> None:
    get_experiment_for(user, pk).delete()


# Reads


@dataclasses.dataclass(frozen=True)
class Report:
    experiment: Experiment
    status: str
    today_index: int | None  # today's place in the schedule, while it runs
    answers: dict[dt.date, bool]
    outcomes: list[float | None]
    result: experiments.Result
    verdict: str
    plan_shown: list[bool | None]  # the schedule, with days still to come hidden (None)

    @property
    def today_is_on(self) -> bool | None:
        if self.today_index is None:
            return None
        return self.experiment.schedule[self.today_index]

    @property
    def final(self) -> bool:
        """Over (finished or stopped): the result is the answer, not a look in the middle."""
        return self.status in (FINISHED, STOPPED)

    @property
    def result_shown(self) -> experiments.Result:
        """While it runs, only how many pairs are complete and how often the plan was kept:
        looking at the effect in the middle, and stopping when it looks good, makes chance
        look real."""
        if self.final:
            return self.result
        return dataclasses.replace(
            self.result,
            effect=None,
            ci_low=None,
            ci_high=None,
            p=None,
            on_average=None,
            off_average=None,
        )

    @property
    def verdict_shown(self) -> str:
        if self.final:
            return self.verdict
        return (
            f"The answer comes at the end, after {last_day(self.experiment):%-d %B}: "
            f"{self.result.pairs} of {self.result.pairs_planned} pairs of days are complete so "
            "far. A look in the middle is less sure, and deciding early on what it shows can "
            "fool you."
        )


def _report(experiment, *, today, checkins, answers) -> Report:
    first = experiment.start_date
    dates = [first + dt.timedelta(days=n) for n in range(experiment.days)]
    outcomes = [experiments.outcome_for(date, experiment.outcome, checkins) for date in dates]
    state = status(experiment, today=today)
    if state == STOPPED:
        ran = (experiment.stopped_on - first).days + 1
    elif state == FINISHED:
        ran = None
    else:
        # Only the days whose outcome is known can count: not today's, while it runs.
        ran = max(0, (today - first).days)
    result = experiments.analyse(
        experiment.schedule, outcomes, [answers.get(date) for date in dates], days_run=ran
    )
    if state in (RUNNING, SCHEDULED):
        result = dataclasses.replace(result, stopped_early=False)
    final = state in (FINISHED, STOPPED)
    return Report(
        experiment=experiment,
        status=state,
        today_index=day_of(experiment, today) if state == RUNNING else None,
        answers=answers,
        outcomes=outcomes,
        result=result,
        verdict=experiments.verdict(
            result,
            intervention=experiment.intervention,
            outcome=experiment.outcome,
            final=final,
        ),
        # Days to come stay hidden while it runs, so knowing them cannot change a day.
        plan_shown=[
            on if final or date <= today else None
            for on, date in zip(experiment.schedule, dates, strict=True)
        ],
    )


def reports(user, found: list[Experiment], *, today: dt.date) -> list[Report]:
    """Reports for several of the user's experiments, with one read of the check-ins and one
    of the answers, whatever their number."""
    if not found:
        return []
    first = min(experiment.start_date for experiment in found)
    last = max(last_day(experiment) for experiment in found) + dt.timedelta(days=1)
    checkins = data.checkin_times(user, first=first, last=last)
    answers: dict[int, dict[dt.date, bool]] = {experiment.pk: {} for experiment in found}
    for experiment_id, date, done in ExperimentDay.objects.filter(
        experiment__in=[experiment.pk for experiment in found]
    ).values_list("experiment_id", "date", "done"):
        answers[experiment_id][date] = done
    return [
        _report(experiment, today=today, checkins=checkins, answers=answers[experiment.pk])
        for experiment in found
    ]


def report(experiment: Experiment, *, today: dt.date) -> Report:
    return reports(experiment.user, [experiment], today=today)[0]


def insights_for(user, *, today: dt.date | None = None):
    """The statistics of the whole diary: (Analysis, Trends)."""
    today = today or user.today()
    diary = data.daily(user, last=today)
    return stats.analyse(diary), stats.trends(diary, today=today)
