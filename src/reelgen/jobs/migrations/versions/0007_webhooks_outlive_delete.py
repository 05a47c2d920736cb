"""Webhook deliveries outlive their job's delete: no foreign key on ``reelgen_webhooks.job_id``; ``body``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: Names SQLite's unnamed foreign key as batch mode reflects it, so that it can be dropped.
_CONVENTION = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
_FK = "fk_reelgen_webhooks_job_id_reelgen_jobs"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite cannot drop a constraint: batch mode copies the table without it (its rows kept).
        with op.batch_alter_table("reelgen_webhooks", naming_convention=_CONVENTION) as batch:
            batch.drop_constraint(_FK, type_="foreignkey")
            batch.add_column(sa.Column("body", sa.JSON))
        return
    for key in sa.inspect(bind).get_foreign_keys("reelgen_webhooks"):  # PostgreSQL named it
        op.drop_constraint(str(key["name"]), "reelgen_webhooks", type_="foreignkey")
    op.add_column("reelgen_webhooks", sa.Column("body", sa.JSON))


def downgrade() -> None:
    # Deliveries of deleted jobs cannot stay under the key again; they go, as the delete used to take them.
    op.execute("DELETE FROM reelgen_webhooks WHERE job_id NOT IN (SELECT id FROM reelgen_jobs)")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table("reelgen_webhooks", naming_convention=_CONVENTION) as batch:
            batch.drop_column("body")
            batch.create_foreign_key(_FK, "reelgen_jobs", ["job_id"], ["id"], ondelete="CASCADE")
        return
    op.drop_column("reelgen_webhooks", "body")
    op.create_foreign_key(
        "reelgen_webhooks_job_id_fkey",
        "reelgen_webhooks",
        "reelgen_jobs",
        ["job_id"],
        ["id"],
        ondelete="CASCADE",
    )
