"""The guide's reads: the review a session opens with, and today's suggested practice, from
the person's own records (recap.py puts them in words). Every read is the person's own."""

import datetime as dt

from django.db.models import Avg
from django.utils import timezone

from rewire.diary.actions import local_date_of
from rewire.diary.models import CheckIn
from rewire.exposure.models import ExposureAttempt
from rewire.insights import actions as insights
from rewire.insights import data, stats
from rewire.insights.experiments import OUTCOMES, PAIRS_TO_RULE_OUT_CHANCE
from rewire.insights.models import Experiment
from rewire.program import actions, recap
from rewire.program.content import PRACTICES
from rewire.program.models import Cause, Evidence, Practice, ThoughtRecord
from rewire.program.rules import mind_share

SUGGESTION_LOOKS_BACK = dt.timedelta(days=90)  # rounds older than this no longer rank


def _rounds(user, *, start: dt.datetime, end: dt.datetime) -> list[recap.Round]:
    """The practices started from `start` up to (not including) `end`."""
    return [
        recap.Round(kind, day, (tb, ta), (pb, pa))
        for kind, day, tb, ta, pb, pa in Practice.objects.for_user(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .order_by("started_at", "id")
        .values_list(
            "kind", "local_date", "threat_before", "threat_after", "pain_before", "pain_after"
        )
    ]


def _mind_shares(user, *, last: dt.date) -> list[float]:
    """The share of brain, mind or stress causes in each answer up to `last`, oldest first."""
    categories: dict[int, list[str]] = {}
    for attribution, category in (
        Cause.objects.filter(attribution__user=user, attribution__local_date__lte=last)
        .order_by("attribution__recorded_at", "attribution_id", "position")
        .values_list("attribution_id", "category")
    ):
        categories.setdefault(attribution, []).append(category)
    return [share for share in map(mind_share, categories.values()) if share is not None]


def _daily(user, field: str, *, first: dt.date, last: dt.date) -> dict[dt.date, float]:
    return {
        row["local_date"]: float(row["value"])
        for row in CheckIn.objects.for_user(user)
        .filter(local_date__range=(first, last), **{f"{field}__isnull": False})
        .values("local_date")
        .annotate(value=Avg(field))
        .order_by("local_date")
    }


def _clearest_finding(user, last: dt.date) -> str | None:
    """The insights page's first finding, in its words (only the analysis: no trends)."""
    analysis = stats.analyse(data.daily(user, last=last))
    return stats.finding_words(analysis.findings[0]) if analysis.findings else None


def review_for(user, session_id: str, found: actions.Where | None = None) -> recap.Review | None:
    """The review an open session starts with: the person's data since the session before it
    was done (for a session done already, up to when it was done). None for the intake, an
    unknown session, and one not open yet."""
    course = actions.course()
    session = course.session(session_id)
    if session is None or session.number == 0:
        return None
    found = found or actions.where(user)
    if not found.state(session.id).open:
        return None
    start = found.completions[course.sessions[session.number - 1].id].completed_at
    end = timezone.now()
    if session.id in found.completions:  # read again later: the days it looked back on
        end = found.completions[session.id].completed_at
    since, today = local_date_of(user, start), local_date_of(user, end)
    before = since - dt.timedelta(days=max((today - since).days + 1, recap.MIN_DAYS_FOR_TREND))
    review = recap.ReviewData(
        since=since,
        today=today,
        rounds=_rounds(user, start=start, end=end),
        ladder=[
            recap.LadderTry(activity, predicted, actual)
            for activity, predicted, actual in ExposureAttempt.objects.for_user(user)
            .filter(
                started_at__gte=start,
                started_at__lt=end,
                finished_at__isnull=False,
                actual_pain__isnull=False,
            )
            .order_by("started_at", "id")
            .values_list("rung__activity", "predicted_pain", "actual_pain")
        ],
        mind_shares=_mind_shares(user, last=today),
        other={
            "evidence": Evidence.objects.for_user(user)
            .filter(created_at__gte=start, created_at__lt=end)
            .count(),
            "thought_record": ThoughtRecord.objects.for_user(user)
            .filter(recorded_at__gte=start, recorded_at__lt=end)
            .count(),
        },
        checkin_days=CheckIn.objects.for_user(user)
        .filter(recorded_at__gte=start, recorded_at__lt=end)
        .order_by()  # the default ordering would make DISTINCT count each check-in
        .values("local_date")
        .distinct()
        .count(),
        pain=_daily(user, "pain", first=before, last=today),
        sleep=_daily(user, "sleep_hours", first=before, last=today),
        finding=_clearest_finding(user, today),
    )
    return recap.review(review, PRACTICES)


def _helped(user, today: dt.date) -> list[recap.HelpedExperiment]:
    """The person's finished experiments whose answer was clearly "it helped"."""
    found = list(Experiment.objects.for_user(user).exclude(preset=""))
    helped = []
    for report in insights.reports(user, found, today=today):
        result = report.result
        if (
            report.final
            and result.effect is not None
            and result.effect < 0
            and result.pairs >= PAIRS_TO_RULE_OUT_CHANCE
            and result.p is not None
            and result.p < 0.05
            and result.effect <= -recap.CLEAR_CHANGE
        ):
            outcome = OUTCOMES[report.experiment.outcome]
            helped.append(
                recap.HelpedExperiment(
                    report.experiment.preset,
                    report.experiment.intervention,
                    f"{outcome} was {abs(result.effect):.1f} points lower on the days you did it.",
                )
            )
    return helped


def todays_suggestion(user, found: actions.Where | None = None) -> recap.Suggestion | None:
    found = found or actions.where(user)
    latest = found.last_done
    session = actions.course().session(latest.session) if latest else None
    now = timezone.now()
    return recap.suggest(
        rounds=_rounds(user, start=now - SUGGESTION_LOOKS_BACK, end=now),
        helped=_helped(user, found.today),
        latest_session=(session.title, session.daily_practice) if session else None,
        labels=PRACTICES,
    )
