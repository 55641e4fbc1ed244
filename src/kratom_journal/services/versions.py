"""Versions of what a form shows, for saving only what the person saw.

A form carries the version of the entry, product or profile it was filled from; the
save compares it with the stored one inside its write transaction (compare-and-set)
and, if they differ, refuses with ChangedMeanwhile instead of putting back what
someone else changed meanwhile. A fingerprint of the stored value serves as the
version, so no table needs a version column.
"""

from __future__ import annotations

import hashlib
import json

from kratom_journal.domain.errors import ChangedMeanwhile
from kratom_journal.domain.records import to_json


def version_of(value: object) -> str:
    """A short fingerprint of a stored record or profile."""
    text = json.dumps(to_json(value), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_version(current: object, expected: str | None) -> None:
    """Refuse, with the current value, when `expected` is given and stale."""
    if expected is not None and version_of(current) != expected:
        raise ChangedMeanwhile(current)
