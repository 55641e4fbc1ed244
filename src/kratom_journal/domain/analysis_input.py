"""What the analysis reads of doses and check-ins: times, amounts, pain, effects.

Reading whole records for years of a journal is slow, so the store maps just
these columns; kept apart from the analysis so every command's import of the
store stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class DoseEvent:
    """What the analysis needs of a dose (reading whole records for years is slow)."""

    at: datetime
    grams: float
    product_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    """What the analysis needs of a check-in: pain and the effects reported."""

    at: datetime
    pain: int
    effects: Mapping[str, int] = field(default_factory=dict)  # listed and other
