"""Estimates with their uncertainty: mean and slope intervals, Theil-Sen trends.

Standard library only, on purpose: `kratom insights` must answer in well under a
second, and importing scipy.stats alone takes about 0.85 s. The two pieces that
scipy would give us (the t quantile and Sen's interval for the Theil-Sen slope)
are short textbook formulas; tests check them against scipy itself.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A value with its 95% interval and the number of observations behind it."""

    value: float
    low: float
    high: float
    n: int

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class Trend:
    """A Theil-Sen line: the slope with Sen's 95% interval, and its intercept."""

    slope: Estimate
    intercept: float


def t_quantile(p: float, df: int) -> float:
    """The p-quantile of Student's t with `df` degrees of freedom.

    Exact for 1 and 2 degrees of freedom; otherwise the Cornish-Fisher expansion
    (Abramowitz & Stegun 26.7.5), within 0.2% of the exact value at df = 3 for
    the 95% interval and closer beyond.
    """
    if df < 1:
        raise ValueError("t needs at least one degree of freedom")
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    z = NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def mean_interval(values: Sequence[float]) -> Estimate:
    """The mean with a t-interval; needs at least two values."""
    n = len(values)
    if n < 2:
        raise ValueError("an interval needs at least two values")
    mean = statistics.fmean(values)
    half = t_quantile(0.5 + LEVEL / 2, n - 1) * statistics.stdev(values) / math.sqrt(n)
    return Estimate(mean, mean - half, mean + half, n)


def ols_slope(points: Sequence[tuple[float, float]]) -> Estimate:
    """The least-squares slope of y on x with its t-interval (n - 2 df)."""
    n = len(points)
    if n < 3:
        raise ValueError("a slope interval needs at least three points")
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    slope, intercept = statistics.linear_regression(xs, ys)
    mean_x = statistics.fmean(xs)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    residual = sum((y - intercept - slope * x) ** 2 for x, y in points)
    se = math.sqrt(residual / (n - 2) / sxx)
    half = t_quantile(0.5 + LEVEL / 2, n - 2) * se
    return Estimate(slope, slope - half, slope + half, n)


def theil_sen(points: Sequence[tuple[float, float]]) -> Trend:
    """The median of pairwise slopes, robust to a few odd points, with Sen's interval.

    The interval is Sen (1968) eq. 2.6, the same as scipy.stats.theilslopes; the
    intercept is median(y) - slope * median(x), scipy's default.
    """
    slopes = sorted(
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for x2, y2 in points[i + 1 :]
        if x2 != x1
    )
    if not slopes:
        raise ValueError("a trend needs two points at different x")
    slope = statistics.median(slopes)
    n = len(points)
    ties = _tie_sizes([x for x, _ in points]) + _tie_sizes([y for _, y in points])
    variance = (
        n * (n - 1) * (2 * n + 5) - sum(k * (k - 1) * (2 * k + 5) for k in ties)
    ) / 18
    z = NormalDist().inv_cdf((1 - LEVEL) / 2)
    spread = z * math.sqrt(max(variance, 0.0))
    count = len(slopes)
    upper = min(round((count - spread) / 2), count - 1)
    lower = max(round((count + spread) / 2) - 1, 0)
    intercept = statistics.median(y for _, y in points) - slope * statistics.median(
        x for x, _ in points
    )
    return Trend(Estimate(slope, slopes[lower], slopes[upper], n), intercept)


def _tie_sizes(values: Sequence[float]) -> list[int]:
    counts: dict[float, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return [count for count in counts.values() if count > 1]
