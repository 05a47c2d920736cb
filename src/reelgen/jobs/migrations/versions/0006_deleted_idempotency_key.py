"""The Idempotency-Key of a deleted job: ``reelgen_deleted.idempotency_key`` (a retry after a delete is refused).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: most jobs have no key, and records made before this revision keep none.
    with op.batch_alter_table("reelgen_deleted") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(255)))
    op.create_index("ix_reelgen_deleted_key", "reelgen_deleted", ["idempotency_key"])


def downgrade() -> None:
    op.drop_index("ix_reelgen_deleted_key", table_name="reelgen_deleted")
    with op.batch_alter_table("reelgen_deleted") as batch:
        batch.drop_column("idempotency_key")
