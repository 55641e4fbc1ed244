"""The plain-JSON form of records: lossless round trips and precise errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_journal.domain.checkins import KNOWN_SIDE_EFFECTS, CheckIn, Peg
from kratom_journal.domain.doses import Dose, Stomach
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.medications import Intake, IntakeKind, Medication
from kratom_journal.domain.products import LabCertificate, Product, ProductForm
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.quantities import Quantity, Unit, parse_quantity
from kratom_journal.domain.records import KINDS, from_json, kind_of, to_json

# Strategies -----------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.just(UTC),
)
dates = st.dates()
zones = st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Bangkok", "UTC"])
texts = st.text(max_size=40)
optional_texts = st.none() | texts
quantities = st.builds(
    Quantity,
    st.fractions(
        min_value=Fraction(1, 1000), max_value=Fraction(1000), max_denominator=1000
    ),
    st.sampled_from(Unit),
) | st.sampled_from(["½ tsp", "1 1/2 tsp", "2,5 g", "3 Caps", "12/5 g"]).map(
    parse_quantity
)
scores = st.integers(min_value=0, max_value=10)
severities = st.integers(min_value=0, max_value=3)


def decimals(low: str, high: str, places: int = 3) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=low, max_value=high, places=places, allow_nan=False)


doses = st.builds(
    Dose,
    id=st.uuids(),
    owner_id=st.uuids(),
    taken_at=instants,
    zone=zones,
    grams=decimals("0.001", "50"),
    quantity=quantities,
    approximate=st.booleans(),
    created_at=instants,
    product_id=st.none() | st.uuids(),
    stomach=st.none() | st.sampled_from(Stomach),
    note=optional_texts,
    deleted_at=st.none() | instants,
)
checkins = st.builds(
    CheckIn,
    id=st.uuids(),
    owner_id=st.uuids(),
    at=instants,
    zone=zones,
    pain=scores,
    created_at=instants,
    peg=st.none() | st.builds(Peg, scores, scores, scores),
    side_effects=st.dictionaries(st.sampled_from(KNOWN_SIDE_EFFECTS), severities),
    other_effects=st.dictionaries(st.text(min_size=1, max_size=20), severities),
    mood=st.none() | scores,
    energy=st.none() | scores,
    sleep=st.none() | scores,
    note=optional_texts,
    deleted_at=st.none() | instants,
)
certificates = st.builds(
    LabCertificate,
    mitragynine_pct=st.none() | decimals("0", "100", 2),
    seven_oh_pct=st.none() | decimals("0", "100", 3),
    lead_ppm=st.none() | decimals("0", "100", 4),
    arsenic_ppm=st.none() | decimals("0", "100", 4),
    cadmium_ppm=st.none() | decimals("0", "100", 4),
    mercury_ppm=st.none() | decimals("0", "100", 4),
    microbial_pass=st.none() | st.booleans(),
    lab_name=optional_texts,
    test_date=st.none() | dates,
)
products = st.builds(
    Product,
    id=st.uuids(),
    owner_id=st.uuids(),
    name=st.text(min_size=1, max_size=40)
    .map(lambda t: " ".join(t.split()))
    .filter(bool),
    created_at=instants,
    form=st.sampled_from(ProductForm),
    vendor=optional_texts,
    strain=optional_texts,
    batch=optional_texts,
    tsp_grams=st.none() | decimals("0.5", "5"),
    capsule_grams=st.none() | decimals("0.1", "1.5"),
    certificate=st.none() | certificates,
    deleted_at=st.none() | instants,
)
medications = st.builds(
    Medication,
    id=st.uuids(),
    owner_id=st.uuids(),
    name=st.text(min_size=1, max_size=40),
    created_at=instants,
    dose_text=optional_texts,
    started=st.none() | dates,
    stopped=st.none() | dates,
    note=optional_texts,
    deleted_at=st.none() | instants,
)
intakes = st.builds(
    Intake,
    id=st.uuids(),
    owner_id=st.uuids(),
    at=instants,
    zone=zones,
    kind=st.sampled_from(IntakeKind),
    name=st.text(min_size=1, max_size=40),
    created_at=instants,
    amount_text=optional_texts,
    note=optional_texts,
    deleted_at=st.none() | instants,
)
profiles = st.builds(
    Profile,
    owner_id=st.uuids(),
    timezone=zones,
    day_boundary=st.builds(time, st.integers(0, 6), st.integers(0, 59)),
    location=st.none() | st.sampled_from(["TH", "US-TX", "GB-ENG"]),
    birth_year=st.none() | st.integers(1906, 2008),
    conditions=st.lists(st.sampled_from(["fibromyalgia", "back pain"])).map(tuple),
    dose_cap_g=decimals("0.5", "8"),
    daily_cap_g=decimals("8", "15"),
    presets=st.lists(
        st.sampled_from(["0.5 g", "1/2 tsp", "2 caps", "500mg"]), unique=True
    ).map(tuple),
)
records = st.one_of(doses, checkins, products, medications, intakes)


@settings(max_examples=300, deadline=None)
@given(records)
def test_records_round_trip_through_json_text(record: Any) -> None:
    text = json.dumps(to_json(record))
    decoded = from_json(type(record), json.loads(text), "record")
    assert decoded == record
    assert KINDS[kind_of(record)] is type(record)


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_profiles_round_trip_through_json_text(profile: Profile) -> None:
    text = json.dumps(to_json(profile))
    assert from_json(Profile, json.loads(text), "profile") == profile


@settings(max_examples=100, deadline=None)
@given(doses)
def test_the_quantity_is_kept_as_entered(dose: Dose) -> None:
    decoded = from_json(Dose, to_json(dose), "dose")
    assert str(decoded.quantity) == str(dose.quantity)


def test_the_json_form_is_plain_and_readable() -> None:
    dose = from_json(Dose, DOSE, "dose")
    assert to_json(dose) == {
        **DOSE,
        "taken_at": "2026-11-22T14:00:00Z",
        "created_at": "2026-11-22T14:00:05Z",
        "stomach": None,
        "note": None,
        "deleted_at": None,
        "acknowledged": [],
    }


# Malformed input --------------------------------------------------------------

DOSE: dict[str, Any] = {
    "id": "5f0c6a56-1f0e-4b8e-9a51-0d0f3c1b2a01",
    "owner_id": "0b6b9c9e-8d7e-4f6a-9d1c-2e3f4a5b6c7d",
    "taken_at": "2026-11-22T15:00:00+01:00",
    "zone": "Europe/Berlin",
    "grams": "1.1",
    "quantity": "1/2 tsp",
    "approximate": True,
    "created_at": "2026-11-22T14:00:05Z",
    "product_id": None,
}
CHECKIN: dict[str, Any] = {
    "id": "5f0c6a56-1f0e-4b8e-9a51-0d0f3c1b2a02",
    "owner_id": "0b6b9c9e-8d7e-4f6a-9d1c-2e3f4a5b6c7d",
    "at": "2026-11-22T15:00:00Z",
    "zone": "Europe/Berlin",
    "pain": 4,
    "created_at": "2026-11-22T15:00:00Z",
    "peg": {"pain": 4, "enjoyment": 3, "activity": 5},
    "side_effects": {"nausea": 1},
    "other_effects": {"metallic taste": 1},
}
PRODUCT: dict[str, Any] = {
    "id": "5f0c6a56-1f0e-4b8e-9a51-0d0f3c1b2a03",
    "owner_id": "0b6b9c9e-8d7e-4f6a-9d1c-2e3f4a5b6c7d",
    "name": "Red Bali",
    "created_at": "2026-11-22T15:00:00Z",
    "certificate": {"mitragynine_pct": "1.2", "test_date": "2026-10-01"},
}
DELETE = object()


def changed(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `base` with the value at dotted `path` replaced or deleted."""
    data = json.loads(json.dumps(base))
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return data


MALFORMED = [
    # record type, JSON, the field the error must name, a fragment of the problem
    (Dose, changed(DOSE, "grams", "0"), "doses[0].grams", "outside 0-50 g"),
    (Dose, changed(DOSE, "grams", "50.001"), "doses[0].grams", "outside 0-50 g"),
    (Dose, changed(DOSE, "grams", "-1"), "doses[0].grams", "outside"),
    (Dose, changed(DOSE, "grams", "0.0004"), "doses[0].grams", "more than 3 decimals"),
    (Dose, changed(DOSE, "grams", "abc"), "doses[0].grams", "is not valid"),
    (Dose, changed(DOSE, "grams", "NaN"), "doses[0].grams", "finite"),
    (Dose, changed(DOSE, "grams", "Infinity"), "doses[0].grams", "finite"),
    (Dose, changed(DOSE, "grams", None), "doses[0].grams", "must not be null"),
    (Dose, changed(DOSE, "quantity", "2 lbs"), "doses[0].quantity", "unknown unit"),
    (Dose, changed(DOSE, "quantity", "0g"), "doses[0].quantity", "zero"),
    (Dose, changed(DOSE, "colour", "red"), "doses[0].colour", "not a known field"),
    (Dose, changed(DOSE, "id", DELETE), "doses[0].id", "is missing"),
    (Dose, changed(DOSE, "grams", DELETE), "doses[0].grams", "is missing"),
    (Dose, changed(DOSE, "id", "not-a-uuid"), "doses[0].id", "is not valid"),
    (
        Dose,
        changed(DOSE, "taken_at", "2026-11-22T14:00:00"),
        "doses[0].taken_at",
        "needs a UTC offset",
    ),
    (Dose, changed(DOSE, "taken_at", "yesterday"), "doses[0].taken_at", "not valid"),
    (Dose, changed(DOSE, "taken_at", 1700000000), "doses[0].taken_at", "not valid"),
    (Dose, changed(DOSE, "stomach", "hungry"), "doses[0].stomach", "not valid"),
    (
        Dose,
        changed(DOSE, "approximate", "yes"),
        "doses[0].approximate",
        "true or false",
    ),
    (Dose, changed(DOSE, "zone", 5), "doses[0].zone", "expected text"),
    (Dose, ["not", "an", "object"], "doses[0]", "is not an object"),
    (CheckIn, changed(CHECKIN, "pain", 11), "doses[0].pain", "11 is outside 0-10"),
    (CheckIn, changed(CHECKIN, "pain", -1), "doses[0].pain", "outside 0-10"),
    (CheckIn, changed(CHECKIN, "pain", "5"), "doses[0].pain", "whole number"),
    (CheckIn, changed(CHECKIN, "pain", 5.0), "doses[0].pain", "whole number"),
    (CheckIn, changed(CHECKIN, "pain", True), "doses[0].pain", "whole number"),
    (CheckIn, changed(CHECKIN, "sleep", 12), "doses[0].sleep", "outside 0-10"),
    (CheckIn, changed(CHECKIN, "peg.pain", 11), "doses[0].peg.pain", "outside 0-10"),
    (CheckIn, changed(CHECKIN, "peg.extra", 1), "doses[0].peg.extra", "not a known"),
    (
        CheckIn,
        changed(CHECKIN, "peg.activity", DELETE),
        "doses[0].peg.activity",
        "is missing",
    ),
    (
        CheckIn,
        changed(CHECKIN, "side_effects.nausea", 4),
        "doses[0].side_effects.nausea",
        "4 is outside 0-3",
    ),
    (
        CheckIn,
        changed(CHECKIN, "side_effects.nausea", "2"),
        "doses[0].side_effects.nausea",
        "whole number",
    ),
    (
        CheckIn,
        changed(CHECKIN, "other_effects.metallic taste", 4),
        "doses[0].other_effects.metallic taste",
        "4 is outside 0-3",
    ),
    (
        # A valid severity under the same name elsewhere must not hide a bad one.
        CheckIn,
        changed(changed(CHECKIN, "side_effects.nausea", 9), "other_effects.nausea", 1),
        "doses[0].side_effects.nausea",
        "9 is outside 0-3",
    ),
    (CheckIn, changed(CHECKIN, "side_effects", [1]), "doses[0].side_effects", "valid"),
    (
        Product,
        changed(PRODUCT, "certificate.lead_ppm", "x"),
        "doses[0].certificate.lead_ppm",
        "is not valid",
    ),
    (
        Product,
        changed(PRODUCT, "certificate.test_date", "2026-13-01"),
        "doses[0].certificate.test_date",
        "is not valid",
    ),
    (
        Product,
        changed(PRODUCT, "certificate.lab", "x"),
        "doses[0].certificate.lab",
        "not a known field",
    ),
    (Product, changed(PRODUCT, "form", "powder"), "doses[0].form", "is not valid"),
    (Product, changed(PRODUCT, "name", DELETE), "doses[0].name", "is missing"),
    (Product, changed(PRODUCT, "name", "  "), "doses[0].name", "is empty"),
    (Product, changed(PRODUCT, "tsp_grams", "-2"), "doses[0].tsp_grams", "outside"),
    (
        Product,
        changed(PRODUCT, "certificate.mitragynine_pct", "500"),
        "doses[0].certificate.mitragynine_pct",
        "outside 0-100",
    ),
    (
        CheckIn,
        changed(CHECKIN, "side_effects", {"hiccups": 1}),
        "doses[0].side_effects.hiccups",
        "not a known side effect",
    ),
]


@pytest.mark.parametrize(("cls", "data", "field", "problem"), MALFORMED)
def test_malformed_json_names_the_bad_field(
    cls: type[Any], data: Any, field: str, problem: str
) -> None:
    with pytest.raises(InputError) as caught:
        from_json(cls, data, "doses[0]")
    assert caught.value.field == field
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ({"dose_cap_g": "9"}, "profiles[0].dose_cap_g", "at most 8 g"),
        ({"daily_cap_g": "16"}, "profiles[0].daily_cap_g", "at most 15 g"),
        ({"dose_cap_g": "0"}, "profiles[0].dose_cap_g", "above 0"),
        (
            {"dose_cap_g": "6", "daily_cap_g": "5"},
            "profiles[0].dose_cap_g",
            "above the daily cap",
        ),
        ({"day_boundary": "25:00"}, "profiles[0].day_boundary", "is not valid"),
        ({"timezone": None}, "profiles[0].timezone", "must not be null"),
        ({"conditions": "epilepsy"}, "profiles[0].conditions", "expected a list"),
        ({"presets": ["2 g", 2]}, "profiles[0].presets", "expected text"),
        ({"presets": ["two"]}, "profiles[0].presets", "is not an amount"),
        ({"presets": ["6 g"]}, "profiles[0].presets", "above the per-dose cap"),
    ],
)
def test_a_bad_profile_names_the_field(
    data: dict[str, Any], field: str, problem: str
) -> None:
    base = {"owner_id": "0b6b9c9e-8d7e-4f6a-9d1c-2e3f4a5b6c7d", "timezone": "UTC"}
    with pytest.raises(InputError) as caught:
        from_json(Profile, {**base, **data}, "profiles[0]")
    assert caught.value.field == field
    assert problem in caught.value.problem


def test_a_profile_without_presets_from_an_older_export_still_reads() -> None:
    data = {"owner_id": "0b6b9c9e-8d7e-4f6a-9d1c-2e3f4a5b6c7d", "timezone": "UTC"}
    assert from_json(Profile, data, "profile").presets == ()
