"""The analysis of a randomized N-of-1 trial: period means, exact test, AR(1) model, verdict.

Primary and model-free (research/anchors-pain-nof1.md §2.5): the mean of each period
after its washout days, the A-minus-B difference in each complete pair, a t-interval
on k-1 df over those differences and an exact randomization p-value over the 2**k
orders the design could have drawn.

Secondary: a model of the daily ratings, y_t = α + β·A_t + γ·t + ε_t with AR(1)
errors, which gives the approximate chance that the difference is at least the
minimal important difference. The model is in `trial_model.py`. Only the `kratom trial
analyze` path imports these modules, because numpy and scipy are slow to import.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import product
from types import MappingProxyType
from typing import TYPE_CHECKING

from scipy import stats  # type: ignore[import-untyped]

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.trial import (
    Design,
    Outcome,
    TrialDay,
    smallest_p,
    trial_days,
)
from kratom_journal.domain.trial_model import ModelResult, fit_model
from kratom_journal.domain.trial_plan import (  # the rules fixed at design time
    MIN_PAIRS,
    required_days,
)

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence


# The default minimal important difference: the PEG's, about 1 point on its 0-10
# scale (Reed et al., J Pain 2024). The service passes the figure for the trial's
# outcome from the knowledge base, where its source, date and grade live.
MID = 1.0
_TIE = 1e-12  # differences of means closer than this are ties in the exact test
_NO_SIDE_EFFECTS: Mapping[date, Mapping[str, int]] = MappingProxyType({})


@dataclass(frozen=True)
class PeriodResult:
    pair: int
    period: int
    regimen: str  # "A" or "B"
    first: date
    last: date
    days_expected: int  # the period's days after the washout
    days_used: int  # of those, the ones with a rating and not off-plan
    mean: float | None
    counts: bool  # enough days rated: ceil(MIN_SHARE_OF_DAYS * days_expected)


@dataclass(frozen=True)
class SideEffectRate:
    name: str
    regimen: str  # "A" or "B"
    days_with: int  # analysable logged days on which it was reported (> 0)
    days_logged: int  # analysable days with a side-effect log


class Status(StrEnum):
    NOT_ENOUGH_DATA = "not-enough-data"
    EVIDENCE = "evidence"
    NO_EVIDENCE = "no-evidence"


@dataclass(frozen=True)
class Analysis:
    design: Design
    status: Status
    verdict: str  # one plain sentence, with the uncertainty
    needs: str | None  # what more data a result needs, when there is not enough
    periods: tuple[PeriodResult, ...]
    complete_pairs: int
    differences: tuple[float, ...]  # per complete pair: mean(A) - mean(B)
    mean_difference: float | None
    low: float | None  # 95% t-interval on k-1 df over the differences
    high: float | None
    randomization_p: float | None
    smallest_p: float
    model: ModelResult | None
    side_effects: tuple[SideEffectRate, ...]
    limits: tuple[str, ...]
    mid: float = MID  # the difference that matters, in points on 0-10
    ignored_checkins: int = 0  # check-ins on trial days that are not its ratings


def randomization_p(differences: Sequence[float]) -> float:
    """The exact two-sided p-value of the mean pair difference under re-randomization.

    Each pair's order was drawn AB or BA at random; drawing the other order swaps
    which period is A and so flips the sign of that pair's difference. Under the
    null hypothesis that the regimen makes no difference to any day, every one of
    the 2**k sign patterns was as likely as the one observed. p is the share of them
    whose mean difference is at least as far from 0 as the observed one (ties
    count). The randomization itself is the basis of the test, so it stays exact
    whatever the autocorrelation, trend or distribution of the daily ratings.
    """
    k = len(differences)
    if k == 0:
        return 1.0
    observed = abs(math.fsum(differences)) / k
    extreme = 0
    for signs in product((1.0, -1.0), repeat=k):
        flipped = (
            abs(math.fsum(s * d for s, d in zip(signs, differences, strict=True))) / k
        )
        extreme += flipped >= observed - _TIE
    return extreme / (1 << k)


def analyze(
    design: Design,
    daily: Mapping[date, float],
    *,
    off_plan: Collection[date] = (),
    side_effects: Mapping[date, Mapping[str, int]] = _NO_SIDE_EFFECTS,
    as_of: date | None = None,
    mid: float = MID,
    ignored_checkins: int = 0,
) -> Analysis:
    """The trial's result from each day's outcome value (the day's one rating).

    Washout days, off-plan days, days outside the trial and days after `as_of` are
    ignored. Both analyses use the days of the complete pairs only, so they rest on
    the same evidence; side effects are counted over every analysable day.
    """
    for day, value in daily.items():
        _check_value(day, value)
    skipped = set(off_plan)
    days = [d for d in trial_days(design) if as_of is None or d.day <= as_of]
    analysable = [d for d in days if not d.washout and d.day not in skipped]
    periods = _periods(design, analysable, daily)
    complete = [
        (first, second)
        for first, second in zip(periods[::2], periods[1::2], strict=True)
        if first.counts and second.counts
    ]
    differences = tuple(_difference(first, second) for first, second in complete)
    k = len(differences)
    effects = _side_effects(analysable, side_effects)
    limits = _limits(design, days, analysable, periods, as_of)
    if ignored_checkins:
        limits.insert(
            -1,
            f"{_n(ignored_checkins, 'other check-in')} on trial days "
            f"{'was' if ignored_checkins == 1 else 'were'} not used: the trial uses "
            "only its one daily rating (`kratom trial log`), so check-ins before and "
            "after doses cannot tilt the comparison.",
        )
    if k < MIN_PAIRS:
        limits.insert(
            1,
            f"The design has {_pairs(design.pairs)}; with all of them complete, the "
            "smallest two-sided randomization p-value possible is "
            f"{smallest_p(design.pairs):.4g}.",
        )
        return Analysis(
            design=design,
            status=Status.NOT_ENOUGH_DATA,
            verdict=(
                f"Not enough data yet: {_pairs(k)} complete so far, and at least "
                f"{MIN_PAIRS} are needed before a result is shown."
            ),
            needs=_needs(design, periods, k, as_of),
            periods=tuple(periods),
            complete_pairs=k,
            differences=differences,
            mean_difference=None,
            low=None,
            high=None,
            randomization_p=None,
            smallest_p=smallest_p(k),
            model=None,
            side_effects=effects,
            limits=tuple(limits),
            mid=mid,
            ignored_checkins=ignored_checkins,
        )
    mean, low, high = _t_interval(differences)
    p = randomization_p(differences)
    complete_pairs = {first.pair for first, _ in complete}
    used = [d for d in analysable if d.pair in complete_pairs and d.day in daily]
    model = fit_model(design, used, daily, mid)
    # Both analyses must agree: on null data each alone is wrong 5% of the time.
    side = _side(low, high)
    agree = model is not None and side != 0 and side == _side(model.low, model.high)
    status = Status.EVIDENCE if agree else Status.NO_EVIDENCE
    sp = smallest_p(k)
    limits.insert(
        1,
        f"With {_pairs(k)} complete, the smallest two-sided randomization p-value "
        f"possible is {sp:.4g}; here it is {p:.4g}."
        + (" So the estimate and its interval say more than p." if sp >= 0.05 else ""),
    )
    limits.insert(2, _model_limit(model))
    return Analysis(
        design=design,
        status=status,
        verdict=_verdict(design, status, mean, low, high, k, model, mid),
        needs=None,
        periods=tuple(periods),
        complete_pairs=k,
        differences=differences,
        mean_difference=mean,
        low=low,
        high=high,
        randomization_p=p,
        smallest_p=sp,
        model=model,
        side_effects=effects,
        limits=tuple(limits),
        mid=mid,
        ignored_checkins=ignored_checkins,
    )


def _side(low: float, high: float) -> int:
    """+1 when an interval lies above 0, -1 below it, 0 when it includes 0."""
    return 1 if low > 0 else -1 if high < 0 else 0


def _check_value(day: date, value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value <= 10
    ):
        raise InputError(
            "outcome", f"the value for {day} must be 0 to 10 (got {value!r})"
        )


def _periods(
    design: Design, analysable: list[TrialDay], daily: Mapping[date, float]
) -> list[PeriodResult]:
    expected = design.period_days - design.washout_days
    results = []
    for index in range(2 * design.pairs):
        pair, period = index // 2 + 1, index % 2 + 1
        values = [
            daily[d.day]
            for d in analysable
            if d.pair == pair and d.period == period and d.day in daily
        ]
        first = design.start + _days(index * design.period_days)
        results.append(
            PeriodResult(
                pair=pair,
                period=period,
                regimen=design.order[pair - 1][period - 1],
                first=first,
                last=first + _days(design.period_days - 1),
                days_expected=expected,
                days_used=len(values),
                mean=math.fsum(values) / len(values) if values else None,
                counts=len(values) >= required_days(expected),
            )
        )
    return results


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _difference(first: PeriodResult, second: PeriodResult) -> float:
    a, b = (first, second) if first.regimen == "A" else (second, first)
    assert a.mean is not None and b.mean is not None  # both periods count
    return a.mean - b.mean


def _t_interval(differences: Sequence[float]) -> tuple[float, float, float]:
    k = len(differences)
    mean = math.fsum(differences) / k
    sd = math.sqrt(math.fsum((d - mean) ** 2 for d in differences) / (k - 1))
    half = float(stats.t.ppf(0.975, k - 1)) * sd / math.sqrt(k)
    return mean, mean - half, mean + half


def _side_effects(
    analysable: list[TrialDay], logs: Mapping[date, Mapping[str, int]]
) -> tuple[SideEffectRate, ...]:
    logged = [d for d in analysable if d.day in logs]
    names = sorted({name for d in logged for name in logs[d.day]})
    rates = []
    for name in names:
        for regimen in ("A", "B"):
            on = [d for d in logged if d.regimen == regimen]
            with_it = sum(1 for d in on if logs[d.day].get(name, 0) > 0)
            rates.append(SideEffectRate(name, regimen, with_it, len(on)))
    return tuple(rates)


def _limits(
    design: Design,
    days: list[TrialDay],
    analysable: list[TrialDay],
    periods: list[PeriodResult],
    as_of: date | None,
) -> list[str]:
    washout = sum(1 for d in days if d.washout)
    off_plan = sum(1 for d in days if not d.washout) - len(analysable)
    limits = [
        "The trial is not blinded: knowing which regimen is on can colour the ratings.",
        f"The first {design.washout_days} days of every period ({_n(washout, 'day')} so "
        "far) are left out as washout, so the previous regimen can wear off.",
        f"{_n(off_plan, 'off-plan day')} {'was' if off_plan == 1 else 'were'} left out."
        if off_plan
        else "No days were marked off-plan.",
    ]
    over = [p for p in periods if as_of is None or p.last <= as_of]
    short = [p for p in over if not p.counts]
    if short:
        expected = design.period_days - design.washout_days
        limits.append(
            f"{_n(len(short), 'period').capitalize()} had fewer than "
            f"{required_days(expected)} of {expected} days rated and did not count."
        )
    limits.append(
        "A result is information to discuss with a clinician, not an instruction to "
        "change a dose."
    )
    return limits


def _model_limit(model: ModelResult | None) -> str:
    if model is None:
        return (
            "The day-by-day model could not be fitted to these ratings, so no result "
            "can count as clear evidence."
        )
    return (
        "The chances come from an approximate day-by-day model (a linear trend and "
        f"day-to-day correlation, here about {model.rho:.2f}); its 95% interval for "
        f"the difference ({_fmt(model.low)} to {_fmt(model.high)}) must agree with the "
        "period means before a result counts as clear."
    )


def _needs(
    design: Design, periods: list[PeriodResult], complete: int, as_of: date | None
) -> str:
    expected = design.period_days - design.washout_days
    more = MIN_PAIRS - complete
    text = (
        f"{more} more complete {'pair' if more == 1 else 'pairs'} of periods "
        f"{'is' if more == 1 else 'are'} needed ({complete} of {MIN_PAIRS} so far); "
        "a period counts when at least "
        f"{required_days(expected)} of its {expected} days after the washout have a rating."
    )
    if as_of is not None:
        possible = sum(
            1
            for first, second in zip(periods[::2], periods[1::2], strict=True)
            if not (first.counts and second.counts)
            and _can_count(first, as_of)
            and _can_count(second, as_of)
        )
        if possible < more:
            text += " Too few days are left in this trial for that."
    return text


def _can_count(period: PeriodResult, as_of: date) -> bool:
    if period.counts:
        return True
    days_left = min((period.last - as_of).days, period.days_expected)
    return period.days_used + max(days_left, 0) >= required_days(period.days_expected)


def _verdict(
    design: Design,
    status: Status,
    mean: float,
    low: float,
    high: float,
    pairs: int,
    model: ModelResult | None,
    mid: float,
) -> str:
    outcome = "pain (PEG)" if design.outcome is Outcome.PEG else "pain (0-10)"
    a, b = design.regimen_a, design.regimen_b
    # Say which regimen had the lower outcome, with the interval of that decrease.
    if mean <= 0:
        better, other, amount, lo, hi = a, b, -mean, -high, -low
    else:
        better, other, amount, lo, hi = b, a, mean, low, high
    interval = f"95% interval {_fmt(lo)} to {_fmt(hi)}"
    if status is Status.EVIDENCE:
        assert model is not None  # evidence needs the model to agree
        chance = model.p_a_better if better == a else model.p_b_better
        return (
            f"On {better}, {outcome} was {_fmt(amount)} points lower than on {other} "
            f"({interval}) over {_pairs(pairs)}; the approximate chance that the "
            f"difference is at least {_points(mid)} is {_percent(chance)}."
        )
    if _side(low, high) != 0:  # the period means alone exclude no difference
        found = (
            f"The period means point to {better}, with {outcome} {_fmt(amount)} points "
            f"lower than on {other} ({interval}) over {_pairs(pairs)}, but "
        )
        if model is None:
            return found + (
                "the day-by-day model could not be fitted to check this, so it is not "
                "counted as clear."
            )
        m_lo, m_hi = (
            (-model.high, -model.low) if better == a else (model.low, model.high)
        )
        return found + (
            "the day-by-day model does not confirm it (its 95% interval is "
            f"{_fmt(m_lo)} to {_fmt(m_hi)}), so it is not counted as clear."
        )
    if _fmt(amount) == "0.0":
        return (
            f"No clear difference between {a} and {b}: {outcome} was about the same on "
            f"both (difference 0.0 points, 95% interval {_fmt(low)} to {_fmt(high)}) "
            f"over {_pairs(pairs)}."
        )
    return (
        f"No clear difference between {a} and {b}: {outcome} was {_fmt(amount)} points "
        f"lower on {better} ({interval}) over {_pairs(pairs)}."
    )


def _points(value: float) -> str:
    return f"{value:g} point" if value == 1 else f"{value:g} points"


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _percent(chance: float) -> str:
    if chance > 0.99:
        return "over 99%"
    if chance < 0.01:
        return "under 1%"
    return f"about {round(chance * 100)}%"


def _pairs(n: int) -> str:
    return _n(n, "pair") + " of periods"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
