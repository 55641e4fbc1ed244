"""What a dose did: pain before against pain after, by dose band and by product.

A dose is paired with the last check-in in the hour before it and the first
check-in 30 minutes to 3 hours after it. A pair is left out when another dose
falls between its two check-ins, because then the change cannot be given to
either dose. The comparison is before-and-after, not a trial: pain that peaks
often eases on its own, so the insights say so next to every number.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from kratom_journal.domain.analysis_input import DoseEvent, Rating
from kratom_journal.domain.moments import local_day
from kratom_journal.domain.uncertainty import (
    Estimate,
    Trend,
    mean_interval,
    ols_slope,
    theil_sen,
)

if TYPE_CHECKING:
    from datetime import time
    from uuid import UUID

BEFORE = timedelta(minutes=60)
AFTER_FROM = timedelta(minutes=30)
AFTER_TO = timedelta(minutes=180)
# Below these counts an interval is too wide to mean anything: say so instead.
MIN_PAIRS = 5
MIN_PAIRS_FOR_SLOPE = 10
MIN_WEEKS_FOR_TREND = 8
MIN_PAIRS_FOR_TREND = 20


@dataclass(frozen=True)
class Band:
    """Doses from `low` grams up to, not including, `high` (open-ended when None)."""

    label: str
    low: float
    high: float | None

    def holds(self, grams: float) -> bool:
        return grams >= self.low and (self.high is None or grams < self.high)


BANDS = (
    Band("under 1 g", 0, 1),
    Band("1-2 g", 1, 2),
    Band("2-3 g", 2, 3),
    Band("3-4 g", 3, 4),
    Band("4-5 g", 4, 5),
    Band("5 g or more", 5, None),
)


def band_of(grams: float) -> Band:
    return next(band for band in BANDS if band.holds(grams))


@dataclass(frozen=True)
class Pair:
    dose: DoseEvent
    before: Rating
    after: Rating

    @property
    def relief(self) -> int:
        """How many points pain fell (negative when it rose)."""
        return self.before.pain - self.after.pain

    @property
    def grams(self) -> float:
        return self.dose.grams


@dataclass(frozen=True)
class Pairing:
    pairs: tuple[Pair, ...]
    stacked: int  # doses left out because another dose came between the check-ins
    unpaired: int  # doses without a check-in before or after
    # Doses with a check-in after them, for side effects (no "before" needed).
    followed: tuple[tuple[DoseEvent, Rating], ...] = ()


def pair_doses(
    doses: Sequence[DoseEvent],
    checkins: Sequence[Rating],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Pairing:
    """Pair each dose in [start, end) with its check-ins; doses outside it still
    count as overlapping. Both sequences may come in any order."""
    doses = sorted(doses, key=lambda dose: dose.at)
    checkins = sorted(checkins, key=lambda checkin: checkin.at)
    dose_times = [dose.at for dose in doses]
    times = [checkin.at for checkin in checkins]
    pairs: list[Pair] = []
    followed: list[tuple[DoseEvent, Rating]] = []
    stacked = unpaired = 0
    for dose in doses:
        if (start is not None and dose.at < start) or (
            end is not None and dose.at >= end
        ):
            continue
        # A check-in at the very moment of the dose was made before taking it.
        index = bisect.bisect_right(times, dose.at) - 1
        before = checkins[index] if index >= 0 else None
        if before is not None and dose.at - before.at > BEFORE:
            before = None
        index = bisect.bisect_left(times, dose.at + AFTER_FROM)
        after = checkins[index] if index < len(checkins) else None
        if after is not None and after.at - dose.at > AFTER_TO:
            after = None
        if after is None:
            unpaired += 1
            continue
        first = before.at if before is not None else dose.at
        low = bisect.bisect_left(dose_times, first)
        # A dose at the after check-in's instant came after it (as above).
        high = bisect.bisect_left(dose_times, after.at)
        if high - low > 1:  # this dose and at least one other
            stacked += 1
            continue
        followed.append((dose, after))
        if before is None:
            unpaired += 1
            continue
        pairs.append(Pair(dose, before, after))
    return Pairing(tuple(pairs), stacked, unpaired, tuple(followed))


@dataclass(frozen=True)
class Relief:
    """Relief in a group of pairs: the mean fall in pain with its interval."""

    pairs: int
    mean_grams: float | None
    estimate: Estimate | None  # None below MIN_PAIRS


def relief_of(pairs: Sequence[Pair]) -> Relief:
    if not pairs:
        return Relief(0, None, None)
    estimate = None
    if len(pairs) >= MIN_PAIRS:
        estimate = mean_interval([pair.relief for pair in pairs])
    return Relief(len(pairs), statistics.fmean(pair.grams for pair in pairs), estimate)


def relief_by_band(pairs: Sequence[Pair]) -> dict[Band, Relief]:
    """Bands that have at least one pair, in dose order."""
    return {
        band: relief_of(members)
        for band in BANDS
        if (members := [pair for pair in pairs if band.holds(pair.grams)])
    }


def relief_by_product(pairs: Sequence[Pair]) -> dict[UUID | None, Relief]:
    """Products (None: no product named) that have at least one pair."""
    groups: dict[UUID | None, list[Pair]] = {}
    for pair in pairs:
        groups.setdefault(pair.dose.product_id, []).append(pair)
    return {product: relief_of(members) for product, members in groups.items()}


def dose_response(
    pairs: Sequence[Pair], bands: Mapping[Band, Relief]
) -> Estimate | None:
    """Extra relief per extra gram (least squares), when two bands have enough pairs."""
    enough = [r for r in bands.values() if r.estimate is not None]
    grams = {pair.grams for pair in pairs}
    if len(enough) < 2 or len(pairs) < MIN_PAIRS_FOR_SLOPE or len(grams) < 2:
        return None
    return ols_slope([(pair.grams, pair.relief) for pair in pairs])


@dataclass(frozen=True)
class ToleranceTrend:
    """Relief per gram, week by week, and its Theil-Sen trend per week."""

    weeks: tuple[tuple[date, float], ...]  # first day of the week, median relief/g
    trend: Trend | None  # None below the minimum data
    pairs: int


def tolerance_trend(
    pairs: Sequence[Pair], zone: tzinfo, boundary: time
) -> ToleranceTrend:
    """Weekly medians of relief per gram, counted in 7-day steps from the first pair."""
    usable = [pair for pair in pairs if pair.grams > 0]
    if not usable:
        return ToleranceTrend((), None, 0)
    first = min(local_day(pair.dose.at, zone, boundary) for pair in usable)
    weekly: dict[int, list[float]] = {}
    for pair in usable:
        week = (local_day(pair.dose.at, zone, boundary) - first).days // 7
        weekly.setdefault(week, []).append(pair.relief / pair.grams)
    points = [
        (week, statistics.median(values)) for week, values in sorted(weekly.items())
    ]
    trend = None
    if len(points) >= MIN_WEEKS_FOR_TREND and len(usable) >= MIN_PAIRS_FOR_TREND:
        trend = theil_sen([(float(week), value) for week, value in points])
    return ToleranceTrend(
        tuple((first + timedelta(weeks=week), value) for week, value in points),
        trend,
        len(usable),
    )


@dataclass(frozen=True)
class SideEffects:
    """How often each side effect was reported after doses in one band."""

    doses: int  # doses with a check-in 30 minutes to 3 hours after
    reported: Mapping[str, int] = field(default_factory=dict)  # effect -> doses


def side_effects_by_band(
    followed: Sequence[tuple[DoseEvent, Rating]],
) -> dict[Band, SideEffects]:
    counts: dict[Band, dict[str, int]] = {}
    doses: dict[Band, int] = {}
    for dose, after in followed:
        band = band_of(dose.grams)
        doses[band] = doses.get(band, 0) + 1
        effects = counts.setdefault(band, {})
        for name, level in after.effects.items():
            if level > 0:
                effects[name] = effects.get(name, 0) + 1
    return {
        band: SideEffects(doses[band], _by_count(counts[band]))
        for band in BANDS
        if band in doses
    }


def _by_count(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
