"""API shapes of the N-of-1 trial analysis (`kratom trial analyze --json`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel

from kratom_journal.web.schemas import Source

if TYPE_CHECKING:
    from kratom_journal.services.trial_results import Result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class DesignOut(BaseModel):
    regimen_a: str
    regimen_b: str
    pairs: int
    period_days: int
    washout_days: int
    outcome: str  # peg or nrs
    seed: int
    start: date
    order: list[str]  # "AB" or "BA" for each pair


class TrialPeriodOut(BaseModel):
    pair: int
    period: int
    regimen: str  # A or B
    first: date
    last: date
    days_expected: int
    days_used: int
    mean: float | None
    counts: bool  # enough days rated for the period to count


class ModelOut(BaseModel):
    """The AR(1) model of the daily ratings: A - B with its interval, and chances."""

    effect: float
    low: float
    high: float
    se: float
    rho: float
    days: int
    p_a_better: float
    p_b_better: float
    p_trivial: float


class SideEffectRateOut(BaseModel):
    name: str
    regimen: str
    days_with: int
    days_logged: int


class TrialAnalysisOut(BaseModel):
    design: DesignOut
    status: str  # not-enough-data, evidence or no-evidence
    verdict: str
    needs: str | None
    periods: list[TrialPeriodOut]
    complete_pairs: int
    differences: list[float]  # per complete pair: mean(A) - mean(B)
    mean_difference: float | None
    low: float | None  # 95% interval of the mean difference
    high: float | None
    randomization_p: float | None
    smallest_p: float
    model: ModelOut | None
    side_effects: list[SideEffectRateOut]
    limits: list[str]
    mid: float  # the smallest difference that matters, in points
    mid_sources: list[Source]
    chart: str
    ignored_checkins: int  # check-ins on trial days that are not its daily ratings

    @classmethod
    def of(cls, result: Result, chart: str) -> TrialAnalysisOut:
        analysis = result.analysis
        design = analysis.design
        model = analysis.model
        return cls(
            design=DesignOut(
                regimen_a=design.regimen_a,
                regimen_b=design.regimen_b,
                pairs=design.pairs,
                period_days=design.period_days,
                washout_days=design.washout_days,
                outcome=design.outcome.value,
                seed=design.seed,
                start=design.start,
                order=list(design.order),
            ),
            status=analysis.status.value,
            verdict=analysis.verdict,
            needs=analysis.needs,
            periods=[
                TrialPeriodOut.model_validate(p, from_attributes=True)
                for p in analysis.periods
            ],
            complete_pairs=analysis.complete_pairs,
            differences=[round(d, 4) for d in analysis.differences],
            mean_difference=_round(analysis.mean_difference),
            low=_round(analysis.low),
            high=_round(analysis.high),
            randomization_p=_round(analysis.randomization_p),
            smallest_p=round(analysis.smallest_p, 4),
            model=None
            if model is None
            else ModelOut.model_validate(model, from_attributes=True),
            side_effects=[
                SideEffectRateOut.model_validate(s, from_attributes=True)
                for s in analysis.side_effects
            ],
            limits=list(analysis.limits),
            mid=analysis.mid,
            mid_sources=[
                Source.model_validate(s, from_attributes=True) for s in result.sources
            ],
            chart=chart,
            ignored_checkins=analysis.ignored_checkins,
        )
