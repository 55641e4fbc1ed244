"""Protocol event numbers unique per session among live events.

Before this, two writers on PostgreSQL could store the same number twice in one
session; such events are renumbered first, in their stored order, so that none is
lost and the index can be built.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    _renumber_repeated()
    live = sa.text("deleted_at IS NULL")
    op.create_index(
        "uq_protocol_events_seq",
        "protocol_events",
        ["owner_id", "protocol", "session_id", "seq"],
        unique=True,
        sqlite_where=live,
        postgresql_where=live,
    )


def _renumber_repeated() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, owner_id, protocol, session_id, seq, created_at "
            "FROM protocol_events WHERE deleted_at IS NULL"
        )
    ).all()
    sessions: dict[tuple[Any, Any, Any], list[Any]] = defaultdict(list)
    for row in rows:
        sessions[(row.owner_id, row.protocol, row.session_id)].append(row)
    for events in sessions.values():
        if len({event.seq for event in events}) == len(events):
            continue  # the usual case: nothing repeated, nothing touched
        ordered = sorted(events, key=lambda e: (e.seq, str(e.created_at), str(e.id)))
        for number, event in enumerate(ordered, start=1):
            connection.execute(
                sa.text("UPDATE protocol_events SET seq = :seq WHERE id = :id"),
                {"seq": number, "id": event.id},
            )
