"""Durable jobs: SQL job store, dispatcher, Ray GPU workers, artifacts.

Public interface (what the API and CLI build on):

- ``reelgen.jobs.store.JobStore``: jobs and their event log (SQLite WAL or PostgreSQL).
- ``reelgen.jobs.service.JobService`` / ``Webhook``: start/stop, submit, cancel, delete,
  wait, content, system, free.
- ``reelgen.jobs.records``: ``Job``, ``JobEvent``, ``JobStatus``, ``JobPage`` and the errors
  ``JobNotFound``, ``IdempotencyConflict``, ``QueueFull``, ``StaleToken``, ``InvalidTransition``.
- ``reelgen.jobs.settings.JobSettings``: every knob, from ``REELGEN_*`` variables.
- ``reelgen.jobs.cluster.run_worker_node`` / ``worker_command``: ``reelgen worker --address``.
- ``reelgen.jobs.webhooks.verify``: check a webhook signature.
"""
