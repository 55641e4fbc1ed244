"""Showing and changing the profile."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import InputError, SafetyCheckUnavailable
from kratom_journal.domain.moments import parse_clock
from kratom_journal.domain.products import parse_name
from kratom_journal.domain.profiles import (
    Profile,
    check_birth_year,
    check_caps,
    parse_condition,
    parse_locality,
    parse_location,
    parse_presets,
)
from kratom_journal.domain.quantities import parse_grams
from kratom_journal.knowledge.units import Conversion, KnowledgeError, load_conversions
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.versions import check_version

if TYPE_CHECKING:
    from datetime import date, datetime


@dataclass(frozen=True)
class ProfileInput:
    timezone: str | None = None
    location: str | None = None
    # None keeps it; "" clears it.
    locality: str | None = None
    birth_year: int | None = None
    add_conditions: Sequence[str] = ()
    remove_conditions: Sequence[str] = ()
    dose_cap: str | None = None
    daily_cap: str | None = None
    day_boundary: str | None = None
    # None keeps the presets; a sequence (possibly empty) replaces them.
    presets: Sequence[str] | None = None
    clear_birth_year: bool = False


def show_profile(journal: Journal) -> Profile:
    with journal.transaction(write=False) as repo:
        return journal.profile(repo)


def set_profile(
    journal: Journal,
    entry: ProfileInput,
    *,
    now: datetime,
    today: date,
    expected: str | None = None,
) -> Profile:
    """Change the given settings. With `expected` (the version_of the profile a form
    was filled from), refuse with ChangedMeanwhile if it has changed since."""
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        check_version(profile, expected)
        changes: dict[str, object] = {}
        if entry.timezone is not None:
            changes["timezone"] = _zone_name(entry.timezone)
        if entry.location is not None:
            changes["location"] = (
                parse_location(entry.location) if entry.location else None
            )
        if entry.locality is not None:
            changes["locality"] = (
                parse_locality(entry.locality) if entry.locality.strip() else None
            )
        if entry.clear_birth_year:
            changes["birth_year"] = None
        elif entry.birth_year is not None:
            changes["birth_year"] = check_birth_year(entry.birth_year, today)
        if entry.day_boundary is not None:
            changes["day_boundary"] = parse_clock(entry.day_boundary, "day-boundary")
        conditions = list(profile.conditions)
        for name in entry.add_conditions:
            condition = parse_condition(parse_name(name, "condition"))
            if condition not in conditions:
                conditions.append(condition)
        for name in entry.remove_conditions:
            condition = parse_condition(name)
            if condition in conditions:
                conditions.remove(condition)
        changes["conditions"] = tuple(conditions)
        dose_cap = (
            parse_grams(entry.dose_cap, "dose-cap")
            if entry.dose_cap
            else profile.dose_cap_g
        )
        daily_cap = (
            parse_grams(entry.daily_cap, "daily-cap")
            if entry.daily_cap
            else profile.daily_cap_g
        )
        check_caps(dose_cap, daily_cap)
        changes["dose_cap_g"] = dose_cap
        changes["daily_cap_g"] = daily_cap
        # Checked against the new per-dose cap, also when only the cap changes.
        presets = profile.presets if entry.presets is None else entry.presets
        changes["presets"] = parse_presets(presets, dose_cap)
        updated = dataclasses.replace(profile, **changes)  # type: ignore[arg-type]
        if updated != profile:
            repo.save_profile(updated, now)
    return updated


def _zone_name(text: str) -> str:
    try:
        return str(parse_zone(text))
    except OSError:  # e.g. "Europe", a folder of the zone database
        raise InputError(
            "timezone", f"{text!r} is not an IANA time zone; use e.g. Europe/Berlin"
        ) from None


def unit_defaults() -> list[Conversion]:
    """The documented grams per teaspoon and per capsule, with their sources; used
    for spoons and capsules of a product without its own calibration."""
    try:
        return list(load_conversions().values())
    except KnowledgeError as error:
        raise SafetyCheckUnavailable(
            f"the unit defaults could not be loaded: {error}"
        ) from None
