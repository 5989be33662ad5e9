"""The person's diary as one row per local date (stats.DayRow), read with a few grouped queries.

The database does the grouping (one row per day, not per check-in), so a ten-year diary of
18,000 check-ins comes back as about 3,650 rows per query.
"""

import datetime as dt
from collections import defaultdict

from django.db import connections
from django.db.models import Avg, Count, Max, Sum

from rewire.diary.models import CheckIn, EmotionRating, Tag
from rewire.exposure.models import ActivitySession, ExposureAttempt
from rewire.insights.stats import DayRow
from rewire.program.models import Practice


def _rows(queryset) -> list[tuple]:
    """The query's rows as the database driver gives them: the ORM builds the SQL, but its
    per-value conversions (a third of the time on a ten-year diary) are skipped. Dates come
    back as dates (PostgreSQL) or ISO text (SQLite): see _date."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _number(value) -> float | None:
    return None if value is None else float(value)


def _per_day(queryset, *values) -> dict:
    return {_date(row[0]): row[1:] for row in _rows(queryset.values_list(*values))}


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
    for date, name, intensity in _rows(
        EmotionRating.objects.filter(checkin__in=checkins)
        .values("checkin__local_date", "name")
        .annotate(mean=Avg("intensity"))
        .values_list("checkin__local_date", "name", "mean")
    ):
        emotions[_date(date)][name] = float(intensity)
    tags: dict[dt.date, set[str]] = defaultdict(set)
    links = ((CheckIn.tags.through, Tag.CONTEXT), (CheckIn.helped.through, Tag.HELPED))
    for through, kind in links:
        for date, name in _rows(
            through.objects.filter(checkin__in=checkins)
            .values_list("checkin__local_date", "tag__name")
            .distinct()
        ):
            tags[_date(date)].add(f"{kind}:{name}")

    def counted(model, date_field="local_date"):
        rows = model.objects.for_user(user)
        if last is not None:
            rows = rows.filter(**{f"{date_field}__lte": last})
        return _per_day(rows.values(date_field).annotate(n=Count("id")), date_field, "n")

    practices = {date: n for date, (n,) in counted(Practice).items()}
    attempts = {date: n for date, (n,) in counted(ExposureAttempt).items()}
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
                pain_mean=_number(pain_mean),
                pain_max=pain_max,
                sleep_hours=_number(sleep),
                sleep_quality=quality,
                movement_minutes=movement,
                stress=_number(stress),
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
