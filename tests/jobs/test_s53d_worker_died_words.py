"""A job whose Ray worker died says so in words a client can use, not Ray's.

Killed with ``kill -9`` mid-run (checked by hand on a joined cluster), the job
failed with "worker worker-0 died while running the job (The actor 8472... is
unavailable: The actor is temporarily unavailable: RpcError: RPC error: Socket
closed rpc_code: 14. The task may or may not have been executed on the actor.)".
No Ray runs here: ``ray.wait`` raises what Ray raised.
"""

from __future__ import annotations

import pytest
import ray

from reelgen.jobs._ray_gate import RayGate, RayStream
from reelgen.jobs.engine import WorkerGone

KILLED = ray.exceptions.ActorUnavailableError(
    "The actor 847280619fddbcfc2403d84802000000 is unavailable: The actor is temporarily unavailable: "
    "RpcError: RPC error: Socket closed rpc_code: 14. The task may or may not have been executed on "
    "the actor.",
    b"\x01" * 16,
)


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        (
            KILLED,
            "worker worker-0 died while running the job (its process ended or stopped answering: killed, "
            "out of memory, crashed, or its machine left the cluster; Ray: ActorUnavailableError)",
        ),
        (
            ray.exceptions.OutOfMemoryError("Task was killed due to the node running low on memory.\nMore"),
            "worker worker-0 died while running the job (Ray stopped it: its machine ran low on memory; "
            "Ray: OutOfMemoryError)",
        ),
    ],
)
def test_a_dead_worker_is_said_in_a_jobs_words(
    monkeypatch: pytest.MonkeyPatch, raised: Exception, said: str
) -> None:
    def wait(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(ray, "wait", wait)
    gate = RayGate()
    gate.open()
    with pytest.raises(WorkerGone) as gone:
        RayStream(object(), "worker-0", gate).next(1.0)
    assert str(gone.value) == said
