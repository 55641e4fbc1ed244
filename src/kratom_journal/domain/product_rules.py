"""Rules about the product being taken: 7-OH, lab certificates, contaminants."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.findings import Finding, Severity, cite
from kratom_journal.domain.moments import day_bounds, local_day
from kratom_journal.domain.products import Product, ProductForm

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kratom_journal.domain.facts import FactsLike, LimitLike
    from kratom_journal.domain.safety_input import SafetyInput

# Words on a label that mark a concentrated or semi-synthetic 7-OH product.
ENHANCED_WORDS = (
    "7-oh",
    "7oh",
    "7 oh",
    "hydroxymitragynine",
    "enhanced",
    "pseudoindoxyl",
)
ELEMENTS = ("lead", "arsenic", "cadmium", "mercury")
# The interaction class whose sources document the harms of concentrated 7-OH.
SEVEN_OH_CLASS = "seven-oh-product"


def findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    if data.proposed is None or data.proposed.product is None:
        return
    product = data.proposed.product
    yield from seven_oh_findings(product, facts)
    yield from certificate_findings(product, facts)
    yield from exposure_findings(data, product, facts)


def _limits(facts: FactsLike, kind: str) -> list[LimitLike]:
    return [limit for limit in facts.limits if limit.kind == kind]


def _is_enhanced(product: Product) -> bool:
    label = " ".join(
        filter(None, (product.name, product.strain, product.vendor))
    ).lower()
    return product.form is ProductForm.SEVEN_OH_CONCENTRATE or any(
        word in label for word in ENHANCED_WORDS
    )


def seven_oh_findings(product: Product, facts: FactsLike) -> Iterator[Finding]:
    share_limits = _limits(facts, "seven-oh-share")
    seven_oh_rules = [r for r in facts.interactions if SEVEN_OH_CLASS in r.classes]
    if _is_enhanced(product):
        yield Finding(
            rule="product:seven-oh-concentrate",
            severity=Severity.AVOID,
            title=f"{product.name} looks like a concentrated 7-OH or 'enhanced' product",
            why="Concentrated 7-OH products act far more strongly on opioid receptors than "
            "leaf, without mitragynine's ceiling on breathing suppression; deaths have "
            "been reported.",
            advice="Avoid. If you use it, never alone and never with other sedatives; "
            "carry naloxone.",
            sources=cite(*seven_oh_rules, *share_limits),
        )
        return
    certificate = product.certificate
    if certificate is None or certificate.seven_oh_pct is None or not share_limits:
        return
    limit = share_limits[0]
    alkaloids = (certificate.mitragynine_pct or Decimal(0)) + certificate.seven_oh_pct
    if alkaloids <= 0:
        return
    share = certificate.seven_oh_pct / alkaloids * 100
    if share > limit.value:
        yield Finding(
            rule="product:seven-oh-share",
            severity=Severity.AVOID,
            title=f"7-OH is {share:.1f}% of the measured alkaloids in {product.name}",
            why=f"Natural leaf has at most about {limit.value}% 7-OH among its alkaloids; "
            "more suggests a fortified product, which is far stronger than leaf.",
            advice="Avoid this batch; a leaf product with a normal certificate is safer.",
            sources=cite(limit),
        )


def certificate_findings(product: Product, facts: FactsLike) -> Iterator[Finding]:
    certificate = product.certificate
    ppm_limits = {limit.element: limit for limit in _limits(facts, "metal-ppm")}
    if certificate is None or certificate.is_empty:
        yield Finding(
            rule="product:no-certificate",
            severity=Severity.CAUTION,
            title=f"No lab certificate recorded for {product.name}",
            why="Kratom is unregulated: products have carried Salmonella, lead and nickel, "
            "and labels cannot show what a batch contains.",
            advice="Ask the vendor for the batch's certificate of analysis (COA) and record "
            "it with `kratom product edit`.",
            sources=cite(*ppm_limits.values()),
        )
        return
    for element in ELEMENTS:
        measured = getattr(certificate, f"{element}_ppm")
        limit = ppm_limits.get(element)
        if measured is not None and limit is not None and measured > limit.value:
            yield Finding(
                rule=f"product:{element}-ppm",
                severity=Severity.HIGH_CAUTION,
                title=f"{element.capitalize()} {measured} ppm is over the {limit.value} ppm "
                "limit",
                why=f"{limit.title}.",
                advice="Consider another batch or vendor; heavy metals build up in the body.",
                sources=cite(limit),
            )
    if certificate.microbial_pass is False:
        microbial = _limits(facts, "microbial")
        yield Finding(
            rule="product:microbial-fail",
            severity=Severity.AVOID,
            title=f"{product.name} failed its microbial test",
            why="A failed test means bacteria such as Salmonella may be present.",
            advice="Do not use this batch.",
            sources=cite(*microbial),
        )


def exposure_findings(
    data: SafetyInput, product: Product, facts: FactsLike
) -> Iterator[Finding]:
    """Daily metal exposure: ppm times grams of this product today, in µg/day."""
    certificate = product.certificate
    proposed = data.proposed
    if certificate is None or proposed is None:
        return
    zone = data.zone
    day = local_day(proposed.at, zone, data.profile.day_boundary)
    start, end = day_bounds(day, zone, data.profile.day_boundary)
    grams = proposed.grams + sum(
        (
            d.grams
            for d in data.doses
            if d.product_id == product.id and start <= d.taken_at < end
        ),
        Decimal(0),
    )
    for limit in _limits(facts, "metal-pde"):
        measured = getattr(certificate, f"{limit.element}_ppm", None)
        if measured is None:
            continue
        exposure = measured * grams
        if exposure > limit.value:
            yield Finding(
                rule=f"product:{limit.element}-daily-exposure",
                severity=Severity.HIGH_CAUTION,
                title=f"{str(limit.element).capitalize()} today: about {exposure:.1f} µg, over "
                f"the permitted daily exposure of {limit.value} µg",
                why=f"{measured} ppm × {grams} g of {product.name} today = {exposure:.1f} µg. "
                "Kratom is taken by the gram, so a low ppm can still add up.",
                advice="A cleaner batch, or less of this one per day, lowers the exposure.",
                sources=cite(limit),
            )
