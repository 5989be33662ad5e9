"""The person's diary as one row per local date (stats.DayRow), read with a few grouped queries.

The database does the grouping (one row per day, not per check-in), so a ten-year diary of
18,000 check-ins comes back as about 3,650 rows per query.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Avg, Count, Max, Sum

from rewire.diary.models import CheckIn, EmotionRating, Tag
from rewire.exposure.models import ActivitySession, ExposureAttempt
from rewire.insights.stats import DayRow
from rewire.program.models import Practice


def _per_day(queryset, *values) -> dict:
    return {row[0]: row[1:] for row in queryset.values_list(*values)}


def day_rows(user, *, last: dt.date | None = None) -> list[DayRow]:
    """One DayRow per local date with any check-in, practice, try or activity, oldest first,
    up to `last` (default: every day)."""
    checkins = CheckIn.objects.for_user(user)
    if last is not None:
        checkins = checkins.filter(local_date__lte=last)
    days = _per_day(
        checkins.values("local_date").annotate(
            pain_mean=Avg("pain"),
            pain_max=Max("pain"),
            sleep_hours=Max("sleep_hours"),
            sleep_quality=Max("sleep_quality"),
            movement=Max("movement_minutes"),
            stress=Avg("stress"),
        ),
        "local_date",
        "pain_mean",
        "pain_max",
        "sleep_hours",
        "sleep_quality",
        "movement",
        "stress",
    )
    emotions: dict[dt.date, dict[str, float]] = defaultdict(dict)
    for date, name, intensity in (
        EmotionRating.objects.filter(checkin__in=checkins)
        .values("checkin__local_date", "name")
        .annotate(mean=Avg("intensity"))
        .values_list("checkin__local_date", "name", "mean")
    ):
        emotions[date][name] = float(intensity)
    tags: dict[dt.date, set[str]] = defaultdict(set)
    links = ((CheckIn.tags.through, Tag.CONTEXT), (CheckIn.helped.through, Tag.HELPED))
    for through, kind in links:
        for date, name in (
            through.objects.filter(checkin__in=checkins)
            .values_list("checkin__local_date", "tag__name")
            .distinct()
        ):
            tags[date].add(f"{kind}:{name}")

    def counted(model, date_field="local_date"):
        rows = model.objects.for_user(user)
        if last is not None:
            rows = rows.filter(**{f"{date_field}__lte": last})
        return dict(rows.values(date_field).annotate(n=Count("id")).values_list(date_field, "n"))

    practices = counted(Practice)
    attempts = counted(ExposureAttempt)
    activities = ActivitySession.objects.for_user(user)
    if last is not None:
        activities = activities.filter(local_date__lte=last)
    logged = dict(
        activities.values("local_date")
        .annotate(minutes=Sum("minutes"))
        .values_list("local_date", "minutes")
    )
    rows = []
    for date in sorted(set(days) | set(practices) | set(attempts) | set(logged)):
        pain_mean, pain_max, sleep, quality, movement, stress = days.get(date, (None,) * 6)
        # The day's movement: the larger of the check-ins' answer and the activities logged,
        # as the pacing plan counts it (rewire/exposure/pacing.py).
        if date in logged:
            movement = max(movement or 0, logged[date])
        rows.append(
            DayRow(
                date=date,
                pain_mean=None if pain_mean is None else float(pain_mean),
                pain_max=pain_max,
                sleep_hours=None if sleep is None else float(sleep),
                sleep_quality=quality,
                movement_minutes=movement,
                stress=None if stress is None else float(stress),
                emotions=emotions.get(date, {}),
                tags=frozenset(tags.get(date, ())),
                practices=practices.get(date, 0),
                exposure_attempts=attempts.get(date, 0),
            )
        )
    return rows


def checkin_times(user, *, first: dt.date, last: dt.date) -> dict[dt.date, list]:
    """{local date: [pain, ...]} in the order recorded, for experiments' outcomes."""
    found: dict[dt.date, list] = defaultdict(list)
    for date, pain in (
        CheckIn.objects.for_user(user)
        .filter(local_date__gte=first, local_date__lte=last)
        .order_by("recorded_at", "id")
        .values_list("local_date", "pain")
    ):
        found[date].append(pain)
    return found
