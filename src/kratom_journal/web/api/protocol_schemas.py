"""API shapes of the protocols: titration sessions, taper plans, trials.

The same fields as `kratom titrate|taper|trial ... --json`, so scripts can move
between the CLI and the API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from kratom_journal.domain.trial import design_to_json
from kratom_journal.domain.trial_plan import plan_lines, plan_to_json
from kratom_journal.services.entries import MAX_NOTE
from kratom_journal.web.schemas import FindingOut, NotBoolean, Source

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kratom_journal.domain.effective_dose import EffectiveDose
    from kratom_journal.domain.findings import Finding
    from kratom_journal.domain.titration import Session
    from kratom_journal.services import taper, titration
    from kratom_journal.services import trial as trials


# request fields shared by the protocol endpoints ------------------------------
Score = Annotated[int, Field(ge=0, le=10), NotBoolean]
Level = Annotated[
    int,
    Field(ge=0, le=3, description="0 none, 1 mild, 2 moderate, 3 severe"),
    NotBoolean,
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Effects = Annotated[dict[Name, Level], Field(max_length=40)]
At = Annotated[
    str | None,
    Field(max_length=40, description='When: "14:30", "-20m", ISO 8601; default now.'),
]
Note = Annotated[str | None, Field(max_length=MAX_NOTE)]
PREVIEW: dict[int | str, dict[str, Any]] = {
    200: {"description": "Preview only: nothing was saved"}
}


# titration ------------------------------------------------------------------------
class DoseStepOut(BaseModel):
    at: datetime
    grams: str


class CheckOut(BaseModel):
    at: datetime
    pain: int
    effects: dict[str, int]


class SessionOut(BaseModel):
    id: str
    phase: str
    outcome: str | None
    started_at: datetime
    ended_at: datetime | None
    baseline_pain: int
    target_pain: int | None
    total_g: str
    step_g: str
    wait_minutes: int
    step_after_minutes: int
    steps: int
    checkin_due: datetime | None
    step_from: datetime | None = Field(
        description="Information, never a prompt: the earliest time a step would "
        "not stack on the last dose (only while a step is allowed)."
    )
    deadline: datetime | None
    reason: str
    doses: list[DoseStepOut]
    checks: list[CheckOut]
    urgent: list[str]

    @classmethod
    def of(cls, session: Session | None) -> SessionOut | None:
        if session is None:
            return None
        return cls(
            id=str(session.id),
            phase=session.phase.value,
            outcome=None if session.outcome is None else session.outcome.value,
            started_at=session.started_at,
            ended_at=session.ended_at,
            baseline_pain=session.baseline_pain,
            target_pain=session.target_pain,
            total_g=str(session.total_g),
            step_g=str(session.step_g),
            wait_minutes=int(session.wait.total_seconds() // 60),
            step_after_minutes=int(session.step_after.total_seconds() // 60),
            steps=session.steps,
            checkin_due=session.due,
            step_from=session.step_from,
            deadline=session.deadline,
            reason=session.reason,
            doses=[DoseStepOut(at=at, grams=str(g)) for at, g in session.doses],
            checks=[
                CheckOut(at=c.at, pain=c.pain, effects=dict(c.effects))
                for c in session.checks
            ],
            urgent=session.urgent,
        )


class SummaryOut(BaseModel):
    """What the sessions so far show: the smallest dose that relieved pain."""

    sessions_with_relief: int
    effective_dose_median_g: str | None
    effective_dose_low_g: str | None
    effective_dose_high_g: str | None
    trend_g_per_week: str | None
    trend: str
    side_effects_first_at_g: dict[str, str]

    @classmethod
    def of(cls, summary: EffectiveDose) -> SummaryOut:
        def text(value: object) -> str | None:
            return None if value is None else str(value)

        return cls(
            sessions_with_relief=summary.sessions,
            effective_dose_median_g=text(summary.median_g),
            effective_dose_low_g=text(summary.low_g),
            effective_dose_high_g=text(summary.high_g),
            trend_g_per_week=text(summary.trend_g_per_week),
            trend=summary.trend,
            side_effects_first_at_g={
                k: str(v) for k, v in summary.side_effect_doses.items()
            },
        )


class FiguresOut(BaseModel):
    """The protocol's numbers from the knowledge base, with their sources."""

    start_g: list[str]
    wait_minutes: list[int]
    step_g: str
    step_after_minutes: list[int]
    sources: list[Source]
    peak_sources: list[Source]

    @classmethod
    def of(cls, figures: titration.Figures) -> FiguresOut:
        return cls(
            start_g=[str(figures.start_low_g), str(figures.start_high_g)],
            wait_minutes=[figures.wait_low, figures.wait_high],
            step_g=str(figures.step_g),
            step_after_minutes=[figures.step_after_low, figures.step_after_high],
            sources=[
                Source.model_validate(s, from_attributes=True) for s in figures.sources
            ],
            peak_sources=[
                Source.model_validate(s, from_attributes=True)
                for s in figures.peak_sources
            ],
        )


class CeilingOut(BaseModel):
    """A session total at which side effects ended a session: kept as a ceiling."""

    grams: str
    at: datetime
    effects: list[str]


class TitrationOut(BaseModel):
    session: SessionOut | None
    summary: SummaryOut
    protocol: FiguresOut
    ceilings: list[CeilingOut] = Field(default_factory=list)


# taper ----------------------------------------------------------------------------
class HoldOut(BaseModel):
    on: date
    days: int


class StepOut(BaseModel):
    number: int
    start: date
    end: date
    target_g: str
    current: bool


class PlanOut(BaseModel):
    id: str
    from_g: str
    method: str
    rounding_g: str
    hold_at: int
    ended_at: datetime | None
    holds: list[HoldOut]
    steps: list[StepOut]

    @classmethod
    def of(cls, plan: taper.Plan, today: date | None = None) -> PlanOut:
        return cls(
            id=str(plan.id),
            from_g=str(plan.from_g),
            method=plan.method,
            rounding_g=str(plan.increment_g),
            hold_at=plan.hold_at,
            ended_at=plan.ended_at,
            holds=[HoldOut(on=h.on, days=h.days) for h in plan.holds],
            steps=[
                StepOut(
                    number=s.number,
                    start=s.start,
                    end=s.end,
                    target_g=str(s.target_g),
                    current=today is not None and s.start <= today < s.end,
                )
                for s in plan.steps
            ],
        )


class AdherenceOut(BaseModel):
    days: int
    at_or_under: int
    over: list[date]


class TaperOut(BaseModel):
    today: date
    running: bool
    target_g: str | None
    actual_g: str
    adherence: AdherenceOut | None
    checklist: dict[str, int]
    checklist_due: bool
    hold_suggested: bool
    plan: PlanOut | None

    @classmethod
    def of(cls, status: taper.Status) -> TaperOut:
        adherence, plan = status.adherence, status.plan
        running = plan is not None and plan.active(status.today)
        return cls(
            today=status.today,
            running=running,
            target_g=None if status.target_g is None else str(status.target_g),
            actual_g=str(status.actual_g),
            adherence=None
            if adherence is None
            else AdherenceOut(
                days=adherence.days,
                at_or_under=adherence.at_or_under,
                over=list(adherence.over),
            ),
            checklist={d.isoformat(): t for d, t in sorted(status.checklist.items())},
            checklist_due=running
            and status.target_g is not None
            and status.today not in status.checklist,
            hold_suggested=status.hold_suggested,
            plan=None if plan is None else PlanOut.of(plan, status.today),
        )


# trial ----------------------------------------------------------------------------
class DesignOut(BaseModel):
    regimen_a: str
    regimen_b: str
    pairs: int
    period_days: int
    washout_days: int
    outcome: str
    seed: int
    start: date
    order: list[str]


class AcknowledgedOut(BaseModel):
    """A high-caution finding shown at design time and acknowledged."""

    rule: str
    severity: str
    title: str


class TrialPlanOut(BaseModel):
    """The analysis plan fixed when the trial was designed (stored in its event)."""

    outcome: str
    mid: float
    mid_reference: str
    periods: int
    period_days: int
    washout_days: int
    min_days_rated: int
    min_pairs: int
    primary: str
    secondary: str
    ratings: str
    summary: list[str] = Field(description="The plan in plain sentences.")


class TrialRecordOut(BaseModel):
    id: str
    design: DesignOut
    off_plan: list[date]
    stopped_on: date | None
    daily_g: dict[str, str] = Field(
        default_factory=dict,
        description="Each regimen's grams a day, as the safety check judged them.",
    )
    acknowledged: list[AcknowledgedOut] = Field(default_factory=list)
    plan: TrialPlanOut | None = Field(
        None, description="None for a trial designed before plans were stored."
    )

    @classmethod
    def of(cls, current: trials.Trial) -> TrialRecordOut:
        return cls(
            id=str(current.id),
            design=DesignOut.model_validate(design_to_json(current.design)),
            off_plan=sorted(current.off_plan),
            stopped_on=current.stopped_on,
            daily_g={k: f"{v.normalize():f}" for k, v in current.daily_g.items()},
            acknowledged=[
                AcknowledgedOut.model_validate(a.to_json())
                for a in current.acknowledged
            ],
            plan=None
            if current.plan is None
            else TrialPlanOut(
                **plan_to_json(current.plan), summary=plan_lines(current.plan)
            ),
        )


class TrialDayOut(BaseModel):
    pair: int
    period: int
    regimen: str
    label: str
    day_in_period: int
    washout: bool


class TrialOut(BaseModel):
    today: date
    trial: TrialRecordOut | None
    running: bool
    day: TrialDayOut | None
    rated_today: bool
    logged_days: int
    analysable_days: int
    next_switch: date | None
    ignored_checkins: int = Field(
        0,
        description="Other check-ins on trial days so far: the trial never uses them.",
    )
    avoid_findings: list[FindingOut] = Field(
        default_factory=list,
        description="Avoid-level findings about today's regimen now (one may arise "
        "after the design, such as a new medication).",
    )

    @classmethod
    def of(cls, state: trials.Status, avoid: Sequence[Finding] = ()) -> TrialOut:
        current, day = state.trial, state.day
        return cls(
            today=state.today,
            trial=None if current is None else TrialRecordOut.of(current),
            running=current is not None and current.running(state.today),
            day=None
            if day is None or current is None
            else TrialDayOut(
                pair=day.pair,
                period=day.period,
                regimen=day.regimen,
                label=current.design.label(day.regimen),
                day_in_period=day.day_in_period,
                washout=day.washout,
            ),
            rated_today=state.rated_today,
            logged_days=state.logged_days,
            analysable_days=state.analysable_days,
            next_switch=state.next_switch,
            ignored_checkins=state.ignored_checkins,
            avoid_findings=[FindingOut.of(f) for f in avoid],
        )


class ProtocolsOut(BaseModel):
    titration: TitrationOut
    taper: TaperOut
    trial: TrialOut


def effects_list(effects: dict[str, int]) -> list[str]:
    """`{"nausea": 1}` as the services' "nausea=1" texts."""
    return [f"{name}={level}" for name, level in effects.items()]


class AtIn(BaseModel):
    at: At = None
