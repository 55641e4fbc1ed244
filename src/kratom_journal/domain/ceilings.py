"""Ceilings: the session totals at which side effects ended a titration session.

A ceiling is kept: later sessions never offer a step to or past it, and the safety
check warns when a dose would bring the amount of the last hours to it. Read from
the sessions as they now stand, so editing or deleting a session's entries moves or
removes its ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.checkins import URGENT_SIDE_EFFECTS
from kratom_journal.domain.findings import Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from kratom_journal.domain.facts import FactsLike
    from kratom_journal.domain.safety_input import SafetyInput
    from kratom_journal.domain.titration import Session

# A titration session's doses come within a few hours (titration.MAX_SPAN is the
# outer bound); the check compares a ceiling with what was taken in this window.
SESSION_WINDOW = timedelta(hours=4)
_SERIOUS = frozenset({"sedation"}) | URGENT_SIDE_EFFECTS


@dataclass(frozen=True)
class Ceiling:
    grams: Decimal
    at: datetime  # when side effects ended the session
    effects: tuple[str, ...]


def from_sessions(sessions: Sequence[Session]) -> list[Ceiling]:
    """Every recorded ceiling, oldest first."""
    # Imported here: the safety check imports this module on every dose, and only
    # journals with titration sessions need the state machine (~4 ms to import).
    from kratom_journal.domain.titration import Outcome  # noqa: PLC0415

    found = []
    for session in sessions:
        if session.outcome is not Outcome.SIDE_EFFECTS or session.total_g <= 0:
            continue
        assert session.ended_at is not None
        effects = session.checks[-1].effects if session.checks else {}
        named = tuple(sorted(name for name, level in effects.items() if level > 0))
        found.append(Ceiling(session.total_g, session.ended_at, named))
    return found


def lowest(ceilings: Sequence[Ceiling]) -> Ceiling | None:
    return min(ceilings, key=lambda c: c.grams, default=None)


def _g(value: Decimal) -> str:
    return f"{value.normalize():f} g"


def findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    """A dose that brings the last hours' amount to a recorded ceiling or past it."""
    ceiling = lowest(data.ceilings)
    if ceiling is None or data.proposed is None:
        return
    at = data.proposed.at
    earlier = sum(
        (d.grams for d in data.doses if at - SESSION_WINDOW <= d.taken_at <= at),
        Decimal(0),
    )
    total = earlier + data.proposed.grams
    if total < ceiling.grams:
        return
    day = ceiling.at.astimezone(data.zone).strftime("%a %d %b")
    effects = ", ".join(ceiling.effects) or "side effects"
    with_earlier = (
        f" with {_g(earlier)} in the last {SESSION_WINDOW.seconds // 3600} hours"
        if earlier
        else ""
    )
    yield Finding(
        rule="pattern:titration-ceiling",
        severity=Severity.HIGH_CAUTION
        if _SERIOUS.intersection(ceiling.effects)
        else Severity.CAUTION,
        title=f"At or above your ceiling of {_g(ceiling.grams)}",
        why=f"This dose{with_earlier} makes {_g(total)}. {effects.capitalize()} "
        f"ended your titration session of {day} at {_g(ceiling.grams)}.",
        advice="Your own journal recorded side effects at this amount; the protocol "
        "treats it as a ceiling. Talk to a clinician before going that high again.",
    )
