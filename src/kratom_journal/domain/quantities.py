"""Quantities as a person types them ("2,5g", "½ tsp", "3 caps") and their grams.

The number entered is kept exactly (as a Fraction, so "1/3 tsp" survives a round
trip); grams are a Decimal rounded to the milligram. Spoons and capsules convert
through the product's calibration, or through documented defaults, in which case
the amount is marked approximate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

from kratom_journal.domain.errors import ConfirmationNeeded, InputError

MILLIGRAM = Decimal("0.001")
# Input limits set by the product brief: more than this in one dose is refused as a
# typo, and above the confirmation level the person must say it is what they took.
MAX_DOSE_GRAMS = Decimal(50)
CONFIRM_ABOVE_GRAMS = Decimal(15)
MAX_ENTERED = 40
# One US tablespoon holds exactly three US teaspoons.
TEASPOONS_PER_TABLESPOON = 3


class Unit(StrEnum):
    """The units a dose can be entered in."""

    GRAM = "g"
    MILLIGRAM = "mg"
    TEASPOON = "tsp"
    TABLESPOON = "tbsp"
    CAPSULE = "capsule"

    @property
    def is_mass(self) -> bool:
        return self in (Unit.GRAM, Unit.MILLIGRAM)


_UNIT_WORDS: dict[str, Unit] = {
    "g": Unit.GRAM,
    "gr": Unit.GRAM,
    "gram": Unit.GRAM,
    "grams": Unit.GRAM,
    "mg": Unit.MILLIGRAM,
    "milligram": Unit.MILLIGRAM,
    "milligrams": Unit.MILLIGRAM,
    "tsp": Unit.TEASPOON,
    "tsps": Unit.TEASPOON,
    "teaspoon": Unit.TEASPOON,
    "teaspoons": Unit.TEASPOON,
    "tbsp": Unit.TABLESPOON,
    "tbsps": Unit.TABLESPOON,
    "tablespoon": Unit.TABLESPOON,
    "tablespoons": Unit.TABLESPOON,
    "cap": Unit.CAPSULE,
    "caps": Unit.CAPSULE,
    "capsule": Unit.CAPSULE,
    "capsules": Unit.CAPSULE,
}
ACCEPTED_UNITS = "g, mg, tsp, tbsp, caps"
_NUMBER = r"(?:\d+(?:[.,]\d+)?|[.,]\d+)"
# The whole part may not be followed by a digit or "/": without that, "12/5 g" would
# backtrack into the mixed number 1 2/5 instead of the fraction 12/5.
_QUANTITY = re.compile(
    rf"^\s*(?:(?P<whole>{_NUMBER})(?![\d/]))?\s*(?:(?P<num>\d+)\s*/\s*(?P<den>\d+)|(?P<vulgar>[\u00bc-\u00be\u2150-\u215e]))?"
    r"\s*(?P<unit>[^\d\s]*)\s*$"
)


@dataclass(frozen=True)
class Quantity:
    """A number and a unit; `entered` keeps the person's own spelling ("½ tsp")."""

    number: Fraction
    unit: Unit
    entered: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.entered or self.canonical()

    def canonical(self) -> str:
        """The normalised spelling: "2.5g", "1/3 tsp", "3 capsules"."""
        unit = self.unit.value
        if self.unit is Unit.CAPSULE:
            unit = "capsule" if self.number == 1 else "capsules"
        separator = "" if self.unit.is_mass else " "
        return f"{format_number(self.number)}{separator}{unit}"


def format_number(number: Fraction) -> str:
    """Write a number as a decimal when it has one, else as a fraction ("1/3")."""
    den = number.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return f"{number.numerator}/{number.denominator}"
    text = format(Decimal(number.numerator) / Decimal(number.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@lru_cache(maxsize=1024)  # pure, and a journal repeats the same few spellings
def parse_quantity(text: str, field: str = "amount") -> Quantity:
    """Parse "2g", "2,5 g", "500mg", "½ tsp", "1 1/2 tsp", "3 caps" and the like.

    Raises:
        InputError: for an empty value, a missing or unknown unit, or a number
            that is zero, negative or not finite.
    """
    cleaned = text.strip().lower()
    if len(cleaned) > MAX_ENTERED:
        raise InputError(field, f"is longer than {MAX_ENTERED} characters")
    if not cleaned:
        raise InputError(
            field, f"is empty; give an amount such as 2g ({ACCEPTED_UNITS})"
        )
    if cleaned.startswith(("-", "\u2212")):
        raise InputError(field, f"{text!r} is negative; an amount must be above zero")
    if re.search(r"\d,\d{3}(?!\d)", cleaned):
        raise InputError(
            field,
            f"{text!r} is ambiguous: a comma before three digits may be a "
            "thousands separator; write 1000mg or 1.0g",
        )
    match = _QUANTITY.match(cleaned)
    if match is None or not (match["whole"] or match["num"] or match["vulgar"]):
        raise InputError(
            field,
            f"{text!r} is not an amount; write a number and a unit, e.g. 2g, "
            f"2.5 g, 500mg, 1/2 tsp, 3 caps ({ACCEPTED_UNITS})",
        )
    number = Fraction(0)
    if match["whole"]:
        number += Fraction(match["whole"].replace(",", "."))
    if match["num"]:
        if int(match["den"]) == 0:
            raise InputError(field, f"{text!r} divides by zero")
        number += Fraction(int(match["num"]), int(match["den"]))
    if match["vulgar"]:
        number += Fraction(unicodedata.numeric(match["vulgar"])).limit_denominator(16)
    unit_word = match["unit"].rstrip(".")
    if not unit_word:
        raise InputError(
            field,
            f"{text!r} has no unit; add one of {ACCEPTED_UNITS}, e.g. {text.strip()}g",
        )
    unit = _UNIT_WORDS.get(unit_word)
    if unit is None:
        raise InputError(
            field, f"unknown unit {unit_word!r} in {text!r}; use {ACCEPTED_UNITS}"
        )
    if number <= 0:
        raise InputError(field, f"{text!r} is zero; an amount must be above zero")
    return Quantity(number, unit, " ".join(text.split()))


@dataclass(frozen=True)
class Calibration:
    """Grams per level teaspoon and per capsule, for one product or as defaults."""

    tsp_grams: Decimal | None = None
    capsule_grams: Decimal | None = None


@dataclass(frozen=True)
class Amount:
    """Grams of product for a dose, with the quantity entered and how exact it is."""

    grams: Decimal
    quantity: Quantity
    approximate: bool


def to_grams(
    quantity: Quantity, calibration: Calibration, defaults: Calibration
) -> Amount:
    """Convert a quantity to grams of product.

    A measured calibration gives an exact conversion; a documented default gives
    an approximate one. Raises InputError when neither is known.
    """
    if quantity.unit is Unit.GRAM:
        return Amount(_round_grams(quantity.number), quantity, approximate=False)
    if quantity.unit is Unit.MILLIGRAM:
        return Amount(_round_grams(quantity.number / 1000), quantity, approximate=False)
    if quantity.unit is Unit.CAPSULE:
        per_unit, approximate = _pick(calibration.capsule_grams, defaults.capsule_grams)
        factor = Fraction(1)
    else:
        per_unit, approximate = _pick(calibration.tsp_grams, defaults.tsp_grams)
        factor = Fraction(
            TEASPOONS_PER_TABLESPOON if quantity.unit is Unit.TABLESPOON else 1
        )
    if per_unit is None:
        raise InputError("amount", f"no conversion known for {quantity.unit.value}")
    grams = _round_grams(quantity.number * factor * Fraction(per_unit))
    return Amount(grams, quantity, approximate=approximate)


def _pick(
    measured: Decimal | None, default: Decimal | None
) -> tuple[Decimal | None, bool]:
    return (measured, False) if measured is not None else (default, True)


def _round_grams(number: Fraction) -> Decimal:
    # Round exactly (half to even) and build the Decimal from text, which is exact:
    # Decimal division and quantize are bound by the 28-digit context and raised
    # InvalidOperation for a long number such as "111111111111111111111111111111g".
    return Decimal(f"{round(number * 1000)}E-3")


def check_dose_grams(grams: Decimal, *, confirmed: bool) -> None:
    """Refuse impossible doses and ask for confirmation of very large ones."""
    if grams <= 0:
        raise InputError(
            "amount", f"{grams} g rounds to zero; the smallest amount is 0.001 g"
        )
    if grams > MAX_DOSE_GRAMS:
        raise InputError(
            "amount",
            f"{grams} g is more than {MAX_DOSE_GRAMS} g in one dose; "
            "check the amount and unit (e.g. 500mg, not 500g)",
        )
    if grams > CONFIRM_ABOVE_GRAMS and not confirmed:
        raise ConfirmationNeeded(
            f"amount: {grams} g is above {CONFIRM_ABOVE_GRAMS} g in one dose. If this is "
            "what was taken, repeat the command with --confirm; nothing was saved."
        )


def parse_grams(text: str, field: str) -> Decimal:
    """Parse a plain gram amount for a setting or calibration ("5", "5g", "0.5 g")."""
    cleaned = text.strip().lower()
    if cleaned and cleaned[-1] != "g" and not cleaned.endswith("mg"):
        cleaned += "g"
    quantity = parse_quantity(cleaned, field)
    if not quantity.unit.is_mass:
        raise InputError(field, f"{text!r} must be a weight in g or mg")
    divisor = 1000 if quantity.unit is Unit.MILLIGRAM else 1
    return _round_grams(quantity.number / divisor)
