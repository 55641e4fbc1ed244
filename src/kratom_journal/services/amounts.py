"""Turning an amount as typed into grams, with the product's calibration or defaults."""

from __future__ import annotations

from kratom_journal.domain.quantities import (
    Amount,
    Calibration,
    check_dose_grams,
    parse_quantity,
    to_grams,
)


def convert_amount(text: str, calibration: Calibration, *, confirm: bool) -> Amount:
    quantity = parse_quantity(text)
    defaults = Calibration()
    if not quantity.unit.is_mass:
        # Loaded only for spoons and capsules: most doses are weighed.
        from kratom_journal.knowledge.units import default_calibration  # noqa: PLC0415

        defaults = default_calibration()
    amount = to_grams(quantity, calibration, defaults)
    check_dose_grams(amount.grams, confirmed=confirm)
    return amount
