"""The law rules: local laws only where the person lives, changes in flux that may
become a ban, place names said once, and when each entry was checked."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from kratom_journal.domain import law_rules
from kratom_journal.domain.findings import Finding, Severity
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.safety_input import SafetyInput
from tests.domain.safety_facts import FACTS, Law

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
STATE = Law(code="US-CA", name="California", status="regulated")
SAN_DIEGO = Law(
    code="US-CA",
    name="San Diego, California",
    locality="San Diego",
    status="banned",
    details="City ban.",
    verified=date(2026, 12, 2),
)
SARASOTA = Law(
    code="US-CA",
    name="Sarasota County, California",
    locality="Sarasota County",
    status="banned",
)


def findings(
    *legal: Law, location: str = "US-CA", locality: str | None = None
) -> list[Finding]:
    profile = Profile(
        owner_id=UUID(int=1),
        timezone="America/Los_Angeles",
        location=location,
        birth_year=1970,
        locality=locality,
    )
    facts = dataclasses.replace(FACTS, legal=legal)
    data = SafetyInput(
        profile=profile, now=NOW, proposed=None, doses=(), medications=(), intakes=()
    )
    return list(law_rules.findings(data, facts))


def local_finding(locality: str | None, entry: Law = SAN_DIEGO) -> Finding:
    (found,) = [
        f for f in findings(STATE, entry, locality=locality) if entry.name in f.title
    ]
    return found


@pytest.mark.parametrize(
    ("locality", "rule", "severity"),
    [
        ("San Diego", "law:banned", Severity.HIGH_CAUTION),
        ("san diego", "law:banned", Severity.HIGH_CAUTION),
        ("  San   Diego. ", "law:banned", Severity.HIGH_CAUTION),
        ("SAN-DIEGO", "law:banned", Severity.HIGH_CAUTION),
        ("Oceanside", "law:local-elsewhere", Severity.INFO),
        ("San Diego County", "law:local-elsewhere", Severity.INFO),
        (None, "law:local-elsewhere", Severity.INFO),
    ],
)
def test_a_local_ban_applies_only_where_the_locality_matches(
    locality: str | None, rule: str, severity: Severity
) -> None:
    found = local_finding(locality)
    assert (found.rule, found.severity) == (rule, severity)


def test_an_unset_locality_says_where_the_local_law_applies_and_how_to_set_it() -> None:
    found = local_finding(None)
    assert "applies only in San Diego" in found.title
    assert "kratom profile set --locality" in found.advice


def test_another_locality_is_named_in_the_context() -> None:
    assert "Oceanside" in local_finding("Oceanside").advice


def test_the_state_law_applies_whatever_the_locality() -> None:
    for locality in (None, "Oceanside", "San Diego"):
        rules = {f.rule for f in findings(STATE, SAN_DIEGO, locality=locality)}
        assert "law:regulated" in rules


@pytest.mark.parametrize(
    ("status", "in_flux", "may_become", "severity"),
    [
        ("in-flux", True, "banned", Severity.CAUTION),
        ("regulated", True, "banned", Severity.CAUTION),
        ("legal", True, "sale-unlawful", Severity.CAUTION),
        ("in-flux", True, None, Severity.INFO),
        ("regulated", True, None, Severity.INFO),
        ("regulated", True, "regulated", Severity.INFO),
        ("banned", True, "regulated", Severity.HIGH_CAUTION),  # never lowered
        ("banned", False, None, Severity.HIGH_CAUTION),
        ("restricted", False, None, Severity.CAUTION),
    ],
)
def test_a_change_that_may_become_a_ban_is_at_least_caution(
    status: str, in_flux: bool, may_become: str | None, severity: Severity
) -> None:
    entry = Law(
        code="US-OH",
        name="Ohio",
        status=status,
        in_flux=in_flux,
        may_become=may_become,
    )
    (found,) = findings(entry, location="US-OH")
    assert found.severity is severity
    if may_become:
        assert "may become" in found.advice


def test_the_title_says_each_place_once() -> None:
    found = local_finding("San Diego")
    assert found.title == "San Diego, California: kratom is banned"
    elsewhere = local_finding(None, SARASOTA).title
    assert elsewhere.startswith("Sarasota County, California: kratom is banned")
    assert "Sarasota County, Sarasota County" not in elsewhere


def test_the_advice_says_when_the_entry_was_checked() -> None:
    assert "checked 2026-12-02" in local_finding("San Diego").advice
    (state,) = [f for f in findings(STATE) if f.rule == "law:regulated"]
    assert "checked" not in state.advice  # never checked: nothing claimed


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("San Diego", "san diego", True),
        ("St. Louis", "st louis", True),
        ("Winston-Salem", "Winston Salem", True),
        ("Sarasota County", "Sarasota", False),
        ("Kansas City", "Kansas", False),
    ],
)
def test_place_names_compare_without_case_or_punctuation(
    left: str, right: str, same: bool
) -> None:
    assert (law_rules.place_key(left) == law_rules.place_key(right)) is same
