"""Alembic migrations of the job store (run by ``reelgen.jobs.db.upgrade``)."""
