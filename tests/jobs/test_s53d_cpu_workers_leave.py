"""A cluster that gains GPUs after ``serve`` joined it: its CPU worker leaves, instead of taking jobs on a CPU.

The README's order is the head, then ``RAY_ADDRESS=... reelgen serve``, then
``reelgen worker`` on each GPU machine. The API found no GPU at first and
started a CPU worker; once the GPU machines joined it stayed beside their
workers (``/v1/system``: worker-0 gpus 0, worker-1 gpus 1) and took a job
whenever they were busy, running a GPU model on the head's CPU. Seen by hand
with ``reelgen worker --num-gpus 1`` joining a local head. No Ray runs here:
the cluster's resources and its actors are stand-ins.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import ray

from reelgen.jobs.cluster import RayEngine
from reelgen.jobs.settings import JobSettings


class _Actors:
    """``ray.remote(VideoWorker)``: each ``.options(...).remote(worker_id, ...)`` names an actor."""

    def options(self, **kwargs: Any) -> _Actors:
        return self

    def remote(self, worker_id: str, *args: Any) -> str:
        return f"actor of {worker_id}"


@pytest.fixture
def cluster(monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, float], list[str]]:
    """The cluster's resources (change them to join machines) and the actors stopped for good."""
    resources: dict[str, float] = {"CPU": 8.0}
    stopped: list[str] = []
    monkeypatch.setattr(ray, "cluster_resources", lambda: dict(resources))
    monkeypatch.setattr(ray, "remote", lambda cls: _Actors())
    monkeypatch.setattr(
        ray, "kill", lambda actor, no_restart=True: stopped.append(actor) if no_restart else None
    )
    return resources, stopped


def _workers(engine: RayEngine) -> list[tuple[str, int]]:
    return [(w["id"], w["gpus"]) for w in engine.describe()]


def test_the_cpu_worker_leaves_once_gpu_machines_join(
    cluster: tuple[dict[str, float], list[str]], tmp_path: Path
) -> None:
    resources, stopped = cluster
    engine = RayEngine(JobSettings(data_dir=tmp_path, ray_address="head:6380", cpu_workers=1))
    engine._ensure()
    assert _workers(engine) == [("worker-0", 0)]  # no GPU yet: a CPU worker runs the jobs
    busy = engine.slots[0]
    busy.busy_job = "video_1"  # running a job when the GPU machine joins

    resources["GPU"] = 1.0
    engine._ensure()
    assert _workers(engine) == [("worker-1", 1)]  # no job is given to the CPU worker any more
    engine._ensure()
    assert stopped == []  # its job finishes there first

    busy.busy_job = None
    engine._ensure()
    assert stopped == ["actor of worker-0"]

    resources["GPU"] = 2.0  # a second GPU: a new name, never one in use (a worker's scratch is its name's)
    engine._ensure()
    assert _workers(engine) == [("worker-1", 1), ("worker-2", 1)]


def test_cpu_workers_past_the_clusters_cpus_are_said_to_wait(
    cluster: tuple[dict[str, float], list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A head started with ``--num-cpus 0`` and no GPU machine yet: /readyz said "worker-0 is starting"
    for ever, and REELGEN_CPU_WORKERS=4 on 2 CPUs showed two workers down with no word why."""
    resources, _ = cluster
    resources["CPU"] = 2.0
    engine = RayEngine(JobSettings(data_dir=tmp_path, ray_address="head:6380", cpu_workers=4))
    with caplog.at_level(logging.WARNING, logger="reelgen.jobs.cluster"):
        engine._ensure()
    assert caplog.messages == [
        "the Ray cluster has 2 CPU(s) and no GPU, and each CPU worker takes a CPU: worker-2, worker-3 "
        "(of REELGEN_CPU_WORKERS=4) start once a machine with free CPUs joins"
    ]

    resources["CPU"] = 0.0
    engine = RayEngine(JobSettings(data_dir=tmp_path, ray_address="head:6380", cpu_workers=1))
    engine._ensure()
    monkeypatch.setattr(ray, "is_initialized", lambda: True)
    engine.temp_dir = str(tmp_path)  # not asking a real head whether it answers
    down = engine.health()
    assert down is not None and down.reason == (
        "no worker actor is up: worker-0 waits for a CPU (the Ray cluster has 0 CPU(s) and no GPU, and "
        "each CPU worker takes a CPU)"
    )
