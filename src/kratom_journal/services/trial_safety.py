"""A trial checked like a dose: each regimen's daily amount goes through the safety
check before the design is saved, and a kratom trial says that daily use for weeks
builds dependence, with the knowledge base's sources."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.errors import (
    ConfirmationNeeded,
    Refused,
    SafetyCheckUnavailable,
)
from kratom_journal.domain.findings import (
    Finding,
    Severity,
    SourceRef,
    cite,
    sort_findings,
)
from kratom_journal.domain.moments import day_bounds, local_day
from kratom_journal.domain.safety import ProposedDose, check
from kratom_journal.services.journal import parse_zone
from kratom_journal.services.safety import gather, knowledge

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime
    from decimal import Decimal

    from kratom_journal.domain.profiles import Profile
    from kratom_journal.domain.trial import Design
    from kratom_journal.store.repository import Repository

# dose_references.json: dependence rises with how often people dose, and tolerance
# is common in regular users.
DEPENDENCE_REFERENCES = ("dependence-frequency", "dependence-tolerance")


@dataclass(frozen=True)
class Acknowledged:
    """A high-caution finding the person was shown and chose to go ahead despite."""

    rule: str
    severity: str
    title: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "title": self.title}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Acknowledged:
        return cls(str(data["rule"]), str(data["severity"]), str(data["title"]))


@dataclass(frozen=True)
class SourcedNote:
    text: str
    sources: tuple[SourceRef, ...]


def check_regimens(
    repo: Repository,
    profile: Profile,
    design: Design,
    daily_g: Mapping[str, Decimal],
    now: datetime,
) -> list[Finding]:
    """What the safety check says about a trial day on each regimen.

    Each regimen's daily amount is checked as one day's kratom on the trial's first
    day (or now, if later): the person's medications, conditions, recent intake,
    products, law and pattern of use, with that day's own doses left out so that the
    day's total is the regimen's amount. A no-kratom regimen needs no check.
    """
    zone, boundary = parse_zone(profile.timezone), profile.day_boundary
    first, _ = day_bounds(design.start, zone, boundary)
    at = max(now, first)
    day_start, _ = day_bounds(local_day(at, zone, boundary), zone, boundary)
    facts = knowledge()  # raises SafetyCheckUnavailable: never "no findings"
    found: dict[tuple[str, str], Finding] = {}
    amounts = sorted({grams for grams in daily_g.values() if grams > 0})
    for grams in amounts:
        data = gather(repo, profile, now, ProposedDose(grams=grams, at=at))
        earlier = [d for d in data.doses if d.taken_at < day_start]
        for finding in check(dataclasses.replace(data, doses=earlier), facts):
            found.setdefault((finding.rule, finding.title), finding)
    return sort_findings(found.values())


def require_acknowledgement(
    findings: Sequence[Finding], *, amounts: str, confirm: bool, save: bool
) -> tuple[Acknowledged, ...]:
    """Refuse at an avoid finding; ask for --confirm at high-caution (when saving).

    Returns the high-caution findings the person acknowledged, to store with the
    design, so that a report can show what was shown before the trial began.
    """
    avoid = [f for f in findings if f.severity is Severity.AVOID]
    if avoid:
        raise Refused(
            f"a trial of {amounts} is refused: the safety check found "
            + "; ".join(f.title for f in avoid)
            + ". The protocol does not run while an avoid-level finding stands; "
            "`kratom check` shows why and what to do. Nothing was saved."
        )
    high = [f for f in findings if f.severity is Severity.HIGH_CAUTION]
    if high and save and not confirm:
        raise ConfirmationNeeded(
            f"a trial of {amounts} needs your acknowledgement: the safety check found "
            + "; ".join(f.title for f in high)
            + ". The preview (--preview) shows why and what to do; acknowledge them "
            "(--confirm) to save the trial. Nothing was saved."
        )
    return tuple(Acknowledged(f.rule, f.severity.label, f.title) for f in high)


def dependence_note(
    design: Design, daily_g: Mapping[str, Decimal]
) -> SourcedNote | None:
    """Daily use for weeks builds tolerance and dependence: said whenever a regimen
    has kratom, with the knowledge base's sources."""
    if not any(grams > 0 for grams in daily_g.values()):
        return None
    references = [
        r for r in knowledge().dose_references if r.id in DEPENDENCE_REFERENCES
    ]
    if len(references) != len(DEPENDENCE_REFERENCES):
        raise SafetyCheckUnavailable(
            "the dependence references are missing from the knowledge base, so the "
            "trial's risks cannot be shown"
        )
    days = 2 * design.pairs * design.period_days
    span = f"{days // 7} weeks" if days % 7 == 0 else f"{days} days"
    text = (
        f"This trial means taking kratom every day for {span}. Daily use for weeks "
        "builds tolerance and physical dependence: among regular users, withdrawal "
        "and use-disorder symptoms rose with the amount and more strongly with how "
        "often people dosed (Rogers 2024); tolerance, withdrawal and craving were the "
        "commonest signs of a use disorder (Smith 2022), and 87% of regular users in "
        "a Malaysian study reported tolerance (Singh 2019). Agree with a clinician "
        "how the trial will end; if you stop afterwards, `kratom taper plan` plans a "
        "gradual reduction."
    )
    return SourcedNote(text, cite(*references))


def amounts_text(daily_g: Mapping[str, Decimal]) -> str:
    """'2 g and 4 g a day' for the messages."""
    return (
        " and ".join(f"{daily_g[regimen].normalize():f} g" for regimen in ("A", "B"))
        + " a day"
    )
