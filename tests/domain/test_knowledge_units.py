"""The shipped unit conversions (units.toml) load and carry their evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kratom_journal.knowledge.units import (
    CONFIDENCE,
    Conversion,
    default_calibration,
    load_conversions,
)

CONVERSIONS = load_conversions()


def test_the_shipped_file_has_teaspoon_and_capsule_defaults() -> None:
    assert {"tsp", "capsule"} <= set(CONVERSIONS)


@pytest.mark.parametrize("unit", sorted(CONVERSIONS))
def test_every_conversion_carries_its_evidence(unit: str) -> None:
    conversion: Conversion = CONVERSIONS[unit]
    assert conversion.unit == unit
    assert len(conversion.sources) >= 1
    for source in conversion.sources:
        assert source.title.strip()
        assert source.publisher.strip()
        assert 1900 < source.year <= 2026
        assert source.url == "" or source.url.startswith("https://")
    assert isinstance(conversion.as_of, date)
    assert conversion.as_of <= date(2026, 12, 31)
    assert conversion.confidence in CONFIDENCE
    assert CONFIDENCE == ("high", "medium", "low")
    assert conversion.summary.strip()


@pytest.mark.parametrize("unit", sorted(CONVERSIONS))
def test_the_default_lies_inside_its_range(unit: str) -> None:
    conversion = CONVERSIONS[unit]
    assert Decimal(0) < conversion.low <= conversion.grams <= conversion.high


def test_the_default_calibration_uses_the_shipped_values() -> None:
    calibration = default_calibration()
    assert calibration.tsp_grams == CONVERSIONS["tsp"].grams
    assert calibration.capsule_grams == CONVERSIONS["capsule"].grams
    # Plausible for leaf powder: a level teaspoon 1.5-3 g, a capsule under 1 g.
    assert Decimal("1.5") <= (calibration.tsp_grams or 0) <= Decimal(3)
    assert Decimal(0) < (calibration.capsule_grams or 0) < Decimal(1)
