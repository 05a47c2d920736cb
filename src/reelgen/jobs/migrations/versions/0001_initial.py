"""Jobs and their append-only event log.

Revision ID: 0001
Revises:
Create Date: 2026-11-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reelgen_jobs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float),
        sa.Column("completed_at", sa.Float),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(32)),
        sa.Column("step", sa.Integer),
        sa.Column("total", sa.Integer),
        sa.Column("eta_s", sa.Float),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("token", sa.Integer, nullable=False),
        sa.Column("worker_id", sa.String(200)),
        sa.Column("lease_until", sa.Float),
        sa.Column("cancel_requested", sa.Boolean, nullable=False),
        sa.Column("error_code", sa.String(64)),
        sa.Column("error_message", sa.Text),
        sa.Column("result", sa.JSON),
        sa.Column("seed", sa.BigInteger),
        sa.Column("num_frames", sa.Integer),
        sa.Column("fps", sa.Float),
        sa.Column("width", sa.Integer),
        sa.Column("height", sa.Integer),
        sa.Column("seconds", sa.Float),
        sa.Column("idempotency_key", sa.String(255), unique=True),
        sa.Column("body_hash", sa.String(64)),
        sa.Column("webhook_url", sa.Text),
        sa.Column("webhook_events", sa.JSON),
        sa.Column("metrics", sa.JSON),
        sa.Column("meta", sa.JSON),
        sa.Column("remixed_from", sa.String(40)),
        sa.Column("data_removed", sa.Boolean, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_reelgen_jobs_queue", "reelgen_jobs", ["status", "priority", "created_at"])
    op.create_index("ix_reelgen_jobs_created", "reelgen_jobs", ["created_at", "id"])
    op.create_index("ix_reelgen_jobs_model", "reelgen_jobs", ["model"])
    op.create_index("ix_reelgen_jobs_remixed_from", "reelgen_jobs", ["remixed_from"])
    op.create_table(
        "reelgen_job_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "job_id",
            sa.String(40),
            sa.ForeignKey("reelgen_jobs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.UniqueConstraint("job_id", "seq", name="uq_reelgen_job_events_seq"),
    )


def downgrade() -> None:
    op.drop_table("reelgen_job_events")
    op.drop_index("ix_reelgen_jobs_remixed_from", "reelgen_jobs")
    op.drop_index("ix_reelgen_jobs_model", "reelgen_jobs")
    op.drop_index("ix_reelgen_jobs_created", "reelgen_jobs")
    op.drop_index("ix_reelgen_jobs_queue", "reelgen_jobs")
    op.drop_table("reelgen_jobs")
