"""Taper plans: the daily amount cut week by week to zero, with optional holds.

Pure: dates come in as arguments; grams are exact Decimals in measurable increments.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


class Method(StrEnum):
    PERCENT = "percent"  # a share of the current amount: cuts shrink as it falls
    LINEAR = "linear"  # the same grams every week


MIN_STEP, MAX_STEP, DEFAULT_STEP = Decimal("0.05"), Decimal("0.25"), Decimal("0.10")
STEP_DAYS = 7
MAX_FROM_G = Decimal(50)
MIN_INCREMENT, MAX_INCREMENT = Decimal("0.01"), Decimal(5)
MAX_HOLD_DAYS = 28
# A linear cut of 1/N of the start each week is 5-25% of it only for N in 4..20.
MIN_LINEAR_WEEKS, MAX_LINEAR_WEEKS = 4, 20
# Weekly fractions tried, gentlest first, to fit a percent plan to a number of weeks.
_SEARCH_STEPS = tuple(MIN_STEP + Decimal("0.005") * k for k in range(41))
_NUMBER = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_STEP_TEXT = re.compile(rf"^{_NUMBER}\s*(%?)$")
_GRAMS_TEXT = re.compile(rf"^{_NUMBER}\s*(g|mg|grams?)?$")
_PER_DAY = re.compile(r"\s*(?:/\s*d(?:ay)?|per day|a day)$")


@dataclass(frozen=True)
class TaperRequest:
    from_g: Decimal  # grams a day now
    start: date  # the first day of step 1
    method: Method = Method.PERCENT
    step: Decimal | None = None  # weekly fraction; 10% when neither this nor weeks
    weeks: int | None = None  # the number of steps, the last being zero
    increment_g: Decimal = Decimal("0.25")  # the smallest amount the person measures


@dataclass(frozen=True)
class TaperStep:
    number: int  # 1-based
    start: date
    end: date  # exclusive: the next step's start
    target_g: Decimal  # grams a day during this step


@dataclass(frozen=True)
class Hold:
    on: date  # the day the hold was chosen
    days: int  # how much longer the step containing `on` lasts


@dataclass(frozen=True)
class Adherence:
    days: int  # finished plan days counted
    at_or_under: int
    over: tuple[date, ...]


def plan_taper(request: TaperRequest) -> tuple[TaperStep, ...]:
    """The weekly steps from `request.from_g` down to zero; the last step is 0 g."""
    _check_from(request.from_g)
    inc = request.increment_g
    if not (inc.is_finite() and MIN_INCREMENT <= inc <= MAX_INCREMENT):
        raise InputError("round", f"{_fmt(inc)} g is outside 0.01-5 g")
    if inc > request.from_g:
        raise InputError(
            "round",
            f"{_fmt(inc)} g is more than the {_fmt(request.from_g)} g a day now",
        )
    if request.step is not None and request.weeks is not None:
        raise InputError("step", "give a step or a number of weeks, not both")
    if request.step is not None:
        _check_step(request.step)
    if request.weeks is not None and request.weeks < 1:
        raise InputError("weeks", f"{request.weeks} weeks is too few; give 1 or more")
    plan = _percent_plan if request.method is Method.PERCENT else _linear_plan
    week = timedelta(days=STEP_DAYS)
    return tuple(
        TaperStep(n, request.start + week * (n - 1), request.start + week * n, target)
        for n, target in enumerate(plan(request), 1)
    )


def _percent(from_g: Decimal, step: Decimal, inc: Decimal) -> list[Decimal]:
    targets: list[Decimal] = []
    units = Fraction(from_g) / Fraction(inc)  # the current amount, in increments
    while units > 0:
        # Every week goes to a measurable amount strictly below the current one (so
        # the plan reaches zero), but never cuts more than the step asks for.
        cut_to = min(round(units * (1 - Fraction(step))), math.ceil(units) - 1)
        units = Fraction(max(cut_to, 0))
        targets.append(inc * int(units))
    return targets


def _percent_plan(request: TaperRequest) -> list[Decimal]:
    from_g, inc, weeks = request.from_g, request.increment_g, request.weeks
    if weeks is None:
        return _percent(from_g, request.step or DEFAULT_STEP, inc)
    plans = [_percent(from_g, step, inc) for step in _SEARCH_STEPS]
    for plan in plans:
        if len(plan) == weeks:
            return plan
    # 25% and 5% give the shortest and longest plans; rounding skips some between.
    lengths = sorted({len(plan) for plan in plans})
    lo, hi = lengths[0], lengths[-1]
    choice = f"choose between {lo} and {hi} weeks"
    if lo == hi:
        choice = f"the only length that fits is {_weeks(lo)}"
    elif lo < weeks < hi:
        below = max(n for n in lengths if n < weeks)
        above = min(n for n in lengths if n > weeks)
        choice = f"the nearest that fit are {below} and {above} weeks"
    raise InputError(
        "weeks",
        f"{_weeks(weeks)} is not possible from {_fmt(from_g)} g/day with 5-25% weekly "
        f"steps rounded to {_fmt(inc)} g; {choice}",
    )


def _linear(from_g: Decimal, weeks: int, cut: Fraction, inc: Decimal) -> list[Decimal]:
    """Targets `cut` grams lower each week, or [] when rounding makes two the same."""
    start, unit = Fraction(from_g), Fraction(inc)
    targets = [
        inc * round(max(start - i * cut, Fraction(0)) / unit)
        for i in range(1, weeks + 1)
    ]
    return targets if all(a > b for a, b in pairwise([from_g, *targets])) else []


def _linear_plan(request: TaperRequest) -> list[Decimal]:
    from_g, inc, weeks = request.from_g, request.increment_g, request.weeks
    if weeks is None:
        step = request.step or DEFAULT_STEP
        targets = _linear(from_g, math.ceil(1 / step), Fraction(from_g * step), inc)
        if not targets:  # "round": the step is fine; the increment cannot show it
            raise InputError(
                "round",
                f"{_fmt(inc)} g is too coarse to show {_fmt(step * 100)}% linear steps "
                f"from {_fmt(from_g)} g/day; choose a finer rounding or a larger step",
            )
        return targets
    if not MIN_LINEAR_WEEKS <= weeks <= MAX_LINEAR_WEEKS:
        raise InputError(
            "weeks",
            f"{_weeks(weeks)} would cut {Decimal(100) / weeks:.3g}% a week; a linear plan "
            f"takes {MIN_LINEAR_WEEKS}-{MAX_LINEAR_WEEKS} weeks (5-25% a week)",
        )
    targets = _linear(from_g, weeks, Fraction(from_g) / weeks, inc)
    if not targets:
        workable = [
            n
            for n in range(MIN_LINEAR_WEEKS, MAX_LINEAR_WEEKS + 1)
            if _linear(from_g, n, Fraction(from_g) / n, inc)
        ]
        most = f"at most {max(workable)}" if workable else "no number of"
        raise InputError(
            "weeks",
            f"rounding to {_fmt(inc)} g makes two of {weeks} weeks the same; from "
            f"{_fmt(from_g)} g/day it allows {most} weeks (or choose a finer rounding)",
        )
    return targets


def schedule(
    steps: Sequence[TaperStep], holds: Sequence[Hold]
) -> tuple[TaperStep, ...]:
    """The steps with holds applied in order of `on`: a hold lengthens the step it
    falls in and moves every later step; holds outside the plan change nothing."""
    shifted = list(steps)
    for hold in sorted(holds, key=lambda hold: hold.on):
        if not 1 <= hold.days <= MAX_HOLD_DAYS:
            raise InputError("days", f"a hold of {hold.days} days is outside 1-28 days")
        extra = timedelta(days=hold.days)
        for i, step in enumerate(shifted):
            if step.start <= hold.on < step.end:
                shifted[i] = replace(step, end=step.end + extra)
                shifted[i + 1 :] = [
                    replace(s, start=s.start + extra, end=s.end + extra)
                    for s in shifted[i + 1 :]
                ]
                break
    return tuple(shifted)


def target_on(steps: Sequence[TaperStep], day: date) -> Decimal | None:
    """The target for `day`: None before the plan starts, 0 after its last step."""
    if not steps or day < steps[0].start:
        return None
    return next((s.target_g for s in steps if s.start <= day < s.end), Decimal(0))


def daily_average(totals: Mapping[date, Decimal], end: date, days: int = 14) -> Decimal:
    """Grams a day over the `days` days ending with `end`; a day with nothing is 0."""
    if days < 1:
        raise InputError("days", f"{days} days is too few to average; give 1 or more")
    total = sum(
        (totals.get(end - timedelta(days=n), Decimal(0)) for n in range(days)),
        Decimal(0),
    )
    return (total / days).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def adherence(
    steps: Sequence[TaperStep], totals: Mapping[date, Decimal], today: date
) -> Adherence:
    """Plan days before `today` (up to the last step's end) against their targets;
    a day with nothing recorded counts as 0 g."""
    counted, over = 0, []
    for step in steps:
        for n in range((min(step.end, today) - step.start).days):
            day = step.start + timedelta(days=n)
            counted += 1
            if totals.get(day, Decimal(0)) > step.target_g:
                over.append(day)
    return Adherence(counted, counted - len(over), tuple(over))


def hold_suggested(totals: Mapping[date, int], today: date, high: int) -> bool:
    """Whether the withdrawal checklist stayed high, or rose, over the last days."""
    now = totals.get(today)
    yesterday = totals.get(today - timedelta(days=1))
    before = totals.get(today - timedelta(days=2))
    if now is None or yesterday is None:
        return False  # too little recorded to say
    if now >= high and yesterday >= high:
        return True
    return before is not None and before < yesterday < now


def parse_step(text: str) -> Decimal:
    """A weekly cut as "10%", "10 %" or "0.1"."""
    match = _STEP_TEXT.match(text.strip())
    if match is None:
        raise InputError("step", f"{text!r} is not a step; write a percent such as 10%")
    number = Decimal(match[1].replace(",", "."))
    if match[2]:
        number = number.scaleb(-2)
    elif number >= 1:
        # "10" could mean 10% or ten times the amount: ask rather than guess.
        raise InputError("step", f"{text!r} is unclear; write it as 10% or 0.10")
    _check_step(number)
    return number


def parse_daily_amount(text: str) -> Decimal:
    """Grams a day as "3g/day", "3 g/day", "3g", "3" or "2,5g"."""
    grams = _parse_grams(_PER_DAY.sub("", text.strip().lower()), text, "from")
    _check_from(grams)
    return grams


def parse_increment(text: str) -> Decimal:
    """A rounding unit as "0.25g", "0.25" or "250mg"."""
    grams = _parse_grams(text.strip().lower(), text, "round")
    if not MIN_INCREMENT <= grams <= MAX_INCREMENT:
        raise InputError("round", f"{_fmt(grams)} g is outside 0.01-5 g")
    return grams


def _parse_grams(cleaned: str, text: str, field: str) -> Decimal:
    if re.search(r"\d,\d{3}(?!\d)", cleaned):
        raise InputError(field, f"{text!r} is unclear: the comma may group thousands")
    match = _GRAMS_TEXT.match(cleaned)
    if match is None:
        raise InputError(field, f"{text!r} is not an amount in grams; write e.g. 2.5g")
    number = Decimal(match[1].replace(",", "."))
    return number.scaleb(-3) if match[2] == "mg" else number


def _check_from(grams: Decimal) -> None:
    if not (grams.is_finite() and 0 < grams <= MAX_FROM_G):
        raise InputError(
            "from",
            f"{_fmt(grams)} g/day is outside what a plan can start from "
            f"(more than 0, at most {MAX_FROM_G} g/day)",
        )


def _check_step(step: Decimal) -> None:
    if not (step.is_finite() and MIN_STEP <= step <= MAX_STEP):
        raise InputError("step", f"{_fmt(step * 100)}% is outside 5-25% a week")


def _weeks(count: int) -> str:
    return "1 week" if count == 1 else f"{count} weeks"


def _fmt(number: Decimal) -> str:
    return f"{number.normalize():f}"
