"""Medications a person takes, and other intake (alcohol, caffeine, substances)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID


@dataclass(frozen=True)
class Medication:
    id: UUID
    owner_id: UUID
    name: str
    created_at: datetime
    dose_text: str | None = None
    started: date | None = None
    stopped: date | None = None
    note: str | None = None
    deleted_at: datetime | None = None

    def is_current(self, today: date) -> bool:
        return self.stopped is None or self.stopped > today


class IntakeKind(StrEnum):
    ALCOHOL = "alcohol"
    CAFFEINE = "caffeine"
    SUBSTANCE = "substance"


# Words that name the kind without the person choosing one; not health facts.
_KIND_WORDS = {
    IntakeKind.ALCOHOL: {
        "alcohol",
        "beer",
        "wine",
        "spirits",
        "liquor",
        "vodka",
        "whisky",
        "whiskey",
        "gin",
        "rum",
        "cider",
        "sake",
    },
    IntakeKind.CAFFEINE: {"caffeine", "coffee", "espresso", "energy drink", "cola"},
}


def guess_intake_kind(name: str) -> IntakeKind:
    lowered = name.strip().lower()
    for kind, words in _KIND_WORDS.items():
        if lowered in words:
            return kind
    return IntakeKind.SUBSTANCE


@dataclass(frozen=True)
class Intake:
    """Something else taken at a time, kept for interaction checks."""

    id: UUID
    owner_id: UUID
    at: datetime
    zone: str
    kind: IntakeKind
    name: str
    created_at: datetime
    amount_text: str | None = None
    note: str | None = None
    deleted_at: datetime | None = None
