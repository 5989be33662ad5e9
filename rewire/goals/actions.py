"""Writes to the person's goals. The pages, the API and the import call these."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.core.validation import scale_problem
from rewire.goals import rules
from rewire.goals.models import Goal, GoalRating


def get_goal_for(user, pk) -> Goal:
    return get_object_or_404(Goal.objects.for_user(user), pk=pk)


def _words(text: str) -> str:
    return " ".join(text.split())


@transaction.atomic
def add_goal(*, user, title: str, why: str = "") -> Goal:
    title, why = _words(title), why.strip()
    # Two adds at once (PostgreSQL): the second waits here, then counts the first's goal.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    others = list(Goal.objects.for_user(user).values_list("title", flat=True))
    if len(others) >= rules.MAX_GOALS:
        raise InvalidEntry(
            {"title": f"You have {rules.MAX_GOALS} already: change or delete one to add another."}
        )
    if problems := rules.goal_problems(title=title, why=why, others=others):
        raise InvalidEntry(problems)
    return Goal.objects.create(user=user, title=title, why=why)


@transaction.atomic
def update_goal(*, user, pk, title: str, why: str = "") -> Goal:
    goal = get_goal_for(user, pk)
    title, why = _words(title), why.strip()
    others = list(Goal.objects.for_user(user).exclude(pk=goal.pk).values_list("title", flat=True))
    if problems := rules.goal_problems(title=title, why=why, others=others):
        raise InvalidEntry(problems)
    goal.title, goal.why = title, why
    goal.save(update_fields=["title", "why"])
    return goal


@transaction.atomic
def delete_goal(*, user, pk) -> None:
    get_goal_for(user, pk).delete()


@transaction.atomic
def rate_goal(*, user, pk, week: dt.date, done) -> GoalRating:
    """Rate a goal for the week holding `week` (any day of it): a second rating of the same
    week replaces the first, so a retry never adds one."""
    goal = get_object_or_404(Goal.objects.for_user(user).select_for_update(), pk=pk)
    monday = rules.week_of(week)
    problems = {}
    if problem := scale_problem(done, required=True):
        problems["done"] = problem
    if problem := rules.week_problem(monday, today=user.today()):
        problems["week"] = problem
    if problems:
        raise InvalidEntry(problems)
    rating, _ = GoalRating.objects.update_or_create(
        goal=goal, week=monday, defaults={"done": done, "rated_at": timezone.now()}
    )
    return rating


@transaction.atomic
def clear_rating(*, user, pk, week: dt.date) -> None:
    goal = get_goal_for(user, pk)
    GoalRating.objects.filter(goal=goal, week=rules.week_of(week)).delete()


def goals_with_trends(user, *, today: dt.date | None = None) -> list[tuple[Goal, rules.Trend]]:
    """Each goal with its last weeks, for the goals page, the outcome page and the report."""
    today = today or user.today()
    goals = list(Goal.objects.for_user(user))
    ratings: dict[int, dict[dt.date, int]] = {goal.pk: {} for goal in goals}
    for goal_id, week, done in GoalRating.objects.for_user(user).values_list(
        "goal_id", "week", "done"
    ):
        ratings[goal_id][week] = done
    return [
        (
            goal,
            rules.trend(
                ratings[goal.pk], today=today, since=goal.created_at.astimezone(user.zone).date()
            ),
        )
        for goal in goals
    ]


def unrated_this_week(user) -> int:
    """How many goals wait for this week's rating (for the home page's nudge)."""
    this_week = rules.week_of(user.today())
    rated = GoalRating.objects.for_user(user).filter(week=this_week).count()
    return Goal.objects.for_user(user).count() - rated
