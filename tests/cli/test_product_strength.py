"""Strength-aware doses from the command line: mg per dose, leaf equivalents, caps
judged in leaf grams, the DEA's proposed 7-OH threshold and total alkaloids."""

from __future__ import annotations

import pytest

from tests.conftest import Kratom


def add_extract(kratom: Kratom, *certificate: str) -> None:
    kratom.ok("product", "add", "Gold", "--form", "extract", *certificate)


def test_check_of_an_extract_shows_its_strength_and_judges_caps_in_leaf(
    kratom: Kratom,
) -> None:
    add_extract(kratom, "--mitragynine-pct", "45", "--seven-oh-pct", "0.9")
    result = kratom("check", "3g", "-p", "Gold")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Safety check for 3 g of Gold:" in text
    assert (
        "Strength: 1350 mg mitragynine, 27 mg 7-OH (lab certificate); roughly "
        "68-135 g of leaf\n" in text
    )
    assert "[HIGH CAUTION] 3 g of Gold is roughly 68-135 g of leaf" in text
    assert (
        "[HIGH CAUTION] 3 g is about 67.5 g leaf-equivalent, above your per-dose cap "
        "of 5 g" in text
    )
    assert (
        "Today's total would be about 67.5 g leaf-equivalent, above your daily cap "
        "of 10 g" in text
    )
    # 0.9% 7-OH in an extract is over the DEA's proposed 0.050% for processed products.
    assert "at or over the DEA's proposed 7-OH threshold" in text
    report = kratom.json("check", "3g", "-p", "Gold")
    assert report["strength"] == {
        "mitragynine_mg": "1350",
        "seven_oh_mg": "27",
        "leaf_equivalent_g": {"low": "67.5", "high": "135"},
        "strength_unknown": False,
    }
    rules = {f["rule"]: f["severity"] for f in report["findings"]}
    assert rules["product:stronger-than-leaf"] == "high-caution"
    assert rules["product:seven-oh-processed-pct"] == "high-caution"
    assert rules["dose:over-daily-cap"] == "high-caution"


def test_log_of_an_extract_prints_mg_and_the_day_in_leaf_equivalent(
    kratom: Kratom,
) -> None:
    add_extract(kratom, "--mitragynine-pct", "45", "--seven-oh-pct", "0.9")
    output = kratom.ok("log", "3g", "-p", "Gold").stdout
    assert (
        "Strength: 1350 mg mitragynine, 27 mg 7-OH (lab certificate); roughly "
        "68-135 g of leaf\n" in output
    )
    assert "Today: 3 g, about 68 g leaf-equivalent, above the 10 g daily cap" in output
    assert "3 g of the 10 g daily cap" not in output
    logged = kratom.json("log", "0.1g", "-p", "Gold")
    assert logged["strength"]["mitragynine_mg"] == "45"
    assert logged["today_total_g"] == "3.100"
    assert logged["today_leaf_equivalent_g"] == "69.750"  # 67.5 + 2.25
    today = kratom.ok("today").stdout
    assert "Today: 3.1 g, about 70 g leaf-equivalent, above the 10 g daily cap" in today
    assert "Today's total is above your daily cap." in today
    assert kratom.json("today")["over_daily_cap"] is True


def test_an_extract_without_a_certificate_cannot_be_judged(kratom: Kratom) -> None:
    add_extract(kratom)
    report = kratom.json("check", "1g", "-p", "Gold")
    assert report["strength"]["strength_unknown"] is True
    rules = {f["rule"]: f for f in report["findings"]}
    assert rules["dose:cap-not-judged"]["severity"] == "high-caution"
    assert (
        rules["dose:cap-not-judged"]["title"] == "Your caps cannot be judged for Gold"
    )
    assert rules["product:strength-unknown"]["severity"] == "high-caution"
    output = kratom.ok("log", "1g", "-p", "Gold").stdout
    assert "Strength: unknown, treated as stronger than leaf" in output
    assert (
        "Today: 1 g; the 10 g daily cap cannot be judged: strength unknown for Gold"
        in output
    )
    kratom.ok("log", "2g")
    today = kratom.ok("today").stdout
    assert (
        "about 2 g leaf-equivalent, of the 10 g daily cap; not counted, strength "
        "unknown (so the cap cannot be judged): Gold" in today
    )


def test_plain_leaf_shows_mg_and_keeps_the_gram_total(kratom: Kratom) -> None:
    kratom.ok("product", "add", "Red Bali", "--mitragynine-pct", "1.5")
    output = kratom.ok("log", "2g", "-p", "Red Bali").stdout
    assert "Strength: 30 mg mitragynine (lab certificate)" in output
    assert "Today: 2 g of the 10 g daily cap" in output
    report = kratom.json("check", "2g", "-p", "Red Bali")
    assert report["strength"]["leaf_equivalent_g"] is None
    assert "product:stronger-than-leaf" not in {f["rule"] for f in report["findings"]}
    assert kratom.json("check", "2g")["strength"] is None


@pytest.mark.parametrize(
    ("seven_oh", "fires"), [("0.049", False), ("0.050", True), ("0.051", True)]
)
def test_leaf_7oh_against_the_dea_botanical_threshold(
    kratom: Kratom, seven_oh: str, fires: bool
) -> None:
    kratom.ok(
        "product",
        "add",
        "Red Bali",
        "--mitragynine-pct",
        "1.5",
        "--seven-oh-pct",
        seven_oh,
        "--total-alkaloids-pct",
        "5",
    )
    rules = {
        f["rule"] for f in kratom.json("check", "1g", "-p", "Red Bali")["findings"]
    }
    assert ("product:seven-oh-botanical-pct" in rules) is fires


def test_total_alkaloids_option_is_stored_and_checked(kratom: Kratom) -> None:
    product = kratom.json(
        "product",
        "add",
        "Red Bali",
        "--mitragynine-pct",
        "1",
        "--seven-oh-pct",
        "0.03",
        "--total-alkaloids-pct",
        "3",
    )["product"]
    assert product["certificate"]["total_alkaloids_pct"] == "3"
    assert "total alkaloids pct: 3" in kratom.ok("product", "show", "Red Bali").stdout
    bad = kratom("product", "edit", "Red Bali", "--total-alkaloids-pct", "0.5")
    assert bad.exit_code == 2
    assert "total-alkaloids-pct" in bad.stderr
    assert (
        kratom.json("product", "show", "Red Bali")["product"]["certificate"][
            "total_alkaloids_pct"
        ]
        == "3"
    )


def test_profile_show_labels_the_caps_as_settings(kratom: Kratom) -> None:
    output = kratom.ok("profile", "show").stdout
    assert "5 g per dose (leaf grams; a setting, not a health limit)" in output


@pytest.mark.parametrize(
    ("options", "why"),
    [
        (("--form", "extract", "--mitragynine-pct", "45"), "an extract"),
        (("--mitragynine-pct", "2.1"), "above about 2% mitragynine"),
    ],
)
def test_titration_refuses_a_product_stronger_than_leaf(
    kratom: Kratom, options: tuple[str, ...], why: str
) -> None:
    kratom.ok("product", "add", "Gold", *options)
    result = kratom("titrate", "start", "--dose", "1g", "--pain", "6", "-p", "Gold")
    assert result.exit_code == 1
    assert "written in grams of plain leaf" in result.stderr and why in result.stderr
    assert kratom.json("history")["doses"] == []


def test_seven_oh_mg_per_unit_option(kratom: Kratom) -> None:
    product = kratom.json(
        "product",
        "add",
        "Tabs",
        "--form",
        "other",
        "--seven-oh-mg-per-unit",
        "15",
    )["product"]
    assert product["certificate"]["seven_oh_mg_per_unit"] == "15"
    report = kratom.json("check", "1g", "-p", "Tabs")
    rules = {f["rule"]: f for f in report["findings"]}
    assert rules["product:seven-oh-per-unit-mg"]["title"] == (
        "15 mg 7-OH per unit in Tabs: at or over the DEA's proposed 7-OH threshold"
    )
    bad = kratom("product", "edit", "Tabs", "--seven-oh-mg-per-unit", "-1")
    assert bad.exit_code == 2 and "seven-oh-mg-per-unit" in bad.stderr
