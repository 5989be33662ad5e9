"""Each night's sleep against the pain of the day after it, from the person's own diary: the
numbers behind the sleep lesson's chart (the programme's topic "sleep") and
GET /api/v1/insights/sleep-and-pain.

Plain Python with numpy; no Django. The diary comes in as `stats.Daily`, so a day's pain is
what the rest of the insights mean by it: the average of the day's check-ins (`pain_mean`).

Sleep is asked at the day's first check-in about the night before ("Hours of sleep last
night"), so the hours on a day's row belong to the night that ended that morning, and the day
after that night is the same row: every check-in of that day comes after the night. A day
with sleep and pain is one night paired with its next day; a day with pain and no sleep logged
pairs nothing, and nor does a day missing from the diary. Nothing is filled in or carried over.

The nights are grouped into bands of hours (one decimal place is logged, so "5 to 5.9" leaves
nothing out), with how many nights each band holds and the average next-day pain over them.
It is a description of the person's own days, not a test: sleep and pain move together for
many reasons (a flare spoils the night and the day alike), so the words say so, and the
within-person statistics (stats.py) are where a link is weighed against chance.
"""

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from rewire.insights.stats import MEASURES, OUTCOME, Daily

MIN_NIGHTS = 7  # fewer paired nights than this: the page says what to log, with no chart
FEW_NIGHTS = 3  # a band with fewer nights than this (but some) is marked as resting on few


@dataclass(frozen=True)
class Band:
    id: str
    label: str  # "5 to 5.9 hours"
    short_label: str  # for the chart's narrow column: "5–5.9 h"
    at_least: float | None  # hours; None: from 0
    below: float | None  # hours; None: no upper end

    def holds(self, hours: float) -> bool:
        return (self.at_least is None or hours >= self.at_least) and (
            self.below is None or hours < self.below
        )


BANDS = (
    Band("under_5", "Under 5 hours", "Under 5 h", None, 5),
    Band("5_to_6", "5 to 5.9 hours", "5–5.9 h", 5, 6),
    Band("6_to_7", "6 to 6.9 hours", "6–6.9 h", 6, 7),
    Band("7_to_8", "7 to 7.9 hours", "7–7.9 h", 7, 8),
    Band("8_or_more", "8 hours or more", "8 h or more", 8, None),
)


def band_of(hours: float) -> Band:
    # Logged to one decimal place; rounding keeps a float such as 5.999999 in its band.
    hours = round(hours, 1)
    return next(band for band in BANDS if band.holds(hours))


@dataclass(frozen=True)
class Night:
    day: dt.date  # the day after the night: the day its sleep was logged
    sleep_hours: float
    pain: float  # that day's average pain, 0-10


@dataclass(frozen=True)
class BandSummary:
    band: Band
    nights: int
    average_pain: float | None  # None: no nights in the band

    @property
    def few(self) -> bool:
        return 0 < self.nights < FEW_NIGHTS


@dataclass(frozen=True)
class SleepAndPain:
    nights: tuple[Night, ...]  # oldest first
    bands: tuple[BandSummary, ...]  # one per band, in BANDS' order, empty ones too
    days_without_sleep: int  # days with pain but no sleep logged: nothing to pair them with

    @property
    def paired(self) -> int:
        return len(self.nights)

    @property
    def enough(self) -> bool:
        return self.paired >= MIN_NIGHTS

    @property
    def first(self) -> dt.date | None:
        return self.nights[0].day if self.nights else None

    @property
    def last(self) -> dt.date | None:
        return self.nights[-1].day if self.nights else None


def pair_nights(daily: Daily) -> SleepAndPain:
    """Every night with its hours of sleep logged, paired with the day after it, and the
    nights' next-day pain by band of hours."""
    pain = daily.measures[:, MEASURES.index(OUTCOME)]
    sleep = daily.measures[:, MEASURES.index("sleep_hours")]
    has_pain, has_sleep = ~np.isnan(pain), ~np.isnan(sleep)
    nights = tuple(
        Night(
            day=daily.first + dt.timedelta(days=int(number)),
            sleep_hours=float(sleep[number]),
            pain=float(pain[number]),
        )
        for number in np.flatnonzero(has_pain & has_sleep)
    )
    by_band: dict[str, list[float]] = {band.id: [] for band in BANDS}
    for night in nights:
        by_band[band_of(night.sleep_hours).id].append(night.pain)
    return SleepAndPain(
        nights=nights,
        bands=tuple(
            BandSummary(
                band=band,
                nights=len(by_band[band.id]),
                average_pain=math.fsum(by_band[band.id]) / len(by_band[band.id])
                if by_band[band.id]
                else None,
            )
            for band in BANDS
        ),
        days_without_sleep=int((has_pain & ~has_sleep).sum()),
    )
