"""Daily summaries and rolling averages of pain. Plain Python, no Django."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DaySummary:
    day: dt.date
    average: float
    lowest: int
    highest: int
    count: int


def summarise_days(rows) -> list[DaySummary]:
    """rows: (local_date, pain) pairs in any order. Returns one summary per day, oldest first."""
    by_day: dict[dt.date, list[int]] = {}
    for day, pain in rows:
        by_day.setdefault(day, []).append(pain)
    return [
        DaySummary(day, sum(p) / len(p), min(p), max(p), len(p))
        for day, p in sorted(by_day.items())
    ]


def rolling_average(days: list[DaySummary], *, window: int = 7) -> list[tuple[dt.date, float]]:
    """The mean of the daily averages over the `window` calendar days ending on each logged day.

    Days without a check-in are left out of the mean rather than counted as zero pain.
    """
    result = []
    start = 0
    running = 0.0
    for end, summary in enumerate(days):
        running += summary.average
        while days[start].day <= summary.day - dt.timedelta(days=window):
            running -= days[start].average
            start += 1
        result.append((summary.day, running / (end - start + 1)))
    return result


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # for an SVG polyline
    first_day: dt.date
    last_day: dt.date
    gridlines: list[tuple[int, float]]  # (pain value, y); the CSS places labels for 0, 2 … 10

    @property
    def has_line(self) -> bool:
        """A line needs two days; one day is a single point."""
        return " " in self.points


def line_chart(
    series: list[tuple[dt.date, float]],
    *,
    first_day: dt.date,
    last_day: dt.date,
    width: int = 600,
    height: int = 200,
    top: float = 10,
) -> Chart | None:
    """Scale a (date, value) series onto an SVG box, value 0 at the bottom and `top` at the top."""
    if not series:
        return None
    span = max((last_day - first_day).days, 1)

    def x(day):
        return round((day - first_day).days / span * width, 1)

    def y(value):
        return round(height - value / top * height, 1)

    return Chart(
        width=width,
        height=height,
        points=" ".join(f"{x(day)},{y(value)}" for day, value in series),
        first_day=first_day,
        last_day=last_day,
        gridlines=[(value, y(value)) for value in (0, 2, 4, 6, 8, 10)],
    )
