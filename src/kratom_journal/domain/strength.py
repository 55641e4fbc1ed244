"""How strong a dose is: mg of mitragynine and 7-OH from a lab certificate, and a
stronger product's dose expressed as grams of plain leaf.

Amounts are grams of product; a certificate's percentages are w/w, so
mg = grams x percent x 10.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.products import LabCertificate, Product, ProductForm

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from uuid import UUID

    from kratom_journal.domain.doses import Dose
    from kratom_journal.domain.facts import FactsLike

# Plain leaf holds about 1-2% mitragynine; a certificate above this is not plain leaf.
STRONG_MITRAGYNINE_PCT = Decimal(2)
# The forms stronger than leaf whatever their certificate, as a sentence names them.
EXTRACT_WORDS = {
    ProductForm.EXTRACT: "an extract",
    ProductForm.SEVEN_OH_CONCENTRATE: "a 7-OH concentrate",
}
EXTRACT_FORMS = tuple(EXTRACT_WORDS)
# The knowledge entry giving plain leaf's mitragynine content (mg per g, low-high).
LEAF_CONTENT_REFERENCE = "leaf-mitragynine-content"
MG_PER_GRAM_PER_PCT = Decimal(10)


def alkaloid_mg(grams: Decimal, percent: Decimal) -> Decimal:
    """mg of an alkaloid in `grams` of product at `percent` w/w."""
    return grams * percent * MG_PER_GRAM_PER_PCT


@dataclass(frozen=True)
class DoseStrength:
    """What a dose holds by its product's certificate; None where it lists no value."""

    mitragynine_mg: Decimal | None
    seven_oh_mg: Decimal | None


def dose_strength(grams: Decimal, product: Product | None) -> DoseStrength | None:
    """The dose's mg of mitragynine and 7-OH, or None without a certificate value."""
    certificate = product.certificate if product else None
    if certificate is None or (
        certificate.mitragynine_pct is None and certificate.seven_oh_pct is None
    ):
        return None
    return DoseStrength(
        mitragynine_mg=_mg(grams, certificate.mitragynine_pct),
        seven_oh_mg=_mg(grams, certificate.seven_oh_pct),
    )


def _mg(grams: Decimal, percent: Decimal | None) -> Decimal | None:
    return None if percent is None else alkaloid_mg(grams, percent)


def is_stronger_than_leaf(product: Product | None) -> bool:
    """An extract or concentrate, or a certificate above plain leaf's mitragynine."""
    if product is None:
        return False
    certificate = product.certificate
    pct = certificate.mitragynine_pct if certificate else None
    return product.form in EXTRACT_FORMS or (
        pct is not None and pct > STRONG_MITRAGYNINE_PCT
    )


@dataclass(frozen=True)
class LeafContent:
    """Plain leaf's mitragynine, mg per gram, as a range."""

    low_mg_per_g: Decimal
    high_mg_per_g: Decimal


def leaf_content(facts: FactsLike) -> LeafContent | None:
    """Plain leaf's mitragynine from the knowledge base, if it holds the range."""
    for reference in facts.dose_references:
        if reference.id == LEAF_CONTENT_REFERENCE:
            if reference.low is None or reference.high is None:
                return None
            return LeafContent(reference.low, reference.high)
    return None


@dataclass(frozen=True)
class LeafEquivalent:
    """A dose of a stronger product as grams of plain leaf; None when its mitragynine
    content is unknown (the cap cannot be judged)."""

    low_g: Decimal | None
    high_g: Decimal | None

    @property
    def known(self) -> bool:
        return self.low_g is not None


def leaf_equivalent(
    grams: Decimal, product: Product | None, leaf: LeafContent | None
) -> LeafEquivalent | None:
    """None for plain leaf or no product: its grams are already leaf grams."""
    if product is None or not is_stronger_than_leaf(product):
        return None
    pct = product.certificate.mitragynine_pct if product.certificate else None
    if pct is None or leaf is None:
        return LeafEquivalent(None, None)
    mg = alkaloid_mg(grams, pct)
    # The strongest leaf gives the fewest leaf grams: the low end of the range.
    return LeafEquivalent(mg / leaf.high_mg_per_g, mg / leaf.low_mg_per_g)


def cap_grams(
    grams: Decimal, product: Product | None, leaf: LeafContent | None
) -> Decimal | None:
    """The grams a cap judges: leaf grams for plain leaf, the low end of the leaf
    equivalent (never less than the grams) for a stronger product, None when a
    stronger product's strength is unknown."""
    equivalent = leaf_equivalent(grams, product, leaf)
    if equivalent is None:
        return grams
    if equivalent.low_g is None:
        return None
    return max(grams, equivalent.low_g)


@dataclass(frozen=True)
class JudgedTotal:
    """A day's doses in the grams caps judge; `unjudged` names the products whose
    strength is unknown, whose grams are left out of `grams`."""

    grams: Decimal
    raw_grams: Decimal
    unjudged: tuple[str, ...]

    @property
    def converted(self) -> bool:
        return self.grams != self.raw_grams or bool(self.unjudged)


def judged_total(
    doses: Iterable[Dose], products: Mapping[UUID, Product], leaf: LeafContent | None
) -> JudgedTotal:
    total = raw = Decimal(0)
    unjudged: list[str] = []
    for dose in doses:
        product = products.get(dose.product_id) if dose.product_id else None
        raw += dose.grams
        judged = cap_grams(dose.grams, product, leaf)
        if judged is not None:
            total += judged
        elif product is not None and product.name not in unjudged:
            unjudged.append(product.name)
    return JudgedTotal(total, raw, tuple(unjudged))


# -- the 7-OH share of the alkaloids -------------------------------------------------
@dataclass(frozen=True)
class SevenOhShare:
    """7-OH as a percent of the alkaloids. `basis` is "total" (of the stated total
    alkaloids), "upper" (of mitragynine + 7-OH only, so an upper estimate) or
    "unknown" (only 7-OH is listed: the share cannot be judged)."""

    percent: Decimal | None
    basis: str


def seven_oh_share(certificate: LabCertificate | None) -> SevenOhShare | None:
    """None when the certificate lists no 7-OH."""
    if certificate is None or certificate.seven_oh_pct is None:
        return None
    seven_oh = certificate.seven_oh_pct
    total = certificate.total_alkaloids_pct
    if total is not None and total > 0:
        return SevenOhShare(seven_oh / total * 100, "total")
    if certificate.mitragynine_pct is not None and (
        certificate.mitragynine_pct + seven_oh > 0
    ):
        return SevenOhShare(
            seven_oh / (certificate.mitragynine_pct + seven_oh) * 100, "upper"
        )
    return SevenOhShare(None, "unknown")
