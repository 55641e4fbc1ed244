"""Urgent help to show after an entry: what to do about a side effect that calls
for it, and crisis support after a withdrawal checklist with severe low mood."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kratom_journal.domain import crisis
from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.domain.withdrawal import needs_crisis_support
from kratom_journal.services.profiles import show_profile
from kratom_journal.services.safety import knowledge

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from kratom_journal.services.journal import Journal

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


def withdrawal_support(
    journal: Journal, symptoms: Mapping[str, int]
) -> crisis.Support | None:
    """Crisis lines for the person's location when the checklist's symptoms call
    for them (severe low mood)."""
    if not needs_crisis_support(symptoms):
        return None
    try:
        lines = knowledge().crisis_lines
    except SafetyCheckUnavailable:
        return crisis.FALLBACK
    location = show_profile(journal).location
    return crisis.withdrawal_support(symptoms, location, lines)
