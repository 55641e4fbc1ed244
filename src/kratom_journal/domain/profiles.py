"""A person's profile: where and when they live, their conditions, and their caps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING
from uuid import UUID

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.moments import DEFAULT_DAY_BOUNDARY
from kratom_journal.domain.quantities import Quantity, Unit, parse_quantity

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_DOSE_CAP = Decimal(5)
DEFAULT_DAILY_CAP = Decimal(10)
# The brief refuses caps above these as settings: the program must never suggest
# a dose above a cap, so the caps themselves are bounded.
MAX_DOSE_CAP = Decimal(8)
MAX_DAILY_CAP = Decimal(15)
# One-tap dose buttons the person sets up; few, so Today stays short.
MAX_PRESETS = 6
_LOCATION = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")
_LOCALITY = re.compile(r"^[^\W_][\w '’().,-]{0,79}$")
MAX_LOCALITY = 80
_CONDITION = re.compile(r"^[^\W_][\w '’()/,.-]{0,79}$")


@dataclass(frozen=True)
class Profile:
    """Settings that shape every check and every local day."""

    owner_id: UUID
    timezone: str
    day_boundary: time = DEFAULT_DAY_BOUNDARY
    location: str | None = None
    birth_year: int | None = None
    conditions: tuple[str, ...] = field(default_factory=tuple)
    dose_cap_g: Decimal = DEFAULT_DOSE_CAP
    daily_cap_g: Decimal = DEFAULT_DAILY_CAP
    # Dose amounts as the person writes them ("2 g", "1/2 tsp"), for one-tap buttons.
    presets: tuple[str, ...] = field(default_factory=tuple)
    # A city or county, free text, so local laws apply only where they do.
    locality: str | None = None


def check_caps(dose_cap: Decimal, daily_cap: Decimal) -> None:
    """Refuse caps outside (0, 8] g per dose and (0, 15] g per day, or inverted."""
    if not 0 < dose_cap <= MAX_DOSE_CAP:
        raise InputError(
            "dose-cap",
            f"{dose_cap} g is not allowed; the per-dose cap must be above 0 "
            f"and at most {MAX_DOSE_CAP} g",
        )
    if not 0 < daily_cap <= MAX_DAILY_CAP:
        raise InputError(
            "daily-cap",
            f"{daily_cap} g is not allowed; the daily cap must be above 0 "
            f"and at most {MAX_DAILY_CAP} g",
        )
    if dose_cap > daily_cap:
        raise InputError(
            "dose-cap", f"{dose_cap} g is above the daily cap of {daily_cap} g"
        )


def parse_location(text: str) -> str:
    """An ISO 3166 code: a country ("TH") or a subdivision ("US-TX")."""
    code = text.strip().upper()
    if not _LOCATION.match(code):
        raise InputError(
            "location", f"{text!r} is not an ISO 3166 code; use e.g. US-TX, GB or TH"
        )
    return code


def parse_locality(text: str, where: str = "locality") -> str:
    """A city or county name as written, e.g. "San Diego" or "Sarasota County"."""
    name = " ".join(text.split())
    if not _LOCALITY.match(name):
        raise InputError(
            where,
            f"{text!r} is not a place name (letters, digits, spaces, "
            f"1-{MAX_LOCALITY} characters), e.g. San Diego",
        )
    return name


def check_birth_year(year: int, today: date) -> int:
    """A plausible birth year of an adult."""
    if not today.year - 120 <= year <= today.year - 18:
        raise InputError(
            "birth-year",
            f"{year} is not accepted; give a year from {today.year - 120} "
            f"to {today.year - 18} (this journal is for adults)",
        )
    return year


def parse_condition(text: str) -> str:
    """A condition name, lower-cased, e.g. "liver disease"."""
    name = " ".join(text.strip().lower().split())
    if not _CONDITION.match(name):
        raise InputError(
            "condition",
            f"{text!r} is not a condition name (letters, digits, 1-80 characters)",
        )
    return name


def parse_presets(texts: Iterable[str], dose_cap: Decimal) -> tuple[str, ...]:
    """Dose-button presets: each an amount ("2 g", "1/2 tsp"), weights within the
    per-dose cap, at most six; blanks are skipped and repeats kept once."""
    kept: list[Quantity] = []
    for text in texts:
        if not text.strip():
            continue
        quantity = parse_quantity(text, "presets")
        if quantity.unit.is_mass and _grams(quantity) > Fraction(dose_cap):
            raise InputError(
                "presets",
                f"{quantity} is above the per-dose cap of "
                f"{format(dose_cap.normalize(), 'f')} g; a preset never offers more",
            )
        if quantity not in kept:
            kept.append(quantity)
    if len(kept) > MAX_PRESETS:
        raise InputError(
            "presets", f"{len(kept)} presets given; at most {MAX_PRESETS} are allowed"
        )
    return tuple(str(quantity) for quantity in kept)


def _grams(quantity: Quantity) -> Fraction:
    return (
        quantity.number / 1000 if quantity.unit is Unit.MILLIGRAM else quantity.number
    )
