"""API shapes shared by the entry endpoints: scores, side effects, times, notes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Path
from pydantic import BaseModel, Field, StringConstraints

from kratom_journal.domain.records import to_json
from kratom_journal.services.entries import MAX_NOTE
from kratom_journal.web.schemas import NotBoolean

Score = Annotated[int, Field(ge=0, le=10), NotBoolean]
Level = Annotated[
    int,
    Field(ge=0, le=3, description="0 none, 1 mild, 2 moderate, 3 severe"),
    NotBoolean,
]
EffectName = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Effects = Annotated[dict[EffectName, Level], Field(max_length=40)]
At = Annotated[
    str,
    Field(
        max_length=40, description='When: "14:30", "-20m", "yesterday 21:00", ISO 8601.'
    ),
]
Note = Annotated[str, Field(max_length=MAX_NOTE)]
IntakeKind = Literal["alcohol", "caffeine", "substance"]
EntryId = Annotated[UUID, Path(description="The entry's full id (a UUID).")]


class PegIn(BaseModel):
    """The three PEG items, 0-10: average pain, interference with enjoyment and activity."""

    pain: Score
    enjoyment: Score
    activity: Score

    def text(self) -> str:
        return f"{self.pain},{self.enjoyment},{self.activity}"


class IntakeOut(BaseModel):
    id: str
    at: datetime
    zone: str
    kind: str
    name: str
    created_at: datetime
    amount_text: str | None
    note: str | None

    @classmethod
    def of(cls, intake: Any) -> IntakeOut:
        return cls.model_validate(to_json(intake))


def effect_texts(values: dict[str, int]) -> list[str]:
    return [f"{name}={level}" for name, level in values.items()]
