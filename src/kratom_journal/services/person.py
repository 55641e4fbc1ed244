"""Reading the one picture of the person (domain/person.py) from the store.

Where the journal begins and its latest dose are two indexed look-ups. Where the
latest run of days with doses began is read from the doses a caller already holds
when a rest day lies among them, and only otherwise from the store (one index probe
per dose since that run began).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from kratom_journal.domain.ceilings import Ceiling
from kratom_journal.domain.moments import local_day
from kratom_journal.domain.person import (
    GAP_AT_LEAST,
    UseHistory,
    history_from_doses,
    run_start,
)
from kratom_journal.domain.protocol_events import Protocol
from kratom_journal.services.journal import parse_zone

if TYPE_CHECKING:
    from collections.abc import Sequence

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


def ceilings(repo: Repository, profile: Profile) -> list[Ceiling]:
    """The titration ceilings on record, oldest first."""
    if not repo.protocol_events(Protocol.TITRATION):
        return []  # the usual case: no session, so no state machine to load
    from kratom_journal.services.titration_book import (  # noqa: PLC0415
        recorded_ceilings,
    )

    return recorded_ceilings(repo, profile)


@dataclass(frozen=True)
class Picture:
    """What exports carry of the person as check, insights and the report read it."""

    today: date
    history: UseHistory
    days_in_a_row: int
    ceilings: list[Ceiling]


def picture(repo: Repository, profile: Profile, now: datetime) -> Picture:
    zone, boundary = parse_zone(profile.timezone), profile.day_boundary
    history = use_history(repo, profile, now)
    today = local_day(now, zone, boundary)
    run = history.current_run(today, used_today=history.last_use_day == today)
    return Picture(today, history, run, ceilings(repo, profile))
