"""Plain-Python domain modules: the check-in rules and the pain trends. No database."""

import datetime as dt
from decimal import Decimal

import pytest

from rewire.diary.entry import CheckInEntry, problems_with
from rewire.diary.trends import DaySummary, line_chart, rolling_average, summarise_days

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def entry(**changes):
    return CheckInEntry(**{"pain": 4, "recorded_at": NOW, **changes})


def test_a_minimal_entry_is_valid():
    assert problems_with(entry(), now=NOW) == {}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"pain": 11}, "pain", "between 0 and 10"),
        ({"pain": None}, "pain", "required"),
        ({"pain": True}, "pain", "whole number"),
        ({"stress": -1}, "stress", "between 0 and 10"),
        ({"recorded_at": NOW.replace(tzinfo=None)}, "recorded_at", "timezone offset"),
        ({"recorded_at": NOW + dt.timedelta(minutes=11)}, "recorded_at", "future"),
        ({"body_areas": [("tail", 3)]}, "body_areas", "Unknown body area: tail"),
        ({"body_areas": [("neck", 3), ("neck", 4)]}, "body_areas", "only once"),
        ({"emotions": [("", 3)]}, "emotions", "needs a name"),
        ({"emotions": [("sad", 3), ("sad", 4)]}, "emotions", "only once"),
        ({"sleep_hours": Decimal("6.25")}, "sleep_hours", "one decimal place"),
        ({"sleep_hours": Decimal("25")}, "sleep_hours", "between 0 and 24"),
        ({"movement_minutes": 1441}, "movement_minutes", "between 0 and 1440"),
        ({"note": "x" * 5001}, "note", "5000"),
    ],
)
def test_each_rule_names_its_field_and_reason(changes, field, reason):
    problems = problems_with(entry(**changes), now=NOW)
    assert field in problems
    assert reason in problems[field]


def test_a_phone_clock_a_few_minutes_fast_is_tolerated():
    assert problems_with(entry(recorded_at=NOW + dt.timedelta(minutes=9)), now=NOW) == {}


def test_names_are_normalised_and_deduplicated():
    normal = entry(
        tags=[" Work ", "work", "LONG   sitting", ""], emotions=[("Sad ", 3)]
    ).normalised()
    assert normal.tags == ["work", "long sitting"]
    assert normal.emotions == [("sad", 3)]


def test_days_are_summarised_with_average_and_range():
    d1, d2 = dt.date(2026, 1, 1), dt.date(2026, 1, 2)
    assert summarise_days([(d2, 3), (d1, 2), (d1, 6), (d1, 7)]) == [
        DaySummary(d1, 5.0, 2, 7, 3),
        DaySummary(d2, 3.0, 3, 3, 1),
    ]


def test_rolling_average_covers_seven_calendar_days_and_skips_empty_days():
    start = dt.date(2026, 1, 1)
    days = [
        DaySummary(start + dt.timedelta(days=n), float(p), p, p, 1)
        for n, p in [(0, 8), (1, 6), (6, 4), (7, 2), (20, 5)]
    ]
    result = dict(rolling_average(days))
    assert result[start] == 8
    assert result[start + dt.timedelta(days=6)] == pytest.approx((8 + 6 + 4) / 3)
    # Day 7's window is days 1..7: day 0 has dropped out.
    assert result[start + dt.timedelta(days=7)] == pytest.approx((6 + 4 + 2) / 3)
    # After a gap, only the day itself is in the window.
    assert result[start + dt.timedelta(days=20)] == 5


def test_rolling_average_matches_a_direct_computation():
    import random

    rng = random.Random(3)
    start = dt.date(2026, 1, 1)
    days = [
        DaySummary(start + dt.timedelta(days=n), rng.uniform(0, 10), 0, 10, 1)
        for n in sorted(rng.sample(range(200), 120))
    ]
    for day, value in rolling_average(days):
        window = [d.average for d in days if day - dt.timedelta(days=7) < d.day <= day]
        assert value == pytest.approx(sum(window) / len(window))


def test_line_chart_scales_onto_the_box():
    first, last = dt.date(2026, 1, 1), dt.date(2026, 1, 11)
    chart = line_chart(
        [(first, 10.0), (last, 0.0)], first_day=first, last_day=last, width=100, height=50
    )
    assert chart.points == "0.0,0.0 100.0,50.0"
    assert line_chart([], first_day=first, last_day=last) is None
