"""API shapes of the insights, built from the domain result (`kratom insights --json`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    from kratom_journal.domain.dose_effect import Relief
    from kratom_journal.domain.insights import Insights
    from kratom_journal.domain.uncertainty import Estimate


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


class EstimateOut(BaseModel):
    """A mean with its 95% interval over n values."""

    value: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, estimate: Estimate | None) -> EstimateOut | None:
        if estimate is None:
            return None
        return cls(
            value=round(estimate.value, 3),
            low=round(estimate.low, 3),
            high=round(estimate.high, 3),
            n=estimate.n,
        )


class PeriodOut(BaseModel):
    first_day: date
    last_day: date


class ConclusionOut(BaseModel):
    topic: str
    sentence: str
    enough_data: bool


class PairsOut(BaseModel):
    used: int
    left_out_overlapping: int
    without_check_ins: int


class BandReliefOut(BaseModel):
    band: str
    pairs: int
    mean_grams: float | None
    relief: EstimateOut | None  # None: fewer paired doses than a result needs


class WeekOut(BaseModel):
    week_of: date
    relief_per_gram: float


class ToleranceOut(BaseModel):
    weeks: list[WeekOut]
    slope_per_week: EstimateOut | None
    intercept: float | None


class BandSideEffectsOut(BaseModel):
    band: str
    doses: int
    reported: dict[str, int]


class ProductReliefOut(BaseModel):
    product_id: str | None
    name: str | None
    pairs: int
    mean_grams: float | None
    relief: EstimateOut | None


class WindowOut(BaseModel):
    days: int
    grams_per_day: float
    previous_grams_per_day: float | None


class UsePatternOut(BaseModel):
    days: int
    use_days: int
    rest_days: int
    doses: int
    grams: float
    grams_per_day: float
    grams_per_use_day: float | None
    doses_per_use_day: float | None
    grams_per_dose: float | None
    current_streak: int
    longest_streak: int
    longest_rest: int
    trends: list[WindowOut]


def _relief(relief: Relief) -> dict[str, object]:
    return {
        "pairs": relief.pairs,
        "mean_grams": _round(relief.mean_grams),
        "relief": EstimateOut.of(relief.estimate),
    }


class InsightsOut(BaseModel):
    period: PeriodOut
    conclusions: list[ConclusionOut]
    pairs: PairsOut
    relief_by_band: list[BandReliefOut]
    relief_per_extra_gram: EstimateOut | None
    tolerance: ToleranceOut
    side_effects_by_band: list[BandSideEffectsOut]
    relief_by_product: list[ProductReliefOut]
    use_pattern: UsePatternOut
    caveat: str
    charts: list[str]

    @classmethod
    def of(cls, result: Insights, charts: list[str]) -> InsightsOut:
        pattern = result.pattern
        trend = result.tolerance.trend
        return cls(
            period=PeriodOut(first_day=result.first_day, last_day=result.last_day),
            conclusions=[
                ConclusionOut(
                    topic=c.topic, sentence=c.sentence, enough_data=c.enough_data
                )
                for c in result.conclusions
            ],
            pairs=PairsOut(
                used=len(result.pairing.pairs),
                left_out_overlapping=result.pairing.stacked,
                without_check_ins=result.pairing.unpaired,
            ),
            relief_by_band=[
                BandReliefOut.model_validate({"band": band.label, **_relief(relief)})
                for band, relief in result.bands.items()
            ],
            relief_per_extra_gram=EstimateOut.of(result.dose_response),
            tolerance=ToleranceOut(
                weeks=[
                    WeekOut(week_of=day, relief_per_gram=round(value, 3))
                    for day, value in result.tolerance.weeks
                ],
                slope_per_week=None if trend is None else EstimateOut.of(trend.slope),
                intercept=None if trend is None else round(trend.intercept, 3),
            ),
            side_effects_by_band=[
                BandSideEffectsOut(
                    band=band.label,
                    doses=effects.doses,
                    reported=dict(effects.reported),
                )
                for band, effects in result.side_effects.items()
            ],
            relief_by_product=[
                ProductReliefOut.model_validate(
                    {
                        "product_id": None if product is None else str(product),
                        "name": result.product_names.get(product),
                        **_relief(relief),
                    }
                )
                for product, relief in result.products.items()
            ],
            use_pattern=UsePatternOut(
                days=pattern.days,
                use_days=pattern.use_days,
                rest_days=pattern.rest_days,
                doses=pattern.doses,
                grams=round(pattern.grams, 3),
                grams_per_day=round(pattern.grams_per_day, 3),
                grams_per_use_day=_round(pattern.grams_per_use_day),
                doses_per_use_day=_round(pattern.doses_per_use_day),
                grams_per_dose=_round(pattern.grams_per_dose),
                current_streak=pattern.current_streak,
                longest_streak=pattern.longest_streak,
                longest_rest=pattern.longest_rest,
                trends=[
                    WindowOut(
                        days=w.days,
                        grams_per_day=round(w.grams_per_day, 3),
                        previous_grams_per_day=_round(w.previous_grams_per_day),
                    )
                    for w in pattern.trends
                ],
            ),
            caveat=result.caveat,
            charts=charts,
        )
