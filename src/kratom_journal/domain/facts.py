"""What the safety rules need to know from the knowledge base, as read-only protocols.

The knowledge loader's validated entries satisfy these structurally, so the domain
stays free of the loader and its libraries.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kratom_journal.domain.findings import EvidenceLike

if TYPE_CHECKING:
    from collections.abc import Sequence
    from decimal import Decimal


class SubstanceLike(EvidenceLike, Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def classes(self) -> Sequence[str]: ...
    @property
    def brands(self) -> Sequence[str]: ...
    @property
    def misspellings(self) -> Sequence[str]: ...
    @property
    def components(self) -> Sequence[str]: ...


class InteractionLike(EvidenceLike, Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def tier(self) -> str: ...
    @property
    def classes(self) -> Sequence[str]: ...
    @property
    def substances(self) -> Sequence[str]: ...
    @property
    def mechanism(self) -> str: ...
    @property
    def advice(self) -> str: ...


class ConditionLike(EvidenceLike, Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def severity(self) -> str: ...
    @property
    def concern(self) -> str: ...
    @property
    def advice(self) -> str: ...


class LegalLike(EvidenceLike, Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def locality(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def age_limit(self) -> int | None: ...
    @property
    def in_flux(self) -> bool: ...
    @property
    def details(self) -> str: ...


class LimitLike(EvidenceLike, Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def element(self) -> str | None: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def unit(self) -> str: ...
    @property
    def strict(self) -> bool: ...


class ReferenceLike(EvidenceLike, Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def typical(self) -> Decimal | None: ...
    @property
    def low(self) -> Decimal | None: ...
    @property
    def high(self) -> Decimal | None: ...
    @property
    def summary(self) -> str: ...


class FactsLike(Protocol):
    @property
    def substances(self) -> Sequence[SubstanceLike]: ...
    @property
    def interactions(self) -> Sequence[InteractionLike]: ...
    @property
    def conditions(self) -> Sequence[ConditionLike]: ...
    @property
    def legal(self) -> Sequence[LegalLike]: ...
    @property
    def limits(self) -> Sequence[LimitLike]: ...
    @property
    def dose_references(self) -> Sequence[ReferenceLike]: ...


def _key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("/", " / ").split())


@dataclass(frozen=True)
class Resolution:
    """How a typed medicine name matched the list, if it did."""

    query: str
    substance: SubstanceLike | None
    matched_by: str  # "name", "brand", "misspelling", or "" when not found
    suggestions: tuple[str, ...] = ()


class _Memo:
    """What is worked out once per tuple of substances (the knowledge base's,
    loaded once): the safety check resolves every medication on every page. A
    tuple cannot change, so nothing here goes stale; the memo keeps its tuple, so
    that the tuple's id is not reused while the memo lives."""

    MAX_NAMES = 1024  # resolutions kept per tuple; beyond that, start again

    def __init__(self, substances: tuple[SubstanceLike, ...]) -> None:
        self.substances = substances
        self.resolved: dict[str, Resolution] = {}
        self.by_id = {s.id: s for s in substances}


_MEMOS: dict[int, _Memo] = {}


def _memo(substances: Sequence[SubstanceLike]) -> _Memo | None:
    if not isinstance(substances, tuple):
        return None
    memo = _MEMOS.get(id(substances))
    if memo is None or memo.substances is not substances:
        if len(_MEMOS) >= 8:
            _MEMOS.clear()
        memo = _MEMOS[id(substances)] = _Memo(substances)
    return memo


def resolve_substance(name: str, substances: Sequence[SubstanceLike]) -> Resolution:
    """Match a name as typed (generic, brand, frequent misspelling), case-insensitively."""
    memo = _memo(substances)
    if memo is None:
        return _resolve(name, substances)
    found = memo.resolved.get(name)
    if found is None:
        if len(memo.resolved) >= _Memo.MAX_NAMES:
            memo.resolved.clear()
        found = memo.resolved[name] = _resolve(name, substances)
    return found


def _resolve(name: str, substances: Sequence[SubstanceLike]) -> Resolution:
    wanted = _key(name)
    for matched_by, names_of in (
        ("name", lambda s: [s.name, s.id]),
        ("brand", lambda s: s.brands),
        ("misspelling", lambda s: s.misspellings),
    ):
        for substance in substances:
            if any(_key(candidate) == wanted for candidate in names_of(substance)):
                return Resolution(name, substance, matched_by)
    known = [s.name for s in substances] + [b for s in substances for b in s.brands]
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.75)
    return Resolution(name, None, "", tuple(close))


def matching_interactions(
    substance: SubstanceLike, facts: FactsLike
) -> list[InteractionLike]:
    """Interactions of a substance, including those of a combination's components."""
    memo = _memo(facts.substances)
    by_id = memo.by_id if memo else {s.id: s for s in facts.substances}
    parts = [substance] + [by_id[c] for c in substance.components if c in by_id]
    ids = {part.id for part in parts}
    classes = {cls for part in parts for cls in part.classes}
    return [
        rule
        for rule in facts.interactions
        if ids & set(rule.substances) or classes & set(rule.classes)
    ]


def resolve_condition(
    name: str, conditions: Sequence[ConditionLike]
) -> ConditionLike | None:
    wanted = _key(name)
    for condition in conditions:
        names = [condition.id, condition.name, *condition.aliases]
        if any(_key(candidate) == wanted for candidate in names):
            return condition
    return None
