"""Rules about what else a person takes and the conditions they have."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from kratom_journal.domain import crisis
from kratom_journal.domain.facts import (
    FactsLike,
    SubstanceLike,
    matching_interactions,
    resolve_condition,
    resolve_substance,
)
from kratom_journal.domain.findings import Finding, Severity, cite
from kratom_journal.domain.medications import IntakeKind
from kratom_journal.domain.names import key

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kratom_journal.domain.safety_input import SafetyInput

INTAKE_WINDOW = timedelta(hours=48)
_INTAKE_SUBSTANCE = {IntakeKind.ALCOHOL: "alcohol"}


def findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    yield from medication_findings(data, facts)
    yield from intake_findings(data, facts)
    yield from condition_findings(data, facts)


def interaction_findings(
    substance: SubstanceLike, facts: FactsLike, taken_as: str, rule_prefix: str
) -> list[Finding]:
    """Findings for one substance; says so plainly when none is known."""
    found = [
        Finding(
            rule=f"{rule_prefix}:{rule.id}",
            severity=Severity.from_label(rule.tier),
            title=f"{rule.title} ({taken_as})",
            why=rule.mechanism,
            advice=rule.advice,
            sources=cite(rule),
        )
        for rule in matching_interactions(substance, facts)
    ]
    if not found:
        # Say that it was looked for, where it was: "no known" is then a reviewed
        # answer with its sources, not a gap in our list.
        reviewed = [m for m in facts.reviewed_none if m.class_name in substance.classes]
        found.append(
            Finding(
                rule=f"{rule_prefix}:no-known-interaction",
                severity=Severity.INFO,
                title=f"No known kratom interaction for {substance.name} ({taken_as})",
                why=" ".join(
                    [
                        "Our sources list no interaction between kratom and this "
                        "medicine. That is not proof that there is none.",
                        *(m.note for m in reviewed),
                    ]
                ),
                advice="Ask a pharmacist if you are unsure.",
                sources=cite(substance, *reviewed),
            )
        )
    return found


def medication_findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    for medication in data.medications:
        yield from substance_findings(
            medication.name, facts, f"your medication {medication.name}", "interaction"
        )


def substance_findings(
    name: str, facts: FactsLike, taken_as: str, rule_prefix: str
) -> list[Finding]:
    """What a name as typed implies: its interactions, read as the substance it
    most likely is (and saying so), or that it is not in our list."""
    resolution = resolve_substance(name, facts.substances)
    if resolution.substance is None:
        return [unknown_substance(name, rule_prefix)]
    if resolution.read_as is not None:
        taken_as += f", read as {resolution.read_as}"
    return interaction_findings(resolution.substance, facts, taken_as, rule_prefix)


def unknown_substance(name: str, rule_prefix: str = "interaction") -> Finding:
    what = "medicine" if rule_prefix == "interaction" else "substance"
    return Finding(
        rule=f"{rule_prefix}:unknown-{what}",
        severity=Severity.CAUTION,
        title=f"{name}: not in our list",
        why="We cannot tell whether it interacts with kratom.",
        advice="Ask a pharmacist whether it can be combined with kratom; until then, "
        "treat the combination with care.",
    )


def intake_findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    seen: set[str] = set()
    for intake in data.intakes:
        # Our sources flag only high-dose caffeine; an everyday coffee logged as
        # caffeine intake says nothing about the dose, so it raises no finding.
        if data.now - intake.at > INTAKE_WINDOW or intake.kind is IntakeKind.CAFFEINE:
            continue
        name = _INTAKE_SUBSTANCE.get(intake.kind, intake.name)
        resolution = resolve_substance(name, facts.substances)
        identity = resolution.substance.id if resolution.substance else key(name)
        if identity in seen:
            continue
        seen.add(identity)
        for finding in substance_findings(
            name, facts, f"{intake.name} in the last 48 hours", "intake"
        ):
            if not finding.rule.endswith(":no-known-interaction"):
                yield finding


def condition_findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    for name in data.profile.conditions:
        condition = resolve_condition(name, facts.conditions)
        if condition is None:
            yield Finding(
                rule="condition:unknown",
                severity=Severity.INFO,
                title=f"{name}: not in our list of conditions",
                why="We have no sourced information on kratom with this condition.",
                advice="Ask your doctor whether kratom is safe with it.",
            )
            continue
        if crisis.is_crisis_condition(condition):
            yield crisis.condition_finding(
                condition, data.profile.location, facts.crisis_lines
            )
            continue
        yield Finding(
            rule=f"condition:{condition.id}",
            severity=Severity.from_label(condition.severity),
            title=f"Kratom with {condition.name}",
            why=condition.concern,
            advice=condition.advice,
            sources=cite(condition),
        )
