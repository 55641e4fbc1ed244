"""Everything the safety rules look at, gathered by the service from the journal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from kratom_journal.domain.ceilings import Ceiling
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.medications import Intake, Medication
from kratom_journal.domain.person import UseHistory
from kratom_journal.domain.products import Product
from kratom_journal.domain.profiles import Profile


@dataclass(frozen=True)
class ProposedDose:
    """The dose being checked: not yet stored."""

    grams: Decimal
    at: datetime
    product: Product | None = None


@dataclass(frozen=True)
class SafetyInput:
    profile: Profile
    now: datetime
    proposed: ProposedDose | None
    doses: Sequence[Dose]  # the last ~10 weeks, oldest first; excludes the proposed one
    medications: Sequence[Medication]  # current ones
    intakes: Sequence[Intake]  # the last 48 hours
    # The products `doses` name, so that caps can judge a stronger product's grams.
    products: Mapping[UUID, Product] = field(default_factory=dict)
    # Runs of use over the whole journal, not just `doses`; None: judged from `doses`.
    history: UseHistory | None = None
    # Titration ceilings (session totals that side effects ended), oldest first.
    ceilings: Sequence[Ceiling] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.profile.timezone)
