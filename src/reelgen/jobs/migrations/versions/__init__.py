"""Revisions of the job store schema, oldest first."""
