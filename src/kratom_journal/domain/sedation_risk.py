"""Which findings concern sedation or breathing: these stop a protocol's escalation.

Kratom acts on mu-opioid receptors, so anything else that slows the brain or breathing
adds to it (kratom-facts.md, interactions.json). A titration step is an escalation,
so it stops at any such finding of high caution or above, not only at avoid level.
Decided by the knowledge base's ids (tested against its files), never by titles.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kratom_journal.domain.checkins import Severity as EffectLevel
from kratom_journal.domain.findings import Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from kratom_journal.domain.checkins import CheckIn

# interactions.json ids whose concern is added sedation or slowed breathing
DEPRESSANT_INTERACTIONS = frozenset(
    {
        "opioids",
        "tramadol-tapentadol",
        "benzodiazepines",
        "alcohol",
        "gabapentinoids",
        "ghb-barbiturates-ketamine",
        "carisoprodol",
        "phenibut",
        "xylazine",
        "buprenorphine",
        "dextromethorphan",
        "sedating-antihistamines",
        "sedating-antipsychotics",
        "sedating-antidepressants",
        "tricyclics",
        "muscle-relaxants",
        "kava-sedation",
        "cannabidiol",
    }
)
# conditions.json ids: lung disease and sleep apnoea (breathing), and a history of
# opioid or other substance use disorder (escalation itself is the risk)
SEDATION_CONDITIONS = frozenset({"respiratory-disease", "substance-use-disorder"})
# Where a finding's rule names what it is about (health_rules.py).
_INTERACTION_PREFIXES = ("interaction", "intake")
SEVERE_SEDATION_WINDOW = timedelta(hours=24)


def concerns_sedation(finding: Finding) -> bool:
    prefix, _, ident = finding.rule.partition(":")
    if prefix in _INTERACTION_PREFIXES:
        return ident in DEPRESSANT_INTERACTIONS
    return prefix == "condition" and ident in SEDATION_CONDITIONS


def stops_escalation(findings: Iterable[Finding]) -> list[Finding]:
    """Findings that stop a step: any avoid-level one, and high-caution ones about
    sedation or breathing."""
    return [
        f
        for f in findings
        if f.severity is Severity.AVOID
        or (f.severity is Severity.HIGH_CAUTION and concerns_sedation(f))
    ]


def severe_sedation(checkins: Sequence[CheckIn], at: datetime) -> list[CheckIn]:
    """Check-ins of the last day (up to `at`) that recorded severe sedation or any
    breathing difficulty."""
    return [
        c
        for c in checkins
        if at - SEVERE_SEDATION_WINDOW <= c.at <= at
        and (
            c.side_effects.get("sedation", 0) >= EffectLevel.SEVERE
            or c.side_effects.get("breathing-difficulty", 0) > 0
        )
    ]
