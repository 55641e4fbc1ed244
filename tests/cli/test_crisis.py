"""A profile with suicidal thoughts: `kratom check` shows the crisis lines first."""

from __future__ import annotations

import pytest

from tests.conftest import Kratom


@pytest.mark.parametrize(
    ("location", "shown", "not_shown"),
    [
        ("US-TX", ["988 Suicide & Crisis Lifeline", "call 911"], ["116 123"]),
        ("GB", ["Samaritans: call 116 123", "call 999"], ["988"]),
        (None, ["988", "116 123", "13 11 14", "9-8-8", "local emergency number"], []),
    ],
)
def test_check_shows_the_crisis_lines_for_the_location(
    kratom: Kratom, location: str | None, shown: list[str], not_shown: list[str]
) -> None:
    args = ["--location", location] if location else []
    kratom.ok("profile", "set", "--condition", "suicidal thoughts", *args)
    result = kratom("check")
    assert result.exit_code == 0  # high-caution: nothing is blocked
    first = result.stdout.split("\n[")[0]  # the first finding, before the next one
    assert first.startswith("[HIGH CAUTION] You are not alone")
    assert "not in our list" not in result.stdout
    for text in shown:
        assert text in first
    for text in not_shown:
        assert text not in first
    finding = kratom.json("check")["findings"][0]
    assert finding["rule"] == "condition:suicidal-thoughts"
    assert finding["severity"] == "high-caution"


def test_learn_about_suicidal_thoughts_shows_the_lines_to_call(kratom: Kratom) -> None:
    output = kratom.ok("learn", "suicidal thoughts").stdout
    assert "988 Suicide & Crisis Lifeline" in output and "call or text 988" in output
    assert "116 123" in output and "13 11 14" in output
    assert kratom.json("learn", "self harm")["entries"][1]["kind"] == "crisis"
