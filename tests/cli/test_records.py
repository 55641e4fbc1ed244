"""Products, medications, other intake and the profile."""

from __future__ import annotations

import pytest

from tests.conftest import Kratom


def test_product_with_a_lab_certificate(kratom: Kratom) -> None:
    kratom.ok(
        "product",
        "add",
        "Green Maeng Da",
        "--vendor",
        "Acme",
        "--form",
        "leaf-powder",
        "--strain",
        "green vein",
        "--batch",
        "B-17",
        "--mitragynine-pct",
        "1.4",
        "--seven-oh-pct",
        "0.02",
        "--lead-ppm",
        "0.3",
        "--microbial",
        "pass",
        "--lab-name",
        "LabCo",
        "--test-date",
        "2026-10-01",
    )
    product = kratom.json("product", "show", "green maeng da")["product"]
    assert product["certificate"]["mitragynine_pct"] == "1.4"
    assert product["certificate"]["microbial_pass"] is True
    shown = kratom.ok("product", "show", "Green Maeng Da").stdout
    assert "lead ppm: 0.3" in shown
    kratom.ok("product", "edit", "Green Maeng Da", "--lead-ppm", "0.5", "--name", "GMD")
    listed = kratom.json("product", "list")["products"]
    assert [(p["name"], p["certificate"]["lead_ppm"]) for p in listed] == [
        ("GMD", "0.5")
    ]
    assert "no lab certificate" not in kratom.ok("product", "list").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seven-oh-pct", "150"], "seven-oh-pct: '150' is outside 0-100"),
        (["--tsp-grams", "0"], "tsp-grams: '0g' is zero"),
        (["--test-date", "2027-01-01"], "test-date: 2027-01-01 is in the future"),
        (["--lead-ppm", "lots"], "lead-ppm: 'lots' is not a number"),
    ],
)
def test_bad_product_fields_are_refused(
    kratom: Kratom, args: list[str], message: str
) -> None:
    result = kratom("product", "add", "X", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert kratom.json("product", "list")["products"] == []


def test_duplicate_product_name_is_refused(kratom: Kratom) -> None:
    kratom.ok("product", "add", "Red Bali")
    result = kratom("product", "add", "red bali")
    assert result.exit_code == 2
    assert "already exists" in result.stderr


def test_medications_add_list_stop(kratom: Kratom) -> None:
    kratom.ok(
        "med", "add", "gabapentin", "--dose", "300 mg 3x/day", "--started", "2026-01-10"
    )
    kratom.ok("med", "add", "Sertraline")
    assert (
        "gabapentin  300 mg 3x/day  since 2026-01-10" in kratom.ok("med", "list").stdout
    )
    kratom.ok("med", "stop", "sertraline")
    assert [m["name"] for m in kratom.json("med", "list")["medications"]] == [
        "gabapentin"
    ]
    everything = kratom.json("med", "list", "--all")["medications"]
    assert [m["stopped"] for m in everything] == [None, "2026-11-22"]
    missing = kratom("med", "stop", "aspirin")
    assert missing.exit_code == 2
    assert "no current medication 'aspirin'" in missing.stderr


def test_intake_guesses_the_kind(kratom: Kratom) -> None:
    assert kratom.json("intake", "Coffee")["intake"]["kind"] == "caffeine"
    assert (
        kratom.json("intake", "wine", "--amount", "2 glasses")["intake"]["kind"]
        == "alcohol"
    )
    assert (
        kratom.json("intake", "cannabis", "--at", "-2h")["intake"]["kind"]
        == "substance"
    )


def test_profile_defaults_and_changes(kratom: Kratom) -> None:
    profile = kratom.json("profile", "show")["profile"]
    assert (profile["timezone"], profile["day_boundary"]) == ("Europe/Berlin", "04:00")
    assert (profile["dose_cap_g"], profile["daily_cap_g"]) == ("5.000", "10.000")
    kratom.ok(
        "profile",
        "set",
        "--location",
        "us-tx",
        "--birth-year",
        "1970",
        "--condition",
        "Liver disease",
        "--condition",
        "epilepsy",
        "--dose-cap",
        "4",
        "--daily-cap",
        "8g",
        "--timezone",
        "America/Chicago",
    )
    kratom.ok("profile", "set", "--no-condition", "epilepsy")
    profile = kratom.json("profile", "show")["profile"]
    assert profile["location"] == "US-TX"
    assert profile["conditions"] == ["liver disease"]
    assert (profile["dose_cap_g"], profile["daily_cap_g"]) == ("4.000", "8.000")
    assert profile["timezone"] == "America/Chicago"
    kratom.ok("undo")
    assert kratom.json("profile", "show")["profile"]["conditions"] == [
        "liver disease",
        "epilepsy",
    ]


def test_presets_are_set_checked_against_the_cap_and_cleared(kratom: Kratom) -> None:
    kratom.ok("log", "1.5g")
    kratom.ok("log", "2 g")
    kratom.ok("profile", "set", "--preset", "2g", "--preset", "1/2 tsp")
    assert kratom.json("profile", "show")["profile"]["presets"] == ["2g", "1/2 tsp"]
    assert "presets:      2g, 1/2 tsp" in kratom.ok("profile", "show").stdout
    lowered = kratom("profile", "set", "--dose-cap", "1.5")
    assert lowered.exit_code == 2
    assert "presets: 2g is above the per-dose cap of 1.5 g" in lowered.stderr
    kratom.ok("profile", "set", "--no-presets")
    assert kratom.json("profile", "show")["profile"]["presets"] == []
    both = kratom("profile", "set", "--no-presets", "--preset", "2 g")
    assert both.exit_code == 2
    assert "presets: give --preset or --no-presets, not both" in both.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dose-cap", "9"], "dose-cap: 9.000 g is not allowed"),
        (["--daily-cap", "16"], "daily-cap: 16.000 g is not allowed"),
        (["--dose-cap", "8", "--daily-cap", "6"], "above the daily cap"),
        (
            ["--timezone", "Mars/Olympus"],
            "timezone: 'Mars/Olympus' is not an IANA time zone",
        ),
        # A folder of the zone database, not a zone: an OSError inside zoneinfo.
        (["--timezone", "Europe"], "timezone: 'Europe' is not an IANA time zone"),
        (["--location", "Texas"], "location: 'Texas' is not an ISO 3166 code"),
        (["--day-boundary", "25:00"], "day-boundary: '25:00' is not a time of day"),
        (["--birth-year", "2020"], "birth-year: 2020 is not accepted"),
        (["--preset", "6 g"], "presets: 6 g is above the per-dose cap of 5 g"),
        (["--preset", "a lot"], "presets: 'a lot' is not an amount"),
    ],
)
def test_bad_profile_settings_are_refused(
    kratom: Kratom, args: list[str], message: str
) -> None:
    before = kratom.json("profile", "show")
    result = kratom("profile", "set", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert kratom.json("profile", "show") == before


def test_a_database_of_another_program_is_refused_with_exit_3(tmp_path) -> None:
    import sqlite3

    from click.testing import CliRunner

    from kratom_journal.cli import main

    other = tmp_path / "notes.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    result = CliRunner().invoke(main, ["--db", str(other), "today"])
    assert result.exit_code == 3
    assert "is not a Kratom Journal; choose another file with --db" in result.stderr
