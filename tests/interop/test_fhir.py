"""The FHIR bundle built from records directly: empty journals, products, numbers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kratom_journal.domain.checkins import Peg
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.products import LabCertificate, Product, ProductForm
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.quantities import parse_quantity
from kratom_journal.interop.fhir import KRATOM_MEDICATION_ID, bundle, product_medication
from kratom_journal.interop.fhir_codes import number
from kratom_journal.interop.fhir_observations import peg_mean
from kratom_journal.services.fhir_export import ClinicalRecords
from tests.interop.fhir_checks import check_bundle, resources

NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
OWNER = UUID("00000000-0000-4000-8000-000000000001")


def records(**kinds: object) -> ClinicalRecords:
    profile = Profile(owner_id=OWNER, timezone="Europe/Berlin")
    return ClinicalRecords(profile=profile, today=date(2026, 11, 22), **kinds)  # type: ignore[arg-type]


@given(
    birth_year=st.none() | st.integers(1906, 2008),
    zone=st.sampled_from(["Europe/Berlin", "America/Chicago", "Asia/Bangkok", "UTC"]),
    now=st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.just(UTC),
    ),
)
def test_an_empty_journal_exports_just_the_person_and_kratom(
    birth_year: int | None, zone: str, now: datetime
) -> None:
    profile = Profile(owner_id=uuid4(), timezone=zone, birth_year=birth_year)
    document = bundle(ClinicalRecords(profile=profile, today=now.date()), now=now)
    check_bundle(document)
    kinds = [entry["resource"]["resourceType"] for entry in document["entry"]]
    assert kinds == ["Patient", "Medication"]
    (patient,) = resources(document, "Patient")
    assert patient.get("birthDate") == (None if birth_year is None else str(birth_year))
    assert str(profile.owner_id) not in json.dumps(document)
    (kratom,) = resources(document, "Medication")
    assert kratom["code"]["coding"] == [
        {"system": "http://fdasis.nlm.nih.gov", "code": "754HG7WK00"}
    ]


@pytest.mark.parametrize(
    ("items", "mean"),
    [
        ((0, 0, 0), "0.00"),
        ((10, 10, 10), "10.00"),
        ((5, 4, 4), "4.33"),
        ((6, 5, 6), "5.67"),
        ((1, 0, 0), "0.33"),
    ],
)
def test_the_peg_score_is_the_mean_of_its_items(
    items: tuple[int, int, int], mean: str
) -> None:
    assert peg_mean(Peg(*items)) == Decimal(mean)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2", 2),
        ("2.300", 2.3),
        ("1.15", 1.15),
        ("0.001", 0.001),
        ("14.0", 14),
        ("50", 50),
    ],
)
def test_decimals_become_json_numbers_with_the_same_digits(
    value: str, expected: float
) -> None:
    written = number(Decimal(value))
    assert written == expected and Decimal(str(written)) == Decimal(value)


def product(form: ProductForm, certificate: LabCertificate | None = None) -> Product:
    return Product(
        id=uuid4(),
        owner_id=OWNER,
        name="Red Bali",
        created_at=NOW,
        form=form,
        vendor="Acme",
        batch="A12",
        certificate=certificate,
    )


@pytest.mark.parametrize(
    ("form", "coded"),
    [
        (ProductForm.LEAF_POWDER, True),
        (ProductForm.CAPSULES, True),
        (ProductForm.TEA, True),
        (ProductForm.EXTRACT, False),
        (ProductForm.SEVEN_OH_CONCENTRATE, False),
        (ProductForm.OTHER, False),
    ],
)
def test_only_leaf_products_carry_the_kratom_leaf_code(
    form: ProductForm, coded: bool
) -> None:
    medication = product_medication(product(form))
    assert ("coding" in medication["code"]) is coded
    assert "Red Bali (Acme)" in medication["code"]["text"]
    assert medication["batch"] == {"lotNumber": "A12"}
    assert "ingredient" not in medication


def test_certificate_percentages_become_milligrams_per_gram() -> None:
    certificate = LabCertificate(
        mitragynine_pct=Decimal("1.4"), lead_ppm=Decimal("0.3")
    )
    medication = product_medication(product(ProductForm.LEAF_POWDER, certificate))
    (ingredient,) = medication["ingredient"]
    assert ingredient["itemCodeableConcept"]["coding"][0]["code"] == "EP479K822J"
    strength = ingredient["strength"]
    assert (strength["numerator"]["value"], strength["numerator"]["code"]) == (14, "mg")
    assert (strength["denominator"]["value"], strength["denominator"]["code"]) == (
        1,
        "g",
    )


def test_a_dose_of_a_product_not_exported_refers_to_kratom() -> None:
    dose = Dose(
        id=uuid4(),
        owner_id=OWNER,
        taken_at=NOW,
        zone="Europe/Berlin",
        grams=Decimal("2.5"),
        quantity=parse_quantity("2.5 g", "amount"),
        approximate=False,
        created_at=NOW,
        product_id=uuid4(),
    )
    document = bundle(records(doses=(dose,)), now=NOW)
    check_bundle(document)
    (given_dose,) = resources(document, "MedicationAdministration")
    assert given_dose["medicationReference"] == {
        "reference": f"urn:uuid:{KRATOM_MEDICATION_ID}"
    }
    assert given_dose["effectiveDateTime"] == "2026-11-22T15:00:00+01:00"
    assert given_dose["dosage"]["dose"]["value"] == 2.5
    assert "note" not in given_dose


def broken_reference(document: dict[str, Any]) -> None:
    resources(document, "MedicationAdministration")[0]["subject"] = {
        "reference": "urn:uuid:00000000-0000-4000-8000-000000000009"
    }


def wrong_unit(document: dict[str, Any]) -> None:
    resources(document, "MedicationAdministration")[0]["dosage"]["dose"]["code"] = (
        "[tsp_us]"
    )


def wrong_code(document: dict[str, Any]) -> None:
    resources(document, "Medication")[0]["code"]["coding"][0]["code"] = "754HG7WK01"


def bad_date(document: dict[str, Any]) -> None:
    resources(document, "MedicationAdministration")[0]["effectiveDateTime"] = (
        "22.11.2026"
    )


@pytest.mark.parametrize("damage", [broken_reference, wrong_unit, wrong_code, bad_date])
def test_the_checks_notice_a_damaged_bundle(
    damage: Callable[[dict[str, Any]], None],
) -> None:
    dose = Dose(
        id=uuid4(),
        owner_id=OWNER,
        taken_at=NOW,
        zone="UTC",
        grams=Decimal(2),
        quantity=parse_quantity("2 g", "amount"),
        approximate=False,
        created_at=NOW,
    )
    document = bundle(records(doses=(dose,)), now=NOW)
    check_bundle(document)
    damage(document)
    with pytest.raises((AssertionError, ValueError)):
        check_bundle(document)
