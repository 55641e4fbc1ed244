"""Loader for units.toml: default grams per teaspoon and per capsule, with sources."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from kratom_journal.domain.quantities import Calibration

FILE = "units.toml"
CONFIDENCE = ("high", "medium", "low")


class KnowledgeError(Exception):
    """A knowledge file is malformed; the message names file, entry and field."""


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    year: int
    url: str


@dataclass(frozen=True)
class Conversion:
    unit: str
    grams: Decimal
    low: Decimal
    high: Decimal
    summary: str
    as_of: date
    confidence: str
    sources: tuple[Source, ...]


@cache
def load_conversions() -> dict[str, Conversion]:
    text = resources.files(__package__).joinpath(FILE).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    result: dict[str, Conversion] = {}
    for index, entry in enumerate(data.get("conversion", [])):
        where = f"{FILE}: conversion[{index}]"
        conversion = _conversion(entry, where)
        result[conversion.unit] = conversion
    for unit in ("tsp", "capsule"):
        if unit not in result:
            raise KnowledgeError(f"{FILE}: no conversion for {unit!r}")
    return result


def default_calibration() -> Calibration:
    conversions = load_conversions()
    return Calibration(
        tsp_grams=conversions["tsp"].grams, capsule_grams=conversions["capsule"].grams
    )


def _conversion(entry: dict[str, Any], where: str) -> Conversion:
    def need(name: str) -> Any:
        if name not in entry:
            raise KnowledgeError(f"{where}.{name}: missing")
        return entry[name]

    try:
        grams = Decimal(need("grams"))
        low, high = (Decimal(value) for value in need("range"))
        as_of = date.fromisoformat(need("as_of"))
    except (InvalidOperation, ValueError, TypeError) as error:
        raise KnowledgeError(f"{where}: {error}") from None
    if not low <= grams <= high:
        raise KnowledgeError(
            f"{where}.grams: {grams} is outside its range {low}-{high}"
        )
    confidence = need("confidence")
    if confidence not in CONFIDENCE:
        raise KnowledgeError(
            f"{where}.confidence: {confidence!r} is not one of {CONFIDENCE}"
        )
    sources = tuple(
        Source(
            str(s["title"]), str(s["publisher"]), int(s["year"]), str(s.get("url", ""))
        )
        for s in need("sources")
    )
    if not sources:
        raise KnowledgeError(f"{where}.sources: at least one source is required")
    return Conversion(
        unit=need("unit"),
        grams=grams,
        low=low,
        high=high,
        summary=need("summary"),
        as_of=as_of,
        confidence=confidence,
        sources=sources,
    )
