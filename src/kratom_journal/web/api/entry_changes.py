"""Changing entries: edit (PATCH), delete, and undo or redo a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from kratom_journal.domain.changes import Action, Change, command_id
from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.errors import ConfirmationNeeded, InputError, NotFoundError
from kratom_journal.domain.records import kind_of
from kratom_journal.services.changes import (
    EditInput,
    delete_entry,
    edit_entry,
    redo_change,
    redo_last,
    undo_change,
    undo_last,
)
from kratom_journal.web.api.entry_models import (
    At,
    Effects,
    EntryId,
    IntakeKind,
    IntakeOut,
    Note,
    PegIn,
    Score,
    effect_texts,
)
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import ERRORS, CheckInOut, DoseOut, Flag

router = APIRouter(tags=["entries"], responses=ERRORS)


class EditIn(BaseModel):
    """Fields to change; a field left out stays as it is, and `null` clears the
    optional ones (note, product, stomach, peg, effects, mood, energy, sleep)."""

    model_config = ConfigDict(extra="forbid")

    at: At | None = None
    note: Note | None = None
    amount: Annotated[str, Field(min_length=1, max_length=60)] | None = Field(
        None, description='Dose: the new amount, e.g. "2 g"; intake: amount text.'
    )
    product: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="Dose: product name or id."
    )
    stomach: Literal["empty", "light-meal", "full"] | None = None
    approx: Flag | None = None
    confirm: Flag = Field(False, description="Dose: confirm an amount above 15 g.")
    pain: Score | None = None
    peg: PegIn | None = None
    side_effects: Effects | None = Field(None, description="Replaces them all.")
    other_effects: Effects | None = Field(None, description="Replaces them all.")
    mood: Score | None = None
    energy: Score | None = None
    sleep: Score | None = None
    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    kind: IntakeKind | None = None


CLEARABLE = {
    "note",
    "product",
    "stomach",
    "peg",
    "side_effects",
    "other_effects",
    "mood",
    "energy",
    "sleep",
}


def edit_input(body: EditIn) -> EditInput:
    """The service's EditInput: only the fields sent; `null` clears."""
    values: dict[str, Any] = {}
    for name in sorted(body.model_fields_set - {"confirm"}):
        value = getattr(body, name)
        if value is None:
            if name not in CLEARABLE:
                raise InputError(name, "cannot be cleared; leave it out to keep it")
            value = () if name.endswith("effects") else ""
        elif isinstance(value, PegIn):
            value = value.text()
        elif isinstance(value, dict):
            value = effect_texts(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        values[name] = value
    if not values:
        raise InputError("body", "nothing to change; send at least one field")
    return EditInput(confirm=body.confirm, **values)


class EditedOut(BaseModel):
    kind: Literal["dose", "checkin", "intake"]
    dose: DoseOut | None = None
    checkin: CheckInOut | None = None
    intake: IntakeOut | None = None


@router.patch("/entries/{entry_id}", response_model=EditedOut)
def patch_entry(
    entry_id: EntryId, body: EditIn, journal: JournalDep, now: NowDep
) -> EditedOut:
    """Change a dose, check-in or other intake. 404 for an unknown id; 422 names a
    field that is bad or does not apply to this kind of entry; 409 asks for
    `confirm` for a dose above 15 g. POST /undo reverses it."""
    try:
        edited = edit_entry(journal, str(entry_id), edit_input(body), now=now)
    except NotFoundError as error:
        if error.field == "id":
            raise
        raise InputError(error.field, error.problem) from None  # e.g. a product
    except InputError as error:
        if not error.field.startswith("--"):
            raise
        # The service names CLI options; the API names fields.
        field = error.field.removeprefix("--").replace("-", "_")
        raise InputError(field, error.problem) from None
    except ConfirmationNeeded as needed:
        raise ConfirmationNeeded(
            str(needed).replace(
                "repeat the command with --confirm", "send confirm: true"
            )
        ) from None
    return edited_out(edited)


def edited_out(record: Any) -> EditedOut:
    if isinstance(record, Dose):
        return EditedOut(kind="dose", dose=DoseOut.of(record))
    if isinstance(record, CheckIn):
        return EditedOut(kind="checkin", checkin=CheckInOut.of(record))
    return EditedOut(kind="intake", intake=IntakeOut.of(record))


class DeletedOut(BaseModel):
    kind: str
    id: str
    message: str


@router.delete("/entries/{entry_id}", response_model=DeletedOut)
def delete_entry_by_id(
    entry_id: EntryId, journal: JournalDep, now: NowDep
) -> DeletedOut:
    """Delete an entry (404 if there is none with this id). It is kept hidden, and
    POST /undo brings it back."""
    deleted = delete_entry(journal, str(entry_id), now=now)
    kind = kind_of(deleted)
    return DeletedOut(
        kind=kind,
        id=str(deleted.id),
        message=f"Deleted {THINGS.get(kind, kind)}; POST /undo brings it back.",
    )


THINGS = {
    "dose": "dose",
    "checkin": "check-in",
    "intake": "other intake",
    "product": "product",
    "medication": "medicine",
    "withdrawal": "withdrawal check",
    "profile": "settings",
}


def undone_phrase(change: Change) -> str:
    """What undoing one change did, in words: "the deleted dose is back"."""
    if change.kind == "event":
        data = change.after or change.before or {}
        thing = f"{data.get('protocol', 'protocol')} {data.get('kind', 'step')}"
        thing = thing.replace("-", " ")
    else:
        thing = THINGS.get(change.kind, change.kind)
    if change.action is Action.CREATE:
        return f"the new {thing} was removed"
    if change.action is Action.DELETE:
        return f"the deleted {thing} is back"
    return f"the change to the {thing} was reversed"


def undo_message(changes: list[Change]) -> str:
    if not changes:
        return "Nothing to undo."
    return "Undone: " + ", ".join(undone_phrase(c) for c in changes) + "."


def redone_phrase(change: Change) -> str:
    """What redoing one change did, in words: "the dose was deleted again"."""
    undone = undone_phrase(change)
    if change.action is Action.CREATE:
        return undone.replace("the new ", "the ").replace(" was removed", " is back")
    if change.action is Action.DELETE:
        return undone.replace("the deleted ", "the ").replace(
            " is back", " was deleted again"
        )
    return undone.replace(" was reversed", " was made again")


def redo_message(changes: list[Change]) -> str:
    if not changes:
        return "Nothing to redo."
    return "Redone: " + ", ".join(redone_phrase(c) for c in changes) + "."


class UndoneOut(BaseModel):
    action: str
    kind: str
    id: str
    description: str


class UndoOut(BaseModel):
    change: int | None = Field(
        None, description="The change undone (POST /redo?change= re-applies it)."
    )
    undone: list[UndoneOut] = Field(description="Empty when there was nothing to undo.")
    message: str


class RedoOut(BaseModel):
    change: int | None = Field(None, description="The change re-applied.")
    redone: list[UndoneOut] = Field(description="Empty when there was nothing to redo.")
    message: str


ChangeQuery = Annotated[
    int | None,
    Query(
        ge=1,
        description="The change to act on: the `Kratom-Change` header of the "
        "response that made it, or `change` of an undo. Leave it out for the last.",
    ),
]


def _listed(changes: list[Change], phrase: Callable[[Change], str]) -> list[UndoneOut]:
    return [
        UndoneOut(
            action=c.action.value,
            kind=c.kind,
            id=str(c.record_id),
            description=phrase(c),
        )
        for c in changes
    ]


@router.post("/undo", response_model=UndoOut)
def post_undo(journal: JournalDep, now: NowDep, change: ChangeQuery = None) -> UndoOut:
    """Undo a change (a log, check-in, edit, delete, product, setting, protocol
    step or import) as a whole: the one `change` names, or else the last one. Every
    response that made a change names it in its `Kratom-Change` header.

    Without `change`: always 200; when there is nothing to undo, `undone` is empty
    and `message` says "Nothing to undo." (as `kratom undo --json`). With `change`:
    404 for an unknown change; 409 when it was already undone (a repeated request
    undoes nothing else) or a later change touched the same entries."""
    changes = (
        undo_last(journal, now=now)
        if change is None
        else undo_change(journal, change, now=now)
    )
    return UndoOut(
        change=command_id(changes) if changes else None,
        undone=_listed(changes, undone_phrase),
        message=undo_message(changes),
    )


@router.post("/redo", response_model=RedoOut)
def post_redo(journal: JournalDep, change: ChangeQuery = None) -> RedoOut:
    """Re-apply an undone change: the one `change` names, or else the one undone
    last. 200 with an empty `redone` when nothing was undone; 409 when the change
    is not undone or a later change touched the same entries (undo that first)."""
    changes = redo_last(journal) if change is None else redo_change(journal, change)
    return RedoOut(
        change=command_id(changes) if changes else None,
        redone=_listed(changes, redone_phrase),
        message=redo_message(changes),
    )
