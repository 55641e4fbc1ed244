"""A trial's analysis plan: fixed at design time, stored, read back, said plainly."""

from __future__ import annotations

from datetime import date

import pytest

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.trial import design_trial
from kratom_journal.domain.trial_plan import (
    plan_for,
    plan_from_json,
    plan_lines,
    plan_to_json,
)


def design(outcome: str, period_days: int = 14, washout_days: int = 3) -> object:
    return design_trial(
        "2 g",
        "3 g",
        pairs=4,
        period_days=period_days,
        washout_days=washout_days,
        outcome=outcome,
        seed=1,
        start=date(2026, 11, 23),
    )


@pytest.mark.parametrize(
    ("outcome", "period_days", "washout", "mid", "needed", "words"),
    [
        ("peg", 14, 3, 1.0, 7, "PEG"),  # 11 days after the washout: 4/7 is 6.3 -> 7
        ("nrs", 7, 2, 2.0, 3, "pain 0-10"),  # 5 days: 4/7 is 2.9 -> 3
    ],
)
def test_the_plan_holds_what_the_analysis_will_do(
    outcome: str, period_days: int, washout: int, mid: float, needed: int, words: str
) -> None:
    drawn = design(outcome, period_days, washout)
    plan = plan_for(drawn, mid, f"pain-mid-{outcome}")  # type: ignore[arg-type]
    assert plan.periods == 8 and plan.washout_days == washout
    assert plan.mid == mid and plan.min_days_rated == needed
    assert plan_from_json(plan_to_json(plan)) == plan
    text = " ".join(plan_lines(plan))
    assert words in text
    assert f"{mid:g} point" in text
    assert "exact randomization test" in text and "AR(1)" in text
    assert "8 periods" in text and f"first {washout} days" in text
    assert "one rating a day" in text


def test_an_unreadable_stored_plan_is_refused_naming_it() -> None:
    plan = plan_to_json(plan_for(design("nrs"), 2.0, "pain-mid-nrs"))  # type: ignore[arg-type]
    del plan["mid"]
    with pytest.raises(InputError, match="plan"):
        plan_from_json(plan)
