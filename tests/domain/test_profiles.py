"""Profile settings: caps, location codes, localities, birth years and condition
names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.moments import DEFAULT_DAY_BOUNDARY
from kratom_journal.domain.profiles import (
    Profile,
    check_birth_year,
    check_caps,
    parse_condition,
    parse_locality,
    parse_location,
    parse_presets,
)


def test_a_new_profile_has_the_default_caps_and_boundary() -> None:
    profile = Profile(owner_id=uuid4(), timezone="Europe/Berlin")
    assert profile.dose_cap_g == Decimal(5)
    assert profile.daily_cap_g == Decimal(10)
    assert profile.day_boundary == DEFAULT_DAY_BOUNDARY
    check_caps(profile.dose_cap_g, profile.daily_cap_g)


@pytest.mark.parametrize(
    ("dose_cap", "daily_cap"),
    [("5", "10"), ("8", "15"), ("0.5", "0.5"), ("8", "8"), ("0.001", "15")],
)
def test_caps_accepted(dose_cap: str, daily_cap: str) -> None:
    check_caps(Decimal(dose_cap), Decimal(daily_cap))


@pytest.mark.parametrize(
    ("dose_cap", "daily_cap", "field", "problem"),
    [
        ("8.001", "15", "dose-cap", "at most 8 g"),
        ("0", "10", "dose-cap", "must be above 0"),
        ("-1", "10", "dose-cap", "must be above 0"),
        ("5", "15.001", "daily-cap", "at most 15 g"),
        ("5", "0", "daily-cap", "must be above 0"),
        ("6", "5", "dose-cap", "above the daily cap of 5 g"),
        ("8", "7.999", "dose-cap", "above the daily cap"),
    ],
)
def test_caps_refused(dose_cap: str, daily_cap: str, field: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        check_caps(Decimal(dose_cap), Decimal(daily_cap))
    assert caught.value.field == field
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TH", "TH"),
        ("gb", "GB"),
        (" us-tx ", "US-TX"),
        ("GB-ENG", "GB-ENG"),
        ("FR-75", "FR-75"),
    ],
)
def test_location_codes(text: str, code: str) -> None:
    assert parse_location(text) == code


@pytest.mark.parametrize(
    "text", ["", "USA", "U", "US-", "US-TEXA", "US TX", "Texas", "1A", "US_TX"]
)
def test_bad_location_codes(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_location(text)
    assert caught.value.field == "location"
    assert repr(text) in caught.value.problem


TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("year", [1906, 1960, 2008])
def test_birth_years_of_adults(year: int) -> None:
    assert check_birth_year(year, TODAY) == year


@pytest.mark.parametrize("year", [1905, 2009, 2026, 0, 3000])
def test_implausible_birth_years(year: int) -> None:
    with pytest.raises(InputError) as caught:
        check_birth_year(year, TODAY)
    assert caught.value.field == "birth-year"
    assert "from 1906 to 2008" in caught.value.problem


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fibromyalgia", "fibromyalgia"),
        ("  Liver   Disease ", "liver disease"),
        ("crohn's disease", "crohn's disease"),
        ("type 2 diabetes", "type 2 diabetes"),
        ("COPD (mild)", "copd (mild)"),
        ("ME/CFS", "me/cfs"),
        ("a" * 80, "a" * 80),
    ],
)
def test_condition_names(text: str, name: str) -> None:
    assert parse_condition(text) == name


@pytest.mark.parametrize(
    "text", ["", "   ", "a" * 81, "-back pain", "pain; drop table"]
)
def test_bad_condition_names(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_condition(text)
    assert caught.value.field == "condition"


@pytest.mark.parametrize(
    ("texts", "presets"),
    [
        ([], ()),
        (["2 g", "1/2 tsp", "3 caps"], ("2 g", "1/2 tsp", "3 caps")),
        (["  2   g ", "", "   "], ("2 g",)),
        (["2g", "2 g", "2000 mg", "½ tsp", "1/2 tsp"], ("2g", "2000 mg", "½ tsp")),
        (["5 g", "5000 mg"], ("5 g", "5000 mg")),  # exactly the cap is allowed
        (["3 tsp"], ("3 tsp",)),  # spoons depend on the product; checked when logged
        (
            ["1 g", "1.5 g", "2 g", "2.5 g", "3 g", "3.5 g"],
            ("1 g", "1.5 g", "2 g", "2.5 g", "3 g", "3.5 g"),
        ),
    ],
)
def test_presets_are_kept_as_written(
    texts: list[str], presets: tuple[str, ...]
) -> None:
    assert parse_presets(texts, Decimal(5)) == presets


@pytest.mark.parametrize(
    ("texts", "problem"),
    [
        (["two grams"], "'two grams' is not an amount"),
        (["2"], "has no unit"),
        (["5.5 g"], "5.5 g is above the per-dose cap of 5 g"),
        (["5001 mg"], "5001 mg is above the per-dose cap of 5 g"),
        ([f"{n} caps" for n in range(1, 8)], "7 presets given; at most 6 are allowed"),
    ],
)
def test_bad_presets_are_refused(texts: list[str], problem: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_presets(texts, Decimal(5))
    assert caught.value.field == "presets"
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("San Diego", "San Diego"),
        ("  san   diego ", "san diego"),
        ("Sarasota County", "Sarasota County"),
        ("St. Louis", "St. Louis"),
        ("Winston-Salem", "Winston-Salem"),
        ("Coeur d'Alene", "Coeur d'Alene"),
        ("München", "München"),
        ("x" * 80, "x" * 80),
    ],
)
def test_localities_are_kept_as_written(text: str, name: str) -> None:
    assert parse_locality(text) == name


@pytest.mark.parametrize(
    "text", ["", "   ", "-Toledo", "Toledo; rm", "<b>Toledo</b>", "x" * 81, "_x"]
)
def test_bad_localities_name_the_field(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_locality(text)
    assert raised.value.field == "locality"
