"""Logging doses from the command line: amounts, units, times, confirmations."""

from __future__ import annotations

import pytest

from tests.conftest import Kratom


def doses(kratom: Kratom) -> list[dict[str, object]]:
    return kratom.json("history", "--days", "30")["doses"]


def test_log_adds_the_dose_to_todays_total(kratom: Kratom) -> None:
    kratom.ok("log", "2g")
    kratom.ok("log", "1.5 g", "--at", "-45m")
    today = kratom.json("today")
    assert today["total_g"] == "3.500"
    assert [d["grams"] for d in today["doses"]] == ["1.500", "2.000"]
    assert "3.5 g of the 10 g daily cap" in kratom.ok("today").stdout


@pytest.mark.parametrize(
    ("amount", "grams", "approximate"),
    [
        ("2,5g", "2.500", False),
        ("500mg", "0.500", False),
        ("1 tsp", "2.200", True),  # default from knowledge/units.toml
        ("½ tsp", "1.100", True),
        ("3 caps", "1.500", True),
        ("1 tbsp", "6.600", True),
    ],
)
def test_units_convert_to_grams(
    kratom: Kratom, amount: str, grams: str, approximate: bool
) -> None:
    dose = kratom.json("log", amount)["dose"]
    assert (dose["grams"], dose["approximate"]) == (grams, approximate)


def test_a_measured_spoon_makes_the_conversion_exact(kratom: Kratom) -> None:
    kratom.ok(
        "product", "add", "Red Bali", "--tsp-grams", "2.4", "--capsule-grams", "0.6"
    )
    spoon = kratom.json("log", "1/2 tsp", "--product", "red bali")["dose"]
    capsules = kratom.json("log", "3 capsules", "-p", "Red Bali")["dose"]
    assert (spoon["grams"], spoon["approximate"], spoon["quantity"]) == (
        "1.200",
        False,
        "1/2 tsp",
    )
    assert (capsules["grams"], capsules["approximate"]) == ("1.800", False)
    assert "Red Bali" in kratom.ok("today").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["0g"], "amount: '0g' is zero"),
        (["--", "-1g"], "amount: '-1g' is negative"),
        (["nan g"], "amount: 'nan g' is not an amount"),
        (["inf g"], "amount: 'inf g' is not an amount"),
        (["2 lbs"], "unknown unit 'lbs'"),
        (["2"], "has no unit"),
        (["51g", "--confirm"], "more than 50 g in one dose"),
        (["2g", "--at", "16:00"], "in the future"),
        (["2g", "--at", "soon"], "at: 'soon' is not a time"),
        (["2g", "--product", "Nope"], "product: no product named 'Nope'"),
        (["2g", "--at", "2026-03-29T02:30"], "does not exist in Europe/Berlin"),
    ],
)
def test_bad_input_exits_2_names_the_field_and_saves_nothing(
    kratom: Kratom, args: list[str], message: str
) -> None:
    result = kratom("log", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "nothing was saved" in result.stderr
    assert doses(kratom) == []


def test_above_15_g_needs_confirmation(kratom: Kratom) -> None:
    blocked = kratom("log", "16g")
    assert blocked.exit_code == 1
    assert "--confirm" in blocked.stderr
    assert doses(kratom) == []
    kratom.ok("log", "16g", "--confirm")
    assert [d["grams"] for d in doses(kratom)] == ["16.000"]


def test_a_dose_above_the_cap_is_recorded_and_flagged(kratom: Kratom) -> None:
    output = kratom.ok("log", "6g").stdout
    assert "above your per-dose cap of 5 g" in output


def test_at_forms_are_stored_as_utc_with_the_zone(kratom: Kratom) -> None:
    # now is 15:00 in Berlin (14:00 UTC)
    cases = {
        "14:30": "2026-11-22T13:30:00Z",
        "yesterday 21:00": "2026-11-21T20:00:00Z",
        "-45m": "2026-11-22T13:15:00Z",
        "2026-11-20T08:00+05:00": "2026-11-20T03:00:00Z",
        "2026-11-20 08:00": "2026-11-20T07:00:00Z",
    }
    for text, expected in cases.items():
        dose = kratom.json("log", "1g", "--at", text)["dose"]
        assert (dose["taken_at"], dose["zone"]) == (expected, "Europe/Berlin"), text


def test_day_boundary_puts_a_late_night_dose_on_the_evening_before(
    kratom: Kratom,
) -> None:
    # 01:30 Berlin on the 23rd belongs to the 22nd with the default 04:00 boundary.
    late = "2026-11-23T00:30:00+00:00"
    kratom.ok("log", "2g", "--at", "2026-11-22T20:00+01:00", now=late)
    kratom.ok("log", "1g", now=late)
    today = kratom.json("today", now=late)
    assert (today["day"], today["total_g"]) == ("2026-11-22", "3.000")
    kratom.ok("profile", "set", "--day-boundary", "00:00")
    today = kratom.json("today", now=late)
    assert (today["day"], today["total_g"]) == ("2026-11-23", "1.000")


def test_today_shows_time_since_last_dose_and_last_checkin(kratom: Kratom) -> None:
    kratom.ok("log", "2g", "--at", "-80m")
    kratom.ok("checkin", "--pain", "4", "--at", "-10m")
    output = kratom.ok("today").stdout
    assert "Last dose: 1 h 20 min ago" in output
    assert "Last check-in: 10 min ago: pain 4/10" in output
