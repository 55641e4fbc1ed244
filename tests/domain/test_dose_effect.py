"""Pairing doses with check-ins, relief by band and product, tolerance, side effects."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy import stats

from kratom_journal.domain.analysis_input import DoseEvent, Rating
from kratom_journal.domain.dose_effect import (
    BANDS,
    MIN_PAIRS,
    Pair,
    band_of,
    dose_response,
    pair_doses,
    relief_by_band,
    relief_by_product,
    relief_of,
    side_effects_by_band,
    tolerance_trend,
)

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # 10:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")
FOUR = time(4, 0)
RED = UUID(int=1)
GREEN = UUID(int=2)


def at(minute: float, day: int = 0) -> datetime:
    return T0 + timedelta(days=day, minutes=minute)


def dose(minute: float, grams: float = 2.0, day: int = 0, product: UUID | None = None):
    return DoseEvent(at(minute, day), grams, product)


def rating(minute: float, pain: int, day: int = 0, **effects: int) -> Rating:
    return Rating(at(minute, day), pain, effects)


def pairs_of(*specs: tuple[float, int, int], product: UUID | None = None) -> list[Pair]:
    """(grams, pain before, pain after) per dose, one dose a day, paired cleanly."""
    doses, checkins = [], []
    for day, (grams, before, after) in enumerate(specs):
        doses.append(dose(0, grams, day, product))
        checkins += [rating(-10, before, day), rating(60, after, day)]
    pairing = pair_doses(doses, checkins)
    assert len(pairing.pairs) == len(specs)
    return list(pairing.pairs)


# --- pairing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before_minute", "paired"),
    [(-60, True), (-61, False), (-1, True), (0, True)],
)
def test_the_before_check_in_is_within_the_hour_before_the_dose(
    before_minute: int, paired: bool
) -> None:
    pairing = pair_doses([dose(0)], [rating(before_minute, 7), rating(60, 4)])
    assert len(pairing.pairs) == int(paired)
    assert pairing.unpaired == int(not paired)
    # Either way the after check-in counts for side effects.
    assert len(pairing.followed) == 1


@pytest.mark.parametrize(
    ("after_minute", "paired"),
    [(30, True), (180, True), (29, False), (181, False), (29.99, False)],
)
def test_the_after_check_in_is_30_minutes_to_3_hours_after(
    after_minute: float, paired: bool
) -> None:
    pairing = pair_doses([dose(0)], [rating(-5, 7), rating(after_minute, 4)])
    assert len(pairing.pairs) == int(paired)
    assert pairing.unpaired == int(not paired)
    assert len(pairing.followed) == int(paired)


def test_a_check_in_at_the_dose_instant_is_the_before_one() -> None:
    pairing = pair_doses([dose(0)], [rating(0, 7), rating(45, 3)])
    (pair,) = pairing.pairs
    assert (pair.before.pain, pair.after.pain, pair.relief) == (7, 3, 4)


def test_the_last_check_in_before_and_the_first_after_are_used() -> None:
    checkins = [
        rating(-50, 9),
        rating(-10, 7),
        rating(20, 6),  # too early to be "after"
        rating(40, 5),  # the first after: used even though a later one is better
        rating(90, 1),
        rating(170, 0),
    ]
    (pair,) = pair_doses([dose(0)], checkins).pairs
    assert (pair.before.at, pair.after.at) == (at(-10), at(40))
    assert pair.relief == 2


def test_a_too_early_check_in_does_not_block_a_later_one() -> None:
    (pair,) = pair_doses([dose(0)], [rating(-5, 6), rating(29, 6), rating(31, 2)]).pairs
    assert pair.after.at == at(31)


def test_an_earlier_dose_between_the_check_ins_leaves_both_out() -> None:
    # check-in, 1 g, 2 g, check-in: neither dose can claim the change.
    doses = [dose(-15, 1.0), dose(0, 2.0)]
    pairing = pair_doses(doses, [rating(-30, 7), rating(60, 3)])
    assert (pairing.pairs, pairing.stacked, pairing.unpaired) == ((), 2, 0)
    assert pairing.followed == ()


def test_a_later_dose_between_the_check_ins_leaves_both_out() -> None:
    doses = [dose(0, 2.0), dose(40, 1.0)]
    pairing = pair_doses(doses, [rating(-10, 7), rating(90, 3)])
    assert (pairing.pairs, pairing.stacked, pairing.unpaired) == ((), 2, 0)


def test_two_doses_at_one_instant_are_stacked() -> None:
    doses = [dose(0, 1.0, product=RED), dose(0, 1.0, product=GREEN)]
    pairing = pair_doses(doses, [rating(-10, 7), rating(60, 3)])
    assert (pairing.pairs, pairing.stacked) == ((), 2)


def test_a_check_in_just_before_the_next_dose_serves_both_doses() -> None:
    # The routine the insights ask for: check in, dose, and at the next dose check
    # in again. The 10:00 check-in was made before the 10:00 dose (as for every
    # check-in at a dose instant), so the 10:00 dose is not between 08:00's
    # check-ins and both doses pair cleanly.
    doses = [dose(0, 2.0), dose(120, 2.0)]
    checkins = [rating(0, 7), rating(120, 4), rating(180, 2)]
    pairing = pair_doses(doses, checkins)
    assert pairing.stacked == 0
    assert [(p.before.pain, p.after.pain) for p in pairing.pairs] == [(7, 4), (4, 2)]


def test_a_dose_one_minute_before_the_after_check_in_is_stacked() -> None:
    doses = [dose(0, 2.0), dose(119, 2.0)]
    checkins = [rating(0, 7), rating(120, 4), rating(180, 2)]
    pairing = pair_doses(doses, checkins)
    # The first dose is stacked; the second has no check-in in the hour before it.
    assert (pairing.pairs, pairing.stacked, pairing.unpaired) == ((), 1, 1)


def test_pairing_does_not_depend_on_input_order() -> None:
    doses = [dose(0, 2.0, day) for day in range(6)] + [dose(300, 1.0, 2)]
    checkins = [
        rating(m, 7 - k, day) for day in range(6) for k, m in enumerate((-5, 60))
    ]
    expected = pair_doses(doses, checkins)
    shuffled_doses, shuffled_checkins = doses[:], checkins[:]
    random.Random(4).shuffle(shuffled_doses)
    random.Random(5).shuffle(shuffled_checkins)
    assert pair_doses(shuffled_doses, shuffled_checkins) == expected
    assert (len(expected.pairs), expected.unpaired) == (6, 1)


def test_doses_without_check_ins_are_counted_as_unpaired() -> None:
    pairing = pair_doses([dose(0), dose(0, day=1)], [rating(60, 3)])
    assert (len(pairing.pairs), pairing.stacked, pairing.unpaired) == (0, 0, 2)
    assert [d.at for d, _ in pairing.followed] == [at(0)]


# --- bands ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grams", "label"),
    [
        (0.25, "under 1 g"),
        (0.999, "under 1 g"),
        (1.0, "1-2 g"),
        (1.999, "1-2 g"),
        (2.0, "2-3 g"),
        (2.999, "2-3 g"),
        (3.0, "3-4 g"),
        (4.0, "4-5 g"),
        (4.999, "4-5 g"),
        (5.0, "5 g or more"),
        (40.0, "5 g or more"),
    ],
)
def test_band_edges_belong_to_the_band_above(grams: float, label: str) -> None:
    assert band_of(grams).label == label
    assert [band.label for band in BANDS if band.holds(grams)] == [label]


def test_relief_mean_and_interval_by_hand() -> None:
    # Relief 1, 2, 3, 2, 2: mean 2, sd sqrt(0.5); t(0.975, 4) = 2.776445 (table),
    # half-width 2.776445 * 0.707107 / sqrt(5) = 0.87798.
    pairs = pairs_of((2.0, 6, 5), (2.5, 6, 4), (2.0, 7, 4), (2.5, 5, 3), (2.0, 8, 6))
    relief = relief_by_band(pairs)[band_of(2.0)]
    assert relief.pairs == 5
    assert relief.mean_grams == pytest.approx(2.2)
    assert relief.estimate is not None
    assert relief.estimate.value == pytest.approx(2.0)
    assert relief.estimate.low == pytest.approx(2 - 0.87798, abs=0.001)
    assert relief.estimate.high == pytest.approx(2 + 0.87798, abs=0.001)
    assert relief.estimate.n == 5


def test_pain_that_rose_is_negative_relief() -> None:
    (pair,) = pairs_of((2.0, 3, 6))
    assert pair.relief == -3


def test_below_min_pairs_there_is_no_estimate() -> None:
    pairs = pairs_of(*[(2.0, 6, 3)] * (MIN_PAIRS - 1))
    relief = relief_of(pairs)
    assert (relief.pairs, relief.mean_grams, relief.estimate) == (
        MIN_PAIRS - 1,
        2.0,
        None,
    )
    assert relief_of(pairs + pairs_of((2.0, 6, 3))).estimate is not None
    assert relief_of([]).pairs == 0


def test_relief_by_band_lists_only_bands_with_pairs_in_dose_order() -> None:
    pairs = pairs_of((5.5, 6, 3), (1.0, 6, 5), (2.0, 6, 4), (1.5, 6, 4))
    bands = relief_by_band(pairs)
    assert [band.label for band in bands] == ["1-2 g", "2-3 g", "5 g or more"]
    assert [r.pairs for r in bands.values()] == [2, 1, 1]


def test_relief_by_product_keeps_unnamed_doses_apart() -> None:
    pairs = (
        pairs_of(*[(2.0, 6, 3)] * 5, product=RED)
        + pairs_of((2.0, 6, 5), product=GREEN)
        + pairs_of((2.0, 6, 6), (2.0, 6, 4))
    )
    products = relief_by_product(pairs)
    assert {key: r.pairs for key, r in products.items()} == {RED: 5, GREEN: 1, None: 2}
    red = products[RED].estimate
    assert red is not None and (red.value, red.low, red.high) == (3, 3, 3)
    assert products[None].estimate is None


# --- dose-response --------------------------------------------------------------


def _two_bands(low_n: int, high_n: int) -> list[Pair]:
    low = [(1.5, 6, 6 - r) for r in (1, 2, 1, 0, 2, 1, 1)[:low_n]]
    high = [(2.5, 6, 6 - r) for r in (3, 2, 4, 3, 2, 3, 3)[:high_n]]
    return pairs_of(*low, *high)


def test_dose_response_is_the_least_squares_slope_over_all_pairs() -> None:
    pairs = _two_bands(5, 5) + pairs_of((4.0, 6, 1))  # a lone 4 g pair counts too
    slope = dose_response(pairs, relief_by_band(pairs))
    assert slope is not None
    fit = stats.linregress([p.grams for p in pairs], [p.relief for p in pairs])
    assert slope.value == pytest.approx(fit.slope)
    half = stats.t.ppf(0.975, len(pairs) - 2) * fit.stderr
    assert (slope.low, slope.high) == pytest.approx(
        (fit.slope - half, fit.slope + half), rel=0.002
    )
    assert slope.n == 11
    assert slope.excludes_zero and slope.value > 0


@pytest.mark.parametrize(("low_n", "high_n"), [(4, 7), (7, 4), (0, 7)])
def test_dose_response_needs_two_bands_with_enough_pairs(
    low_n: int, high_n: int
) -> None:
    pairs = _two_bands(low_n, high_n)
    assert dose_response(pairs, relief_by_band(pairs)) is None


def test_dose_response_needs_ten_pairs_in_all() -> None:
    pairs = _two_bands(5, 5)
    assert dose_response(pairs, relief_by_band(pairs)) is not None
    assert dose_response(pairs[1:], relief_by_band(pairs[1:])) is None


# --- tolerance ------------------------------------------------------------------


def _weekly(relief_by_week: list[list[int]], grams: float = 2.0) -> list[Pair]:
    """Pairs on days 0, 2, 4, ... of each week with the given relief."""
    specs: list[tuple[int, float, int]] = []
    for week, reliefs in enumerate(relief_by_week):
        specs += [(7 * week + 2 * k, grams, r) for k, r in enumerate(reliefs)]
    doses = [dose(0, g, day) for day, g, _ in specs]
    checkins = [rating(-10, 8, day) for day, _, _ in specs]
    checkins += [rating(60, 8 - r, day) for day, _, r in specs]
    return list(pair_doses(doses, checkins).pairs)


FALLING = [[4, 4, 3], [4, 3, 4], [4, 3, 3], [3, 3, 4], [3, 3, 2], [3, 2, 2]]
FALLING += [[2, 3, 2], [2, 2, 1], [2, 1, 2], [1, 2, 1], [1, 1, 0], [1, 0, 1]]


def test_relief_per_gram_falling_over_12_weeks_is_a_clear_negative_trend() -> None:
    pairs = _weekly(FALLING)
    result = tolerance_trend(pairs, BERLIN, FOUR)
    assert result.pairs == 36
    medians = [float(np.median(week)) / 2 for week in FALLING]
    assert [value for _, value in result.weeks] == medians
    assert [day for day, _ in result.weeks] == [
        T0.date() + timedelta(weeks=week) for week in range(12)
    ]
    assert result.trend is not None
    reference = stats.theilslopes(medians, range(12))
    assert result.trend.slope.value == pytest.approx(reference.slope)
    assert result.trend.slope.value < 0
    assert result.trend.slope.high < 0  # the interval excludes 0
    assert result.trend.slope.low == pytest.approx(reference.low_slope)
    assert result.trend.intercept == pytest.approx(reference.intercept)


def test_relief_per_gram_divides_by_each_doses_grams() -> None:
    pairs = pairs_of((4.0, 8, 4), (1.0, 8, 7), (2.0, 8, 6))  # 1, 1, 1 per gram
    result = tolerance_trend(pairs, BERLIN, FOUR)
    assert result.weeks == ((T0.date(), 1.0),)


def test_fewer_than_8_weeks_give_no_trend() -> None:
    result = tolerance_trend(_weekly(FALLING[:7]), BERLIN, FOUR)
    assert (len(result.weeks), result.pairs, result.trend) == (7, 21, None)


def test_8_weeks_need_20_pairs_for_a_trend() -> None:
    eight = [list(week) for week in FALLING[:8]]
    assert tolerance_trend(_weekly(eight), BERLIN, FOUR).trend is not None  # 24
    short = [week[:2] for week in eight[:6]] + eight[6:]  # 12 + 6 = 18 pairs
    result = tolerance_trend(_weekly(short), BERLIN, FOUR)
    assert (len(result.weeks), result.pairs, result.trend) == (8, 18, None)


def test_weeks_without_pairs_are_gaps_not_zeros() -> None:
    weeks = [list(week) for week in FALLING]
    weeks[3] = []
    result = tolerance_trend(_weekly(weeks), BERLIN, FOUR)
    assert len(result.weeks) == 11
    assert T0.date() + timedelta(weeks=3) not in [day for day, _ in result.weeks]


def test_no_pairs_no_weeks() -> None:
    assert tolerance_trend([], BERLIN, FOUR).weeks == ()


# --- side effects ---------------------------------------------------------------


def test_side_effects_are_counted_per_band_from_the_after_check_in() -> None:
    doses = [
        dose(0, 2.5, day=0),
        dose(0, 2.0, day=1),
        dose(0, 2.9, day=2),
        dose(0, 1.0, day=3),
        dose(0, 2.0, day=4),  # no check-in after: not counted
        dose(0, 2.0, day=5),  # stacked with the next: not counted
        dose(30, 2.0, day=5),
    ]
    checkins = [
        # no check-in before day 0's dose: side effects still count
        rating(60, 5, day=0, nausea=2, sedation=1),
        rating(-5, 5, day=1),
        rating(45, 4, day=1, nausea=0, **{"metallic-taste": 1}),
        rating(120, 4, day=1, dizziness=3),  # a later check-in: not this dose's
        rating(-5, 5, day=2),
        rating(50, 4, day=2, nausea=1),
        rating(90, 3, day=3, sedation=1),
        rating(-5, 5, day=5),
        rating(90, 5, day=5, nausea=3),
    ]
    effects = side_effects_by_band(pair_doses(doses, checkins).followed)
    assert list(effects) == [band_of(1.0), band_of(2.0)]
    assert effects[band_of(1.0)].doses == 1
    assert effects[band_of(1.0)].reported == {"sedation": 1}
    two = effects[band_of(2.0)]
    assert two.doses == 3
    # Most reported first, then by name; severity 0 is not a report.
    assert list(two.reported.items()) == [
        ("nausea", 2),
        ("metallic-taste", 1),
        ("sedation", 1),
    ]


def test_no_followed_doses_no_side_effect_bands() -> None:
    assert side_effects_by_band([]) == {}
