"""Input the CLI cannot take is bad input (exit 2, nothing written) with a clear
message: negative amounts that look like options, NUL characters in text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Kratom


def nothing_stored(kratom: Kratom) -> bool:
    history = kratom.json("history", "--days", "30")
    return history["doses"] == [] and history["checkins"] == []


@pytest.mark.parametrize(
    "args",
    [
        ["log", "-1g"],
        ["log", "-1"],
        ["log", "-2.5 g", "--note", "x"],
        ["log", "--note", "x", "-0.5g"],
        ["log", "-½tsp"],
        ["check", "-1g"],
    ],
)
def test_a_negative_amount_is_refused_as_an_amount(
    kratom: Kratom, args: list[str]
) -> None:
    result = kratom(*args)
    assert result.exit_code == 2
    assert "amount:" in result.output
    assert "is negative; an amount must be above zero" in result.output
    assert "No such option" not in result.output
    assert nothing_stored(kratom)


def test_an_option_value_that_starts_with_a_minus_still_works(kratom: Kratom) -> None:
    kratom.ok("log", "1g", "--at", "-45m")
    assert len(kratom.json("history", "--days", "30")["doses"]) == 1


def test_an_unknown_option_is_still_named_as_one(kratom: Kratom) -> None:
    result = kratom("log", "2g", "-x")
    assert result.exit_code == 2
    assert "No such option" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["log", "2g", "--note", "private\x00words"],
        ["product", "add", "Red\x00Bali"],
        ["checkin", "--pain", "3", "--note", "private\x00words"],
    ],
)
def test_a_nul_character_is_bad_input(kratom: Kratom, args: list[str]) -> None:
    result = kratom(*args)
    assert result.exit_code == 2, result.output
    assert "NUL character" in result.output
    assert "private" not in result.output
    assert nothing_stored(kratom)
    assert kratom.json("product", "list")["products"] == []


def test_an_import_with_a_nul_character_writes_nothing(
    kratom: Kratom, tmp_path: Path
) -> None:
    kratom.ok("log", "2g", "--note", "fine")
    exported = json.loads(kratom.ok("export").stdout)
    exported["doses"][0]["note"] = "private\x00words"
    exported["doses"][0]["id"] = "0c5a7f1e-0000-4000-8000-000000000001"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    result = kratom("import", str(path))
    assert result.exit_code == 2, result.output
    assert "note" in result.output and "NUL" in result.output
    assert len(kratom.json("history", "--days", "30")["doses"]) == 1
