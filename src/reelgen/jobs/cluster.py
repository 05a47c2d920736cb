"""Ray for the job service: a private loopback Ray or a cluster by address, and the worker actors."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reelgen.jobs.settings import JobSettings

log = logging.getLogger(__name__)


def init_ray(settings: JobSettings) -> str | None:
    """Connect to Ray; returns the temp dir of a private Ray we started, or None.

    With ``settings.ray_address`` it joins that cluster. Otherwise it always
    starts a new private Ray (``address="local"``, so a leftover ``ray start``
    is never joined by accident) in its own temp dir, listening on loopback
    only (``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``) with ports Ray picks at
    random: never 6379. Already connected: nothing to do.
    """
    import ray

    if ray.is_initialized():
        return None
    if settings.ray_address:
        ray.init(address=settings.ray_address, namespace="reelgen", log_to_driver=False)
        return None
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    # Unix socket paths are capped near 107 bytes: keep the temp dir short.
    temp_dir = tempfile.mkdtemp(prefix="reelgen-ray-", dir="/tmp" if os.name == "posix" else None)
    ray.init(
        address="local",
        namespace="reelgen",
        num_cpus=settings.ray_num_cpus,
        include_dashboard=False,
        _temp_dir=temp_dir,
        _node_ip_address="127.0.0.1",
        object_store_memory=settings.ray_object_store_bytes,
        log_to_driver=False,
    )
    return temp_dir


def shutdown_ray(temp_dir: str | None) -> None:
    """Stop the private Ray started by ``init_ray`` (a joined cluster keeps running)."""
    import ray

    if temp_dir is None:
        return
    ray.shutdown()
    shutil.rmtree(temp_dir, ignore_errors=True)


def worker_command(address: str, num_gpus: int | None = None, block: bool = True) -> list[str]:
    """The ``ray start`` command that adds this machine's GPUs to the cluster at ``address``."""
    cmd = [sys.executable, "-m", "ray.scripts.scripts", "start", f"--address={address}"]
    if num_gpus is not None:
        cmd.append(f"--num-gpus={num_gpus}")
    if block:
        cmd.append("--block")
    return cmd


def run_worker_node(address: str, num_gpus: int | None = None) -> int:
    """Join the cluster at ``address`` as a worker node and stay until stopped; returns exit code.

    The API process starts one worker actor per GPU the cluster reports, so
    a node that joins is used without further steps.
    """
    import subprocess

    return subprocess.call(worker_command(address, num_gpus))


@dataclass
class WorkerSlot:
    """One worker actor as the dispatcher sees it."""

    id: str
    actor: Any
    gpus: int
    info: dict[str, Any] = field(default_factory=dict)
    busy_job: str | None = None
    alive: bool = False
    pending: Any = None  # an info() call in flight, polled without blocking

    @property
    def total_vram_gib(self) -> float | None:
        return self.info.get("total_vram_gib")

    @property
    def models(self) -> list[str]:
        return list(self.info.get("loaded_models") or [])


class WorkerPool:
    """The worker actors: one per GPU in the cluster, else ``settings.cpu_workers`` CPU ones.

    Actors restart after a crash or a kill (``max_restarts=-1``) but a task
    running at that moment is never retried by Ray: the job store decides.
    """

    def __init__(self, settings: JobSettings, setup: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.setup = setup
        self.slots: list[WorkerSlot] = []
        self.lock = threading.Lock()

    def ensure(self) -> None:
        """Start actors for GPUs that joined since the last call (and the CPU workers at first)."""
        import ray

        from reelgen.jobs.worker import VideoWorker

        gpus = int(ray.cluster_resources().get("GPU", 0))
        with self.lock:
            have_gpu = sum(1 for s in self.slots if s.gpus)
            if gpus:
                wanted = [1] * (gpus - have_gpu)
            else:
                wanted = [] if self.slots else [0] * max(1, self.settings.cpu_workers)
            remote = ray.remote(VideoWorker)
            for gpu in wanted:
                worker_id = f"worker-{len(self.slots)}"
                actor = remote.options(
                    num_gpus=gpu,
                    num_cpus=1,
                    max_restarts=-1,
                    max_task_retries=0,
                    max_concurrency=4,
                    name=None,
                ).remote(worker_id, self.settings.models_per_worker, self.setup)
                self.slots.append(WorkerSlot(worker_id, actor, gpu))
                log.info("started %s (%s)", worker_id, "GPU" if gpu else "CPU")
        self.poll()

    def poll(self) -> None:
        """Notice workers that came (back) up, without waiting for any of them."""
        import ray

        for slot in list(self.slots):
            if slot.alive:
                continue
            if slot.pending is None:
                slot.pending = slot.actor.info.remote()
            ready, _ = ray.wait([slot.pending], timeout=0)
            if ready:
                ref, slot.pending = slot.pending, None
                try:
                    slot.info, slot.alive = ray.get(ref), True
                except ray.exceptions.RayError as exc:  # died again; ask anew next time
                    log.warning("%s is not up yet: %s", slot.id, exc)

    def refresh(self, slot: WorkerSlot, timeout_s: float = 120.0) -> bool:
        """Ask a worker for its state; a worker that does not answer is marked not alive."""
        import ray

        try:
            slot.info = ray.get(slot.actor.info.remote(), timeout=timeout_s)
            slot.alive = True
        except ray.exceptions.RayError as exc:  # dead, restarting past the timeout, unreachable
            log.warning("%s did not answer: %s", slot.id, exc)
            slot.alive = False
        return slot.alive

    def kill(self, slot: WorkerSlot) -> None:
        """Hard-stop a worker process; Ray starts it again (its loaded models are lost)."""
        import ray

        slot.alive, slot.pending = False, None
        ray.kill(slot.actor, no_restart=False)

    def idle(self) -> list[WorkerSlot]:
        with self.lock:
            return [s for s in self.slots if s.alive and s.busy_job is None]

    def stop(self) -> None:
        import ray

        with self.lock:
            for slot in self.slots:
                ray.kill(slot.actor, no_restart=True)
            self.slots.clear()

    def describe(self) -> list[dict[str, Any]]:
        """Each worker's last known state, for ``/v1/system``."""
        with self.lock:
            return [
                {**s.info, "id": s.id, "alive": s.alive, "busy_job": s.busy_job, "gpus": s.gpus}
                for s in self.slots
            ]
