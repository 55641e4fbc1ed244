"""The safety check: the union of small pure rules, sorted by severity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kratom_journal.domain import (
    ceilings,
    dose_rules,
    health_rules,
    law_rules,
    pattern_rules,
    product_rules,
)
from kratom_journal.domain.findings import Finding, sort_findings
from kratom_journal.domain.safety_input import ProposedDose, SafetyInput

if TYPE_CHECKING:
    from kratom_journal.domain.facts import FactsLike

RULES = (health_rules, product_rules, dose_rules, pattern_rules, law_rules, ceilings)


def check(data: SafetyInput, facts: FactsLike) -> list[Finding]:
    """Every rule's findings, most severe first."""
    findings: list[Finding] = []
    for rules in RULES:
        findings.extend(rules.findings(data, facts))
    return sort_findings(findings)


__all__ = ["ProposedDose", "SafetyInput", "check"]
