"""Job kinds and parent/child jobs: ``kind`` (existing rows are ``render``), ``payload``, ``parent_id``, ``child_key``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _as_resolved(request: dict[str, Any]) -> dict[str, Any]:
    """A stored request of revision 0001 (a filled-in GenerationRequest) in ``ResolvedRequest``'s shape."""
    out = {k: v for k, v in request.items() if k != "seconds"}
    if out.get("negative_prompt") is None:
        out["negative_prompt"] = ""
    if out.get("guidance_2") is None and out.get("guidance") is not None:
        out["guidance_2"] = out["guidance"]
    return out


def upgrade() -> None:
    with op.batch_alter_table("reelgen_jobs") as batch:
        batch.add_column(sa.Column("kind", sa.String(32), nullable=False, server_default="render"))
        batch.alter_column(
            "request", new_column_name="payload", existing_type=sa.JSON, existing_nullable=False
        )
        batch.add_column(sa.Column("parent_id", sa.String(40)))
        batch.add_column(sa.Column("child_key", sa.String(200)))
        batch.create_unique_constraint("uq_reelgen_jobs_child", ["parent_id", "child_key"])
        batch.create_index("ix_reelgen_jobs_parent", ["parent_id"])
    jobs = sa.table("reelgen_jobs", sa.column("id", sa.String), sa.column("payload", sa.JSON))
    conn = op.get_bind()
    for job_id, payload in conn.execute(sa.select(jobs.c.id, jobs.c.payload)).all():
        if isinstance(payload, dict) and _as_resolved(payload) != payload:
            conn.execute(sa.update(jobs).where(jobs.c.id == job_id).values(payload=_as_resolved(payload)))


def downgrade() -> None:
    with op.batch_alter_table("reelgen_jobs") as batch:
        batch.drop_index("ix_reelgen_jobs_parent")
        batch.drop_constraint("uq_reelgen_jobs_child", type_="unique")
        batch.drop_column("child_key")
        batch.drop_column("parent_id")
        batch.alter_column(
            "payload", new_column_name="request", existing_type=sa.JSON, existing_nullable=False
        )
        batch.drop_column("kind")
