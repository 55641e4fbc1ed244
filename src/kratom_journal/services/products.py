"""Adding, listing and editing products and their lab certificates."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import uuid4

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.products import (
    MAX_CALIBRATION_GRAMS,
    LabCertificate,
    Product,
    parse_decimal,
    parse_form,
    parse_name,
)
from kratom_journal.domain.quantities import parse_grams
from kratom_journal.services.lookups import find_product
from kratom_journal.services.versions import check_version

if TYPE_CHECKING:
    from collections.abc import Callable

    from kratom_journal.services.journal import Journal

PERCENT = (Decimal(0), Decimal(100))
PPM = (Decimal(0), Decimal(100000))
MG_PER_UNIT = (Decimal(0), Decimal(10000))


@dataclass(frozen=True)
class ProductInput:
    """Fields as typed; None means "leave as it is", and a blank text clears an
    optional field (vendor, calibration, certificate values)."""

    name: str | None = None
    form: str | None = None
    vendor: str | None = None
    strain: str | None = None
    batch: str | None = None
    tsp_grams: str | None = None
    capsule_grams: str | None = None
    mitragynine_pct: str | None = None
    seven_oh_pct: str | None = None
    total_alkaloids_pct: str | None = None
    seven_oh_mg_per_unit: str | None = None
    lead_ppm: str | None = None
    arsenic_ppm: str | None = None
    cadmium_ppm: str | None = None
    mercury_ppm: str | None = None
    microbial: str | None = None
    lab_name: str | None = None
    test_date: str | None = None


def _calibration(text: str, field: str) -> Decimal:
    grams = parse_grams(text, field)
    if not 0 < grams <= MAX_CALIBRATION_GRAMS:
        raise InputError(field, f"{grams} g is outside 0-{MAX_CALIBRATION_GRAMS} g")
    return grams


def _microbial(text: str) -> bool:
    value = text.strip().lower()
    if value in ("pass", "passed", "yes", "true"):
        return True
    if value in ("fail", "failed", "no", "false"):
        return False
    raise InputError("microbial", f"{text!r} is not pass or fail")


def _test_date(text: str, today: date) -> date:
    try:
        tested = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("test-date", f"{text!r} is not a date (YYYY-MM-DD)") from None
    if tested > today:
        raise InputError("test-date", f"{tested} is in the future")
    return tested


def apply_input(product: Product, entry: ProductInput, today: date) -> Product:
    """A copy of `product` with every given field parsed and set."""
    changes: dict[str, object] = {}
    if entry.name is not None:
        changes["name"] = parse_name(entry.name)
    if entry.form is not None:
        changes["form"] = parse_form(entry.form)
    for field in ("vendor", "strain", "batch"):
        value = getattr(entry, field)
        if value is not None:
            changes[field] = parse_name(value, field) if value.strip() else None
    for field in ("tsp_grams", "capsule_grams"):
        value = getattr(entry, field)
        if value is not None:
            changes[field] = (
                _calibration(value, field.replace("_", "-")) if value.strip() else None
            )
    certificate = _apply_certificate(
        product.certificate or LabCertificate(), entry, today
    )
    changes["certificate"] = None if certificate.is_empty else certificate
    return dataclasses.replace(product, **changes)  # type: ignore[arg-type]


def _apply_certificate(
    certificate: LabCertificate, entry: ProductInput, today: date
) -> LabCertificate:
    parsers: dict[str, Callable[[str, str], object]] = {
        "mitragynine_pct": _percent,
        "seven_oh_pct": _percent,
        "total_alkaloids_pct": _percent,
        "seven_oh_mg_per_unit": _mg_per_unit,
        "lead_ppm": _ppm,
        "arsenic_ppm": _ppm,
        "cadmium_ppm": _ppm,
        "mercury_ppm": _ppm,
        "microbial": lambda text, _: _microbial(text),
        "lab_name": parse_name,
        "test_date": lambda text, _: _test_date(text, today),
    }
    changes: dict[str, object] = {}
    for field, parse in parsers.items():
        value = getattr(entry, field)
        if value is not None:
            name = "microbial_pass" if field == "microbial" else field
            changes[name] = (
                parse(value, field.replace("_", "-")) if value.strip() else None
            )
    updated = dataclasses.replace(certificate, **changes)  # type: ignore[arg-type]
    _check_total(updated)
    return updated


def _check_total(certificate: LabCertificate) -> None:
    """The total alkaloids hold mitragynine and 7-OH, so cannot be less than both."""
    total = certificate.total_alkaloids_pct
    parts = (certificate.mitragynine_pct or Decimal(0)) + (
        certificate.seven_oh_pct or Decimal(0)
    )
    if total is not None and total < parts:
        raise InputError(
            "total-alkaloids-pct",
            f"{total.normalize():f}% is less than mitragynine + 7-OH "
            f"({parts.normalize():f}%)",
        )


def _percent(text: str, field: str) -> Decimal:
    return parse_decimal(text, field, low=PERCENT[0], high=PERCENT[1])


def _mg_per_unit(text: str, field: str) -> Decimal:
    return parse_decimal(text, field, low=MG_PER_UNIT[0], high=MG_PER_UNIT[1])


def _ppm(text: str, field: str) -> Decimal:
    return parse_decimal(text, field, low=PPM[0], high=PPM[1])


def add_product(
    journal: Journal, entry: ProductInput, *, now: datetime, today: date
) -> Product:
    if entry.name is None:
        raise InputError("name", "is required")
    with journal.transaction() as repo:
        blank = Product(id=uuid4(), owner_id=journal.owner_id, name="-", created_at=now)
        product = apply_input(blank, entry, today)
        if any(p.name.lower() == product.name.lower() for p in repo.products()):
            raise InputError("name", f"a product named {product.name!r} already exists")
        repo.add(product, now)
    return product


def edit_product(
    journal: Journal,
    which: str,
    entry: ProductInput,
    *,
    now: datetime,
    today: date,
    expected: str | None = None,
) -> Product:
    """Change the given fields. With `expected` (the version_of the product a form
    was filled from), refuse with ChangedMeanwhile if it has changed since."""
    with journal.transaction() as repo:
        product = find_product(repo, which)
        check_version(product, expected)
        edited = apply_input(product, entry, today)
        clash = [
            p
            for p in repo.products()
            if p.id != product.id and p.name.lower() == edited.name.lower()
        ]
        if clash:
            raise InputError("name", f"a product named {edited.name!r} already exists")
        if edited != product:
            repo.replace(edited, now)
    return edited


def list_products(journal: Journal) -> list[Product]:
    with journal.transaction(write=False) as repo:
        return repo.products()


def show_product(journal: Journal, which: str) -> Product:
    with journal.transaction(write=False) as repo:
        return find_product(repo, which)
