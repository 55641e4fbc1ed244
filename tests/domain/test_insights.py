"""The conclusions `kratom insights` prints: one plain sentence each, with numbers."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy import stats

from kratom_journal.domain.analysis_input import DoseEvent, Rating
from kratom_journal.domain.insights import CAVEAT, Insights, build_insights

BERLIN = ZoneInfo("Europe/Berlin")
FOUR = time(4, 0)
LAST = date(2026, 11, 22)
RED, GREEN = UUID(int=1), UUID(int=2)
NAMES = {RED: "Red Bali", GREEN: "green maeng da"}


@dataclass(frozen=True)
class Dose:
    """A dose at 10:00 on `day` (0 = the period's first day) with its check-ins."""

    day: int
    grams: float
    before: int | None  # pain at 09:50
    after: int | None  # pain at 11:00
    product: UUID | None = None
    effects: dict[str, int] = field(default_factory=dict)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=BERLIN
    ).astimezone(UTC)


def build(
    entries: list[Dose],
    *,
    days: int = 90,
    extra_doses: list[DoseEvent] | None = None,
    journal_start: date | None = None,
) -> Insights:
    first = LAST - timedelta(days=days - 1)
    doses = list(extra_doses or [])
    checkins = []
    for entry in entries:
        day = first + timedelta(days=entry.day)
        doses.append(DoseEvent(local(day, 10), entry.grams, entry.product))
        if entry.before is not None:
            checkins.append(Rating(local(day, 9, 50), entry.before))
        if entry.after is not None:
            checkins.append(Rating(local(day, 11), entry.after, entry.effects))
    if journal_start is None and entries:
        journal_start = first
    return build_insights(
        doses,
        checkins,
        first_day=first,
        last_day=LAST,
        zone=BERLIN,
        boundary=FOUR,
        product_names=NAMES,
        journal_start=journal_start,
    )


def sentences(result: Insights, topic: str) -> list[str]:
    return [c.sentence for c in result.conclusions if c.topic == topic]


def by_relief(
    reliefs: list[int], grams: float = 2.5, start: int = 0, **kw
) -> list[Dose]:
    return [
        Dose(start + k, grams, 7, 7 - relief, **kw) for k, relief in enumerate(reliefs)
    ]


def expected_interval(reliefs: list[int]) -> tuple[float, float, float]:
    data = np.array(reliefs, dtype=float)
    low, high = stats.t.interval(
        0.95, len(data) - 1, loc=data.mean(), scale=stats.sem(data)
    )
    return float(data.mean()), float(low), float(high)


# Relief in 24 doses of 2-3 g: mean 43/24 = 1.79, interval 1.46 to 2.12.
TWENTY_FOUR = [2, 1, 3, 2, 1, 2, 3, 1, 2, 2, 1, 3, 2, 2, 1, 2, 3, 0, 2, 2, 1, 2, 2, 1]


def test_the_effect_sentence_with_enough_data() -> None:
    doses = [
        Dose(k, 2.0 if k % 2 else 2.5, 7, 7 - relief)
        for k, relief in enumerate(TWENTY_FOUR)
    ]
    result = build(doses)
    mean, low, high = expected_interval(TWENTY_FOUR)
    assert sentences(result, "effect") == [
        f"Pain fell by {mean:.1f} points (95% interval {low:.1f} to {high:.1f}) on "
        "average within 3 hours after doses of 2-3 g, over 24 doses."
    ]
    assert (f"{mean:.1f}", f"{low:.1f}", f"{high:.1f}") == ("1.8", "1.5", "2.1")
    effect = next(c for c in result.conclusions if c.topic == "effect")
    assert effect.enough_data


def test_pain_that_rose_says_rose_with_its_interval_the_right_way_round() -> None:
    reliefs = [-2, -1, -3, -2, -2, -1]
    result = build(by_relief(reliefs, grams=1.5))
    mean, low, high = expected_interval(reliefs)
    assert sentences(result, "effect") == [
        f"Pain rose by {-mean:.1f} points (95% interval {-high:.1f} to {-low:.1f}) "
        "on average within 3 hours after doses of 1-2 g, over 6 doses."
    ]


def test_an_interval_including_zero_says_no_clear_change() -> None:
    reliefs = [1, -1, 0, 2, -1]
    (sentence,) = sentences(build(by_relief(reliefs)), "effect")
    mean, low, high = expected_interval(reliefs)
    assert low < 0 < high
    assert sentence == (
        f"Pain fell by {mean:.1f} points (95% interval {low:.1f} to {high:.1f}) "
        "on average within 3 hours after doses of 2-3 g, over 5 doses: "
        "no clear change."
    )
    falling = sentences(build(by_relief([2, 1, 3, 2, 2])), "effect")[0]
    assert "no clear change" not in falling


def test_not_enough_pairs_says_what_is_needed() -> None:
    # Three clean pairs, one dose without a check-in before, one without after.
    doses = [*by_relief([2, 2, 1]), Dose(5, 2.5, None, 4), Dose(6, 2.5, 7, None)]
    result = build(doses)
    (effect,) = [c for c in result.conclusions if c.topic == "effect"]
    assert not effect.enough_data
    assert effect.sentence == (
        "Not enough data yet to say what a dose does: 3 doses had a check-in in the "
        "60 minutes before and one 30 minutes to 3 hours after, and at least 5 in one "
        "dose band are needed. Check in just before a dose and again about an hour "
        "after it."
    )
    (slope,) = sentences(result, "dose-response")
    assert slope.startswith("Not enough data yet to compare dose sizes")
    assert "5 doses with check-ins before and after in each of two dose bands" in slope
    assert "10 in all" in slope
    (tolerance,) = sentences(result, "tolerance")
    assert tolerance == (
        "Not enough data yet for a tolerance trend: it needs doses with check-ins "
        "before and after in at least 8 different weeks and 20 in all (now 1 week, "
        "3 doses)."
    )
    (side,) = sentences(result, "side-effects")
    assert side.startswith("Not enough data yet on side effects by dose: it needs 5")


def test_a_band_short_of_pairs_says_so_next_to_one_with_enough() -> None:
    result = build(by_relief([2, 1, 3, 2, 2]) + by_relief([1, 1], grams=1.0, start=10))
    assert sentences(result, "effect")[0] == (
        "Doses of 1-2 g: not enough data yet (2 doses with check-ins before and after; "
        "5 are needed)."
    )
    assert sentences(result, "effect")[1].startswith("Pain fell by 2.0 points")
    flags = [c.enough_data for c in result.conclusions if c.topic == "effect"]
    assert flags == [False, True]


def test_stacked_doses_are_told() -> None:
    extra = [DoseEvent(local(LAST - timedelta(days=89), 10, 30), 1.0)]  # day 0
    result = build(by_relief([2, 1, 3, 2, 2, 2]), extra_doses=extra)
    assert result.pairing.stacked == 2
    assert sentences(result, "effect")[-1] == (
        "2 doses were left out because another dose came between their check-ins, "
        "so their effects overlap."
    )


# --- dose-response --------------------------------------------------------------

LOW_BAND = [1, 2, 1, 0, 2, 1]
HIGH_BAND = [3, 2, 4, 3, 2, 3]


def _two_bands(low: list[int], high: list[int]) -> tuple[Insights, object]:
    doses = by_relief(low, grams=1.5) + by_relief(high, grams=2.5, start=20)
    fit = stats.linregress([1.5] * len(low) + [2.5] * len(high), low + high)
    return build(doses), fit


def test_relief_growing_with_dose_size() -> None:
    result, fit = _two_bands(LOW_BAND, HIGH_BAND)
    half = stats.t.ppf(0.975, 10) * fit.stderr
    assert sentences(result, "dose-response") == [
        f"Relief grew with dose size: {fit.slope:.1f} points per extra gram "
        f"(95% interval {fit.slope - half:.1f} to {fit.slope + half:.1f}), over 12 doses."
    ]


def test_relief_shrinking_with_dose_size_tells_a_positive_fall_and_interval() -> None:
    result, fit = _two_bands(HIGH_BAND, LOW_BAND)
    half = stats.t.ppf(0.975, 10) * fit.stderr
    assert fit.slope + half < 0
    assert sentences(result, "dose-response") == [
        f"Relief shrank as doses got larger: {-fit.slope:.1f} points per extra gram "
        f"(95% interval {-fit.slope - half:.1f} to {-fit.slope + half:.1f}), "
        "over 12 doses."
    ]


def test_no_clear_dose_response() -> None:
    result, fit = _two_bands(LOW_BAND, [1, 2, 0, 1, 2, 1])
    half = stats.t.ppf(0.975, 10) * fit.stderr
    assert sentences(result, "dose-response") == [
        "Larger doses did not bring clearly more relief: "
        f"{fit.slope:.1f} points per extra gram (95% interval {fit.slope - half:.1f} "
        f"to {fit.slope + half:.1f}), over 12 doses."
    ]


# --- tolerance ------------------------------------------------------------------

FALLING = [[4, 4, 3], [4, 3, 4], [4, 3, 3], [3, 3, 4], [3, 3, 2], [3, 2, 2]]
FALLING += [[2, 3, 2], [2, 2, 1], [2, 1, 2], [1, 2, 1], [1, 1, 0], [1, 0, 1]]


def _weeks(weeks: list[list[int]], grams: float = 2.0) -> list[Dose]:
    return [
        Dose(7 * week + 2 * k, grams, 8, 8 - relief)
        for week, reliefs in enumerate(weeks)
        for k, relief in enumerate(reliefs)
    ]


def test_falling_relief_per_gram_is_told_as_tolerance() -> None:
    result = build(_weeks(FALLING))
    medians = [statistics.median(week) / 2 for week in FALLING]
    fit = stats.theilslopes(medians, range(12))
    (sentence,) = sentences(result, "tolerance")
    fall, low, high = -fit.slope * 11, -fit.high_slope * 11, -fit.low_slope * 11
    assert sentence == (
        f"Relief per gram fell by about {fall:.1f} points per gram over 11 weeks "
        f"(95% interval {low:.1f} to {high:.1f}): the same dose is doing less, which "
        "is what tolerance looks like. A clinician can help you weigh a break or a "
        "taper."
    )
    assert low > 0


def test_rising_relief_per_gram_is_no_sign_of_tolerance() -> None:
    (sentence,) = sentences(build(_weeks(FALLING[::-1])), "tolerance")
    assert sentence.startswith("Relief per gram rose by about")
    assert sentence.endswith("no sign of tolerance.")


def test_steady_relief_per_gram_is_no_clear_change() -> None:
    steady = [[2, 3, 2], [3, 2, 2], [2, 2, 3], [2, 3, 3]] * 3
    (sentence,) = sentences(build(_weeks(steady)), "tolerance")
    assert sentence.startswith("No clear change in relief per gram over 11 weeks")


def test_seven_weeks_are_not_enough_for_a_trend() -> None:
    result = build(_weeks(FALLING[:7]))
    (tolerance,) = [c for c in result.conclusions if c.topic == "tolerance"]
    assert not tolerance.enough_data
    assert "(now 7 weeks, 21 doses)" in tolerance.sentence


# --- never a nudge towards more -------------------------------------------------

NUDGE = re.compile(
    r"take more|more kratom|increase (your|the) dose|raise (your|the) dose|"
    r"(higher|larger|bigger|stronger) dose (may|might|could|would|will)|"
    r"try (a )?(higher|larger|bigger|more)|dose up|you should take|add (a|another) dose",
    re.IGNORECASE,
)
SCENARIOS = {
    "empty": lambda: build([]),
    "few": lambda: build(by_relief([2, 2, 1])),
    "relief": lambda: build(by_relief(TWENTY_FOUR)),
    "rose": lambda: build(by_relief([-2, -1, -3, -2, -2, -1])),
    "grew": lambda: _two_bands(LOW_BAND, HIGH_BAND)[0],
    "shrank": lambda: _two_bands(HIGH_BAND, LOW_BAND)[0],
    "flat": lambda: _two_bands(LOW_BAND, [1, 2, 0, 1, 2, 1])[0],
    "tolerance": lambda: build(_weeks(FALLING)),
    "tolerance-at-4g": lambda: build(_weeks(FALLING, grams=4.0)),
    "no-tolerance": lambda: build(_weeks(FALLING[::-1])),
    "products": lambda: build(
        by_relief([2, 1, 3, 2, 2], product=RED)
        + by_relief([0, 1, 0, 1, 0], start=10, product=GREEN)
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_conclusion_ever_suggests_taking_more(name: str) -> None:
    result = SCENARIOS[name]()
    assert result.conclusions
    for conclusion in result.conclusions:
        assert not NUDGE.search(conclusion.sentence), conclusion.sentence
    assert not NUDGE.search(result.caveat)


def test_the_tolerance_sentence_points_to_a_break_or_taper_not_a_bigger_dose() -> None:
    (sentence,) = sentences(SCENARIOS["tolerance"](), "tolerance")
    assert "tolerance" in sentence
    assert "break or a taper" in sentence
    assert "dose is doing less" in sentence


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_number_lies_within_its_own_interval(name: str) -> None:
    # "1.8 points ... (95% interval 0.9 to 2.7)" and "(0.3 points ..., 95% interval
    # -0.2 to 0.8)": a reader checks the one against the other.
    shapes = [
        re.compile(
            r"(-?\d+\.\d) points[^()]*\(95% interval (-?\d+\.\d) to (-?\d+\.\d)\)"
        ),
        re.compile(
            r"\((-?\d+\.\d) points[^()]*, 95% interval (-?\d+\.\d) to (-?\d+\.\d)\)"
        ),
    ]
    checked = 0
    for conclusion in SCENARIOS[name]().conclusions:
        for shape in shapes:
            for value, low, high in shape.findall(conclusion.sentence):
                assert float(low) <= float(value) <= float(high), conclusion.sentence
                checked += 1
    expected_some = name not in {"empty", "few"}
    assert (checked > 0) == expected_some


def test_every_conclusion_is_one_sentence_or_says_what_is_needed() -> None:
    for make in SCENARIOS.values():
        for conclusion in make().conclusions:
            assert conclusion.sentence.endswith(".")
            if not conclusion.enough_data:
                assert "needed" in conclusion.sentence or "needs" in conclusion.sentence


# --- products -------------------------------------------------------------------


def test_product_sentences_only_with_two_products_or_more() -> None:
    one = build(by_relief([2, 1, 3, 2, 2], product=RED))
    assert sentences(one, "product") == []
    result = SCENARIOS["products"]()
    red = [2, 1, 3, 2, 2]
    mean, low, high = expected_interval(red)
    # Sorted by name, whatever its case.
    assert sentences(result, "product") == [
        "green maeng da: pain fell by 0.4 points (95% interval "
        f"{expected_interval([0, 1, 0, 1, 0])[1]:.1f} to "
        f"{expected_interval([0, 1, 0, 1, 0])[2]:.1f}) "
        "after doses of 2.5 g on average, over 5 doses: no clear change.",
        f"Red Bali: pain fell by {mean:.1f} points (95% interval {low:.1f} to "
        f"{high:.1f}) after doses of 2.5 g on average, over 5 doses.",
    ]


def test_unnamed_doses_count_as_their_own_product() -> None:
    result = build(by_relief([2, 1, 3], product=RED) + by_relief([1, 1], start=5))
    assert sentences(result, "product") == [
        "No product named: not enough data yet (2 doses with check-ins before and "
        "after; 5 are needed).",
        "Red Bali: not enough data yet (3 doses with check-ins before and after; 5 are "
        "needed).",
    ]
    flags = [c.enough_data for c in result.conclusions if c.topic == "product"]
    assert flags == [False, False]


# --- side effects ---------------------------------------------------------------


def test_side_effects_name_the_most_reported_with_their_share() -> None:
    effects = [{"nausea": 2}, {"nausea": 1, "sedation": 1}, {}, {"itch": 1}, {}]
    effects += [{"nausea": 0}] * 3
    doses = [Dose(k, 2.5, 6, 4, effects=e) for k, e in enumerate(effects)]
    doses += [Dose(20 + k, 1.0, 6, 5) for k in range(5)]
    assert sentences(build(doses), "side-effects") == [
        "After doses of 1-2 g, no side effect was reported (5 doses with a check-in "
        "after).",
        "After doses of 2-3 g, the most reported side effects were nausea 25%, itch "
        "12%, sedation 12% (of 8 doses with a check-in after).",
    ]


# --- use pattern ----------------------------------------------------------------


def test_pattern_sentences() -> None:
    # 14 days: doses on days 0-3 (2 g twice each), 7 and 12-13 (3 g once each).
    doses = [Dose(day, 2.0, None, None) for day in (0, 0, 1, 1, 2, 2, 3, 3)]
    doses += [Dose(day, 3.0, None, None) for day in (7, 12, 13)]
    result = build(doses, days=14)
    # 25 g over 14 days; 7 use days, 11 doses of 25/11 g, 25/7 g a use day.
    assert sentences(result, "pattern") == [
        "Over 14 days: 1.8 g a day on average; on the 7 days with doses, 1.6 doses of "
        "2.3 g, about 3.6 g a day.",
        "7 rest days (longest run 4); longest run of days with doses 4, current run 2.",
        "Last 7 days: 1.3 g a day, against 2.3 g the 7 days before.",
    ]
    assert all(c.enough_data for c in result.conclusions if c.topic == "pattern")


def test_pattern_window_without_a_journal_reaching_back() -> None:
    doses = [Dose(day, 2.0, None, None) for day in range(10)]
    result = build(doses, days=10)
    assert sentences(result, "pattern")[-1] == (
        "Last 7 days: 2.0 g a day (the journal does not reach back another 7 days)."
    )


def test_an_empty_journal_has_not_enough_data_for_any_finding() -> None:
    result = build([], days=60)
    findings = [c for c in result.conclusions if c.topic != "pattern"]
    assert [c.topic for c in findings] == [
        "effect",
        "dose-response",
        "tolerance",
        "side-effects",
    ]
    assert not any(c.enough_data for c in findings)
    assert all(c.sentence.startswith("Not enough data yet") for c in findings)
    # Days before anything was logged are unknown, not rest days.
    (pattern,) = [c for c in result.conclusions if c.topic == "pattern"]
    assert pattern.sentence == "Nothing logged yet: a use pattern needs logged doses."
    assert pattern.enough_data is False
    assert result.caveat == CAVEAT


def test_days_with_check_ins_but_no_doses_are_a_finding() -> None:
    result = build([], days=30, journal_start=LAST - timedelta(days=40))
    (pattern,) = [c for c in result.conclusions if c.topic == "pattern"]
    assert (pattern.sentence, pattern.enough_data) == (
        "No doses in these 30 days.",
        True,
    )


def test_doses_before_the_period_are_neither_paired_nor_counted() -> None:
    # Day -10 is before the 30-day period, with check-ins that would pair it.
    result = build([Dose(-10, 4.0, 8, 2), *by_relief([2, 2, 1])], days=30)
    assert [pair.grams for pair in result.pairing.pairs] == [2.5, 2.5, 2.5]
    assert (result.pattern.doses, result.pattern.grams) == (3, 7.5)
    assert [grams for _, grams in result.doses] == [2.5, 2.5, 2.5]
    assert [pain for _, pain in result.pain] == [7, 5, 7, 5, 7, 6]


def test_one_day_reads_in_the_singular() -> None:
    result = build([Dose(0, 2.0, None, None)], days=1)
    assert sentences(result, "pattern")[:2] == [
        "Over 1 day: 2.0 g a day on average; on the 1 day with doses, 1.0 doses of "
        "2.0 g, about 2.0 g a day.",
        "0 rest days (longest run 0); longest run of days with doses 1, current run 1.",
    ]
    rest = build([], days=1, journal_start=LAST - timedelta(days=3))
    assert sentences(rest, "pattern") == ["No doses in this day."]
