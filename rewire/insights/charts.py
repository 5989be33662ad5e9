"""The findings as a forest plot: each effect with its 95% interval on one shared scale of pain
points. Plain Python, no Django; the words stay in the HTML beside the drawing."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    low: float  # percent of the width
    high: float
    effect: float
    higher: bool  # more pain with the factor


@dataclass(frozen=True)
class Scale:
    limit: float  # the scale runs from -limit to +limit pain points
    zero: float  # percent of the width where 0 is


def forest(findings) -> tuple[Scale, list[Bar]]:
    """One Bar per finding (objects with effect, ci_low, ci_high and, for a numeric factor,
    typical_change), on a scale symmetric around 0 and rounded up to a whole point. A numeric
    factor's bar is its effect over its usual range (per unit times typical_change), what the
    findings are ranked by, so the bars' lengths follow the list's order."""
    scaled = [
        [
            value * (getattr(f, "typical_change", None) or 1.0)
            for value in (f.ci_low, f.ci_high, f.effect)
        ]
        for f in findings
    ]
    reach = max((max(abs(low), abs(high)) for low, high, _ in scaled), default=1.0)
    limit = float(max(1, math.ceil(reach)))

    def at(value: float) -> float:
        return round((value + limit) / (2 * limit) * 100, 1)

    return Scale(limit=limit, zero=50.0), [
        Bar(low=at(low), high=at(high), effect=at(effect), higher=effect > 0)
        for low, high, effect in scaled
    ]


@dataclass(frozen=True)
class SleepBar:
    summary: object  # sleep.BandSummary: the band, its nights and their average next-day pain
    width: float  # percent of the track: the average pain on the 0-10 scale; 0 with no nights


def sleep_bars(bands) -> list[SleepBar]:
    """One bar per band of hours (sleep.BandSummary), its length the average pain of the days
    after those nights, on the whole 0-10 scale so that bars compare with the pain itself."""
    return [
        SleepBar(
            summary=band,
            width=0.0 if band.average_pain is None else round(band.average_pain * 10, 1),
        )
        for band in bands
    ]
