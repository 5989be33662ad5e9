"""The person's diary as one row per local date (stats.DayRow), read with a few grouped queries.

The database does the grouping (one row per day, not per check-in), so a ten-year diary of
18,000 check-ins comes back as about 3,650 rows per query.
"""

import datetime as dt
from collections import defaultdict

from django.db import connections
from django.db.models import Avg, Count, FloatField, Max, Sum
from django.db.models.functions import Cast

from rewire.diary.models import CheckIn, EmotionRating, Tag
from rewire.exposure.models import ActivitySession, ExposureAttempt
from rewire.insights.stats import DayRow
from rewire.program.models import Practice


def _rows(queryset) -> list[tuple]:
    """The query's rows as the database driver gives them: the ORM builds the SQL, but its
    per-value conversions (a third of the time on a ten-year diary) are skipped. So averages
    are cast to floats in SQL (PostgreSQL would hand over Decimals), and a date comes back as
    the driver's own value: a date (PostgreSQL) or ISO text (SQLite), which sort alike and are
    turned into dates once per day at the end (`_date`)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _float(expression):
    return Cast(expression, FloatField())


def _per_day(queryset, *values) -> dict:
    return {row[0]: row[1:] for row in _rows(queryset.values_list(*values))}


def day_rows(user, *, last: dt.date | None = None) -> list[DayRow]:
    """One DayRow per local date with any check-in, practice, try or activity, oldest first,
    up to `last` (default: every day)."""

    def owned(model, date_field="local_date"):
        rows = model.objects.for_user(user)
        return rows if last is None else rows.filter(**{f"{date_field}__lte": last})

    days = _per_day(
        owned(CheckIn)
        .values("local_date")
        .annotate(
            pain_mean=_float(Avg("pain")),
            pain_max=Max("pain"),
            sleep_hours=_float(Max("sleep_hours")),
            sleep_quality=Max("sleep_quality"),
            movement=Max("movement_minutes"),
            stress=_float(Avg("stress")),
        ),
        "local_date",
        "pain_mean",
        "pain_max",
        "sleep_hours",
        "sleep_quality",
        "movement",
        "stress",
    )
    # The check-ins' emotions and tags, joined to their check-in once and filtered on its owner
    # (not `checkin__in=...`, which joins the check-ins a second time).
    of_checkins = {"checkin__user": user}
    if last is not None:
        of_checkins["checkin__local_date__lte"] = last
    emotions: dict[object, dict[str, float]] = defaultdict(dict)
    for date, name, intensity in _rows(
        EmotionRating.objects.filter(**of_checkins)
        .values("checkin__local_date", "name")
        .annotate(mean=_float(Avg("intensity")))
        .values_list("checkin__local_date", "name", "mean")
    ):
        emotions[date][name] = intensity
    # Tag ids per day; the person's few tags are named once, not on every row. A check-in's
    # `tags` are always context tags and its `helped` "what helped" tags (diary.actions).
    names = {
        tag_id: f"{kind}:{name}"
        for tag_id, kind, name in Tag.objects.for_user(user).values_list("id", "kind", "name")
    }
    tags: dict[object, set[str]] = defaultdict(set)
    for through in (CheckIn.tags.through, CheckIn.helped.through):
        for date, tag_id in _rows(
            through.objects.filter(**of_checkins)
            .values_list("checkin__local_date", "tag_id")
            .distinct()
        ):
            tags[date].add(names[tag_id])

    def counted(model, value=None):
        value = value or Count("id")
        return {
            date: n
            for date, (n,) in _per_day(
                owned(model).values("local_date").annotate(n=value), "local_date", "n"
            ).items()
        }

    practices = counted(Practice)
    attempts = counted(ExposureAttempt)
    logged = counted(ActivitySession, Sum("minutes"))
    no_checkin = (None,) * 6
    rows = []
    for date in sorted(days.keys() | practices.keys() | attempts.keys() | logged.keys()):
        pain_mean, pain_max, sleep, quality, movement, stress = days.get(date, no_checkin)
        # The day's movement: the larger of the check-ins' answer and the activities logged,
        # as the pacing plan counts it (rewire/exposure/pacing.py).
        if date in logged:
            movement = max(movement or 0, logged[date])
        rows.append(
            DayRow(
                date=_date(date),
                pain_mean=pain_mean,
                pain_max=pain_max,
                sleep_hours=sleep,
                sleep_quality=quality,
                movement_minutes=movement,
                stress=stress,
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
