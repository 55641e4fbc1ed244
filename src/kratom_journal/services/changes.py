"""Editing and deleting entries by id, and undoing the last change."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.changes import Action, Change
from kratom_journal.domain.checkins import CheckIn, parse_peg
from kratom_journal.domain.doses import Dose, parse_stomach
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.medications import Intake, Medication
from kratom_journal.domain.moments import parse_at
from kratom_journal.domain.products import Product, parse_name
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.quantities import Calibration
from kratom_journal.domain.records import KINDS, Record, from_json, kind_of
from kratom_journal.domain.scores import parse_score
from kratom_journal.services.amounts import convert_amount
from kratom_journal.services.entries import (
    CheckInInput,
    clean_note,
    parse_effects,
    parse_intake_kind,
)
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.lookups import find_product, find_record
from kratom_journal.services.versions import check_version
from kratom_journal.store.repository import PROFILE_KIND, Repository

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class EditInput:
    """What to change; None leaves a field as it is."""

    at: str | None = None
    note: str | None = None
    amount: str | None = None
    product: str | None = None
    stomach: str | None = None
    approx: bool | None = None
    confirm: bool = False
    pain: str | None = None
    peg: str | None = None
    side_effects: Sequence[str] | None = None
    other_effects: Sequence[str] | None = None
    mood: str | None = None
    energy: str | None = None
    sleep: str | None = None
    name: str | None = None
    kind: str | None = None

    def given(self) -> set[str]:
        return {
            f.name
            for f in dataclasses.fields(self)
            if f.name != "confirm" and getattr(self, f.name) is not None
        }


_APPLIES = {
    "dose": {"at", "note", "amount", "product", "stomach", "approx"},
    "checkin": {
        "at",
        "note",
        "pain",
        "peg",
        "side_effects",
        "other_effects",
        "mood",
        "energy",
        "sleep",
    },
    "intake": {"at", "note", "amount", "name", "kind"},
}


def edit_entry(
    journal: Journal,
    which: str,
    entry: EditInput,
    *,
    now: datetime,
    expected: str | None = None,
) -> Record:
    """Change the given fields. With `expected` (a version_of the entry a form was
    filled from), refuse with ChangedMeanwhile if the entry has changed since."""
    with journal.transaction() as repo:
        record = find_record(repo, which)
        check_version(record, expected)
        kind = kind_of(record)
        if kind not in _APPLIES:
            how = {
                "product": "kratom product edit",
                "medication": "kratom med stop",
                "withdrawal": "kratom delete` and `kratom withdrawal",
            }
            raise InputError("id", f"{which!r} is a {kind}; use `{how[kind]}`")
        wrong = sorted(entry.given() - _APPLIES[kind])
        if wrong:
            option = "--" + wrong[0].replace("_", "-")
            raise InputError(option, f"does not apply to a {kind}")
        if not entry.given():
            raise InputError("edit", "nothing to change; give at least one option")
        zone = parse_zone(journal.profile(repo).timezone)
        changes: dict[str, Any] = {}
        if entry.at is not None:
            changes["taken_at" if kind == "dose" else "at"] = parse_at(
                entry.at, now=now, zone=zone
            )
        if entry.note is not None:
            changes["note"] = clean_note(entry.note)
        if isinstance(record, Dose):
            changes |= _dose_changes(repo, record, entry)
        elif isinstance(record, CheckIn):
            changes |= _checkin_changes(entry)
        elif isinstance(record, Intake):
            if entry.amount is not None:
                changes["amount_text"] = parse_name(
                    entry.amount, "amount", max_length=60
                )
            if entry.name is not None:
                changes["name"] = parse_name(entry.name)
            if entry.kind is not None:
                changes["kind"] = parse_intake_kind(entry.kind, record.name)
        edited: Record = dataclasses.replace(record, **changes)
        if edited != record:
            repo.replace(edited, now)
    return edited


def _dose_changes(repo: Repository, dose: Dose, entry: EditInput) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    product: Product | None = None
    if entry.product is not None:
        product = find_product(repo, entry.product) if entry.product else None
        changes["product_id"] = product.id if product else None
    elif dose.product_id is not None:
        product = repo.get("product", dose.product_id, include_deleted=True)
    if entry.amount is not None or entry.product is not None:
        text = entry.amount if entry.amount is not None else str(dose.quantity)
        calibration = product.calibration if product else Calibration()
        amount = convert_amount(text, calibration, confirm=entry.confirm)
        changes |= {
            "grams": amount.grams,
            "quantity": amount.quantity,
            "approximate": amount.approximate,
        }
    if entry.approx is not None:
        changes["approximate"] = entry.approx or changes.get("approximate", False)
    if entry.stomach is not None:
        changes["stomach"] = parse_stomach(entry.stomach) if entry.stomach else None
    return changes


def _checkin_changes(entry: EditInput) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if entry.pain is not None:
        changes["pain"] = parse_score(entry.pain, "pain")
    for field in ("mood", "energy", "sleep"):
        value = getattr(entry, field)
        if value is not None:
            changes[field] = parse_score(value, field) if value != "" else None
    if entry.peg is not None:
        changes["peg"] = parse_peg(entry.peg) if entry.peg else None
    if entry.side_effects is not None or entry.other_effects is not None:
        known, other = parse_effects(
            CheckInInput(0, entry.side_effects or (), entry.other_effects or ())
        )
        if entry.side_effects is not None:
            changes["side_effects"] = known
        if entry.other_effects is not None:
            changes["other_effects"] = other
    return changes


def show_entry(journal: Journal, which: str) -> Record:
    """A live record by its id or id prefix, e.g. to fill an edit form."""
    with journal.transaction(write=False) as repo:
        return find_record(repo, which)


def delete_entry(journal: Journal, which: str, *, now: datetime) -> Record:
    """Soft-delete: the entry disappears from views and can be brought back by undo."""
    with journal.transaction() as repo:
        record = find_record(repo, which)
        deleted: Record = dataclasses.replace(record, deleted_at=now)
        repo.replace(deleted, now, action=Action.DELETE)
    return deleted


def undo_last(journal: Journal, *, now: datetime) -> list[Change]:
    """Reverse the newest command's changes not yet undone; [] when there is nothing.

    A command that wrote several things (a titration step: a dose and its protocol
    event) is undone as a whole, newest first.
    """
    with journal.transaction() as repo:
        changes = repo.last_changes()
        if changes and changes[-1].kind == PROFILE_KIND and changes[-1].before is None:
            return []  # the profile's creation is not a change to undo
        for change in changes:
            _reverse(repo, change, now)
            repo.mark_undone(change, now)
    return changes


def _reverse(repo: Repository, change: Change, now: datetime) -> None:
    if change.kind == PROFILE_KIND:
        assert change.before is not None
        repo.restore(from_json(Profile, change.before, "profile"))
    elif change.action is Action.CREATE:
        record = repo.get(change.kind, change.record_id)
        if record is not None:
            repo.restore(dataclasses.replace(record, deleted_at=now))
    else:
        assert change.before is not None
        repo.restore(from_json(KINDS[change.kind], change.before, change.kind))


__all__ = [
    "EditInput",
    "Medication",
    "delete_entry",
    "edit_entry",
    "show_entry",
    "undo_last",
]
