"""Check-ins, other intake and history; edit, delete and undo are in entry_changes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from kratom_journal.domain.checkins import urgent_effects
from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.services.entries import CheckInInput, record_checkin, record_intake
from kratom_journal.services.medications import how_read, what_intake_implies
from kratom_journal.services.overview import MAX_HISTORY_DAYS, history
from kratom_journal.web import effects
from kratom_journal.web.api import entry_changes
from kratom_journal.web.api.entry_models import (
    At,
    Effects,
    IntakeKind,
    IntakeOut,
    Note,
    PegIn,
    Score,
    effect_texts,
)
from kratom_journal.web.api.safety import MatchedOut
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import ERRORS, CheckInOut, DoseOut, FindingOut, Source

router = APIRouter(tags=["entries"], responses=ERRORS)
router.include_router(entry_changes.router)


class CheckInIn(BaseModel):
    pain: Score
    side_effects: Effects = Field(
        default={}, description='Known side effects by name, e.g. {"nausea": 1}.'
    )
    other_effects: Effects = Field(
        default={},
        description='Side effects not on the list, free text, e.g. {"hiccups": 1}.',
    )
    peg: PegIn | None = None
    mood: Score | None = None
    energy: Score | None = None
    sleep: Score | None = None
    note: Note | None = None
    at: At | None = None


class UrgentOut(BaseModel):
    effect: str
    name: str
    advice: str
    sources: list[Source]


class CheckedInOut(BaseModel):
    checkin: CheckInOut
    urgent: list[UrgentOut] = Field(
        description="Side effects reported that call for urgent help (serious ones at "
        "any level; sedation and vomiting when severe), with what to do about each."
    )


def urgent_out(names: list[str]) -> list[UrgentOut]:
    return [
        UrgentOut(effect=e.id, name=e.name, advice=e.urgent_advice, sources=e.sources)
        for e in effects.urgent(names)
    ]


@router.post("/checkins", response_model=CheckedInOut, status_code=201)
def post_checkin(entry: CheckInIn, journal: JournalDep, now: NowDep) -> CheckedInOut:
    """Record a check-in: pain now, side effects, PEG, mood, energy, sleep. A serious
    side effect, or severe sedation or vomiting, comes back in `urgent` with the
    advice to get help."""
    checkin = record_checkin(
        journal,
        CheckInInput(
            pain=entry.pain,
            side_effects=effect_texts(entry.side_effects),
            other_effects=effect_texts(entry.other_effects),
            peg=entry.peg.text() if entry.peg else None,
            mood=entry.mood,
            energy=entry.energy,
            sleep=entry.sleep,
            note=entry.note,
            at=entry.at,
        ),
        now=now,
    )
    return CheckedInOut(
        checkin=CheckInOut.of(checkin), urgent=urgent_out(urgent_effects(checkin))
    )


class IntakeIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=120, examples=["beer"])]
    amount: Annotated[str, Field(max_length=60, examples=["2 beers"])] | None = None
    kind: IntakeKind | None = Field(
        None, description="Guessed from the name if left out."
    )
    at: At | None = None
    note: Note | None = None


class IntakeRecordedOut(IntakeOut):
    matched: MatchedOut | None = Field(description="What the name was read as.")
    read: str | None = Field(description="How the name was read, when not plain.")
    findings: list[FindingOut] = Field(
        description="What it implies with kratom for the next 48 hours; a name not "
        "in our list gets a finding that says so."
    )


@router.post("/intakes", response_model=IntakeRecordedOut, status_code=201)
def post_intake(entry: IntakeIn, journal: JournalDep, now: NowDep) -> IntakeRecordedOut:
    """Record other intake (alcohol, caffeine, another substance) for interaction
    checks; answers what the name was read as and what it implies with kratom, as
    POST /medications does. When the knowledge cannot load, it is still recorded
    and `findings` is empty with `read` saying why."""
    intake = record_intake(
        journal,
        entry.name,
        now=now,
        amount=entry.amount,
        kind=entry.kind,
        at=entry.at,
        note=entry.note,
    )
    base = IntakeOut.of(intake).model_dump()
    try:
        resolution, findings = what_intake_implies(intake)
    except SafetyCheckUnavailable as error:
        return IntakeRecordedOut(**base, matched=None, read=str(error), findings=[])
    return IntakeRecordedOut(
        **base,
        matched=MatchedOut.of(resolution),
        read=how_read(intake.name, resolution),
        findings=[FindingOut.of(f) for f in findings],
    )


class HistoryOut(BaseModel):
    since: datetime
    days: int
    doses: list[DoseOut]
    checkins: list[CheckInOut]
    intakes: list[IntakeOut]


@router.get("/history", response_model=HistoryOut)
def get_history(
    journal: JournalDep,
    now: NowDep,
    days: Annotated[int, Query(ge=1, le=MAX_HISTORY_DAYS)] = 7,
) -> HistoryOut:
    """Doses, check-ins and other intake of the last `days` local days, today included."""
    result = history(journal, days=days, now=now)
    return HistoryOut(
        since=result.start,
        days=days,
        doses=[DoseOut.of(d) for d in result.doses],
        checkins=[CheckInOut.of(c) for c in result.checkins],
        intakes=[IntakeOut.of(i) for i in result.intakes],
    )
