"""Side effects for the check-in forms and API: names and groups from the knowledge
base, and the urgent-help advice, with its sources, for serious ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kratom_journal.domain.checkins import KNOWN_SIDE_EFFECTS, URGENT_SIDE_EFFECTS
from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.domain.findings import cite
from kratom_journal.services.safety import knowledge
from kratom_journal.web.schemas import Source

if TYPE_CHECKING:
    from collections.abc import Iterable

SEVERITIES = ("none", "mild", "moderate", "severe")
# What the CLI says when the knowledge base cannot be read: never stay silent.
FALLBACK_ADVICE = (
    "This can be serious. Get urgent medical help (call your local emergency number)."
)


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
                    FALLBACK_ADVICE if name in URGENT_SIDE_EFFECTS else "",
                )
            )
            continue
        found.append(
            Effect(
                name,
                entry.name,
                entry.kind == "serious" or name in URGENT_SIDE_EFFECTS,
                entry.urgent_advice
                or (FALLBACK_ADVICE if name in URGENT_SIDE_EFFECTS else ""),
                [Source.model_validate(r, from_attributes=True) for r in cite(entry)],
            )
        )
    return sorted(found, key=lambda e: e.serious)


def urgent(names: Iterable[str]) -> list[Effect]:
    """The urgent effects among `names` (ids), with what to do about each."""
    wanted = set(names) & URGENT_SIDE_EFFECTS
    return [e for e in effects() if e.id in wanted]


def effect_names() -> dict[str, str]:
    return {e.id: e.name for e in effects()}
