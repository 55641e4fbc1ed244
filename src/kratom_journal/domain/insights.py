"""Insights from the journal: what doses did and how use is going, in plain sentences.

Every conclusion is one sentence that carries its uncertainty (a 95% interval
and the number of doses behind it) or says that there is not enough data yet
and what would be needed. Nothing here recommends a dose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from kratom_journal.domain.dose_effect import (
    AFTER_FROM,
    AFTER_TO,
    BEFORE,
    MIN_PAIRS,
    MIN_PAIRS_FOR_SLOPE,
    MIN_PAIRS_FOR_TREND,
    MIN_WEEKS_FOR_TREND,
    Band,
    Pairing,
    Relief,
    SideEffects,
    ToleranceTrend,
    dose_response,
    pair_doses,
    relief_by_band,
    relief_by_product,
    side_effects_by_band,
    tolerance_trend,
)
from kratom_journal.domain.moments import day_bounds
from kratom_journal.domain.uncertainty import Estimate
from kratom_journal.domain.use_pattern import UsePattern, use_pattern

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import time, tzinfo

    from kratom_journal.domain.analysis_input import DoseEvent, Rating


CAVEAT = (
    "These numbers compare pain before and after doses; they are not a trial. Pain "
    "that peaks often eases on its own, so part of the relief may not be the dose. "
    "A randomized N-of-1 trial (kratom trial design) gives a fairer answer."
)
NO_PRODUCT = "No product named"


@dataclass(frozen=True)
class Conclusion:
    topic: str  # effect, dose-response, tolerance, side-effects, product, pattern
    sentence: str
    enough_data: bool


@dataclass(frozen=True)
class Insights:
    first_day: date
    last_day: date
    pairing: Pairing
    bands: Mapping[Band, Relief]
    dose_response: Estimate | None
    tolerance: ToleranceTrend
    side_effects: Mapping[Band, SideEffects]
    products: Mapping[UUID | None, Relief]
    product_names: Mapping[UUID | None, str]
    pattern: UsePattern
    conclusions: tuple[Conclusion, ...]
    pain: tuple[tuple[datetime, int], ...]  # every rating in the period, for charts
    doses: tuple[tuple[datetime, float], ...]
    caveat: str = CAVEAT


def build_insights(
    doses: Sequence[DoseEvent],
    checkins: Sequence[Rating],
    *,
    first_day: date,
    last_day: date,
    zone: tzinfo,
    boundary: time,
    product_names: Mapping[UUID, str],
    journal_start: date | None = None,
    current_run: int | None = None,
) -> Insights:
    """Insights over the local days first_day..last_day.

    `doses` may reach back before the period for the use-pattern comparisons;
    only the period's own doses are paired, but earlier ones still count as
    overlapping a dose's check-ins.
    """
    start = day_bounds(first_day, zone, boundary)[0]
    end = day_bounds(last_day, zone, boundary)[1]
    in_period = [dose for dose in doses if start <= dose.at < end]
    pairing = pair_doses(doses, checkins, start=start, end=end)
    bands = relief_by_band(pairing.pairs)
    slope = dose_response(pairing.pairs, bands)
    tolerance = tolerance_trend(pairing.pairs, zone, boundary)
    side_effects = side_effects_by_band(pairing.followed)
    products = relief_by_product(pairing.pairs)
    names: dict[UUID | None, str] = {None: NO_PRODUCT}
    names.update((key, name) for key, name in product_names.items())
    pattern = use_pattern(
        doses,
        first_day=first_day,
        last_day=last_day,
        zone=zone,
        boundary=boundary,
        journal_start=journal_start,
        current_run=current_run,
    )
    conclusions = (
        *_effect_sentences(pairing, bands),
        _dose_response_sentence(slope, pairing),
        _tolerance_sentence(tolerance),
        *_side_effect_sentences(side_effects),
        *_product_sentences(products, names),
        *_pattern_sentences(pattern, journal_start),
    )
    return Insights(
        first_day,
        last_day,
        pairing,
        bands,
        slope,
        tolerance,
        side_effects,
        products,
        names,
        pattern,
        conclusions,
        tuple((c.at, c.pain) for c in checkins if start <= c.at < end),
        tuple((dose.at, dose.grams) for dose in in_period),
    )


def _points(value: float) -> str:
    return f"{value:.1f}"


def _interval(estimate: Estimate, scale: float = 1.0) -> str:
    low, high = sorted((estimate.low * scale, estimate.high * scale))
    return f"95% interval {_points(low)} to {_points(high)}"


def _doses(n: int) -> str:
    return f"{n} dose" if n == 1 else f"{n} doses"


def _change(estimate: Estimate) -> str:
    """'fell by 1.8 points (95% interval 0.9 to 2.7)' from a relief estimate."""
    if estimate.value >= 0:
        return f"fell by {_points(estimate.value)} points ({_interval(estimate)})"
    return f"rose by {_points(-estimate.value)} points ({_interval(estimate, -1)})"


def _unclear(estimate: Estimate) -> str:
    """The ending of a sentence whose interval includes no change."""
    return "." if estimate.excludes_zero else ": no clear change."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _weeks(n: int) -> str:
    return _count(n, "week")


def _days(n: int, these: str = "") -> str:
    """'1 day', '30 days'; with `these`: 'this day', 'these 30 days'."""
    if not these:
        return _count(n, "day")
    return "this day" if n == 1 else f"these {n} days"


def _effect_sentences(
    pairing: Pairing, bands: Mapping[Band, Relief]
) -> list[Conclusion]:
    window = (
        f"a check-in in the {int(BEFORE.total_seconds() // 60)} minutes before and "
        f"one {int(AFTER_FROM.total_seconds() // 60)} minutes to "
        f"{int(AFTER_TO.total_seconds() // 3600)} hours after"
    )
    overlapping = []
    if pairing.stacked:
        overlapping.append(
            Conclusion(
                "effect",
                f"{_doses(pairing.stacked)} were left out because another dose came "
                "between their check-ins, so their effects overlap.",
                True,
            )
        )
    if not any(relief.estimate for relief in bands.values()):
        return [
            Conclusion(
                "effect",
                f"Not enough data yet to say what a dose does: "
                f"{_doses(len(pairing.pairs))} had {window}, and at least "
                f"{MIN_PAIRS} in one dose band are needed. Check in just before a dose "
                "and again about an hour after it.",
                False,
            ),
            *overlapping,
        ]
    sentences = []
    for band, relief in bands.items():
        if relief.estimate is None:
            sentences.append(
                Conclusion(
                    "effect",
                    f"Doses of {band.label}: not enough data yet "
                    f"({_doses(relief.pairs)} with check-ins before and after; "
                    f"{MIN_PAIRS} are needed).",
                    False,
                )
            )
            continue
        sentences.append(
            Conclusion(
                "effect",
                f"Pain {_change(relief.estimate)} on average within "
                f"{int(AFTER_TO.total_seconds() // 3600)} hours after doses of "
                f"{band.label}, over {_doses(relief.pairs)}"
                + _unclear(relief.estimate),
                True,
            )
        )
    return sentences + overlapping


def _dose_response_sentence(slope: Estimate | None, pairing: Pairing) -> Conclusion:
    if slope is None:
        return Conclusion(
            "dose-response",
            "Not enough data yet to compare dose sizes: it needs at least "
            f"{MIN_PAIRS} doses with check-ins before and after in each of two dose "
            f"bands, and {MIN_PAIRS_FOR_SLOPE} in all.",
            False,
        )
    # A shrinking slope is told as a positive number, so its interval is flipped too.
    flip = -1 if slope.value < 0 else 1
    per_gram = (
        f"{_points(abs(slope.value))} points per extra gram ({_interval(slope, flip)})"
    )
    if slope.excludes_zero and slope.value > 0:
        text = f"Relief grew with dose size: {per_gram}, over {_doses(slope.n)}."
    elif slope.excludes_zero:
        text = f"Relief shrank as doses got larger: {per_gram}, over {_doses(slope.n)}."
    else:
        text = (
            "Larger doses did not bring clearly more relief: "
            f"{_points(slope.value)} points per extra gram ({_interval(slope)}), "
            f"over {_doses(slope.n)}."
        )
    return Conclusion("dose-response", text, True)


def _tolerance_sentence(tolerance: ToleranceTrend) -> Conclusion:
    if tolerance.trend is None:
        return Conclusion(
            "tolerance",
            "Not enough data yet for a tolerance trend: it needs doses with check-ins "
            f"before and after in at least {MIN_WEEKS_FOR_TREND} different weeks and "
            f"{MIN_PAIRS_FOR_TREND} in all (now {_weeks(len(tolerance.weeks))}, "
            f"{_doses(tolerance.pairs)}).",
            False,
        )
    slope = tolerance.trend.slope
    weeks = (tolerance.weeks[-1][0] - tolerance.weeks[0][0]).days // 7
    span = max(weeks, 1)
    change = f"{_points(abs(slope.value * span))} points per gram over {_weeks(weeks)}"
    # Falling relief is told as a positive fall, so its interval is flipped too.
    interval = _interval(slope, -span if slope.value < 0 else span)
    if slope.excludes_zero and slope.value < 0:
        text = (
            f"Relief per gram fell by about {change} ({interval}): the same dose is "
            "doing less, which is what tolerance looks like. A clinician can help you "
            "weigh a break or a taper."
        )
    elif slope.excludes_zero:
        text = f"Relief per gram rose by about {change} ({interval}): no sign of tolerance."
    else:
        text = (
            f"No clear change in relief per gram over {_weeks(weeks)} "
            f"({_points(slope.value * span)} points per gram, {_interval(slope, span)})."
        )
    return Conclusion("tolerance", text, True)


def _side_effect_sentences(
    side_effects: Mapping[Band, SideEffects],
) -> list[Conclusion]:
    sentences = []
    for band, counts in side_effects.items():
        if counts.doses < MIN_PAIRS:
            continue
        if not counts.reported:
            text = (
                f"After doses of {band.label}, no side effect was reported "
                f"({_doses(counts.doses)} with a check-in after)."
            )
        else:
            top = ", ".join(
                f"{name} {_share(n, counts.doses)}"
                for name, n in list(counts.reported.items())[:3]
            )
            text = (
                f"After doses of {band.label}, the most reported side effects were "
                f"{top} (of {_doses(counts.doses)} with a check-in after)."
            )
        sentences.append(Conclusion("side-effects", text, True))
    if not sentences:
        sentences.append(
            Conclusion(
                "side-effects",
                f"Not enough data yet on side effects by dose: it needs {MIN_PAIRS} "
                "doses in a band with a check-in 30 minutes to 3 hours after.",
                False,
            )
        )
    return sentences


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def _product_sentences(
    products: Mapping[UUID | None, Relief], names: Mapping[UUID | None, str]
) -> list[Conclusion]:
    if len(products) < 2:  # one product: the band sentences already say it all
        return []
    sentences = []
    for product, relief in sorted(
        products.items(), key=lambda item: names.get(item[0], "").lower()
    ):
        name = names.get(product, "a removed product")
        if relief.estimate is None or relief.mean_grams is None:
            text = (
                f"{name}: not enough data yet ({_doses(relief.pairs)} with check-ins "
                f"before and after; {MIN_PAIRS} are needed)."
            )
        else:
            text = (
                f"{name}: pain {_change(relief.estimate)} after doses of "
                f"{relief.mean_grams:.1f} g on average, over {_doses(relief.pairs)}"
                + _unclear(relief.estimate)
            )
        sentences.append(Conclusion("product", text, relief.estimate is not None))
    return sentences


def _pattern_sentences(
    pattern: UsePattern, journal_start: date | None
) -> list[Conclusion]:
    if journal_start is None:
        return [
            Conclusion(
                "pattern",
                "Nothing logged yet: a use pattern needs logged doses.",
                False,
            )
        ]
    if pattern.use_days == 0:
        return [
            Conclusion("pattern", f"No doses in {_days(pattern.days, 'these')}.", True)
        ]
    assert pattern.doses_per_use_day is not None and pattern.grams_per_dose is not None
    sentences = [
        Conclusion(
            "pattern",
            f"Over {_days(pattern.days)}: {pattern.grams_per_day:.1f} g a day on "
            f"average; on the {_days(pattern.use_days)} with doses, "
            f"{pattern.doses_per_use_day:.1f} doses of "
            f"{pattern.grams_per_dose:.1f} g, about {pattern.grams_per_use_day:.1f} g "
            "a day.",
            True,
        ),
        Conclusion(
            "pattern",
            f"{_count(pattern.rest_days, 'rest day')} (longest run "
            f"{pattern.longest_rest}); longest run of days with doses "
            f"{pattern.longest_streak}, current run {pattern.current_streak}.",
            True,
        ),
    ]
    for window in pattern.trends:
        text = f"Last {window.days} days: {window.grams_per_day:.1f} g a day"
        if window.previous_grams_per_day is None:
            text += f" (the journal does not reach back another {window.days} days)."
        else:
            text += (
                f", against {window.previous_grams_per_day:.1f} g "
                f"the {window.days} days before."
            )
        sentences.append(Conclusion("pattern", text, True))
    return sentences
