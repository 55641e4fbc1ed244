"""Profiles keep dose-button presets: amounts as written, a JSON list.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.add_column("profiles", sa.Column("presets", sa.JSON(), nullable=True))
