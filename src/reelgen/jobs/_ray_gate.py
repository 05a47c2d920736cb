"""A gate between the threads that call Ray and the engine's stop, so Ray is never shut down under a call; and a run's stream through it.

Ray's driver ends this whole process ("The core worker has already been
shutdown ... The process will exit") when a thread is inside a Ray call, or
starts one, after ``ray.shutdown()``. Job threads wait on their worker's
stream, the API asks workers for their state, and the engine thread stops Ray
when its raylet dies: without this gate, a restart under load could take the
API server down with it (seen once in the Ray kill test). Calls pass while the
gate is open; ``close`` shuts it, waits for the calls in flight, and from then
calls fail at once with ``WorkerGone`` instead of reaching Ray.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reelgen.jobs.engine import RunEnded, RunStream, WorkerGone
from reelgen.jobs.events import WorkerEvent


class RayGate:
    """Counts the Ray calls in flight; ``close`` waits for them and refuses new ones until ``open``."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._in_flight = 0
        self._open = False

    def open(self) -> None:
        with self._cond:
            self._open = True

    def close(self, timeout_s: float) -> bool:
        """Refuse new calls and wait up to ``timeout_s`` for those in flight; False if some still are."""
        with self._cond:
            self._open = False
            return self._cond.wait_for(lambda: self._in_flight == 0, timeout_s)

    @contextmanager
    def call(self, who: str) -> Iterator[None]:
        """Around one Ray call by ``who`` (a worker's name): ``WorkerGone`` if Ray is stopped or stopping."""
        with self._cond:
            if not self._open:
                raise WorkerGone(f"{who} is gone: the Ray engine is stopped or restarting")
            self._in_flight += 1
        try:
            yield
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()


class RayStream(RunStream):
    """A worker actor's streaming ``run`` call, read through the engine's gate."""

    def __init__(self, generator: Any, worker_id: str, gate: RayGate) -> None:
        self.generator = generator
        self.worker_id = worker_id
        self.gate = gate

    def next(self, timeout_s: float) -> WorkerEvent | None:
        import ray

        try:
            with self.gate.call(f"worker {self.worker_id}"):
                ready, _ = ray.wait([self.generator], timeout=timeout_s)
                if not ready:
                    return None
                event: WorkerEvent = ray.get(next(self.generator))
        except StopIteration:
            raise RunEnded(f"worker {self.worker_id} ended the run without a result") from None
        except ray.exceptions.RayError as exc:
            raise WorkerGone(f"worker {self.worker_id} died while running the job ({_why(exc)})") from None
        return event


def _why(exc: Exception) -> str:
    """Why a Ray error ended a run, in a job's words. Ray's own (an actor id, "RpcError: RPC error:
    Socket closed rpc_code: 14. The task may or may not have been executed on the actor.") was the
    job's error message, telling a client nothing it could act on; its kind is kept for the log."""
    import ray

    if isinstance(exc, ray.exceptions.OutOfMemoryError):
        why = "Ray stopped it: its machine ran low on memory"
    elif isinstance(exc, ray.exceptions.RayActorError):
        why = (
            "its process ended or stopped answering: killed, out of memory, crashed, or its machine "
            "left the cluster"
        )
    else:
        why = (str(exc).strip().splitlines() or ["no message"])[0]
    return f"{why}; Ray: {type(exc).__name__}"
