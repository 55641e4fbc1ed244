"""Editing and deleting entries by id; undoing and redoing a change."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.changes import Action, AlreadyUndone, Change, command_id
from kratom_journal.domain.checkins import CheckIn, parse_peg
from kratom_journal.domain.doses import Dose, parse_stomach
from kratom_journal.domain.errors import InputError, NotFoundError, Refused
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
    event) is undone as a whole, newest first. When another undo took that command
    at the same moment, the next newest is undone instead: each undo reverses one
    command, and only one of them reverses each.
    """
    for _attempt in range(_ATTEMPTS):
        with journal.transaction() as repo:
            changes = repo.last_changes()
            if not changes or _is_profile_creation(changes):
                return []  # the profile's creation is not a change to undo
            if repo.claim_undo(changes, now):
                for change in changes:
                    _reverse(repo, change, now)
                return changes
            # Taken by a concurrent undo: leaving the block rolls nothing back
            # (nothing was written) and the next attempt sees the new state.
    raise Refused("the journal changed meanwhile; try the undo again")


def undo_change(journal: Journal, change_id: int, *, now: datetime) -> list[Change]:
    """Reverse the command `change_id` names, and nothing else.

    A second undo of the same command (a double tap) raises AlreadyUndone; so does
    the loser of two concurrent ones. A command that a later one changed again is
    refused: undo the later one first.
    """
    with journal.transaction() as repo:
        changes = _named(repo, change_id)
        if _is_profile_creation(changes):
            raise Refused(f"change {change_id} created the settings; it is not undone")
        if any(change.undone_at is not None for change in changes):
            raise _already_undone(change_id)
        _refuse_if_changed_later(repo, changes, change_id, "undone")
        if not repo.claim_undo(changes, now):
            raise _already_undone(change_id)
        for change in changes:
            _reverse(repo, change, now)
    return changes


def redo_last(journal: Journal) -> list[Change]:
    """Re-apply the command undone most recently; [] when nothing was undone."""
    for _attempt in range(_ATTEMPTS):
        with journal.transaction() as repo:
            changes = repo.last_undone()
            if not changes:
                return []
            _refuse_if_changed_later(repo, changes, command_id(changes), "redone")
            _refuse_if_undone_before(repo, changes, command_id(changes))
            if repo.claim_redo(changes):
                _reapply(repo, changes)
                return changes
    raise Refused("the journal changed meanwhile; try the redo again")


def redo_change(journal: Journal, change_id: int) -> list[Change]:
    """Re-apply the undone command `change_id` names, if nothing later changed
    what it touched. A redo writes back the command's own records and times."""
    with journal.transaction() as repo:
        changes = _named(repo, change_id)
        if any(change.undone_at is None for change in changes):
            raise Refused(f"change {change_id} is not undone; there is nothing to redo")
        _refuse_if_changed_later(repo, changes, change_id, "redone")
        _refuse_if_undone_before(repo, changes, change_id)
        if not repo.claim_redo(changes):  # a concurrent redo took it
            raise Refused(f"change {change_id} was already redone")
        _reapply(repo, changes)
    return changes


_ATTEMPTS = 10


def _named(repo: Repository, change_id: int) -> list[Change]:
    changes = repo.command(change_id)
    if not changes:
        raise NotFoundError("change", f"there is no change {change_id}")
    return changes


def _is_profile_creation(changes: list[Change]) -> bool:
    return changes[-1].kind == PROFILE_KIND and changes[-1].before is None


def _already_undone(change_id: int) -> AlreadyUndone:
    return AlreadyUndone(
        f"change {change_id} was already undone; nothing else was undone"
    )


def _refuse_if_changed_later(
    repo: Repository, changes: list[Change], change_id: int, verb: str
) -> None:
    later = repo.later_changes(changes)
    if later:
        newer = command_id(later)
        raise Refused(
            f"change {change_id} cannot be {verb}: change {newer} "
            f"({later[0].describe()}) came after it; undo that first"
        )


def _refuse_if_undone_before(
    repo: Repository, changes: list[Change], change_id: int
) -> None:
    """A command re-applied over an undone earlier one (its entry's creation, say)
    would bring back what that undo took away."""
    earlier = repo.earlier_undone(changes)
    if earlier:
        older = min(c.seq for c in earlier)
        raise Refused(
            f"change {change_id} cannot be redone: change {older} "
            f"({earlier[0].describe()}) before it is undone; redo that first"
        )


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


def _reapply(repo: Repository, changes: list[Change]) -> None:
    """Write each record back as the command left it, oldest change first."""
    for change in reversed(changes):
        assert change.after is not None
        if change.kind == PROFILE_KIND:
            repo.restore(from_json(Profile, change.after, "profile"))
        else:
            repo.restore(from_json(KINDS[change.kind], change.after, change.kind))


__all__ = [
    "EditInput",
    "Medication",
    "delete_entry",
    "edit_entry",
    "redo_change",
    "redo_last",
    "show_entry",
    "undo_change",
    "undo_last",
]
