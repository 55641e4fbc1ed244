"""Reading the knowledge base for people: topics, the law, and what needs re-checking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kratom_journal.domain import crisis
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.facts import (
    matching_interactions,
    resolve_condition,
    resolve_substance,
)
from kratom_journal.domain.findings import is_stale
from kratom_journal.domain.law_rules import entries_for
from kratom_journal.domain.profiles import parse_location
from kratom_journal.services.safety import knowledge

if TYPE_CHECKING:
    from datetime import date

TOPICS = {
    "interactions": "interactions",
    "conditions": "conditions",
    "side-effects": "side_effects",
    "limits": "limits",
    "doses": "dose_references",
    "law": "legal",
    "claims": "claims",
    "medicines": "substances",
}


@dataclass(frozen=True)
class Topic:
    """Entries of one topic, or the entries about one medicine or condition."""

    title: str
    entries: list[Any]


def learn(topic: str | None) -> Topic | list[str]:
    """A topic's entries; a medicine or condition name; or the list of topics."""
    if not topic:
        return list(TOPICS)
    facts = knowledge()
    key = topic.strip().lower()
    if key in TOPICS:
        return Topic(key, list(getattr(facts, TOPICS[key])))
    resolution = resolve_substance(topic, facts.substances)
    condition = resolve_condition(topic, facts.conditions)
    # A condition named as typed comes before a medicine guessed by spelling.
    if resolution.substance is not None and (
        resolution.matched_by != "close" or condition is None
    ):
        rules = matching_interactions(resolution.substance, facts)
        title = resolution.substance.name
        if resolution.matched_by == "close":
            title += f" (read from {topic.strip()!r}, the closest name in our list)"
        return Topic(title, [resolution.substance, *rules])
    if condition is not None:
        # Whoever looks up suicidal thoughts sees the lines to call, not only facts.
        lines = [
            line
            for line in facts.crisis_lines
            if crisis.is_crisis_condition(condition) and line.kind == "crisis"
        ]
        return Topic(condition.name, [condition, *lines])
    raise InputError(
        "topic",
        f"{topic!r} is not a topic, medicine or condition in our list; "
        f"topics: {', '.join(TOPICS)}",
    )


def law(location: str) -> list[Any]:
    code = parse_location(location)
    entries = entries_for(code, knowledge().legal)
    if not entries:
        raise InputError("location", f"no legal information for {code} in our data")
    return entries


@dataclass(frozen=True)
class Status:
    total: int
    stale: list[tuple[str, Any]]
    low_confidence: list[tuple[str, Any]]


def status(today: date) -> Status:
    """Entries older than 12 months, and every low-confidence entry, by file."""
    facts = knowledge()
    total, stale, low = 0, [], []
    for topic, attribute in TOPICS.items():
        for entry in getattr(facts, attribute):
            total += 1
            if is_stale(entry, today):
                stale.append((topic, entry))
            if entry.confidence == "low":
                low.append((topic, entry))
    return Status(total, stale, low)


def label(entry: Any) -> str:
    """A short name for any knowledge entry."""
    for attribute in ("title", "name", "claim"):
        value = getattr(entry, attribute, None)
        if value:
            # Local legal entries' names already say the place.
            return str(value)
    return str(getattr(entry, "id", "entry"))
