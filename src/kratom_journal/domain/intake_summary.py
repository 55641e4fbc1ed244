"""Alcohol and other intake over a period, as the clinician report shows them.

Counted as entries, not drinks or doses: what a person types as the amount is
free text ("2 beers"), so the report counts what was logged and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from kratom_journal.domain.medications import IntakeKind
from kratom_journal.domain.moments import local_day

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kratom_journal.domain.medications import Intake

WEEK = 7


@dataclass(frozen=True)
class WeekCount:
    start: date  # the week's first day; weeks run from the period's first day
    entries: int


@dataclass(frozen=True)
class OtherIntake:
    kind: IntakeKind
    name: str
    entries: int
    last: date


@dataclass(frozen=True)
class IntakeSummary:
    alcohol_by_week: tuple[WeekCount, ...]  # every week of the period, oldest first
    other: tuple[OtherIntake, ...]  # by entries, most first

    @property
    def alcohol_entries(self) -> int:
        return sum(week.entries for week in self.alcohol_by_week)


def summarize_intake(
    intakes: Sequence[Intake],
    *,
    first_day: date,
    last_day: date,
    zone: tzinfo,
    boundary: time,
) -> IntakeSummary:
    """The intake entries on the local days first_day..last_day."""
    weeks = (last_day - first_day).days // WEEK + 1
    alcohol = [0] * weeks
    other: dict[tuple[IntakeKind, str], tuple[int, date, str]] = {}
    for intake in intakes:
        day = local_day(intake.at, zone, boundary)
        if not first_day <= day <= last_day:
            continue
        if intake.kind is IntakeKind.ALCOHOL:
            alcohol[(day - first_day).days // WEEK] += 1
            continue
        key = (intake.kind, intake.name.casefold())
        count, last, name = other.get(key, (0, day, intake.name))
        other[key] = (count + 1, max(last, day), name)
    return IntakeSummary(
        tuple(
            WeekCount(first_day + timedelta(days=WEEK * k), n)
            for k, n in enumerate(alcohol)
        ),
        tuple(
            sorted(
                (
                    OtherIntake(kind, name, count, last)
                    for (kind, _), (count, last, name) in other.items()
                ),
                key=lambda item: (-item.entries, item.name.casefold()),
            )
        ),
    )
