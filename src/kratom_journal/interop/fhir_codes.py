"""Code systems, codes and small FHIR R4 elements shared by the export's resources.

Codes come from ../shared/research/anchors-pain-nof1.md §4.1-4.3 (LOINC, UNII, UCUM);
what has no standard code uses a code system of ours under one stable base URL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from decimal import Decimal

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
UNII = "http://fdasis.nlm.nih.gov"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# Our own code systems (anchors-pain-nof1.md §4.1: an app-owned CodeSystem).
BASE = "https://kratom-journal.example/fhir"
INSTRUMENTS = f"{BASE}/CodeSystem/instruments"
SIDE_EFFECTS = f"{BASE}/CodeSystem/side-effects"
SEVERITY = f"{BASE}/CodeSystem/severity"
WITHDRAWAL_SYMPTOMS = f"{BASE}/CodeSystem/withdrawal-symptoms"

# UNII codes (anchors-pain-nof1.md §4.1).
KRATOM_UNII = "754HG7WK00"  # Mitragyna speciosa leaf
MITRAGYNINE_UNII = "EP479K822J"
SEVEN_OH_UNII = "2T3TWA75R0"  # 7-hydroxymitragynine

# LOINC codes (anchors-pain-nof1.md §4.1-4.2).
PAIN_NRS = "72514-3"
PAIN_NRS_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PEG_MEAN = "91147-9"
PEG_MEAN_DISPLAY = "Mean score [PEG]"
PEG_PAIN = "75893-8"
PEG_ENJOYMENT = "91145-3"
PEG_ACTIVITY = "91146-1"
SYMPTOM = "75325-1"
SYMPTOM_SEVERITY = "64750-3"

WITHDRAWAL_TOTAL = "withdrawal-checklist-total"

# Resource ids are UUIDs derived from our record ids, so the same journal exports
# the same ids every time and a receiving system can tell repeats from new entries.
_NAMESPACE = uuid5(NAMESPACE_URL, BASE)


def derived_id(*parts: object) -> str:
    return str(uuid5(_NAMESPACE, "/".join(str(part) for part in parts)))


def full_url(resource_id: str | UUID) -> str:
    return f"urn:uuid:{resource_id}"


def reference(resource_id: str | UUID) -> dict[str, Any]:
    return {"reference": full_url(resource_id)}


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"system": system, "code": code}
    if display is not None:
        found["display"] = display
    return found


def concept(
    system: str, code: str, display: str | None = None, *, text: str | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = {"coding": [coding(system, code, display)]}
    if text is not None:
        found["text"] = text
    return found


def number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: 2 stays 2, 2.300 becomes 2.3 (exactly, as text)."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return int(normal)
    return float(normal)


def ucum(value: Decimal, code: str, unit: str | None = None) -> dict[str, Any]:
    return {"value": number(value), "unit": unit or code, "system": UCUM, "code": code}


def local_time(instant: datetime, zone: str) -> str:
    """An instant as a FHIR dateTime with the offset of the zone the person was in."""
    return instant.astimezone(ZoneInfo(zone)).isoformat()


def utc_instant(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def spoken(name: str) -> str:
    """A code such as "dry-mouth" in words: "dry mouth"."""
    return name.replace("-", " ")
