"""A change to the journal, kept so that the last one can be undone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


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

    def describe(self) -> str:
        verb = {
            Action.CREATE: "added",
            Action.UPDATE: "edited",
            Action.DELETE: "deleted",
        }
        if self.kind == "event" and self.after is not None:  # not typed by id: say what
            return f"{verb[self.action]} {self.after['protocol']} {self.after['kind']}"
        return f"{verb[self.action]} {self.kind} {str(self.record_id)[:8]}"
