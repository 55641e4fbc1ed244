"""A dose: when, how much (grams and as entered), of what, on what stomach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from kratom_journal.domain.acknowledgements import Shown
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.quantities import Quantity


class Stomach(StrEnum):
    EMPTY = "empty"
    LIGHT_MEAL = "light-meal"
    FULL = "full"


@dataclass(frozen=True)
class Dose:
    id: UUID
    owner_id: UUID
    taken_at: datetime
    zone: str
    grams: Decimal
    quantity: Quantity
    approximate: bool
    created_at: datetime
    product_id: UUID | None = None
    stomach: Stomach | None = None
    note: str | None = None
    deleted_at: datetime | None = None
    # Avoid-level findings logged past, as the person saw them: confirmed for this
    # dose, or acknowledged as standing (a medication's, a condition's).
    acknowledged: tuple[Shown, ...] = ()


def parse_stomach(text: str) -> Stomach:
    aliases = {"light": Stomach.LIGHT_MEAL, "light meal": Stomach.LIGHT_MEAL}
    cleaned = text.strip().lower()
    if cleaned in aliases:
        return aliases[cleaned]
    try:
        return Stomach(cleaned)
    except ValueError:
        raise InputError(
            "stomach", f"{text!r} is not one of empty, light-meal, full"
        ) from None
