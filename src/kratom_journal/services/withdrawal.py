"""Recording the daily withdrawal symptom checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.moments import parse_at
from kratom_journal.domain.withdrawal import (
    WithdrawalCheck,
    full_checklist,
    parse_symptom,
)
from kratom_journal.services.entries import clean_note
from kratom_journal.services.journal import Journal, parse_zone

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime


def record_withdrawal(
    journal: Journal,
    symptoms: Sequence[str],
    *,
    now: datetime,
    none: bool = False,
    at: str | None = None,
    note: str | None = None,
) -> WithdrawalCheck:
    """Store one checklist; symptoms not named score 0. An empty list needs `none`,
    so that a forgotten argument is not recorded as a symptom-free day."""
    if not symptoms and not none:
        raise InputError(
            "symptom",
            "give NAME=0-3 for each symptom you have (e.g. muscle-aches=2), or --none "
            "when you have none today",
        )
    if symptoms and none:
        raise InputError("none", "cannot be given together with symptoms")
    scores: dict[str, int] = {}
    for text in symptoms:
        name, level = parse_symptom(text)
        if name in scores:  # e.g. "aches=1 spasms=3": both are muscle-aches
            raise InputError(
                "symptom", f"{name} is given twice; give each symptom once"
            )
        scores[name] = level
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        check = WithdrawalCheck(
            id=uuid4(),
            owner_id=journal.owner_id,
            at=parse_at(at, now=now, zone=parse_zone(profile.timezone)),
            zone=profile.timezone,
            symptoms=full_checklist(scores),
            created_at=now,
            note=clean_note(note),
        )
        repo.add(check, now)
    return check
