"""A change to the journal, kept so that it can be undone and redone.

A command (one log, edit, import...) makes one or more changes; the number (seq) of
its first change is the command's id, which `undo` and `redo` take.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from kratom_journal.domain.errors import Refused


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class Change:
    seq: int
    owner_id: UUID
    at: datetime
    action: Action
    kind: str
    record_id: UUID
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undone_at: datetime | None = None

    def describe(self) -> str:
        verb = {
            Action.CREATE: "added",
            Action.UPDATE: "edited",
            Action.DELETE: "deleted",
        }
        if self.kind == "event" and self.after is not None:  # not typed by id: say what
            return f"{verb[self.action]} {self.after['protocol']} {self.after['kind']}"
        return f"{verb[self.action]} {self.kind} {str(self.record_id)[:8]}"


def command_id(changes: list[Change]) -> int:
    """The id of the command that made `changes`: the number of its first change."""
    return min(change.seq for change in changes)


class AlreadyUndone(Refused):
    """The named command was undone before (a second tap of one Undo button)."""
