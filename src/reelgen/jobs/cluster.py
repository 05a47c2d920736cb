"""The Ray engine: a cluster by address (``RAY_ADDRESS``) or a private loopback Ray, and its worker actors.

A private Ray is started from the engine thread (``reelgen.jobs.supervisor``):
Ray starts ``gcs_server`` and ``raylet`` with ``PR_SET_PDEATHSIG``, which kills
them when the *thread* that started them ends, so it must be one that lives as
long as the service. Its temp folder is inside the data directory when the path
is short enough for Ray's sockets (else ``/tmp/reelgen-ray-*``); it is removed on
stop and, after a crash, by the next start; its auth token lives in the
environment, so nothing is written to ``~/.ray``. A small reaper process
(``reelgen.jobs._ray_reaper``) outlives the API process to end Ray's agents and
remove that folder when the API process is gone, however it went.
"""

from __future__ import annotations

import contextlib
import faulthandler
import importlib
import logging
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reelgen.jobs import owners
from reelgen.jobs._ray_address import check_head
from reelgen.jobs._ray_gate import RayGate, RayStream
from reelgen.jobs._ray_node import gpu_less_note, run_worker_node, worker_command
from reelgen.jobs._ray_quiet import quiet_ray_start
from reelgen.jobs._ray_temp import MAX_TEMP_CHARS, sweep_temp_dirs
from reelgen.jobs._ray_temp import new_temp_dir as _temp_dir
from reelgen.jobs.engine import Down, Engine, RunStream, WorkerGone, WorkerSlot
from reelgen.jobs.settings import JobSettings

log = logging.getLogger(__name__)

#: How often the pool looks for GPUs that joined the cluster.
ENSURE_EVERY_S = 5.0
#: A live worker is asked for its state this often; one that does not answer within
#: ``PING_TIMEOUT_S`` (a busy worker still answers: it takes calls beside a run) counts as down.
PING_EVERY_S = 2.0
PING_TIMEOUT_S = 10.0
_TOKEN = secrets.token_hex(32)


def init_ray(settings: JobSettings) -> str | None:
    """Connect to Ray; returns the temp dir of a private Ray we started, or None.

    With ``settings.ray_address`` it joins that cluster. Otherwise it always starts a new private
    Ray (``address="local"``, so a leftover ``ray start`` is never joined by accident) listening on
    loopback only (node address 127.0.0.1, Ray's cluster mode off) with ports Ray picks at random:
    never 6379. Token auth stays on, with a token kept in this process's environment. Already
    connected: nothing to do.
    """
    import ray

    # Ray's C++ core catches SIGTERM to print a stack dump ("*** SIGTERM received at time=... PC: @
    # ... epoll_wait", five lines twice) before the server's own handler stops it cleanly: every
    # `systemctl stop` read like a crash in the log. Ray reads the constant when this process joins.
    # It drops Ray's handler for SIGSEGV, SIGABRT, SIGBUS and SIGFPE too, so Python's faulthandler
    # prints a crash's stack (PyAV or FFmpeg decoding an upload) instead of none; SIGTERM it leaves.
    ray_constants: Any = importlib.import_module("ray._private.ray_constants")
    ray_constants.RAY_DISABLE_FAILURE_SIGNAL_HANDLER = True
    if not faulthandler.is_enabled():  # one PYTHONFAULTHANDLER turned on keeps its file
        with contextlib.suppress(RuntimeError, ValueError, OSError):  # stderr None or not a file
            faulthandler.enable()

    # Ray's calls (``ray.wait``, ``ray.get``, an actor method's ``.remote``) start a default Ray of
    # their own when none is connected. A job thread asking its worker between the engine's stop and
    # its restart would start one that listens beyond loopback and dies with that thread, and the
    # GCS client it leaves ends this whole process a minute later: such calls must fail instead.
    auto_init: Any = importlib.import_module("ray._private.auto_init_hook")
    auto_init.enable_auto_connect = False
    if ray.is_initialized():
        return None
    quiet_ray_start()
    if settings.ray_address:
        ray.init(address=settings.ray_address, namespace="reelgen", log_to_driver=False)
        return None
    # Ray's "cluster mode" turns the node address 127.0.0.1 into this machine's network address, and
    # its servers then listen on every interface. Off, the private Ray's node is 127.0.0.1 and its
    # servers listen on loopback. Ray read the variable when it was imported, so its constant is set
    # too; the processes it starts read the variable.
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    ray_constants.ENABLE_RAY_CLUSTER = False
    if not any(os.environ.get(k) for k in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH")):
        # Without a token in the environment Ray writes one to ~/.ray/auth_token.
        os.environ["RAY_AUTH_MODE"] = "token"
        os.environ["RAY_AUTH_TOKEN"] = _TOKEN
        raylet: Any = importlib.import_module("ray._raylet")
        raylet.Config.initialize("")  # Ray read its settings when imported; read them again
        raylet.AuthenticationTokenLoader.instance().reset_cache()
    sweep_temp_dirs(settings)
    temp_dir = _temp_dir(settings)
    ray.init(
        address="local",
        namespace="reelgen",
        num_cpus=settings.ray_num_cpus,
        include_dashboard=False,
        _temp_dir=str(temp_dir),
        _node_ip_address="127.0.0.1",
        object_store_memory=settings.ray_object_store_bytes,
        log_to_driver=False,
        # No worker a CPU started ahead for tasks: the engine runs actors only; those sat "ray::IDLE".
        _system_config={"prestart_worker_first_driver": False},
    )
    return str(temp_dir)


def shutdown_ray(temp_dir: str | None) -> None:
    """Stop the private Ray started by ``init_ray`` (a joined cluster keeps running)."""
    import ray

    if temp_dir is None:
        return
    ray.shutdown()
    shutil.rmtree(temp_dir, ignore_errors=True)


def _reaper(temp_dir: str, pids: list[int]) -> subprocess.Popen[bytes]:
    """The process that clears up this private Ray once the API process is gone (``_ray_reaper``): in
    its own session, so a Ctrl-C to the terminal's process group does not end it before its work is
    done; its stdin is a pipe only this process writes to."""
    return subprocess.Popen(
        [sys.executable, "-m", "reelgen.jobs._ray_reaper", temp_dir, *map(str, pids)],
        stdin=subprocess.PIPE,
        start_new_session=True,
    )


class RayEngine(Engine):
    """One worker actor per GPU in the cluster, else ``settings.cpu_workers`` CPU ones.

    Actors restart after a crash or a kill (``max_restarts=-1``) but a task
    running at that moment is never retried by Ray: the job store decides.
    """

    name = "ray"

    def __init__(self, settings: JobSettings, setup: Callable[[], None] | None = None) -> None:
        super().__init__(settings, setup)
        self.temp_dir: str | None = None
        self.scratch = str(Path(settings.data_dir) / "scratch" / owners.scratch_name())
        self._processes: dict[str, Any] = {}
        self._reaper: subprocess.Popen[bytes] | None = None
        self._last_ensure = 0.0
        self._said: dict[str, str] = {}
        self._retired: list[WorkerSlot] = []  # CPU workers leaving a cluster that has GPUs now
        self._named = 0  # workers started: ids are never reused (a worker's scratch folder is its id's)
        self._gate = RayGate()  # every Ray call outside the engine thread passes it (_ray_gate.py)

    def start(self) -> None:
        import ray

        owners.sweep_scratch(Path(self.settings.data_dir) / "scratch")  # those of servers killed before
        if self.settings.ray_address and not ray.is_initialized():
            check_head(self.settings.ray_address)
        self.temp_dir = init_ray(self.settings)
        if self.temp_dir is not None:
            node: Any = ray._private.worker._global_node
            started = {name: infos[0].process for name, infos in node.all_processes.items() if infos}
            self._processes = {k: v for k, v in started.items() if k in ("gcs_server", "raylet")}
            self._reaper = _reaper(self.temp_dir, [p.pid for p in started.values()])
        with self.lock:
            self.slots, self._retired, self._named = [], [], 0
        self._last_ensure = 0.0
        self._gate.open()
        self.maintain()

    def stop(self) -> None:
        import ray

        with self.lock:
            slots, self.slots, self._retired = [*self.slots, *self._retired], [], []
        if not self._gate.close(timeout_s=15.0):
            log.warning("Ray calls still in flight after 15 s; stopping Ray anyway")
        for slot in slots:
            slot.alive = False
            with contextlib.suppress(Exception):
                ray.kill(slot.actor, no_restart=True)
        if self.temp_dir is not None:
            shutdown_ray(self.temp_dir)
        elif self.settings.ray_address and ray.is_initialized():
            ray.shutdown()  # a joined cluster keeps running; we only disconnect
        if self._reaper is not None:  # it ends whatever Ray left (an agent still reporting)
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self._reaper.communicate(timeout=30)
        self.temp_dir, self._processes, self._reaper = None, {}, None
        shutil.rmtree(self.scratch, ignore_errors=True)

    def health(self) -> Down | None:
        import ray

        if not ray.is_initialized():
            return Down("Ray is not connected", fatal=True)
        for name, process in self._processes.items():
            code = process.poll()
            if code is not None:
                how = f"signal {-code}" if code < 0 else f"code {code}"
                return Down(f"Ray's {name} exited ({how})", fatal=True)
        if self.temp_dir is None:
            try:
                with self._gate.call("the Ray cluster"):
                    worker: Any = ray._private.worker.global_worker
                    worker.gcs_client.internal_kv_exists(b"reelgen", namespace=b"reelgen", timeout=2)
            except Exception as exc:  # any failure to reach the head is the answer
                return Down(f"the Ray cluster does not answer ({type(exc).__name__})", fatal=True)
        slots = self.snapshot()
        if not any(s.alive for s in slots):
            states = ", ".join(self._said.get(s.id, f"{s.id} is starting") for s in slots)
            return Down(f"no worker actor is up: {states or 'none started yet'}")
        return None

    def describe_engine(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "address": self.settings.ray_address,
            "embedded": self.temp_dir is not None,
            "pids": {name: p.pid for name, p in self._processes.items()},
        }

    def maintain(self) -> None:
        now = time.monotonic()
        if now - self._last_ensure >= ENSURE_EVERY_S:
            self._last_ensure = now
            self._ensure()
        self._poll()

    def _ensure(self) -> None:
        """Start actors for GPUs that joined since the last call (and the CPU workers at first)."""
        import ray

        from reelgen.jobs.worker import VideoWorker

        resources = ray.cluster_resources()
        gpus = int(resources.get("GPU", 0))
        with self.lock:
            self._stop_retired()
            if gpus:
                self._retire_cpu_workers()
            have_gpu = sum(1 for s in self.slots if s.gpus)
            if gpus:
                wanted = [1] * (gpus - have_gpu)
            else:
                wanted = [] if self.slots else [0] * max(1, self.settings.cpu_workers)
            remote = ray.remote(VideoWorker)
            for gpu in wanted:
                worker_id, self._named = f"worker-{self._named}", self._named + 1
                actor = remote.options(
                    num_gpus=gpu,
                    # A GPU worker's work is its GPU's: asking for a CPU too, a private Ray of fewer
                    # CPUs (REELGEN_RAY_NUM_CPUS) than GPUs never started the GPUs past them, and
                    # said nothing. Ray still sets OMP_NUM_THREADS=1 for it, as for a one-CPU actor.
                    num_cpus=0 if gpu else 1,
                    max_restarts=-1,
                    max_task_retries=0,
                    max_concurrency=4,
                    name=None,
                ).remote(worker_id, self.settings.models_per_worker, self.setup, self.scratch)
                self.slots.append(WorkerSlot(worker_id, actor, gpu))
                log.info("started %s (%s)", worker_id, "GPU" if gpu else "CPU")
            if wanted and not gpus:
                self._say_waiting(int(resources.get("CPU", 0)))

    def _say_waiting(self, cpus: int) -> None:
        """Say which CPU workers wait for a CPU: Ray starts those past the cluster's CPUs only once a
        machine with free ones joins, and they were shown down with no word why (a head started with
        ``--num-cpus 0``: "worker-0 is starting" for ever)."""
        waiting = [s.id for s in self.slots if not s.gpus][cpus:]
        if waiting:
            why = f"the Ray cluster has {cpus} CPU(s) and no GPU, and each CPU worker takes a CPU"
            self._said.update({w: f"{w} waits for a CPU ({why})" for w in waiting})
            log.warning(
                "%s: %s (of REELGEN_CPU_WORKERS=%d) start once a machine with free CPUs joins",
                why,
                ", ".join(waiting),
                self.settings.cpu_workers,
            )

    def _retire_cpu_workers(self) -> None:
        """Take the CPU workers out of a cluster that has a GPU now (``self.lock`` held).

        Started while no GPU machine had joined (the README's order: the head, ``serve``, then
        ``reelgen worker`` on each GPU machine), one stayed beside the GPU workers and took jobs
        whenever they were busy, running a GPU model on the head's CPU. Each is stopped once idle,
        a round later, so a job the dispatcher gave it meanwhile finishes there.
        """
        leaving = [s for s in self.slots if not s.gpus]
        if leaving:
            self.slots = [s for s in self.slots if s.gpus]
            self._retired.extend(leaving)
            names = ", ".join(s.id for s in leaving)
            log.info("the Ray cluster has a GPU now: %s (CPU) stop once idle", names)

    def _stop_retired(self) -> None:
        """Stop the retired CPU workers that are idle (``self.lock`` held)."""
        import ray

        for slot in [s for s in self._retired if s.busy_job is None]:
            self._retired.remove(slot)
            slot.alive, slot.pending = False, None
            with contextlib.suppress(Exception):  # already gone with its node
                ray.kill(slot.actor, no_restart=True)
            log.info("stopped %s (CPU): the cluster's GPUs run the jobs", slot.id)

    def _poll(self) -> None:
        """Ask each worker how it is, without waiting: a dead one (Ray restarts it) shows as down
        until it answers again, so readiness reflects it within seconds."""
        import ray

        now = time.monotonic()
        for slot in self.snapshot():
            if slot.pending is None:
                if slot.alive and now - slot.asked_at < PING_EVERY_S:
                    continue
                slot.pending, slot.asked_at = slot.actor.info.remote(), now
            ready, _ = ray.wait([slot.pending], timeout=0)
            if not ready:
                if slot.alive and now - slot.asked_at > PING_TIMEOUT_S:
                    slot.alive = False
                    self._say(slot.id, f"{slot.id} does not answer; waiting for Ray to restart it")
                continue
            ref, slot.pending = slot.pending, None
            try:
                slot.info, slot.alive = ray.get(ref), True
                self._say(slot.id, f"{slot.id} is up (pid {slot.info.get('pid')})")
            except ray.exceptions.RayError as exc:  # died; Ray restarts it, asked anew next round
                slot.alive = False
                self._say(slot.id, f"{slot.id} is down: {str(exc).splitlines()[0]}")

    def _say(self, worker_id: str, message: str) -> None:
        """Log a worker's state once when it changes, never once a second."""
        if self._said.get(worker_id) != message:
            self._said[worker_id] = message
            log.info("%s", message)

    def run(
        self,
        slot: WorkerSlot,
        job_id: str,
        kind: str,
        payload: dict[str, Any],
        inputs: dict[str, bytes],
        preview_every: int,
    ) -> RunStream:
        with self._gate.call(slot.id):
            generator = slot.actor.run.options(num_returns="streaming").remote(
                job_id, kind, payload, inputs, preview_every
            )
        return RayStream(generator, slot.id, self._gate)

    def cancel(self, slot: WorkerSlot, job_id: str) -> None:
        with contextlib.suppress(Exception), self._gate.call(slot.id):
            slot.actor.cancel.remote(job_id)

    def refresh(self, slot: WorkerSlot, timeout_s: float = 120.0) -> bool:
        import ray

        try:
            with self._gate.call(slot.id):
                slot.info = ray.get(slot.actor.info.remote(), timeout=timeout_s)
            slot.alive = True
        except (ray.exceptions.RayError, WorkerGone) as exc:  # dead, restarting, unreachable, Ray stopped
            slot.alive = False
            self._say(slot.id, f"{slot.id} did not answer: {str(exc).splitlines()[0]}")
        return slot.alive

    def free(self, slot: WorkerSlot, idle_seconds: float, timeout_s: float = 60.0) -> list[str]:
        import ray

        with self._gate.call(slot.id):
            freed: list[str] = ray.get(slot.actor.free.remote(idle_seconds), timeout=timeout_s)
        return freed

    def kill(self, slot: WorkerSlot) -> None:
        """Hard-stop a worker process; Ray starts it again (its loaded models are lost)."""
        import ray

        slot.alive, slot.pending = False, None
        # Ray itself stopped or down: the actor went with it.
        with contextlib.suppress(ray.exceptions.RaySystemError, WorkerGone), self._gate.call(slot.id):
            ray.kill(slot.actor, no_restart=False)


__all__ = [
    "MAX_TEMP_CHARS",
    "RayEngine",
    "WorkerSlot",
    "gpu_less_note",
    "init_ray",
    "run_worker_node",
    "shutdown_ray",
    "sweep_temp_dirs",
    "worker_command",
]
