"""Checks of a FHIR export beyond what fhir.resources validates: terminology,
units, statuses and references (the library checks structure only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

OURS = "https://kratom-journal.example/fhir/CodeSystem/"
LOINC_CODES = {
    "72514-3",  # pain NRS
    "91147-9",  # PEG mean
    "75893-8",  # PEG pain
    "91145-3",  # PEG enjoyment
    "91146-1",  # PEG activity
    "75325-1",  # symptom
    "64750-3",  # severity of symptoms
}
UNII_CODES = {"754HG7WK00", "EP479K822J", "2T3TWA75R0"}
UCUM_CODES = {"g", "mg", "{score}"}
SYSTEMS = {
    "http://loinc.org",
    "http://fdasis.nlm.nih.gov",
    "http://unitsofmeasure.org",
    "http://terminology.hl7.org/CodeSystem/observation-category",
}
STATUSES = {
    "Observation": {"final"},
    "MedicationAdministration": {"completed"},
    "MedicationStatement": {"active", "stopped"},
}


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside `value`, itself included."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def resources(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        entry["resource"]
        for entry in document["entry"]
        if entry["resource"]["resourceType"] == kind
    ]


def check_bundle(document: dict[str, Any]) -> None:
    """Valid R4(B) structure, and our own rules for codes, units and references."""
    Bundle.model_validate(document)
    assert document["type"] == "collection"
    urls = [entry["fullUrl"] for entry in document["entry"]]
    assert len(set(urls)) == len(urls)
    for entry in document["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        if resource["resourceType"] in STATUSES:
            assert resource["status"] in STATUSES[resource["resourceType"]]
    for node in walk(document["entry"]):
        if "reference" in node:
            assert node["reference"] in urls, node
        if "system" in node and "code" in node:
            system, code = node["system"], node["code"]
            assert system in SYSTEMS or system.startswith(OURS), system
            if system == "http://loinc.org":
                assert code in LOINC_CODES
            elif system == "http://fdasis.nlm.nih.gov":
                assert code in UNII_CODES
            elif system == "http://unitsofmeasure.org":
                assert code in UCUM_CODES and node["unit"] == code
    for observation in resources(document, "Observation"):
        category = observation["category"][0]["coding"][0]
        assert category["code"] == "survey"
    (patient,) = resources(document, "Patient")
    assert set(patient) <= {"resourceType", "id", "birthDate"}
