"""API: the protocols (titration here; taper and trial in their own modules).

Every command is a service call; refusals (an avoid-level finding, a running taper)
answer 409. Response shapes live in `protocol_schemas`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from kratom_journal.services import taper, titration, trial
from kratom_journal.services.entries import CheckInInput
from kratom_journal.services.journal import Journal
from kratom_journal.web.api import protocols_taper, protocols_trial
from kratom_journal.web.api.protocol_schemas import (
    At,
    AtIn,
    CeilingOut,
    Effects,
    FiguresOut,
    Note,
    ProtocolsOut,
    Score,
    SessionOut,
    SummaryOut,
    TaperOut,
    TitrationOut,
    TrialOut,
    effects_list,
)
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import (
    ERRORS,
    CheckInOut,
    DoseOut,
    FindingOut,
    NotBoolean,
)

router = APIRouter(tags=["protocols"], responses=ERRORS)
router.include_router(protocols_taper.router)
router.include_router(protocols_trial.router)


def protocols_view(journal: Journal, now: datetime) -> ProtocolsOut:
    """The page and GET /protocols show the same facts."""
    state = titration.status(journal, now=now)
    return ProtocolsOut(
        titration=TitrationOut(
            session=SessionOut.of(state.session),
            summary=SummaryOut.of(state.summary),
            protocol=FiguresOut.of(state.figures),
            ceilings=[
                CeilingOut(grams=str(c.grams), at=c.at, effects=list(c.effects))
                for c in state.ceilings
            ],
        ),
        taper=TaperOut.of(taper.status(journal, now=now)),
        trial=TrialOut.of(
            trial.status(journal, now=now), protocols_trial.avoid_now(journal, now)
        ),
    )


@router.get("/protocols", response_model=ProtocolsOut)
def get_protocols(journal: JournalDep, now: NowDep) -> ProtocolsOut:
    """The titration session, the taper plan and the trial: where each stands."""
    return protocols_view(journal, now)


# titration ------------------------------------------------------------------------
class TitrationStartIn(BaseModel):
    dose: Annotated[
        str,
        Field(
            min_length=1,
            max_length=40,
            description="The first dose, within the protocol's start range (1-2 g).",
        ),
    ] = "1g"
    product: Annotated[str | None, Field(max_length=200)] = None
    pain: Score | None = Field(
        None,
        description="Pain now, the baseline; needed unless a check-in of the last "
        "30 minutes gives it.",
    )
    target_pain: Score | None = Field(None, description="Pain you would call relief.")
    wait_minutes: Annotated[int | None, Field(ge=1, le=1440), NotBoolean] = Field(
        None, description="Minutes before each check-in, within the protocol's 45-60."
    )
    step_after_minutes: Annotated[int | None, Field(ge=1, le=1440), NotBoolean] = Field(
        None,
        description="Minutes from a dose to the earliest step, within 60-120 "
        "(default 60): effects can still be building for up to two hours.",
    )
    at: At = None


class TitrationCheckInIn(BaseModel):
    pain: Score
    side_effects: Effects = Field(
        default_factory=dict,
        description='Side effects from the list with severity 0-3: {"nausea": 1}.',
    )
    other_effects: Effects = Field(
        default_factory=dict, description="Side effects not on the list, free text."
    )
    note: Note = None
    at: At = None


class TitrationResultOut(BaseModel):
    session: SessionOut | None
    dose: DoseOut | None
    checkin: CheckInOut | None
    findings: list[FindingOut]
    note: str | None
    protocol: FiguresOut

    @classmethod
    def of(cls, outcome: titration.Outcome) -> TitrationResultOut:
        return cls(
            session=SessionOut.of(outcome.session),
            dose=None if outcome.dose is None else DoseOut.of(outcome.dose),
            checkin=None if outcome.checkin is None else CheckInOut.of(outcome.checkin),
            findings=[FindingOut.of(f) for f in outcome.findings],
            note=outcome.note,
            protocol=FiguresOut.of(outcome.figures),
        )


@router.post("/titration/start", response_model=TitrationResultOut, status_code=201)
def start_titration(
    entry: TitrationStartIn, journal: JournalDep, now: NowDep
) -> TitrationResultOut:
    """Run the safety check, record the baseline pain and the start dose. 409 when an
    avoid-level finding stands or a taper plan is running."""
    outcome = titration.start(
        journal,
        titration.StartInput(
            entry.dose,
            entry.product,
            entry.target_pain,
            entry.pain,
            entry.wait_minutes,
            entry.at,
            entry.step_after_minutes,
        ),
        now=now,
    )
    return TitrationResultOut.of(outcome)


@router.post("/titration/checkin", response_model=TitrationResultOut, status_code=201)
def titration_checkin(
    entry: TitrationCheckInIn, journal: JournalDep, now: NowDep
) -> TitrationResultOut:
    """Record the timed check-in; the session's phase and reason say what the
    protocol allows next."""
    outcome = titration.check_in(
        journal,
        CheckInInput(
            entry.pain,
            effects_list(entry.side_effects),
            effects_list(entry.other_effects),
            note=entry.note,
            at=entry.at,
        ),
        now=now,
    )
    return TitrationResultOut.of(outcome)


@router.post("/titration/step", response_model=TitrationResultOut, status_code=201)
def titration_step(
    journal: JournalDep, now: NowDep, entry: AtIn | None = None
) -> TitrationResultOut:
    """Record the step the protocol allows after a check-in. 409 when it allows none
    (too early, side effects, a cap, or an avoid-level finding)."""
    at = None if entry is None else entry.at
    return TitrationResultOut.of(titration.step(journal, at=at, now=now))


@router.post("/titration/stop", response_model=TitrationResultOut)
def titration_stop(
    journal: JournalDep, now: NowDep, entry: AtIn | None = None
) -> TitrationResultOut:
    """End the running session at its current total."""
    at = None if entry is None else entry.at
    return TitrationResultOut.of(titration.stop(journal, at=at, now=now))
