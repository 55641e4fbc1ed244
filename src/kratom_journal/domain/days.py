"""A local day's summary: doses, total against the caps, time since the last dose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.doses import Dose

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kratom_journal.domain.profiles import Profile


@dataclass(frozen=True)
class DaySummary:
    day: date
    doses: tuple[Dose, ...]
    total_g: Decimal
    dose_cap_g: Decimal
    daily_cap_g: Decimal
    includes_approximate: bool
    last_dose: Dose | None
    since_last_dose: timedelta | None
    last_checkin: CheckIn | None

    @property
    def over_daily_cap(self) -> bool:
        return self.total_g > self.daily_cap_g

    @property
    def doses_over_dose_cap(self) -> tuple[Dose, ...]:
        return tuple(dose for dose in self.doses if dose.grams > self.dose_cap_g)


def summarize_day(
    profile: Profile,
    day: date,
    doses: Iterable[Dose],
    last_dose: Dose | None,
    last_checkin: CheckIn | None,
    now: datetime,
) -> DaySummary:
    """Summarise one local day; `doses` are that day's doses, in any order."""
    ordered = tuple(sorted(doses, key=lambda dose: dose.taken_at))
    return DaySummary(
        day=day,
        doses=ordered,
        total_g=sum((dose.grams for dose in ordered), Decimal(0)),
        dose_cap_g=profile.dose_cap_g,
        daily_cap_g=profile.daily_cap_g,
        includes_approximate=any(dose.approximate for dose in ordered),
        last_dose=last_dose,
        # A dose may be logged up to 5 minutes ahead; never show a negative gap.
        since_last_dose=None
        if last_dose is None
        else max(now - last_dose.taken_at, timedelta(0)),
        last_checkin=last_checkin,
    )
