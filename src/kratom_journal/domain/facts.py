"""What the safety rules need to know from the knowledge base, as read-only protocols.

The knowledge loader's validated entries satisfy these structurally, so the domain
stays free of the loader and its libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from kratom_journal.domain.findings import EvidenceLike
from kratom_journal.domain.names import (
    NameIndex,
    Resolution,
    resolve_named,
    resolve_with,
    substance_index,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from decimal import Decimal

    from kratom_journal.domain.crisis import CrisisLineLike


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
    def aliases(self) -> Sequence[str]: ...
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


class ReviewedNoneLike(EvidenceLike, Protocol):
    """A class our sources were checked for and have no kratom interaction for."""

    @property
    def class_name(self) -> str: ...
    @property
    def note(self) -> str: ...


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
    def may_become(self) -> str | None: ...
    @property
    def details(self) -> str: ...
    @property
    def verified(self) -> date | None: ...


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
    def reviewed_none(self) -> Sequence[ReviewedNoneLike]: ...
    @property
    def conditions(self) -> Sequence[ConditionLike]: ...
    @property
    def legal(self) -> Sequence[LegalLike]: ...
    @property
    def limits(self) -> Sequence[LimitLike]: ...
    @property
    def dose_references(self) -> Sequence[ReferenceLike]: ...
    @property
    def crisis_lines(self) -> Sequence[CrisisLineLike]: ...


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
        self.index = substance_index(substances)


_MEMOS: dict[int, _Memo] = {}


def _memo(substances: Sequence[SubstanceLike]) -> _Memo:
    if not isinstance(substances, tuple):
        return _Memo(tuple(substances))
    memo = _MEMOS.get(id(substances))
    if memo is None or memo.substances is not substances:
        if len(_MEMOS) >= 8:
            _MEMOS.clear()
        memo = _MEMOS[id(substances)] = _Memo(substances)
    return memo


def resolve_substance(name: str, substances: Sequence[SubstanceLike]) -> Resolution:
    """What a typed name means: a label, brand, everyday word or close spelling
    (see `names`)."""
    memo = _memo(substances)
    found = memo.resolved.get(name)
    if found is None:
        if len(memo.resolved) >= _Memo.MAX_NAMES:
            memo.resolved.clear()
        found = memo.resolved[name] = resolve_with(name, memo.substances, memo.index)
    return found


def matching_interactions(
    substance: SubstanceLike, facts: FactsLike
) -> list[InteractionLike]:
    """Interactions of a substance, including those of a combination's components."""
    by_id = _memo(facts.substances).by_id
    parts = [substance]
    for part in parts:  # grows: a combination's parts, and theirs
        parts.extend(
            by_id[c] for c in part.components if c in by_id and by_id[c] not in parts
        )
    ids = {part.id for part in parts}
    classes = {cls for part in parts for cls in part.classes}
    return [
        rule
        for rule in facts.interactions
        if ids & set(rule.substances) or classes & set(rule.classes)
    ]


def _condition_names(condition: ConditionLike) -> list[str]:
    return [condition.id, condition.name, *condition.aliases]


# The index of each tuple of conditions (the knowledge base's), kept with its tuple
# for the reason _Memo keeps its own.
_CONDITION_INDEXES: dict[int, tuple[Sequence[ConditionLike], NameIndex]] = {}


def resolve_condition(
    name: str, conditions: Sequence[ConditionLike]
) -> ConditionLike | None:
    """The condition a typed name means, by the same reading as medicines."""
    if not isinstance(conditions, tuple):
        return resolve_named(name, conditions, _condition_names)
    held = _CONDITION_INDEXES.get(id(conditions))
    if held is None or held[0] is not conditions:
        if len(_CONDITION_INDEXES) >= 8:
            _CONDITION_INDEXES.clear()
        index = NameIndex.build((c.id, _condition_names(c)) for c in conditions)
        held = _CONDITION_INDEXES[id(conditions)] = (conditions, index)
    return resolve_named(name, conditions, _condition_names, held[1])
