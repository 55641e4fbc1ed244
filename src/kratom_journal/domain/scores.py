"""0-10 scores (pain, mood, energy, sleep, PEG items) and their validation."""

from __future__ import annotations

from kratom_journal.domain.errors import InputError


def parse_score(value: str | int, field: str) -> int:
    """A whole number from 0 to 10."""
    text = str(value).strip()
    try:
        score = int(text)
    except ValueError:
        raise InputError(
            field, f"{text!r} is not a whole number from 0 to 10"
        ) from None
    if not 0 <= score <= 10:
        raise InputError(field, f"{score} is outside 0-10")
    return score
