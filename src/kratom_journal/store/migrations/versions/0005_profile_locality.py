"""Profiles keep an optional locality (a city or county), so local laws apply only
where the person lives.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.add_column(
        "profiles", sa.Column("locality", sa.String(length=80), nullable=True)
    )
