"""The SQL tables of the job store (SQLAlchemy Core), as the Alembic migrations leave them at head.

A new database is created from these tables (``db.upgrade``) and an existing one is migrated, so
they must match what the migrations build, column order and server defaults included
(tests/jobs/test_s58c_new_database.py compares the two).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

jobs = sa.Table(
    "reelgen_jobs",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("prompt", sa.Text, nullable=False, default=""),
    #: The kind's typed payload as JSON; for ``render``, the ``ResolvedRequest``.
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("priority", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("started_at", sa.Float),
    sa.Column("completed_at", sa.Float),
    sa.Column("progress", sa.Integer, nullable=False, default=0),
    sa.Column("stage", sa.String(32)),
    sa.Column("step", sa.Integer),
    sa.Column("total", sa.Integer),
    sa.Column("eta_s", sa.Float),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("max_attempts", sa.Integer, nullable=False, default=2),
    sa.Column("token", sa.Integer, nullable=False, default=0),
    sa.Column("worker_id", sa.String(200)),
    sa.Column("lease_until", sa.Float),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, default=False),
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
    sa.Column("data_removed", sa.Boolean, nullable=False, default=False),
    sa.Column("last_seq", sa.Integer, nullable=False, default=0),
    # Added by revision 0002 with this server default (rows made before are renders).
    sa.Column("kind", sa.String(32), nullable=False, default="render", server_default="render"),
    #: A child job's parent and its stable key there: one child per (parent, key), ever.
    sa.Column("parent_id", sa.String(40)),
    sa.Column("child_key", sa.String(200)),
    #: The job service (``reelgen.jobs.owners``) whose lease the running job is under.
    sa.Column("owner", sa.String(200)),
    sa.UniqueConstraint("parent_id", "child_key", name="uq_reelgen_jobs_child"),
    sa.Index("ix_reelgen_jobs_parent", "parent_id"),
    sa.Index("ix_reelgen_jobs_queue", "status", "priority", "created_at"),
    sa.Index("ix_reelgen_jobs_created", "created_at", "id"),
    sa.Index("ix_reelgen_jobs_model", "model"),
    sa.Index("ix_reelgen_jobs_remixed_from", "remixed_from"),
)

events = sa.Table(
    "reelgen_job_events",
    metadata,
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

#: Webhook deliveries still to make: one per (job, event), kept until delivered or given up, so a
#: restart loses none. ``next_at`` is when to try next; a claim pushes it past the send's timeout.
#: No foreign key to the job: a delivery outlives its job's delete (migration 0007), and ``body`` is
#: then the POST as the event and the job stood at the delete, since neither row is left to read.
webhooks = sa.Table(
    "reelgen_webhooks",
    metadata,
    sa.Column("job_id", sa.String(40), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.Column("next_at", sa.Float, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("body", sa.JSON),
    sa.Index("ix_reelgen_webhooks_due", "next_at"),
)

#: Where a deleted job stood in the listing order, so a page cursor naming it still works: the
#: usual cleanup loop (list, delete each, fetch the next page after the last one deleted) asked
#: for the page after a job that no longer existed. Kept a day, then pruned on the next delete.
deleted = sa.Table(
    "reelgen_deleted",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("deleted_at", sa.Float, nullable=False),
    # Which kind of job it was (revision 0005; NULL in records made before): a list of other kinds
    # refuses the id instead of paging on from it as if it had been one of its own.
    sa.Column("kind", sa.String(32)),
    # Its Idempotency-Key (revision 0006): a create retried with that key after the delete made a
    # second job, where the key was promised to make one; it is refused for as long as this is kept.
    sa.Column("idempotency_key", sa.String(255)),
    sa.Index("ix_reelgen_deleted_at", "deleted_at"),
    sa.Index("ix_reelgen_deleted_key", "idempotency_key"),
)
