"""Crisis support: the helplines for where the person is, shown with the
suicidal-thoughts condition and with severe low mood on the withdrawal checklist.

Pure: the lines come from the knowledge base (crisis_lines.json) and the location
from the profile; nothing here reads a file or the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from kratom_journal.domain.findings import (
    EvidenceLike,
    Finding,
    Severity,
    cite,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kratom_journal.domain.facts import ConditionLike

CONDITION_ID = "suicidal-thoughts"
# What is said when there is no line for the person's country, or no country.
ELSEWHERE = "Elsewhere, or if you are in danger now: call your local emergency number."


class CrisisLineLike(EvidenceLike, Protocol):
    @property
    def id(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def country_name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def contact(self) -> str: ...
    @property
    def emergency(self) -> str: ...


def country_of(location: str | None) -> str | None:
    """The country part of an ISO 3166 location: "US-TX" -> "US"; "UK" is GB."""
    if not location:
        return None
    country = location.strip().upper().partition("-")[0]
    return "GB" if country == "UK" else country or None


def lines_for(
    location: str | None, lines: Sequence[CrisisLineLike], kind: str = "crisis"
) -> tuple[list[CrisisLineLike], bool]:
    """The lines of `kind` for the person's country, and True; or, when the country
    is unknown or has none, every line of that kind and False."""
    country = country_of(location)
    of_kind = [line for line in lines if line.kind == kind]
    here = [line for line in of_kind if line.country == country]
    return (here, True) if here else (of_kind, False)


def line_text(line: CrisisLineLike, *, with_country: bool) -> str:
    where = f" ({line.country_name})" if with_country else ""
    return f"{line.name}{where}: {line.contact}."


def crisis_lines(
    location: str | None, lines: Sequence[CrisisLineLike]
) -> tuple[tuple[str, ...], tuple[CrisisLineLike, ...]]:
    """The crisis lines in words for the person's location, ending with the
    emergency number (theirs when known, else "your local emergency number")."""
    found, local = lines_for(location, lines)
    said = [line_text(line, with_country=not local) for line in found]
    if local:
        said.append(f"In danger now: call {found[0].emergency}.")
    else:
        said.append(ELSEWHERE)
    return tuple(said), tuple(found)


def is_crisis_condition(condition: ConditionLike) -> bool:
    return condition.id == CONDITION_ID


def condition_finding(
    condition: ConditionLike, location: str | None, lines: Sequence[CrisisLineLike]
) -> Finding:
    """The suicidal-thoughts finding: high-caution, not avoid. It is not a kratom
    interaction, and an avoid would block the journal's protocols and make the
    check "fail" for someone who told us how they feel; sort_findings puts it
    first instead, above any avoid."""
    said, shown = crisis_lines(location, lines)
    return Finding(
        rule=f"condition:{condition.id}",
        severity=Severity.HIGH_CAUTION,
        title="You are not alone: support is available now",
        why=condition.concern,
        advice=" ".join((*said, condition.advice)),
        sources=cite(condition, *shown),
    )
