"""Taper plans, holds, targets by day, adherence and the hold suggestion."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.taper import (
    STEP_DAYS,
    Adherence,
    Hold,
    Method,
    TaperRequest,
    TaperStep,
    adherence,
    daily_average,
    hold_suggested,
    parse_daily_amount,
    parse_increment,
    parse_step,
    plan_taper,
    schedule,
    target_on,
)

D = Decimal
START = date(2026, 1, 5)
PERCENT, LINEAR = Method.PERCENT, Method.LINEAR


def day(month: int, dom: int) -> date:
    return date(2026, month, dom)


def grams(text: str) -> list[Decimal]:
    """Targets written as "3.5 3.25 3", to keep the tables short."""
    return [D(value) for value in text.split()]


QUARTERS_FROM_3_75 = " ".join(str(D("0.25") * n) for n in range(15, -1, -1))

# Worked by hand with the rules in the module (round half to even, in increments).
PLANS = [
    # 4 g/day, 10%, 0.25 g: 4*0.9=3.6 -> 14.4 incr -> 3.5; 3.5*0.9=3.15 -> 12.6 -> 3.25;
    # 1.25*0.9=1.125 -> 4.5 -> 4 (half to even) -> 1.0; 1.0*0.9 -> 3.6 -> 4 is no cut,
    # so one increment: 0.75; from there every week is one increment.
    (
        TaperRequest(D(4), START, step=D("0.10")),
        grams("3.5 3.25 3 2.75 2.5 2.25 2 1.75 1.5 1.25 1 0.75 0.5 0.25 0"),
    ),
    # Cuts shrink as the amount falls: 2 g, then 1.5, 1, 1, 0.5 g a week.
    (
        TaperRequest(D(10), START, step=D("0.20"), increment_g=D("0.5")),
        grams("8 6.5 5 4 3 2.5 2 1.5 1 0.5 0"),
    ),
    # Default 10%; 3.1*0.9=2.79 -> 11.16 -> 2.75, then one increment a week.
    (
        TaperRequest(D("3.1"), START),
        grams("2.75 2.5 2.25 2 1.75 1.5 1.25 1 0.75 0.5 0.25 0"),
    ),
    # 1.1*0.9 -> 0.99 rounds to 1.0, the largest measurable amount below 1.1: a
    # start off the rounding grid never costs a bigger first cut than the step.
    (TaperRequest(D("1.1"), START), grams("1 0.75 0.5 0.25 0")),
    # 4 g in 0.6 g capsules, 10%: 3.6 g (6 capsules), not 3.0.
    (
        TaperRequest(D(4), START, increment_g=D("0.6")),
        grams("3.6 3 2.4 1.8 1.2 0.6 0"),
    ),
    # Already one increment: straight to zero.
    (TaperRequest(D("0.25"), START), grams("0")),
    # 16 weeks is the 5% plan: 3.8 -> 15.2 -> 3.75, then one increment a week.
    (TaperRequest(D(4), START, weeks=16), grams(QUARTERS_FROM_3_75)),
    # 9 weeks is the 25% plan: 3, 2.25, 2.25*0.75 -> 6.75 -> 1.75, 1.3125 -> 5.25 ->
    # 1.25, 0.9375 -> 3.75 -> 1.0, 0.75, 0.5625 -> 2.25 -> 0.5, then increments.
    (
        TaperRequest(D(4), START, weeks=9),
        grams("3 2.25 1.75 1.25 1 0.75 0.5 0.25 0"),
    ),
    (TaperRequest(D(2), START, LINEAR, weeks=4), grams("1.5 1 0.5 0")),
    # 3*(4/5)=2.4 -> 9.6 -> 2.5; 1.8 -> 7.2 -> 1.75; 1.2 -> 4.8 -> 1.25; 0.6 -> 2.4 -> 0.5
    (
        TaperRequest(D(3), START, LINEAR, weeks=5),
        grams("2.5 1.75 1.25 0.5 0"),
    ),
    (
        TaperRequest(D(5), START, LINEAR, step=D("0.10"), increment_g=D("0.5")),
        grams("4.5 4 3.5 3 2.5 2 1.5 1 0.5 0"),
    ),
    # 15% of 4 g is 0.6 g a week over ceil(1/0.15)=7 weeks: 3.4 -> 3.5, 2.8 -> 2.75,
    # 2.2 -> 2.25, 1.6 -> 1.5, 1.0, 0.4 -> 1.6 incr -> 0.5, then 0.
    (
        TaperRequest(D(4), START, LINEAR, step=D("0.15")),
        grams("3.5 2.75 2.25 1.5 1 0.5 0"),
    ),
    # Linear with no step or weeks uses 10%: 0.2 g a week over 10 weeks.
    (
        TaperRequest(D(2), START, LINEAR, increment_g=D("0.1")),
        grams("1.8 1.6 1.4 1.2 1 0.8 0.6 0.4 0.2 0"),
    ),
]


@pytest.mark.parametrize(("request_", "targets"), PLANS)
def test_plans_worked_by_hand(request_: TaperRequest, targets: list[Decimal]) -> None:
    plan = plan_taper(request_)
    assert [step.target_g for step in plan] == targets
    assert [step.number for step in plan] == list(range(1, len(targets) + 1))


def test_steps_are_whole_weeks_from_the_start_day() -> None:
    plan = plan_taper(TaperRequest(D(2), START, LINEAR, weeks=4))
    assert plan == (
        TaperStep(1, day(1, 5), day(1, 12), D("1.5")),
        TaperStep(2, day(1, 12), day(1, 19), D("1")),
        TaperStep(3, day(1, 19), day(1, 26), D("0.5")),
        TaperStep(4, day(1, 26), day(2, 2), D("0")),
    )


REFUSED = [
    (TaperRequest(D(0), START), "from", "0 g/day is outside"),
    (TaperRequest(D("50.01"), START), "from", "at most 50 g/day"),
    (TaperRequest(D(3), START, step=D("0.30")), "step", "30% is outside 5-25% a week"),
    (TaperRequest(D(3), START, step=D("0.04")), "step", "4% is outside 5-25% a week"),
    (
        TaperRequest(D(3), START, step=D("0.1"), weeks=8),
        "step",
        "give a step or a number of weeks, not both",
    ),
    (TaperRequest(D(3), START, weeks=0), "weeks", "give 1 or more"),
    (TaperRequest(D(3), START, increment_g=D("0.005")), "round", "outside 0.01-5 g"),
    (TaperRequest(D(30), START, increment_g=D(6)), "round", "outside 0.01-5 g"),
    (
        TaperRequest(D("0.3"), START, increment_g=D("0.5")),
        "round",
        "more than the 0.3 g",
    ),
    # From 4 g at 0.25 g the plans take 9 (at 25%) to 16 (at 5%) weeks.
    (TaperRequest(D(4), START, weeks=20), "weeks", "choose between 9 and 16 weeks"),
    (
        TaperRequest(D(2), START, weeks=3, increment_g=D("0.5")),
        "weeks",
        "the only length that fits is 4 weeks",
    ),
    # From 4 g at 0.1 g rounding skips 30 weeks (29 at one step, 31 at the next).
    (
        TaperRequest(D(4), START, weeks=30, increment_g=D("0.1")),
        "weeks",
        "the nearest that fit are 29 and 31 weeks",
    ),
    (TaperRequest(D(3), START, LINEAR, weeks=3), "weeks", "33.3% a week"),
    (TaperRequest(D(3), START, LINEAR, weeks=21), "weeks", "4-20 weeks"),
    # 1 g over 5 weeks: 0.8 -> 0.75, 0.6 -> 0.5, 0.4 -> 0.5 (two weeks the same).
    (TaperRequest(D(1), START, LINEAR, weeks=5), "weeks", "at most 4 weeks"),
    (TaperRequest(D("0.5"), START, LINEAR, weeks=4), "weeks", "no number of weeks"),
    # 15% of 1 g: weeks 6 and 7 would both round to 0.
    (TaperRequest(D(1), START, LINEAR, step=D("0.15")), "round", "too coarse"),
]


@pytest.mark.parametrize(("request_", "field", "problem"), REFUSED)
def test_refused_plans_name_the_field(
    request_: TaperRequest, field: str, problem: str
) -> None:
    with pytest.raises(InputError) as raised:
        plan_taper(request_)
    assert raised.value.field == field
    assert problem in raised.value.problem


def test_a_skipped_length_has_plans_either_side() -> None:
    for weeks in (29, 31):
        request = TaperRequest(D(4), START, weeks=weeks, increment_g=D("0.1"))
        assert len(plan_taper(request)) == weeks


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("10%", "0.10"),
        ("10 %", "0.10"),
        ("0.1", "0.1"),
        (" 25% ", "0.25"),
        ("12,5%", "0.125"),
        ("5%", "0.05"),
        (".2", "0.2"),
    ],
)
def test_parse_step_accepts(text: str, step: str) -> None:
    assert parse_step(text) == D(step)


@pytest.mark.parametrize(
    "text", ["30%", "4%", "0.3", "10", "1", "", "abc", "-10%", "10%%", "0%"]
)
def test_parse_step_refuses(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_step(text)
    assert raised.value.field == "step"


@pytest.mark.parametrize(
    ("text", "grams_"),
    [
        ("3g/day", "3"),
        ("3 g/day", "3"),
        ("3g", "3"),
        ("3", "3"),
        ("2,5g", "2.5"),
        ("2.5 g per day", "2.5"),
        ("500mg/day", "0.5"),
        ("3 G/Day", "3"),
        ("50g", "50"),
    ],
)
def test_parse_daily_amount_accepts(text: str, grams_: str) -> None:
    assert parse_daily_amount(text) == D(grams_)


@pytest.mark.parametrize(
    "text", ["auto", "0", "0g", "51g", "-3g", "3 tsp", "", "2,500g", "3g/week"]
)
def test_parse_daily_amount_refuses(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_daily_amount(text)
    assert raised.value.field == "from"


@pytest.mark.parametrize(
    ("text", "grams_"),
    [
        ("0.25g", "0.25"),
        ("0.25", "0.25"),
        ("250mg", "0.25"),
        ("1 g", "1"),
        ("0,5g", "0.5"),
        ("10mg", "0.01"),
        ("5g", "5"),
    ],
)
def test_parse_increment_accepts(text: str, grams_: str) -> None:
    assert parse_increment(text) == D(grams_)


@pytest.mark.parametrize(
    "text", ["capsule", "5mg", "6g", "0", "abc", "0.25g/day", "1 tsp", ""]
)
def test_parse_increment_refuses(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_increment(text)
    assert raised.value.field == "round"


FOUR_WEEKS = plan_taper(TaperRequest(D(2), START, LINEAR, weeks=4))


def test_a_hold_lengthens_its_step_and_moves_the_rest() -> None:
    held = schedule(FOUR_WEEKS, [Hold(day(1, 14), 3)])
    assert [(s.start, s.end) for s in held] == [
        (day(1, 5), day(1, 12)),
        (day(1, 12), day(1, 22)),
        (day(1, 22), day(1, 29)),
        (day(1, 29), day(2, 5)),
    ]
    assert [s.target_g for s in held] == [s.target_g for s in FOUR_WEEKS]


def test_holds_apply_in_date_order_on_the_moved_plan() -> None:
    # After the hold on 14 Jan, 23 Jan falls in step 3 (22-29 Jan), not step 4.
    held = schedule(FOUR_WEEKS, [Hold(day(1, 23), 7), Hold(day(1, 14), 3)])
    assert [(s.start, s.end) for s in held] == [
        (day(1, 5), day(1, 12)),
        (day(1, 12), day(1, 22)),
        (day(1, 22), day(2, 5)),
        (day(2, 5), day(2, 12)),
    ]


@pytest.mark.parametrize("on", [day(1, 4), day(2, 2), day(3, 1)])
def test_a_hold_outside_the_plan_changes_nothing(on: date) -> None:
    assert schedule(FOUR_WEEKS, [Hold(on, 5)]) == FOUR_WEEKS


def test_a_hold_on_the_last_day_of_a_step_lengthens_that_step() -> None:
    held = schedule(FOUR_WEEKS, [Hold(day(1, 11), 2)])
    assert (held[0].end, held[1].start) == (day(1, 14), day(1, 14))


@pytest.mark.parametrize("days", [0, 29, -1])
def test_a_hold_must_be_1_to_28_days(days: int) -> None:
    with pytest.raises(InputError) as raised:
        schedule(FOUR_WEEKS, [Hold(day(1, 14), days)])
    assert raised.value.field == "days"


@pytest.mark.parametrize(
    ("on", "target"),
    [
        (day(1, 4), None),
        (day(1, 5), D("1.5")),
        (day(1, 11), D("1.5")),
        (day(1, 12), D("1")),
        (day(2, 1), D("0")),
        (day(2, 2), D("0")),
        (date(2030, 1, 1), D("0")),
    ],
)
def test_target_on(on: date, target: Decimal | None) -> None:
    assert target_on(FOUR_WEEKS, on) == target


def test_target_on_an_empty_plan_is_none() -> None:
    assert target_on((), START) is None


@pytest.mark.parametrize(
    ("totals", "days", "average"),
    [
        ({day(1, 10): D(2), day(1, 9): D(3)}, 14, "0.36"),  # 5/14 = 0.357
        ({day(1, 10): D(2), day(1, 9): D(3)}, 2, "2.50"),
        ({day(1, 10): D(2), day(1, 11): D(9)}, 1, "2.00"),  # the day after is not in it
        ({day(1, 10): D(1)}, 3, "0.33"),
        ({day(1, 10): D("0.125")}, 1, "0.12"),  # half to even
        ({}, 14, "0.00"),
    ],
)
def test_daily_average(totals: dict[date, Decimal], days: int, average: str) -> None:
    result = daily_average(totals, day(1, 10), days)
    assert result == D(average)
    assert result.as_tuple().exponent == -2


def test_daily_average_needs_a_day() -> None:
    with pytest.raises(InputError) as raised:
        daily_average({}, day(1, 10), 0)
    assert raised.value.field == "days"


TOTALS = {
    day(1, 5): D("1.5"),  # at the 1.5 g target
    day(1, 6): D("1.75"),  # over
    # 7 January: nothing recorded, counted as 0 g
    day(1, 12): D("1"),
    day(1, 13): D("1.25"),  # over the 1 g target
    day(1, 20): D("1"),  # step 3 (0.5 g) without a hold, step 2 (1 g) with one
    day(2, 1): D("0.25"),  # over the final 0 g target
    day(2, 10): D("3"),  # after the plan: not counted
}


@pytest.mark.parametrize(
    ("steps", "today", "expected"),
    [
        (FOUR_WEEKS, day(1, 5), Adherence(0, 0, ())),
        (FOUR_WEEKS, day(1, 1), Adherence(0, 0, ())),
        (FOUR_WEEKS, day(1, 14), Adherence(9, 7, (day(1, 6), day(1, 13)))),
        (
            FOUR_WEEKS,
            day(3, 1),
            Adherence(28, 24, (day(1, 6), day(1, 13), day(1, 20), day(2, 1))),
        ),
        (
            schedule(FOUR_WEEKS, [Hold(day(1, 14), 3)]),
            day(1, 21),
            Adherence(16, 14, (day(1, 6), day(1, 13))),
        ),
    ],
)
def test_adherence(
    steps: tuple[TaperStep, ...], today: date, expected: Adherence
) -> None:
    assert adherence(steps, TOTALS, today) == expected


TODAY = day(1, 20)


@pytest.mark.parametrize(
    ("totals", "suggested"),
    [
        ({day(1, 19): 16, TODAY: 15}, True),  # high two days running
        ({day(1, 19): 16, TODAY: 14}, False),
        ({day(1, 18): 5, day(1, 19): 7, TODAY: 9}, True),  # rising three days
        ({day(1, 18): 7, day(1, 19): 7, TODAY: 9}, False),  # not strictly rising
        ({day(1, 18): 9, day(1, 19): 7, TODAY: 5}, False),  # easing
        ({day(1, 19): 5, TODAY: 9}, False),  # rising, but only two days known
        ({day(1, 18): 5, TODAY: 9}, False),  # yesterday missing
        ({day(1, 19): 20}, False),  # today missing
        ({TODAY: 20}, False),
        ({day(1, 18): 20, day(1, 19): 20}, False),
    ],
)
def test_hold_suggested(totals: dict[date, int], suggested: bool) -> None:
    assert hold_suggested(totals, TODAY, high=15) is suggested


# Properties over many requests.
amounts = st.integers(10, 600).map(lambda n: D(n) * D("0.05"))
increments = st.sampled_from(grams("0.01 0.05 0.1 0.25 0.5"))
fractions = st.integers(10, 50).map(lambda n: D(n) * D("0.005"))


@st.composite
def requests(draw: st.DrawFn) -> TaperRequest:
    kind = draw(st.sampled_from(["default", "step", "weeks"]))
    return TaperRequest(
        from_g=draw(amounts),
        start=START + timedelta(days=draw(st.integers(0, 400))),
        method=draw(st.sampled_from(Method)),
        step=draw(fractions) if kind == "step" else None,
        weeks=draw(st.integers(1, 40)) if kind == "weeks" else None,
        increment_g=draw(increments),
    )


def plan_or_skip(request: TaperRequest) -> tuple[TaperStep, ...]:
    """The plan; a legitimate refusal (weeks that do not fit, coarse rounding) skips."""
    try:
        return plan_taper(request)
    except InputError as error:
        if request.weeks is not None:
            assert error.field == "weeks"
        else:
            assert (request.method, error.field) == (LINEAR, "round")
        assume(False)
        raise


@given(requests())
def test_targets_fall_in_whole_increments_to_one_final_zero(
    request: TaperRequest,
) -> None:
    targets = [step.target_g for step in plan_or_skip(request)]
    assert all(a > b for a, b in pairwise([request.from_g, *targets]))
    assert all(target % request.increment_g == 0 for target in targets)
    assert all(target >= 0 for target in targets)
    assert targets[-1] == 0
    assert all(target > 0 for target in targets[:-1])


@given(requests())
def test_steps_are_consecutive_weeks(request: TaperRequest) -> None:
    plan = plan_or_skip(request)
    assert plan[0].start == request.start
    assert all(b.start == a.end for a, b in pairwise(plan))
    assert all(s.end - s.start == timedelta(days=STEP_DAYS) for s in plan)
    if request.weeks is not None:
        assert len(plan) == request.weeks


@given(requests(), st.data())
def test_a_hold_moves_only_what_follows(
    request: TaperRequest, data: st.DataObject
) -> None:
    plan = plan_or_skip(request)
    span = (plan[-1].end - plan[0].start).days
    on = plan[0].start + timedelta(days=data.draw(st.integers(-10, span + 10)))
    days = data.draw(st.integers(1, 28))
    held = schedule(plan, [Hold(on, days)])
    assert [(s.number, s.target_g) for s in held] == [
        (s.number, s.target_g) for s in plan
    ]
    inside = [i for i, s in enumerate(plan) if s.start <= on < s.end]
    if not inside:
        assert held == plan
        return
    k, extra = inside[0], timedelta(days=days)
    assert held[:k] == plan[:k]
    assert (held[k].start, held[k].end) == (plan[k].start, plan[k].end + extra)
    for before, after in zip(plan[k + 1 :], held[k + 1 :], strict=True):
        assert (after.start, after.end) == (before.start + extra, before.end + extra)


@given(requests(), st.data())
def test_target_on_agrees_with_the_schedule(
    request: TaperRequest, data: st.DataObject
) -> None:
    plan = plan_or_skip(request)
    span = (plan[-1].end - plan[0].start).days
    holds = data.draw(
        st.lists(
            st.builds(
                Hold,
                on=st.integers(0, span).map(lambda n: plan[0].start + timedelta(n)),
                days=st.integers(1, 28),
            ),
            max_size=3,
        )
    )
    held = schedule(plan, holds)
    assert all(b.start == a.end for a, b in pairwise(held))
    by_day = {
        s.start + timedelta(days=n): s.target_g
        for s in held
        for n in range((s.end - s.start).days)
    }
    first, last = held[0].start, held[-1].end
    for n in range(-3, (last - first).days + 3):
        on = first + timedelta(days=n)
        expected = by_day.get(on, None if on < first else D(0))
        assert target_on(held, on) == expected
