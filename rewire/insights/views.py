"""The insights page and personal experiments: thin views over actions.py."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from rewire.core.errors import InvalidEntry
from rewire.core.forms import form_status
from rewire.core.idempotency import created_once_per_form
from rewire.core.views import confirm_delete
from rewire.diary import trends as diary_trends
from rewire.insights import actions, charts, stats
from rewire.insights.forms import ExperimentForm
from rewire.insights.models import Experiment

WEEKS_SHOWN = 12
PAST_SHOWN = 5  # earlier experiments listed on the insights page


def home_card(user) -> dict | None:
    """Today's experiment day on the home page: on or off, and "did you do it?"."""
    today = user.today()
    experiment = actions.running_experiment(user, today=today)
    if experiment is None or actions.status(experiment, today=today) != actions.RUNNING:
        return None
    index = actions.day_of(experiment, today)
    if index is None:  # the morning after the last day: only its outcome is still to come
        return None
    answer = experiment.answers.filter(date=today).first()
    return {
        "experiment": experiment,
        "day": index + 1,
        "on": experiment.schedule[index],
        "today": today,
        "answer": None if answer is None else answer.done,
    }


def _weekly_chart(trends: stats.Trends):
    series = [(week.start, week.average) for week in trends.weeks if week.average is not None]
    if len(series) < 2:  # one week is a number, said above; a chart needs a line
        return None
    shown = series[-WEEKS_SHOWN * 4 :]
    return diary_trends.line_chart(shown, first_day=shown[0][0], last_day=shown[-1][0])


@login_required
def insights(request):
    user = request.user
    today = user.today()
    analysis, trends = actions.insights_for(user, today=today)
    significant = [f for f in analysis.findings if f.significant]
    scale, bars = charts.forest(significant)
    experiment = actions.running_experiment(user, today=today)
    shown = [experiment] if experiment else []
    shown += [
        earlier
        for earlier in Experiment.objects.for_user(user)[:PAST_SHOWN]
        if experiment is None or earlier.pk != experiment.pk
    ]
    found = actions.reports(user, shown, today=today)
    current, past = (found[0], found[1:]) if experiment else (None, found)
    return render(
        request,
        "insights/insights.html",
        {
            "analysis": analysis,
            "found": [
                (finding, stats.finding_words(finding), bar)
                for finding, bar in zip(significant, bars, strict=True)
            ],
            "scale": scale,
            "unclear": [
                (finding, stats.finding_words(finding))
                for finding in analysis.findings
                if not finding.significant
            ],
            "trends": trends,
            "weeks": list(reversed(trends.weeks))[:WEEKS_SHOWN],
            "chart": _weekly_chart(trends),
            "current": current,
            "past": past,
        },
    )


@login_required
def experiment_new(request):
    user = request.user
    today = user.today()
    presets = actions.presets()
    form = ExperimentForm(
        request.POST or None, presets=presets, medicines=actions.medicines(), today=today
    )
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "experiment",
            lambda: actions.start_experiment(user=user, entry=form.to_entry()),
        )
        if saved is not None:
            messages.success(request, "Your experiment is planned. Each day says whether it is on.")
            return redirect("experiment", pk=saved)
    running = actions.running_experiment(user, today=today)
    return render(
        request,
        "insights/experiment_new.html",
        {"form": form, "presets": presets, "running": running},
        status=form_status(form),
    )


@login_required
def experiment(request, pk):
    found = actions.get_experiment_for(request.user, pk)
    today = request.user.today()
    report = actions.report(found, today=today)
    days = [
        {
            "date": found.start_date + dt.timedelta(days=index),
            "on": on,
            "done": report.answers.get(found.start_date + dt.timedelta(days=index)),
            "outcome": report.outcomes[index],
            "today": found.start_date + dt.timedelta(days=index) == today,
        }
        for index, on in enumerate(report.plan_shown)
    ]
    # Days after an early stop never happened: they are not listed as if planned still.
    run = [day for day in days if found.stopped_on is None or day["date"] <= found.stopped_on]
    not_run = len(days) - len(run)
    days = run
    last = actions.last_day(found)
    # The latest three days that have come, answered or not (an answer can be changed; also
    # just after the end, so the last day can be answered after midnight).
    open_days = [
        day
        for day in days
        if day["date"] <= today and (found.stopped_on is None or day["date"] <= found.stopped_on)
    ]
    return render(
        request,
        "insights/experiment.html",
        {
            "report": report,
            "experiment": found,
            "days": days,
            "not_run": not_run,
            "today": today,
            "last_day": last,
            "can_answer": open_days[-3:] if today <= last + dt.timedelta(days=2) else [],
            "can_stop": report.status == actions.SCHEDULED or report.today_index is not None,
            "adherence": None
            if report.result.adherence is None
            else round(100 * report.result.adherence),
        },
    )


@login_required
def experiment_answer(request, pk):
    # The experiment first: a stranger gets the same 404 whatever the method.
    found = actions.get_experiment_for(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = request.POST.get("next") == "home"
    answer = request.POST.get("done")
    try:
        date = dt.date.fromisoformat(request.POST.get("date", ""))
        if answer not in ("yes", "no"):
            raise InvalidEntry({"done": "Choose yes or no."})
        actions.answer_day(user=request.user, pk=found.pk, date=date, done=answer == "yes")
    except ValueError:
        messages.error(request, "That day could not be read; please try again.")
    except InvalidEntry as invalid:
        messages.error(request, next(iter(invalid.problems.values())))
    else:
        messages.success(request, "Thank you, noted.")
    return redirect("home" if back else reverse("experiment", args=[found.pk]))


@login_required
def experiment_stop(request, pk):
    found = actions.get_experiment_for(request.user, pk)
    if request.method == "POST":
        try:
            actions.stop_experiment(user=request.user, pk=pk)
        except InvalidEntry as invalid:
            messages.error(request, next(iter(invalid.problems.values())))
        else:
            messages.success(request, "Stopped. The days so far are kept, and analysed below.")
        return redirect("experiment", pk=pk)
    return render(
        request,
        "insights/experiment_stop.html",
        {"experiment": found, "cancel_url": reverse("experiment", args=[pk])},
    )


@login_required
def experiment_delete(request, pk):
    found = actions.get_experiment_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_experiment(user=request.user, pk=pk),
        title="Delete this experiment?",
        description=(
            f"“{found.intervention}”, {found.days} days from {found.start_date:%-d %B %Y}, "
            "with your answers. Your check-ins stay."
        ),
        cancel_url=reverse("experiment", args=[pk]),
        done_url="insights",
        done="Experiment deleted.",
    )
