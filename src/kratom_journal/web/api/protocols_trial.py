"""API: N-of-1 trials: design, daily rating, stop."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, StringConstraints

from kratom_journal.domain.errors import InputError, SafetyCheckUnavailable
from kratom_journal.services import trial
from kratom_journal.services.entries import CheckInInput
from kratom_journal.web.api.protocol_schemas import (
    PREVIEW,
    At,
    AtIn,
    Effects,
    Note,
    Score,
    TrialRecordOut,
    effects_list,
)
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import CheckInOut, FindingOut, Flag, NotBoolean, Source

if TYPE_CHECKING:
    from kratom_journal.domain.findings import Finding
    from kratom_journal.services.journal import Journal

router = APIRouter()


def avoid_now(journal: Journal, now: datetime) -> list[Finding]:
    """Avoid-level findings about the running trial's regimen today, if any."""
    try:
        return trial.standing_avoid(journal, now=now)
    except SafetyCheckUnavailable:
        return []  # the check could not run: nothing is shown, nothing called safe


Label = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class TrialDesignIn(BaseModel):
    regimen_a: Label = Field(description="Regimen A, e.g. '2 g'.")
    regimen_b: Label = Field(description="Regimen B, e.g. '3 g'.")
    pairs: Annotated[int, Field(ge=3, le=6)] = trial.DEFAULT_PAIRS
    period_days: Annotated[int, Field(ge=7, le=14)] = trial.DEFAULT_PERIOD_DAYS
    washout_days: Annotated[int, Field(ge=2, le=3), NotBoolean] = (
        trial.DEFAULT_WASHOUT_DAYS
    )
    outcome: Literal["peg", "nrs"] = "peg"
    start: date | None = Field(None, description="First day; default today.")
    seed: Annotated[int | None, Field(ge=0, lt=2**63), NotBoolean] = None
    preview: Flag = Field(
        False, description="Draw the design and run its safety check without saving."
    )
    confirm: Flag = Field(
        False,
        description="Acknowledge the high-caution findings the preview shows; an "
        "avoid-level finding still refuses the trial.",
    )


class SourcedNoteOut(BaseModel):
    text: str
    sources: list[Source]


class TrialDesignOut(BaseModel):
    saved: bool
    trial: TrialRecordOut
    notes: list[str]
    findings: list[FindingOut]  # the safety check of both regimens' daily amounts
    dependence: SourcedNoteOut | None  # daily use for weeks builds dependence


@router.post(
    "/trial/design",
    response_model=TrialDesignOut,
    status_code=201,
    responses={
        **PREVIEW,
        409: {"description": "Refused by the safety check, or needs `confirm`"},
    },
)
def design_trial(
    entry: TrialDesignIn, journal: JournalDep, now: NowDep, response: Response
) -> TrialDesignOut:
    """Draw the order of the periods (stored with its seed), check both regimens'
    daily amounts like doses and save the trial; `preview` answers 200 and saves
    nothing. 409 when an avoid-level finding stands, or a high-caution one is not
    acknowledged with `confirm`."""
    designed = trial.design(
        journal,
        trial.DesignInput(
            entry.regimen_a,
            entry.regimen_b,
            entry.pairs,
            entry.period_days,
            entry.washout_days,
            entry.outcome,
            None if entry.start is None else entry.start.isoformat(),
            entry.seed,
        ),
        now=now,
        save=not entry.preview,
        confirm=entry.confirm,
    )
    if entry.preview:
        response.status_code = 200
    dependence = designed.dependence
    return TrialDesignOut(
        saved=not entry.preview,
        trial=TrialRecordOut.of(designed.trial),
        notes=designed.notes,
        findings=[FindingOut.of(f) for f in designed.findings],
        dependence=None
        if dependence is None
        else SourcedNoteOut(
            text=dependence.text,
            sources=[
                Source.model_validate(s, from_attributes=True)
                for s in dependence.sources
            ],
        ),
    )


class PegIn(BaseModel):
    pain: Score
    enjoyment: Score
    activity: Score


class TrialLogIn(BaseModel):
    pain: Score | None = Field(None, description="Pain 0-10 (the NRS outcome).")
    peg: PegIn | None = Field(None, description="The PEG items (the PEG outcome).")
    side_effects: Effects = Field(default_factory=dict)
    other_effects: Effects = Field(default_factory=dict)
    off_plan: Flag = Field(
        False, description="Today's regimen was not followed: leave the day out."
    )
    note: Note = None
    at: At = None


class TrialLoggedOut(BaseModel):
    checkin: CheckInOut
    regimen: str
    washout: bool
    off_plan: bool


@router.post("/trial/log", response_model=TrialLoggedOut, status_code=201)
def log_trial(entry: TrialLogIn, journal: JournalDep, now: NowDep) -> TrialLoggedOut:
    """Record today's trial rating as a check-in."""
    pain = entry.pain
    peg = entry.peg
    if pain is None and peg is None:
        raise InputError("pain", "give pain 0-10 or the PEG items")
    if pain is None:
        assert peg is not None
        pain = peg.pain  # the PEG's first item is pain now
    logged = trial.log(
        journal,
        CheckInInput(
            pain,
            effects_list(entry.side_effects),
            effects_list(entry.other_effects),
            None if peg is None else f"{peg.pain},{peg.enjoyment},{peg.activity}",
            note=entry.note,
            at=entry.at,
        ),
        now=now,
        off_plan=entry.off_plan,
    )
    return TrialLoggedOut(
        checkin=CheckInOut.of(logged.checkin),
        regimen=logged.day.regimen,
        washout=logged.day.washout,
        off_plan=entry.off_plan,
    )


@router.post("/trial/stop", response_model=TrialRecordOut)
def stop_trial(
    journal: JournalDep, now: NowDep, entry: AtIn | None = None
) -> TrialRecordOut:
    """End the trial early; the days so far can still be analysed (see Insights)."""
    at = None if entry is None else entry.at
    return TrialRecordOut.of(trial.stop(journal, now=now, at=at))
