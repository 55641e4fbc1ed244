"""Intervals and trends checked against scipy, which the module avoids importing."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from kratom_journal.domain.uncertainty import (
    Estimate,
    mean_interval,
    ols_slope,
    t_quantile,
    theil_sen,
)


@pytest.mark.parametrize("df", range(1, 201))
def test_t_quantile_for_the_95_percent_interval_matches_scipy(df: int) -> None:
    exact = stats.t.ppf(0.975, df)
    assert t_quantile(0.975, df) == pytest.approx(exact, rel=0.002)


@pytest.mark.parametrize("df", [1, 2])
@pytest.mark.parametrize("p", [0.6, 0.9, 0.95, 0.975, 0.99, 0.025])
def test_t_quantile_is_exact_for_one_and_two_degrees_of_freedom(
    df: int, p: float
) -> None:
    assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-12)


def test_t_quantile_is_symmetric_and_zero_at_the_median() -> None:
    for df in (1, 2, 3, 10, 100):
        assert t_quantile(0.5, df) == pytest.approx(0, abs=1e-12)
        assert t_quantile(0.025, df) == pytest.approx(-t_quantile(0.975, df))


def test_t_quantile_refuses_zero_degrees_of_freedom() -> None:
    with pytest.raises(ValueError, match="degree of freedom"):
        t_quantile(0.975, 0)


@given(
    st.lists(st.integers(min_value=-10, max_value=10), min_size=2, max_size=60).filter(
        lambda values: len(set(values)) > 1
    )
)
def test_mean_interval_matches_scipy_t_interval(values: list[int]) -> None:
    estimate = mean_interval(values)
    data = np.array(values, dtype=float)
    low, high = stats.t.interval(
        0.95, len(data) - 1, loc=data.mean(), scale=stats.sem(data)
    )
    half = (high - low) / 2
    assert estimate.n == len(values)
    assert estimate.value == pytest.approx(data.mean(), abs=1e-12)
    # Only the t quantile is approximate (within 0.2%), so the half-width is too.
    assert estimate.value - estimate.low == pytest.approx(half, rel=0.002)
    assert estimate.high - estimate.value == pytest.approx(half, rel=0.002)


def test_mean_interval_by_hand() -> None:
    # Mean 2, sample sd sqrt(2/3), n 4: half-width t(0.975, 3) * sd / 2, with
    # t(0.975, 3) = 3.182446 from a table: 1.2992.
    estimate = mean_interval([1, 2, 2, 3])
    assert (estimate.value, estimate.n) == (2, 4)
    assert estimate.high - 2 == pytest.approx(1.2992, rel=0.002)
    assert 2 - estimate.low == pytest.approx(1.2992, rel=0.002)


def test_mean_interval_of_equal_values_has_no_width() -> None:
    assert mean_interval([3, 3, 3]) == Estimate(3, 3, 3, 3)


@pytest.mark.parametrize("values", [[], [4.0]])
def test_mean_interval_needs_two_values(values: list[float]) -> None:
    with pytest.raises(ValueError, match="at least two"):
        mean_interval(values)


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=12).map(lambda g: g / 2),
            st.integers(min_value=-10, max_value=10),
        ),
        min_size=3,
        max_size=50,
    ).filter(
        lambda points: (
            len({x for x, _ in points}) > 1 and len({y for _, y in points}) > 1
        )
    )
)
def test_ols_slope_matches_scipy_linregress(points: list[tuple[float, int]]) -> None:
    xs = np.array([x for x, _ in points])
    ys = np.array([y for _, y in points], dtype=float)
    fit = stats.linregress(xs, ys)
    # scipy takes the stderr through sqrt(1 - r^2), which is noise for an exact fit
    # (tested on its own below).
    assume(abs(fit.rvalue) < 1 - 1e-9)
    estimate = ols_slope([(x, float(y)) for x, y in points])
    assert estimate.n == len(points)
    assert estimate.value == pytest.approx(fit.slope, abs=1e-9)
    half = stats.t.ppf(0.975, len(points) - 2) * fit.stderr
    assert estimate.value - estimate.low == pytest.approx(half, rel=0.002, abs=1e-9)
    assert estimate.high - estimate.value == pytest.approx(half, rel=0.002, abs=1e-9)


def test_ols_slope_of_constant_pain_is_zero_without_width() -> None:
    # scipy gives NaN here; no change at all is an exact answer, not an error.
    assert ols_slope([(1, 4), (2, 4), (3, 4)]) == Estimate(0, 0, 0, 3)


def test_ols_slope_of_a_perfect_line_is_exact() -> None:
    estimate = ols_slope([(1, 3), (2, 5), (3, 7), (4, 9)])
    assert estimate.value == pytest.approx(2)
    assert (estimate.low, estimate.high) == pytest.approx((2, 2))


def test_ols_slope_needs_three_points_at_two_x() -> None:
    with pytest.raises(ValueError, match="three points"):
        ols_slope([(1, 1), (2, 2)])
    with pytest.raises(ValueError):  # statistics: x is constant
        ols_slope([(2, 1), (2, 2), (2, 3)])


def _check_theil_sen(xs: np.ndarray, ys: np.ndarray) -> None:
    trend = theil_sen(list(zip(xs.tolist(), ys.tolist(), strict=True)))
    with warnings.catch_warnings():
        # With many ties Sen's variance can come out negative; scipy then warns
        # and gives NaN bounds (checked separately below).
        warnings.simplefilter("ignore", RuntimeWarning)
        reference = stats.theilslopes(ys, xs, alpha=0.95)
    assert trend.slope.value == pytest.approx(reference.slope, abs=1e-12)
    assert trend.intercept == pytest.approx(reference.intercept, abs=1e-9)
    assert trend.slope.n == len(xs)
    if math.isnan(reference.low_slope):
        assert trend.slope.low <= trend.slope.value <= trend.slope.high
        return
    assert trend.slope.low == pytest.approx(reference.low_slope, abs=1e-12)
    assert trend.slope.high == pytest.approx(reference.high_slope, abs=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_theil_sen_matches_scipy_with_ties_in_x_and_y(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 40))
    # Few distinct values, so ties in both x and y are certain.
    xs = rng.integers(0, 8, size=n).astype(float)
    ys = rng.integers(-3, 4, size=n) + 0.5 * xs
    if len(set(xs)) < 2:
        xs[0], xs[1] = 0.0, 1.0
    _check_theil_sen(xs, ys)


@pytest.mark.parametrize("seed", range(20))
def test_theil_sen_matches_scipy_on_continuous_data(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(2, 60))
    xs = np.arange(n, dtype=float)
    ys = 0.4 - 0.03 * xs + rng.normal(0, 0.1, size=n)
    _check_theil_sen(xs, ys)


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.integers(-5, 5)), min_size=2, max_size=30
    ).filter(lambda points: len({x for x, _ in points}) > 1)
)
def test_theil_sen_matches_scipy_for_any_small_data(
    points: list[tuple[int, int]],
) -> None:
    xs = np.array([x for x, _ in points], dtype=float)
    ys = np.array([y for _, y in points], dtype=float)
    _check_theil_sen(xs, ys)


def test_theil_sen_with_heavy_ties_still_gives_an_interval() -> None:
    # Sen's tie-corrected variance is negative here (scipy: NaN bounds).
    trend = theil_sen([(0, 0), (0, 0), (1, 0)])
    assert trend.slope == Estimate(0, 0, 0, 3)
    assert trend.intercept == 0


def test_theil_sen_ignores_one_wild_point() -> None:
    points = [(float(week), 1.0 - 0.05 * week) for week in range(10)]
    points[4] = (4.0, 9.0)
    trend = theil_sen(points)
    assert trend.slope.value == pytest.approx(-0.05)
    assert trend.slope.low <= trend.slope.value <= trend.slope.high


@pytest.mark.parametrize(
    "points", [[], [(1.0, 2.0)], [(3.0, 1.0), (3.0, 2.0), (3.0, 5.0)]]
)
def test_theil_sen_needs_two_points_at_different_x(
    points: list[tuple[float, float]],
) -> None:
    with pytest.raises(ValueError, match="two points at different x"):
        theil_sen(points)
