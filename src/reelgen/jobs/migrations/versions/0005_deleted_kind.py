"""The kind of a deleted job: ``reelgen_deleted.kind`` (a list of other kinds refuses its id as a cursor).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: records made before this revision keep no kind, and still mark their place.
    with op.batch_alter_table("reelgen_deleted") as batch:
        batch.add_column(sa.Column("kind", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("reelgen_deleted") as batch:
        batch.drop_column("kind")
