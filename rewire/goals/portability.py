"""The person's goals and their weekly ratings in the export document (`goals`, docs/api.md),
and back in, checked by the rules a new goal and rating follow."""

import zoneinfo

from django.utils import timezone

from rewire.core.portability import Section, problems_at, register
from rewire.core.validation import moment_problem
from rewire.goals import rules
from rewire.goals.models import Goal, GoalRating
from rewire.goals.schemas import ExportedGoals


def export_goals(user) -> list[dict]:
    goals = list(Goal.objects.for_user(user).prefetch_related("ratings"))
    return [
        {
            "title": goal.title,
            "why": goal.why,
            "created_at": goal.created_at.isoformat(),
            "ratings": [
                {"week": r.week.isoformat(), "done": r.done, "rated_at": r.rated_at.isoformat()}
                for r in goal.ratings.all()
            ],
        }
        for goal in goals
    ]


def parse_goals(goals, *, prefix, zone: str) -> tuple[list, list[dict]]:
    now = timezone.now()
    # rate_goal judges a week by the person's today: here, in the document's timezone.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
    errors, titles = [], []
    for index, goal in enumerate(goals):
        where = [*prefix, "goals", index]
        title, why = " ".join(goal.title.split()), goal.why.strip()
        errors += problems_at(where, rules.goal_problems(title=title, why=why, others=titles))
        titles.append(title)
        if problem := moment_problem(goal.created_at, now=now):
            errors += problems_at(where, {"created_at": problem})
        weeks = set()
        for number, rating in enumerate(goal.ratings):
            at = [*where, "ratings", number]
            if rating.week != rules.week_of(rating.week):
                errors += problems_at(at, {"week": "Must be a Monday: the week's first day."})
            elif rating.week in weeks:
                errors += problems_at(at, {"week": "Each week at most once."})
            weeks.add(rating.week)
            if problem := rules.week_problem(rating.week, today=today):
                errors += problems_at(at, {"week": problem})
            if problem := moment_problem(rating.rated_at, now=now):
                errors += problems_at(at, {"rated_at": problem})
    return list(goals), errors


@register
class GoalsSection(Section):
    name = "goals"
    order = 25
    fields = {"goals": (ExportedGoals, list)}
    exported = {
        "goals.Goal": ("goals",),
        "goals.GoalRating": ("goals", "*", "ratings"),
    }
    counts = {"goal_records": ("Goals and their weekly ratings written.", "{} goal records")}
    conflict = "This account has goals already; import needs an account without goals."

    def export(self, user, links):
        return {"goals": export_goals(user)}

    def parse(self, document, *, prefix):
        return parse_goals(document.goals, prefix=prefix, zone=document.account.timezone)

    def write(self, user, parsed, links):
        for goal in parsed:
            made = Goal.objects.create(
                user=user,
                title=" ".join(goal.title.split()),
                why=goal.why.strip(),
                created_at=goal.created_at,
            )
            GoalRating.objects.bulk_create(
                GoalRating(goal=made, week=r.week, done=r.done, rated_at=r.rated_at)
                for r in goal.ratings
            )
        return {"goal_records": sum(1 + len(goal.ratings) for goal in parsed)}
