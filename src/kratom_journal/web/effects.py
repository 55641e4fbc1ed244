"""Side effects for the check-in forms and API: names and groups from the knowledge
base, and the urgent-help advice, with its sources, for serious ones and for those
urgent when severe (sedation, vomiting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kratom_journal.domain.checkins import (
    KNOWN_SIDE_EFFECTS,
    URGENT_SIDE_EFFECTS,
    URGENT_WHEN_SEVERE,
)
from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.domain.findings import cite
from kratom_journal.services.safety import knowledge
from kratom_journal.services.support import FALLBACK_ADVICE
from kratom_journal.web.schemas import Source

if TYPE_CHECKING:
    from collections.abc import Iterable

SEVERITIES = ("none", "mild", "moderate", "severe")
CAN_BE_URGENT = URGENT_SIDE_EFFECTS | URGENT_WHEN_SEVERE


@dataclass(frozen=True)
class Effect:
    """One side effect the check-in accepts."""

    id: str
    name: str
    serious: bool
    urgent_advice: str = ""
    sources: list[Source] = field(default_factory=list)


def effects() -> list[Effect]:
    """Every known side effect, common ones first, in the knowledge base's order and
    words; plain names from the id when the knowledge base cannot be read."""
    try:
        entries = {e.id: e for e in knowledge().side_effects}
    except SafetyCheckUnavailable:
        entries = {}
    found: list[Effect] = []
    for name in KNOWN_SIDE_EFFECTS:
        entry = entries.get(name)
        if entry is None:
            found.append(
                Effect(
                    name,
                    name.replace("-", " ").capitalize(),
                    name in URGENT_SIDE_EFFECTS,
                    FALLBACK_ADVICE if name in CAN_BE_URGENT else "",
                )
            )
            continue
        found.append(
            Effect(
                name,
                entry.name,
                entry.kind == "serious" or name in URGENT_SIDE_EFFECTS,
                entry.urgent_advice
                or (FALLBACK_ADVICE if name in CAN_BE_URGENT else ""),
                [Source.model_validate(r, from_attributes=True) for r in cite(entry)],
            )
        )
    return sorted(found, key=lambda e: e.serious)


def urgent(names: Iterable[str]) -> list[Effect]:
    """The effects among `names` (ids) that can be urgent, with what to do about
    each; the caller decides by level (domain.checkins.urgent_effects)."""
    wanted = set(names) & CAN_BE_URGENT
    return [e for e in effects() if e.id in wanted]


def effect_names() -> dict[str, str]:
    return {e.id: e.name for e in effects()}
