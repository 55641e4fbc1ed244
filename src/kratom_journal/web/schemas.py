"""API shapes shared by several endpoints: records, findings, sources, due items, errors.

Records are built from `domain.records.to_json`, the same documents as `--json`
and the export, so the three never drift apart.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from kratom_journal.domain.records import to_json


def _not_a_boolean(value: Any) -> Any:
    # JSON true/false would pass as 1/0 (bool is an int in Python): refused.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


# Every integer a request sends (scores, levels, minutes, years): a number only.
# Put it after the Field: before it, pydantic would apply the field's bounds to the
# null of an optional integer and fail with a TypeError (a 500).
NotBoolean = BeforeValidator(_not_a_boolean)

# Every yes/no a request sends: JSON true or false only, not 0, 1 or "yes".
Flag = Annotated[bool, Field(strict=True)]

# Request fields shared by the endpoints that take a dose.
Amount = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        description='As written: "2g", "1500 mg", "1/2 tsp", "3 caps".',
        examples=["2 g"],
    ),
]
At = Annotated[
    str | None,
    Field(max_length=40, description='When: "14:30", "-20m", ISO 8601 (blank: now).'),
]
ProductName = Annotated[str | None, Field(max_length=200)]


class Source(BaseModel):
    title: str
    publisher: str
    year: int
    url: str
    as_of: date
    confidence: str


class FindingOut(BaseModel):
    rule: str
    severity: str
    title: str
    why: str
    advice: str
    sources: list[Source]

    @classmethod
    def of(cls, finding: Any) -> FindingOut:
        return cls(
            rule=finding.rule,
            severity=finding.severity.label,
            title=finding.title,
            why=finding.why,
            advice=finding.advice,
            sources=[
                Source.model_validate(s, from_attributes=True) for s in finding.sources
            ],
        )


class ShownOut(BaseModel):
    """A finding as the person was shown it."""

    rule: str
    title: str = Field(description="Empty for doses logged before titles were kept.")


class DoseOut(BaseModel):
    id: str
    taken_at: datetime
    zone: str
    grams: str
    quantity: str
    approximate: bool
    created_at: datetime
    product_id: str | None
    stomach: str | None
    note: str | None
    acknowledged: list[ShownOut] = Field(
        description="Avoid-level findings this dose was logged past, as shown: "
        "confirmed for it, or acknowledged as standing."
    )

    @classmethod
    def of(cls, dose: Any) -> DoseOut:
        return cls.model_validate(to_json(dose))


class PegOut(BaseModel):
    pain: int
    enjoyment: int
    activity: int


class CheckInOut(BaseModel):
    id: str
    at: datetime
    zone: str
    pain: int
    created_at: datetime
    peg: PegOut | None
    side_effects: dict[str, int]
    other_effects: dict[str, int]
    mood: int | None
    energy: int | None
    sleep: int | None
    note: str | None

    @classmethod
    def of(cls, checkin: Any) -> CheckInOut:
        return cls.model_validate(to_json(checkin))


class DueOut(BaseModel):
    kind: str
    title: str
    due_at: datetime | None
    until: datetime | None
    detail: str

    @classmethod
    def of(cls, item: Any) -> DueOut:
        return cls(
            kind=item.kind,
            title=item.title,
            due_at=item.due_at,
            until=item.until,
            detail=item.detail,
        )


class Problem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str
    field: str
    problem: str


class Invalid(BaseModel):
    """422: which field, and what is wrong with it; nothing was saved."""

    detail: list[Problem]


class Failure(BaseModel):
    """400, 404, 409, 503: what happened, in a sentence."""

    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Failure, "description": "The body could not be parsed"},
    404: {"model": Failure, "description": "No such record"},
    409: {"model": Failure, "description": "Refused by a safety check or protocol"},
    422: {"model": Invalid, "description": "Bad input: the field and the problem"},
    503: {"model": Failure, "description": "The database or knowledge is unavailable"},
}
