"""N-of-1 trial designs: validation, the seeded order, the day calendar, JSON, warnings."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.trial import (
    Design,
    Outcome,
    TrialDay,
    design_from_json,
    design_to_json,
    design_trial,
    design_warnings,
    draw_order,
    means_no_kratom,
    period_bounds,
    trial_day,
    trial_days,
)

START = date(2026, 1, 5)


def make(**changes: Any) -> Design:
    values: dict[str, Any] = {
        "regimen_a": "2 g",
        "regimen_b": "3 g",
        "pairs": 4,
        "period_days": 14,
        "washout_days": 3,
        "outcome": Outcome.PEG,
        "seed": 20260105,
        "start": START,
    }
    values.update(changes)
    a, b = values.pop("regimen_a"), values.pop("regimen_b")
    return design_trial(a, b, **values)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"pairs": 2}, "pairs", "3 to 6 pairs of periods (got 2)"),
        ({"pairs": 7}, "pairs", "(got 7)"),
        ({"pairs": True}, "pairs", "(got True)"),
        ({"period_days": 6}, "period-days", "7 to 14 days (got 6)"),
        ({"period_days": 15}, "period-days", "(got 15)"),
        ({"washout_days": 1}, "washout-days", "2 to 3 days (got 1)"),
        ({"washout_days": 4}, "washout-days", "(got 4)"),
        ({"regimen_b": " 2 G "}, "regimen-b", "must differ"),
        ({"regimen_b": "2  g"}, "regimen-b", "must differ"),
        ({"regimen_a": "   "}, "regimen-a", "must name the regimen"),
        ({"regimen_b": ""}, "regimen-b", "must name the regimen"),
        ({"regimen_a": "x" * 61}, "regimen-a", "at most 60 characters (got 61)"),
        ({"seed": -1}, "seed", "0 to 2**63 - 1 (got -1)"),
        ({"seed": 2**63}, "seed", "0 to 2**63 - 1"),
        ({"seed": "5"}, "seed", "whole number"),
        ({"seed": False}, "seed", "whole number"),
        ({"outcome": "vas"}, "outcome", "peg or nrs (got 'vas')"),
        ({"start": datetime(2026, 1, 5, 8)}, "start", "must be a day"),
    ],
)
def test_bad_designs_name_the_field(
    changes: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InputError) as error:
        make(**changes)
    assert error.value.field == field
    assert words in error.value.problem


def test_the_limits_themselves_are_allowed() -> None:
    for pairs, period, washout in [(3, 7, 2), (6, 14, 3)]:
        design = make(pairs=pairs, period_days=period, washout_days=washout)
        assert len(design.order) == pairs
    assert make(seed=0).seed == 0
    assert make(seed=2**63 - 1).seed == 2**63 - 1


def test_labels_are_stripped_and_the_outcome_read() -> None:
    design = make(regimen_a="  2 g in the morning ", regimen_b="3 g", outcome=" NRS ")
    assert design.regimen_a == "2 g in the morning"
    assert design.outcome is Outcome.NRS
    assert design.label("A") == "2 g in the morning"
    assert design.label("B") == "3 g"


def test_the_order_is_redrawn_from_the_seed() -> None:
    design = make(pairs=6)
    assert design.order == make(pairs=6).order
    # The documented draw, so anyone can audit it with Python alone.
    rng = random.Random(20260105)
    assert design.order == tuple(rng.choice(("AB", "BA")) for _ in range(6))
    assert design.order == draw_order(20260105, 6)
    # Pinned: a change to the draw would change every stored trial's check.
    assert draw_order(0, 6) == ("BA", "BA", "AB", "BA", "BA", "BA")
    assert draw_order(42, 6) == ("AB", "AB", "BA", "AB", "AB", "AB")


def test_both_orders_occur_across_seeds() -> None:
    orders = [make(seed=seed).order for seed in range(40)]
    drawn = [o for order in orders for o in order]
    assert set(drawn) == {"AB", "BA"}
    assert 0.3 < drawn.count("AB") / len(drawn) < 0.7
    assert len(set(orders)) > 8  # whole sequences differ too


@pytest.mark.parametrize(
    ("pairs", "period", "washout"), [(4, 14, 3), (3, 7, 2), (5, 10, 2)]
)
def test_every_day_of_the_design(pairs: int, period: int, washout: int) -> None:
    design = make(pairs=pairs, period_days=period, washout_days=washout, seed=7)
    total = 2 * pairs * period
    assert design.end == START + timedelta(days=total)
    days = trial_days(design)
    assert [d.day for d in days] == [START + timedelta(days=n) for n in range(total)]
    for n, day in enumerate(days):
        pair, period_index = n // (2 * period) + 1, (n // period) % 2 + 1
        in_period = n % period + 1
        assert day == TrialDay(
            day=START + timedelta(days=n),
            pair=pair,
            period=period_index,
            regimen=design.order[pair - 1][period_index - 1],
            day_in_period=in_period,
            washout=in_period <= washout,
        )
        assert trial_day(design, day.day) == day
    # Every period starts with its washout, whatever came before it.
    starts = [d for d in days if d.day_in_period == 1]
    assert len(starts) == 2 * pairs
    assert sum(d.washout for d in days) == 2 * pairs * washout
    # Each pair has one A period and one B period.
    for pair in range(1, pairs + 1):
        assert sorted(d.regimen for d in starts if d.pair == pair) == ["A", "B"]
    assert trial_day(design, START - timedelta(days=1)) is None
    assert trial_day(design, design.end) is None
    assert trial_day(design, design.end - timedelta(days=1)) == days[-1]


def test_period_bounds_match_the_days() -> None:
    design = make(pairs=3, period_days=10, washout_days=2, seed=3)
    bounds = period_bounds(design)
    assert len(bounds) == 6
    days = trial_days(design)
    for pair, period, regimen, first, last in bounds:
        inside = [d for d in days if d.pair == pair and d.period == period]
        assert (inside[0].day, inside[-1].day) == (first, last)
        assert {d.regimen for d in inside} == {regimen}
        assert (last - first).days == 9
    assert bounds[0][3] == START
    assert bounds[-1][4] == design.end - timedelta(days=1)


def test_json_round_trip() -> None:
    design = make(regimen_a="2 g split", regimen_b="4 g once", outcome="nrs", pairs=5)
    stored = json.loads(json.dumps(design_to_json(design)))
    assert stored["start"] == "2026-01-05"
    assert stored["order"] == list(design.order)
    assert design_from_json(stored) == design


def test_a_tampered_order_is_caught() -> None:
    stored = design_to_json(make(pairs=6))
    flipped = ["BA" if o == "AB" else "AB" for o in stored["order"]]
    for order in (flipped, stored["order"][:-1], "AB,BA", None):
        with pytest.raises(InputError) as error:
            design_from_json({**stored, "order": order})
        assert error.value.field == "seed"
        assert "has been changed" in error.value.problem
    # So is a seed changed to one that draws another order.
    other = next(s for s in range(100) if draw_order(s, 6) != tuple(stored["order"]))
    with pytest.raises(InputError, match="seed"):
        design_from_json({**stored, "seed": other})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pairs": 9}, "pairs"),
        ({"start": "05/01/2026"}, "start"),
        ({"start": None}, "start"),
        ({"outcome": "vas"}, "outcome"),
        ({"regimen_b": "2 G"}, "regimen-b"),
    ],
)
def test_stored_designs_are_checked_again(changes: dict[str, Any], field: str) -> None:
    stored = {**design_to_json(make()), **changes}
    with pytest.raises(InputError) as error:
        design_from_json(stored)
    assert error.value.field == field


def test_a_missing_stored_field_is_named() -> None:
    stored = design_to_json(make())
    del stored["washout_days"]
    with pytest.raises(InputError) as error:
        design_from_json(stored)
    assert error.value.field == "washout-days"


@pytest.mark.parametrize(
    "label",
    ["none", "No Kratom", "nothing", "OFF", "0", "0 g", "0g", "0.0 g", "usual care",
     "placebo", "placebo capsules"],
)  # fmt: skip
def test_no_kratom_is_warned_about(label: str) -> None:
    assert means_no_kratom(label)
    for a, b in ((label, "3 g"), ("3 g", label)):
        warnings = design_warnings(make(regimen_a=a, regimen_b=b))
        assert "withdrawal" in warnings[0]
        assert "two doses" in warnings[0]
        assert "clinician" in warnings[0]


@pytest.mark.parametrize("label", ["2 g", "0.5 g", "10 g", "3 g split", "noon dose"])
def test_doses_are_not_mistaken_for_none(label: str) -> None:
    assert not means_no_kratom(label)
    warnings = design_warnings(make(regimen_a=label, regimen_b="usual dose"))
    assert not any("withdrawal" in w for w in warnings)


@pytest.mark.parametrize(
    ("pairs", "text"),
    [(3, "0.25 (2 in 8)"), (4, "0.125 (2 in 16)"), (5, "0.0625"), (6, "0.03125")],
)
def test_the_smallest_p_and_blinding_are_always_stated(pairs: int, text: str) -> None:
    warnings = design_warnings(make(pairs=pairs))
    assert len(warnings) == 2
    assert text in warnings[0]
    assert ("can never fall below 0.05" in warnings[0]) == (pairs < 6)
    assert "interval" in warnings[0]
    assert "not blinded" in warnings[1]


@pytest.mark.parametrize(
    ("label", "grams"),
    [
        ("2 g", "2"),
        ("2.5g", "2.5"),
        ("2,5 g per day", "2.5"),
        ("3 g a day", "3"),
        ("3 grams daily", "3"),
        ("3 g/day", "3"),
        ("3000 mg", "3"),
        ("none", "0"),
        ("no kratom", "0"),
        ("0 g", "0"),
    ],
)
def test_daily_grams_reads_a_days_amount(label: str, grams: str) -> None:
    from decimal import Decimal

    from kratom_journal.domain.trial import daily_grams

    assert daily_grams(label, "regimen-a") == Decimal(grams)


@pytest.mark.parametrize("label", ["2 g twice a day", "my usual", "3 tsp", "2 caps"])
def test_daily_grams_refuses_a_label_without_the_days_grams(label: str) -> None:
    from kratom_journal.domain.trial import daily_grams

    with pytest.raises(InputError, match=r"regimen-b: .*amount a day in grams"):
        daily_grams(label, "regimen-b")
