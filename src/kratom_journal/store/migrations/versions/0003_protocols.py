"""Protocol events (titration, taper), withdrawal checklists, and undo by command.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def _owned(name: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        *columns,
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
    )


def upgrade() -> None:
    _owned(
        "withdrawal_checks",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("symptoms", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text()),
    )
    op.create_index(
        "ix_withdrawal_checks_owner", "withdrawal_checks", ["owner_id", "at"]
    )
    _owned(
        "protocol_events",
        sa.Column("protocol", sa.String(12), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_protocol_events_owner", "protocol_events", ["owner_id"])
    op.create_index(
        "ix_protocol_events_session",
        "protocol_events",
        ["owner_id", "protocol", "session_id"],
    )
    op.add_column("changes", sa.Column("batch", sa.Uuid(), nullable=True))
