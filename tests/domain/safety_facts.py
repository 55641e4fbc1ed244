"""A small, fully sourced fake knowledge base for the rule tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Src:
    title: str = "Test source"
    publisher: str = "Test journal"
    year: int = 2024
    url: str = "https://example.org/source"


@dataclass(frozen=True)
class Ev:
    sources: tuple[Src, ...] = (Src(),)
    as_of: date = date(2026, 1, 1)
    confidence: str = "high"


@dataclass(frozen=True)
class Sub(Ev):
    id: str = ""
    name: str = ""
    kind: str = "medicine"
    classes: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    components: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule(Ev):
    id: str = ""
    title: str = ""
    tier: str = "caution"
    classes: tuple[str, ...] = ()
    substances: tuple[str, ...] = ()
    mechanism: str = "mechanism"
    advice: str = "advice"


@dataclass(frozen=True)
class Cond(Ev):
    id: str = ""
    name: str = ""
    aliases: tuple[str, ...] = ()
    severity: str = "caution"
    concern: str = "concern"
    advice: str = "advice"


@dataclass(frozen=True)
class Law(Ev):
    code: str = ""
    name: str = ""
    locality: str = ""
    status: str = "legal"
    age_limit: int | None = None
    in_flux: bool = False
    may_become: str | None = None
    details: str = "details"
    verified: date | None = None


@dataclass(frozen=True)
class Lim(Ev):
    id: str = ""
    title: str = ""
    kind: str = ""
    element: str | None = None
    value: Decimal = Decimal(0)
    unit: str = ""
    strict: bool = False


@dataclass(frozen=True)
class Ref(Ev):
    id: str = ""
    title: str = ""
    typical: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    summary: str = ""


@dataclass(frozen=True)
class Reviewed(Ev):
    class_name: str = ""
    note: str = ""


@dataclass(frozen=True)
class Facts:
    substances: tuple[Sub, ...] = field(default_factory=tuple)
    interactions: tuple[Rule, ...] = field(default_factory=tuple)
    reviewed_none: tuple[Reviewed, ...] = field(default_factory=tuple)
    conditions: tuple[Cond, ...] = field(default_factory=tuple)
    legal: tuple[Law, ...] = field(default_factory=tuple)
    limits: tuple[Lim, ...] = field(default_factory=tuple)
    dose_references: tuple[Ref, ...] = field(default_factory=tuple)


FACTS = Facts(
    substances=(
        Sub(
            id="gabapentin",
            name="gabapentin",
            classes=("gabapentinoid",),
            brands=("Neurontin",),
            misspellings=("gabapenten",),
        ),
        Sub(
            id="pregabalin",
            name="pregabalin",
            classes=("gabapentinoid",),
            brands=("Lyrica",),
        ),
        Sub(
            id="oxycodone", name="oxycodone", classes=("opioid",), brands=("OxyContin",)
        ),
        Sub(
            id="acetaminophen",
            name="acetaminophen",
            classes=("hepatotoxic",),
            brands=("Tylenol",),
        ),
        Sub(
            id="oxycodone-acetaminophen",
            name="oxycodone/acetaminophen",
            kind="combination",
            brands=("Percocet",),
            components=("oxycodone", "acetaminophen"),
        ),
        Sub(id="ibuprofen", name="ibuprofen", classes=("nsaid",), brands=("Advil",)),
        Sub(id="alcohol", name="alcohol", kind="substance", classes=("alcohol",)),
        Sub(
            id="caffeine",
            name="caffeine",
            kind="substance",
            classes=("stimulant-mild",),
        ),
    ),
    interactions=(
        Rule(
            id="opioids",
            title="Kratom + other opioids",
            tier="avoid",
            classes=("opioid",),
        ),
        Rule(
            id="gabapentinoids",
            title="Kratom + gabapentinoids",
            tier="avoid",
            classes=("gabapentinoid",),
        ),
        Rule(
            id="alcohol", title="Kratom + alcohol", tier="avoid", classes=("alcohol",)
        ),
        Rule(
            id="hepatotoxic",
            title="Kratom + liver-stressing drugs",
            tier="caution",
            classes=("hepatotoxic",),
        ),
    ),
    conditions=(
        Cond(id="pregnancy", name="pregnancy", aliases=("pregnant",), severity="avoid"),
        Cond(
            id="liver-disease",
            name="liver disease",
            aliases=("cirrhosis",),
            severity="high-caution",
        ),
    ),
    legal=(
        Law(
            code="US",
            name="United States",
            status="legal",
            details="Not federally scheduled",
        ),
        Law(code="US-AL", name="Alabama", status="banned"),
        Law(code="US-TX", name="Texas", status="regulated", age_limit=18),
        Law(code="US-CA", name="California", status="sale-unlawful", in_flux=True),
        Law(
            code="US-CA",
            name="San Diego, California",
            locality="San Diego",
            status="banned",
        ),
        Law(code="TH", name="Thailand", status="regulated", age_limit=18),
    ),
    limits=(
        Lim(id="seven-oh", title="7-OH share", kind="seven-oh-share", value=Decimal(2)),
        Lim(
            id="utah-lead",
            title="Utah lead limit",
            kind="metal-ppm",
            element="lead",
            value=Decimal("1.2"),
            strict=True,  # "less than": equal is over
        ),
        Lim(
            id="usp-lead",
            title="USP lead PDE",
            kind="metal-pde",
            element="lead",
            value=Decimal(5),
        ),
        Lim(id="utah-microbial", title="Microbial", kind="microbial", value=Decimal(0)),
        Lim(
            id="dea-botanical",
            title="DEA botanical 7-OH",
            kind="seven-oh-botanical-pct",
            value=Decimal("0.050"),
            strict=True,
        ),
        Lim(
            id="dea-processed",
            title="DEA processed 7-OH",
            kind="seven-oh-processed-pct",
            value=Decimal("0.050"),
            strict=True,  # "0.050% or more"
        ),
        Lim(
            id="dea-per-unit",
            title="DEA 7-OH per unit",
            kind="seven-oh-per-unit-mg",
            value=Decimal("1.00"),
            strict=True,
        ),
    ),
    dose_references=(
        Ref(id="protocol-wait-minutes", title="Wait", typical=Decimal(45)),
        Ref(
            id="mitragynine-half-life-tanna", title="Half-life", typical=Decimal("45.3")
        ),
        Ref(id="dose-range-prozialeck-2012", title="Dose tiers"),
        Ref(id="dependence-frequency", title="Frequency and dependence"),
        Ref(
            id="leaf-mitragynine-content",
            title="Leaf mitragynine",
            low=Decimal(10),
            high=Decimal(20),
        ),
    ),
)
