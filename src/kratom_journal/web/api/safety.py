"""Medications, the standing safety check and the dose check: GET/POST /medications,
POST /medications/{which}/stop, GET /safety, POST /safety/check."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from kratom_journal.domain.acknowledgements import Review
from kratom_journal.domain.products import parse_name
from kratom_journal.services.acknowledgements import review_result, reviewed_now
from kratom_journal.services.entries import MAX_NOTE
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.medications import (
    add_medication,
    how_read,
    interactions_of,
    list_medications,
    stop_medication,
)
from kratom_journal.services.profiles import show_profile
from kratom_journal.services.safety import check_dose
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import ERRORS, Amount, At, FindingOut, ProductName

router = APIRouter(tags=["safety"], responses=ERRORS)


def local_today(journal: Journal, now: datetime) -> date:
    """Today's calendar date in the person's time zone (as the CLI counts it)."""
    return now.astimezone(parse_zone(show_profile(journal).timezone)).date()


# -- medications ----------------------------------------------------------------------


class MedicationOut(BaseModel):
    id: str
    name: str
    dose_text: str | None
    started: date | None
    stopped: date | None
    note: str | None
    created_at: datetime

    @classmethod
    def of(cls, medication: Any) -> MedicationOut:
        return cls(
            id=str(medication.id),
            name=medication.name,
            dose_text=medication.dose_text,
            started=medication.started,
            stopped=medication.stopped,
            note=medication.note,
            created_at=medication.created_at,
        )


class MedicationsOut(BaseModel):
    medications: list[MedicationOut]


class MatchedOut(BaseModel):
    id: str
    name: str
    by: str = Field(
        description='How the name matched: "name", "brand", "misspelling", "alias" '
        '(an everyday word), "label" (found in label text such as "Oxycodone HCl '
        '10 mg") or "close" (the closest spelling, checked as that substance).'
    )

    @classmethod
    def of(cls, resolution: Any) -> MatchedOut | None:
        found = resolution.substance
        if found is None:
            return None
        return cls(id=found.id, name=found.name, by=resolution.matched_by)


class MedicationIn(BaseModel):
    name: Annotated[
        str,
        Field(
            min_length=1,
            max_length=120,
            description="The name on the label: generic or brand.",
            examples=["gabapentin"],
        ),
    ]
    dose_text: Annotated[
        str | None,
        Field(max_length=120, description="As on the label: '300 mg 3x/day'."),
    ] = None
    started: Annotated[
        str | None, Field(max_length=20, description="YYYY-MM-DD or 'today'.")
    ] = None
    note: Annotated[str | None, Field(max_length=MAX_NOTE)] = None


class MedicationAddedOut(BaseModel):
    medication: MedicationOut
    matched: MatchedOut | None
    read: str | None = Field(
        description="How the name was read, when that is not plain, e.g. "
        "\"Read 'zolpidm' as zolpidem, the closest name in our list; ...\"."
    )
    findings: list[FindingOut]


class StopIn(BaseModel):
    on: Annotated[
        str | None,
        Field(max_length=20, description="When it was stopped (default today)."),
    ] = None


class StoppedOut(BaseModel):
    medication: MedicationOut


@router.get("/medications", response_model=MedicationsOut)
def get_medications(
    journal: JournalDep,
    now: NowDep,
    include_stopped: Annotated[
        bool, Query(description="Also list stopped medications.")
    ] = False,
) -> MedicationsOut:
    """Your current medications (and stopped ones with `include_stopped`)."""
    medications = list_medications(
        journal, today=local_today(journal, now), include_stopped=include_stopped
    )
    return MedicationsOut(medications=[MedicationOut.of(m) for m in medications])


@router.post("/medications", response_model=MedicationAddedOut, status_code=201)
def post_medication(
    entry: MedicationIn, journal: JournalDep, now: NowDep
) -> MedicationAddedOut:
    """Add a medication and answer what it matched and its kratom interactions.

    A name not in our list is still added, with a finding saying it is unknown.
    When the knowledge cannot load the answer is 503 and nothing is added.
    """
    name = parse_name(entry.name)
    resolution, findings = interactions_of(name)  # refuses before adding (503)
    medication = add_medication(
        journal,
        name,
        now=now,
        today=local_today(journal, now),
        dose_text=entry.dose_text,
        started=entry.started,
        note=entry.note,
    )
    return MedicationAddedOut(
        medication=MedicationOut.of(medication),
        matched=MatchedOut.of(resolution),
        read=how_read(name, resolution),
        findings=[FindingOut.of(f) for f in findings],
    )


@router.post("/medications/{which}/stop", response_model=StoppedOut)
def post_stop_medication(
    which: Annotated[
        str,
        Path(
            min_length=1, max_length=120, description="Its name, or its id (or prefix)."
        ),
    ],
    journal: JournalDep,
    now: NowDep,
    body: StopIn | None = None,
) -> StoppedOut:
    """Mark a current medication as stopped (today, or on `on`); it is kept in history."""
    medication = stop_medication(
        journal,
        which,
        now=now,
        today=local_today(journal, now),
        on=body.on if body else None,
    )
    return StoppedOut(medication=MedicationOut.of(medication))


# -- the safety check -----------------------------------------------------------------


class SafetyOut(BaseModel):
    findings: list[FindingOut]
    acknowledged_findings: list[FindingOut] = Field(
        default=[],
        description="Standing findings (a medication's, a condition's) acknowledged "
        "and unchanged since: to list in one line.",
    )
    blocked: bool = Field(
        description="True when a finding not acknowledged is at avoid level: a dose "
        "then needs confirmation."
    )

    @classmethod
    def of(cls, reviewed: Review, **extra: Any) -> Any:
        return cls(
            findings=[FindingOut.of(f) for f in reviewed.open],
            acknowledged_findings=[FindingOut.of(f) for f, _ in reviewed.acknowledged],
            blocked=bool(reviewed.avoid),
            **extra,
        )


class CheckIn(BaseModel):
    amount: Amount
    product: ProductName = None
    at: At = None


class CheckOut(SafetyOut):
    grams: str
    at: datetime
    product_id: str | None


@router.get("/safety", response_model=SafetyOut)
def get_safety(journal: JournalDep, now: NowDep) -> SafetyOut:
    """The standing findings: medications, conditions, law, patterns of use."""
    _, reviewed = reviewed_now(journal, now=now)
    result: SafetyOut = SafetyOut.of(reviewed)
    return result


@router.post("/safety/check", response_model=CheckOut)
def post_check(entry: CheckIn, journal: JournalDep, now: NowDep) -> CheckOut:
    """What the rules say about a proposed dose, before taking it. Writes nothing."""
    result = check_dose(
        journal, entry.amount, product=entry.product, at=entry.at, now=now
    )
    proposed = result.proposed
    assert proposed is not None
    checked: CheckOut = CheckOut.of(
        review_result(journal, result, now=now),
        grams=str(proposed.grams),
        at=proposed.at,
        product_id=None if proposed.product is None else str(proposed.product.id),
    )
    return checked
