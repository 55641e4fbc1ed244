"""A trial's own daily ratings, one a day as they now stand, and the difference
between ratings that matters (the minimal important difference, with its sources)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kratom_journal.domain import trial
from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.domain.findings import SourceRef, cite
from kratom_journal.domain.moments import day_bounds, local_day
from kratom_journal.services.journal import parse_zone
from kratom_journal.services.safety import knowledge

if TYPE_CHECKING:
    from kratom_journal.domain.profiles import Profile
    from kratom_journal.services.trial import Trial
    from kratom_journal.store.repository import Repository


@dataclass(frozen=True)
class Ratings:
    """A trial's own ratings, one a day, and how many other check-ins it left out."""

    rated: dict[date, CheckIn]  # the day's `trial log` check-in, as it now stands
    others: dict[date, int]  # other check-ins on each trial day: never used

    def ignored(self, last: date) -> int:
        """Other check-ins on trial days up to `last`."""
        return sum(count for day, count in self.others.items() if day <= last)


def ratings_of(repo: Repository, profile: Profile, current: Trial) -> Ratings:
    zone = parse_zone(profile.timezone)
    start, _ = day_bounds(current.design.start, zone, profile.day_boundary)
    end, _ = day_bounds(current.design.end, zone, profile.day_boundary)
    rated: dict[date, CheckIn] = {}
    others: dict[date, int] = {}
    # Deleted check-ins are not returned; an edit may have moved a rating to
    # another day, or two ratings onto one day: the earlier one counts.
    for checkin in sorted(
        repo.checkins_between(start, end), key=lambda c: (c.at, c.created_at)
    ):
        day = local_day(checkin.at, zone, profile.day_boundary)
        if checkin.id in current.ratings and day not in rated:
            rated[day] = checkin
        else:
            others[day] = others.get(day, 0) + 1
    return Ratings(rated, others)


def daily_outcomes(
    ratings: Ratings, outcome: trial.Outcome
) -> tuple[dict[date, float], dict[date, dict[str, int]]]:
    """Each trial day's outcome and side effects, from its rating alone."""
    values: dict[date, float] = {}
    effects: dict[date, dict[str, int]] = {}
    for day, checkin in ratings.rated.items():
        value = outcome_value(checkin, outcome)
        if value is not None:
            values[day] = value
        effects[day] = {**checkin.other_effects, **checkin.side_effects}
    return values, effects


def outcome_value(checkin: CheckIn, outcome: trial.Outcome) -> float | None:
    if outcome is trial.Outcome.NRS:
        return float(checkin.pain)
    if checkin.peg is None:
        return None
    peg = checkin.peg
    return (peg.pain + peg.enjoyment + peg.activity) / 3


# The minimal important difference of each outcome, from the knowledge base.
MID_REFERENCES = {trial.Outcome.PEG: "pain-mid-peg", trial.Outcome.NRS: "pain-mid-nrs"}


def minimal_difference(outcome: trial.Outcome) -> tuple[float, tuple[SourceRef, ...]]:
    """The difference in points that matters for `outcome`, with its sources."""
    return difference_reference(MID_REFERENCES[outcome])


def difference_reference(reference_id: str) -> tuple[float, tuple[SourceRef, ...]]:
    reference = next(
        (r for r in knowledge().dose_references if r.id == reference_id), None
    )
    if reference is None or reference.typical is None:
        raise SafetyCheckUnavailable(
            "the minimal important difference is missing from the knowledge base, so "
            "the trial cannot be judged"
        )
    return float(reference.typical), cite(reference)
