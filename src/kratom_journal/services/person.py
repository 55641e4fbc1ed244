"""Reading the one picture of the person (domain/person.py) from the store.

Where the journal begins and its latest dose are two indexed look-ups. Where the
latest run of days with doses began is read from the doses a caller already holds
when a rest day lies among them, and only otherwise from the store (one index probe
per dose since that run began).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kratom_journal.domain.moments import local_day
from kratom_journal.domain.person import (
    GAP_AT_LEAST,
    UseHistory,
    history_from_doses,
    run_start,
)
from kratom_journal.services.journal import parse_zone

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, datetime

    from kratom_journal.domain.profiles import Profile
    from kratom_journal.store.repository import Repository


def journal_start(repo: Repository, profile: Profile) -> date | None:
    """The first local day with a live dose or check-in: before it, days are unknown."""
    first = repo.first_entry_at()
    if first is None:
        return None
    return local_day(first, parse_zone(profile.timezone), profile.day_boundary)


def use_history(
    repo: Repository,
    profile: Profile,
    before: datetime,
    recent: Sequence[datetime] = (),
) -> UseHistory:
    """The person's runs of use over the whole journal, from doses before `before`.

    `recent` are the times of every dose from some instant up to `before`, oldest
    first, if the caller has them: a rest day among them spares the store query."""
    zone, boundary = parse_zone(profile.timezone), profile.day_boundary
    begun = journal_start(repo, profile)
    last = repo.last_dose_at(before)
    if last is None:
        return UseHistory(begun, None, None)
    start = None
    if recent:
        held = history_from_doses(recent, zone, boundary)
        if held.run_start != local_day(recent[0], zone, boundary):
            start = held.run_start  # a rest day among them: the run began after it
    if start is None:
        start = run_start(repo.dose_gaps(before, GAP_AT_LEAST), zone, boundary)
    return UseHistory(begun, start, local_day(last, zone, boundary))
