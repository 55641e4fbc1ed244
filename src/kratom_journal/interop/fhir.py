"""A journal as a FHIR R4 Bundle (type collection) for a clinician's system.

Plain JSON dicts built from domain records; no FHIR library at run time (the tests
validate the output against the fhir.resources R4B models). Shapes and codes follow
../shared/research/anchors-pain-nof1.md §4: a pseudonymous Patient, Medications
coded with UNII, a MedicationAdministration per dose in UCUM grams, a
MedicationStatement per medication (text only) and Observations (fhir_observations).
Every entry has a urn:uuid fullUrl and resources refer to each other by those.
Free-text notes stay out: they may name people, and the Patient has no name.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.products import ProductForm
from kratom_journal.interop.fhir_codes import (
    KRATOM_UNII,
    MITRAGYNINE_UNII,
    SEVEN_OH_UNII,
    UNII,
    concept,
    derived_id,
    full_url,
    local_time,
    reference,
    ucum,
    utc_instant,
)
from kratom_journal.interop.fhir_observations import (
    checkin_observations,
    withdrawal_observation,
)

if TYPE_CHECKING:
    from datetime import date, datetime
    from uuid import UUID

    from kratom_journal.domain.doses import Dose
    from kratom_journal.domain.medications import Medication
    from kratom_journal.domain.products import Product
    from kratom_journal.domain.profiles import Profile
    from kratom_journal.services.fhir_export import ClinicalRecords

KRATOM_MEDICATION_ID = derived_id("medication", "kratom")
# Forms that are plain leaf, which UNII 754HG7WK00 names; extracts and concentrates
# are described in text only rather than coded as something they are not.
LEAF_FORMS = {ProductForm.LEAF_POWDER, ProductForm.CAPSULES, ProductForm.TEA}
FORM_WORDS = {
    ProductForm.LEAF_POWDER: "leaf powder",
    ProductForm.CAPSULES: "capsules",
    ProductForm.TEA: "tea",
    ProductForm.EXTRACT: "extract",
    ProductForm.SEVEN_OH_CONCENTRATE: "7-OH concentrate",
    ProductForm.OTHER: "product",
}


def patient_id(owner_id: UUID) -> str:
    """Derived from the owner id, which itself stays out of the export."""
    return derived_id("patient", owner_id)


def bundle(records: ClinicalRecords, *, now: datetime) -> dict[str, Any]:
    """The whole export; the same records and `now` give the same JSON."""
    profile = records.profile
    person = patient_id(profile.owner_id)
    products = {product.id: product for product in records.products}
    resources = [patient(profile), kratom_medication()]
    resources += [product_medication(product) for product in records.products]
    resources += [
        administration(dose, person, dose.product_id in products)
        for dose in records.doses
    ]
    resources += [
        statement(medication, person, records.today)
        for medication in records.medications
    ]
    for checkin in records.checkins:
        resources += checkin_observations(checkin, person)
    resources += [
        withdrawal_observation(check, person) for check in records.withdrawal_checks
    ]
    return {
        "resourceType": "Bundle",
        "id": derived_id("bundle", profile.owner_id, utc_instant(now)),
        "type": "collection",
        "timestamp": utc_instant(now),
        "entry": [
            {"fullUrl": full_url(resource["id"]), "resource": resource}
            for resource in resources
        ],
    }


def patient(profile: Profile) -> dict[str, Any]:
    """No name, no contact, no location: a birth year (FHIR allows "YYYY") at most."""
    found: dict[str, Any] = {
        "resourceType": "Patient",
        "id": patient_id(profile.owner_id),
    }
    if profile.birth_year is not None:
        found["birthDate"] = f"{profile.birth_year:04d}"
    return found


def kratom_medication() -> dict[str, Any]:
    return {
        "resourceType": "Medication",
        "id": KRATOM_MEDICATION_ID,
        "code": concept(UNII, KRATOM_UNII, text="Kratom (Mitragyna speciosa) leaf"),
    }


def product_medication(product: Product) -> dict[str, Any]:
    """A product with its batch and, from its lab certificate, alkaloid content."""
    details = ", ".join(part for part in (product.vendor, product.strain) if part)
    text = f"Kratom {FORM_WORDS[product.form]}: {product.name}"
    text += f" ({details})" if details else ""
    code = (
        concept(UNII, KRATOM_UNII, text=text)
        if product.form in LEAF_FORMS
        else {"text": text}
    )
    found: dict[str, Any] = {
        "resourceType": "Medication",
        "id": str(product.id),
        "code": code,
        "form": {"text": FORM_WORDS[product.form]},
    }
    certificate = product.certificate
    if certificate is not None:
        contents = (
            (MITRAGYNINE_UNII, "mitragynine", certificate.mitragynine_pct),
            (SEVEN_OH_UNII, "7-hydroxymitragynine", certificate.seven_oh_pct),
        )
        ingredients = [
            _ingredient(code, name, pct)
            for code, name, pct in contents
            if pct is not None
        ]
        if ingredients:
            found["ingredient"] = ingredients
    if product.batch:
        found["batch"] = {"lotNumber": product.batch}
    return found


def _ingredient(code: str, name: str, pct: Decimal) -> dict[str, Any]:
    """Content per gram from the certificate's percentage: 1.4 % is 14 mg/g."""
    return {
        "itemCodeableConcept": concept(UNII, code, text=name),
        "strength": {
            "numerator": ucum(pct * 10, "mg"),
            "denominator": ucum(Decimal(1), "g"),
        },
    }


def administration(dose: Dose, person: str, known_product: bool) -> dict[str, Any]:
    """One dose in grams, and as entered; a conversion by a default says so."""
    medication = (
        str(dose.product_id)
        if dose.product_id is not None and known_product
        else KRATOM_MEDICATION_ID
    )
    found: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": str(dose.id),
        "status": "completed",
        "medicationReference": reference(medication),
        "subject": reference(person),
        "effectiveDateTime": local_time(dose.taken_at, dose.zone),
        "performer": [{"actor": reference(person)}],
        "dosage": {"text": str(dose.quantity), "dose": ucum(dose.grams, "g")},
    }
    if dose.approximate:
        found["note"] = [
            {
                "text": f"Approximate: entered as {dose.quantity} and converted to "
                "grams with a standard default, not a weighed calibration."
            }
        ]
    return found


def statement(medication: Medication, person: str, today: date) -> dict[str, Any]:
    """Another medicine the person takes or took, as they named it."""
    found: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": str(medication.id),
        "status": "active" if medication.is_current(today) else "stopped",
        "medicationCodeableConcept": {"text": medication.name},
        "subject": reference(person),
        "dateAsserted": utc_instant(medication.created_at),
        "informationSource": reference(person),
    }
    period = {
        key: day.isoformat()
        for key, day in (("start", medication.started), ("end", medication.stopped))
        if day is not None
    }
    if period:
        found["effectivePeriod"] = period
    if medication.dose_text:
        found["dosage"] = [{"text": medication.dose_text}]
    return found
