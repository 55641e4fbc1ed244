"""Long journals written straight through the store: years of doses in a second,
where logging them one by one through the CLI would take minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from uuid import uuid4

from kratom_journal.domain.doses import Dose
from kratom_journal.domain.quantities import Quantity, Unit
from kratom_journal.services.journal import Journal

# 2026-11-22 15:00 in Berlin: the CLI's and the web app's fixed "now".
NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)


def daily_doses(
    journal: Journal, days: int, *, grams: str = "2", last_days_ago: int = 1
) -> None:
    """One dose at 09:00 UTC on each of `days` days, the last `last_days_ago` before NOW."""
    with journal.transaction() as repo:
        for ago in range(last_days_ago, last_days_ago + days):
            at = NOW.replace(hour=9) - timedelta(days=ago)
            repo.add(
                Dose(
                    id=uuid4(),
                    owner_id=journal.owner_id,
                    taken_at=at,
                    zone="Europe/Berlin",
                    grams=Decimal(grams),
                    quantity=Quantity(Fraction(grams), Unit.GRAM),
                    approximate=False,
                    created_at=at,
                ),
                at,
            )
