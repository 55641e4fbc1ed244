"""A check-in: pain now, optional PEG items, side effects and how the day feels."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from uuid import UUID

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.scores import parse_score
from kratom_journal.domain.text import refuse_nul


class Severity(IntEnum):
    NONE = 0
    MILD = 1
    MODERATE = 2
    SEVERE = 3


# Side effects named in the facts brief (kratom-facts.md §3.1-3.2), in plain words.
KNOWN_SIDE_EFFECTS: tuple[str, ...] = (
    "nausea",
    "vomiting",
    "constipation",
    "dizziness",
    "wobbles",
    "headache",
    "sedation",
    "insomnia",
    "restlessness",
    "anxiety",
    "itching",
    "sweating",
    "dry-mouth",
    "frequent-urination",
    "loss-of-appetite",
    "racing-heart",
    "confusion",
    "breathing-difficulty",
    "seizure",
    "fainting",
    "chest-pain",
    "jaundice",
)
# Serious effects (kratom-facts.md §3.2) for which the advice is to get urgent help.
URGENT_SIDE_EFFECTS = frozenset(
    {
        "breathing-difficulty",
        "seizure",
        "fainting",
        "chest-pain",
        "jaundice",
        "confusion",
    }
)
# Common effects that call for urgent help only when severe (side_effects.json marks
# them `urgent_when_severe`): severe sedation can be an overdose, severe vomiting
# dehydrates and, with drowsiness, risks choking. Moderate levels do not.
URGENT_WHEN_SEVERE = frozenset({"sedation", "vomiting"})
_ALIASES = {
    "drowsiness": "sedation",
    "drowsy": "sedation",
    "sleepy": "sedation",
    "light-headedness": "dizziness",
    "lightheaded": "dizziness",
    "itch": "itching",
    "itchy": "itching",
    "tachycardia": "racing-heart",
    "palpitations": "racing-heart",
    "sick": "nausea",
    "throwing-up": "vomiting",
    "slow-breathing": "breathing-difficulty",
    "yellow-skin": "jaundice",
}


@dataclass(frozen=True)
class Peg:
    """The three PEG items: average pain, interference with enjoyment and activity."""

    pain: int
    enjoyment: int
    activity: int


@dataclass(frozen=True)
class CheckIn:
    id: UUID
    owner_id: UUID
    at: datetime
    zone: str
    pain: int
    created_at: datetime
    peg: Peg | None = None
    side_effects: Mapping[str, int] = field(default_factory=dict)
    other_effects: Mapping[str, int] = field(default_factory=dict)
    mood: int | None = None
    energy: int | None = None
    sleep: int | None = None
    note: str | None = None
    deleted_at: datetime | None = None


def is_urgent(name: str, level: int) -> bool:
    """Whether a side effect at this level calls for urgent help."""
    if name in URGENT_SIDE_EFFECTS:
        return level > Severity.NONE
    return name in URGENT_WHEN_SEVERE and level >= Severity.SEVERE


def urgent_effects(checkin: CheckIn) -> list[str]:
    """Side effects in a check-in that call for urgent help, by name: serious ones
    at any level, severe sedation and severe vomiting."""
    return sorted(
        name for name, level in checkin.side_effects.items() if is_urgent(name, level)
    )


def parse_severity(text: str, field: str) -> int:
    words = {severity.name.lower(): int(severity) for severity in Severity}
    cleaned = text.strip().lower()
    if cleaned in words:
        return words[cleaned]
    if cleaned.isdigit() and int(cleaned) in range(4):
        return int(cleaned)
    raise InputError(
        field, f"severity {text!r} is not 0-3 (none, mild, moderate, severe)"
    )


def _split(text: str, field: str) -> tuple[str, str]:
    name, sep, severity = refuse_nul(text, field).partition("=")
    if not sep or not name.strip():
        raise InputError(
            field, f"{text!r} is not NAME=SEVERITY, e.g. nausea=2 or nausea=moderate"
        )
    return "-".join(name.strip().lower().replace("_", " ").split()), severity


def parse_side_effect(text: str) -> tuple[str, int]:
    """Parse "nausea=2" or "Nausea=moderate" into a known name and a 0-3 severity."""
    name, severity = _split(text, "side-effect")
    name = _ALIASES.get(name, name)
    if name not in KNOWN_SIDE_EFFECTS:
        close = difflib.get_close_matches(name, KNOWN_SIDE_EFFECTS, n=3)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise InputError(
            "side-effect",
            f"{name!r} is not on the list; {hint}known: {', '.join(KNOWN_SIDE_EFFECTS)}. "
            "Record anything else with --other-effect TEXT=SEVERITY",
        )
    return name, parse_severity(severity, "side-effect")


def parse_other_effect(text: str) -> tuple[str, int]:
    """Parse a free-text side effect "metallic taste=1"."""
    name, severity = _split(text, "other-effect")
    if len(name) > 80:
        raise InputError("other-effect", "the name is longer than 80 characters")
    return name, parse_severity(severity, "other-effect")


def parse_peg(text: str) -> Peg:
    """Parse "6,5,4": PEG pain, enjoyment and activity, each 0-10."""
    parts = text.replace(" ", "").split(",")
    if len(parts) != 3:
        raise InputError(
            "peg",
            f"{text!r} needs three scores 0-10: pain,enjoyment,activity (e.g. 6,5,4)",
        )
    pain, enjoyment, activity = (parse_score(part, "peg") for part in parts)
    return Peg(pain, enjoyment, activity)
