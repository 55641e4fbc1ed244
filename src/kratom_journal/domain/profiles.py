"""A person's profile: where and when they live, their conditions, and their caps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from uuid import UUID

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.moments import DEFAULT_DAY_BOUNDARY

DEFAULT_DOSE_CAP = Decimal(5)
DEFAULT_DAILY_CAP = Decimal(10)
# The brief refuses caps above these as settings: the program must never suggest
# a dose above a cap, so the caps themselves are bounded.
MAX_DOSE_CAP = Decimal(8)
MAX_DAILY_CAP = Decimal(15)
_LOCATION = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")
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
