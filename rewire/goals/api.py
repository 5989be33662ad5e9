"""Goals in the JSON API (/api/v1/goals). Thin: every write goes through an action.

Writes wait for the programme's gate as the programme's tools do; reading and deleting stay
open: the records are the person's own."""

from ninja import Router, Status

from rewire.core.api import ERRORS, create_once, idempotency_key_header, unprocessable
from rewire.core.errors import InvalidEntry
from rewire.core.schemas import CalendarDate, MessageOut
from rewire.goals import actions, rules
from rewire.goals.models import Goal
from rewire.goals.schemas import GoalIn, GoalOut, RatingIn, RatingOut
from rewire.measures.gate import LOCKED_409, programme_open_api

router = Router(tags=["goals"])


def _week(week: rules.Week | None) -> dict | None:
    return None if week is None else {"week": week.monday, "done": week.done}


def _goal_out(goal: Goal, trend: rules.Trend) -> dict:
    return {
        "id": goal.pk,
        "title": goal.title,
        "why": goal.why,
        "created_at": goal.created_at,
        "weeks": [_week(week) for week in trend.weeks],
        "first_rated": _week(trend.first),
        "latest_rated": _week(trend.latest),
        "weeks_rated": trend.rated,
        "summary": trend.words,
        "measure": rules.NOT_VALIDATED,
    }


def _one(user, pk) -> dict | None:
    found = dict(
        (goal.pk, (goal, trend)) for goal, trend in actions.goals_with_trends(user) if goal.pk == pk
    )
    return _goal_out(*found[pk]) if pk in found else None


@router.get("/goals", response={200: list[GoalOut], **ERRORS})
def list_goals(request):
    """The person's goals (at most three), oldest first, each with its last weeks."""
    return [_goal_out(goal, trend) for goal, trend in actions.goals_with_trends(request.auth)]


@router.post("/goals", response={201: GoalOut, 410: MessageOut, **LOCKED_409, **ERRORS})
@programme_open_api
def create_goal(request, payload: GoalIn, idempotency_key: str | None = idempotency_key_header()):
    """Add a goal (at most three). Send an Idempotency-Key so a retry never adds it twice."""
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="goal",
        create=lambda user: actions.add_goal(user=user, title=payload.title, why=payload.why),
        fetch=_one,
    )


@router.get("/goals/{int:goal_id}", response={200: GoalOut, **ERRORS})
def read_goal(request, goal_id: int):
    goal = actions.get_goal_for(request.auth, goal_id)
    return _one(request.auth, goal.pk)


@router.put("/goals/{int:goal_id}", response={200: GoalOut, **LOCKED_409, **ERRORS})
@programme_open_api(get_object=actions.get_goal_for, id_param="goal_id")
def update_goal(request, goal_id: int, payload: GoalIn):
    try:
        actions.update_goal(user=request.auth, pk=goal_id, title=payload.title, why=payload.why)
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _one(request.auth, goal_id))


@router.delete("/goals/{int:goal_id}", response={204: None, **ERRORS})
def delete_goal(request, goal_id: int):
    """Delete a goal with its ratings."""
    actions.delete_goal(user=request.auth, pk=goal_id)
    return Status(204, None)


@router.put("/goals/{int:goal_id}/weeks/{week}", response={200: RatingOut, **LOCKED_409, **ERRORS})
@programme_open_api(get_object=actions.get_goal_for, id_param="goal_id")
def rate_goal(request, goal_id: int, week: CalendarDate, payload: RatingIn):
    """Rate how much the person did the goal in the week holding `week` (any day of it; kept
    under its Monday). Rating a week again replaces its rating, so a retry changes nothing."""
    try:
        rating = actions.rate_goal(user=request.auth, pk=goal_id, week=week, done=payload.done)
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(
        200,
        {"goal": goal_id, "week": rating.week, "done": rating.done, "rated_at": rating.rated_at},
    )


@router.delete("/goals/{int:goal_id}/weeks/{week}", response={204: None, **ERRORS})
def clear_rating(request, goal_id: int, week: CalendarDate):
    """Remove the rating of the week holding `week`, if there is one."""
    actions.clear_rating(user=request.auth, pk=goal_id, week=week)
    return Status(204, None)
