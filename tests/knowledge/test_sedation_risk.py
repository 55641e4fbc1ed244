"""The ids that stop a protocol's escalation are the knowledge base's own: every one
exists, and every serious interaction about sedation or breathing is among them."""

from __future__ import annotations

import pytest

from kratom_journal.domain import sedation_risk
from kratom_journal.domain.findings import Finding, Severity
from kratom_journal.knowledge.loader import load_knowledge

# Words a mechanism uses when its concern is added sedation or slowed breathing.
SEDATION_WORDS = ("sedat", "breath", "respirat", "cns depress", "central nervous")


def test_every_id_is_in_the_knowledge_files() -> None:
    facts = load_knowledge()
    interactions = {rule.id for rule in facts.interactions}
    conditions = {condition.id for condition in facts.conditions}
    assert interactions >= sedation_risk.DEPRESSANT_INTERACTIONS
    assert conditions >= sedation_risk.SEDATION_CONDITIONS


def test_every_serious_sedation_interaction_is_listed() -> None:
    facts = load_knowledge()
    serious = {
        rule.id
        for rule in facts.interactions
        if rule.tier in ("avoid", "high-caution")
        and any(word in rule.mechanism.lower() for word in SEDATION_WORDS)
    }
    assert serious, "the mechanisms no longer mention sedation: revisit the words"
    assert serious <= sedation_risk.DEPRESSANT_INTERACTIONS


def test_the_conditions_are_about_breathing_and_use_disorder() -> None:
    facts = {c.id: c for c in load_knowledge().conditions}
    assert "breathing" in facts["respiratory-disease"].concern
    assert "opioid" in facts["substance-use-disorder"].name.lower()


def finding(rule: str, severity: Severity) -> Finding:
    return Finding(rule, severity, rule, "why", "advice")


@pytest.mark.parametrize(
    ("rule", "severity", "stops"),
    [
        ("interaction:sedating-antipsychotics", Severity.HIGH_CAUTION, True),
        ("interaction:sedating-antihistamines", Severity.HIGH_CAUTION, True),
        ("interaction:muscle-relaxants", Severity.HIGH_CAUTION, True),
        ("intake:alcohol", Severity.AVOID, True),
        ("condition:respiratory-disease", Severity.HIGH_CAUTION, True),
        ("condition:substance-use-disorder", Severity.HIGH_CAUTION, True),
        # avoid stops whatever it is about
        ("product:seven-oh", Severity.AVOID, True),
        # high caution about something else does not
        ("interaction:qt-prolonging", Severity.HIGH_CAUTION, False),
        ("condition:liver-disease", Severity.HIGH_CAUTION, False),
        # a sedation concern below high caution does not either
        ("interaction:kava-sedation", Severity.CAUTION, False),
        # ids, not words in a title
        ("interaction:unknown-medicine", Severity.CAUTION, False),
    ],
)
def test_stops_escalation(rule: str, severity: Severity, stops: bool) -> None:
    assert bool(sedation_risk.stops_escalation([finding(rule, severity)])) is stops
