"""Rules about the dose itself: caps, redosing too soon, amount still active."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.findings import Finding, Severity, cite
from kratom_journal.domain.moments import day_bounds, local_day

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kratom_journal.domain.facts import FactsLike, ReferenceLike
    from kratom_journal.domain.safety_input import SafetyInput

# The brief's fixed limits, whatever the person's own caps: above these a dose or a
# day is always at least high-caution.
HARD_DOSE_GRAMS = Decimal(8)
HARD_DAY_GRAMS = Decimal(15)
WAIT_REFERENCE = "protocol-wait-minutes"
HALF_LIFE_REFERENCE = "mitragynine-half-life-tanna"
DOSE_TIERS_REFERENCE = "dose-range-prozialeck-2012"
ACTIVE_WINDOW = timedelta(days=10)


def reference(facts: FactsLike, reference_id: str) -> ReferenceLike | None:
    return next((r for r in facts.dose_references if r.id == reference_id), None)


def _grams(value: Decimal) -> str:
    return f"{value.normalize():f} g"


def findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    proposed = data.proposed
    if proposed is None:
        return
    profile, zone = data.profile, data.zone
    day = local_day(proposed.at, zone, profile.day_boundary)
    start, end = day_bounds(day, zone, profile.day_boundary)
    today = [d for d in data.doses if start <= d.taken_at < end]
    total = proposed.grams + sum((d.grams for d in today), Decimal(0))
    ranges = [r for r in facts.dose_references if r.id == DOSE_TIERS_REFERENCE]

    if proposed.grams > profile.dose_cap_g:
        yield Finding(
            rule="dose:over-dose-cap",
            severity=Severity.HIGH_CAUTION,
            title=f"{_grams(proposed.grams)} is above your per-dose cap of "
            f"{_grams(profile.dose_cap_g)}",
            why="You set this cap as the most you want in one dose.",
            advice="The protocol does not go above your cap. If pain is not controlled "
            "within it, talk to a clinician.",
        )
    if total > profile.daily_cap_g:
        yield Finding(
            rule="dose:over-daily-cap",
            severity=Severity.HIGH_CAUTION,
            title=f"Today's total would be {_grams(total)}, above your daily cap of "
            f"{_grams(profile.daily_cap_g)}",
            why="You set this cap as the most you want in one day.",
            advice="Higher daily amounts go with more tolerance, dependence and side "
            "effects. A clinician can help if pain needs more.",
        )
    if proposed.grams > HARD_DOSE_GRAMS or total > HARD_DAY_GRAMS:
        yield Finding(
            rule="dose:high-amount",
            severity=Severity.HIGH_CAUTION,
            title=f"A large amount: {_grams(proposed.grams)} now, {_grams(total)} today",
            why="Above about 8 g in a dose or 15 g in a day, reported effects shift to "
            "strong sedation, and side effects and dependence become more likely.",
            advice="Never combine large amounts with alcohol or other sedatives, and do not "
            "use alone.",
            sources=cite(*ranges),
        )
    yield from redose_findings(data, facts)
    yield from active_amount_findings(data, facts)


def redose_findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    proposed = data.proposed
    wait = reference(facts, WAIT_REFERENCE)
    if proposed is None or wait is None or wait.typical is None:
        return
    earlier = [d for d in data.doses if d.taken_at <= proposed.at]
    if not earlier:
        return
    last = max(earlier, key=lambda d: d.taken_at)
    minutes = int(wait.typical)
    since = proposed.at - last.taken_at
    if since < timedelta(minutes=minutes):
        until = (last.taken_at + timedelta(minutes=minutes)).astimezone(data.zone)
        yield Finding(
            rule="dose:redose-too-soon",
            severity=Severity.CAUTION,
            title=f"Only {int(since.total_seconds() // 60)} min since the last dose: wait "
            f"until {until:%H:%M}",
            why=f"Effects build for about {minutes} minutes after a dose; a second dose "
            "before then can stack.",
            advice=f"The start-low protocol waits at least {minutes} minutes before "
            "deciding anything.",
            sources=cite(wait),
        )


def active_amount_findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    """Estimated mitragynine still in the body, from the half-life, in dose grams."""
    proposed = data.proposed
    half_life = reference(facts, HALF_LIFE_REFERENCE)
    if proposed is None or half_life is None or half_life.typical is None:
        return
    hours = float(half_life.typical)
    active = float(proposed.grams)
    for dose in data.doses:
        age = proposed.at - dose.taken_at
        if timedelta(0) <= age <= ACTIVE_WINDOW:
            active += float(dose.grams) * 0.5 ** (age.total_seconds() / 3600 / hours)
    if active > float(data.profile.daily_cap_g):
        yield Finding(
            rule="dose:amount-still-active",
            severity=Severity.CAUTION,
            title=f"About {active:.1f} g may still be active, counting earlier doses",
            why=f"Mitragynine's half-life is around {hours:g} hours, so daily doses add up "
            "over several days even when the felt effect has passed.",
            advice="Feeling the effect fade does not mean the last dose has cleared.",
            sources=cite(half_life),
        )
