"""Rules about the product being taken: 7-OH, lab certificates, contaminants."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.findings import Finding, Severity, cite
from kratom_journal.domain.moments import day_bounds, local_day
from kratom_journal.domain.products import Product, ProductForm
from kratom_journal.domain.strength import (
    EXTRACT_WORDS,
    LEAF_CONTENT_REFERENCE,
    alkaloid_mg,
    leaf_content,
    leaf_equivalent,
    seven_oh_share,
)

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
# Botanical material under the DEA's proposal; every other form counts as processed.
BOTANICAL_FORMS = (ProductForm.LEAF_POWDER, ProductForm.CAPSULES, ProductForm.TEA)
# The interaction class whose sources document the harms of concentrated 7-OH.
SEVEN_OH_CLASS = "seven-oh-product"


def findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    if data.proposed is None or data.proposed.product is None:
        return
    product = data.proposed.product
    yield from seven_oh_findings(product, facts)
    yield from federal_threshold_findings(product, facts)
    yield from strength_findings(product, data.proposed.grams, facts)
    # The same verdict on the certificate as `product show` and the report give.
    yield from certificate_verdict(product, facts, daily_cap_g=data.profile.daily_cap_g)
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


def over_limit(measured: Decimal, limit: LimitLike) -> bool:
    """Over a "less than" (strict) limit at or above it; over an "at most" limit only
    above it."""
    return measured >= limit.value if limit.strict else measured > limit.value


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
    share = seven_oh_share(product.certificate)
    if share is None or not share_limits:
        return
    limit = share_limits[0]
    if share.percent is None:
        yield Finding(
            rule="product:seven-oh-share-unknown",
            severity=Severity.INFO,
            title=f"Cannot judge the 7-OH share of {product.name}",
            why="The certificate lists 7-OH but neither mitragynine nor the total "
            "alkaloids, so 7-OH's share of the alkaloids cannot be worked out.",
            advice="Record the certificate's mitragynine or total alkaloids "
            "(`kratom product edit NAME --total-alkaloids-pct ...`).",
            sources=cite(limit),
        )
        return
    if over_limit(share.percent, limit):
        upper = (
            " This is an upper estimate: the certificate gives no total alkaloids, so "
            "only mitragynine and 7-OH were counted."
            if share.basis == "upper"
            else ""
        )
        of = (
            "the total alkaloids"
            if share.basis == "total"
            else "the measured alkaloids"
        )
        yield Finding(
            rule="product:seven-oh-share",
            severity=Severity.AVOID,
            title=f"7-OH is {share.percent:.1f}% of {of} in {product.name}",
            why=f"Natural leaf has at most about {limit.value}% 7-OH among its alkaloids; "
            f"more suggests a fortified product, which is far stronger than leaf.{upper}",
            advice="Avoid this batch; a leaf product with a normal certificate is safer.",
            sources=cite(limit),
        )


def federal_threshold_findings(product: Product, facts: FactsLike) -> Iterator[Finding]:
    """7-OH against the DEA's proposed thresholds: by dry weight for botanical
    material; by percent or mg per unit for processed products."""
    certificate = product.certificate
    if certificate is None:
        return
    pct = certificate.seven_oh_pct
    processed = product.form not in BOTANICAL_FORMS
    kind = "seven-oh-processed-pct" if processed else "seven-oh-botanical-pct"
    for limit in _limits(facts, kind):
        if pct is not None and over_limit(pct, limit):
            yield _federal(product, limit, f"7-OH {pct.normalize():f}%")
    per_unit = seven_oh_per_unit(product)
    if processed and per_unit is not None:
        mg, how = per_unit
        for limit in _limits(facts, "seven-oh-per-unit-mg"):
            if over_limit(mg, limit):
                yield _federal(product, limit, f"{how} 7-OH per unit")


def seven_oh_per_unit(product: Product) -> tuple[Decimal, str] | None:
    """mg 7-OH per unit and how it is known: the certificate's own figure, else the
    capsule's measured grams at the certificate's 7-OH %."""
    certificate = product.certificate
    if certificate is None:
        return None
    if certificate.seven_oh_mg_per_unit is not None:
        mg = certificate.seven_oh_mg_per_unit
        return mg, f"{mg.normalize():f} mg"
    grams, pct = product.capsule_grams, certificate.seven_oh_pct
    if grams is None or pct is None:
        return None
    mg = alkaloid_mg(grams, pct)
    return mg, (f"About {mg:.2f} mg ({grams.normalize():f} g at {pct.normalize():f}%)")


def _federal(product: Product, limit: LimitLike, measured: str) -> Finding:
    return Finding(
        rule=f"product:{limit.kind}",
        severity=Severity.HIGH_CAUTION,
        title=f"{measured} in {product.name}: at or over the DEA's proposed 7-OH "
        "threshold",
        why=f"{limit.title}. This is the threshold in the DEA's notice of intent "
        "(proposed, as of 2026-07-01) to place 7-OH in Schedule I. Natural leaf holds "
        "only trace 7-OH, so more suggests added or concentrated 7-OH, which acts "
        "far more strongly; such products may become illegal to sell or hold.",
        advice="A plain leaf product whose certificate shows trace 7-OH is the safer "
        "choice; never combine this one with other sedatives.",
        sources=cite(limit),
    )


def strength_findings(
    product: Product, grams: Decimal | None, facts: FactsLike
) -> Iterator[Finding]:
    """A product stronger than plain leaf, with its dose as grams of leaf. Without a
    dose, one gram is shown."""
    equivalent = leaf_equivalent(grams or Decimal(1), product, leaf_content(facts))
    if equivalent is None:
        return
    amount = f"{(grams or Decimal(1)).normalize():f} g"
    leaf = [r for r in facts.dose_references if r.id == LEAF_CONTENT_REFERENCE]
    if equivalent.low_g is None or equivalent.high_g is None:
        yield Finding(
            rule="product:strength-unknown",
            severity=Severity.HIGH_CAUTION,
            title=f"{product.name} is {EXTRACT_WORDS.get(product.form, 'a product')} "
            "of unknown strength",
            why="Without a certificate's mitragynine content the strength is unknown, "
            "and it is treated as stronger than leaf: a gram of it may count for many "
            "grams of leaf, so your caps cannot be judged for it.",
            advice="Ask the vendor for the batch's certificate of analysis and record "
            "its mitragynine % (`kratom product edit NAME --mitragynine-pct ...`).",
            sources=cite(*leaf),
        )
        return
    pct = product.certificate.mitragynine_pct if product.certificate else None
    yield Finding(
        rule="product:stronger-than-leaf",
        severity=Severity.HIGH_CAUTION,
        title=f"{amount} of {product.name} is roughly "
        f"{_whole(equivalent.low_g)}-{_whole(equivalent.high_g)} g of leaf",
        why=f"Its certificate gives {pct}% mitragynine; plain leaf holds about 1-2%. "
        "Caps and the daily total count it as leaf grams (the low end of that range).",
        advice="Gram for gram it is far stronger than leaf; doses measured for leaf "
        "do not carry over to it.",
        sources=cite(*leaf),
    )


def _whole(grams: Decimal) -> str:
    """Whole grams above 10 g, one decimal below: the range is rough either way."""
    places = Decimal(1) if grams >= 10 else Decimal("0.1")
    return f"{grams.quantize(places).normalize():f}"


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
        if measured is not None and limit is not None and over_limit(measured, limit):
            yield Finding(
                rule=f"product:{element}-ppm",
                severity=Severity.HIGH_CAUTION,
                title=_over_title(element.capitalize(), measured, limit, "ppm"),
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


def certificate_verdict(
    product: Product, facts: FactsLike, *, daily_cap_g: Decimal
) -> Iterator[Finding]:
    """What the lab certificate says against the limits: the one verdict that
    `check`, `product show`, the products API and the report all give."""
    yield from certificate_findings(product, facts)
    yield from cap_exposure_findings(product, facts, daily_cap_g=daily_cap_g)


def cap_exposure_findings(
    product: Product, facts: FactsLike, *, daily_cap_g: Decimal
) -> Iterator[Finding]:
    """Metals over their permitted daily exposure if the person took their daily cap
    of this batch: a batch under a ppm limit can still be over it, by the gram."""
    certificate = product.certificate
    if certificate is None:
        return
    for limit in _limits(facts, "metal-pde"):
        measured = getattr(certificate, f"{limit.element}_ppm", None)
        if measured is None:
            continue
        exposure = measured * daily_cap_g
        if over_limit(exposure, limit):
            cap = f"{daily_cap_g.normalize():f}"
            yield Finding(
                rule=f"product:{limit.element}-at-daily-cap",
                severity=Severity.CAUTION,
                title=f"{str(limit.element).capitalize()} at your daily cap: about "
                f"{exposure:.1f} µg a day from {cap} g of {product.name}, over the "
                f"permitted daily exposure of {limit.value} µg",
                why=f"{measured} ppm × {cap} g (your daily cap) = {exposure:.1f} µg. "
                "Kratom is taken by the gram, so a low ppm can still add up.",
                advice="A cleaner batch, or less of this one per day, keeps it under.",
                sources=cite(limit),
            )


def _over_title(name: str, measured: Decimal, limit: LimitLike, unit: str) -> str:
    if measured == limit.value:  # only a "less than" limit is over at its value
        return (
            f"{name} {measured} {unit} is at the limit, which requires less than "
            f"{limit.value} {unit}"
        )
    return f"{name} {measured} {unit} is over the {limit.value} {unit} limit"


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
        if over_limit(exposure, limit):
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
