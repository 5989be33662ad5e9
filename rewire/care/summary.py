"""What a clinician sees of one consenting patient, limited to the parts shared."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from rewire.diary import trends
from rewire.diary.models import CheckIn
from rewire.exposure.models import ExposureAttempt, Rung
from rewire.measures import actions as measures
from rewire.measures.models import Response, SafetyEvent
from rewire.program.models import Practice, SessionCompletion, ThoughtRecord, Writing

LISTED_INSTRUMENTS = ("weekly_pain", "phq9", "gad7")
ALERT_DAYS = 90  # safety events this recent are flagged at the top of the list
TREND_DAYS = 90


@dataclass(frozen=True)
class Score:
    instrument: str
    name: str
    total: int | None
    band: str
    answered_on: dt.date
    change: int | None  # since the answer before it
    direction: str  # "better", "worse", "same" or "" (no earlier answer)


@dataclass
class Summary:
    scopes: list[str]
    alerts: list[SafetyEvent] = field(default_factory=list)
    suitability: str | None = None  # who the programme is for, in words
    scores: dict[str, Score] = field(default_factory=dict)
    average_7: float | None = None
    checkins_7: int = 0


def _direction(change: int | None, higher_is_worse: bool) -> str:
    if change is None:
        return ""
    if change == 0:
        return "same"
    return "worse" if (change > 0) == higher_is_worse else "better"


def latest_scores(patient) -> dict[str, Score]:
    """The latest answer to each listed instrument, with its change since the one before."""
    found: dict[str, Score] = {}
    definitions = measures.instruments()
    for instrument in LISTED_INSTRUMENTS:
        latest = list(
            Response.objects.for_user(patient)
            .filter(instrument=instrument, total__isnull=False)
            .order_by("-answered_at", "-id")
            .values_list("total", "band", "local_date")[:2]
        )
        if not latest:
            continue
        definition = definitions[instrument]
        change = latest[0][0] - latest[1][0] if len(latest) > 1 else None
        found[instrument] = Score(
            instrument=instrument,
            name=definition.short_name,
            total=latest[0][0],
            band=latest[0][1],
            answered_on=latest[0][2],
            change=change,
            direction=_direction(change, definition.higher_is_worse),
        )
    return found


def summary_for(patient, scopes: list[str]) -> Summary:
    """The patient list's line: safety alerts and scores (questionnaires shared), the last
    week's average pain (diary shared)."""
    summary = Summary(scopes=scopes)
    if "questionnaires" in scopes:
        since = timezone.now() - dt.timedelta(days=ALERT_DAYS)
        summary.alerts = list(
            SafetyEvent.objects.for_user(patient)
            .filter(occurred_at__gte=since)
            .select_related("screening")[:5]
        )
        for event in summary.alerts:
            event.words = measures.alert_words(event)
        summary.scores = latest_scores(patient)
        summary.suitability = measures.suitability_words(patient)
    if "diary" in scopes:
        today = patient.today()
        pains = list(
            CheckIn.objects.for_user(patient)
            .filter(local_date__gt=today - dt.timedelta(days=7), local_date__lte=today)
            .values_list("pain", flat=True)
        )
        summary.checkins_7 = len(pains)
        summary.average_7 = sum(pains) / len(pains) if pains else None
    return summary


def pain_chart(patient):
    today = patient.today()
    first = today - dt.timedelta(days=TREND_DAYS - 1)
    rows = CheckIn.objects.for_user(patient).filter(
        local_date__gte=first - dt.timedelta(days=6), local_date__lte=today
    )
    rolling = [
        point
        for point in trends.rolling_average(
            trends.summarise_days(rows.values_list("local_date", "pain"))
        )
        if point[0] >= first
    ]
    return trends.line_chart(rolling, first_day=first, last_day=today)


def programme_progress(patient) -> dict:
    return {
        "sessions": SessionCompletion.objects.for_user(patient).count(),
        "practices": Practice.objects.for_user(patient).count(),
        "rungs": Rung.objects.for_user(patient).count(),
        "mastered": Rung.objects.for_user(patient).filter(mastered_at__isnull=False).count(),
        "tries": ExposureAttempt.objects.for_user(patient)
        .filter(finished_at__isnull=False)
        .count(),
    }


def thoughts(patient, *, limit: int = 20) -> dict:
    """Written thoughts: only for a share with the "thoughts" scope."""
    return {
        "checkins": list(
            CheckIn.objects.for_user(patient)
            .exclude(thought="", note="")
            .values("recorded_at", "thought", "note")[:limit]
        ),
        "records": list(ThoughtRecord.objects.for_user(patient)[:limit]),
    }


def writing(patient, *, limit: int = 20) -> list:
    """Expressive writing (the unsent letter, the life-stress timeline): only for a share with
    the "writing" scope, which nobody has unless they chose it."""
    return list(Writing.objects.for_user(patient).prefetch_related("events")[:limit])
