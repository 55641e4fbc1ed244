"""Crisis support: the suicidal-thoughts condition and severe low mood in withdrawal
show the crisis lines for the person's country, from the real knowledge base."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from uuid import UUID

import pytest

from kratom_journal.domain import crisis
from kratom_journal.domain.facts import resolve_condition
from kratom_journal.domain.findings import Severity
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.safety import SafetyInput, check
from kratom_journal.knowledge.loader import load_knowledge

FACTS = load_knowledge()
NOW = datetime(2026, 11, 22, 15, tzinfo=UTC)
PROFILE = Profile(owner_id=UUID(int=7), timezone="America/Chicago")
# The four services' numbers, as each says them.
US, GB, AU, CA = "call or text 988", "116 123", "13 11 14", "call or text 9-8-8"


@pytest.mark.parametrize(
    "typed",
    [
        "suicidal thoughts",
        "Suicidal Ideation",
        "thoughts of suicide",
        "suicidal",
        "self-harm",
        "self harm",
        "suicide risk",
        "SUICIDAL THOUGHTS",
    ],
)
def test_the_condition_resolves_from_each_wording(typed: str) -> None:
    condition = resolve_condition(typed, FACTS.conditions)
    assert condition is not None
    assert condition.id == crisis.CONDITION_ID


def findings_for(*conditions: str, location: str | None = None) -> list:  # type: ignore[type-arg]
    profile = dataclasses.replace(PROFILE, conditions=conditions, location=location)
    data = SafetyInput(
        profile=profile, now=NOW, proposed=None, doses=(), medications=(), intakes=()
    )
    return check(data, FACTS)


@pytest.mark.parametrize(
    ("location", "shown", "emergency"),
    [
        ("US-TX", {US}, "call 911"),
        ("GB", {GB}, "call 999"),
        ("AU", {AU}, "call 000"),
        ("CA-ON", {CA}, "call 911"),
        (None, {US, GB, AU, CA}, "your local emergency number"),
        ("TH", {US, GB, AU, CA}, "your local emergency number"),
    ],
)
def test_the_finding_shows_the_crisis_line_for_the_country(
    location: str | None, shown: set[str], emergency: str
) -> None:
    [finding] = [
        f
        for f in findings_for("suicidal thoughts", location=location)
        if f.rule.startswith("condition:")
    ]
    assert finding.rule == "condition:suicidal-thoughts"
    for number in {US, GB, AU, CA}:
        assert (number in finding.advice) is (number in shown), number
    assert emergency in finding.advice
    assert "naloxone" in finding.advice
    assert "alone" in finding.advice
    # Each line shown is cited with its service's own page.
    urls = {s.url for s in finding.sources}
    assert ("https://988lifeline.org" in urls) is (US in shown)
    assert ("https://988.ca" in urls) is (CA in shown)


def test_it_is_high_caution_and_comes_first_even_before_an_avoid() -> None:
    found = findings_for("pregnant", "suicidal thoughts", location="US-TX")
    assert [f.rule for f in found[:2]] == [
        "condition:suicidal-thoughts",
        "condition:pregnancy",
    ]
    assert found[0].severity is Severity.HIGH_CAUTION
    assert found[1].severity is Severity.AVOID
    # Shame-free and informational: no "you must", no blame.
    assert "not alone" in found[0].title
    assert "must" not in found[0].advice.lower()


def symptoms(**levels: int) -> dict[str, int]:
    return {name.replace("_", "-"): level for name, level in levels.items()}


@pytest.mark.parametrize(
    ("levels", "location", "expected"),
    [
        (symptoms(low_mood=3), "US-TX", {"988"}),
        (symptoms(low_mood=3), "GB", {"116 123"}),
        (symptoms(low_mood=3), None, {"988", "116 123", "13 11 14", "9-8-8"}),
        (symptoms(low_mood=3, craving=3), "US-CA", {"988", "1-800-662-4357"}),
        (symptoms(low_mood=3, craving=3), "AU", {"13 11 14"}),
        (symptoms(low_mood=3, craving=3), None, {"1-800-662-4357", "13 11 14"}),
    ],
)
def test_severe_low_mood_in_withdrawal_brings_the_crisis_lines(
    levels: dict[str, int], location: str | None, expected: set[str]
) -> None:
    support = crisis.withdrawal_support(levels, location, FACTS.crisis_lines)
    assert support is not None
    text = support.text
    for number in expected:
        assert number in text
    if "1-800-662-4357" not in expected:
        assert "1-800-662-4357" not in text
    assert ("clinician" in text) is (levels.get("craving") == 3)
    assert support.sources


@pytest.mark.parametrize(
    "levels",
    [symptoms(low_mood=2), symptoms(craving=3), symptoms(low_mood=2, craving=3), {}],
)
def test_no_crisis_guidance_below_severe_low_mood(levels: dict[str, int]) -> None:
    assert crisis.withdrawal_support(levels, "US-TX", FACTS.crisis_lines) is None


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("US-TX", "US"),
        ("gb", "GB"),
        ("UK", "GB"),
        ("CA-ON", "CA"),
        (None, None),
        ("", None),
    ],
)
def test_country_of_a_location(location: str | None, country: str | None) -> None:
    assert crisis.country_of(location) == country
