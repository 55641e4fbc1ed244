"""Crisis support: the helplines for where the person is, shown with the
suicidal-thoughts condition and with severe low mood on the withdrawal checklist.

Pure: the lines come from the knowledge base (crisis_lines.json) and the location
from the profile; nothing here reads a file or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kratom_journal.domain import withdrawal
from kratom_journal.domain.findings import (
    EvidenceLike,
    Finding,
    Severity,
    SourceRef,
    cite,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

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


@dataclass(frozen=True)
class Support:
    """What to show: a heading, why and what to do, the lines in words, sources."""

    title: str
    message: str
    lines: tuple[str, ...]
    sources: tuple[SourceRef, ...] = ()

    @property
    def text(self) -> str:
        return " ".join((self.message, *self.lines))


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


def withdrawal_support(
    symptoms: Mapping[str, int],
    location: str | None,
    lines: Sequence[CrisisLineLike],
) -> Support | None:
    """Urgent guidance for a withdrawal checklist with severe low mood; with severe
    craving too, the clinician and (in the US) SAMHSA's National Helpline."""
    if not withdrawal.needs_crisis_support(symptoms):
        return None
    said, shown = crisis_lines(location, lines)
    message = (
        "You marked low mood as severe. Withdrawal can bring very low mood, and you "
        "do not have to get through it alone. If you have thoughts of suicide or "
        "self-harm, a crisis line can talk with you now, free and confidential."
    )
    extra: list[CrisisLineLike] = []
    if withdrawal.craving_is_severe(symptoms):
        message += (
            " Strong craving with low mood is hard: tell your clinician how the "
            "taper is going; holding or slowing it is an option."
        )
        found, local = lines_for(location, lines, "substance-use")
        if local or country_of(location) is None:
            extra = found
        said = (
            *said[:-1],
            *(line_text(line, with_country=not local) for line in extra),
            said[-1],
        )
    return Support(
        title="Support for low mood, now",
        message=message,
        lines=said,
        # The lines' own pages, and the sources that list low mood in withdrawal.
        sources=cite(*shown, *extra) + withdrawal.SOURCES,
    )


# When the knowledge base cannot be read: never stay silent.
FALLBACK = Support(
    title="Support for low mood, now",
    message=(
        "You marked low mood as severe. If you have thoughts of suicide or "
        "self-harm, please reach out now: call a crisis line or your local "
        "emergency number."
    ),
    lines=(),
)
