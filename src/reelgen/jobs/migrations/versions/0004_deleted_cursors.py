"""Deleted jobs' places in the listing order: ``reelgen_deleted`` (page cursors that name one keep working).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reelgen_deleted",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("deleted_at", sa.Float, nullable=False),
    )
    op.create_index("ix_reelgen_deleted_at", "reelgen_deleted", ["deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_reelgen_deleted_at", table_name="reelgen_deleted")
    op.drop_table("reelgen_deleted")
