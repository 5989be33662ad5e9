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
    """One Bar per finding (objects with effect, ci_low, ci_high), on a scale symmetric around
    0 and rounded up to a whole point."""
    reach = max((max(abs(f.ci_low), abs(f.ci_high)) for f in findings), default=1.0)
    limit = float(max(1, math.ceil(reach)))

    def at(value: float) -> float:
        return round((value + limit) / (2 * limit) * 100, 1)

    return Scale(limit=limit, zero=50.0), [
        Bar(low=at(f.ci_low), high=at(f.ci_high), effect=at(f.effect), higher=f.effect > 0)
        for f in findings
    ]
