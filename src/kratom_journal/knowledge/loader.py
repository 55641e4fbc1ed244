"""Loading and validating the knowledge files into one `Knowledge` value.

A malformed file raises KnowledgeError naming the file, the entry and the field, so
that the safety check can refuse to answer instead of reporting "no findings".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from kratom_journal.knowledge.schema import (
    Claim,
    ClaimFile,
    Condition,
    ConditionFile,
    CrisisLine,
    CrisisLineFile,
    DoseReference,
    DoseReferenceFile,
    Interaction,
    InteractionFile,
    KnowledgeFile,
    LegalEntry,
    LegalFile,
    Limit,
    LimitFile,
    ReviewedNone,
    SideEffect,
    SideEffectFile,
    Substance,
    SubstanceFile,
)
from kratom_journal.knowledge.units import KnowledgeError

if TYPE_CHECKING:
    from pathlib import Path

F = TypeVar("F", bound=KnowledgeFile)
FILES: dict[str, type[KnowledgeFile]] = {
    "substances.json": SubstanceFile,
    "interactions.json": InteractionFile,
    "conditions.json": ConditionFile,
    "side_effects.json": SideEffectFile,
    "limits.json": LimitFile,
    "dose_references.json": DoseReferenceFile,
    "legal.json": LegalFile,
    "claims.json": ClaimFile,
    "crisis_lines.json": CrisisLineFile,
}


@dataclass(frozen=True)
class Knowledge:
    substances: tuple[Substance, ...]
    interactions: tuple[Interaction, ...]
    conditions: tuple[Condition, ...]
    side_effects: tuple[SideEffect, ...]
    limits: tuple[Limit, ...]
    dose_references: tuple[DoseReference, ...]
    legal: tuple[LegalEntry, ...]
    claims: tuple[Claim, ...]
    crisis_lines: tuple[CrisisLine, ...]
    reviewed_none: tuple[ReviewedNone, ...] = ()


def _read(name: str, folder: Path | None) -> str:
    if folder is not None:
        return (folder / name).read_text(encoding="utf-8")
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def load_file(name: str, model: type[F], folder: Path | None = None) -> F:
    """Parse and validate one file; errors name file, entry and field."""
    try:
        data = json.loads(_read(name, folder))
    except FileNotFoundError:
        raise KnowledgeError(f"{name}: the file is missing") from None
    except json.JSONDecodeError as error:
        raise KnowledgeError(
            f"{name}: not JSON (line {error.lineno}: {error.msg})"
        ) from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise KnowledgeError(
            f"{name}: {_where(data, first['loc'])}: {first['msg']}"
            + (
                f" (and {error.error_count() - 1} more problems)"
                if error.error_count() > 1
                else ""
            )
        ) from None


def _where(data: Any, location: tuple[int | str, ...]) -> str:
    """ "interactions[3] (id 'opioids').tier" from a pydantic error location."""
    parts: list[str] = []
    node = data
    for key in location:
        if isinstance(key, int):
            label = f"[{key}]"
            if (
                isinstance(node, list)
                and key < len(node)
                and isinstance(node[key], dict)
            ):
                ident = node[key].get("id") or node[key].get("code")
                label += f" (id {ident!r})" if ident else ""
            parts.append(label)
        else:
            parts.append(f".{key}" if parts else str(key))
        node = node[key] if isinstance(node, dict | list) and _has(node, key) else None  # type: ignore[index]
    return "".join(parts)


def _has(node: dict[Any, Any] | list[Any], key: int | str) -> bool:
    if isinstance(node, list):
        return isinstance(key, int) and key < len(node)
    return key in node


@cache
def load_knowledge(folder: Path | None = None) -> Knowledge:
    """All knowledge files; raises KnowledgeError if any is missing or malformed."""
    interactions = load_file("interactions.json", InteractionFile, folder)
    knowledge = Knowledge(
        substances=tuple(
            load_file("substances.json", SubstanceFile, folder).substances
        ),
        interactions=tuple(interactions.interactions),
        conditions=tuple(
            load_file("conditions.json", ConditionFile, folder).conditions
        ),
        side_effects=tuple(
            load_file("side_effects.json", SideEffectFile, folder).side_effects
        ),
        limits=tuple(load_file("limits.json", LimitFile, folder).limits),
        dose_references=tuple(
            load_file("dose_references.json", DoseReferenceFile, folder).references
        ),
        legal=tuple(load_file("legal.json", LegalFile, folder).entries),
        claims=tuple(load_file("claims.json", ClaimFile, folder).claims),
        crisis_lines=tuple(
            load_file("crisis_lines.json", CrisisLineFile, folder).lines
        ),
        reviewed_none=tuple(interactions.reviewed_none),
    )
    _check_references(knowledge)
    return knowledge


def _check_references(knowledge: Knowledge) -> None:
    """Ids are unique and every class or substance an entry names exists."""
    ids = [s.id for s in knowledge.substances]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise KnowledgeError(f"substances.json: duplicate id {duplicates[0]!r}")
    classes = {c for s in knowledge.substances for c in s.classes}
    for substance in knowledge.substances:
        for part in substance.components:
            if part not in ids:
                raise KnowledgeError(
                    f"substances.json: {substance.id!r}.components: unknown substance {part!r}"
                )
    for rule in knowledge.interactions:
        for name in rule.classes:
            if name not in classes:
                raise KnowledgeError(
                    f"interactions.json: {rule.id!r}.classes: no substance is in class {name!r}"
                )
        for name in rule.substances:
            if name not in ids:
                raise KnowledgeError(
                    f"interactions.json: {rule.id!r}.substances: unknown substance {name!r}"
                )
    _check_reviewed_none(knowledge, classes)


def _check_reviewed_none(knowledge: Knowledge, classes: set[str]) -> None:
    """A reviewed-none marker names a real class, once, and no rule covers it."""
    ruled = {name for rule in knowledge.interactions for name in rule.classes}
    seen: set[str] = set()
    for marker in knowledge.reviewed_none:
        name = marker.class_name
        where = f"interactions.json: reviewed_none {name!r}"
        if name not in classes:
            raise KnowledgeError(f"{where}: no substance is in this class")
        if name in ruled:
            raise KnowledgeError(f"{where}: an interaction rule covers this class")
        if name in seen:
            raise KnowledgeError(f"{where}: listed twice")
        seen.add(name)
