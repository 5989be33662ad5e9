"""The goals page: what matters, each rated weekly. Thin views over actions.py."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rewire.core.errors import InvalidEntry
from rewire.core.forms import form_status
from rewire.core.idempotency import created_once_per_form
from rewire.core.views import confirm_delete
from rewire.goals import actions, rules
from rewire.goals.forms import GoalForm, NewGoalForm, RatingForm
from rewire.measures.gate import programme_open


def _rating_form(goal, data=None) -> RatingForm:
    # No number chosen beforehand: one chosen for this week would be saved for last week if
    # the person switched weeks without looking. The table beside it shows each week's rating.
    return RatingForm(data, prefix=f"goal-{goal.pk}", initial={"week": "this"})


def _page(request, *, form=None, failed=None, status=200):
    """The goals page; `failed` is (goal id, its refused rating form)."""
    found = actions.goals_with_trends(request.user)
    rows = [
        {
            "goal": goal,
            "trend": trend,
            "form": failed[1] if failed and failed[0] == goal.pk else _rating_form(goal),
        }
        for goal, trend in found
    ]
    return render(
        request,
        "goals/goals.html",
        {
            "rows": rows,
            "form": form if form is not None else NewGoalForm(),
            "can_add": len(rows) < rules.MAX_GOALS,
            "max_goals": rules.MAX_GOALS,
            "not_validated": rules.NOT_VALIDATED,
        },
        status=status,
    )


@login_required
@programme_open
def goals(request):
    form = NewGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = created_once_per_form(
            request,
            form,
            "goal",
            lambda: actions.add_goal(
                user=request.user, title=form.cleaned_data["title"], why=form.cleaned_data["why"]
            ),
        )
        if added is not None:
            messages.success(request, "Added. Rate it once a week: how much you did it.")
            return redirect(f"{reverse('goals')}#goal-{added}")
    return _page(request, form=form, status=form_status(form))


@login_required
@programme_open(get_object=actions.get_goal_for)
@require_POST
def goal_rate(request, pk):
    goal = actions.get_goal_for(request.user, pk)
    form = RatingForm(request.POST, prefix=f"goal-{goal.pk}")
    if form.is_valid():
        today = request.user.today()
        week = today - dt.timedelta(weeks=1) if form.cleaned_data["week"] == "last" else today
        try:
            actions.rate_goal(
                user=request.user, pk=goal.pk, week=week, done=form.cleaned_data["done"]
            )
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            which = "last week" if form.cleaned_data["week"] == "last" else "this week"
            messages.success(
                request, f"Saved: {form.cleaned_data['done']} of 10 for “{goal.title}” {which}."
            )
            return redirect(f"{reverse('goals')}#goal-{goal.pk}")
    return _page(request, failed=(goal.pk, form), status=422)


@login_required
@programme_open(get_object=actions.get_goal_for)
def goal_edit(request, pk):
    goal = actions.get_goal_for(request.user, pk)
    form = GoalForm(request.POST or None, initial={"title": goal.title, "why": goal.why})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_goal(
                user=request.user,
                pk=pk,
                title=form.cleaned_data["title"],
                why=form.cleaned_data["why"],
            )
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Saved.")
            return redirect(f"{reverse('goals')}#goal-{pk}")
    return render(
        request, "goals/goal_edit.html", {"form": form, "goal": goal}, status=form_status(form)
    )


@login_required
@programme_open(get_object=actions.get_goal_for)
def goal_delete(request, pk):
    goal = actions.get_goal_for(request.user, pk)
    rated = goal.ratings.count()
    return confirm_delete(
        request,
        delete=lambda: actions.delete_goal(user=request.user, pk=pk),
        title="Delete this goal?",
        description=(
            f"“{goal.title}”, with its {rated} weekly rating{'' if rated == 1 else 's'}."
            if rated
            else f"“{goal.title}”. It has no ratings yet."
        ),
        cancel_url=reverse("goals"),
        done_url="goals",
        done="Goal deleted.",
    )
