"""A trial is checked like a dose: both regimens' daily amounts go through the
safety check before the design is saved (issue 14)."""

from __future__ import annotations

import pytest

from tests.conftest import Kratom

# The fixed "now" is Sun 22 Nov 2026, 15:00 in Berlin.
TRIAL = ("trial", "design", "--a", "2 g", "--b", "4 g", "--outcome", "nrs")


def test_a_trial_is_refused_at_an_avoid_finding_and_nothing_is_saved(
    kratom: Kratom,
) -> None:
    # The issue: saved with gabapentin on file, then "Today is B (4 g)".
    kratom.ok("med", "add", "gabapentin")
    for extra in ((), ("--confirm",), ("--preview",)):
        refused = kratom(*TRIAL, *extra)
        assert refused.exit_code == 1, refused.output
        assert "gabapentin" in refused.output
        assert "nothing was saved" in refused.output.lower()
    assert "No trial yet" in kratom.ok("trial", "status").stdout


def test_high_caution_needs_an_acknowledgement_that_is_stored(kratom: Kratom) -> None:
    kratom.ok("med", "add", "quetiapine")
    asked = kratom(*TRIAL)
    assert asked.exit_code == 1, asked.output
    assert "quetiapine" in asked.output and "--confirm" in asked.output
    assert "No trial yet" in kratom.ok("trial", "status").stdout
    # The preview shows the findings in full, with their sources, and saves nothing.
    preview = kratom.ok(*TRIAL, "--preview").stdout
    assert "[HIGH CAUTION] Kratom + quetiapine" in preview
    assert "what to do:" in preview and "source:" in preview

    saved = kratom.json(*TRIAL, "--confirm")
    assert saved["saved"] is True
    acknowledged = {f["rule"] for f in saved["trial"]["acknowledged"]}
    assert "interaction:sedating-antipsychotics" in acknowledged
    status = kratom.json("trial", "status")
    assert status["trial"]["acknowledged"] == saved["trial"]["acknowledged"]
    assert status["trial"]["daily_g"] == {"A": "2", "B": "4"}


def test_no_findings_need_no_confirmation(kratom: Kratom) -> None:
    saved = kratom.json(*TRIAL)
    assert saved["saved"] is True and saved["trial"]["acknowledged"] == []


def test_every_kratom_trial_warns_that_daily_use_builds_dependence(
    kratom: Kratom,
) -> None:
    text = kratom.ok(*TRIAL, "--preview").stdout
    assert "every day for 16 weeks" in text
    assert "dependence" in text
    assert "Rogers" in text and "Smith" in text  # the knowledge base's sources
    body = kratom.json(*TRIAL, "--preview")
    dependence = body["dependence"]
    assert "tolerance" in dependence["text"]
    assert {s["year"] for s in dependence["sources"]} >= {2024, 2022}


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("2 g twice a day", "regimen-b"),  # the safety check needs the day's grams
        ("my usual", "regimen-b"),
        ("3 tsp", "regimen-b"),
    ],
)
def test_a_regimen_must_give_its_daily_grams(
    kratom: Kratom, label: str, field: str
) -> None:
    result = kratom("trial", "design", "--a", "2 g", "--b", label)
    assert result.exit_code == 2, result.output
    assert field in result.output and "a day" in result.output


@pytest.mark.parametrize("label", ["3 g a day", "3g daily", "3 g/day", "3000 mg"])
def test_daily_amounts_read_in_plain_words(kratom: Kratom, label: str) -> None:
    body = kratom.json("trial", "design", "--a", "2 g", "--b", label, "--preview")
    assert body["trial"]["daily_g"] == {"A": "2", "B": "3"}


def test_a_no_kratom_regimen_is_checked_as_none(kratom: Kratom) -> None:
    kratom.ok("med", "add", "quetiapine")
    body = kratom.json("trial", "design", "--a", "2 g", "--b", "none", "--preview")
    assert body["trial"]["daily_g"] == {"A": "2", "B": "0"}
    assert any(f["rule"].startswith("interaction:") for f in body["findings"])


def test_a_finding_that_arises_during_the_trial_is_shown_with_todays_regimen(
    kratom: Kratom,
) -> None:
    kratom.ok(*TRIAL)
    assert "avoid-level" not in kratom.ok("trial", "status").stdout
    kratom.ok("med", "add", "gabapentin")
    text = kratom.ok("trial", "status").stdout
    assert "Today: pair 1, period 1" in text
    assert "An avoid-level finding stands now" in text and "gabapentin" in text
    assert "`kratom trial stop`" in text
    (found,) = kratom.json("trial", "status")["avoid_findings"]
    assert found["rule"] == "interaction:gabapentinoids"
