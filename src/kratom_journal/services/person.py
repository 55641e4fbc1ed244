"""Reading the one picture of the person (domain/person.py) from the store.

Three indexed queries, whatever the journal's length: where the journal begins,
the latest dose, and where the latest run of days with doses began.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kratom_journal.domain.moments import local_day
from kratom_journal.domain.person import GAP_AT_LEAST, UseHistory, run_start
from kratom_journal.services.journal import parse_zone

if TYPE_CHECKING:
    from datetime import datetime

    from kratom_journal.domain.profiles import Profile
    from kratom_journal.store.repository import Repository


def use_history(repo: Repository, profile: Profile, before: datetime) -> UseHistory:
    """The person's runs of use over the whole journal, from doses before `before`."""
    zone, boundary = parse_zone(profile.timezone), profile.day_boundary
    first = repo.first_entry_at()
    journal_start = None if first is None else local_day(first, zone, boundary)
    last = repo.last_dose_at(before)
    if last is None:
        return UseHistory(journal_start, None, None)
    start = run_start(repo.dose_gaps(before, GAP_AT_LEAST), zone, boundary)
    return UseHistory(journal_start, start, local_day(last, zone, boundary))
