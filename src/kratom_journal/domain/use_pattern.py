"""How someone uses kratom over a period: grams a day, doses a day, streaks, rest days.

Grams a day is split into doses a day times grams a dose, because the two ways
of using more (more often, or more each time) call for different conversations.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from kratom_journal.domain.moments import local_day

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import time

    from kratom_journal.domain.analysis_input import DoseEvent

TREND_WINDOWS = (7, 30, 90)


@dataclass(frozen=True)
class WindowTrend:
    """Mean grams a day over the last `days` days against the `days` days before."""

    days: int
    grams_per_day: float
    previous_grams_per_day: float | None  # None when the journal does not reach back


@dataclass(frozen=True)
class UsePattern:
    first_day: date
    last_day: date
    days: int
    use_days: int
    doses: int
    grams: float
    grams_per_day: float  # over every day of the period
    grams_per_use_day: float | None
    doses_per_use_day: float | None
    grams_per_dose: float | None
    current_streak: int  # use days in a row up to the last day (or the day before)
    longest_streak: int
    rest_days: int
    longest_rest: int
    trends: tuple[WindowTrend, ...]
    daily: tuple[tuple[date, float, int], ...]  # day, grams, doses


def use_pattern(
    doses: Sequence[DoseEvent],
    *,
    first_day: date,
    last_day: date,
    zone: tzinfo,
    boundary: time,
    journal_start: date | None = None,
    current_run: int | None = None,
) -> UsePattern:
    """The pattern over the local days first_day..last_day (inclusive).

    `doses` may reach back before `first_day` for the 7/30/90-day comparisons;
    `journal_start` is the first day anything was logged, so days before it are
    not counted as rest days. `current_run` is the run of days with doses up to
    `last_day` over the whole journal (domain/person.py); without it, the period's.
    """
    grams: dict[date, float] = {}
    counts: dict[date, int] = {}
    for dose in doses:
        day = local_day(dose.at, zone, boundary)
        grams[day] = grams.get(day, 0.0) + dose.grams
        counts[day] = counts.get(day, 0) + 1
    span = (last_day - first_day).days + 1
    days = [first_day + timedelta(days=offset) for offset in range(span)]
    used = [counts.get(day, 0) > 0 for day in days]
    use_days = sum(used)
    total_doses = sum(counts.get(day, 0) for day in days)
    total_grams = sum(grams.get(day, 0.0) for day in days)
    # Today may simply not have had its first dose yet.
    if current_run is None:
        current_run = _run_at_end(used if used[-1] else used[:-1])
    return UsePattern(
        first_day=first_day,
        last_day=last_day,
        days=span,
        use_days=use_days,
        doses=total_doses,
        grams=total_grams,
        grams_per_day=total_grams / span,
        grams_per_use_day=total_grams / use_days if use_days else None,
        doses_per_use_day=total_doses / use_days if use_days else None,
        grams_per_dose=total_grams / total_doses if total_doses else None,
        current_streak=current_run,
        # The current run counts whole, though it began before the period.
        longest_streak=max(_longest_run(used, True), current_run),
        rest_days=span - use_days,
        longest_rest=_longest_run(used, False),
        trends=tuple(
            _window(grams, last_day, window, journal_start)
            for window in TREND_WINDOWS
            if window <= span
        ),
        daily=tuple((day, grams.get(day, 0.0), counts.get(day, 0)) for day in days),
    )


def _window(
    grams: dict[date, float], last_day: date, days: int, journal_start: date | None
) -> WindowTrend:
    recent = [grams.get(last_day - timedelta(days=k), 0.0) for k in range(days)]
    previous_first = last_day - timedelta(days=2 * days - 1)
    previous = None
    if journal_start is not None and journal_start <= previous_first:
        previous = statistics.fmean(
            grams.get(last_day - timedelta(days=k), 0.0) for k in range(days, 2 * days)
        )
    return WindowTrend(days, statistics.fmean(recent), previous)


def _run_at_end(flags: Sequence[bool]) -> int:
    run = 0
    for flag in reversed(flags):
        if not flag:
            break
        run += 1
    return run


def _longest_run(flags: Sequence[bool], value: bool) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag == value else 0
        best = max(best, run)
    return best
