"""Owner leases and durable webhooks: ``reelgen_jobs.owner``; ``reelgen_webhooks`` (deliveries to make).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reelgen_jobs") as batch:
        batch.add_column(sa.Column("owner", sa.String(200)))
    op.create_table(
        "reelgen_webhooks",
        sa.Column(
            "job_id",
            sa.String(40),
            sa.ForeignKey("reelgen_jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_at", sa.Float, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_reelgen_webhooks_due", "reelgen_webhooks", ["next_at"])


def downgrade() -> None:
    op.drop_index("ix_reelgen_webhooks_due", table_name="reelgen_webhooks")
    op.drop_table("reelgen_webhooks")
    with op.batch_alter_table("reelgen_jobs") as batch:
        batch.drop_column("owner")
