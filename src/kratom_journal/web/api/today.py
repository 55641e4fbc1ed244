"""Today and dose logging: GET /today, POST /doses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.domain.findings import Finding
from kratom_journal.services.acknowledgements import (
    FindingsNeedConfirmation,
    reviewed_now,
)
from kratom_journal.services.entries import MAX_NOTE, DoseInput, log_dose
from kratom_journal.services.journal import Journal
from kratom_journal.services.overview import quick_doses, today
from kratom_journal.services.product_checks import strength_of
from kratom_journal.services.reminders import due_items
from kratom_journal.web.api.products import StrengthOut
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import (
    ERRORS,
    Amount,
    At,
    DoseOut,
    DueOut,
    FindingOut,
    Flag,
    ProductName,
)
from kratom_journal.web.view_cache import ViewCache

router = APIRouter(tags=["today"], responses=ERRORS)


class QuickDoseOut(BaseModel):
    amount: str
    product: str | None


class TodayOut(BaseModel):
    day: str
    timezone: str
    total_g: str
    dose_cap_g: str
    daily_cap_g: str
    over_daily_cap: bool
    includes_approximate: bool
    leaf_equivalent_g: str | None = Field(
        None,
        description="Today's total as grams of plain leaf, when a product "
        "stronger than leaf was taken; the daily cap judges this.",
    )
    unjudged_products: list[str] = Field(
        default=[], description="Stronger products of unknown strength, left out."
    )
    doses: list[DoseOut]
    minutes_since_last_dose: int | None
    last_dose: DoseOut | None
    findings: list[FindingOut]
    acknowledged_findings: list[FindingOut] = Field(
        default=[],
        description="Standing findings acknowledged earlier and unchanged since: "
        "to list in one line.",
    )
    check_unavailable: str | None
    due: list[DueOut]
    quick_doses: list[QuickDoseOut]


@router.get("/today", response_model=TodayOut)
def get_today(request: Request, journal: JournalDep, now: NowDep) -> Response:
    """Today's doses and total against the caps, standing safety findings, what is due
    (as of the current second)."""
    cache: ViewCache = request.app.state.view_cache
    body = cache.get(
        "api/today", now, lambda at: today_view(journal, at).model_dump_json()
    )
    return Response(body, media_type="application/json")


def today_view(journal: Journal, now: datetime) -> TodayOut:
    """The Today page and GET /today show the same facts."""
    # One read transaction for every part: one state of the journal, and a
    # fraction of the cost of a transaction (and a profile read) per part.
    with journal.reading():
        return _today_view(journal, now)


def _today_view(journal: Journal, now: datetime) -> TodayOut:
    result = today(journal, now=now)
    day = result.summary
    acknowledged: list[Finding] = []
    try:
        _, reviewed = reviewed_now(journal, now=now)
        findings, unavailable = reviewed.open, None
        acknowledged = [f for f, _ in reviewed.acknowledged]
    except SafetyCheckUnavailable as error:
        findings, unavailable = [], str(error)
    since = day.since_last_dose
    return TodayOut(
        day=day.day.isoformat(),
        timezone=result.profile.timezone,
        total_g=str(day.total_g),
        dose_cap_g=str(day.dose_cap_g),
        daily_cap_g=str(day.daily_cap_g),
        over_daily_cap=result.over_daily_cap,
        includes_approximate=day.includes_approximate,
        leaf_equivalent_g=None if result.judged is None else str(result.judged.grams),
        unjudged_products=[] if result.judged is None else list(result.judged.unjudged),
        doses=[DoseOut.of(d) for d in day.doses],
        minutes_since_last_dose=None
        if since is None
        else int(since.total_seconds() // 60),
        last_dose=None if day.last_dose is None else DoseOut.of(day.last_dose),
        findings=[FindingOut.of(f) for f in findings],
        acknowledged_findings=[FindingOut.of(f) for f in acknowledged],
        check_unavailable=unavailable,
        due=[DueOut.of(i) for i in due_items(journal, now=now)],
        quick_doses=[
            QuickDoseOut(amount=q.amount, product=q.product)
            for q in quick_doses(journal, now=now)
        ],
    )


class DoseIn(BaseModel):
    amount: Amount
    product: ProductName = None
    at: At = None
    note: Annotated[str | None, Field(max_length=MAX_NOTE)] = None
    stomach: Annotated[str | None, Field(max_length=20)] = None
    approx: Flag = False
    confirm: Flag = Field(
        False,
        description="Record despite the avoid-level findings a 409 answer showed in "
        "the last 30 minutes (e.g. already taken). A finding not shown yet still "
        "answers 409, listed first.",
    )
    shown: list[Annotated[str, Field(max_length=120)]] | None = Field(
        None,
        max_length=50,
        description="Rule ids of the avoid-level findings the person saw (from the "
        "409 answer's `findings`); with `confirm`, only these are confirmed.",
    )


class LoggedOut(BaseModel):
    dose: DoseOut
    today_total_g: str
    findings: list[FindingOut]
    acknowledged_findings: list[FindingOut] = Field(
        default=[],
        description="Standing findings (a medication's, a condition's) acknowledged "
        "earlier and unchanged since: to list in one line.",
    )
    check_unavailable: str | None
    strength: StrengthOut | None = None
    today_leaf_equivalent_g: str | None = Field(
        None,
        description="Today's total as grams of plain leaf, when a product "
        "stronger than leaf was taken.",
    )


class NeedsConfirmationOut(BaseModel):
    detail: str
    findings: list[FindingOut] = Field(
        description="The avoid-level findings to show, those not shown before first."
    )


@router.post(
    "/doses",
    response_model=LoggedOut,
    status_code=201,
    responses={409: {"model": NeedsConfirmationOut}},
)
def post_dose(
    entry: DoseIn, journal: JournalDep, now: NowDep
) -> LoggedOut | JSONResponse:
    """Check, then record a dose. Avoid-level findings answer 409 with the findings;
    `confirm` then covers exactly those (acknowledged standing findings need none)."""
    values = entry.model_dump()
    shown = values.pop("shown")
    try:
        logged = log_dose(
            journal,
            DoseInput(**values, shown=None if shown is None else tuple(shown)),
            now=now,
        )
    except FindingsNeedConfirmation as needed:
        body = NeedsConfirmationOut(
            detail=str(needed), findings=[FindingOut.of(f) for f in needed.findings]
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=409)
    day = today(journal, now=now)
    dose = logged.dose
    taken = day.products.get(str(dose.product_id)) if dose.product_id else None
    return LoggedOut(
        dose=DoseOut.of(dose),
        today_total_g=str(day.summary.total_g),
        findings=[FindingOut.of(f) for f in logged.findings],
        acknowledged_findings=[FindingOut.of(f) for f, _ in logged.acknowledged],
        check_unavailable=logged.check_unavailable,
        strength=StrengthOut.of(strength_of(dose.grams, taken)),
        today_leaf_equivalent_g=None if day.judged is None else str(day.judged.grams),
    )
