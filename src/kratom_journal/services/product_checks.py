"""One product against the knowledge base: its lab certificate beside each limit, and
the product rules' findings (7-OH, certificate, contaminants) without a dose."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.domain.findings import Finding, SourceRef, cite, sort_findings
from kratom_journal.domain.product_rules import (
    BOTANICAL_FORMS,
    ELEMENTS,
    certificate_verdict,
    federal_threshold_findings,
    over_limit,
    seven_oh_findings,
    seven_oh_per_unit,
    strength_findings,
)
from kratom_journal.domain.strength import (
    dose_strength,
    is_stronger_than_leaf,
    leaf_content,
    leaf_equivalent,
    seven_oh_share,
)
from kratom_journal.services.safety import knowledge

if TYPE_CHECKING:
    from kratom_journal.domain.facts import FactsLike, LimitLike
    from kratom_journal.domain.products import LabCertificate, Product


@dataclass(frozen=True)
class LimitCheck:
    """One value from the certificate beside its limit from the knowledge base.

    `status` is "within", "over", "pass", "fail" or "not measured"."""

    name: str
    label: str
    measured: Decimal | None
    limit: Decimal | None
    unit: str
    status: str
    limits: tuple[str, ...]
    note: str
    sources: tuple[SourceRef, ...]
    strict: bool = False  # the limit says "less than": a value equal to it is over


@dataclass(frozen=True)
class ProductChecks:
    findings: list[Finding]
    checks: list[LimitCheck]


def check_product(product: Product, *, daily_cap_g: Decimal) -> ProductChecks:
    """Findings and limit checks of one product; raises SafetyCheckUnavailable when
    the knowledge did not load (never "no findings" without it)."""
    facts = knowledge()
    return ProductChecks(
        findings=product_findings(product, facts, daily_cap_g=daily_cap_g),
        checks=limit_checks(product, facts, daily_cap_g=daily_cap_g),
    )


def product_findings(
    product: Product, facts: FactsLike, *, daily_cap_g: Decimal
) -> list[Finding]:
    """What the product rules say about this product, most severe first; its
    certificate judged as `check` judges it (product_rules.certificate_verdict)."""
    return sort_findings(
        [
            *seven_oh_findings(product, facts),
            *federal_threshold_findings(product, facts),
            *strength_findings(product, None, facts),
            *certificate_verdict(product, facts, daily_cap_g=daily_cap_g),
        ]
    )


def _of_kind(facts: FactsLike, kind: str) -> list[LimitLike]:
    return [limit for limit in facts.limits if limit.kind == kind]


def _note(limit: LimitLike) -> str:
    return str(getattr(limit, "note", ""))


def _status(measured: Decimal | None, limit: LimitLike) -> str:
    if measured is None:
        return "not measured"
    return "over" if over_limit(measured, limit) else "within"


def _against(
    limit: LimitLike, name: str, label: str, measured: Decimal | None, unit: str
) -> LimitCheck:
    """A measured value beside one limit, with the limit's note and sources."""
    return LimitCheck(
        name=name,
        label=label,
        measured=measured,
        limit=limit.value,
        unit=unit,
        status=_status(measured, limit),
        limits=(limit.title,),
        note=_note(limit),
        sources=cite(limit),
        strict=limit.strict,
    )


def limit_checks(
    product: Product, facts: FactsLike, *, daily_cap_g: Decimal
) -> list[LimitCheck]:
    """Each limit beside the certificate's value; [] without a certificate."""
    certificate = product.certificate
    if certificate is None or certificate.is_empty:
        return []
    checks = _seven_oh_share(certificate, facts) + _federal(product, facts)
    ppm = {limit.element: limit for limit in _of_kind(facts, "metal-ppm")}
    pde = {limit.element: limit for limit in _of_kind(facts, "metal-pde")}
    for element in ELEMENTS:
        measured = getattr(certificate, f"{element}_ppm")
        if (limit := ppm.get(element)) is not None:
            checks.append(
                _against(limit, f"{element}-ppm", element.capitalize(), measured, "ppm")
            )
        if (limit := pde.get(element)) is not None and measured is not None:
            per_day = measured * daily_cap_g
            label = (
                f"{element.capitalize()} per day if you took your daily "
                f"cap ({daily_cap_g.normalize():f} g) of this batch"
            )
            checks.append(
                _against(limit, f"{element}-per-day", label, per_day, "µg/day")
            )
    checks.append(_microbial(certificate, facts))
    return checks


def _seven_oh_share(certificate: LabCertificate, facts: FactsLike) -> list[LimitCheck]:
    """7-OH as a share of the alkaloids, as the product rule computes it."""
    limits = _of_kind(facts, "seven-oh-share")
    if not limits:
        return []
    share = seven_oh_share(certificate)
    measured = None if share is None or share.percent is None else share.percent
    label = "7-OH share of the alkaloids"
    if share is not None and share.basis == "upper":
        label += " (upper estimate: of mitragynine + 7-OH only)"
    elif share is not None and share.basis == "unknown":
        label += " (cannot judge: only 7-OH is listed)"
    value = None if measured is None else round(measured, 2)
    return [_against(limits[0], "seven-oh-share", label, value, "%")]


def _federal(product: Product, facts: FactsLike) -> list[LimitCheck]:
    """7-OH beside the DEA's proposed threshold that applies to this form."""
    certificate = product.certificate
    pct = certificate.seven_oh_pct if certificate else None
    processed = product.form not in BOTANICAL_FORMS
    kind = "seven-oh-processed-pct" if processed else "seven-oh-botanical-pct"
    checks = [
        _against(limit, kind, "7-OH (DEA proposed threshold)", pct, "%")
        for limit in _of_kind(facts, kind)
    ]
    per_unit = seven_oh_per_unit(product)
    if processed and per_unit is not None:
        checks += [
            _against(
                limit,
                "seven-oh-per-unit-mg",
                "7-OH per unit (DEA proposed threshold)",
                round(per_unit[0], 3),
                "mg",
            )
            for limit in _of_kind(facts, "seven-oh-per-unit-mg")
        ]
    return checks


def _microbial(certificate: LabCertificate, facts: FactsLike) -> LimitCheck:
    limits = _of_kind(facts, "microbial")
    passed = certificate.microbial_pass
    return LimitCheck(
        name="microbial",
        label="Microbial test",
        measured=None,
        limit=None,
        unit="",
        status="not measured" if passed is None else ("pass" if passed else "fail"),
        limits=tuple(limit.title for limit in limits),
        note="",
        sources=cite(*limits),
    )


@dataclass(frozen=True)
class StrengthView:
    """What a dose of a product holds, and its leaf equivalent where it is stronger
    than leaf. `leaf_low_g`/`leaf_high_g` are None for plain leaf, and for a stronger
    product whose strength is unknown (then `unknown` is True)."""

    mitragynine_mg: Decimal | None
    seven_oh_mg: Decimal | None
    leaf_low_g: Decimal | None
    leaf_high_g: Decimal | None
    unknown: bool

    def as_json(self) -> dict[str, object]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else f"{round(value, 2).normalize():f}"

        return {
            "mitragynine_mg": text(self.mitragynine_mg),
            "seven_oh_mg": text(self.seven_oh_mg),
            "leaf_equivalent_g": None
            if self.leaf_low_g is None
            else {"low": text(self.leaf_low_g), "high": text(self.leaf_high_g)},
            "strength_unknown": self.unknown,
        }


def strength_of(grams: Decimal, product: Product | None) -> StrengthView | None:
    """mg per dose from the certificate and the leaf equivalent of a stronger product;
    None when there is nothing to say (no product, plain leaf without values). The
    knowledge loads only for a stronger product; without it the strength counts as
    unknown."""
    strength = dose_strength(grams, product)
    equivalent = None
    if is_stronger_than_leaf(product):
        try:
            leaf = leaf_content(knowledge())
        except SafetyCheckUnavailable:
            leaf = None
        equivalent = leaf_equivalent(grams, product, leaf)
    if strength is None and equivalent is None:
        return None
    return StrengthView(
        mitragynine_mg=strength.mitragynine_mg if strength else None,
        seven_oh_mg=strength.seven_oh_mg if strength else None,
        leaf_low_g=equivalent.low_g if equivalent else None,
        leaf_high_g=equivalent.high_g if equivalent else None,
        unknown=equivalent is not None and not equivalent.known,
    )
