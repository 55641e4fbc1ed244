"""Products a person takes, with calibration and an optional lab certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from uuid import UUID

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.quantities import Calibration
from kratom_journal.domain.text import refuse_nul

# Grams per teaspoon or capsule above this are surely a typo.
MAX_CALIBRATION_GRAMS = Decimal(20)


class ProductForm(StrEnum):
    LEAF_POWDER = "leaf-powder"
    CAPSULES = "capsules"
    TEA = "tea"
    EXTRACT = "extract"
    SEVEN_OH_CONCENTRATE = "7oh-concentrate"
    OTHER = "other"


@dataclass(frozen=True)
class LabCertificate:
    """What a certificate of analysis (COA) states for a batch."""

    mitragynine_pct: Decimal | None = None
    seven_oh_pct: Decimal | None = None
    # The whole alkaloid fraction, when the certificate states it: the 7-OH share's
    # denominator (mitragynine + 7-OH alone overstates the share).
    total_alkaloids_pct: Decimal | None = None
    # 7-OH per unit (tablet, capsule, gummy, shot) as the certificate states it.
    seven_oh_mg_per_unit: Decimal | None = None
    lead_ppm: Decimal | None = None
    arsenic_ppm: Decimal | None = None
    cadmium_ppm: Decimal | None = None
    mercury_ppm: Decimal | None = None
    microbial_pass: bool | None = None
    lab_name: str | None = None
    test_date: date | None = None

    @property
    def is_empty(self) -> bool:
        return all(value is None for value in vars(self).values())


@dataclass(frozen=True)
class Product:
    id: UUID
    owner_id: UUID
    name: str
    created_at: datetime
    form: ProductForm = ProductForm.LEAF_POWDER
    vendor: str | None = None
    strain: str | None = None
    batch: str | None = None
    tsp_grams: Decimal | None = None
    capsule_grams: Decimal | None = None
    certificate: LabCertificate | None = None
    deleted_at: datetime | None = None

    @property
    def calibration(self) -> Calibration:
        return Calibration(tsp_grams=self.tsp_grams, capsule_grams=self.capsule_grams)


def parse_form(text: str) -> ProductForm:
    try:
        return ProductForm(text.strip().lower())
    except ValueError:
        choices = ", ".join(form.value for form in ProductForm)
        raise InputError(
            "form", f"{text!r} is not a product form; use one of {choices}"
        ) from None


def parse_decimal(text: str, field: str, *, low: Decimal, high: Decimal) -> Decimal:
    """A finite decimal within [low, high], e.g. a percentage or ppm."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InputError(field, f"{text!r} is not a number") from None
    if not value.is_finite() or not low <= value <= high:
        raise InputError(field, f"{text!r} is outside {low}-{high}")
    return value


def parse_name(text: str, field: str = "name", *, max_length: int = 120) -> str:
    refuse_nul(text, field)
    name = " ".join(text.split())
    if not name:
        raise InputError(field, "is empty")
    if len(name) > max_length:
        raise InputError(field, f"is {len(name)} characters; at most {max_length}")
    return name
