"""Acknowledging standing findings, and what a confirmation covers.

A standing finding comes from something that stays on file: a medication
("interaction:*") or a condition ("condition:*"). The person can acknowledge it once,
with an optional note; it then shows in one line and needs no --confirm, until what
it stands on changes (the medication is edited, stopped or re-added, the condition
removed or re-added).

Any other avoid-level finding must be confirmed dose by dose, and a confirmation
covers only the findings the person was shown (`Shown`: rule id and title).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from kratom_journal.domain.facts import resolve_condition
from kratom_journal.domain.findings import FIRST_RULES, Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence

    from kratom_journal.domain.facts import ConditionLike
    from kratom_journal.domain.medications import Medication

STANDING_PREFIXES = ("interaction:", "condition:")
# How long a shown avoid finding can be confirmed with a bare --confirm: long enough
# to read it and repeat the command, short enough that it is what was just seen.
SHOWN_FOR = timedelta(minutes=30)


@dataclass(frozen=True)
class Shown:
    """A finding as the person saw it."""

    rule: str
    title: str


def shown(finding: Finding) -> Shown:
    return Shown(finding.rule, finding.title)


def is_standing(finding: Finding) -> bool:
    """From a medication or a condition; crisis support is never folded away."""
    return (
        finding.rule.startswith(STANDING_PREFIXES) and finding.rule not in FIRST_RULES
    )


@dataclass(frozen=True)
class Acknowledgement:
    """The person read a standing finding and keeps it on file as acknowledged."""

    id: UUID
    owner_id: UUID
    rule: str
    title: str
    # What the finding stands on, as it was: "medication:<digest>" of the
    # medication's fields, or "condition:<names as typed>". A change voids it.
    basis: str
    created_at: datetime
    note: str | None = None
    deleted_at: datetime | None = None  # withdrawn

    @property
    def shown(self) -> Shown:
        return Shown(self.rule, self.title)


def _medication_state(medication: Medication) -> str:
    fields = (
        medication.id,
        medication.name,
        medication.dose_text,
        medication.started,
        medication.stopped,
        medication.note,
    )
    return "\x1f".join("" if value is None else str(value) for value in fields)


def _names(finding: Finding, medication: Medication) -> bool:
    """Whether the finding is about this medication. health_rules titles it
    "... (your medication NAME)", "... (your medication NAME, read as X)", or
    "NAME: not in our list"; tests/domain keep the two in step."""
    mark = f"(your medication {medication.name}"
    return (
        finding.title.endswith(f"{mark})")
        or f"{mark}, read as " in finding.title
        or (
            finding.rule == "interaction:unknown-medicine"
            and finding.title == f"{medication.name}: not in our list"
        )
    )


UNKNOWN_CONDITION = ": not in our list of conditions"


def condition_rules(
    findings: Sequence[Finding],
    conditions: Sequence[str],
    known_conditions: Sequence[ConditionLike],
) -> dict[str, str]:
    """The rule id each condition on file raises. A name health_rules did not know
    is read from its finding's title, so only known names are resolved (once)."""
    unknown = {
        f.title.removesuffix(UNKNOWN_CONDITION)
        for f in findings
        if f.rule == "condition:unknown" and f.title.endswith(UNKNOWN_CONDITION)
    }
    rules: dict[str, str] = {}
    for name in conditions:
        if name in unknown:
            rules[name] = "condition:unknown"
            continue
        condition = resolve_condition(name, known_conditions)
        rules[name] = (
            "condition:unknown" if condition is None else f"condition:{condition.id}"
        )
    return rules


def basis(
    finding: Finding,
    medications: Sequence[Medication],
    conditions: Mapping[str, str],
) -> str | None:
    """What a standing finding stands on now, or None when it is not standing
    (`conditions`: each condition on file and the rule it raises)."""
    if not is_standing(finding):
        return None
    if finding.rule.startswith("interaction:"):
        states = sorted(_medication_state(m) for m in medications if _names(finding, m))
        if not states:
            return None
        digest = hashlib.sha256("\x1e".join(states).encode()).hexdigest()[:16]
        return f"medication:{digest}"
    names = sorted(
        name
        for name, rule in conditions.items()
        if rule == finding.rule
        and (
            rule != "condition:unknown" or finding.title == f"{name}{UNKNOWN_CONDITION}"
        )
    )
    return "condition:" + "\x1f".join(names) if names else None


def condition_names(ack: Acknowledgement) -> list[str]:
    prefix = "condition:"
    return (
        ack.basis[len(prefix) :].split("\x1f") if ack.basis.startswith(prefix) else []
    )


def still_holds(
    ack: Acknowledgement,
    current_basis: str | None,
    later_conditions: Iterable[Collection[str]] = (),
) -> bool:
    """The acknowledgement stands while what it was given for is unchanged: the same
    medication fields, or conditions on file in every profile version since."""
    if ack.deleted_at is not None or current_basis != ack.basis:
        return False
    names = condition_names(ack)
    return all(all(name in listed for name in names) for listed in later_conditions)


@dataclass(frozen=True)
class Review:
    """A check's findings split into those to show in full and those acknowledged."""

    open: list[Finding]
    acknowledged: list[tuple[Finding, Acknowledgement]]

    @property
    def avoid(self) -> list[Finding]:
        return [f for f in self.open if f.severity is Severity.AVOID]

    @property
    def acknowledged_avoid(self) -> list[Finding]:
        return [f for f, _ in self.acknowledged if f.severity is Severity.AVOID]


def review(
    findings: Sequence[Finding],
    acks: Sequence[Acknowledgement],
    bases: Mapping[Shown, str | None],
    later_conditions: Mapping[UUID, Sequence[Collection[str]]] | None = None,
) -> Review:
    """Which findings an acknowledgement still covers (`bases`: each standing
    finding's current basis; `later_conditions`: for a condition's acknowledgement,
    the profile's conditions after each edit since it was given)."""
    later = later_conditions or {}
    by_shown = {ack.shown: ack for ack in acks if ack.deleted_at is None}
    open_: list[Finding] = []
    done: list[tuple[Finding, Acknowledgement]] = []
    for finding in findings:
        ack = by_shown.get(shown(finding))
        if ack is not None and still_holds(
            ack, bases.get(shown(finding)), later.get(ack.id, ())
        ):
            done.append((finding, ack))
        else:
            open_.append(finding)
    return Review(open_, done)


def unconfirmed(
    avoid: Sequence[Finding], seen: Collection[Shown], *, confirm: bool
) -> list[Finding]:
    """Avoid findings a confirmation does not cover: all of them without one, and
    with one those the person has not been shown."""
    if not confirm:
        return list(avoid)
    return [f for f in avoid if shown(f) not in seen]
