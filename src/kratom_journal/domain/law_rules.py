"""Rules about the law where the person lives (their profile's location and locality)."""

from __future__ import annotations

import re
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
_NOT_WORD = re.compile(r"[\W_]+")
SET_LOCALITY = 'kratom profile set --locality "City"'


def entries_for(code: str, legal: Sequence[LegalLike]) -> list[LegalLike]:
    """The entry for a code, its country's (for a subdivision), and local entries."""
    country = code.split("-")[0]
    exact = [e for e in legal if e.code == code and not e.locality]
    national = [
        e for e in legal if e.code == country and not e.locality and code != country
    ]
    local = [e for e in legal if e.code == code and e.locality]
    return exact + national + local


def place_key(name: str) -> str:
    """A place name compared without case, punctuation or extra spaces."""
    return " ".join(_NOT_WORD.sub(" ", name.casefold()).split())


def applies(entry: LegalLike, locality: str | None) -> bool:
    """A state or national entry applies to everyone there; a local one only to
    people whose locality names the same place."""
    if not entry.locality:
        return True
    return locality is not None and place_key(locality) == place_key(entry.locality)


def severity_of(entry: LegalLike) -> Severity:
    """The status's severity; a change in flux that may become a stricter status is
    at least caution, since it may take effect before our data catches up."""
    severity = _STATUS_SEVERITY.get(entry.status, Severity.INFO)
    if not (entry.in_flux and entry.may_become):
        return severity
    stricter = _STATUS_SEVERITY.get(entry.may_become, Severity.INFO) > severity
    return max(severity, Severity.CAUTION) if stricter else severity


def checked(entry: LegalLike) -> str:
    """When the entry was stated and last checked, for a sources line."""
    verified = f", checked {entry.verified}" if entry.verified else ""
    return f"As of {entry.as_of}{verified}."


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
    locality = data.profile.locality
    for entry in entries:
        if not applies(entry, locality):
            yield _elsewhere(entry, locality)
            continue
        severity = severity_of(entry)
        if entry.code != code and entry.status != "banned":
            # The national entry is context when the state or province has its own.
            severity = Severity.INFO
        yield Finding(
            rule=f"law:{entry.status}",
            severity=severity,
            # Local entries' names already say the place ("San Diego, California").
            title=f"{entry.name}: {_STATUS_WORDS.get(entry.status, entry.status)}",
            why=entry.details,
            advice=_advice(entry),
            sources=cite(entry),
        )
        yield from _age_findings(entry, entry.name, data)


def _advice(entry: LegalLike) -> str:
    advice = "Laws change often; check the current rules where you are."
    if entry.in_flux:
        advice += " This one is changing now"
        if entry.may_become:
            advice += f" and may become: {_STATUS_WORDS.get(entry.may_become)}"
        advice += "."
    return f"{advice} {checked(entry)}"


def _elsewhere(entry: LegalLike, locality: str | None) -> Finding:
    """A local law shown as context when the person's locality is not that place."""
    status = _STATUS_WORDS.get(entry.status, entry.status)
    if locality is None:
        advice = (
            f"If you live there, set your locality with `{SET_LOCALITY}` "
            "so the check applies it."
        )
    else:
        advice = f"Your locality is set to {locality}, so this is shown as context."
    return Finding(
        rule="law:local-elsewhere",
        severity=Severity.INFO,
        title=f"{entry.name}: {status} (applies only in {entry.locality})",
        why=entry.details,
        advice=f"{advice} {checked(entry)}",
        sources=cite(entry),
    )


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
