"""Across titration sessions: the minimum effective dose, its trend, side-effect doses.

A rising effective dose over weeks is what tolerance looks like, and the summary
says so plainly; it never calls tolerance a benefit.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.titration import Outcome, Session
from kratom_journal.domain.uncertainty import theil_sen

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

# Below these, a trend is not worth stating (honest numbers: "not enough data yet").
MIN_SESSIONS_FOR_TREND = 3
MIN_DAYS_FOR_TREND = 14
WEEK_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class EffectiveDose:
    sessions: int  # sessions that reached relief
    median_g: Decimal | None
    low_g: Decimal | None
    high_g: Decimal | None
    trend_g_per_week: Decimal | None  # Theil-Sen slope; None when too little data
    trend: str  # one plain sentence
    side_effect_doses: dict[
        str, Decimal
    ]  # effect -> lowest session total it appeared at


def summarize(sessions: Sequence[Session]) -> EffectiveDose:
    relief = [s for s in sessions if s.outcome is Outcome.RELIEF]
    effective = [s.total_g for s in relief]
    side_effects: dict[str, Decimal] = {}
    for session in sessions:
        for check in session.checks:
            for name, level in check.effects.items():
                if level > 0 and check.total_g > 0:
                    side_effects[name] = min(
                        side_effects.get(name, check.total_g), check.total_g
                    )
    if not effective:
        return EffectiveDose(
            0,
            None,
            None,
            None,
            None,
            "No session has reached relief yet, so there is no effective dose.",
            side_effects,
        )
    median = Decimal(str(statistics.median(effective))).quantize(Decimal("0.01"))
    slope, trend = _trend(relief)
    return EffectiveDose(
        len(relief),
        median.normalize(),
        min(effective).normalize(),
        max(effective).normalize(),
        slope,
        trend,
        side_effects,
    )


def _trend(relief: Sequence[Session]) -> tuple[Decimal | None, str]:
    first: datetime = relief[0].started_at
    span_days = (relief[-1].started_at - first).days
    if len(relief) < MIN_SESSIONS_FOR_TREND or span_days < MIN_DAYS_FOR_TREND:
        return None, (
            f"Not enough data for a trend yet: it needs {MIN_SESSIONS_FOR_TREND} "
            f"sessions with relief over at least {MIN_DAYS_FOR_TREND} days "
            f"(now {len(relief)} over {span_days} days)."
        )
    points = [
        ((s.started_at - first).total_seconds() / WEEK_SECONDS, float(s.total_g))
        for s in relief
    ]
    # The median of pairwise slopes: robust to one odd session.
    fitted = theil_sen(points).slope.value
    slope = Decimal(str(fitted)).quantize(Decimal("0.01"))
    weeks = span_days // 7
    if slope > 0:
        return slope, (
            f"Rising: the effective dose has gone up by about {slope} g a week over "
            f"{weeks} weeks. A rising dose for the same relief is what tolerance "
            "looks like; a clinician can help you weigh a break or a taper."
        )
    if slope < 0:
        return slope, (
            f"Falling: about {-slope} g a week less for relief over {weeks} weeks."
        )
    return slope, f"Steady over {weeks} weeks: no sign of tolerance in these sessions."
