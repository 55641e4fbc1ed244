"""API: taper plans and the daily withdrawal checklist."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from kratom_journal.domain.withdrawal import MAX_TOTAL
from kratom_journal.services import taper
from kratom_journal.services.support import withdrawal_support
from kratom_journal.services.withdrawal import record_withdrawal
from kratom_journal.web.api.protocol_schemas import (
    PREVIEW,
    At,
    AtIn,
    Effects,
    Note,
    PlanOut,
    effects_list,
)
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import Flag, NotBoolean, Source

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kratom_journal.services.journal import Journal

router = APIRouter()


class TaperPlanIn(BaseModel):
    from_amount: Annotated[
        str,
        Field(
            min_length=1,
            max_length=40,
            description='"auto" (the last 14 days\' average) or an amount a day: "4 g/day".',
        ),
    ] = "auto"
    step: Annotated[
        str | None, Field(max_length=20, description='Weekly cut, 5-25%: "10%".')
    ] = None
    weeks: Annotated[
        int | None,
        Field(ge=1, le=520, description="Reach zero in N weekly steps."),
        NotBoolean,
    ] = None
    method: Literal["percent", "linear"] = "percent"
    rounding: Annotated[
        str,
        Field(min_length=1, max_length=20, description='"0.25g", or "capsule".'),
    ] = "0.25g"
    product: Annotated[
        str | None, Field(max_length=200, description="Capsule size for rounding.")
    ] = None
    start: date | None = Field(None, description="First step's day; default today.")
    hold_at: Annotated[int | None, Field(ge=1, le=MAX_TOTAL), NotBoolean] = Field(
        None, description="Checklist total (of 30) counted as high; default 10."
    )
    preview: Flag = Field(False, description="Compute the plan without saving it.")


class PlanResultOut(BaseModel):
    plan: PlanOut
    saved: bool


@router.post(
    "/taper/plan", response_model=PlanResultOut, status_code=201, responses=PREVIEW
)
def plan_taper(
    entry: TaperPlanIn, journal: JournalDep, now: NowDep, response: Response
) -> PlanResultOut:
    """Plan a taper: weekly targets, never increasing, ending at zero. One plan runs
    at a time; `preview` answers 200 and saves nothing."""
    start = None if entry.start is None else entry.start.isoformat()
    plan = taper.plan(
        journal,
        taper.PlanInput(
            entry.from_amount,
            entry.step,
            entry.weeks,
            entry.method,
            entry.rounding,
            entry.product,
            start,
            entry.hold_at,
        ),
        now=now,
        save=not entry.preview,
    )
    if entry.preview:
        response.status_code = 200
    return PlanResultOut(plan=PlanOut.of(plan), saved=not entry.preview)


class HoldIn(BaseModel):
    days: Annotated[int, Field(ge=1, le=28, description="How much longer.")] = 7
    at: At = None


@router.post("/taper/hold", response_model=PlanResultOut)
def hold_taper(entry: HoldIn, journal: JournalDep, now: NowDep) -> PlanResultOut:
    """Hold the current step longer; the rest of the plan moves later."""
    held = taper.hold(journal, days=entry.days, now=now, at=entry.at)
    today = taper.status(journal, now=now).today
    return PlanResultOut(plan=PlanOut.of(held, today), saved=True)


@router.post("/taper/stop", response_model=PlanResultOut)
def stop_taper(
    journal: JournalDep, now: NowDep, entry: AtIn | None = None
) -> PlanResultOut:
    """End the running plan; it stays in the history and in exports."""
    at = None if entry is None else entry.at
    return PlanResultOut(
        plan=PlanOut.of(taper.stop(journal, now=now, at=at)), saved=True
    )


class WithdrawalIn(BaseModel):
    symptoms: Effects = Field(
        default_factory=dict,
        description='Checklist symptoms 0-3, e.g. {"muscle-aches": 2}; the rest score 0.',
    )
    none: Flag = Field(False, description="No symptoms today.")
    note: Note = None
    at: At = None


class WithdrawalCheckOut(BaseModel):
    id: str
    at: datetime
    zone: str
    symptoms: dict[str, int]
    created_at: datetime
    note: str | None


class SupportOut(BaseModel):
    title: str
    message: str
    lines: list[str] = Field(
        description="Crisis lines for the profile's country (all, without one), "
        "ending with the emergency number."
    )
    sources: list[Source]


class WithdrawalOut(BaseModel):
    withdrawal: WithdrawalCheckOut
    total: int
    max_total: int
    hold_suggested: bool
    support: SupportOut | None = Field(
        description="Urgent guidance with crisis lines when low mood is severe."
    )


@router.post("/withdrawal", response_model=WithdrawalOut, status_code=201)
def post_withdrawal(
    entry: WithdrawalIn, journal: JournalDep, now: NowDep
) -> WithdrawalOut:
    """Record the daily withdrawal checklist (our own checklist, not a validated
    scale). `hold_suggested` says whether holding the taper step is an option;
    `support` carries crisis lines when low mood is severe."""
    check = record_withdrawal(
        journal,
        effects_list(entry.symptoms),
        now=now,
        none=entry.none,
        at=entry.at,
        note=entry.note,
    )
    return WithdrawalOut(
        withdrawal=WithdrawalCheckOut(
            id=str(check.id),
            at=check.at,
            zone=check.zone,
            symptoms=dict(check.symptoms),
            created_at=check.created_at,
            note=check.note,
        ),
        total=check.total,
        max_total=MAX_TOTAL,
        hold_suggested=taper.status(journal, now=now).hold_suggested,
        support=_support(journal, check.symptoms),
    )


def _support(journal: Journal, symptoms: Mapping[str, int]) -> SupportOut | None:
    found = withdrawal_support(journal, symptoms)
    if found is None:
        return None
    return SupportOut(
        title=found.title,
        message=found.message,
        lines=list(found.lines),
        sources=[Source.model_validate(r, from_attributes=True) for r in found.sources],
    )
