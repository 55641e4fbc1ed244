"""Titration sessions as the journal holds them: each folded from its events and the
doses and check-ins in its window, and the ceilings they recorded.

Kept apart from services/titration.py so that the safety check (services/safety.py)
can read the ceilings without the protocol's commands.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kratom_journal.domain import ceilings, titration
from kratom_journal.domain.protocol_events import Protocol

if TYPE_CHECKING:
    from kratom_journal.domain.checkins import CheckIn
    from kratom_journal.domain.profiles import Profile
    from kratom_journal.domain.protocol_events import ProtocolEvent
    from kratom_journal.store.repository import Repository

Entries = tuple[list[titration.DoseEntry], list[titration.CheckEntry]]


def effects_of(checkin: CheckIn) -> dict[str, int]:
    effects = dict(checkin.side_effects)
    for name, level in checkin.other_effects.items():  # never lower a listed one
        effects[name] = max(level, effects.get(name, 0))
    return effects


def entries(repo: Repository, events: list[ProtocolEvent]) -> Entries:
    """The journal's doses and check-ins in one session's window, with the limits a
    `titrate checkin` stored for its check-in."""
    start = events[0].at
    end = titration.window_end(events) + timedelta(microseconds=1)
    stored = {
        e.data["checkin_id"]: titration.stored_limits(e.data)
        for e in events
        if e.kind == titration.CHECKED and e.data.get("checkin_id")
    }
    doses = [
        titration.DoseEntry(d.taken_at, d.grams) for d in repo.doses_between(start, end)
    ]
    checks = [
        titration.CheckEntry(c.at, c.pain, effects_of(c), stored.get(str(c.id)))
        for c in repo.checkins_between(start, end)
    ]
    return doses, checks


def fold_all(
    repo: Repository, profile: Profile
) -> tuple[list[list[ProtocolEvent]], list[titration.Session]]:
    """Every session in order of start. A check-in not made through `titrate
    checkin` is judged here by the caps and the ceilings recorded before it."""
    groups = titration.group(repo.protocol_events(Protocol.TITRATION))
    folded: list[titration.Session] = []
    for events in groups:
        lowest = ceilings.lowest(ceilings.from_sessions(folded))
        caps = titration.Limits(
            profile.dose_cap_g,
            profile.daily_cap_g,
            ceiling_g=None if lowest is None else lowest.grams,
        )
        doses, checks = entries(repo, events)
        folded.append(titration.fold(events, doses, checks, caps))
    return groups, folded


def recorded_ceilings(
    repo: Repository, profile: Profile, *, before: datetime | None = None
) -> list[ceilings.Ceiling]:
    """The ceilings of the sessions (started before `before`), oldest first."""
    _, folded = fold_all(repo, profile)
    if before is not None:
        folded = [s for s in folded if s.started_at < before]
    return ceilings.from_sessions(folded)
