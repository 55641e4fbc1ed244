"""Randomized N-of-1 trials: the design, its seeded AB/BA order and its day calendar.

A trial compares two regimens, A and B, in `pairs` pairs of periods. Inside each pair
the order (AB or BA) is drawn from `random.Random(seed)`, so anyone holding the
seed can redraw it and check it. Pure: dates come in as arguments.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.quantities import parse_grams

if TYPE_CHECKING:
    from collections.abc import Mapping


class Outcome(StrEnum):
    PEG = "peg"  # mean of the three PEG items, 0-10
    NRS = "nrs"  # pain intensity, 0-10


# Inclusive limits. Mitragynine's half-life of about a day (up to 45 h) means a new
# steady state takes days: periods of 1-2 weeks, the first 2-3 days of each
# discarded (research/anchors-pain-nof1.md §2.5).
PAIRS_LIMITS = (3, 6)
PERIOD_DAYS_LIMITS = (7, 14)
WASHOUT_DAYS_LIMITS = (2, 3)
MAX_LABEL = 60
SEED_LIMIT = 2**63  # seeds are 0 <= seed < 2**63, so they fit a signed 64-bit column
ORDERS = ("AB", "BA")

# Labels that mean "no kratom" in one of the periods.
_NO_KRATOM = frozenset(
    {
        "none",
        "no kratom",
        "nothing",
        "off",
        "no",
        "zero",
        "usual care",
        "placebo",
        "abstain",
        "abstinence",
        "stop",
        "stopped",
        "without kratom",
        "kratom-free",
        "kratom free",
    }
)
_ZERO_AMOUNT = re.compile(r"^0+(?:[.,]0*)?\s*(?:g|grams?|mg)?$")
# "3 g", "3 g a day", "3g daily", "3 g/day", "3000 mg per day": one day's amount.
_DAILY = re.compile(
    r"^(?P<amount>\d+(?:[.,]\d+)?\s*(?:g|grams?|mg)?)"
    r"(?:\s*(?:a day|per day|each day|every day|daily|/\s*day))?$"
)


@dataclass(frozen=True)
class Design:
    regimen_a: str
    regimen_b: str
    pairs: int
    period_days: int
    washout_days: int
    outcome: Outcome
    seed: int
    start: date  # the first day of the first period (a local day)
    order: tuple[str, ...]  # "AB" or "BA" for each pair, drawn from the seed

    @property
    def end(self) -> date:
        """The day after the last period (exclusive)."""
        return self.start + timedelta(days=2 * self.pairs * self.period_days)

    def label(self, regimen: str) -> str:
        """The person's label for regimen "A" or "B"."""
        return self.regimen_a if regimen == "A" else self.regimen_b


@dataclass(frozen=True)
class TrialDay:
    day: date
    pair: int  # 1-based
    period: int  # 1 or 2 within the pair
    regimen: str  # "A" or "B"
    day_in_period: int  # 1-based
    washout: bool  # left out of the analysis


def draw_order(seed: int, pairs: int) -> tuple[str, ...]:
    """The AB/BA order of each pair: one `Random(seed).choice(ORDERS)` per pair.

    Python seeds `random.Random` from an int the same way on every version and
    platform, so the order can be redrawn from the stored seed to audit it.
    """
    rng = random.Random(seed)
    return tuple(rng.choice(ORDERS) for _ in range(pairs))


def design_trial(
    regimen_a: str,
    regimen_b: str,
    *,
    pairs: int,
    period_days: int,
    washout_days: int,
    outcome: Outcome | str,
    seed: int,
    start: date,
) -> Design:
    """A checked design whose order is drawn from `seed` (see `draw_order`)."""
    label_a = _label("regimen-a", regimen_a)
    label_b = _label("regimen-b", regimen_b)
    if _same_label(label_a, label_b):
        raise InputError(
            "regimen-b", f"must differ from regimen A (both are {label_a!r})"
        )
    _whole("pairs", pairs, PAIRS_LIMITS, "pairs of periods")
    _whole("period-days", period_days, PERIOD_DAYS_LIMITS, "days")
    _whole("washout-days", washout_days, WASHOUT_DAYS_LIMITS, "days")
    try:
        chosen = Outcome(str(outcome).strip().lower())
    except ValueError:
        choices = " or ".join(o.value for o in Outcome)
        raise InputError("outcome", f"must be {choices} (got {outcome!r})") from None
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InputError("seed", f"must be a whole number (got {seed!r})")
    if not 0 <= seed < SEED_LIMIT:
        raise InputError("seed", f"must be from 0 to 2**63 - 1 (got {seed})")
    if isinstance(start, datetime) or not isinstance(start, date):
        raise InputError("start", f"must be a day such as 2026-03-02 (got {start!r})")
    try:  # the day after the end, and the one after it, must be a date (day bounds)
        start + timedelta(days=2 * pairs * period_days + 2)
    except OverflowError:
        raise InputError("start", f"{start} is too far in the future") from None
    return Design(
        regimen_a=label_a,
        regimen_b=label_b,
        pairs=pairs,
        period_days=period_days,
        washout_days=washout_days,
        outcome=chosen,
        seed=seed,
        start=start,
        order=draw_order(seed, pairs),
    )


def _label(field: str, text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InputError(field, "must name the regimen, e.g. '2 g twice a day'")
    label = text.strip()
    if len(label) > MAX_LABEL:
        raise InputError(
            field, f"must be at most {MAX_LABEL} characters (got {len(label)})"
        )
    return label


def _same_label(first: str, second: str) -> bool:
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def _whole(field: str, value: object, limits: tuple[int, int], unit: str) -> None:
    low, high = limits
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise InputError(field, f"must be {low} to {high} {unit} (got {value!r})")


def means_no_kratom(label: str) -> bool:
    """Whether a regimen label reads as taking no kratom at all."""
    text = " ".join(label.casefold().split())
    return text in _NO_KRATOM or "placebo" in text or bool(_ZERO_AMOUNT.match(text))


def daily_grams(label: str, field: str) -> Decimal:
    """The grams of kratom a day a regimen label names: 0 for no kratom.

    The safety check judges a trial by each regimen's amount a day, so a label
    that does not name it ("2 g twice a day", "my usual") is refused.
    """
    text = " ".join(label.casefold().split())
    if means_no_kratom(text):
        return Decimal(0)
    found = _DAILY.match(text)
    if found is None:
        raise InputError(
            field,
            f"{label.strip()!r} must give the amount a day in grams, e.g. '2 g' or "
            "'2 g a day' (or 'none'): the safety check judges each regimen by it",
        )
    amount = found["amount"].replace(",", ".").replace("grams", "g")
    return parse_grams(amount.replace("gram", "g"), field)


def smallest_p(pairs: int) -> float:
    """The smallest two-sided p an exact randomization test over `pairs` can give."""
    return min(1.0, 2.0 ** (1 - pairs))


def design_warnings(design: Design) -> list[str]:
    """Plain sentences about what this design can and cannot show."""
    warnings = []
    if means_no_kratom(design.regimen_a) or means_no_kratom(design.regimen_b):
        warnings.append(
            "Comparing kratom with no kratom is confounded: in the periods without it, "
            "withdrawal (aches, restlessness, poor sleep) can raise pain, and that cannot "
            "be hidden. Comparing two doses instead, such as the usual dose and a lower "
            "one, avoids this; agree the plan with a clinician."
        )
    p = smallest_p(design.pairs)
    if design.pairs < 6:
        warnings.append(
            f"With {design.pairs} pairs the smallest two-sided randomization p-value "
            f"possible is {p:.4g} (2 in {1 << design.pairs}), so it can never fall below "
            "0.05: the estimated difference and its interval matter more than p."
        )
    else:
        warnings.append(
            f"With {design.pairs} pairs the smallest two-sided randomization p-value "
            f"possible is {p:.4g} (2 in {1 << design.pairs}); even so, the estimated "
            "difference and its interval say more than p."
        )
    warnings.append(
        "The trial is not blinded: knowing which regimen is on can colour the ratings. "
        "Rating at the same time each day helps keep them comparable."
    )
    return warnings


def trial_day(design: Design, day: date) -> TrialDay | None:
    """Where `day` falls in the trial, or None before its start or from its end."""
    offset = (day - design.start).days
    if not 0 <= offset < 2 * design.pairs * design.period_days:
        return None
    index, in_period = divmod(offset, design.period_days)
    pair, period = divmod(index, 2)
    # The first washout_days of EVERY period are left out, even after a period of
    # the same regimen (BA then AB). That keeps the analysed days the same under
    # every possible order, which the exact randomization test relies on.
    return TrialDay(
        day=day,
        pair=pair + 1,
        period=period + 1,
        regimen=design.order[pair][period],
        day_in_period=in_period + 1,
        washout=in_period < design.washout_days,
    )


def trial_days(design: Design) -> list[TrialDay]:
    """Every day of the trial, in order."""
    total = 2 * design.pairs * design.period_days
    days = (trial_day(design, design.start + timedelta(days=n)) for n in range(total))
    return [d for d in days if d is not None]


def period_bounds(design: Design) -> list[tuple[int, int, str, date, date]]:
    """(pair, period, regimen, first day, last day inclusive) for every period."""
    bounds = []
    for index in range(2 * design.pairs):
        pair, period = divmod(index, 2)
        first = design.start + timedelta(days=index * design.period_days)
        last = first + timedelta(days=design.period_days - 1)
        bounds.append((pair + 1, period + 1, design.order[pair][period], first, last))
    return bounds


def design_to_json(design: Design) -> dict[str, Any]:
    """The design as plain JSON values, to store as a protocol event."""
    return {
        "regimen_a": design.regimen_a,
        "regimen_b": design.regimen_b,
        "pairs": design.pairs,
        "period_days": design.period_days,
        "washout_days": design.washout_days,
        "outcome": design.outcome.value,
        "seed": design.seed,
        "start": design.start.isoformat(),
        "order": list(design.order),
    }


_JSON_FIELDS = {
    "regimen_a": "regimen-a",
    "regimen_b": "regimen-b",
    "pairs": "pairs",
    "period_days": "period-days",
    "washout_days": "washout-days",
    "outcome": "outcome",
    "seed": "seed",
    "start": "start",
    "order": "seed",
}


def design_from_json(data: Mapping[str, Any]) -> Design:
    """The stored design, checked again; a stored order the seed does not give is refused."""
    for key, field in _JSON_FIELDS.items():
        if key not in data:
            raise InputError(field, f"is missing from the stored trial ({key})")
    try:
        start = date.fromisoformat(data["start"])
    except (TypeError, ValueError):
        problem = f"must be a day such as 2026-03-02 (got {data['start']!r})"
        raise InputError("start", problem) from None
    design = design_trial(
        data["regimen_a"],
        data["regimen_b"],
        pairs=data["pairs"],
        period_days=data["period_days"],
        washout_days=data["washout_days"],
        outcome=data["outcome"],
        seed=data["seed"],
        start=start,
    )
    stored = data["order"]
    if not isinstance(stored, list | tuple) or tuple(stored) != design.order:
        raise InputError(
            "seed",
            f"the stored order {stored!r} is not the order seed {design.seed} gives "
            f"({', '.join(design.order)}); the stored trial has been changed",
        )
    return design
