"""`kratom export --format fhir`: a valid FHIR R4 Bundle that matches the journal."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Kratom
from tests.interop.fhir_checks import check_bundle, resources

LOINC = "http://loinc.org"


def fill(kratom: Kratom) -> None:
    kratom.ok("profile", "set", "--birth-year", "1970")
    kratom.ok(
        "product", "add", "Red Bali", "--vendor", "Acme", "--tsp-grams", "2.3",
        "--mitragynine-pct", "1.4", "--batch", "A12",
    )  # fmt: skip
    kratom.ok("product", "add", "Green Maeng Da")
    kratom.ok("log", "1/2 tsp", "-p", "Red Bali", "--at", "-45m")
    kratom.ok("log", "2g", "--at", "yesterday 20:00", "-p", "Green Maeng Da")
    kratom.ok("log", "1.5g", "--at", "-3h", "--note", "Call Anna Schmidt")
    kratom.ok("log", "1 tsp", "--at", "-5h")  # no calibration: a default, approximate
    deleted = kratom.json("log", "3g")["dose"]["id"]
    kratom.ok("delete", deleted[:8])
    kratom.ok(
        "checkin", "--pain", "4", "--peg", "5,4,4", "-s", "nausea=mild",
        "-s", "constipation=0", "--other-effect", "metallic taste=1",
    )  # fmt: skip
    kratom.ok("checkin", "--pain", "6", "--at", "-2h")
    dropped = kratom.json("checkin", "--pain", "9", "--at", "-1h")["checkin"]["id"]
    kratom.ok("delete", dropped[:8])
    kratom.ok("med", "add", "gabapentin", "--dose", "300 mg 3x/day")
    kratom.ok("med", "add", "ibuprofen", "--started", "2026-10-01")
    kratom.ok("med", "stop", "ibuprofen")
    kratom.ok("withdrawal", "muscle-aches=2", "craving=1")


def export(kratom: Kratom, path: Path) -> dict[str, Any]:
    kratom.ok("export", "--format", "fhir", "-o", str(path))
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def coded(observations: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [o for o in observations if o["code"]["coding"][0]["code"] == code]


@pytest.fixture
def exported(kratom: Kratom, tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The FHIR bundle of a filled journal, and the journal's own JSON export."""
    fill(kratom)
    document = export(kratom, tmp_path / "bundle.json")
    journal = json.loads(kratom.ok("export", "--format", "json").stdout)
    return document, journal


def test_the_bundle_is_valid_and_pseudonymous(
    exported: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    document, journal = exported
    check_bundle(document)
    assert document["timestamp"] == "2026-11-22T14:00:00Z"
    (patient,) = resources(document, "Patient")
    assert patient["birthDate"] == "1970"
    text = json.dumps(document)
    assert journal["owner_id"] not in text
    assert "Anna" not in text  # notes stay out


def test_each_kept_dose_is_an_administration_in_grams(
    exported: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    document, journal = exported
    (patient,) = resources(document, "Patient")
    kept = {d["id"]: d for d in journal["doses"] if d["deleted_at"] is None}
    given = resources(document, "MedicationAdministration")
    assert {g["id"] for g in given} == set(kept) and len(kept) == 4
    for dose in given:
        quantity = dose["dosage"]["dose"]
        assert (quantity["system"], quantity["code"]) == (
            "http://unitsofmeasure.org",
            "g",
        )
        assert Decimal(str(quantity["value"])) == Decimal(kept[dose["id"]]["grams"])
        assert dose["status"] == "completed"
        assert dose["subject"]["reference"] == f"urn:uuid:{patient['id']}"
    spoon = next(g for g in given if g["dosage"]["text"] == "1/2 tsp")
    assert spoon["dosage"]["dose"]["value"] == 1.15  # weighed: 2.3 g a teaspoon
    assert "note" not in spoon
    guessed = next(g for g in given if g["dosage"]["text"] == "1 tsp")
    assert guessed["dosage"]["dose"]["value"] == 2.2
    assert guessed["note"][0]["text"].startswith("Approximate: entered as 1 tsp")


def test_kratom_and_each_product_are_medications_the_doses_refer_to(
    exported: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    document, _ = exported
    given = {
        g["dosage"]["text"]: g for g in resources(document, "MedicationAdministration")
    }
    medications = {m["code"]["text"]: m for m in resources(document, "Medication")}
    assert set(medications) == {
        "Kratom (Mitragyna speciosa) leaf",
        "Kratom leaf powder: Red Bali (Acme)",
        "Kratom leaf powder: Green Maeng Da",
    }
    red = medications["Kratom leaf powder: Red Bali (Acme)"]
    assert red["batch"] == {"lotNumber": "A12"}
    (mitragynine,) = red["ingredient"]
    assert mitragynine["strength"]["numerator"]["value"] == 14  # 1.4 % = 14 mg/g
    red_url = f"urn:uuid:{red['id']}"
    assert given["1/2 tsp"]["medicationReference"]["reference"] == red_url
    kratom_url = f"urn:uuid:{medications['Kratom (Mitragyna speciosa) leaf']['id']}"
    for without_product in ("1.5g", "1 tsp"):
        assert given[without_product]["medicationReference"]["reference"] == kratom_url


def test_medications_are_statements_active_or_stopped(
    exported: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    document, _ = exported
    statements = {
        s["medicationCodeableConcept"]["text"]: s
        for s in resources(document, "MedicationStatement")
    }
    assert statements["gabapentin"]["status"] == "active"
    assert statements["gabapentin"]["dosage"] == [{"text": "300 mg 3x/day"}]
    assert statements["ibuprofen"]["status"] == "stopped"
    assert statements["ibuprofen"]["effectivePeriod"] == {
        "start": "2026-10-01",
        "end": "2026-11-22",
    }


def test_check_ins_and_checklists_are_survey_observations(
    exported: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    document, _ = exported
    observations = resources(document, "Observation")
    pain = coded(observations, "72514-3")
    assert sorted(o["valueInteger"] for o in pain) == [4, 6]  # the deleted 9 is out
    (peg,) = coded(observations, "91147-9")
    assert peg["valueQuantity"]["value"] == 4.33
    assert [
        (c["code"]["coding"][0]["code"], c["valueInteger"]) for c in peg["component"]
    ] == [
        ("75893-8", 5),
        ("91145-3", 4),
        ("91146-1", 4),
    ]
    effects = {
        o["valueCodeableConcept"]["text"]: o["component"][0]["valueCodeableConcept"][
            "text"
        ]
        for o in coded(observations, "75325-1")
    }
    assert effects == {
        "nausea": "mild (1 of 0-3)",
        "constipation": "none (0 of 0-3)",
        "metallic taste": "mild (1 of 0-3)",
    }
    (withdrawal,) = coded(observations, "withdrawal-checklist-total")
    assert withdrawal["valueInteger"] == 3
    assert withdrawal["code"]["coding"][0]["system"] == (
        "https://kratom-journal.example/fhir/CodeSystem/instruments"
    )
    assert len(observations) == len(pain) + 1 + len(effects) + 1


def test_the_same_journal_and_time_export_the_same_bytes(
    kratom: Kratom, tmp_path: Path
) -> None:
    fill(kratom)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    export(kratom, first)
    export(kratom, second)
    assert first.read_bytes() == second.read_bytes()
    later = kratom.ok("export", "--format", "fhir", now="2026-11-22T15:00:00+00:00")
    assert json.loads(later.stdout)["timestamp"] == "2026-11-22T15:00:00Z"


def test_a_new_journal_exports_the_person_and_kratom_only(kratom: Kratom) -> None:
    document = json.loads(kratom.ok("export", "--format", "fhir").stdout)
    check_bundle(document)
    kinds = [entry["resource"]["resourceType"] for entry in document["entry"]]
    assert kinds == ["Patient", "Medication"]
