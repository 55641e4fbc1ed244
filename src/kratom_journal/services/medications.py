"""The medication list: add, list, stop."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import uuid4

from kratom_journal.domain.errors import InputError, NotFoundError
from kratom_journal.domain.medications import Intake, IntakeKind, Medication
from kratom_journal.domain.products import parse_name
from kratom_journal.domain.text import refuse_nul

if TYPE_CHECKING:
    from kratom_journal.domain.names import Resolution
    from kratom_journal.services.journal import Journal
from kratom_journal.domain.facts import resolve_substance
from kratom_journal.domain.findings import Finding, sort_findings
from kratom_journal.domain.health_rules import substance_findings
from kratom_journal.services.safety import knowledge


def parse_date(text: str, field: str, today: date) -> date:
    value = text.strip().lower()
    if value == "today":
        return today
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InputError(
            field, f"{text!r} is not a date (YYYY-MM-DD or today)"
        ) from None
    if parsed > today:
        raise InputError(field, f"{parsed} is in the future")
    return parsed


def add_medication(
    journal: Journal,
    name: str,
    *,
    now: datetime,
    today: date,
    dose_text: str | None = None,
    started: str | None = None,
    note: str | None = None,
) -> Medication:
    medication = Medication(
        id=uuid4(),
        owner_id=journal.owner_id,
        name=parse_name(name),
        created_at=now,
        dose_text=parse_name(dose_text, "dose") if dose_text else None,
        started=parse_date(started, "started", today) if started else None,
        note=refuse_nul(note, "note").strip() if note and note.strip() else None,
    )
    with journal.transaction() as repo:
        repo.add(medication, now)
    return medication


def list_medications(
    journal: Journal, *, today: date, include_stopped: bool
) -> list[Medication]:
    with journal.transaction(write=False) as repo:
        medications = repo.medications()
    return [m for m in medications if include_stopped or m.is_current(today)]


def stop_medication(
    journal: Journal, which: str, *, now: datetime, today: date, on: str | None = None
) -> Medication:
    stopped = parse_date(on, "on", today) if on else today
    wanted = " ".join(which.split()).lower()
    with journal.transaction() as repo:
        current = [m for m in repo.medications() if m.is_current(today)]
        matches = [m for m in current if m.name.lower() == wanted] or [
            m for m in current if len(wanted) >= 4 and str(m.id).startswith(wanted)
        ]
        if not matches:
            names = ", ".join(m.name for m in current) or "none"
            raise NotFoundError(
                "medication", f"no current medication {which!r}; current: {names}"
            )
        if len(matches) > 1:
            raise InputError(
                "medication", f"{which!r} matches {len(matches)}; use the id"
            )
        medication = matches[0]
        if medication.started and stopped < medication.started:
            raise InputError(
                "on", f"{stopped} is before it was started ({medication.started})"
            )
        updated = dataclasses.replace(medication, stopped=stopped)
        repo.replace(updated, now)
    return updated


def interactions_of(
    name: str, *, intake: bool = False
) -> tuple[Resolution, list[Finding]]:
    """What a name as typed matched in our list, and what it implies with kratom:
    the same findings the safety check gives a medication (or recent intake)."""
    facts = knowledge()
    resolution = resolve_substance(name, facts.substances)
    # Worded as the safety check words them, so every page says the same.
    if intake:
        found = substance_findings(
            name, facts, f"{name} in the last 48 hours", "intake"
        )
    else:
        found = substance_findings(
            name, facts, f"your medication {name}", "interaction"
        )
    return resolution, sort_findings(found)


def what_intake_implies(intake: Intake) -> tuple[Resolution, list[Finding]]:
    """What recorded intake was read as and implies with kratom for 48 hours, as
    the safety check will count it: an everyday coffee implies nothing."""
    resolution, findings = interactions_of(intake.name, intake=True)
    if intake.kind is IntakeKind.CAFFEINE:
        return resolution, []
    return resolution, findings


def how_read(typed: str, resolution: Resolution) -> str | None:
    """How a typed name was read, when that is not plain: the person should see
    that "zolpidm" was read as zolpidem, or that a name is not in our list."""
    found = resolution.substance
    if found is None:
        return (
            "It is not in our list: ask a pharmacist whether it can be combined "
            "with kratom."
        )
    if resolution.matched_by == "close":
        return (
            f"Read {typed!r} as {found.name}, the closest name in our list; "
            "if that is wrong, check the spelling on the label."
        )
    if resolution.matched_by in ("label", "brand", "misspelling", "alias"):
        return f"Read {typed!r} as {found.name}."
    return None
