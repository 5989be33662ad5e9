"""The person's diary as columns over calendar days (stats.Daily), read with a few grouped
queries.

The database does the grouping (one row per day, not per check-in), so a ten-year diary of
18,000 check-ins comes back as about 3,650 rows per query, and the rows go straight into numpy
columns, with no Python object per day.
"""

import datetime as dt
import math
from collections import defaultdict

import numpy as np
from django.db import connections
from django.db.models import Avg, Count, FloatField, Max, Sum
from django.db.models.functions import Cast

from rewire.diary.models import CheckIn, EmotionRating, Tag
from rewire.exposure.models import ActivitySession, ExposureAttempt
from rewire.insights.sleep import SleepAndPain, pair_nights
from rewire.insights.stats import MEASURES, Daily, named_columns
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


def daily(user, *, last: dt.date | None = None) -> Daily:
    """The diary as columns over calendar days (stats.Daily), from the first to the last local
    date with any check-in, practice, try or activity, up to `last` (default: every day)."""

    def owned(model):
        rows = model.objects.for_user(user)
        return rows if last is None else rows.filter(local_date__lte=last)

    # The day's check-ins, one aggregate per column of Daily.measures that they give.
    per_day = {
        "pain_mean": _float(Avg("pain")),
        "sleep_hours": _float(Max("sleep_hours")),
        "sleep_quality": Max("sleep_quality"),
        "movement_minutes": Max("movement_minutes"),
        "stress": _float(Avg("stress")),
    }
    aliases = {f"day_{name}": aggregate for name, aggregate in per_day.items()}
    days = _per_day(owned(CheckIn).values("local_date").annotate(**aliases), "local_date", *aliases)

    def counted(model, value=None):
        return {
            date: n
            for date, (n,) in _per_day(
                owned(model).values("local_date").annotate(n=value or Count("id")),
                "local_date",
                "n",
            ).items()
        }

    practices = counted(Practice)
    attempts = counted(ExposureAttempt)
    logged = counted(ActivitySession, Sum("minutes"))
    # Every date as the driver gave it -> its calendar day number from the first date.
    ordinals = {
        key: _date(key).toordinal()
        for key in days.keys() | practices.keys() | attempts.keys() | logged.keys()
    }
    if not ordinals:
        return Daily.empty()
    first = min(ordinals.values())
    day_number = {key: ordinal - first for key, ordinal in ordinals.items()}
    length = max(day_number.values()) + 1

    column = {name: number for number, name in enumerate(MEASURES)}
    measures = np.full((length, len(MEASURES)), math.nan)
    if days:
        columns = [column[name] for name in per_day]
        measures[np.ix_([day_number[key] for key in days], columns)] = list(days.values())
    # Practices and tries are counted (0 or more) on every day with any record, as
    # Daily.from_rows has them from DayRows.
    for name, counts in (("practices", practices), ("exposure_attempts", attempts)):
        measures[list(day_number.values()), column[name]] = 0.0
        measures[[day_number[key] for key in counts], column[name]] = list(counts.values())
    # The day's movement: the larger of the check-ins' answer and the activities logged, as
    # the pacing plan counts it (rewire/exposure/pacing.py).
    movement = column["movement_minutes"]
    for key, minutes in logged.items():
        answered = measures[day_number[key], movement]
        measures[day_number[key], movement] = (
            minutes if math.isnan(answered) else max(answered, minutes)
        )

    # The check-ins' emotions and tags, joined to their check-in once and filtered on its owner
    # (not `checkin__in=...`, which joins the check-ins a second time).
    of_checkins = {"checkin__user": user}
    if last is not None:
        of_checkins["checkin__local_date__lte"] = last
    emotions = [
        (day_number[date], name, intensity)
        for date, name, intensity in _rows(
            EmotionRating.objects.filter(**of_checkins)
            .values("checkin__local_date", "name")
            .annotate(mean=_float(Avg("intensity")))
            .values_list("checkin__local_date", "name", "mean")
        )
    ]
    # Tag ids per day, named once each rather than on every row; a check-in's `tags` are
    # context tags and its `helped` "what helped" tags, as the relation says.
    links = [
        (day_number[date], (kind, tag_id))
        for through, kind in (
            (CheckIn.tags.through, Tag.CONTEXT),
            (CheckIn.helped.through, Tag.HELPED),
        )
        for date, tag_id in _rows(
            through.objects.filter(**of_checkins)
            .values_list("checkin__local_date", "tag_id")
            .distinct()
        )
    ]
    # Only the person's own tags are named; a link to anyone else's (which the app never makes)
    # is left out rather than shown.
    labels = {
        (kind, tag_id): f"{kind}:{name}"
        for tag_id, name in Tag.objects.for_user(user).values_list("id", "name")
        for kind in (Tag.CONTEXT, Tag.HELPED)
    }
    tags = [(day, labels[link], 1.0) for day, link in links if link in labels]
    return Daily(
        dt.date.fromordinal(first),
        measures,
        *named_columns(emotions, length),
        *named_columns(tags, length),
    )


def sleep_and_pain(user, *, last: dt.date) -> SleepAndPain:
    """Each night's sleep against the next day's pain (rewire/insights/sleep.py), over the
    whole diary up to `last`: the day's pain as `daily` reads it for every insight."""
    return pair_nights(daily(user, last=last))


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
