"""Findings: what the safety check says, why, what to do, and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


class Severity(IntEnum):
    INFO = 0
    CAUTION = 1
    HIGH_CAUTION = 2
    AVOID = 3

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_label(cls, label: str) -> Severity:
        """ "avoid", "high-caution", "caution", and "monitor"/"info" as INFO."""
        if label == "monitor":
            return cls.INFO
        return cls[label.upper().replace("-", "_")]


STALE_AFTER = timedelta(days=365)


class SourceLike(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def publisher(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def url(self) -> str: ...


class EvidenceLike(Protocol):
    """Any knowledge entry: it carries sources, an as-of date and a confidence."""

    @property
    def sources(self) -> Sequence[SourceLike]: ...
    @property
    def as_of(self) -> date: ...
    @property
    def confidence(self) -> str: ...


@dataclass(frozen=True)
class SourceRef:
    title: str
    publisher: str
    year: int
    url: str
    as_of: date
    confidence: str


def cite(*entries: EvidenceLike) -> tuple[SourceRef, ...]:
    """The sources of knowledge entries, each with its entry's as-of and confidence."""
    refs: list[SourceRef] = []
    for entry in entries:
        for source in entry.sources:
            ref = SourceRef(
                source.title,
                source.publisher,
                source.year,
                source.url,
                entry.as_of,
                entry.confidence,
            )
            if ref not in refs:
                refs.append(ref)
    return tuple(refs)


def is_stale(entry: EvidenceLike, today: date) -> bool:
    return today - entry.as_of > STALE_AFTER


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    title: str
    why: str
    advice: str
    sources: tuple[SourceRef, ...] = ()


# Crisis support comes before everything, even avoid-level findings (domain/crisis.py).
FIRST_RULES = frozenset({"condition:suicidal-thoughts"})


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Crisis support first, then most severe first; ties keep rule order."""
    return sorted(
        findings,
        key=lambda finding: (finding.rule not in FIRST_RULES, -finding.severity),
    )


def is_blocked(findings: Iterable[Finding]) -> bool:
    return any(finding.severity is Severity.AVOID for finding in findings)
