"""Doses remember the avoid-level warnings the person confirmed past.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.add_column("doses", sa.Column("acknowledged", sa.JSON(), nullable=True))
