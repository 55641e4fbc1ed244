"""Frequency and dependence signals in the pattern of use, each explained."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.findings import Finding, Severity, SourceRef, cite
from kratom_journal.domain.moments import local_day
from kratom_journal.domain.person import UseHistory, history_from_doses

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kratom_journal.domain.facts import FactsLike
    from kratom_journal.domain.safety_input import SafetyInput

TOLERANCE_STREAK = 5
DEPENDENCE_STREAK = 14
MANY_DOSES_A_DAY = 3
RISE_RATIO = Decimal("1.25")
RISE_WEEK = 7
RISE_GAP = 28  # the week compared starts this many days before today
DRIFT = timedelta(minutes=60)
GAP_SHRINK = 0.75
MIN_DAYS = 4
DEPENDENCE_REFERENCES = (
    "dependence-frequency",
    "dependence-tolerance",
    "dependence-severity",
)


def _by_day(data: SafetyInput) -> dict[date, list[datetime]]:
    zone, boundary = data.zone, data.profile.day_boundary
    days: dict[date, list[datetime]] = defaultdict(list)
    times = [d.taken_at for d in data.doses]
    if data.proposed is not None:
        times.append(data.proposed.at)
    for taken in sorted(times):
        days[local_day(taken, zone, boundary)].append(taken)
    return days


def _grams_by_day(data: SafetyInput) -> dict[date, Decimal]:
    zone, boundary = data.zone, data.profile.day_boundary
    grams: dict[date, Decimal] = defaultdict(Decimal)
    for dose in data.doses:
        grams[local_day(dose.taken_at, zone, boundary)] += dose.grams
    if data.proposed is not None:
        grams[local_day(data.proposed.at, zone, boundary)] += data.proposed.grams
    return grams


def _history(data: SafetyInput) -> UseHistory:
    if data.history is not None:
        return data.history
    return history_from_doses(
        (d.taken_at for d in data.doses), data.zone, data.profile.day_boundary
    )


def findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    sources = cite(*[r for r in facts.dose_references if r.id in DEPENDENCE_REFERENCES])
    at = data.proposed.at if data.proposed is not None else data.now
    today = local_day(at, data.zone, data.profile.day_boundary)
    days = _by_day(data)
    history = _history(data)

    # Over the whole journal; a today without a dose yet keeps yesterday's run.
    streak = history.current_run(today, used_today=data.proposed is not None)
    if streak >= DEPENDENCE_STREAK:
        yield Finding(
            rule="pattern:daily-use-dependence",
            severity=Severity.CAUTION,
            title=f"{streak} days in a row with kratom",
            why="Daily use for weeks builds physical dependence: stopping suddenly can "
            "bring opioid-like withdrawal (aches, restlessness, poor sleep, craving).",
            advice="If you want to cut down, a gradual taper is easier than stopping at "
            "once (`kratom taper plan`, with a clinician if you can).",
            sources=sources,
        )
    elif streak >= TOLERANCE_STREAK:
        yield Finding(
            rule="pattern:daily-use-tolerance",
            severity=Severity.INFO,
            title=f"{streak} days in a row with kratom",
            why="Regular use builds tolerance: the same dose does less over time.",
            advice="Rest days help keep the smallest effective dose small.",
            sources=sources,
        )
    count = len(days.get(today, []))
    if count >= MANY_DOSES_A_DAY:
        yield Finding(
            rule="pattern:many-doses-a-day",
            severity=Severity.CAUTION,
            title=f"Dose number {count} today",
            why="Withdrawal and use-disorder symptoms rise with how often people dose, "
            "more than with the amount.",
            advice="Fewer doses a day is one of the levers for keeping dependence low.",
            sources=sources,
        )
    yield from _rising_amount(data, today, history, sources)
    yield from _drift_and_gaps(days, today, data, sources)


def _rising_amount(
    data: SafetyInput,
    today: date,
    history: UseHistory,
    sources: tuple[SourceRef, ...],
) -> Iterator[Finding]:
    # Days before the journal began are unknown, not zero use: no comparison
    # until the journal covers the whole earlier week.
    if not history.covers(today - timedelta(days=RISE_GAP + RISE_WEEK - 1)):
        return
    grams = _grams_by_day(data)
    recent = sum(
        (grams.get(today - timedelta(days=i), Decimal(0)) for i in range(RISE_WEEK)),
        Decimal(0),
    )
    earlier = sum(
        (
            grams.get(today - timedelta(days=RISE_GAP + i), Decimal(0))
            for i in range(RISE_WEEK)
        ),
        Decimal(0),
    )
    if earlier > 0 and recent >= earlier * RISE_RATIO:
        rise = (recent / earlier - 1) * 100
        yield Finding(
            rule="pattern:rising-amount",
            severity=Severity.CAUTION,
            title=f"Average use is up {rise:.0f}% on four weeks ago "
            f"({recent / 7:.1f} g/day against {earlier / 7:.1f} g/day)",
            why="A rising amount for the same relief is how tolerance shows.",
            advice="It may be worth a talk with a clinician, or a planned rest or taper.",
            sources=sources,
        )


def _minutes_after_boundary(moment: datetime, data: SafetyInput) -> int:
    local = moment.astimezone(data.zone)
    boundary = data.profile.day_boundary
    return (
        local.hour * 60 + local.minute - boundary.hour * 60 - boundary.minute
    ) % 1440


def _drift_and_gaps(
    days: dict[date, list[datetime]],
    today: date,
    data: SafetyInput,
    sources: tuple[SourceRef, ...],
) -> Iterator[Finding]:
    recent = [days[d] for d in days if 0 <= (today - d).days < 7]
    earlier = [days[d] for d in days if 7 <= (today - d).days < 35]
    if len(recent) < MIN_DAYS or len(earlier) < MIN_DAYS:
        return
    first_recent = statistics.median(
        _minutes_after_boundary(t[0], data) for t in recent
    )
    first_earlier = statistics.median(
        _minutes_after_boundary(t[0], data) for t in earlier
    )
    if first_earlier - first_recent >= DRIFT.total_seconds() / 60:
        yield Finding(
            rule="pattern:first-dose-earlier",
            severity=Severity.INFO,
            title=f"The first dose of the day has moved {first_earlier - first_recent:.0f} "
            "minutes earlier",
            why="Needing the first dose sooner after waking can be an early sign of "
            "dependence (morning withdrawal).",
            advice="Worth noticing; a check-in before the first dose shows whether it is "
            "pain or withdrawal.",
            sources=sources,
        )
    gaps_recent = _gaps(recent)
    gaps_earlier = _gaps(earlier)
    if len(gaps_recent) >= MIN_DAYS and len(gaps_earlier) >= MIN_DAYS:
        now_gap, then_gap = (
            statistics.median(gaps_recent),
            statistics.median(gaps_earlier),
        )
        if now_gap <= then_gap * GAP_SHRINK:
            yield Finding(
                rule="pattern:gaps-shrinking",
                severity=Severity.INFO,
                title=f"Time between doses is shorter: about {now_gap / 60:.1f} h now "
                f"against {then_gap / 60:.1f} h before",
                why="Shorter gaps for the same relief suggest tolerance.",
                advice="Longer gaps and rest days slow tolerance down.",
                sources=sources,
            )


def _gaps(days: list[list[datetime]]) -> list[float]:
    return [
        (later - earlier).total_seconds() / 60
        for times in days
        for earlier, later in itertools.pairwise(times)
    ]
