"""A rung's tries as SVG geometry: the pain predicted and the pain there was, try by try, with
the gap between them drawn as a line. Plain Python, no Django; the labels are HTML outside
the drawing, as in the diary's and the questionnaires' charts."""

import datetime as dt
from dataclasses import dataclass

from rewire.core.validation import SCALE_MAX


@dataclass(frozen=True)
class Mark:
    x: float
    predicted_y: float
    actual_y: float
    predicted: int
    actual: int
    date: dt.date
    number: int  # the try's number on this rung, from 1

    @property
    def gap_class(self) -> str:
        if self.actual < self.predicted:
            return "less"
        return "same" if self.actual == self.predicted else "more"


@dataclass(frozen=True)
class TriesChart:
    width: int
    height: int
    marks: list[Mark]
    # SVG paths of zero-length strokes: round dots that stay round in a stretched viewBox.
    predicted_dots: str
    actual_dots: str
    gridlines: list[tuple[float, int]]  # (y, pain)
    first_day: dt.date
    last_day: dt.date


def predicted_against_actual(attempts, *, width: int = 600, height: int = 220) -> TriesChart | None:
    """`attempts`: finished tries, oldest first (objects with local_date, predicted_pain,
    actual_pain). None without any."""
    if not attempts:
        return None
    pad = 14  # room for a whole dot at the sides; top and bottom are the axis' 10 and 0

    def y(pain: int) -> float:
        return round((SCALE_MAX - pain) * height / SCALE_MAX, 1)

    count = len(attempts)
    step = (width - 2 * pad) / max(count - 1, 1)
    marks = [
        Mark(
            x=round(pad + (index * step if count > 1 else (width - 2 * pad) / 2), 1),
            predicted_y=y(attempt.predicted_pain),
            actual_y=y(attempt.actual_pain),
            predicted=attempt.predicted_pain,
            actual=attempt.actual_pain,
            date=attempt.local_date,
            number=index + 1,
        )
        for index, attempt in enumerate(attempts)
    ]
    return TriesChart(
        width=width,
        height=height,
        marks=marks,
        predicted_dots=" ".join(f"M{m.x} {m.predicted_y}h0" for m in marks),
        actual_dots=" ".join(f"M{m.x} {m.actual_y}h0" for m in marks),
        gridlines=[(y(pain), pain) for pain in (0, 5, 10)],
        first_day=attempts[0].local_date,
        last_day=attempts[-1].local_date,
    )
