"""A questionnaire's scores over time as SVG geometry, with its bands as horizontal stripes.
Plain Python, no Django. Drawn like the diary's chart (diary/trends.py line_chart): a
stretched viewBox, the labels outside the drawing in HTML."""

import datetime as dt
from dataclasses import dataclass

TONES = 5  # stripe colours, from the best band (0) to the worst (4)


@dataclass(frozen=True)
class Stripe:
    y: float
    height: float
    low: int
    high: int
    label: str
    tone: int


@dataclass(frozen=True)
class ScoreChart:
    width: int
    height: int
    points: str  # for an SVG polyline
    dots: str  # an SVG path of zero-length strokes: one round dot per score
    stripes: list[Stripe]
    lowest: int
    highest: int
    first_day: dt.date
    last_day: dt.date

    @property
    def has_line(self) -> bool:
        return " " in self.points


def _tone(index: int, count: int, higher_is_worse: bool) -> int:
    if count < 2:
        return 0
    worse = index / (count - 1)
    if not higher_is_worse:
        worse = 1 - worse
    return round(worse * (TONES - 1))


def score_chart(
    series: list[tuple[dt.date, int]],
    *,
    lowest: int,
    highest: int,
    bands: list[tuple[int, int, str]],
    higher_is_worse: bool,
    first_day: dt.date,
    last_day: dt.date,
    width: int = 600,
    height: int = 200,
) -> ScoreChart | None:
    """`series`: (date, score) oldest first. `bands`: (low, high, label) covering the scores
    in order; each stripe reaches halfway to the next band, so a score sits inside its band."""
    if not series:
        return None
    span = max((last_day - first_day).days, 1)
    scale = max(highest - lowest, 1)

    def x(day):
        return round((day - first_day).days / span * width, 1)

    def y(value):
        return round(height - (value - lowest) / scale * height, 1)

    stripes = []
    for index, (low, high, label) in enumerate(bands):
        bottom = lowest if index == 0 else low - 0.5
        top = highest if index == len(bands) - 1 else high + 0.5
        stripes.append(
            Stripe(
                y=y(top),
                height=round(y(bottom) - y(top), 1),
                low=low,
                high=high,
                label=label,
                tone=_tone(index, len(bands), higher_is_worse),
            )
        )
    return ScoreChart(
        width=width,
        height=height,
        points=" ".join(f"{x(day)},{y(value)}" for day, value in series),
        dots=" ".join(f"M{x(day)} {y(value)}h0" for day, value in series),
        stripes=stripes,
        lowest=lowest,
        highest=highest,
        first_day=first_day,
        last_day=last_day,
    )
