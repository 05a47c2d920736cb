"""Alembic environment of the job store: runs on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from reelgen.jobs.db import VERSION_TABLE
from reelgen.jobs.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
    render_as_batch=connection.dialect.name == "sqlite",
    version_table=VERSION_TABLE,  # the one db.upgrade reads before it decides to migrate
)
with context.begin_transaction():
    context.run_migrations()
