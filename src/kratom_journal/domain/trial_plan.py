"""A trial's analysis plan, fixed when the trial is designed.

Written into the design event before the first rating, so the outcome, the
difference that matters, the tests and the rules for what counts cannot be chosen
after seeing the data, and the report and the exports can show them. Pure, and
light to import: the analysis itself (numpy, scipy) lives in `trial_analysis`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.trial import Design, Outcome

if TYPE_CHECKING:
    from collections.abc import Mapping

# A period counts when at least this share of its days after the washout have a
# rating: "at least 4 of 7 days" (anchors-pain-nof1.md §2.5 item 6).
MIN_SHARE_OF_DAYS = Fraction(4, 7)
MIN_PAIRS = 2  # complete pairs before any result is shown

PRIMARY = (
    "the mean of each period's analysed days, the A-minus-B difference in each "
    "complete pair, a 95% t-interval over those differences and an exact "
    "randomization test over every AB/BA order the seed could have drawn"
)
SECONDARY = (
    "a model of the daily ratings with a linear trend and AR(1) day-to-day "
    "correlation, averaged over the correlation, giving the chance that the "
    "difference is at least the minimal important difference; a result counts as "
    "clear only when both agree"
)
RATINGS = (
    "one rating a day, recorded with `kratom trial log`; other check-ins are not "
    "used, and days marked off-plan are left out"
)


@dataclass(frozen=True)
class AnalysisPlan:
    outcome: str  # "peg" or "nrs"
    mid: float  # the minimal important difference, points on 0-10
    mid_reference: str  # the knowledge base's entry for it (its sources)
    periods: int
    period_days: int
    washout_days: int  # the first days of every period, not analysed
    min_days_rated: int  # of each period's days after the washout, to count
    min_pairs: int  # complete pairs before any result
    primary: str = PRIMARY
    secondary: str = SECONDARY
    ratings: str = RATINGS


def required_days(days_expected: int) -> int:
    """How many rated days a period needs to count."""
    return math.ceil(MIN_SHARE_OF_DAYS * days_expected)


def plan_for(design: Design, mid: float, mid_reference: str) -> AnalysisPlan:
    return AnalysisPlan(
        outcome=design.outcome.value,
        mid=mid,
        mid_reference=mid_reference,
        periods=2 * design.pairs,
        period_days=design.period_days,
        washout_days=design.washout_days,
        min_days_rated=required_days(design.period_days - design.washout_days),
        min_pairs=MIN_PAIRS,
    )


def plan_to_json(plan: AnalysisPlan) -> dict[str, Any]:
    return asdict(plan)


def plan_from_json(data: Mapping[str, Any]) -> AnalysisPlan:
    """The stored plan; a missing or mistyped field is refused, naming the plan."""
    values: dict[str, Any] = {}
    for field in fields(AnalysisPlan):
        value: Any = data.get(field.name)
        # The field types are strings here (postponed annotations): str, int, float.
        wanted = (int, float) if field.type == "float" else _KINDS[str(field.type)]
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise InputError(
                "plan", f"the stored trial's analysis plan has no valid {field.name}"
            )
        values[field.name] = float(str(value)) if field.type == "float" else value
    return AnalysisPlan(**values)


_KINDS: dict[str, type] = {"str": str, "int": int}


def plan_lines(plan: AnalysisPlan) -> list[str]:
    """The plan in plain sentences."""
    outcome = (
        "the PEG (the mean of pain, enjoyment and activity, each 0-10)"
        if plan.outcome == Outcome.PEG.value
        else "pain 0-10"
    )
    points = "point" if plan.mid == 1 else "points"
    days_after = plan.period_days - plan.washout_days
    return [
        f"Outcome: {outcome}, {plan.ratings}.",
        f"Smallest difference that matters: {plan.mid:g} {points}.",
        f"{plan.periods} periods of {plan.period_days} days; the first "
        f"{plan.washout_days} days of every period are a washout and not analysed. A "
        f"period counts with at least {plan.min_days_rated} of its {days_after} "
        f"days after the washout rated, and a result needs {plan.min_pairs} complete "
        "pairs.",
        f"Main analysis: {plan.primary}.",
        f"Second analysis: {plan.secondary}.",
    ]
