"""The statistics of the diary and the personal experiments in the JSON API (/api/v1/). Thin:
every write goes through rewire/insights/actions.py.

Neither waits for the warning signs as the programme does: the statistics only read the diary,
and an experiment only asks, day by day, whether something was done.

rewire.api.api mounts this router (and authenticates its requests as it does the
check-ins'); the API is that module's.
"""

import dataclasses
import datetime as dt

from ninja import Router, Status

from rewire.core.api import ERRORS, create_once, idempotency_key_header, unprocessable
from rewire.core.errors import InvalidEntry
from rewire.core.schemas import CalendarDate, MessageOut
from rewire.insights import actions, data, sleep, stats
from rewire.insights.experiments import ExperimentEntry
from rewire.insights.models import Experiment
from rewire.insights.schemas import (
    AnswerIn,
    ExperimentIn,
    ExperimentOut,
    InsightsOut,
    PresetOut,
    SleepAndPainOut,
)

router = Router()


# The statistics


def _factor(factor: stats.Factor) -> dict:
    return {"factor": factor.id, "label": factor.label, "kind": factor.kind}


def _finding(finding: stats.Finding) -> dict:
    return {
        **dataclasses.asdict(finding),
        **_factor(finding.factor),
        "unit": finding.factor.unit,
        "words": stats.finding_words(finding),
    }


@router.get("/insights", response={200: InsightsOut, **ERRORS}, tags=["insights"])
def read_insights(request):
    """What goes with higher or lower pain in the diary, and how pain is trending."""
    analysis, trends = actions.insights_for(request.auth)
    return {
        "findings": [_finding(finding) for finding in analysis.findings],
        "not_enough": [
            {**dataclasses.asdict(missing), **_factor(missing.factor)}
            for missing in analysis.not_enough
        ],
        "tested": analysis.tested,
        "fdr": analysis.fdr,
        "days": analysis.days,
        "trends": dataclasses.asdict(trends),
    }


@router.get(
    "/insights/sleep-and-pain", response={200: SleepAndPainOut, **ERRORS}, tags=["insights"]
)
def read_sleep_and_pain(request):
    """Each night's hours of sleep against the next day's pain, grouped by hours, from the
    whole diary up to today: what the sleep lesson's chart shows. A description of the
    person's own days, not a test of cause."""
    user = request.auth
    found = data.sleep_and_pain(user, last=user.today())
    return {
        "nights": found.paired,
        "enough": found.enough,
        "min_nights": sleep.MIN_NIGHTS,
        "first": found.first,
        "last": found.last,
        "days_without_sleep": found.days_without_sleep,
        "bands": [
            {
                "id": summary.band.id,
                "label": summary.band.label,
                "at_least_hours": summary.band.at_least,
                "below_hours": summary.band.below,
                "nights": summary.nights,
                "average_pain": summary.average_pain,
            }
            for summary in found.bands
        ],
        "paired": [
            {"date": night.day, "sleep_hours": night.sleep_hours, "pain": night.pain}
            for night in found.nights
        ],
    }


# Experiments


def _experiment_data(report: actions.Report) -> dict:
    """The experiment as the API shows it. While it is scheduled or running, the days still to
    come do not say whether they are on (knowing ahead could change how a day goes), and the
    result shows only the pairs complete and the plan kept (actions.Report.result_shown)."""
    experiment = report.experiment
    schedule = [
        {
            "date": experiment.start_date + dt.timedelta(days=index),
            "on": on,
            "done": report.answers.get(experiment.start_date + dt.timedelta(days=index)),
            "outcome": report.outcomes[index],
        }
        for index, on in enumerate(report.plan_shown)
    ]
    return {
        "id": experiment.pk,
        "intervention": experiment.intervention,
        "preset": experiment.preset or None,
        "outcome": experiment.outcome,
        "start_date": experiment.start_date,
        "last_day": actions.last_day(experiment),
        "days": experiment.days,
        "created_at": experiment.created_at,
        "stopped_on": experiment.stopped_on,
        "status": report.status,
        "today_is_on": report.today_is_on,
        "schedule": schedule,
        "result": {**dataclasses.asdict(report.result_shown), "verdict": report.verdict_shown},
    }


def _experiment_detail(user, pk) -> dict:
    """The experiment as it is now; 404 for a stranger."""
    experiment = actions.get_experiment_for(user, pk)
    return _experiment_data(actions.report(experiment, today=user.today()))


def _experiment_or_none(user, pk) -> dict | None:
    if not Experiment.objects.for_user(user).filter(pk=pk).exists():
        return None
    return _experiment_detail(user, pk)


@router.get("/experiments/presets", response={200: list[PresetOut], **ERRORS}, tags=["experiments"])
def list_presets(request):
    """Things to try, as starting points; an experiment may name one by its id."""
    return [dataclasses.asdict(preset) for preset in actions.presets()]


@router.get("/experiments", response={200: list[ExperimentOut], **ERRORS}, tags=["experiments"])
def list_experiments(request):
    """Every experiment, newest first (by its first day)."""
    user = request.auth
    found = list(Experiment.objects.for_user(user))
    return [_experiment_data(report) for report in actions.reports(user, found, today=user.today())]


@router.post(
    "/experiments",
    response={201: ExperimentOut, 410: MessageOut, **ERRORS},
    tags=["experiments"],
)
def create_experiment(
    request, payload: ExperimentIn, idempotency_key: str | None = idempotency_key_header()
):
    """Plan an experiment: its on and off days are drawn at random now. One at a time. Send an
    Idempotency-Key so a retry never plans it twice."""
    user = request.auth
    entry = ExperimentEntry(
        intervention=payload.intervention,
        outcome=payload.outcome,
        days=payload.days,
        start_date=payload.start_date or user.today(),
        preset=payload.preset or "",
    )
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="experiment",
        create=lambda user: actions.start_experiment(user=user, entry=entry),
        fetch=_experiment_or_none,
    )


@router.get(
    "/experiments/{int:experiment_id}",
    response={200: ExperimentOut, **ERRORS},
    tags=["experiments"],
)
def read_experiment(request, experiment_id: int):
    return _experiment_detail(request.auth, experiment_id)


@router.post(
    "/experiments/{int:experiment_id}/days/{date}",
    response={200: ExperimentOut, **ERRORS},
    tags=["experiments"],
)
def answer_day(request, experiment_id: int, date: CalendarDate, payload: AnswerIn):
    """Did the person do it on that day? Answering again changes the answer."""
    user = request.auth
    try:
        actions.answer_day(user=user, pk=experiment_id, date=date, done=payload.done)
    except InvalidEntry as invalid:
        # The action's one field, the day, is the path's.
        return unprocessable(invalid.problems, prefix=("path",))
    return Status(200, _experiment_detail(user, experiment_id))


@router.post(
    "/experiments/{int:experiment_id}/stop",
    response={200: ExperimentOut, **ERRORS},
    tags=["experiments"],
)
def stop_experiment(request, experiment_id: int):
    """Stop early: the days so far are kept and analysed."""
    user = request.auth
    try:
        actions.stop_experiment(user=user, pk=experiment_id)
    except InvalidEntry as invalid:
        # The action's one problem is about the experiment itself: the path's.
        (reason,) = invalid.problems.values()
        return unprocessable({"experiment_id": reason}, prefix=("path",))
    return Status(200, _experiment_detail(user, experiment_id))


@router.delete(
    "/experiments/{int:experiment_id}", response={204: None, **ERRORS}, tags=["experiments"]
)
def delete_experiment(request, experiment_id: int):
    """Delete the experiment with its answers; the check-ins stay."""
    actions.delete_experiment(user=request.auth, pk=experiment_id)
    return Status(204, None)
