"""Urgent help to show after an entry: what to do about a side effect that calls
for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.services.safety import knowledge

if TYPE_CHECKING:
    from collections.abc import Iterable

# When the knowledge base cannot be read: never stay silent.
FALLBACK_ADVICE = (
    "This can be serious. Get urgent medical help (call your local emergency number)."
)


@dataclass(frozen=True)
class UrgentAdvice:
    effect: str
    name: str
    advice: str


def urgent_advice(names: Iterable[str]) -> list[UrgentAdvice]:
    """What to do about each side effect named (ids from urgent_effects)."""
    try:
        entries = {e.id: e for e in knowledge().side_effects}
    except SafetyCheckUnavailable:
        entries = {}
    found = []
    for name in names:
        entry = entries.get(name)
        found.append(
            UrgentAdvice(
                name,
                entry.name if entry else name.replace("-", " ").capitalize(),
                (entry.urgent_advice if entry else "") or FALLBACK_ADVICE,
            )
        )
    return found
