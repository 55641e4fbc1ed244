"""Idempotency keys: the answer to a write, kept so that a retry gets it again.

A key is claimed before its request runs (a row without a status), filled in with
the answer when the request succeeded, and let go when it did not (nothing was
written, so a retry may run again). Claiming is an insert that does nothing on a
conflict: of two requests with one key, on either database, only one claims it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kratom_journal.store import schema

if TYPE_CHECKING:
    from uuid import UUID

    from sqlalchemy import Connection

TABLE = schema.idempotency_keys


@dataclass(frozen=True)
class Remembered:
    """A key already claimed: for which request, and its answer once there is one."""

    fingerprint: str
    status: int | None
    headers: list[list[str]]
    body: str
    created_at: datetime


def claim(
    connection: Connection,
    owner_id: UUID,
    key: str,
    fingerprint: str,
    now: datetime,
    forget_before: datetime,
) -> Remembered | None:
    """Claim `key` for a request; None when claimed, else what the key holds.
    Keys older than `forget_before` are forgotten first."""
    connection.execute(
        delete(TABLE).where(
            TABLE.c.owner_id == owner_id, TABLE.c.created_at < forget_before
        )
    )
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    inserted = connection.execute(
        dialect.insert(TABLE)
        .values(owner_id=owner_id, key=key, fingerprint=fingerprint, created_at=now)
        .on_conflict_do_nothing()
        .returning(TABLE.c.key)  # a row only when inserted (rowcount is -1 on psycopg)
    ).first()
    if inserted is not None:
        return None
    row = connection.execute(
        select(
            TABLE.c.fingerprint,
            TABLE.c.status,
            TABLE.c.headers,
            TABLE.c.body,
            TABLE.c.created_at,
        ).where(TABLE.c.owner_id == owner_id, TABLE.c.key == key)
    ).one()
    return Remembered(
        row.fingerprint, row.status, row.headers or [], row.body or "", row.created_at
    )


def remember(
    connection: Connection,
    owner_id: UUID,
    key: str,
    status: int,
    headers: list[list[str]],
    body: str,
) -> None:
    connection.execute(
        update(TABLE)
        .where(TABLE.c.owner_id == owner_id, TABLE.c.key == key)
        .values(status=status, headers=headers, body=body)
    )


def release(connection: Connection, owner_id: UUID, key: str) -> None:
    connection.execute(
        delete(TABLE).where(
            TABLE.c.owner_id == owner_id,
            TABLE.c.key == key,
            TABLE.c.status.is_(None),
        )
    )


__all__ = ["Remembered", "claim", "release", "remember"]
