"""Each night's sleep against the next day's pain (rewire/insights/sleep.py), in plain Python:
which night pairs with which day, the bands of hours, gaps and days without sleep."""

import datetime as dt

import pytest

from rewire.insights.sleep import BANDS, FEW_NIGHTS, MIN_NIGHTS, Night, band_of, pair_nights
from rewire.insights.stats import Daily, DayRow

MONDAY = dt.date(2026, 11, 2)


def day(date, *, pain=None, sleep=None) -> DayRow:
    return DayRow(
        date=date,
        pain_mean=pain,
        sleep_hours=sleep,
        sleep_quality=None,
        movement_minutes=None,
        stress=None,
        emotions={},
        tags=frozenset(),
        practices=0,
        exposure_attempts=0,
    )


def on(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def by_band(found) -> dict[str, tuple[int, float | None]]:
    return {summary.band.id: (summary.nights, summary.average_pain) for summary in found.bands}


def test_a_night_pairs_with_the_day_after_it_the_day_its_sleep_was_logged():
    # Sleep is logged at a day's first check-in about the night before: Tuesday's 5 hours
    # are the night from Monday to Tuesday, and the day after that night is Tuesday.
    found = pair_nights(
        Daily.from_rows(
            [
                day(on(0), pain=3, sleep=8),
                day(on(1), pain=7, sleep=5),
                day(on(2), pain=4),
            ]
        )
    )
    assert found.nights == (
        Night(day=on(0), sleep_hours=8.0, pain=3.0),
        Night(day=on(1), sleep_hours=5.0, pain=7.0),
    )
    # Wednesday has pain but no sleep logged: nothing to pair it with, and it is counted so
    # the page can say what was left out.
    assert found.days_without_sleep == 1
    assert (found.paired, found.first, found.last) == (2, on(0), on(1))


def test_the_days_pain_is_its_average_as_every_insight_reads_it():
    # DayRow.pain_mean is the day's mean over its check-ins (data.daily reads it with Avg).
    found = pair_nights(Daily.from_rows([day(on(0), pain=4.5, sleep=6.5)]))
    assert found.nights[0].pain == 4.5
    assert by_band(found)["6_to_7"] == (1, 4.5)


def test_a_gap_in_the_diary_pairs_nothing_and_moves_nothing():
    found = pair_nights(
        Daily.from_rows(
            [
                day(on(0), pain=2, sleep=7),
                # two days with no check-in at all
                day(on(3), pain=6, sleep=4),
            ]
        )
    )
    assert [(night.day, night.sleep_hours, night.pain) for night in found.nights] == [
        (on(0), 7.0, 2.0),
        (on(3), 4.0, 6.0),
    ]
    assert found.days_without_sleep == 0


def test_sleep_without_pain_that_day_is_left_out():
    # The app never logs sleep without a pain rating, but a day known only from a practice
    # or an activity has neither; nothing is invented for it.
    found = pair_nights(Daily.from_rows([day(on(0), sleep=6), day(on(1), pain=5)]))
    assert found.nights == ()
    assert found.days_without_sleep == 1


@pytest.mark.parametrize(
    ("hours", "band"),
    [
        (0, "under_5"),
        (4.9, "under_5"),
        (5, "5_to_6"),
        (5.9, "5_to_6"),
        (6, "6_to_7"),
        (6.9, "6_to_7"),
        (7, "7_to_8"),
        (7.9, "7_to_8"),
        (8, "8_or_more"),
        (24, "8_or_more"),
    ],
)
def test_the_bands_split_at_whole_hours_and_leave_out_no_logged_value(hours, band):
    assert band_of(hours).id == band


def test_every_band_is_listed_in_order_with_its_nights_and_average_next_day_pain():
    rows = [
        day(on(0), pain=8, sleep=4.5),
        day(on(1), pain=6, sleep=4),
        day(on(2), pain=5, sleep=6.2),
        day(on(3), pain=3, sleep=7.5),
        day(on(4), pain=4, sleep=7),
        day(on(5), pain=2, sleep=7.9),
        day(on(6), pain=6),
    ]
    found = pair_nights(Daily.from_rows(rows))
    assert [summary.band for summary in found.bands] == list(BANDS)
    assert by_band(found) == {
        "under_5": (2, 7.0),
        "5_to_6": (0, None),
        "6_to_7": (1, 5.0),
        "7_to_8": (3, 3.0),
        "8_or_more": (0, None),
    }
    few = {summary.band.id: summary.few for summary in found.bands}
    # Some nights but fewer than FEW_NIGHTS are marked; none is not "few", it is none.
    assert FEW_NIGHTS == 3
    assert few == {
        "under_5": True,
        "5_to_6": False,
        "6_to_7": True,
        "7_to_8": False,
        "8_or_more": False,
    }


def test_the_chart_needs_seven_paired_nights():
    rows = [day(on(n), pain=4, sleep=7) for n in range(MIN_NIGHTS - 1)]
    rows += [day(on(n), pain=4) for n in range(MIN_NIGHTS - 1, MIN_NIGHTS + 5)]
    assert MIN_NIGHTS == 7
    # Days without sleep do not count towards it, however many there are.
    assert not pair_nights(Daily.from_rows(rows)).enough
    rows[-1] = day(rows[-1].date, pain=4, sleep=6)
    assert pair_nights(Daily.from_rows(rows)).enough


def test_an_empty_diary_pairs_nothing():
    found = pair_nights(Daily.empty())
    assert (found.nights, found.paired, found.enough, found.first, found.last) == (
        (),
        0,
        False,
        None,
        None,
    )
    assert all(summary.nights == 0 and summary.average_pain is None for summary in found.bands)
    assert found.days_without_sleep == 0
