"""Pydantic schema of the knowledge files: every entry carries sources, as-of and confidence.

A file may give `defaults` (sources, as_of, confidence) that its entries inherit when
they give none of their own; after loading, every entry carries all three.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Confidence = Literal["high", "medium", "low"]
Tier = Literal["avoid", "high-caution", "caution", "monitor"]
Severity = Literal["info", "caution", "high-caution", "avoid"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Model):
    title: Text
    publisher: Text
    year: int = Field(ge=1900, le=2100)
    url: str = ""


class Evidence(Model):
    """What every health fact carries."""

    sources: list[Source] = Field(min_length=1)
    as_of: date
    confidence: Confidence


class Defaults(Model):
    sources: list[Source] | None = None
    as_of: date | None = None
    confidence: Confidence | None = None


class KnowledgeFile(Model):
    schema_version: Literal[1]
    topic: Text
    defaults: Defaults = Defaults()

    @model_validator(mode="before")
    @classmethod
    def _inherit_defaults(cls, data: object) -> object:
        """Fill each entry's missing sources/as_of/confidence from `defaults`."""
        if not isinstance(data, dict):
            return data
        defaults = {
            k: v for k, v in (data.get("defaults") or {}).items() if v is not None
        }
        for key, value in data.items():
            if key in ("defaults", "schema_version", "topic") or not isinstance(
                value, list
            ):
                continue
            data[key] = [
                {**defaults, **entry} if isinstance(entry, dict) else entry
                for entry in value
            ]
        return data


# -- medicines and substances ------------------------------------------------------
class Substance(Evidence):
    id: Slug
    name: Text  # generic name, as shown
    kind: Literal["medicine", "combination", "substance", "food", "herb"]
    classes: list[Slug] = []
    brands: list[Text] = []  # US, UK and Australian brand names
    misspellings: list[Text] = []
    # Everyday words for it ("beer", "weed"): what people type, not a spelling.
    aliases: list[Text] = []
    components: list[Slug] = []  # for combination products: ids of the parts


class SubstanceFile(KnowledgeFile):
    substances: list[Substance]


class Interaction(Evidence):
    id: Slug
    title: Text
    tier: Tier
    classes: list[Slug] = []  # matches substances in any of these classes
    substances: list[Slug] = []  # or these substances directly
    mechanism: Text
    evidence: list[Literal["E", "C", "K", "V", "M"]] = Field(min_length=1)
    advice: Text
    tripsit: str = ""  # TripSit's opioid-class rating, as a labelled proxy


class ReviewedNone(Evidence):
    """A class checked against our sources and found to have no known kratom
    interaction, so that "no known interaction" is a reviewed answer, not a gap."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    class_name: Slug = Field(alias="class")
    note: Text


class InteractionFile(KnowledgeFile):
    interactions: list[Interaction]
    reviewed_none: list[ReviewedNone] = []


# -- conditions and side effects ------------------------------------------------------
class Condition(Evidence):
    id: Slug
    name: Text
    aliases: list[Text] = []
    severity: Severity
    concern: Text
    advice: Text


class ConditionFile(KnowledgeFile):
    conditions: list[Condition]


class SideEffect(Evidence):
    id: Slug  # the names the check-in accepts
    name: Text
    kind: Literal["common", "serious"]
    description: Text
    urgent: bool = False
    # Urgent only when severe (e.g. sedation: hard to wake), not at milder levels.
    urgent_when_severe: bool = False
    urgent_advice: str = ""

    @model_validator(mode="after")
    def _urgent_needs_advice(self) -> SideEffect:
        if (self.urgent or self.urgent_when_severe) and not self.urgent_advice:
            raise ValueError("an urgent side effect needs urgent_advice")
        return self


class SideEffectFile(KnowledgeFile):
    side_effects: list[SideEffect]


# -- crisis lines ---------------------------------------------------------------------
class CrisisLine(Evidence):
    """A free helpline, shown with the country it serves."""

    id: Slug
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    country_name: Text
    kind: Literal["crisis", "substance-use"]
    name: Text
    contact: Text  # how to reach it, as said to the person: "call or text 988"
    emergency: Text  # the country's emergency number, for immediate danger


class CrisisLineFile(KnowledgeFile):
    lines: list[CrisisLine]


# -- products and limits ------------------------------------------------------------
class Limit(Evidence):
    id: Slug
    title: Text
    kind: Literal[
        "seven-oh-share",
        "seven-oh-botanical-pct",
        "seven-oh-processed-pct",
        "seven-oh-per-unit-mg",
        "metal-pde",
        "metal-ppm",
        "microbial",
    ]
    element: Literal["lead", "arsenic", "cadmium", "mercury"] | None = None
    value: Decimal
    unit: Text  # "percent of alkaloids", "ug/day", "ppm", "cfu/g", "mg per unit"
    # True: the value must stay below the limit ("less than"), so equal is over it;
    # False: "at most", so only above it is over.
    strict: bool = False
    note: str = ""


class LimitFile(KnowledgeFile):
    limits: list[Limit]


# -- dose and timing references -------------------------------------------------------
class DoseReference(Evidence):
    """Reported figures shown as context, never as advice."""

    id: Slug
    title: Text
    kind: Literal[
        "timing",
        "dose-range",
        "half-life",
        "protocol",
        "dependence",
        "outcome",
        "content",
    ]
    low: Decimal | None = None
    high: Decimal | None = None
    typical: Decimal | None = None
    unit: Text
    summary: Text


class DoseReferenceFile(KnowledgeFile):
    references: list[DoseReference]


# -- law ----------------------------------------------------------------------------
LegalStatus = Literal[
    "legal",
    "regulated",
    "age-only",
    "sale-unlawful",
    "banned",
    "restricted",
    "in-flux",
    "unknown",
]


class LegalEntry(Evidence):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
    name: Text
    locality: str = ""  # a city or county inside `code`, for local bans
    status: LegalStatus
    age_limit: int | None = Field(default=None, ge=16, le=25)
    in_flux: bool = False
    # What a pending change (a bill, a proposed rule) would make the status.
    may_become: LegalStatus | None = None
    details: Text
    # When the entry was last checked against current sources; `as_of` stays the
    # date the law is stated as of.
    verified: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> LegalEntry:
        if self.may_become is not None and not self.in_flux:
            raise ValueError("may_become needs in_flux: true")
        # The name is shown as the place, so a local entry's name must say it.
        if self.locality and self.locality.casefold() not in self.name.casefold():
            raise ValueError(f"name {self.name!r} must contain {self.locality!r}")
        return self


class LegalFile(KnowledgeFile):
    entries: list[LegalEntry]


# -- claims -------------------------------------------------------------------------
class Claim(Evidence):
    id: Slug
    claim: Text
    verdict: Literal[
        "false", "wrong", "misleading", "unsupported", "false-as-stated", "true"
    ]
    explanation: Text


class ClaimFile(KnowledgeFile):
    claims: list[Claim]
