"""Quantities as typed ("2,5g", "½ tsp", "3 caps") and their grams."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_journal.domain.errors import ConfirmationNeeded, InputError
from kratom_journal.domain.quantities import (
    Calibration,
    Quantity,
    Unit,
    check_dose_grams,
    parse_grams,
    parse_quantity,
    to_grams,
)
from kratom_journal.knowledge.units import default_calibration

# Measured for one product: a level teaspoon weighs 2.5 g, a capsule holds 0.6 g.
PRODUCT = Calibration(tsp_grams=Decimal("2.5"), capsule_grams=Decimal("0.6"))
UNCALIBRATED = Calibration()
# What the shipped knowledge file says (units.toml): 2.2 g per tsp, 0.5 g per capsule.
DEFAULTS = default_calibration()

ACCEPTED = [
    # text, number, unit, grams with defaults, grams with the product's calibration
    ("2g", Fraction(2), Unit.GRAM, "2", "2"),
    ("2.5 g", Fraction(5, 2), Unit.GRAM, "2.5", "2.5"),
    ("2,5g", Fraction(5, 2), Unit.GRAM, "2.5", "2.5"),
    ("500mg", Fraction(500), Unit.MILLIGRAM, "0.5", "0.5"),
    ("1 tsp", Fraction(1), Unit.TEASPOON, "2.2", "2.5"),
    ("1/2 tsp", Fraction(1, 2), Unit.TEASPOON, "1.1", "1.25"),
    ("½ tsp", Fraction(1, 2), Unit.TEASPOON, "1.1", "1.25"),
    ("1½ tsp", Fraction(3, 2), Unit.TEASPOON, "3.3", "3.75"),
    ("1.5tsp", Fraction(3, 2), Unit.TEASPOON, "3.3", "3.75"),
    ("1 1/2 tsp", Fraction(3, 2), Unit.TEASPOON, "3.3", "3.75"),
    ("1/3 tsp", Fraction(1, 3), Unit.TEASPOON, "0.733", "0.833"),
    ("1 tbsp", Fraction(1), Unit.TABLESPOON, "6.6", "7.5"),
    ("3 caps", Fraction(3), Unit.CAPSULE, "1.5", "1.8"),
    ("3 capsules", Fraction(3), Unit.CAPSULE, "1.5", "1.8"),
    ("1 capsule", Fraction(1), Unit.CAPSULE, "0.5", "0.6"),
    (".5g", Fraction(1, 2), Unit.GRAM, "0.5", "0.5"),
    ("2 grams", Fraction(2), Unit.GRAM, "2", "2"),
    ("2G", Fraction(2), Unit.GRAM, "2", "2"),
    ("  2.5   G  ", Fraction(5, 2), Unit.GRAM, "2.5", "2.5"),
    ("2 Teaspoons", Fraction(2), Unit.TEASPOON, "4.4", "5"),
    ("0.001g", Fraction(1, 1000), Unit.GRAM, "0.001", "0.001"),
    # A numerator of two or more digits is a plain fraction, not a mixed number.
    ("11/2 tsp", Fraction(11, 2), Unit.TEASPOON, "12.1", "13.75"),
    ("12/5 g", Fraction(12, 5), Unit.GRAM, "2.4", "2.4"),
    ("10/3 tsp", Fraction(10, 3), Unit.TEASPOON, "7.333", "8.333"),
]


@pytest.mark.parametrize(
    ("text", "number", "unit", "default_grams", "product_grams"), ACCEPTED
)
def test_accepted_quantities_and_their_grams(
    text: str, number: Fraction, unit: Unit, default_grams: str, product_grams: str
) -> None:
    quantity = parse_quantity(text)
    assert (quantity.number, quantity.unit) == (number, unit)

    estimated = to_grams(quantity, UNCALIBRATED, DEFAULTS)
    assert estimated.grams == Decimal(default_grams)
    # Spoons and capsules converted through documented defaults are estimates.
    assert estimated.approximate is not unit.is_mass

    measured = to_grams(quantity, PRODUCT, DEFAULTS)
    assert measured.grams == Decimal(product_grams)
    # A product's own measurement (or a weight) is exact.
    assert measured.approximate is False
    assert measured.quantity == quantity


def test_grams_are_rounded_to_the_milligram() -> None:
    amount = to_grams(parse_quantity("1/3 tsp"), UNCALIBRATED, DEFAULTS)
    assert amount.grams.as_tuple().exponent == -3


@pytest.mark.parametrize(
    ("text", "grams", "approximate"),
    [
        ("1 tsp", "2.5", False),  # measured teaspoon
        ("2 caps", "1", True),  # capsule falls back to the 0.5 g default
    ],
)
def test_a_partial_calibration_falls_back_per_unit(
    text: str, grams: str, approximate: bool
) -> None:
    calibration = Calibration(tsp_grams=Decimal("2.5"))
    amount = to_grams(parse_quantity(text), calibration, DEFAULTS)
    assert (amount.grams, amount.approximate) == (Decimal(grams), approximate)


@pytest.mark.parametrize("text", ["1 tsp", "1 tbsp", "2 caps"])
def test_a_volume_without_any_conversion_is_refused(text: str) -> None:
    with pytest.raises(InputError) as caught:
        to_grams(parse_quantity(text), UNCALIBRATED, UNCALIBRATED)
    assert caught.value.field == "amount"
    assert "no conversion" in caught.value.problem


@pytest.mark.parametrize("text", ["2g", "500mg"])
def test_weights_need_no_calibration(text: str) -> None:
    amount = to_grams(parse_quantity(text), UNCALIBRATED, UNCALIBRATED)
    assert amount.approximate is False


REJECTED = [
    # text, a fragment of the problem
    ("0g", "zero"),
    ("0/3 tsp", "zero"),
    ("-1g", "negative"),
    ("\u22121g", "negative"),
    ("nan g", "not an amount"),
    ("inf g", "not an amount"),
    ("2 lbs", "unknown unit 'lbs'"),
    ("2", "has no unit"),
    ("1/2", "has no unit"),
    ("", "is empty"),
    ("   ", "is empty"),
    ("g", "not an amount"),
    ("two grams", "not an amount"),
    ("1,000mg", "ambiguous"),
    ("2,500 g", "ambiguous"),
    ("1/0 tsp", "divides by zero"),
    ("2 g g", "not an amount"),
]


@pytest.mark.parametrize(("text", "problem"), REJECTED)
def test_rejected_quantities_name_the_field_and_value(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_quantity(text, field="dose")
    error = caught.value
    assert error.field == "dose"
    assert str(error).startswith("dose: ")
    assert problem in error.problem
    if text.strip():
        assert repr(text) in error.problem


@pytest.mark.parametrize(
    ("grams", "confirmed"),
    [
        ("0.001", False),
        ("5", False),
        ("15", False),  # exactly the confirmation level needs no confirmation
        ("15.001", True),
        ("50", True),  # exactly the maximum, confirmed
    ],
)
def test_dose_grams_accepted(grams: str, confirmed: bool) -> None:
    check_dose_grams(Decimal(grams), confirmed=confirmed)


@pytest.mark.parametrize("grams", ["15.001", "20", "50"])
def test_large_doses_need_confirmation(grams: str) -> None:
    with pytest.raises(ConfirmationNeeded) as caught:
        check_dose_grams(Decimal(grams), confirmed=False)
    assert "--confirm" in str(caught.value)
    assert "nothing was saved" in str(caught.value)


@pytest.mark.parametrize("confirmed", [False, True])
@pytest.mark.parametrize("grams", ["50.001", "500"])
def test_impossible_doses_are_refused_even_when_confirmed(
    grams: str, confirmed: bool
) -> None:
    with pytest.raises(InputError) as caught:
        check_dose_grams(Decimal(grams), confirmed=confirmed)
    assert caught.value.field == "amount"
    assert "500mg, not 500g" in caught.value.problem


@pytest.mark.parametrize(
    "text", ["1" * 30 + "g", "1" * 36 + "mg", "1" * 30 + " tsp", "9" * 29 + ".5 caps"]
)
def test_an_absurdly_long_number_is_refused_as_too_much_not_a_crash(text: str) -> None:
    amount = to_grams(parse_quantity(text), UNCALIBRATED, DEFAULTS)
    assert amount.grams > 50
    with pytest.raises(InputError, match="more than 50 g"):
        check_dose_grams(amount.grams, confirmed=True)


@pytest.mark.parametrize("grams", ["0", "0.000"])
def test_a_dose_that_rounds_to_zero_is_refused(grams: str) -> None:
    with pytest.raises(InputError, match="rounds to zero"):
        check_dose_grams(Decimal(grams), confirmed=True)


@pytest.mark.parametrize(
    ("text", "grams"),
    [("5", "5"), ("5g", "5"), ("0.5 g", "0.5"), ("2,5", "2.5"), ("750mg", "0.75")],
)
def test_parse_grams_for_settings(text: str, grams: str) -> None:
    assert parse_grams(text, "dose-cap") == Decimal(grams)


@pytest.mark.parametrize("text", ["1 tsp", "2 caps", "0", "abc", ""])
def test_parse_grams_refuses_non_weights(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_grams(text, "dose-cap")
    assert caught.value.field == "dose-cap"


# Properties -----------------------------------------------------------------

numbers = st.fractions(
    min_value=Fraction(1, 1000), max_value=Fraction(1000), max_denominator=1000
)
units = st.sampled_from(Unit)
calibrations = st.builds(
    Calibration,
    tsp_grams=st.none()
    | st.decimals(min_value="0.5", max_value="5", places=3, allow_nan=False),
    capsule_grams=st.none()
    | st.decimals(min_value="0.1", max_value="1.5", places=3, allow_nan=False),
)


@settings(max_examples=300, deadline=None)
@given(numbers, units)
def test_written_quantities_parse_back_to_themselves(
    number: Fraction, unit: Unit
) -> None:
    quantity = Quantity(number, unit)
    assert parse_quantity(str(quantity)) == quantity


whole = st.integers(min_value=0, max_value=99).map(str)
decimal_text = st.builds(
    lambda w, sep, frac: f"{w}{sep}{frac}",
    whole,
    st.sampled_from([".", ","]),
    st.integers(min_value=1, max_value=99).map(str),
)
fraction_text = st.builds(
    lambda n, d: f"{n}/{d}",
    st.integers(min_value=1, max_value=99),
    st.integers(min_value=1, max_value=16),
)
vulgar = st.sampled_from("¼½¾⅓⅔⅛⅜⅝⅞")
number_text = st.one_of(
    whole.filter(lambda w: w != "0"),
    decimal_text,
    fraction_text,
    vulgar,
    st.builds(lambda w, f: f"{w} {f}", whole, fraction_text),
    st.builds(lambda w, v: f"{w}{v}", whole, vulgar),
)
unit_words = st.sampled_from(
    ["g", "G", "grams", "mg", "tsp", "Teaspoons", "tbsp", "caps", "capsule"]
)


@settings(max_examples=200, deadline=None)
@given(number_text, st.sampled_from(["", " ", "  "]), unit_words)
def test_a_parsed_quantity_reads_back_as_itself(
    number: str, space: str, unit: str
) -> None:
    text = f"{number}{space}{unit}"
    quantity = parse_quantity(text)
    assert quantity.number > 0
    assert parse_quantity(str(quantity)) == quantity


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.001", max_value="1000", places=3, allow_nan=False))
def test_weights_in_grams_are_exact_to_the_milligram(value: Decimal) -> None:
    grams = to_grams(Quantity(Fraction(value), Unit.GRAM), UNCALIBRATED, DEFAULTS)
    assert grams.grams == value
    assert grams.approximate is False


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=1_000_000))
def test_milligrams_convert_exactly(milligrams: int) -> None:
    quantity = Quantity(Fraction(milligrams), Unit.MILLIGRAM)
    amount = to_grams(quantity, UNCALIBRATED, DEFAULTS)
    assert amount.grams == Decimal(milligrams) / 1000


@settings(max_examples=200, deadline=None)
@given(numbers, units)
def test_grams_lie_within_half_a_milligram_of_the_exact_value(
    number: Fraction, unit: Unit
) -> None:
    amount = to_grams(Quantity(number, unit), PRODUCT, DEFAULTS)
    per_unit = {
        Unit.GRAM: Fraction(1),
        Unit.MILLIGRAM: Fraction(1, 1000),
        Unit.TEASPOON: Fraction(PRODUCT.tsp_grams or 0),
        Unit.TABLESPOON: 3 * Fraction(PRODUCT.tsp_grams or 0),
        Unit.CAPSULE: Fraction(PRODUCT.capsule_grams or 0),
    }[unit]
    assert abs(Fraction(amount.grams) - number * per_unit) <= Fraction(1, 2000)


@settings(max_examples=300, deadline=None)
@given(numbers, numbers, units, calibrations)
def test_more_of_a_unit_is_never_fewer_grams(
    a: Fraction, b: Fraction, unit: Unit, calibration: Calibration
) -> None:
    low, high = sorted((a, b))
    first = to_grams(Quantity(low, unit), calibration, DEFAULTS)
    second = to_grams(Quantity(high, unit), calibration, DEFAULTS)
    assert first.grams <= second.grams
    assert first.approximate == second.approximate


def test_an_amount_longer_than_40_characters_is_refused() -> None:
    with pytest.raises(InputError, match="longer than 40 characters"):
        parse_quantity("2" + " " * 40 + "g")
