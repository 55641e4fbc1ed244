"""Standing findings, what an acknowledgement stands on, and what --confirm covers."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from kratom_journal.domain.acknowledgements import (
    Acknowledgement,
    Shown,
    basis,
    condition_rules,
    is_standing,
    review,
    shown,
    unconfirmed,
)
from kratom_journal.domain.findings import Finding, Severity
from kratom_journal.domain.medications import Medication
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.safety import SafetyInput, check
from tests.domain.safety_facts import FACTS

OWNER = UUID(int=7)
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
GABAPENTIN = Medication(
    id=UUID(int=1), owner_id=OWNER, name="Neurontin", created_at=NOW, dose_text="300 mg"
)


def findings(
    *medications: Medication, conditions: tuple[str, ...] = ()
) -> list[Finding]:
    profile = Profile(owner_id=OWNER, timezone="UTC", conditions=conditions)
    data = SafetyInput(profile, NOW, None, (), medications, ())
    return check(data, FACTS)


def finding(
    rule: str, severity: Severity = Severity.AVOID, title: str = "T"
) -> Finding:
    return Finding(rule, severity, title, "why", "advice")


@pytest.mark.parametrize(
    ("rule", "standing"),
    [
        ("interaction:gabapentinoids", True),
        ("condition:pregnancy", True),
        ("condition:suicidal-thoughts", False),  # crisis support is always in full
        ("intake:alcohol", False),
        ("product:seven-oh", False),
        ("law:banned", False),
    ],
)
def test_only_medication_and_condition_findings_stand(
    rule: str, standing: bool
) -> None:
    assert is_standing(finding(rule)) is standing


def test_the_basis_follows_the_medication_the_finding_names() -> None:
    (found,) = [f for f in findings(GABAPENTIN) if f.rule.startswith("interaction:")]
    # health_rules names the medication as typed (and how it was read, if misspelt).
    assert found.title.endswith("(your medication Neurontin)")
    typo = dataclasses.replace(
        GABAPENTIN, id=UUID(int=3), name="Gabapentin 300 mg tablets"
    )
    (misspelt,) = [f for f in findings(typo) if f.rule.startswith("interaction:")]
    assert (
        "(your medication Gabapentin 300 mg tablets, read as gabapentin)"
        in misspelt.title
    )
    assert basis(misspelt, [GABAPENTIN, typo], {}) == basis(misspelt, [typo], {})
    assert basis(misspelt, [GABAPENTIN], {}) is None
    before = basis(found, [GABAPENTIN], {})
    assert before is not None and before.startswith("medication:")
    for change in (
        {"dose_text": "600 mg"},
        {"note": "evening"},
        {"started": date(2026, 1, 1)},
        {"stopped": date(2026, 12, 31)},
        {"id": uuid4()},  # re-added: a new record
    ):
        edited = dataclasses.replace(GABAPENTIN, **change)  # type: ignore[arg-type]
        assert basis(found, [edited], {}) != before, change
    other = dataclasses.replace(GABAPENTIN, id=UUID(int=2), name="ibuprofen")
    assert basis(found, [GABAPENTIN, other], {}) == before
    unknown = dataclasses.replace(GABAPENTIN, id=UUID(int=4), name="Vitamin D")
    (unlisted,) = [f for f in findings(unknown) if f.rule.startswith("interaction:")]
    assert unlisted.rule == "interaction:unknown-medicine"
    assert basis(unlisted, [unknown, GABAPENTIN], {}) == basis(unlisted, [unknown], {})
    assert basis(unlisted, [GABAPENTIN], {}) is None


def acknowledgement(found: Finding, ground: str) -> Acknowledgement:
    return Acknowledgement(
        id=uuid4(),
        owner_id=OWNER,
        rule=found.rule,
        title=found.title,
        basis=ground,
        created_at=NOW,
    )


def test_a_condition_acknowledgement_holds_while_the_condition_stays_on_file() -> None:
    (found,) = [
        f for f in findings(conditions=("pregnant",)) if f.rule.startswith("condition:")
    ]
    rules = condition_rules([found], ("pregnant", "arthritis"), FACTS.conditions)
    assert rules == {
        "pregnant": "condition:pregnancy",
        "arthritis": "condition:unknown",
    }
    ground = basis(found, [], rules)
    assert ground == "condition:pregnant"
    ack = acknowledgement(found, ground)
    bases: dict[Shown, str | None] = {shown(found): ground}
    kept = review([found], [ack], bases, {ack.id: [["pregnant", "arthritis"]]})
    assert kept.open == [] and kept.acknowledged == [(found, ack)]
    # Removed and added again since: the acknowledgement no longer holds.
    lapsed = review([found], [ack], bases, {ack.id: [[], ["pregnant"]]})
    assert lapsed.open == [found] and lapsed.avoid == [found]
    withdrawn = dataclasses.replace(ack, deleted_at=NOW)
    assert review([found], [withdrawn], bases).open == [found]


@pytest.mark.parametrize(
    ("seen", "confirm", "left"),
    [
        (set(), False, ["a", "b"]),
        ({Shown("a", "T")}, False, ["a", "b"]),  # no confirmation, nothing covered
        ({Shown("a", "T")}, True, ["b"]),
        ({Shown("a", "T"), Shown("b", "T")}, True, []),
        ({Shown("a", "other title")}, True, ["a", "b"]),  # shown differently
    ],
)
def test_a_confirmation_covers_only_findings_shown(
    seen: set[Shown], confirm: bool, left: list[str]
) -> None:
    avoid = [finding("a"), finding("b")]
    assert [f.rule for f in unconfirmed(avoid, seen, confirm=confirm)] == left
