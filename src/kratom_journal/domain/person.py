"""The person's runs of use over the whole journal: the one picture every view reads.

`check`, `log`, `next`, insights and the report all count "days in a row" and
judge windows from a `UseHistory`, so they cannot disagree. Days before the
journal began are unknown, never rest days and never zero use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from kratom_journal.domain.moments import local_day

if TYPE_CHECKING:
    from collections.abc import Iterable

# A whole local day lies between two doses only if they are at least this far
# apart (a day is 23 hours when clocks go forward): a cheap pre-filter the store
# can apply before the days are settled here.
GAP_AT_LEAST = timedelta(hours=22)


@dataclass(frozen=True)
class UseHistory:
    journal_start: date | None  # the first day with a live dose or check-in
    run_start: date | None  # the first day of the latest run of days with doses
    last_use_day: date | None  # the last day with a dose (where that run ends)

    def current_run(self, today: date, *, used_today: bool = False) -> int:
        """Days with doses in a row up to `today`. A today without a dose yet
        does not end a run that reached yesterday: the first dose may be to come."""
        if self.run_start is None or self.last_use_day is None:
            return 1 if used_today else 0
        behind = (today - self.last_use_day).days
        if behind <= 0 or (behind == 1 and used_today):
            return (today - self.run_start).days + 1
        if behind == 1:
            return (self.last_use_day - self.run_start).days + 1
        return 1 if used_today else 0

    def covers(self, day: date) -> bool:
        """Whether the journal had begun by `day` (so an empty day there is a rest day)."""
        return self.journal_start is not None and self.journal_start <= day


def run_start(
    gaps: Iterable[tuple[datetime, datetime | None]], zone: tzinfo, boundary: time
) -> date | None:
    """The first day of the latest run of days with doses.

    `gaps` are (dose, the dose before it) newest first, for every dose at least
    GAP_AT_LEAST after the one before it, and for the first dose (None before
    it); the first pair whose local days are not adjacent starts the run.
    """
    for taken, before in gaps:
        day = local_day(taken, zone, boundary)
        if before is None or (day - local_day(before, zone, boundary)).days >= 2:
            return day
    return None


def history_from_doses(
    times: Iterable[datetime],
    zone: tzinfo,
    boundary: time,
    journal_start: date | None = None,
) -> UseHistory:
    """The history of the doses given (all of them, any order): for callers that
    already hold the whole journal. Without `journal_start`, the first dose's day."""
    ordered = sorted(times)
    if not ordered:
        return UseHistory(journal_start, None, None)
    pairs = [(ordered[0], None), *zip(ordered[1:], ordered, strict=False)]
    gaps = [(t, b) for t, b in reversed(pairs) if b is None or t - b >= GAP_AT_LEAST]
    first = local_day(ordered[0], zone, boundary)
    return UseHistory(
        journal_start if journal_start is not None else first,
        run_start(gaps, zone, boundary),
        local_day(ordered[-1], zone, boundary),
    )
