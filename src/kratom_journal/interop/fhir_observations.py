"""Check-ins and withdrawal checklists as FHIR R4 Observations (category survey).

Shapes follow anchors-pain-nof1.md §4.2: pain as LOINC 72514-3 with valueInteger;
the PEG as its mean (91147-9, UCUM {score}) with the three items as components;
each side effect as a symptom (LOINC 75325-1) with its severity (64750-3); the
checklist total with our own code and each symptom as a component.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.checkins import Severity
from kratom_journal.domain.withdrawal import DISCLAIMER, MAX_TOTAL, SYMPTOMS
from kratom_journal.interop.fhir_codes import (
    INSTRUMENTS,
    LOINC,
    OBSERVATION_CATEGORY,
    PAIN_NRS,
    PAIN_NRS_DISPLAY,
    PEG_ACTIVITY,
    PEG_ENJOYMENT,
    PEG_MEAN,
    PEG_MEAN_DISPLAY,
    PEG_PAIN,
    SEVERITY,
    SIDE_EFFECTS,
    SYMPTOM,
    SYMPTOM_SEVERITY,
    WITHDRAWAL_SYMPTOMS,
    WITHDRAWAL_TOTAL,
    concept,
    derived_id,
    local_time,
    reference,
    spoken,
    ucum,
)

if TYPE_CHECKING:
    from datetime import datetime

    from kratom_journal.domain.checkins import CheckIn, Peg
    from kratom_journal.domain.withdrawal import WithdrawalCheck


def _observation(
    resource_id: str, code: dict[str, Any], patient_id: str, at: datetime, zone: str
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [concept(OBSERVATION_CATEGORY, "survey", "Survey")],
        "code": code,
        "subject": reference(patient_id),
        "effectiveDateTime": local_time(at, zone),
        "performer": [reference(patient_id)],
    }


def checkin_observations(checkin: CheckIn, patient_id: str) -> list[dict[str, Any]]:
    """Pain now, the PEG if given, and one symptom Observation per side effect
    recorded (severity "none" included: it says the person looked and had none)."""
    pain = _observation(
        derived_id(checkin.id, "pain"),
        concept(LOINC, PAIN_NRS, PAIN_NRS_DISPLAY),
        patient_id,
        checkin.at,
        checkin.zone,
    )
    pain["valueInteger"] = checkin.pain
    found = [pain]
    if checkin.peg is not None:
        found.append(_peg(checkin, checkin.peg, patient_id))
    for name in sorted(checkin.side_effects):
        effect = concept(SIDE_EFFECTS, name, text=spoken(name))
        found.append(
            _symptom(
                checkin,
                patient_id,
                derived_id(checkin.id, "side-effect", name),
                effect,
                checkin.side_effects[name],
            )
        )
    for name in sorted(checkin.other_effects):
        found.append(
            _symptom(
                checkin,
                patient_id,
                derived_id(checkin.id, "other-effect", name),
                {"text": spoken(name)},
                checkin.other_effects[name],
            )
        )
    return found


def peg_mean(peg: Peg) -> Decimal:
    """The PEG score: the mean of its three items, to two decimals."""
    total = Decimal(peg.pain + peg.enjoyment + peg.activity)
    return (total / 3).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _peg(checkin: CheckIn, peg: Peg, patient_id: str) -> dict[str, Any]:
    observation = _observation(
        derived_id(checkin.id, "peg"),
        concept(LOINC, PEG_MEAN, PEG_MEAN_DISPLAY),
        patient_id,
        checkin.at,
        checkin.zone,
    )
    observation["valueQuantity"] = ucum(peg_mean(peg), "{score}")
    items = (
        (PEG_PAIN, "Pain on average, past week", peg.pain),
        (
            PEG_ENJOYMENT,
            "Interference with enjoyment of life, past week",
            peg.enjoyment,
        ),
        (PEG_ACTIVITY, "Interference with general activity, past week", peg.activity),
    )
    observation["component"] = [
        {"code": concept(LOINC, code, text=text), "valueInteger": value}
        for code, text, value in items
    ]
    return observation


def _symptom(
    checkin: CheckIn,
    patient_id: str,
    resource_id: str,
    effect: dict[str, Any],
    severity: int,
) -> dict[str, Any]:
    level = Severity(severity).name.lower()
    observation = _observation(
        resource_id,
        concept(LOINC, SYMPTOM, text="Side effect"),
        patient_id,
        checkin.at,
        checkin.zone,
    )
    observation["valueCodeableConcept"] = effect
    observation["component"] = [
        {
            "code": concept(LOINC, SYMPTOM_SEVERITY, text="Severity"),
            "valueCodeableConcept": concept(
                SEVERITY, level, level.capitalize(), text=f"{level} ({severity} of 0-3)"
            ),
        }
    ]
    return observation


def withdrawal_observation(check: WithdrawalCheck, patient_id: str) -> dict[str, Any]:
    """The checklist total (0-30) with each symptom's 0-3 score as a component."""
    observation = _observation(
        derived_id(check.id, WITHDRAWAL_TOTAL),
        concept(
            INSTRUMENTS,
            WITHDRAWAL_TOTAL,
            f"Withdrawal symptom checklist total (0-{MAX_TOTAL})",
        ),
        patient_id,
        check.at,
        check.zone,
    )
    observation["valueInteger"] = check.total
    observation["component"] = [
        {
            "code": concept(WITHDRAWAL_SYMPTOMS, name, SYMPTOMS[name]),
            "valueInteger": check.symptoms[name],
        }
        for name in SYMPTOMS
        if name in check.symptoms
    ]
    observation["note"] = [{"text": DISCLAIMER}]
    return observation
