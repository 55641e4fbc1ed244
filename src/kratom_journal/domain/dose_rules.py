"""Rules about the dose itself: caps, redosing too soon, amount still active."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.findings import Finding, Severity, cite
from kratom_journal.domain.moments import day_bounds, local_day
from kratom_journal.domain.strength import (
    LEAF_CONTENT_REFERENCE,
    cap_grams,
    judged_total,
    leaf_content,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from uuid import UUID

    from kratom_journal.domain.facts import FactsLike, ReferenceLike
    from kratom_journal.domain.safety_input import SafetyInput

# This app's fixed alert levels (policy, not a health limit), whatever the person's
# own caps: above these leaf grams a dose or a day is always at least high-caution.
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
    """Caps judge leaf grams: a stronger product's dose counts as its leaf
    equivalent, and a stronger product of unknown strength cannot be judged."""
    proposed = data.proposed
    if proposed is None:
        return
    profile, zone = data.profile, data.zone
    day = local_day(proposed.at, zone, profile.day_boundary)
    start, end = day_bounds(day, zone, profile.day_boundary)
    today = [d for d in data.doses if start <= d.taken_at < end]
    leaf = leaf_content(facts)
    product = proposed.product
    dose_g = cap_grams(proposed.grams, product, leaf)
    earlier = judged_total(today, data.products, leaf)
    unjudged = list(earlier.unjudged)
    if dose_g is None and product is not None and product.name not in unjudged:
        unjudged.insert(0, product.name)
    total = earlier.grams + (dose_g or Decimal(0))
    converted = earlier.converted or dose_g != proposed.grams
    ranges = [r for r in facts.dose_references if r.id == DOSE_TIERS_REFERENCE]
    leaf_refs = [r for r in facts.dose_references if r.id == LEAF_CONTENT_REFERENCE]

    if dose_g is not None and dose_g > profile.dose_cap_g:
        amount = _grams(proposed.grams)
        if dose_g != proposed.grams:
            amount += f" is about {_about(dose_g)} leaf-equivalent,"
        else:
            amount += " is"
        yield Finding(
            rule="dose:over-dose-cap",
            severity=Severity.HIGH_CAUTION,
            title=f"{amount} above your per-dose cap of {_grams(profile.dose_cap_g)}",
            why="The per-dose cap is a setting in your profile (5 g unless you changed "
            "it): this app's limit, not a health limit."
            + (LEAF_NOTE if dose_g != proposed.grams else ""),
            advice="The protocol does not go above your cap. If pain is not controlled "
            "within it, talk to a clinician.",
            sources=cite(*leaf_refs) if dose_g != proposed.grams else (),
        )
    if total > profile.daily_cap_g:
        amount = (
            f"about {_about(total)} leaf-equivalent" if converted else _grams(total)
        )
        yield Finding(
            rule="dose:over-daily-cap",
            severity=Severity.HIGH_CAUTION,
            title=f"Today's total would be {amount}, above your daily cap of "
            f"{_grams(profile.daily_cap_g)}",
            why="The daily cap is a setting in your profile (10 g unless you changed "
            "it): this app's limit, not a health limit."
            + (LEAF_NOTE if converted else ""),
            advice="Higher daily amounts go with more tolerance, dependence and side "
            "effects. A clinician can help if pain needs more.",
            sources=cite(*leaf_refs) if converted else (),
        )
    if unjudged:
        yield Finding(
            rule="dose:cap-not-judged",
            severity=Severity.HIGH_CAUTION,
            title="Your caps cannot be judged for " + ", ".join(unjudged),
            why="An extract or concentrate without a certificate's mitragynine content "
            "is of unknown strength, treated as stronger than leaf; its grams cannot "
            "be compared with caps set in leaf grams, so they are left out of the "
            "totals here.",
            advice="Record the batch's certificate (`kratom product edit NAME "
            "--mitragynine-pct ...`) so that caps can count it.",
            sources=cite(*leaf_refs),
        )
    if (dose_g or Decimal(0)) > HARD_DOSE_GRAMS or total > HARD_DAY_GRAMS:
        leaf_words = " leaf-equivalent" if converted else ""
        yield Finding(
            rule="dose:high-amount",
            severity=Severity.HIGH_CAUTION,
            title=f"A large amount: {_about(dose_g or proposed.grams)}{leaf_words} "
            f"now, {_about(total)} today",
            why="This app always flags more than 8 g of leaf in a dose or 15 g in a "
            "day, whatever your caps. Prozialeck et al. (2012, from traditional use) "
            "describe 5-15 g of dried leaf as opioid-like and more than 15 g as marked "
            "sedation and stupor; side effects and dependence become more likely at "
            "higher amounts.",
            advice="Never combine large amounts with alcohol or other sedatives, and do not "
            "use alone.",
            sources=cite(*ranges),
        )
    yield from redose_findings(data, facts)
    yield from active_amount_findings(data, facts)


LEAF_NOTE = (
    " A stronger product's grams count as grams of plain leaf, at the low end of "
    "the range its certificate's mitragynine gives (plain leaf: about 10-20 mg "
    "per gram)."
)


def _about(value: Decimal) -> str:
    """Exact grams stay as typed; converted ones are rounded to 0.1 g."""
    if value == value.quantize(Decimal("0.001")):
        return _grams(value)
    return f"{value.quantize(Decimal('0.1')).normalize():f} g"


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
    leaf = leaf_content(facts)

    def leaf_grams(grams: Decimal, product_id: UUID | None) -> float:
        product = data.products.get(product_id) if product_id else None
        return float(cap_grams(grams, product, leaf) or grams)

    first = cap_grams(proposed.grams, proposed.product, leaf) or proposed.grams
    converted = first != proposed.grams
    active = float(first)
    for dose in data.doses:
        age = proposed.at - dose.taken_at
        if timedelta(0) <= age <= ACTIVE_WINDOW:
            grams = leaf_grams(dose.grams, dose.product_id)
            converted = converted or grams != float(dose.grams)
            active += grams * 0.5 ** (age.total_seconds() / 3600 / hours)
    if active > float(data.profile.daily_cap_g):
        yield Finding(
            rule="dose:amount-still-active",
            severity=Severity.CAUTION,
            title=f"About {active:.1f} g{' leaf-equivalent' if converted else ''} may "
            "still be active, counting earlier doses",
            why=f"Mitragynine's half-life is around {hours:g} hours, so daily doses add up "
            "over several days even when the felt effect has passed.",
            advice="Feeling the effect fade does not mean the last dose has cleared.",
            sources=cite(half_life),
        )
