"""Rules about the law where the person lives (their profile's location)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kratom_journal.domain.findings import Finding, Severity, cite

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from kratom_journal.domain.facts import FactsLike, LegalLike
    from kratom_journal.domain.safety_input import SafetyInput

_STATUS_SEVERITY = {
    "banned": Severity.HIGH_CAUTION,
    "sale-unlawful": Severity.CAUTION,
    "restricted": Severity.CAUTION,
    "in-flux": Severity.INFO,
    "unknown": Severity.INFO,
    "regulated": Severity.INFO,
    "age-only": Severity.INFO,
    "legal": Severity.INFO,
}
_STATUS_WORDS = {
    "banned": "kratom is banned",
    "sale-unlawful": "selling kratom is treated as unlawful",
    "restricted": "kratom is restricted",
    "in-flux": "the law on kratom is changing",
    "unknown": "the legal status of kratom is unclear",
    "regulated": "kratom is legal and regulated",
    "age-only": "kratom is legal with an age limit",
    "legal": "kratom is legal",
}


def entries_for(code: str, legal: Sequence[LegalLike]) -> list[LegalLike]:
    """The entry for a code, its country's (for a subdivision), and local entries."""
    country = code.split("-")[0]
    exact = [e for e in legal if e.code == code and not e.locality]
    national = [
        e for e in legal if e.code == country and not e.locality and code != country
    ]
    local = [e for e in legal if e.code == code and e.locality]
    return exact + national + local


def findings(data: SafetyInput, facts: FactsLike) -> Iterator[Finding]:
    code = data.profile.location
    if code is None:
        yield Finding(
            rule="law:location-not-set",
            severity=Severity.INFO,
            title="Your location is not set, so the law cannot be checked",
            why="Kratom's legal status differs by country, state and city.",
            advice="Set it with `kratom profile set --location US-TX` (an ISO 3166 code).",
        )
        return
    entries = entries_for(code, facts.legal)
    if not entries:
        yield Finding(
            rule="law:unknown",
            severity=Severity.INFO,
            title=f"No legal information for {code}",
            why="Our legal data does not cover this place.",
            advice="Check the current law locally; it changes often.",
        )
        return
    for entry in entries:
        place = f"{entry.locality}, {entry.name}" if entry.locality else entry.name
        severity = _STATUS_SEVERITY.get(entry.status, Severity.INFO)
        if entry.code != code and entry.status != "banned":
            # The national entry is context when the state or province has its own.
            severity = Severity.INFO
        yield Finding(
            rule=f"law:{entry.status}",
            severity=severity,
            title=f"{place}: {_STATUS_WORDS.get(entry.status, entry.status)}",
            why=entry.details,
            advice="Laws change often; check the current rules where you are."
            + (" This one is changing now." if entry.in_flux else ""),
            sources=cite(entry),
        )
        yield from _age_findings(entry, place, data)


def _age_findings(entry: LegalLike, place: str, data: SafetyInput) -> Iterator[Finding]:
    birth_year = data.profile.birth_year
    if entry.age_limit is None:
        return
    if birth_year is None:
        yield Finding(
            rule="law:age-unknown",
            severity=Severity.INFO,
            title=f"{place} has an age limit of {entry.age_limit}",
            why="Your birth year is not set, so it cannot be checked.",
            advice="Set it with `kratom profile set --birth-year YYYY`.",
            sources=cite(entry),
        )
        return
    # Without a birthday, someone born in that year may be a year younger.
    youngest = data.now.year - birth_year - 1
    if youngest < entry.age_limit:
        yield Finding(
            rule="law:under-age",
            severity=Severity.HIGH_CAUTION,
            title=f"{place}: the legal age is {entry.age_limit}",
            why=f"Born in {birth_year}, you may be under {entry.age_limit}.",
            advice="Buying or possessing kratom under the age limit is unlawful there.",
            sources=cite(entry),
        )
