"""Durable jobs of several kinds: SQL job store, dispatcher, GPU workers, parent jobs, artifacts.

Public interface (what the API and CLI build on):

- ``reelgen.jobs.service.JobService`` / ``Webhook``: start/stop, submit / submit_or_replay
  (a ``ResolvedRequest`` for ``render``, or a kind's payload), replay, list (with queue
  positions), get, events, children, save_input, content, cancel (cascading to children),
  delete, wait, health (a live readiness check), refusing, system, free.
- Engines (``reelgen.jobs.engine``): ``local`` (one worker process per GPU, the default on one
  machine) or ``ray`` (``RAY_ADDRESS`` clusters); ``reelgen.jobs.supervisor`` starts, watches
  and restarts the engine from a thread that lives as long as the service.
- ``reelgen.jobs.kinds``: the kind registry and contracts (``WorkerKind``, ``ParentKind``,
  ``Spawn`` / ``Complete`` / ``Fail``, ``settle``); ``payload_of(job)`` reads a payload back typed.
- ``reelgen.jobs.events``: what a worker streams (``ProgressReport``, ``RunResult``,
  ``RunCancelled``, ``RunError``).
- ``reelgen.jobs.records``: ``Job``, ``JobEvent``, ``JobStatus``, ``JobPage``, ``Facts`` and the
  errors ``JobNotFound``, ``IdempotencyConflict``, ``QueueFull``, ``StaleToken``, ``InvalidTransition``,
  ``EngineUnavailable``.
- ``reelgen.jobs.store.fingerprint``: the one fingerprint an Idempotency-Key is bound to.
- ``reelgen.jobs.settings.JobSettings``: every knob, from ``REELGEN_*`` variables.
- ``reelgen.jobs.cluster.run_worker_node`` / ``worker_command``: ``reelgen worker --address``.
- ``reelgen.jobs.webhooks.verify``: check a webhook signature.
"""
