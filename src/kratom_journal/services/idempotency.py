"""Idempotent writes: a request sent again with the same Idempotency-Key gets the
first answer instead of writing twice (a retry after a lost acknowledgement).

Keys belong to the journal's owner and are kept for KEEP (at least a day). A key
sent with a different request is refused rather than answered with another's
result.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import InputError
from kratom_journal.store import idempotency

if TYPE_CHECKING:
    from datetime import datetime

    from kratom_journal.services.journal import Journal
    from kratom_journal.store.idempotency import Remembered

KEEP = timedelta(hours=24)
MAX_KEY_LENGTH = 255
HEADER = "Idempotency-Key"


def parse_key(text: str) -> str:
    """A key as a client sends it: 1 to 255 visible ASCII characters."""
    if not 1 <= len(text) <= MAX_KEY_LENGTH or not all("!" <= ch <= "~" for ch in text):
        raise InputError(
            HEADER,
            f"must be 1 to {MAX_KEY_LENGTH} visible ASCII characters, e.g. a UUID",
        )
    return text


def claim_key(
    journal: Journal, key: str, fingerprint: str, *, now: datetime
) -> Remembered | None:
    """Claim `key` for the request `fingerprint` describes: None when this request
    may run; otherwise what the key holds (an answer to replay, or none yet while
    its first request runs). A key used for a different request raises."""
    with journal.transaction() as repo:
        held = idempotency.claim(
            repo.connection, journal.owner_id, key, fingerprint, now, now - KEEP
        )
    if held is not None and held.fingerprint != fingerprint:
        raise InputError(
            HEADER,
            "was already used for a different request; send a new key with a new "
            "request",
        )
    return held


def remember_answer(
    journal: Journal, key: str, status: int, headers: list[list[str]], body: str
) -> None:
    with journal.transaction() as repo:
        idempotency.remember(
            repo.connection, journal.owner_id, key, status, headers, body
        )


def release_key(journal: Journal, key: str) -> None:
    """The request failed and wrote nothing: a retry with this key may run again."""
    with journal.transaction() as repo:
        idempotency.release(repo.connection, journal.owner_id, key)
